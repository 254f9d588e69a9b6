/* medsite search page: runs the query in the page's address (?q=...).
 *
 * Two indexes, both static files made by `medsite build`:
 * - the names index (generic and brand names, ATC codes, conditions,
 *   titles), one small file per first letter, matched here with a few
 *   letters wrong allowed (edit distance), so that "metotrexate" and
 *   "Illaris" find their page;
 * - Pagefind's full-text index of every page, loaded a few chunks at a time
 *   by Pagefind's own script.
 * Name matches come first, then full-text matches not already listed.
 *
 * Every text from the address or the indexes is put in the page as text
 * (textContent, value), never as markup. Messages come from the page's
 * data-* attributes, in the page's language.
 */
(function () {
  "use strict";

  var box = document.querySelector(".search");
  if (!box) { return; }
  var status = box.querySelector(".search-status");
  var list = box.querySelector(".search-results");
  var nojs = box.querySelector("[data-search-nojs]");
  var azLink = nojs && nojs.querySelector("a");
  var input = document.getElementById("search-q");
  var lang = document.documentElement.lang || "en";

  function word(name) { return box.getAttribute("data-" + name) || ""; }
  function fill(text, values) {
    return text.replace(/\{(\w+)\}/g, function (all, k) {
      return Object.prototype.hasOwnProperty.call(values, k) ? values[k] : all;
    });
  }

  if (nojs) { nojs.hidden = true; }

  var query = "";
  try { query = new URLSearchParams(location.search).get("q") || ""; } catch (e) { query = ""; }
  query = query.replace(/\s+/g, " ").trim().slice(0, 200);
  if (input) { input.value = query; }
  if (!query) { return; }

  /* Folding, as medsite folds the names index (src/search/names.rs). */
  var LETTERS = { "æ": "ae", "ø": "o", "œ": "oe", "ß": "ss", "đ": "d", "ł": "l", "ı": "i" };
  function fold(s) {
    var out = s.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
    out = out.replace(/[æøœßđłı]/g, function (c) { return LETTERS[c]; });
    return out.split(/\s+/).filter(Boolean).join(" ");
  }
  function shard(key) {
    var c = key.charAt(0);
    return /[a-z0-9]/.test(c) ? c : "_";
  }

  /* Optimal string alignment distance, giving up above `max`. */
  function distance(a, b, max) {
    a = Array.from(a); b = Array.from(b);
    if (Math.abs(a.length - b.length) > max) { return max + 1; }
    var prev2 = null, prev = [], cur, i, j;
    for (j = 0; j <= b.length; j++) { prev.push(j); }
    for (i = 1; i <= a.length; i++) {
      cur = [i];
      var best = i;
      for (j = 1; j <= b.length; j++) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        var v = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost);
        if (prev2 && i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          v = Math.min(v, prev2[j - 2] + 1);
        }
        cur.push(v);
        if (v < best) { best = v; }
      }
      if (best > max) { return max + 1; }
      prev2 = prev; prev = cur;
    }
    return prev[b.length];
  }

  /* How many letters may be wrong in a query of this length. */
  function allowed(n) { return n <= 3 ? 0 : n <= 6 ? 1 : 2; }

  var KINDS = "gbact";
  /* Lower is better: exact, then the start of a name, then one letter
   * wrong, then two; a word of a longer name after the whole name. */
  function score(q, entry) {
    var key = entry[0], s;
    if (key === q) { s = 0; }
    else if (q.length >= 3 && key.indexOf(q) === 0) { s = 1 + (key.length - q.length) / 1000; }
    else if (entry[2] === "a") { return -1; } // codes: exact or a start only
    else {
      var max = allowed(Array.from(q).length);
      if (max === 0) { return -1; }
      var d = distance(q, key, max);
      if (d > max) { return -1; }
      s = 1 + d;
    }
    return s + (entry[5] ? 0.5 : 0) + KINDS.indexOf(entry[2]) / 100;
  }

  function namesMatches(q) {
    var url = word("names") + shard(q) + ".json";
    return fetch(url).then(function (res) {
      if (!res.ok) { throw new Error(url + ": " + res.status); }
      return res.json();
    }).then(function (entries) {
      var found = [];
      for (var i = 0; i < entries.length; i++) {
        var s = score(q, entries[i]);
        if (s >= 0) { found.push({ s: s, e: entries[i] }); }
      }
      found.sort(function (x, y) { return x.s - y.s || (x.e[1] < y.e[1] ? -1 : x.e[1] > y.e[1] ? 1 : 0); });
      var seen = {}, out = [];
      for (var k = 0; k < found.length && out.length < 8; k++) {
        var e = found[k].e;
        if (seen[e[3]]) { continue; }
        seen[e[3]] = true;
        out.push(e);
      }
      return out;
    });
  }

  var pagefind = null;
  function fullText(q) {
    var load = pagefind ? Promise.resolve(pagefind) : import(word("pagefind")).then(function (pf) {
      pagefind = pf;
      return pf.options({ excerptLength: 24 }).then(function () { return pf; });
    });
    return load.then(function (pf) { return pf.search(q); })
      .then(function (search) { return (search && search.results) || []; });
  }

  var base = word("base");
  function names(entry) {
    var kind = entry[2];
    var title = kind === "g" || kind === "t" || kind === "c" ? entry[4] :
      fill(word("see"), { name: entry[1], target: entry[4] });
    return { url: base + entry[3], title: title, kind: word("kind-" + kind), text: "" };
  }

  function item(r) {
    var li = document.createElement("li");
    var h = document.createElement("h2");
    var a = document.createElement("a");
    a.href = r.url;
    a.textContent = r.title;
    h.appendChild(a);
    li.appendChild(h);
    if (r.kind) {
      var k = document.createElement("p");
      k.className = "search-kind";
      k.textContent = r.kind;
      li.appendChild(k);
    }
    if (r.text) {
      var p = document.createElement("p");
      p.textContent = r.text;
      li.appendChild(p);
    }
    return li;
  }

  function say(text) { if (status) { status.textContent = text; } }
  function count(n) {
    var category = "other";
    try { category = new Intl.PluralRules(lang).select(n); } catch (e) { /* keep "other" */ }
    var form = word("results-" + category) || word("results-other");
    return fill(form, { n: String(n), q: query });
  }
  function offerAZ() {
    if (!azLink || !status) { return; }
    var p = document.createElement("p");
    var a = document.createElement("a");
    a.href = azLink.href;
    a.textContent = azLink.textContent;
    p.appendChild(a);
    status.parentNode.insertBefore(p, list);
  }

  say(word("searching"));
  var q = fold(query);
  var PAGE = 10;
  var shownUrls = {};
  var nameResults = [];
  var hits = [];
  var next = 0;
  var dups = 0;
  var more = null;

  function showMore() {
    var part = hits.slice(next, next + PAGE);
    next += part.length;
    return Promise.all(part.map(function (h) { return h.data(); })).then(function (data) {
      var firstNew = null;
      data.forEach(function (d) {
        var url = d.url;
        if (shownUrls[url]) { dups += 1; return; }
        shownUrls[url] = true;
        var li = item({ url: url, title: (d.meta && d.meta.title) || url, kind: "", text: (d.meta && d.meta.summary) || "" });
        list.appendChild(li);
        if (!firstNew) { firstNew = li; }
      });
      return firstNew;
    });
  }

  function update() {
    var total = nameResults.length + hits.length - dups;
    list.hidden = total === 0;
    say(total === 0 ? fill(word("none"), { q: query }) : count(total));
    if (total === 0) { offerAZ(); }
    if (next < hits.length) {
      if (!more) {
        more = document.createElement("button");
        more.type = "button";
        more.className = "search-more";
        more.textContent = box.getAttribute("data-more") || "+";
        more.addEventListener("click", function () {
          showMore().then(function (first) {
            update();
            var a = first && first.querySelector("a");
            if (a) { a.focus(); }
          });
        });
        list.parentNode.appendChild(more);
      }
    } else if (more) {
      more.remove();
      more = null;
    }
  }

  Promise.all([
    namesMatches(q)["catch"](function () { return []; }),
    fullText(query)
  ]).then(function (both) {
    nameResults = both[0];
    hits = both[1];
    nameResults.forEach(function (e) {
      var r = names(e);
      if (shownUrls[r.url]) { return; }
      shownUrls[r.url] = true;
      list.appendChild(item(r));
    });
    return showMore();
  }).then(update)["catch"](function () {
    // The full-text index could not be loaded: show the names found, if any.
    namesMatches(q).then(function (found) {
      nameResults = found;
      found.forEach(function (e) { list.appendChild(item(names(e))); });
      list.hidden = found.length === 0;
      say(found.length ? count(found.length) : word("failed"));
      if (!found.length) { offerAZ(); }
    })["catch"](function () { say(word("failed")); offerAZ(); });
  });
})();
