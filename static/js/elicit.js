// Live feedback on the swing and rank forms: each category's resulting weight, as the server
// will compute it (weights/forms.py decides; this only shows). Rank: rank-order centroid, ties
// sharing the mean of their positions.
document.querySelectorAll(".elicit-grid[data-method]").forEach(function (grid) {
  var method = grid.dataset.method;
  var inputs = Array.prototype.slice.call(grid.querySelectorAll("input"));
  var outputs = inputs.map(function (input) {
    var out = document.createElement("output");
    out.className = "live hint";
    out.setAttribute("for", input.id);
    input.insertAdjacentElement("afterend", out);
    return out;
  });
  function values() {
    return inputs.map(function (input) { var v = parseFloat(input.value); return isFinite(v) ? v : null; });
  }
  function weights(v) {
    if (v.some(function (x) { return x === null; })) return null;
    var n = v.length;
    if (method === "swing") {
      var sum = v.reduce(function (a, b) { return a + b; }, 0);
      return sum > 0 ? v.map(function (x) { return x / sum; }) : null;
    }
    var order = v.map(function (x, i) { return i; }).sort(function (a, b) { return v[a] - v[b]; });
    var centroid = order.map(function (_, k) {
      var s = 0; for (var i = k + 1; i <= n; i++) s += 1 / i; return s / n;
    });
    var w = new Array(n);
    order.forEach(function (i, k) { w[i] = centroid[k]; });
    v.forEach(function (rank) {
      var tied = v.map(function (x, i) { return x === rank ? i : -1; }).filter(function (i) { return i >= 0; });
      var mean = tied.reduce(function (a, i) { return a + w[i]; }, 0) / tied.length;
      tied.forEach(function (i) { w[i] = mean; });
    });
    return w;
  }
  function update() {
    var w = weights(values());
    outputs.forEach(function (out, i) { out.textContent = w ? (100 * w[i]).toFixed(1) + "%" : ""; });
  }
  inputs.forEach(function (input) { input.addEventListener("input", update); });
  update();
});

// AHP: the consistency ratio and the weights as the analyst types, and the judgment that most
// breaks consistency, highlighted, with a button to go to it and one to take the value the other
// judgments imply. The same formulas as risks/engine/elicitation.py, approximately (the principal
// eigenvector by power iteration); the server validates and computes the numbers it saves.
(function () {
  var SCALE = [];
  for (var k = 9; k >= 2; k--) SCALE.push(1 / k);
  for (k = 1; k <= 9; k++) SCALE.push(k);

  function parse(text) {  // weights/forms.py judgment_value: '3', '1/3', '0,33'
    text = (text || "").trim().replace(",", ".");
    if (!text) return null;
    var value;
    if (text.indexOf("/") >= 0) {
      var parts = text.split("/");
      if (parts.length !== 2 || !/^\s*[0-9.]+\s*$/.test(parts[0]) || !/^\s*[0-9.]+\s*$/.test(parts[1])) return NaN;
      value = parseFloat(parts[0]) / parseFloat(parts[1]);
    } else {
      value = /^[+]?[0-9]*\.?[0-9]+(e[+-]?[0-9]+)?$/i.test(text) ? parseFloat(text) : NaN;
    }
    if (!(value > 0) || !isFinite(value) || value < 1 / 9 - 1e-3 || value > 9 + 1e-9) return NaN;
    return value;
  }

  function show(value) {  // weights/forms.py show: 3, 1/3 or 2.5
    if (value >= 1 - 1e-9) return Math.abs(value - Math.round(value)) > 1e-9 ? String(+value.toPrecision(6)) : String(Math.round(value));
    var inverse = 1 / value;
    return Math.abs(inverse - Math.round(inverse)) < 1e-6 ? "1/" + Math.round(inverse) : String(+value.toPrecision(3));
  }

  function snap(value) {
    var best = SCALE[0];
    SCALE.forEach(function (s) { if (Math.abs(Math.log(s) - Math.log(value)) < Math.abs(Math.log(best) - Math.log(value))) best = s; });
    return best;
  }

  // Principal eigenvector (normalised to sum 1) and lambda_max by power iteration; a positive
  // reciprocal matrix has a simple Perron root, so this converges.
  function principal(a) {
    var n = a.length, w = [], i, j, it;
    for (i = 0; i < n; i++) w.push(1 / n);
    for (it = 0; it < 500; it++) {
      var next = [], sum = 0, change = 0;
      for (i = 0; i < n; i++) { var s = 0; for (j = 0; j < n; j++) s += a[i][j] * w[j]; next.push(s); sum += s; }
      for (i = 0; i < n; i++) { next[i] /= sum; change = Math.max(change, Math.abs(next[i] - w[i])); }
      w = next;
      if (change < 1e-12) break;
    }
    var lambda = 0;
    for (i = 0; i < n; i++) { var row = 0; for (j = 0; j < n; j++) row += a[i][j] * w[j]; lambda += row / w[i]; }
    return {w: w, lambda: lambda / n};
  }

  function ratio(a, ri) {
    var n = a.length, p = principal(a);
    var ci = n > 1 ? Math.max(p.lambda - n, 0) / (n - 1) : 0;
    return {w: p.w, cr: ri ? ci / ri : 0};
  }

  // elicitation.worst_judgment: the judgment whose replacement by w_i / w_j, snapped to the
  // scale, lowers CR most.
  function worst(a, result, ri) {
    var best = null, n = a.length;
    for (var i = 0; i < n; i++) {
      for (var j = i + 1; j < n; j++) {
        var suggested = snap(result.w[i] / result.w[j]);
        if (Math.abs(suggested - a[i][j]) <= 1e-6) continue;
        var b = a.map(function (row) { return row.slice(); });
        b[i][j] = suggested; b[j][i] = 1 / suggested;
        var cr = ratio(b, ri).cr;
        if (cr < result.cr - 1e-6 && (best === null || cr < best.cr)) best = {i: i, j: j, suggested: suggested, cr: cr};
      }
    }
    return best;
  }

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, key) { return key in values ? values[key] : all; });
  }

  document.querySelectorAll(".ahp-live").forEach(function (panel) {
    var form = panel.closest("form");
    var inputs = Array.prototype.slice.call(form.querySelectorAll("input.judgment[data-i]"));
    if (!inputs.length) return;
    panel.hidden = false;
    var ri = parseFloat(panel.dataset.ri), limit = parseFloat(panel.dataset.limit);
    var n = 0;
    inputs.forEach(function (input) { n = Math.max(n, +input.dataset.j + 1); });
    var crOut = panel.querySelector(".cr"), status = panel.querySelector(".cr-status");
    var line = panel.querySelector(".worst-line"), text = panel.querySelector(".worst-text");
    var go = panel.querySelector("button.go"), use = panel.querySelector("button.use");
    var list = panel.querySelector(".live-weights");
    var items = Array.prototype.slice.call(list.querySelectorAll("li"));
    var target = null;

    function pairName(input) {
      var row = input.closest("tr");
      var cells = row ? row.querySelectorAll("td") : [];
      return cells.length >= 3 ? cells[0].textContent.trim() + " / " + cells[2].textContent.trim() : input.name;
    }

    function update() {
      inputs.forEach(function (input) { var row = input.closest("tr"); if (row) row.classList.remove("worst"); });
      line.hidden = true;
      target = null;
      var a = [], i, j, given = 0, bad = null;
      for (i = 0; i < n; i++) { a.push([]); for (j = 0; j < n; j++) a[i].push(i === j ? 1 : null); }
      inputs.forEach(function (input) {
        var value = parse(input.value);
        if (value === null) return;
        if (isNaN(value)) { if (!bad) bad = input; return; }
        a[+input.dataset.i][+input.dataset.j] = value;
        a[+input.dataset.j][+input.dataset.i] = 1 / value;
        given++;
      });
      if (bad || given < inputs.length) {
        crOut.textContent = "–";
        crOut.className = "cr";
        status.textContent = bad ? fill(panel.dataset.invalid, {pair: pairName(bad)})
          : fill(panel.dataset.missing, {n: given, total: inputs.length});
        items.forEach(function (item) { item.querySelector("output").textContent = "–"; });
        return;
      }
      var result = ratio(a, ri);
      var ok = result.cr <= limit + 1e-12;
      crOut.textContent = result.cr.toFixed(2);
      crOut.className = "cr " + (ok ? "ok" : "bad");
      status.textContent = ok ? panel.dataset.ok : panel.dataset.bad;
      items.sort(function (x, y) { return result.w[+y.dataset.k] - result.w[+x.dataset.k]; });
      items.forEach(function (item) {
        item.querySelector("output").textContent = (100 * result.w[+item.dataset.k]).toFixed(1) + "%";
        list.appendChild(item);
      });
      if (ok) return;
      var fix = worst(a, result, ri);
      if (!fix) return;
      target = inputs.filter(function (input) { return +input.dataset.i === fix.i && +input.dataset.j === fix.j; })[0];
      if (!target) return;
      var row = target.closest("tr");
      if (row) row.classList.add("worst");
      var names = pairName(target).split(" / ");
      text.textContent = fill(panel.dataset.worst, {a: names[0], b: names[1], current: show(a[fix.i][fix.j]),
                                                   suggested: show(fix.suggested), cr: fix.cr.toFixed(2)});
      use.textContent = fill(panel.dataset.use, {suggested: show(fix.suggested)});
      use.dataset.value = show(fix.suggested);
      line.hidden = false;
    }

    go.addEventListener("click", function () { if (target) { target.focus(); target.select(); } });
    use.addEventListener("click", function () {
      if (!target) return;
      var input = target;
      input.value = use.dataset.value;
      update();
      input.focus();
    });
    inputs.forEach(function (input) { input.addEventListener("input", update); });
    update();
  });

  // "Go to" links in the error box move the focus to the judgment, not only the view.
  document.querySelectorAll("a.go-to[data-focus]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.dataset.focus);
      if (!input) return;
      event.preventDefault();
      history.replaceState(null, "", "#" + input.id);
      input.focus();
      input.select();
    });
  });
})();
