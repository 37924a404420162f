// Draw every server-built plotly figure on the page. Figures arrive as inert JSON in
// <script type="application/json">; nothing here evaluates user text as HTML.
//
// The page, not the figure, decides a few things: a figure's title becomes an HTML heading above
// the chart (it wraps on a phone, and plotly's toolbar or buttons can never cover it); the width
// always follows the container (responsive, no fixed width); Spanish pages get plotly's Spanish
// locale (month names, decimal comma); maps get the world outline from our hashed static file.
// A chart is drawn when it nears the viewport (the loading path at the end). When every chart is
// drawn the page says so (html[data-charts="drawn"] and a performance mark), which the browser
// tests and bench/bench_charts.py wait for after bringing each chart into view.
(function () {
  "use strict";
  var me = document.getElementById("charts-js");
  var locale = (me && me.getAttribute("data-locale")) || document.documentElement.lang || "en";
  var topojsonURL = me ? me.getAttribute("data-topojson") : null;
  var NARROW = 600;

  function plainText(markup) {
    // Titles hold escaped text (&lt; for <) and at most a <br>: decode into a text node.
    var doc = new DOMParser().parseFromString(String(markup).replace(/<br\s*\/?>/gi, " "), "text/html");
    return doc.body.textContent || "";
  }

  function titleAbove(el, layout) {
    var title = layout.title;
    var text = title && (typeof title === "string" ? title : title.text);
    if (!text) return;
    if (!document.getElementById(el.id + "-title")) {  // chart-table.js usually wrote it already
      var heading = document.createElement("p");
      heading.className = "chart-title";
      heading.textContent = plainText(text);
      heading.id = el.id + "-title";
      el.parentNode.insertBefore(heading, el);
    }
    layout.title = {text: ""};
    layout.margin = layout.margin || {};
    layout.margin.t = Math.max((layout.margin.t || 50) - 30, 24);  // room for the toolbar only
  }

  function ensureId(node, suffix) {
    if (!node.id) node.id = suffix;
    return node.id;
  }

  function nameAndDescribe(el) {
    // A chart is a figure (not an image: its toolbar buttons stay focusable inside it), named by
    // its title (the finding) or, untitled, by its card's heading, and described by the hints
    // next to it on the page (what is drawn, sources, gaps).
    el.setAttribute("role", "figure");
    var title = document.getElementById(el.id + "-title");
    if (!title) {
      var card = el.closest("section, .card");
      title = card && card.querySelector("h2, h3");
    }
    if (title) el.setAttribute("aria-labelledby", ensureId(title, el.id + "-title"));
    var hints = [];
    [["previousElementSibling", -1], ["nextElementSibling", 1]].forEach(function (way) {
      var node = el[way[0]];
      while (node && (node.tagName === "SCRIPT" || node.classList.contains("chart-title") ||
                      node.classList.contains("hint") || node.classList.contains("chart-switch") ||
                      node.classList.contains("chart-table"))) {
        if (node.classList.contains("hint")) hints.push(node);
        node = node[way[0]];
      }
    });
    if (hints.length) {
      el.setAttribute("aria-describedby", hints.map(function (hint, k) {
        return ensureId(hint, el.id + "-hint-" + k);
      }).join(" "));
    }
  }

  function wrap(text, chars) {
    // Category names are escaped text (as_text): break at spaces into lines of at most `chars`.
    var lines = [], line = "";
    String(text).split(" ").forEach(function (word) {
      if (line && (line + " " + word).length > chars) { lines.push(line); line = word; }
      else line = line ? line + " " + word : word;
    });
    if (line) lines.push(line);
    return lines;
  }

  function labelsAbove(fig, width) {
    // Horizontal bars (waterfall, tornado) with long names: on a phone a name beside its bar
    // leaves the bar a few pixels and is cut at the left edge. Each name goes above its bar,
    // wrapped to the width, and the bars take the whole width.
    var bars = fig.data.filter(function (t) {
      return (t.type === "bar" || t.type === "waterfall") && t.orientation === "h" && t.y;
    });
    var names = [];
    bars.forEach(function (t) {
      Array.prototype.forEach.call(t.y, function (y) { if (names.indexOf(y) === -1) names.push(y); });
    });
    var longest = Math.max.apply(null, names.map(function (n) { return String(n).length; }).concat([0]));
    if (!names.length || longest * 6.5 < width * 0.3) return;  // short names fit beside their bars
    var chars = Math.max(20, Math.floor((width - 24) / 6.2));
    var lines = 1;
    var layout = fig.layout;
    layout.annotations = (layout.annotations || []).concat(names.map(function (name) {
      var wrapped = wrap(name, chars);
      lines = Math.max(lines, wrapped.length);
      return {xref: "paper", x: 0, xanchor: "left", yref: "y", y: name, yanchor: "bottom", yshift: 9,
              text: wrapped.join("<br>"), showarrow: false, align: "left", font: {size: 11},
              bgcolor: "rgba(255,255,255,0.85)"};
    }));
    layout.yaxis = Object.assign({}, layout.yaxis, {showticklabels: false, automargin: false});
    layout.margin = Object.assign({}, layout.margin, {l: 8, r: 12});
    layout.bargap = layout.waterfallgap = 0.55;
    var row = 26 + 14 * lines;  // a bar of about 12 px, the name above it, a gap
    layout.height = names.length * row + (layout.margin.t || 24) + (layout.margin.b || 60) + 40;
  }

  function fitToWidth(el, fig) {
    var layout = fig.layout;
    delete layout.width;
    layout.autosize = true;
    var width = el.clientWidth;
    if (!width || width >= NARROW) return;
    if (layout.geo) {  // a world map is about twice as wide as tall; keep room for the legend
      layout.height = Math.round(width * 0.52) + 90;
    }
    if (layout.margin && layout.margin.l > width * 0.3) {
      layout.margin.l = Math.round(width * 0.3);  // long category labels still get automargin
    }
    labelsAbove(fig, width);
    layout.legend = layout.legend || {};
    layout.legend.font = {size: 11};
    fig.data.forEach(function (trace) {  // a colour bar at the side would take a third of the width
      if (trace.type !== "heatmap" || trace.showscale === false) return;
      trace.colorbar = Object.assign({}, trace.colorbar, {orientation: "h", x: 0, xanchor: "left", y: 1.02,
                                                          yanchor: "bottom", len: 1, thickness: 10});
      layout.margin = layout.margin || {};
      layout.margin.t = (layout.margin.t || 24) + 50;
      // Slanted column names reach far to the left and squeeze the cells into a third of the
      // width: upright names take height instead, and the cells the width.
      layout.xaxis = Object.assign({}, layout.xaxis, {tickangle: -90, automargin: true, tickfont: {size: 10}});
      layout.yaxis = Object.assign({}, layout.yaxis, {automargin: true, tickfont: {size: 10}});
      layout.margin.l = 8;
      layout.margin.b = 8;
      layout.margin.r = 8;
      var longest = Math.max.apply(null, (trace.x || []).map(function (x) { return String(x).length; }).concat([0]));
      layout.height = (layout.height || 420) + Math.round(longest * 6.5);
    });
  }

  function config() {
    return {
      responsive: true, displaylogo: false, locale: locale,
      // Nothing leaves the machine: plotly.js 4 offers "Share chart..." (an upload to its cloud) by default.
      showSendToCloud: false, plotlyServerURL: "",
      modeBarButtonsToRemove: ["lasso2d", "select2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "sendChartToCloud",
                               "toggleSpikelines", "hoverClosestCartesian", "hoverCompareCartesian"]
    };
  }

  function draw(chart) {
    var fig = JSON.parse(chart.json);
    titleAbove(chart.el, fig.layout);
    nameAndDescribe(chart.el);
    fitToWidth(chart.el, fig);
    return Plotly.newPlot(chart.el, fig.data, fig.layout, config());
  }

  function loadWorld() {
    // Plotly looks in PlotlyGeoAssets before fetching topojson itself (by an unhashed name).
    window.PlotlyGeoAssets = window.PlotlyGeoAssets || {topojson: {}};
    if (!topojsonURL || window.PlotlyGeoAssets.topojson.world_110m) return Promise.resolve();
    return fetch(topojsonURL, {credentials: "same-origin"})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (world) { if (world) window.PlotlyGeoAssets.topojson.world_110m = world; })
      .catch(function () { /* plotly then fetches it itself */ });
  }

  // ---- Loading path: plotly.js is fetched, and a chart drawn, only when a chart nears the
  // viewport. A phone that opens a page and reads its first screen downloads and runs none of
  // plotly's 1.4 MB; charts never scrolled to are never drawn. Each chart is drawn in a task of
  // its own, so a tap or a scroll is answered between two charts (bench/bench_lighthouse.py).
  var NEAR = "100% 0px";  // start one screen ahead, so a chart is usually drawn before it is seen
  var plotlyURL = me ? me.getAttribute("data-plotly") : null;
  var localeURL = me ? me.getAttribute("data-plotly-locale") : null;
  var plotlyLoading = null;

  function loadScript(url) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = url;
      script.async = false;  // run in insertion order: plotly, then its Spanish strings
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + url)); };
      document.head.appendChild(script);
    });
  }

  function loadPlotly() {
    if (!plotlyLoading) {
      if (window.performance && performance.mark) performance.mark("pko:charts-start");
      var scripts = [plotlyURL].concat(localeURL ? [localeURL] : []).filter(Boolean);
      plotlyLoading = Promise.all(scripts.map(loadScript));
    }
    return plotlyLoading;
  }

  function nextTask() {
    // A macrotask (not a microtask), so the browser may paint and handle input in between.
    return new Promise(function (resolve) { setTimeout(resolve, 0); });
  }

  function isMap(chart) { return chart.json.indexOf('"scattergeo"') !== -1; }

  function chartsOnPage() {
    return Array.prototype.map.call(document.querySelectorAll("[data-figure]"), function (el) {
      var source = document.getElementById(el.getAttribute("data-figure"));
      return {el: el, json: source ? source.textContent : "", done: null};
    }).filter(function (chart) { return chart.json; });
  }

  function lazyCharts() {
    var charts = chartsOnPage();
    if (!charts.length) return;
    var queue = Promise.resolve();

    function drawSoon(chart) {
      // Once per chart; charts queue behind each other, each in its own task after plotly loaded.
      if (chart.done) return chart.done;
      var world = isMap(chart) ? loadWorld() : null;  // the outline loads beside plotly
      chart.done = queue.then(loadPlotly).then(nextTask).then(function () { return world; })
        .then(function () { return draw(chart); });
      queue = chart.done.catch(function () { /* a chart that failed does not stop the next */ });
      chart.done.then(allDrawn, function () { /* no plotly (offline?): the hints still explain */ });
      return chart.done;
    }

    function allDrawn() {
      if (!charts.every(function (c) { return c.done; })) return;
      Promise.all(charts.map(function (c) { return c.done; })).then(function () {
        if (document.documentElement.getAttribute("data-charts") === "drawn") return;
        document.documentElement.setAttribute("data-charts", "drawn");
        if (window.performance && performance.mark) performance.mark("pko:charts-drawn");
      });
    }

    // Printing shows every chart, seen or not.
    window.addEventListener("beforeprint", function () { charts.forEach(drawSoon); });
    if (!("IntersectionObserver" in window)) {
      charts.forEach(drawSoon);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (!entry.isIntersecting) return;
        observer.unobserve(entry.target);
        charts.forEach(function (chart) { if (chart.el === entry.target) drawSoon(chart); });
      });
    }, {rootMargin: NEAR});
    charts.forEach(function (chart) { observer.observe(chart.el); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", lazyCharts);
  } else {
    lazyCharts();
  }
})();
