// Turn the ticked rows into ?ids=1,2,3 so the comparison URL is short and shareable.
(function () {
  var form = document.getElementById("compare-form");
  if (!form) return;
  form.addEventListener("submit", function () {
    var ids = Array.prototype.map.call(form.querySelectorAll("input[name=pick]:checked"), function (b) { return b.value; });
    document.getElementById("compare-ids").value = ids.join(",");
    form.querySelectorAll("input[name=pick]").forEach(function (b) { b.disabled = true; });
  });
})();
