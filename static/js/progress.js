// Poll running work (a recomputation, a briefing) and show its progress; reload the page when
// it is done. Every .progress[data-url] box on the page polls its own URL.
(function () {
function watch(box) {
  var bar = box.querySelector("progress"), label = box.querySelector(".progress-label");
  var url = box.getAttribute("data-url");
  function poll() {
    fetch(url, {credentials: "same-origin"}).then(function (r) { return r.json(); }).then(function (s) {
      if (s.total) { bar.max = s.total; bar.value = s.done || 0; }
      label.textContent = box.getAttribute("data-" + (s.state || "PENDING").toLowerCase()) || s.state;
      if (s.state === "SUCCESS") {
        bar.value = bar.max;
        window.location.replace(window.location.pathname);
      } else if (s.state === "FAILURE") {
        box.classList.add("failed");
      } else {
        setTimeout(poll, 700);
      }
    }).catch(function () { setTimeout(poll, 2000); });
  }
  poll();
}
document.querySelectorAll(".progress[data-url]").forEach(watch);
})();
