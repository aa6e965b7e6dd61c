// The site's only script (besides search). No network access, no external scripts, no innerHTML:
// text is set with textContent and markup is built with createElement or cloned from the page itself.
(function () {
  "use strict";
  document.documentElement.className += " js";

  function ready(fn) {
    if (document.readyState !== "loading") { fn(); } else { document.addEventListener("DOMContentLoaded", fn); }
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  // Contents sidebar: a disclosure on narrow screens.
  function navToggle() {
    var btn = document.querySelector(".nav-toggle");
    var nav = document.getElementById("sidebar");
    if (!btn || !nav) { return; }
    btn.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = nav.querySelector("a");
        if (first) { first.focus(); }
      }
    });
    nav.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) {
        nav.classList.remove("open");
        btn.setAttribute("aria-expanded", "false");
        btn.focus();
      }
    });
  }

  // The top-bar search box shows the current query on the search page.
  function searchBox() {
    var input = document.getElementById("q");
    if (!input || !window.URLSearchParams) { return; }
    var q = new URLSearchParams(window.location.search).get("q");
    if (q && document.body.classList.contains("page-search")) { input.value = q; }
  }

  // Fact provenance: each highlighted number is a link to its row in "Numbers in this chapter" (works
  // without script); with script it opens a small dialog in place, by mouse, touch or keyboard.
  function factPopovers() {
    var facts = document.querySelectorAll("a.fact[data-fact]");
    if (!facts.length) { return; }
    var pop = el("div", "fact-pop");
    pop.id = "fact-pop";
    pop.setAttribute("role", "dialog");
    pop.setAttribute("aria-labelledby", "fact-pop-title");
    pop.tabIndex = -1;
    pop.hidden = true;
    document.body.appendChild(pop);
    var current = null;

    function cellText(row, cls) {
      var cell = row ? row.querySelector("." + cls) : null;
      return cell ? cell.textContent : "";
    }

    function fill(link) {
      var fid = link.getAttribute("data-fact");
      var row = document.getElementById("fact-" + fid);
      while (pop.firstChild) { pop.removeChild(pop.firstChild); }
      pop.appendChild(el("p", "fact-pop-title", "Where this number comes from")).id = "fact-pop-title";
      pop.appendChild(el("p", "fact-pop-value", link.textContent));
      var dl = el("dl");
      function item(term, value) {
        dl.appendChild(el("dt", null, term));
        var dd = el("dd");
        if (typeof value === "string") { dd.textContent = value; } else { dd.appendChild(value); }
        dl.appendChild(dd);
      }
      item("Fact", el("code", null, fid));
      item("Year", cellText(row, "fact-year") || "–");
      item("Unit", cellText(row, "fact-unit") || "–");
      var sources = el("span");
      var cell = row ? row.querySelector(".fact-sources") : null;
      if (cell) {
        Array.prototype.forEach.call(cell.childNodes, function (n) { sources.appendChild(n.cloneNode(true)); });
      } else {
        var a = el("a", null, "Data sources");
        a.href = "sources.html";
        sources.appendChild(a);
      }
      item("Sources", sources);
      var note = row ? row.querySelector(".fact-note") : null;
      if (note) { item("Note", note.textContent); }
      pop.appendChild(dl);
      var more = el("p", "fact-pop-more");
      var all = el("a", null, "All numbers in this chapter");
      all.href = "#fact-" + fid;
      more.appendChild(all);
      pop.appendChild(more);
      var close = el("button", "fact-pop-close", "Close");
      close.type = "button";
      close.addEventListener("click", function () { hide(true); });
      pop.appendChild(close);
      all.addEventListener("click", function () { hide(false); });
    }

    function place(link) {
      var docEl = document.documentElement;
      var width = Math.min(352, docEl.clientWidth - 16);
      var r = link.getBoundingClientRect();
      var left = Math.max(8, Math.min(r.left, docEl.clientWidth - width - 8));
      pop.style.width = width + "px";
      pop.style.left = (left + window.pageXOffset) + "px";
      pop.style.top = (r.bottom + window.pageYOffset + 6) + "px";
    }

    function show(link) {
      if (current) { current.setAttribute("aria-expanded", "false"); }
      current = link;
      fill(link);
      pop.hidden = false;
      place(link);
      link.setAttribute("aria-expanded", "true");
      pop.focus();
    }

    function hide(refocus) {
      if (!current) { return; }
      var link = current;
      current = null;
      pop.hidden = true;
      link.setAttribute("aria-expanded", "false");
      if (refocus) { link.focus(); }
    }

    Array.prototype.forEach.call(facts, function (link) {
      link.setAttribute("role", "button");
      link.setAttribute("aria-haspopup", "dialog");
      link.setAttribute("aria-expanded", "false");
      link.setAttribute("aria-controls", "fact-pop");
      link.addEventListener("click", function (e) {
        e.preventDefault();
        if (current === link) { hide(true); } else { show(link); }
      });
      link.addEventListener("keydown", function (e) {
        if (e.key === " " || e.key === "Spacebar") { e.preventDefault(); link.click(); }
      });
    });
    pop.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); hide(true); }
    });
    document.addEventListener("click", function (e) {
      if (current && !pop.contains(e.target) && e.target !== current && !current.contains(e.target)) { hide(false); }
    });
    pop.addEventListener("focusout", function (e) {
      var to = e.relatedTarget;
      if (current && to && !pop.contains(to) && to !== current) { hide(false); }
    });
    window.addEventListener("resize", function () { if (current) { place(current); } });
  }

  ready(function () {
    navToggle();
    searchBox();
    factPopovers();
  });
})();
