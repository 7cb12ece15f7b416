// Draws the pairing dashboard's charts from the JSON the view embeds.
(function () {
  var data = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var labels = JSON.parse(JSON.parse(document.getElementById("indicator-labels").textContent));
  var t = JSON.parse(document.getElementById("chart-i18n").textContent);
  var charts = [];
  function draw(key, option) {
    var el = document.getElementById("chart-" + key);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  }
  function bar(rows, x, ys, names) {
    return {
      tooltip: { trigger: "axis" }, legend: {}, grid: { left: 45, right: 10, bottom: 70 },
      xAxis: { type: "category", data: rows.map(function (r) { return r[x]; }), axisLabel: { rotate: 40 } },
      yAxis: { type: "value" },
      series: ys.map(function (y, i) { return { type: "bar", name: names[i], data: rows.map(function (r) { return r[y]; }) }; })
    };
  }
  function line(rows, x, ys, names) {
    var option = bar(rows, x, ys, names);
    option.series.forEach(function (s) { s.type = "line"; });
    return option;
  }
  function pie(rows, name, value) {
    return { tooltip: { trigger: "item" }, series: [{ type: "pie", radius: ["35%", "70%"],
      data: rows.map(function (r) { return { name: r[name], value: r[value] }; }) }] };
  }
  draw("coverage", bar(data.coverage, "township", ["coverage"], [t.coverage]));
  draw("modes", pie(data.modes, "mode", "pairs"));
  draw("indicators", bar(data.indicators, "indicator", ["target", "actual"], [t.target, t.actual]));
  var keys = Object.keys(labels);
  draw("trend", line(data.trend, "period", keys, keys.map(function (k) { return labels[k]; })));
  draw("reporting", bar(data.reporting, "township", ["completeness", "timeliness"], [t.completeness, t.timeliness]));
  draw("rates", line(data.rates, "period", ["completeness", "timeliness"], [t.completeness, t.timeliness]));
  draw("heads", pie(data.heads, "head", "activities"));
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
