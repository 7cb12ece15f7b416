// Draws the two dashboard charts from the JSON the view embeds.
(function () {
  var data = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var bar = echarts.init(document.getElementById("chart-villages"));
  bar.setOption({
    tooltip: {},
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: "category", data: data.villages.labels,
      axisLabel: { rotate: 45, interval: "auto", hideOverlap: true, width: 90, overflow: "truncate" } },
    yAxis: { type: "value", minInterval: 1, axisLabel: { hideOverlap: true } },
    series: [{ type: "bar", data: data.villages.values }]
  });
  var pie = echarts.init(document.getElementById("chart-enterprises"));
  pie.setOption({
    tooltip: { trigger: "item" },
    legend: { type: "scroll", bottom: 0 },
    series: [{ type: "pie", radius: ["30%", "60%"], avoidLabelOverlap: true,
      label: { show: !window.matchMedia("(max-width: 576px)").matches, overflow: "truncate", width: 80 },
      data: data.enterprises.labels.map(function (l, i) { return { name: l, value: data.enterprises.values[i] }; }) }]
  });
  window.addEventListener("resize", function () { bar.resize(); pie.resize(); });
})();
