// Every chart with its data: a "Chart / Table" switch and a "Download CSV" of exactly the numbers
// the figure plots, read from the figure JSON the page already carries (missions/templatetags/
// figures.py writes it next to each chart). The table is the chart's text alternative; it and
// the CSV are built here, in the browser, from that JSON: nothing is uploaded, nothing fetched,
// and nothing depends on plotly.js having loaded. Runs before charts.js (both deferred, in order).
//
// Which numbers: every trace a reader can hover (decorations with hoverinfo "skip", invisible
// hover helpers and text-only marks are left out) with its x, y (or z, lat/lon), text labels and
// customdata. Column headers come from the trace's meta.columns (set by the figure builders,
// translated there), else the axis titles, else the page's words (data-* on this script tag).
// Charts whose traces all share one category axis (stacked months, the pathway's years) become one
// wide table, a row per category and a column per trace; the others one row per point.
(function () {
  "use strict";
  var me = document.getElementById("chart-table-js");
  function word(name, fallback) { return (me && me.getAttribute("data-" + name)) || fallback; }
  var DTYPES = {i1: Int8Array, u1: Uint8Array, i2: Int16Array, u2: Uint16Array, i4: Int32Array,
                u4: Uint32Array, f4: Float32Array, f8: Float64Array};

  function plainText(markup) {
    // Figure text is escaped (as_text: &lt; for <) and may hold <br> or <b>: keep the words only.
    var doc = new DOMParser().parseFromString(String(markup).replace(/<br\s*\/?>/gi, " "), "text/html");
    return (doc.body.textContent || "").trim();
  }

  function decode(value) {
    // plotly.py 6+ writes numpy arrays as {dtype, bdata (base64), shape}; 2-D ones as rows.
    if (!value || typeof value !== "object" || !value.bdata) return value;
    var bytes = Uint8Array.from(atob(value.bdata), function (c) { return c.charCodeAt(0); });
    var flat = Array.prototype.slice.call(new DTYPES[value.dtype](bytes.buffer));
    if (!value.shape) return flat;
    var shape = String(value.shape).split(",").map(Number);
    if (shape.length < 2) return flat;
    var rows = [];
    for (var r = 0; r < shape[0]; r++) rows.push(flat.slice(r * shape[1], (r + 1) * shape[1]));
    return rows;
  }

  function titleOf(fig) {
    var title = fig.layout && fig.layout.title;
    var text = title && (typeof title === "string" ? title : title.text);
    return text ? plainText(text) : "";
  }

  function axisTitle(fig, trace, letter) {
    var ref = trace[letter + "axis"] || letter;  // "x", "x2" -> layout.xaxis, layout.xaxis2
    var axis = fig.layout[letter + "axis" + ref.slice(1)] || {};
    var title = axis.title;
    return plainText(title && (typeof title === "string" ? title : title.text) || "");
  }

  function isDate(value) { return typeof value === "string" && /^\d{4}-\d{2}-\d{2}/.test(value); }
  function isMonth(value) { return typeof value === "string" && /^\d{4}-\d{2}-01(T00:00:00)?$/.test(value); }

  function kind(values) {
    var first = (values || []).find(function (v) { return v !== null && v !== undefined; });
    return isDate(first) ? "date" : typeof first === "number" ? "number" : "category";
  }

  function dataTraces(fig) {
    return (fig.data || []).filter(function (t) {
      return t.visible !== false && t.hoverinfo !== "skip" && t.mode !== "text" &&
             !(t.marker && t.marker.opacity === 0);
    });
  }

  function headerFor(fig, trace, key, values) {
    var named = trace.meta && trace.meta.columns && trace.meta.columns[key];
    if (named) return plainText(named);
    if (key === "x" || key === "y") {
      var valueKey = trace.orientation === "h" ? "x" : "y";
      var monthly = kind(values) === "date" && values.every(function (v) { return v === null || isMonth(v); });
      return axisTitle(fig, trace, key) || (key === valueKey && plainText(trace.name || "")) ||
        (monthly ? word("month", "month") : "") ||
        {date: word("date", "date"), number: word("value", "value"), category: word("category", "category")}[kind(values)];
    }
    if (key === "z") {
      var bar = trace.colorbar && trace.colorbar.title;
      return plainText(bar && (typeof bar === "string" ? bar : bar.text) || "") || word("value", "value");
    }
    return {text: word("label", "label"), lat: word("latitude", "latitude"), lon: word("longitude", "longitude"),
            base: word("base", "base")}[key] || key;
  }

  function column(values, n) {
    // A scalar (a bar's shared base) repeated, an array as it is.
    values = decode(values);
    if (values === undefined || values === null) return null;
    if (!Array.isArray(values)) return Array.from({length: n}, function () { return values; });
    return values;
  }

  function pointColumns(fig, trace) {
    // [{header, values}] for one trace, one value per point, the category first.
    var keys;
    if (trace.type === "scattergeo") keys = ["text", "lat", "lon"];
    else if (trace.orientation === "h") keys = ["y", "text", "x", "base"];
    else keys = ["text", "x", "y", "base"];  // a labelled point is named by its label first
    var main = decode(trace.type === "scattergeo" ? trace.lat : trace.orientation === "h" ? trace.y : trace.x) || [];
    var n = main.length || (decode(trace.y) || []).length;
    var cols = [];
    keys.forEach(function (key) {
      var values = column(trace[key], n);
      if (!values || (key === "text" && values.every(function (v) { return v === "" || v === null; }))) return;
      cols.push({header: headerFor(fig, trace, key, values), values: values});
    });
    var custom = decode(trace.customdata);
    if (custom) {
      var width = Array.isArray(custom[0]) ? custom[0].length : 1;
      var names = (trace.meta && trace.meta.columns && trace.meta.columns.customdata) || [];
      for (var k = 0; k < width; k++) {
        cols.push({header: plainText(names[k] || "") || word("detail", "detail") + " " + (k + 1),
                   values: custom.map(function (row) { return Array.isArray(row) ? row[k] : row; })});
      }
    }
    return cols;
  }

  function heatmapColumns(fig, trace) {
    // One row per cell: its row name, its column name, z, and the cell's customdata.
    var z = decode(trace.z) || [], x = decode(trace.x) || [], y = decode(trace.y) || [];
    var custom = decode(trace.customdata);
    var cells = {x: [], y: [], z: [], custom: []};
    z.forEach(function (row, i) {
      row.forEach(function (value, j) {
        cells.y.push(y[i]); cells.x.push(x[j]); cells.z.push(value);
        cells.custom.push(custom ? custom[i][j] : null);
      });
    });
    var cols = [{header: headerFor(fig, trace, "y", y), values: cells.y},
                {header: headerFor(fig, trace, "x", x), values: cells.x},
                {header: headerFor(fig, trace, "z", cells.z), values: cells.z}];
    if (custom) {
      var width = Array.isArray(cells.custom[0]) ? cells.custom[0].length : 1;
      var names = (trace.meta && trace.meta.columns && trace.meta.columns.customdata) || [];
      for (var k = 0; k < width; k++) {
        cols.push({header: plainText(names[k] || "") || word("detail", "detail") + " " + (k + 1),
                   values: cells.custom.map(function (c) { return Array.isArray(c) ? c[k] : c; })});
      }
    }
    return cols;
  }

  function wide(fig, traces) {
    // Traces that share a category axis and carry one number per category: one row per category.
    var letter = traces[0].orientation === "h" ? "y" : "x";
    var other = letter === "x" ? "y" : "x";
    var keys = [], rows = {};
    traces.forEach(function (t) {
      (decode(t[letter]) || []).forEach(function (c) {
        if (!(c in rows)) { rows[c] = {}; keys.push(c); }
      });
    });
    var sample = keys.slice(0, 3);
    if (kind(sample) === "date") keys.sort();
    if (readingOrder(fig, traces[0], 2)[0] === 1) keys.reverse();
    var units = {};
    traces.forEach(function (t) { units[axisTitle(fig, t, other)] = true; });
    var oneUnit = Object.keys(units).length === 1;
    var header = [headerFor(fig, traces[0], letter, keys)];
    traces.forEach(function (t, k) {
      var name = plainText(t.name || "") || headerFor(fig, t, other, []);
      var unit = axisTitle(fig, t, other);
      header.push(!oneUnit && unit && name.indexOf(unit) === -1 ? name + " (" + unit + ")" : name);
      var cats = decode(t[letter]) || [], values = decode(t[other]) || [];
      cats.forEach(function (c, i) { rows[c][k] = values[i]; });
    });
    return {header: header, rows: keys.map(function (c) {
      return [c].concat(traces.map(function (t, k) { return k in rows[c] ? rows[c][k] : null; }));
    })};
  }

  function shareCategories(traces) {
    if (traces.length < 2) return false;
    var h = traces[0].orientation === "h";
    return traces.every(function (t) {
      var hasExtra = t.customdata !== undefined || (Array.isArray(t.text) && t.text.some(Boolean)) ||
                     t.base !== undefined;
      return (t.type === "bar" || t.type === "scatter") && (t.orientation === "h") === h && !hasExtra;
    });
  }

  function readingOrder(fig, trace, n) {
    // Horizontal bars list their first category at the bottom: the table reads top down, as the
    // chart does (unless the axis is already reversed).
    var order = Array.from({length: n}, function (_, i) { return i; });
    var axis = fig.layout["yaxis" + (trace.yaxis || "y").slice(1)] || {};
    var upward = (trace.type === "bar" || trace.type === "waterfall") && trace.orientation === "h";
    return upward && axis.autorange !== "reversed" ? order.reverse() : order;
  }

  function tabulate(fig) {
    // The figure's plotted numbers as {header: [...], rows: [[...]]} (raw values, not formatted).
    var traces = dataTraces(fig);
    if (shareCategories(traces)) return wide(fig, traces);
    var header = [], rows = [];
    var series = traces.length > 1;
    if (series) header.push(word("series", "series"));
    traces.forEach(function (t) {
      var cols = t.type === "heatmap" ? heatmapColumns(fig, t) : pointColumns(fig, t);
      var mine = [];
      var at = cols.map(function (c) {
        // Two columns of one trace never share a header (and so a column).
        while (mine.indexOf(c.header) !== -1) c.header += " ";
        mine.push(c.header);
        var k = header.indexOf(c.header);
        if (k === -1) { header.push(c.header); k = header.length - 1; }
        return k;
      });
      var n = Math.max.apply(null, cols.map(function (c) { return c.values.length; }).concat([0]));
      var order = readingOrder(fig, t, n);
      order.forEach(function (i) {
        var row = {};
        if (series) row[0] = plainText(t.name || "");
        cols.forEach(function (c, j) { row[at[j]] = c.values[i]; });
        rows.push(row);
      });
    });
    var table = {header: header, rows: rows.map(function (row) {
      return header.map(function (_, k) { return k in row ? row[k] : null; });
    })};
    // The series goes second: each row is named by its point (a mission, a month), not its group.
    if (series && header.length > 2) {
      [table.header].concat(table.rows).forEach(function (row) { row.splice(1, 0, row.shift()); });
    }
    return table;
  }

  // ---- showing and saving ----

  function separators(fig) {
    // The chart's own separators (layout.separators: decimal then thousands), else the point and
    // comma that English and Mexican Spanish both write.
    var s = fig.layout && fig.layout.separators;
    return {decimal: (s && s[0]) || ".", thousands: (s && s.length > 1) ? s[1] : ","};
  }

  function cellText(value, sep, months, name) {
    if (value === null || value === undefined || (typeof value === "number" && isNaN(value))) return "–";
    if (typeof value === "number" && name && Number.isInteger(value)) return String(value);  // a year, a rank
    if (typeof value === "number") {
      var digits = Number.isInteger(value) || Math.abs(value) >= 1000 ? 0 : Math.abs(value) >= 100 ? 1 : 4;
      var text = value.toLocaleString("en-US", {maximumFractionDigits: digits,
                                                 maximumSignificantDigits: digits === 4 ? 4 : undefined});
      return text.replace(/[.,]/g, function (c) { return c === "." ? sep.decimal : sep.thousands; });
    }
    if (isDate(value)) return months ? value.slice(0, 7) : value.replace(/T00:00:00$/, "");
    return plainText(value);
  }

  function buildTable(fig, caption) {
    var data = tabulate(fig), sep = separators(fig);
    var table = document.createElement("table");
    table.className = "data compact chart-data";
    var cap = document.createElement("caption");
    cap.textContent = caption;
    table.appendChild(cap);
    var head = table.createTHead().insertRow();
    var numeric = data.header.map(function (_, k) {
      return data.rows.length && data.rows.every(function (r) { return r[k] === null || typeof r[k] === "number"; });
    });
    // Months: every date the first of its month (monthly series) shows as YYYY-MM.
    var months = data.header.map(function (_, k) {
      return data.rows.length && data.rows.every(function (r) {
        return r[k] === null || isMonth(r[k]);
      });
    });
    data.header.forEach(function (text, k) {
      var th = document.createElement("th");
      th.scope = "col";
      th.textContent = text;
      if (numeric[k]) th.className = "num";
      head.appendChild(th);
    });
    var body = table.createTBody();
    data.rows.forEach(function (row) {
      var tr = body.insertRow();
      row.forEach(function (value, k) {
        var cell = k === 0 ? document.createElement("th") : tr.insertCell();
        if (k === 0) { cell.scope = "row"; tr.appendChild(cell); }
        cell.textContent = cellText(value, sep, months[k], k === 0);
        if (numeric[k]) cell.className = "num";
      });
    });
    return table;
  }

  function csvField(value) {
    if (value === null || value === undefined || (typeof value === "number" && isNaN(value))) return "";
    var text = typeof value === "number" ? String(value) : isDate(value) ? value.replace(/T00:00:00$/, "")
      : plainText(value);
    // A spreadsheet runs a cell that starts with = + - @ as a formula: not for text from the data.
    if (typeof value !== "number" && /^[=+\-@]/.test(text)) text = "'" + text;
    return /[",\n\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }

  function toCSV(fig) {
    var data = tabulate(fig);
    return [data.header].concat(data.rows).map(function (row) { return row.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }

  function filename(title, id) {
    var slug = (title || id).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 70).replace(/-+$/, "");
    return (slug || id) + ".csv";
  }

  function download(fig, title, id) {
    // UTF-8 with a byte-order mark, so a spreadsheet reads the Spanish accents right.
    var blob = new Blob(["\ufeff" + toCSV(fig)], {type: "text/csv;charset=utf-8"});
    var link = document.createElement("a");
    link.href = URL.createObjectURL(blob);
    link.download = filename(title, id);
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(link.href); }, 1000);
  }

  function caption(el, fig) {
    var title = titleOf(fig);
    if (title) return title;
    var card = el.closest("section, .card");
    var heading = card && card.querySelector("h2, h3");
    return heading ? heading.textContent.trim() : "";
  }

  function ensureTitle(el, fig) {
    // The figure's title as the chart's heading, drawn by the page before plotly loads (charts.js
    // then leaves the heading alone and clears the title inside the plot).
    var text = titleOf(fig);
    if (!text || document.getElementById(el.id + "-title")) return;
    var heading = document.createElement("p");
    heading.className = "chart-title";
    heading.id = el.id + "-title";
    heading.textContent = text;
    el.parentNode.insertBefore(heading, el);
  }

  function button(text, pressed) {
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = text;
    if (pressed !== null) b.setAttribute("aria-pressed", pressed ? "true" : "false");
    return b;
  }

  function equip(el) {
    var source = document.getElementById(el.getAttribute("data-figure"));
    if (!source || el.getAttribute("data-table") === "ready") return;
    var fig;
    try { fig = JSON.parse(source.textContent); } catch (e) { return; }
    fig.layout = fig.layout || {};
    ensureTitle(el, fig);
    var name = caption(el, fig);
    var bar = document.createElement("div");
    bar.className = "chart-switch";
    bar.id = el.id + "-switch";
    bar.setAttribute("role", "group");
    bar.setAttribute("aria-label", word("view", "View") + (name ? ": " + name : ""));
    var asChart = button(word("chart", "Chart"), true);
    var asTable = button(word("table", "Table"), false);
    var csv = button(word("csv", "Download CSV"), null);
    csv.className = "csv";
    bar.appendChild(asChart);
    bar.appendChild(asTable);
    bar.appendChild(csv);
    el.parentNode.insertBefore(bar, el);
    var box = document.createElement("div");
    box.className = "table-scroll chart-table";
    box.id = el.id + "-table";
    box.hidden = true;
    box.tabIndex = 0;  // a scrolling box the keyboard can scroll
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", (word("table", "Table") + ": " + name).trim());
    el.parentNode.insertBefore(box, el.nextSibling);
    asTable.setAttribute("aria-controls", box.id);
    asChart.setAttribute("aria-controls", el.id);

    function show(table) {
      if (table && !box.firstChild) box.appendChild(buildTable(fig, name));
      box.hidden = !table;
      el.hidden = table;
      asChart.setAttribute("aria-pressed", table ? "false" : "true");
      asTable.setAttribute("aria-pressed", table ? "true" : "false");
      // A window resized while the chart was hidden: the chart takes its container's width again,
      // at its own height (plotly's resize would take the box's min-height instead).
      var drawn = el._fullLayout;
      if (!table && window.Plotly && drawn && Math.abs(drawn.width - el.clientWidth) > 1) {
        var height = drawn.height;
        window.Plotly.Plots.resize(el).then(function () {
          if (el._fullLayout.height !== height) window.Plotly.relayout(el, {height: height});
        });
      }
    }
    asChart.addEventListener("click", function () { show(false); });
    asTable.addEventListener("click", function () { show(true); });
    csv.addEventListener("click", function () { download(fig, titleOf(fig) || name, el.id); });
    el.setAttribute("data-table", "ready");
  }

  function equipAll() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-figure]"), equip);
  }

  // For tests and the console: the rows a chart's CSV holds.
  window.pkoChartTable = {tabulate: tabulate, toCSV: toCSV};

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", equipAll);
  else equipAll();
})();
