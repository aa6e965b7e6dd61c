/* Filter the profile lists by name or ISO3 code, ignoring case, accents and the kind of apostrophe ("cote d'ivoire"
   finds "Côte d’Ivoire"); the lists work without it. */
(function () {
  "use strict";
  var input = document.getElementById("profile-q");
  var status = document.getElementById("profile-count");
  if (!input) { return; }
  function fold(s) {
    s = s.toLowerCase();
    if (s.normalize) { s = s.normalize("NFD").replace(/[\u0300-\u036f]/g, ""); }
    return s.replace(/[\u2018\u2019\u02bc\u0060\u00b4]/g, "'");
  }
  function apply() {
    var q = fold(input.value.trim());
    var shown = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".profile-region"), function (section) {
      var visible = 0;
      Array.prototype.forEach.call(section.querySelectorAll("li[data-name]"), function (li) {
        var match = !q || fold(li.getAttribute("data-name")).indexOf(q) !== -1;
        li.hidden = !match;
        if (match) { visible += 1; }
      });
      section.hidden = visible === 0;
      shown += visible;
    });
    status.textContent = shown + (shown === 1 ? " country or area" : " countries and areas") + " shown";
  }
  input.addEventListener("input", apply);
})();
