// Score form: Ctrl+S saves a draft (htmx), the total follows what is typed (comma or dot).
(function () {
  function total() {
    var sum = 0;
    document.querySelectorAll("input.points").forEach(function (i) {
      var v = parseFloat((i.value || "0").replace(",", "."));
      if (!isNaN(v)) sum += v;
    });
    var t = document.getElementById("live-total");
    if (t) t.textContent = (Math.round(sum * 100) / 100).toString().replace(".", ",");
  }
  document.addEventListener("keydown", function (e) {
    if ((e.ctrlKey || e.metaKey) && (e.key === "s" || e.key === "S")) {
      var b = document.getElementById("save-draft");
      if (b) { e.preventDefault(); b.click(); }
    }
  });
  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("input.points")) total();
  });
})();
