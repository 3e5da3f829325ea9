// Staff performance page: draws the weekly acceptance rate as a line chart from the
// figures of the table below it (json_script "acceptance-weekly"). Without this script,
// or without Chart.js, the table alone shows them and the chart stays hidden.
(function () {
  "use strict";
  var data = document.getElementById("acceptance-weekly");
  var figure = document.getElementById("acceptance-chart");
  var canvas = document.getElementById("chart-acceptance");
  if (!data || !figure || !canvas || !window.Chart) return;
  var weeks = JSON.parse(data.textContent);
  figure.hidden = false;
  new window.Chart(canvas, {
    type: "line",
    data: {
      labels: weeks.map(function (w) { return w.week; }),
      // Weeks without a decision are gaps (null), not 0 %.
      datasets: [{label: canvas.getAttribute("aria-label"), data: weeks.map(function (w) { return w.percent; }),
                  borderColor: "#1d4ed8", backgroundColor: "#1d4ed8", spanGaps: false}]
    },
    options: {responsive: true, maintainAspectRatio: false, animation: false,
              plugins: {legend: {display: false}},
              scales: {y: {min: 0, max: 100}}}
  });
})();
