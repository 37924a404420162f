// On narrow screens the top menu folds behind a button (app.css decides when); this opens and
// closes it. Without scripts, a <noscript> style in base.html keeps the menu open instead.
(function () {
  "use strict";
  var bar = document.querySelector(".topbar");
  var button = bar && bar.querySelector(".menu-button");
  if (!button) return;
  function set(open) {
    bar.classList.toggle("menu-open", open);
    button.setAttribute("aria-expanded", open ? "true" : "false");
  }
  button.addEventListener("click", function () { set(!bar.classList.contains("menu-open")); });
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Escape" || !bar.classList.contains("menu-open")) return;
    set(false);
    button.focus();  // focus was inside the menu that just closed; give it back to its button
  });
})();
