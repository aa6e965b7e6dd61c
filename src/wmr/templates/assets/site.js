// Contents toggle on narrow screens. No network access, no external scripts.
(function () {
  var btn = document.querySelector(".nav-toggle");
  var nav = document.getElementById("sidebar");
  if (btn && nav) {
    btn.addEventListener("click", function () {
      var open = nav.classList.toggle("open");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }
})();
