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
