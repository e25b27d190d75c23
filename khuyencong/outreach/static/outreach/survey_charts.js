// Draws one bar chart per choice question of a survey; the data come from the page's
// <script type="application/json" id="survey-charts"> block (no inline script: the CSP forbids it).
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("survey-charts");
    if (!source || typeof Chart === "undefined") { return; }
    var charts = JSON.parse(source.textContent);
    charts.forEach(function (c) {
      var canvas = document.getElementById(c.id);
      if (!canvas) { return; }
      new Chart(canvas, {
        type: "bar",
        data: { labels: c.labels, datasets: [{ data: c.counts, backgroundColor: "rgba(13, 110, 253, 0.7)" }] },
        options: {
          indexAxis: c.horizontal ? "y" : "x",
          maintainAspectRatio: false,
          plugins: { legend: { display: false } },
          scales: { x: { beginAtZero: true, ticks: { precision: 0 } }, y: { beginAtZero: true, ticks: { precision: 0 } } }
        }
      });
    });
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
