// Offline full-text search over window.WMR_SEARCH_INDEX (assets/search-index.js, written at build time).
// Works from file:// (no fetch); results are built with createElement and textContent only.
(function () {
  "use strict";
  var index = window.WMR_SEARCH_INDEX;
  var input = document.getElementById("search-q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("search-results");
  if (!index || !input || !status || !list) { return; }
  var MAX = 50;

  // Lower-case, strip accents and make every apostrophe and hyphen alike, one character at a time, so folded
  // and original text keep their offsets: "Cote d'Ivoire" finds "Côte d’Ivoire", "Turkiye" finds "Türkiye".
  var APOSTROPHES = /['\u2018\u2019\u02bc\u02bb\u0060\u00b4\u2032]/;
  var HYPHENS = /[\u2010\u2011\u2012\u2013\u2014\u2212]/;
  var SPECIAL = { "\u00df": "s", "\u0131": "i", "\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u00e6": "a", "\u0153": "o" };
  function fold(s) {
    var out = "";
    for (var i = 0; i < s.length; i++) {
      var c = s.charAt(i);
      if (APOSTROPHES.test(c)) { out += "'"; continue; }
      if (HYPHENS.test(c)) { out += "-"; continue; }
      var f = c.normalize ? c.normalize("NFD").charAt(0).toLowerCase() : c.toLowerCase();
      f = f.length === 1 ? f : c;
      out += SPECIAL[f] || f;
    }
    return out;
  }

  var sections = index.sections.map(function (s) {
    return { s: s, title: fold(s.title), text: fold(s.text), page: fold(index.pages[s.page].title) };
  });

  function terms(q) {
    return fold(q).split(/[\s,;:!?()"“”]+/).map(function (t) {
      return t.replace(/^[.'\-]+|[.'\-]+$/g, "");
    }).filter(function (t) { return t.length > 0; });
  }

  function count(hay, needle) {
    var n = 0, at = hay.indexOf(needle);
    while (at !== -1) { n++; at = hay.indexOf(needle, at + needle.length); }
    return n;
  }

  function search(q) {
    var ts = terms(q);
    if (!ts.length) { return { terms: ts, hits: [] }; }
    var hits = [];
    sections.forEach(function (x, order) {
      var score = 0;
      for (var i = 0; i < ts.length; i++) {
        var inText = count(x.text, ts[i]), inTitle = count(x.title, ts[i]), inPage = count(x.page, ts[i]);
        if (!inText && !inTitle && !inPage) { return; }
        score += Math.min(inText, 3) + 5 * Math.min(inTitle, 1) + 2 * Math.min(inPage, 1);   // headings weigh most
      }
      if (index.pages[x.s.page].kind !== "chapter") { score = score / 4; }   // chapters before the sources page
      hits.push({ x: x, score: score, order: order });
    });
    hits.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return { terms: ts, hits: hits };
  }

  // A short excerpt around the first match, with every match marked.
  function snippet(x, ts) {
    var text = x.s.text, folded = x.text, first = -1;
    ts.forEach(function (t) {
      var at = folded.indexOf(t);
      if (at !== -1 && (first === -1 || at < first)) { first = at; }
    });
    var p = document.createElement("p");
    p.className = "snippet";
    if (first === -1) { p.textContent = text.slice(0, 160) + (text.length > 160 ? "…" : ""); return p; }
    var start = Math.max(0, first - 70), end = Math.min(text.length, first + 130);
    if (start > 0) { var sp = text.indexOf(" ", start); if (sp !== -1 && sp < first) { start = sp + 1; } }
    if (end < text.length) { var ep = text.lastIndexOf(" ", end); if (ep > first) { end = ep; } }
    var piece = text.slice(start, end), fpiece = folded.slice(start, end);
    var marks = [];
    ts.forEach(function (t) {
      var at = fpiece.indexOf(t);
      while (at !== -1) { marks.push([at, at + t.length]); at = fpiece.indexOf(t, at + t.length); }
    });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    if (start > 0) { p.appendChild(document.createTextNode("…")); }
    var pos = 0;
    marks.forEach(function (m) {
      if (m[0] < pos) { return; }
      p.appendChild(document.createTextNode(piece.slice(pos, m[0])));
      var mark = document.createElement("mark");
      mark.textContent = piece.slice(m[0], m[1]);
      p.appendChild(mark);
      pos = m[1];
    });
    p.appendChild(document.createTextNode(piece.slice(pos) + (end < text.length ? "…" : "")));
    return p;
  }

  function render(q) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var result = search(q);
    if (!result.terms.length) { status.textContent = "Type a word to search all chapters."; return; }
    var n = result.hits.length;
    status.textContent = n === 0 ? "No sections match “" + q + "”."
      : n + (n === 1 ? " section matches" : " sections match") + " “" + q + "”" + (n > MAX ? "; the first " + MAX + " are shown." : ".");
    result.hits.slice(0, MAX).forEach(function (h) {
      var li = document.createElement("li");
      var a = document.createElement("a");
      var page = index.pages[h.x.s.page];
      a.href = page.url + "#" + encodeURIComponent(h.x.s.anchor);
      a.textContent = h.x.s.title === page.title ? page.title : page.title + " › " + h.x.s.title;
      li.appendChild(a);
      li.appendChild(snippet(h.x, result.terms));
      list.appendChild(li);
    });
  }

  var q = window.URLSearchParams ? (new URLSearchParams(window.location.search).get("q") || "") : "";
  input.value = q;
  render(q);
  var timer = null;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () { render(input.value); }, 150);
  });
  input.form.addEventListener("submit", function (e) {
    e.preventDefault();
    render(input.value);
  });
})();
