// Draws the pairing dashboard's charts from the JSON the view embeds.
// One unit per axis: indicators in 万元, 项 and 人 are drawn as small multiples (one grid
// each); axis labels never overlap (containLabel, hideOverlap, rotation on narrow screens).
(function () {
  var data = JSON.parse(JSON.parse(document.getElementById("chart-data").textContent));
  var labels = JSON.parse(JSON.parse(document.getElementById("indicator-labels").textContent));
  var units = JSON.parse(JSON.parse(document.getElementById("indicator-units").textContent));
  var t = JSON.parse(document.getElementById("chart-i18n").textContent);
  var charts = [];
  var narrow = window.matchMedia("(max-width: 576px)").matches;

  function draw(key, option) {
    var el = document.getElementById("chart-" + key);
    if (!el) { return; }
    var chart = echarts.init(el);
    chart.setOption(option);
    charts.push(chart);
  }
  function categoryAxis(values, gridIndex) {
    return { type: "category", data: values, gridIndex: gridIndex || 0,
      axisLabel: { interval: "auto", hideOverlap: true, rotate: narrow || values.length > 6 ? 40 : 0,
        width: 90, overflow: "truncate" } };
  }
  function valueAxis(unit, gridIndex) {
    return { type: "value", name: unit, gridIndex: gridIndex || 0, nameTextStyle: { align: "left" },
      axisLabel: { hideOverlap: true } };
  }
  function bar(rows, x, ys, names, unit) {
    return {
      tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
      grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
      xAxis: categoryAxis(rows.map(function (r) { return r[x]; })),
      yAxis: valueAxis(unit),
      series: ys.map(function (y, i) { return { type: "bar", name: names[i], data: rows.map(function (r) { return r[y]; }) }; })
    };
  }
  function line(rows, x, ys, names, unit) {
    var option = bar(rows, x, ys, names, unit);
    option.series.forEach(function (s) { s.type = "line"; s.connectNulls = false; });
    return option;
  }
  function pie(rows, name, value) {
    return { tooltip: { trigger: "item" }, legend: { type: "scroll", bottom: 0 },
      series: [{ type: "pie", radius: ["30%", "60%"], avoidLabelOverlap: true,
        label: { show: !narrow, overflow: "truncate", width: 80 },
        data: rows.map(function (r) { return { name: r[name], value: r[value] }; }) }] };
  }
  // The distinct units, in the indicators' order, with the indicators measured in each.
  function byUnit() {
    var groups = [];
    Object.keys(labels).forEach(function (key) {
      var unit = units[key];
      var group = groups.filter(function (g) { return g.unit === unit; })[0];
      if (!group) { group = { unit: unit, keys: [] }; groups.push(group); }
      group.keys.push(key);
    });
    return groups;
  }
  // Small multiples: one grid per unit, stacked, each with its own axes.
  function multiples(groups, build) {
    var share = 100 / groups.length;
    var option = { tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 }, grid: [], xAxis: [], yAxis: [], series: [] };
    groups.forEach(function (group, i) {
      option.grid.push({ left: 8, right: 16, top: (i * share + 8) + "%", height: (share - 16) + "%", containLabel: true });
      build(group, i, option);
    });
    return option;
  }
  function indicators() {
    var rows = {};
    data.indicators.forEach(function (r) { rows[r.indicator] = r; });
    return multiples(byUnit(), function (group, i, option) {
      var names = group.keys.map(function (k) { return labels[k]; });
      option.xAxis.push(categoryAxis(names, i));
      option.yAxis.push(valueAxis(group.unit, i));
      ["target", "actual"].forEach(function (what) {
        option.series.push({ type: "bar", name: t[what], xAxisIndex: i, yAxisIndex: i,
          data: names.map(function (n) { return rows[n] ? rows[n][what] : null; }) });
      });
    });
  }
  function trend() {
    var periods = data.trend.map(function (r) { return r.period; });
    return multiples(byUnit(), function (group, i, option) {
      option.xAxis.push(categoryAxis(periods, i));
      option.yAxis.push(valueAxis(group.unit, i));
      group.keys.forEach(function (k) {
        option.series.push({ type: "line", name: labels[k], xAxisIndex: i, yAxisIndex: i,
          data: data.trend.map(function (r) { return r[k]; }) });
      });
    });
  }
  // Pairs by township on the townships' stored coordinates: a plain lng/lat scatter, no tiles.
  function map() {
    var placed = data.map.filter(function (r) { return r.longitude !== null && r.latitude !== null; });
    var most = Math.max.apply(null, placed.map(function (r) { return r.pairs; }).concat([1]));
    return {
      tooltip: { trigger: "item", formatter: function (p) { return p.data.name + ": " + p.data.value[2]; } },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "value", name: t.longitude, scale: true, axisLabel: { hideOverlap: true } },
      yAxis: { type: "value", name: t.latitude, scale: true, axisLabel: { hideOverlap: true } },
      series: [{ type: "scatter", labelLayout: { hideOverlap: true },
        label: { show: true, position: "right", formatter: function (p) { return p.data.name; } },
        symbolSize: function (value) { return 8 + 32 * Math.sqrt(value[2] / most); },
        data: placed.map(function (r) { return { name: r.township, value: [r.longitude, r.latitude, r.pairs] }; }) }]
    };
  }
  draw("coverage", bar(data.coverage, "township", ["coverage"], [t.coverage], "%"));
  draw("modes", pie(data.modes, "mode", "pairs"));
  draw("indicators", indicators());
  draw("trend", trend());
  draw("reporting", bar(data.reporting, "township", ["completeness", "timeliness"], [t.completeness, t.timeliness], "%"));
  draw("rates", line(data.rates, "period", ["completeness", "timeliness"], [t.completeness, t.timeliness], "%"));
  draw("heads", pie(data.heads, "head", "activities"));
  draw("map", map());
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
