// Show each weight slider's value next to it.
document.querySelectorAll("input.weight").forEach(function (input) {
  var out = document.querySelector('output[for="' + input.id + '"]');
  input.addEventListener("input", function () { if (out) out.textContent = input.value; });
});
