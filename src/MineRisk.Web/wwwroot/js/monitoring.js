// Monitoring pages: the alarm stream (Server-Sent Events) and the charts. No inline script (CSP): data comes from data-* attributes.
(function () {
  "use strict";

  // One stream per page. Each alarm event is re-dispatched on <body> as "mr-alarm" (and "mr-mine-alarm" when it is about the
  // mine the page shows), which the htmx regions listen to and refresh themselves from the server.
  var host = document.querySelector("[data-alarm-stream]");
  if (host && window.EventSource) {
    var mineId = host.getAttribute("data-mine-id");
    var dot = document.querySelector("[data-testid=live-indicator]");
    var source = new EventSource("/api/v1/alarms/stream");
    source.addEventListener("hello", function () { if (dot) { dot.classList.add("on"); } });
    source.addEventListener("error", function () { if (dot) { dot.classList.remove("on"); } });
    source.addEventListener("alarm", function (e) {
      var data = JSON.parse(e.data);
      document.body.dispatchEvent(new CustomEvent("mr-alarm", { detail: data }));
      if (mineId && String(data.mineId) === mineId) {
        document.body.dispatchEvent(new CustomEvent("mr-mine-alarm", { detail: data }));
      }
    });
    window.addEventListener("beforeunload", function () { source.close(); });
  }

  function drawCharts(root) {
    if (!window.echarts) { return; }
    (root || document).querySelectorAll("[data-chart]").forEach(function (el) {
      var data = JSON.parse(el.getAttribute("data-chart"))[el.getAttribute("data-series")];
      if (!data || data.names.length === 0) { return; }
      var chart = window.echarts.getInstanceByDom(el) || window.echarts.init(el);
      chart.setOption({
        grid: { left: 8, right: 16, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", minInterval: 1 },
        yAxis: { type: "category", data: data.names.slice().reverse() },
        series: [{ type: "bar", data: data.values.slice().reverse(), itemStyle: { color: "#c8102e" }, label: { show: true, position: "right" } }],
        animation: false
      });
    });
  }

  drawCharts();
  document.body.addEventListener("htmx:afterSwap", function (e) { drawCharts(e.target); });
  window.addEventListener("resize", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("[data-chart]").forEach(function (el) { var c = window.echarts.getInstanceByDom(el); if (c) { c.resize(); } });
  });
})();
