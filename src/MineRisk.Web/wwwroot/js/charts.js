// ECharts from server-rendered options: <div data-chart='{"xAxis":...}'>. No inline scripts (CSP); ECharts itself is
// loaded only on pages that have a chart.
(function () {
  var loading = null;
  function load() {
    if (window.echarts) { return Promise.resolve(); }
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var s = document.createElement("script");
        s.src = "/lib/echarts/echarts.min.js";
        s.onload = resolve;
        s.onerror = reject;
        document.head.appendChild(s);
      });
    }
    return loading;
  }
  function render(el) {
    if (el.dataset.rendered) { return; }
    var option = JSON.parse(el.getAttribute("data-chart"));
    var chart = echarts.init(el, null, { renderer: "svg" });
    chart.setOption(option);
    el.dataset.rendered = "1";
    // A bar that links somewhere: option.links[seriesIndex][dataIndex]
    if (option.links) {
      chart.on("click", function (p) {
        var row = option.links[p.seriesIndex];
        if (row && row[p.dataIndex]) { window.location.href = row[p.dataIndex]; }
      });
    }
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function all(root) {
    var charts = (root || document).querySelectorAll("[data-chart]");
    if (charts.length === 0) { return; }
    load().then(function () { charts.forEach(render); });
  }
  document.addEventListener("DOMContentLoaded", function () { all(); });
  document.addEventListener("htmx:afterSwap", function (e) { all(e.target); });
})();
