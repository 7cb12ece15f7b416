// Draws the two dashboard charts from the JSON the view embeds.
(function () {
  var data = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var bar = echarts.init(document.getElementById("chart-villages"));
  bar.setOption({
    tooltip: {},
    grid: { left: 40, right: 10, bottom: 80 },
    xAxis: { type: "category", data: data.villages.labels, axisLabel: { rotate: 45 } },
    yAxis: { type: "value" },
    series: [{ type: "bar", data: data.villages.values }]
  });
  var pie = echarts.init(document.getElementById("chart-enterprises"));
  pie.setOption({
    tooltip: { trigger: "item" },
    series: [{ type: "pie", radius: ["35%", "70%"],
      data: data.enterprises.labels.map(function (l, i) { return { name: l, value: data.enterprises.values[i] }; }) }]
  });
  window.addEventListener("resize", function () { bar.resize(); pie.resize(); });
})();
