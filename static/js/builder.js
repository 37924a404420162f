// Show each weight slider's value next to it.
document.querySelectorAll("input.weight").forEach(function (input) {
  var out = document.querySelector('output[for="' + input.id + '"]');
  input.addEventListener("input", function () { if (out) out.textContent = input.value; });
});

// A saved weight set replaces the sliders: show its weights on them (the largest at 100%).
(function () {
  var select = document.getElementById("id_weight_set");
  var data = document.getElementById("weight-set-sliders");
  if (!select || !data) return;
  var sets = JSON.parse(data.textContent);
  select.addEventListener("change", function () {
    var weights = sets[select.value];
    if (!weights) return;
    Object.keys(weights).forEach(function (code) {
      var input = document.getElementById("id_w_" + code);
      if (!input) return;
      input.value = weights[code];
      input.dispatchEvent(new Event("input"));
    });
  });
})();

// What the rules say while the analyst chooses: the server judges the choices with the one
// feasibility rule (GET checks.json) and returns the panel's HTML and each mission's verdict;
// this only asks and shows. Without JavaScript the "Check these choices" button does the same.
(function () {
  var panel = document.getElementById("rule-checks");
  var form = panel && panel.closest("form");
  if (!form) return;
  var results = panel.querySelector(".rule-results");
  var fallback = panel.querySelector(".no-js-check");
  if (fallback) fallback.hidden = true;
  var FIELDS = ["mode", "size", "duration_months", "functions", "strict_gates", "missions"];
  var latest = null, asked = 0, timer = null;

  function query() {
    var params = new URLSearchParams();
    FIELDS.forEach(function (name) {
      form.querySelectorAll('[name="' + name + '"]').forEach(function (field) {
        if ((field.type === "checkbox" || field.type === "radio") && !field.checked) return;
        if (field.value !== "") params.append(name, field.value);
      });
    });
    return params.toString();
  }

  function badges(missions) {
    var byId = {};
    Object.keys(missions).forEach(function (acronym) { byId[String(missions[acronym].id)] = missions[acronym]; });
    form.querySelectorAll('input[name="missions"]').forEach(function (box) {
      var label = box.closest("label");
      if (!label) return;
      var old = label.querySelector(".verdict-tag");
      if (old) old.remove();
      var check = byId[box.value];
      if (!check) return;
      var tag = document.createElement("span");
      tag.className = "verdict-tag " + check.verdict;
      tag.textContent = check.label;
      label.appendChild(tag);
    });
  }

  function update() {
    var mine = ++asked;
    panel.setAttribute("aria-busy", "true");
    fetch(panel.dataset.url + "?" + query(), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { if (!response.ok) throw new Error(response.status); return response.json(); })
      .then(function (data) {
        if (mine !== asked) return;  // a later question is on its way
        latest = data;
        results.innerHTML = data.html;  // rendered and escaped by the server's template
        badges(data.missions);
      })
      .catch(function () { if (mine === asked) results.textContent = panel.dataset.failed; })
      .finally(function () { if (mine === asked) panel.removeAttribute("aria-busy"); });
  }

  function soon() {
    clearTimeout(timer);
    timer = setTimeout(update, 300);
  }

  form.addEventListener("change", function (event) {
    if (FIELDS.indexOf(event.target.name) >= 0) soon();
  });
  form.addEventListener("input", function (event) {
    if (event.target.name === "size" || event.target.name === "duration_months") soon();
  });
  // "Untick the infeasible missions": done here, then asked again.
  panel.addEventListener("click", function (event) {
    var button = event.target.closest('button[name="drop_infeasible"]');
    if (!button || !latest) return;
    event.preventDefault();
    var infeasible = {};
    Object.keys(latest.missions).forEach(function (acronym) {
      var check = latest.missions[acronym];
      if (check.verdict === "infeasible") infeasible[String(check.id)] = true;
    });
    form.querySelectorAll('input[name="missions"]:checked').forEach(function (box) {
      if (infeasible[box.value]) box.checked = false;
    });
    update();
    panel.querySelector("h2").focus();  // the button is gone with the infeasible missions
  });
  update();
})();
