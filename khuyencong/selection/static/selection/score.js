// Score form: Ctrl+S saves a draft (htmx), the total follows what is typed (comma or dot), and sealing asks
// first (data-confirm): a sealed sheet cannot be changed. The check runs in the capture phase, before htmx
// or the browser submit the form, so a dismissed dialog sends nothing.
(function () {
  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-confirm]");
    if (b && !window.confirm(b.getAttribute("data-confirm"))) {
      e.preventDefault();
      e.stopImmediatePropagation();
    }
  }, true);
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
  // The server checks each criterion's points as they are typed (htmx swaps its message under the
  // criterion): the field is marked invalid while a message stands.
  document.addEventListener("htmx:afterSettle", function () {
    document.querySelectorAll("input.points").forEach(function (i) {
      var err = document.getElementById("err_" + i.id.slice(2));
      var bad = !!(err && err.getAttribute("data-error"));
      i.classList.toggle("is-invalid", bad);
      i.setAttribute("aria-invalid", bad ? "true" : "false");
    });
  });
})();
