// The live board: polls the session's JSON every second and redraws the table.
(() => {
  "use strict";
  const script = document.currentScript;
  const L = JSON.parse(document.getElementById("board-labels").textContent);
  const body = document.querySelector("#board tbody");
  function cell(tr, text, cls) { const td = document.createElement("td"); td.textContent = text; if (cls) td.className = cls; tr.appendChild(td); }
  function draw(data) {
    const rows = document.createDocumentFragment();
    data.rows.forEach((r, i) => {
      const tr = document.createElement("tr");
      tr.dataset.number = r.number;
      cell(tr, r.status === "finished" ? i + 1 : "");
      cell(tr, r.number); cell(tr, r.name);
      cell(tr, r.status === "working" ? `${L.working} (${r.answered}/${data.questions})` : L[r.status]);
      for (const k of ["twk", "tiu", "tkp", "total"]) cell(tr, r[k] ?? "", "num" + (k === "total" ? " fw-bold" : ""));
      cell(tr, r.passing === true ? L.pass : r.passing === false ? L.fail : "", r.passing === true ? "text-success" : r.passing === false ? "text-danger" : "");
      rows.appendChild(tr);
    });
    body.replaceChildren(rows);
    document.getElementById("board-updated").textContent = new Date(data.built_at).toLocaleTimeString(document.documentElement.lang);
  }
  async function poll() {
    try {
      const r = await fetch(script.dataset.url, {cache: "no-store"});
      if (r.ok) { draw(await r.json()); document.getElementById("board-live").className = "badge bg-success"; }
    } catch (e) { document.getElementById("board-live").className = "badge bg-secondary"; }
    setTimeout(poll, 1000);
  }
  draw(JSON.parse(document.getElementById("board-initial").textContent));
  setTimeout(poll, 1000);
})();
