// A table wider than its box scrolls sideways (.scroll); a keyboard user scrolls it only if the box
// can take focus. Boxes that overflow and hold nothing focusable become named, focusable regions.
(function () {
  "use strict";
  var FOCUSABLE = "a[href], button, input, select, textarea, [tabindex]";
  function name(box) {
    var caption = box.querySelector("caption");
    if (caption) return caption.textContent.trim();
    var card = box.closest("section, .card");
    var heading = card && card.querySelector("h1, h2, h3");
    return heading ? heading.textContent.trim() : document.title;
  }
  function mark() {
    Array.prototype.forEach.call(document.querySelectorAll(".scroll, .table-scroll"), function (box) {
      if (box.scrollWidth <= box.clientWidth || box.querySelector(FOCUSABLE) || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      box.setAttribute("role", "region");
      box.setAttribute("aria-label", name(box));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
  window.addEventListener("resize", mark);
})();
