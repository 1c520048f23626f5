// Draw every <canvas data-chart="bar|doughnut" data-src="id-of-json-script"> on the page.
(function () {
  const palette = ["#0b4f6c", "#01baef", "#20bf55", "#fbb13c", "#d1495b", "#6c757d", "#8e7dbe", "#2a9d8f", "#e76f51", "#264653"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const src = document.getElementById(canvas.dataset.src);
    if (!src) return;
    const data = JSON.parse(src.textContent);
    const type = canvas.dataset.chart;
    new Chart(canvas, {
      type: type,
      data: {
        labels: data.labels,
        datasets: [{
          label: data.label,
          data: data.values,
          backgroundColor: type === "doughnut" ? palette : palette[0],
        }],
      },
      options: {
        indexAxis: canvas.dataset.horizontal ? "y" : "x",
        plugins: { legend: { display: type === "doughnut", position: "bottom" } },
        animation: false,
        responsive: true,
      },
    });
  });
})();
