/* Filter the profile lists by name or ISO3 code (the lists work without it). */
(function () {
  "use strict";
  var input = document.getElementById("profile-q");
  var status = document.getElementById("profile-count");
  if (!input) { return; }
  function apply() {
    var q = input.value.trim().toLowerCase();
    var shown = 0;
    Array.prototype.forEach.call(document.querySelectorAll(".profile-region"), function (section) {
      var visible = 0;
      Array.prototype.forEach.call(section.querySelectorAll("li[data-name]"), function (li) {
        var match = !q || li.getAttribute("data-name").indexOf(q) !== -1;
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
