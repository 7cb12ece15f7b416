// Draws the charts of the cadre structure page from the JSON the view embeds: per
// dimension the serving and the reserve cadres side by side, the bodies, the years.
(function () {
  var data = JSON.parse(document.getElementById("structure-data").textContent);
  var narrow = window.matchMedia("(max-width: 576px)").matches;
  var charts = [];

  function draw(key, categories, series) {
    var el = document.getElementById("chart-" + key);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 32, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: categories,
        axisLabel: { interval: "auto", hideOverlap: true, rotate: narrow || categories.length > 6 ? 40 : 0,
          width: 90, overflow: "truncate" } },
      yAxis: { type: "value", minInterval: 1, axisLabel: { hideOverlap: true } },
      series: series
    });
    charts.push(chart);
  }

  Object.keys(data.dimensions).forEach(function (key) {
    var dim = data.dimensions[key];
    draw(key, dim.categories, data.statuses.map(function (s) {
      return { type: "bar", name: s.name, data: dim.series[s.key] };
    }));
  });
  draw("bodies", data.bodies.categories, [
    { type: "bar", name: data.i18n.posts, data: data.bodies.posts },
    { type: "bar", name: data.i18n.non_party, data: data.bodies.non_party }
  ]);
  draw("years", data.years.categories, [
    { type: "line", name: data.i18n.serving, data: data.years.serving },
    { type: "bar", name: data.i18n.pool, data: data.years.pool }
  ]);
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
