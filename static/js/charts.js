// Draw every server-built plotly figure on the page. Figures arrive as inert JSON in
// <script type="application/json">; nothing here evaluates user text as HTML.
(function () {
  "use strict";
  var me = document.getElementById("charts-js");
  var topojsonURL = me ? me.getAttribute("data-topojson") : undefined;
  function draw(el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source) return;
    var fig = JSON.parse(source.textContent);
    var config = {responsive: true, displaylogo: false, topojsonURL: topojsonURL,
                  modeBarButtonsToRemove: ["lasso2d", "select2d"]};
    Plotly.newPlot(el, fig.data, fig.layout, config);
  }
  function drawAll() {
    document.querySelectorAll("[data-figure]").forEach(draw);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", drawAll);
  } else {
    drawAll();
  }
})();
