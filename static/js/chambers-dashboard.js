// Draws the chambers' dashboard from the JSON the view embeds: for each table, the first
// column along the axis and the columns marked as series, as bars or lines.
(function () {
  var data = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  var charts = [];
  Object.keys(data).forEach(function (key) {
    var spec = data[key];
    var el = document.getElementById("chart-" + key);
    if (!el || !spec.rows.length) { if (el) { el.style.display = "none"; } return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: spec.rows.map(function (r) { return r[spec.x]; }),
        axisLabel: { interval: "auto", hideOverlap: true, rotate: narrow || spec.rows.length > 6 ? 40 : 0, width: 90, overflow: "truncate" } },
      yAxis: { type: "value", axisLabel: { hideOverlap: true } },
      series: spec.series.map(function (s) {
        return { type: spec.type, name: s.name, data: spec.rows.map(function (r) { return r[s.key]; }) };
      })
    });
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
