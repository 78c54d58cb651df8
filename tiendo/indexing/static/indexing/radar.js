// Draws the radar with ECharts when the vendored library is loaded; the server-side SVG stays
// otherwise (and for printing). Data come from a json_script element, never from inline code.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("radar-chart");
  var source = document.getElementById("radar-data");
  if (!holder || !source || typeof window.echarts === "undefined") return;
  var data = JSON.parse(source.textContent);
  if (data.labels.length < 3) return;
  holder.innerHTML = "";
  holder.style.height = "380px";
  var chart = window.echarts.init(holder);
  chart.setOption({
    tooltip: {},
    legend: { bottom: 0 },
    radar: { indicator: data.labels.map(function (name) { return { name: name, max: 1 }; }) },
    series: [{
      type: "radar",
      data: data.series.map(function (s) { return { name: s.name, value: s.values }; })
    }]
  });
});
