/* medsite search page: runs the query in the page's address (?q=...).
 *
 * Two indexes, both static files made by `medsite build`:
 * - the names index (generic and brand names, ATC codes, conditions,
 *   titles), one small file per first two letters, matched here with a
 *   few letters wrong allowed (edit distance), so that "metotrexate" and
 *   "Illaris" find their page;
 * - the full-text index: for each word of the query, the file of stems
 *   that begin with its first two letters, then the page table's files
 *   of the pages shown (page numbers 64n to 64n+63 in file n).
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
  /* The names file of a folded key: its first two letters or digits. */
  function shard(key) {
    var cs = Array.from(key), out = "";
    for (var i = 0; i < 2; i++) { out += /^[a-z0-9]$/.test(cs[i] || "") ? cs[i] : "_"; }
    return out;
  }

  /* The names files a query loads: those of its first two letters, of
   * them swapped, and of the query without its first or second letter
   * (src/search/names.rs, shards_of). */
  function shardsOf(q) {
    var cs = Array.from(q);
    var out = [];
    [cs, [cs[1], cs[0]].concat(cs.slice(2)), [cs[0]].concat(cs.slice(2)), cs.slice(1)].forEach(function (v) {
      var s = shard(v.filter(function (c) { return c !== undefined; }).join(""));
      if (out.indexOf(s) < 0) { out.push(s); }
    });
    return out;
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

  var indexUrl = word("index");
  var base = word("base");
  var loaded = {};
  /* A file of the index; a missing file (404) is an empty one. */
  function getJSON(path) {
    if (!loaded[path]) {
      loaded[path] = fetch(indexUrl + path).then(function (res) {
        if (res.status === 404) { return null; }
        if (!res.ok) { throw new Error(path + ": " + res.status); }
        return res.json();
      });
    }
    return loaded[path];
  }
  function doc(n) {
    return getJSON("docs/" + Math.floor(n / 64) + ".json").then(function (rows) {
      var r = rows && rows[n % 64];
      return r ? { path: r[0], title: r[1], summary: r[2], generic: r[3] } : null;
    });
  }

  /* Words as the index splits them (src/search/words.rs). */
  function splitWords(s) {
    return s.split(/[^\p{L}\p{N}'’]+/u).map(function (w) { return w.replace(/^['’]+|['’]+$/g, ""); })
      .filter(function (w) { return w.length > 0; });
  }

  /* Only the files that exist are asked for: each folder lists its own. */
  function existing(folder, names) {
    return getJSON(folder + "/index.json").then(function (list) {
      var have = {};
      (list || []).forEach(function (n) { have[n] = true; });
      return Promise.all(names.map(function (n) {
        return have[n] ? getJSON(folder + "/" + n + ".json") : null;
      }));
    });
  }

  function namesMatches(q) {
    return existing("names", shardsOf(q)).then(function (files) {
      var found = [], seen = {};
      files.forEach(function (entries) {
        (entries || []).forEach(function (e) {
          var id = JSON.stringify(e);
          if (seen[id]) { return; }
          seen[id] = true;
          var key = fold(e[0]);
          var keys = e[3] ? splitWords(key).filter(function (w) { return Array.from(w).length >= 4; }) : [key];
          var best = -1;
          keys.forEach(function (k) {
            var s = score(q, [k, e[0], e[1], e[2], "", e[3]]);
            if (s >= 0 && (best < 0 || s < best)) { best = s; }
          });
          // A longer name that holds the query's words: "mediterranean
          // fever" in "Familial Mediterranean fever".
          if (e[3] && Array.from(q).length >= 4 && (" " + key + " ").indexOf(" " + q + " ") >= 0) {
            var inside = 1.2 + KINDS.indexOf(e[1]) / 100;
            if (best < 0 || inside < best) { best = inside; }
          }
          if (best >= 0) { found.push({ s: best, e: e }); }
        });
      });
      found.sort(function (x, y) { return x.s - y.s || (x.e[0] < y.e[0] ? -1 : x.e[0] > y.e[0] ? 1 : 0); });
      var taken = {}, out = [];
      for (var k = 0; k < found.length && out.length < 8; k++) {
        var to = String(found[k].e[2]);
        if (taken[to]) { continue; }
        taken[to] = true;
        out.push(found[k].e);
      }
      return out;
    });
  }

  function hex2(w) {
    var prefix = Array.from(w).slice(0, 2).join("");
    return Array.from(new TextEncoder().encode(prefix)).map(function (b) {
      return (b < 16 ? "0" : "") + b.toString(16);
    }).join("");
  }
  /* How well the query word `w` matches the indexed stem `s` (0: not). */
  function stemMatch(w, s) {
    if (s === w) { return 1; }
    var ws = Array.from(w), ss = Array.from(s);
    if (ss.length >= 4 && ws.length - ss.length <= 6 && w.indexOf(s) === 0) { return 0.9; } // infections / infect
    if (ws.length >= 3 && s.indexOf(w) === 0) { return 0.6; }         // a word begun
    var common = 0;
    while (common < ws.length && common < ss.length && ws[common] === ss[common]) { common++; }
    if (ss.length >= 4 && common >= ss.length - 1) { return 0.9; }   // allergy / allergi
    return 0;
  }

  /* Pages matching the words of the query: [doc number], best first. */
  function fullText(query) {
    var ws = splitWords(fold(query)).filter(function (w) { return Array.from(w).length >= 2; });
    return existing("text", ws.map(hex2)).then(function (files) {
      return files.map(function (stems, n) {
        var w = ws[n];
        var scores = {};
        Object.keys(stems || {}).forEach(function (s) {
          var m = stemMatch(w, s);
          if (!m) { return; }
          var list = stems[s], d = 0;
          for (var i = 0; i + 1 < list.length; i += 2) {
            d += list[i];
            var v = m * list[i + 1];
            if (!(scores[d] >= v)) { scores[d] = v; }
          }
        });
        return scores;
      });
    }).then(function (perWord) {
      var used = perWord.filter(function (m) { return Object.keys(m).length > 0; });
      var total = {}, hitsOf = {};
      used.forEach(function (m) {
        Object.keys(m).forEach(function (d) {
          total[d] = (total[d] || 0) + m[d];
          hitsOf[d] = (hitsOf[d] || 0) + 1;
        });
      });
      var docs = Object.keys(total);
      var all = docs.filter(function (d) { return hitsOf[d] === used.length; });
      if (all.length) { docs = all; }
      docs.sort(function (a, b) { return hitsOf[b] - hitsOf[a] || total[b] - total[a] || a - b; });
      return docs.map(Number);
    });
  }

  function nameResult(e) {
    var kind = e[1];
    if (typeof e[2] === "string") {
      return Promise.resolve({ url: base + e[2], title: e[0], kind: word("kind-" + kind), text: "" });
    }
    return doc(e[2]).then(function (d) {
      if (!d) { return null; }
      var title = kind === "g" || kind === "t" ? d.title :
        fill(word("see"), { name: e[0], target: d.generic || d.title });
      return { url: base + d.path, title: title, kind: word("kind-" + kind), text: d.summary, doc: e[2] };
    });
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

  var PAGE = 10;
  var rest = [];
  var more = null;

  /* Shows the next PAGE pages of `rest`; the first item added. */
  function showMore() {
    var part = rest.slice(0, PAGE);
    rest = rest.slice(PAGE);
    return Promise.all(part.map(doc)).then(function (rows) {
      var first = null;
      rows.forEach(function (d) {
        if (!d) { return; }
        var li = item({ url: base + d.path, title: d.title, kind: "", text: d.summary });
        list.appendChild(li);
        if (!first) { first = li; }
      });
      if (rest.length === 0 && more) { more.remove(); more = null; }
      return first;
    });
  }

  function addMoreButton() {
    if (more || rest.length === 0) { return; }
    more = document.createElement("button");
    more.type = "button";
    more.className = "search-more";
    more.textContent = word("more");
    more.addEventListener("click", function () {
      showMore().then(function (first) {
        var a = first && first.querySelector("a");
        if (a) { a.focus(); }
      });
    });
    list.parentNode.appendChild(more);
  }

  say(word("searching"));
  var q = fold(query);
  Promise.all([namesMatches(q), fullText(query)]).then(function (both) {
    return Promise.all(both[0].map(nameResult)).then(function (named) {
      named = named.filter(Boolean);
      var shownDocs = {};
      named.forEach(function (r) {
        if (r.doc !== undefined) { shownDocs[r.doc] = true; }
        list.appendChild(item(r));
      });
      rest = both[1].filter(function (d) { return !shownDocs[d]; });
      var total = named.length + rest.length;
      return showMore().then(function () {
        list.hidden = total === 0;
        addMoreButton();
        say(total === 0 ? fill(word("none"), { q: query }) : count(total));
        if (total === 0) { offerAZ(); }
      });
    });
  })["catch"](function () {
    say(word("failed"));
    offerAZ();
  });
})();
