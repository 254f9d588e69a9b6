/* medsite default theme: share button, visit counter, rating widget.
   Progressive enhancement only: every page works without this file.
   Talks only to the site's own feedback endpoint; sets no cookies. */
(function () {
  "use strict";

  var KEY = "medsite-rated:";

  function $(sel, root) { return (root || document).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || document).querySelectorAll(sel)); }

  // The page's words come from data-* attributes, written in the page's
  // language by the templates.
  function word(el, name) { return (el && el.getAttribute("data-" + name)) || ""; }

  function base(el) {
    return (el.getAttribute("data-endpoint") || "/api/feedback").replace(/\/+$/, "");
  }

  // localStorage can be missing or throw (privacy modes, disabled storage).
  function remember(page) {
    try { window.localStorage.setItem(KEY + page, "1"); } catch (e) { /* ignore */ }
  }
  function remembered(page) {
    try { return window.localStorage.getItem(KEY + page) === "1"; } catch (e) { return false; }
  }

  // POST JSON; resolves with the Response only for a 2xx answer.
  function postJSON(url, data) {
    var ctrl = typeof AbortController === "function" ? new AbortController() : null;
    var timer = ctrl ? setTimeout(function () { ctrl.abort(); }, 15000) : 0;
    return fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(data),
      credentials: "same-origin",
      signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      clearTimeout(timer);
      if (!res.ok) { throw new Error("HTTP " + res.status); }
      return res;
    }, function (err) {
      clearTimeout(timer);
      throw err;
    });
  }

  /* Share ------------------------------------------------------------ */
  function initShare(box) {
    var url = box.getAttribute("data-share-url") || location.href;
    var title = box.getAttribute("data-share-title") || document.title;
    var nativeBtn = $(".share-native", box);
    var copyBtn = $(".share-copy", box);
    var status = $(".share-status", box);
    function say(text) { if (status) { status.textContent = text; } }

    if (nativeBtn && typeof navigator.share === "function") {
      nativeBtn.hidden = false;
      nativeBtn.addEventListener("click", function () {
        say("");
        try {
          Promise.resolve(navigator.share({ title: title, url: url }))["catch"](function () { /* cancelled */ });
        } catch (e) { /* not allowed */ }
      });
    } else if (copyBtn && navigator.clipboard && typeof navigator.clipboard.writeText === "function") {
      copyBtn.hidden = false;
      copyBtn.addEventListener("click", function () {
        say("");
        var done;
        try { done = Promise.resolve(navigator.clipboard.writeText(url)); } catch (e) { done = Promise.reject(e); }
        done.then(function () { say(word(status, "copied")); }, function () { say(word(status, "failed")); });
      });
    }
  }

  /* Visit counter ---------------------------------------------------- */
  function initCounter(el) {
    var page = el.getAttribute("data-page");
    if (!page || typeof fetch !== "function") { return; }
    postJSON(base(el) + "/visit", { page: page })
      .then(function (res) { return res.json(); })
      .then(function (data) {
        var n = data && data.today;
        if (typeof n !== "number" || !isFinite(n) || n < 1 || Math.floor(n) !== n) { return; }
        // The plural form of the page's language ("1 visit", "5 visits").
        var category = "other";
        try { category = new Intl.PluralRules(document.documentElement.lang || "en").select(n); } catch (e) { /* keep "other" */ }
        var form = word(el, category) || word(el, "other");
        if (!form) { return; }
        el.textContent = form.replace("{n}", String(n));
        el.hidden = false;
      })["catch"](function () { /* stays hidden */ });
  }

  /* Rating ----------------------------------------------------------- */
  function initRating(box) {
    var page = box.getAttribute("data-page");
    var form = $(".rating-form", box);
    var status = $(".rating-status", box);
    var already = $(".rating-already", box);
    if (!page || !form) { return; }

    function say(text, kind) {
      if (!status) { return; }
      status.textContent = text;
      status.className = "rating-status" + (kind ? " is-" + kind : "");
    }

    if (location.hash === "#rated") {
      // A plain form post came back from the service: it was saved.
      remember(page);
      form.hidden = true;
      return;
    }
    if (remembered(page)) {
      form.hidden = true;
      if (already) { already.hidden = false; }
      return;
    }
    if (typeof fetch !== "function") { return; } // let the form post itself

    var button = $("button[type=submit], button:not([type])", form);
    var sending = false;
    // Our own message replaces the browser's bubble for a missing choice.
    form.noValidate = true;

    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      if (sending) { return; }
      var checked = $("input[name=rating]:checked", form);
      if (!checked) {
        say(word(status, "choose"), "error");
        var first = $("input[name=rating]", form);
        if (first) { first.focus(); }
        return;
      }
      var comment = $("[name=comment]", form);
      var text = comment ? comment.value.slice(0, 1000) : "";
      sending = true;
      if (button) { button.disabled = true; }
      say(word(status, "sending"));
      postJSON(base(box) + "/rating", { page: page, rating: Number(checked.value), comment: text })
        .then(function () {
          remember(page);
          form.hidden = true;
          say(word(status, "thanks"), "ok");
          if (status) { status.setAttribute("tabindex", "-1"); status.focus(); }
        }, function () {
          say(word(status, "failed"), "error");
        })
        .then(function () {
          sending = false;
          if (button) { button.disabled = false; }
        });
    });
  }

  function init() {
    $$(".share").forEach(initShare);
    $$(".visit-counter[data-page]").forEach(initCounter);
    $$(".rating[data-page]").forEach(initRating);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
