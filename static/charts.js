// Draw every <canvas data-chart="bar|doughnut|line" data-src="id-of-json-script"> on the page.
// The JSON is either {labels, label, values} (one series) or {labels, datasets: [{label, data, type?}], stacked?}.
(function () {
  const palette = ["#0b4f6c", "#01baef", "#20bf55", "#fbb13c", "#d1495b", "#6c757d", "#8e7dbe", "#2a9d8f", "#e76f51", "#264653"];
  document.querySelectorAll("canvas[data-chart]").forEach(function (canvas) {
    const src = document.getElementById(canvas.dataset.src);
    if (!src) return;
    const data = JSON.parse(src.textContent);
    const type = canvas.dataset.chart;
    const many = Array.isArray(data.datasets);
    const datasets = many
      ? data.datasets.map(function (d, i) {
          const color = d.color || (type === "doughnut" ? palette : palette[i % palette.length]);
          return Object.assign({ backgroundColor: color, borderColor: color }, d);
        })
      : [{ label: data.label, data: data.values, backgroundColor: type === "doughnut" ? palette : palette[0] }];
    const stacked = !!data.stacked;
    new Chart(canvas, {
      type: type,
      data: { labels: data.labels, datasets: datasets },
      options: {
        indexAxis: canvas.dataset.horizontal ? "y" : "x",
        plugins: { legend: { display: type === "doughnut" || (many && datasets.length > 1), position: "bottom" } },
        scales: type === "doughnut" ? {} : {
          x: { stacked: stacked },
          y: { stacked: stacked, beginAtZero: true, suggestedMax: data.suggestedMax, ticks: { precision: 0 } },
        },
        animation: false,
        responsive: true,
      },
    });
  });
})();
