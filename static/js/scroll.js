// A table wider than its box scrolls sideways (in a .scroll box, or by itself on a phone: app.css);
// a keyboard user scrolls it only if the box can take focus. Boxes that overflow and hold nothing
// focusable become named, focusable regions (a table keeps its own role and just takes focus).
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
    Array.prototype.forEach.call(document.querySelectorAll(".scroll, .table-scroll, table.data"), function (box) {
      if (box.scrollWidth <= box.clientWidth || box.querySelector(FOCUSABLE) || box.hasAttribute("tabindex")) return;
      box.setAttribute("tabindex", "0");
      if (box.tagName !== "TABLE") box.setAttribute("role", "region");
      if (!box.querySelector("caption")) box.setAttribute("aria-label", name(box));
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", mark); else mark();
  window.addEventListener("resize", mark);
})();
