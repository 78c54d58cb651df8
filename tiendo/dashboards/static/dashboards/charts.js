// Draws the dashboard's charts from the numbers embedded with json_script. The same numbers are
// in tables on the page; decal patterns keep the series apart when printed in black and white.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-charts");
    if (!source || typeof window.echarts === "undefined") return;
    var data = JSON.parse(source.textContent);
    var rtl = document.documentElement.dir === "rtl";
    var decals = [
      { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [2, 5], rotation: 0.8 },
      { symbol: "circle", symbolSize: 0.6, dashArrayX: [[4, 4]], dashArrayY: [4, 2] },
      { symbol: "rect", dashArrayX: [[8, 4]], dashArrayY: [6, 0] },
      { symbol: "triangle", symbolSize: 0.8, dashArrayX: [[6, 6]], dashArrayY: [6, 6] },
      { symbol: "rect", dashArrayX: [1, 0], dashArrayY: [4, 3], rotation: -0.8 }
    ];
    var colours = ["#2e7d32", "#9e9d24", "#1565c0", "#c62828", "#757575"];
    var base = { aria: { enabled: true, decal: { show: true, decals: decals } }, color: colours,
      tooltip: { trigger: "axis" }, legend: { top: 0 }, grid: { left: 48, right: 24, top: 48, bottom: 64 } };

    var el = document.getElementById("chart-status");
    if (el && data.status) {
      var chart = window.echarts.init(el, null, { renderer: "svg" });
      chart.setOption(Object.assign({}, base, {
        xAxis: { type: "category", data: data.status.categories, inverse: rtl, axisLabel: { interval: 0, rotate: 20 } },
        yAxis: { type: "value", minInterval: 1, position: rtl ? "right" : "left" },
        series: data.status.series.map(function (s) {
          return { name: s.name, type: "bar", stack: "status", data: s.data, label: { show: true, formatter: function (p) { return p.value || ""; } } };
        })
      }));
      // A bar opens the list of tasks it counts, like the numbers in the table.
      chart.on("click", function (p) {
        var s = data.status.series[p.seriesIndex];
        if (s && s.urls[p.dataIndex]) window.location.href = s.urls[p.dataIndex];
      });
      window.addEventListener("resize", function () { chart.resize(); });
    }
    el = document.getElementById("chart-trend");
    if (el && data.trend) {
      var trend = window.echarts.init(el, null, { renderer: "svg" });
      var dashes = ["solid", "dashed", "dotted"];
      var symbols = ["circle", "rect", "triangle"];
      trend.setOption(Object.assign({}, base, {
        color: ["#1565c0", "#2e7d32", "#c62828"],
        xAxis: { type: "category", data: data.trend.categories, inverse: rtl },
        yAxis: { type: "value", minInterval: 1, position: rtl ? "right" : "left" },
        series: data.trend.series.map(function (s, i) {
          return { name: s.name, type: "line", data: s.data, symbol: symbols[i], symbolSize: 8, lineStyle: { type: dashes[i], width: 2 } };
        })
      }));
      window.addEventListener("resize", function () { trend.resize(); });
    }
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
