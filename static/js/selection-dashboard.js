// The selection dashboard's charts (ECharts, vendored): bars of counts, a line of votes.
(function () {
  "use strict";
  var source = document.getElementById("selection-chart-data");
  if (!source || !window.echarts) return;
  var data = JSON.parse(source.textContent);
  var charts = [];

  function bars(id, rows) {
    var el = document.getElementById(id);
    if (!el) return;
    var chart = echarts.init(el);
    chart.setOption({
      grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: true },
      tooltip: {},
      xAxis: { type: "category", data: rows.map(function (r) { return r[0]; }), axisLabel: { interval: 0, rotate: 30 } },
      yAxis: { type: "value", minInterval: 1 },
      series: [{ type: id === "chart-votes" ? "line" : "bar", data: rows.map(function (r) { return r[1]; }) }]
    });
    charts.push(chart);
  }

  bars("chart-channel", data.channel);
  bars("chart-category", data.category);
  bars("chart-status", data.status);
  bars("chart-votes", data.votes);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
