// Draws a platform dashboard's charts from the JSON the view embeds: per chart its kind
// (bar, line, pie), the category key, the series (key, label) and the rows.
(function () {
  var data = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  var charts = [];
  Object.keys(data).forEach(function (key) {
    var spec = data[key];
    var el = document.getElementById("chart-" + key);
    if (!el || !spec.rows.length) { return; }
    var option;
    if (spec.kind === "pie") {
      var first = spec.series[0];
      option = { tooltip: { trigger: "item" }, legend: { type: "scroll", bottom: 0 },
        series: [{ type: "pie", radius: ["30%", "60%"], avoidLabelOverlap: true,
          label: { show: !narrow, overflow: "truncate", width: 80 },
          data: spec.rows.map(function (r) { return { name: r[spec.x], value: r[first.key] }; }) }] };
    } else {
      var values = spec.rows.map(function (r) { return r[spec.x]; });
      option = { tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
        grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: values,
          axisLabel: { interval: "auto", hideOverlap: true, rotate: narrow || values.length > 6 ? 40 : 0, width: 90, overflow: "truncate" } },
        yAxis: { type: "value", axisLabel: { hideOverlap: true } },
        series: spec.series.map(function (s) {
          return { type: spec.kind === "line" ? "line" : "bar", name: s.label, data: spec.rows.map(function (r) { return Number(r[s.key]); }) };
        }) };
    }
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
