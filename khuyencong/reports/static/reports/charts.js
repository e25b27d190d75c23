/* Charts of the programme summary. Data comes from <script type="application/json" id="report-data"> (no inline script: CSP). */
(function () {
  "use strict";
  var data = null;
  function billions(value) {
    return (value / 1e9).toLocaleString(data.locale || "vi-VN", { maximumFractionDigits: 2 }) + " " + (data.billions || "tỷ");
  }
  /* Responsive: each chart follows its box (.chart-box, whose CSS lets it shrink inside the grid), and on a phone
     the legend and the year labels take less room. */
  var common = {
    responsive: true,
    maintainAspectRatio: false,
    plugins: { legend: { labels: { boxWidth: 12 } } }
  };
  function options(extra) { return Object.assign({}, common, extra); }
  function draw() {
    var node = document.getElementById("report-data");
    if (!node || typeof Chart === "undefined") { return; }
    data = JSON.parse(node.textContent);
    var colours = ["#0d6efd", "#20c997", "#fd7e14", "#6f42c1", "#d63384"];
    var funding = document.getElementById("chart-funding");
    if (funding) {
      new Chart(funding, {
        type: "bar",
        data: {
          labels: data.funding.years,
          datasets: [
            { label: data.funding.labels.national, data: data.funding.national, backgroundColor: colours[0] },
            { label: data.funding.labels.local, data: data.funding.local, backgroundColor: colours[1] }
          ]
        },
        options: options({
          scales: { x: { stacked: true, ticks: { autoSkip: true } }, y: { stacked: true, ticks: { callback: billions } } },
          plugins: {
            legend: common.plugins.legend,
            tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + billions(ctx.parsed.y); } } }
          }
        })
      });
    }
    var rounds = document.getElementById("chart-rounds");
    if (rounds) {
      new Chart(rounds, {
        type: "bar",
        data: {
          labels: data.rounds.years,
          datasets: data.rounds.series.map(function (s, i) { return { label: s.label, data: s.values, backgroundColor: colours[i % colours.length] }; })
        },
        options: options({ scales: { x: { ticks: { autoSkip: true } }, y: { beginAtZero: true, ticks: { precision: 0 } } } })
      });
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", draw); } else { draw(); }
})();
