// The CAT page. The server is the authority: it stores every answer before acknowledging it and keeps the
// clock. This page only shows an answer as saved once acknowledged, keeps unacknowledged answers (also in
// localStorage, so a reload keeps them) and re-sends them in order until they are, and counts time with
// performance.now() from the server's "remaining" figure, so a wrong wall clock changes nothing.
(() => {
  "use strict";
  const script = document.currentScript;
  const base = script.dataset.api.replace(/mulai\/$/, "");
  const T = JSON.parse(document.getElementById("cat-strings").textContent);
  const token = localStorage.getItem("cat.token");
  if (!token) { location.href = script.dataset.login; return; }
  const number = localStorage.getItem("cat.number") || "";
  const pendKey = "cat.pending." + number, seqKey = "cat.seq." + number;
  let pending = JSON.parse(localStorage.getItem(pendKey) || "{}"); // position -> {option, doubtful, seq}
  let seq = parseInt(localStorage.getItem(seqKey) || "0", 10);
  let answers = {}; // position -> {option, doubtful} as shown (acknowledged, overlaid with pending)
  let subtests = [], current = 1, deadlineAt = null, finishing = false, stopped = false;
  const questions = {};
  const $ = (id) => document.getElementById(id);
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const fmt = (s, args) => s.replace(/%\((\w+)\)s/g, (_m, k) => args[k]);

  async function call(method, path, body) {
    const r = await fetch(base + path, {
      method, cache: "no-store",
      headers: {"Content-Type": "application/json", "X-CAT-Token": token},
      body: body ? JSON.stringify(body) : undefined,
    });
    let data = {};
    try { data = await r.json(); } catch (e) { /* an empty or HTML answer (a proxy's error page) */ }
    return {status: r.status, data, retryAfter: r.headers.get("Retry-After")};
  }

  function persist() {
    localStorage.setItem(pendKey, JSON.stringify(pending));
    localStorage.setItem(seqKey, String(seq));
    const n = Object.keys(pending).length;
    $("pending-note").textContent = n ? fmt(T.pending, {n}) : "";
  }
  function syncClock(ms) { if (typeof ms === "number") deadlineAt = performance.now() + ms; }
  function setNet(ok) {
    const b = $("net");
    b.textContent = ok ? T.online : T.offline;
    b.className = "badge " + (ok ? "bg-light text-dark" : "bg-warning text-dark");
    b.dataset.state = ok ? "ok" : "offline";
  }
  function show(id) {
    for (const s of ["waiting", "exam", "result", "blocked"]) $(s).classList.toggle("d-none", s !== id);
  }
  function block(message) { stopped = true; $("blocked").textContent = message; show("blocked"); }

  function paint(pos) {
    const btn = $("grid").children[pos - 1];
    if (!btn) return;
    const a = answers[pos];
    btn.className = "";
    if (a && a.doubtful) btn.classList.add("doubtful");
    else if (a && a.option != null) btn.classList.add("answered");
    if (pending[pos]) btn.classList.add("saving");
    if (pos === current) btn.classList.add("current");
    btn.setAttribute("aria-label", `${pos}` + (pending[pos] ? ` (${T.saving})` : ""));
    if (pos === current) $("q-saved").textContent = pending[pos] ? T.saving : (a && a.option != null ? T.saved : "");
    counts();
  }
  function counts() {
    let answered = 0, doubtful = 0;
    for (let p = 1; p <= subtests.length; p++) {
      const a = answers[p];
      if (a && a.doubtful) doubtful++;
      else if (a && a.option != null) answered++;
    }
    $("n-answered").textContent = answered;
    $("n-doubtful").textContent = doubtful;
    $("n-empty").textContent = subtests.length - answered - doubtful;
    return {answered, doubtful, empty: subtests.length - answered - doubtful};
  }
  function buildGrid() {
    const grid = $("grid");
    grid.innerHTML = "";
    subtests.forEach((_s, i) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = i + 1; b.dataset.pos = i + 1;
      b.addEventListener("click", () => go(i + 1));
      grid.appendChild(b);
    });
    for (let p = 1; p <= subtests.length; p++) paint(p);
  }

  async function fetchQuestion(pos) {
    if (questions[pos]) return questions[pos];
    const res = await call("GET", `soal/${pos}/`);
    if (res.status === 200) return (questions[pos] = res.data);
    if (res.status === 401) location.href = script.dataset.login;
    throw new Error("question " + res.status);
  }

  async function go(pos) {
    const before = current;
    current = pos;
    paint(before); paint(pos);
    $("q-pos").textContent = pos; $("q-text").textContent = ""; $("q-options").innerHTML = ""; // no stale options to click while it loads
    $("q-subtest").textContent = (subtests[pos - 1] || "").toUpperCase();
    let q;
    try { q = await fetchQuestion(pos); if (!savesFailing) setNet(true); }
    catch (e) {
      setNet(false);
      $("q-text").textContent = T.offline; $("q-options").innerHTML = "";
      setTimeout(() => { if (current === pos && !stopped) go(pos); }, 2000);
      return;
    }
    if (current !== pos) return;
    $("q-text").textContent = q.text;
    const box = $("q-options");
    box.innerHTML = "";
    q.options.forEach((o, i) => {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "btn btn-outline-secondary option" + (answers[pos] && answers[pos].option === o.id ? " chosen" : "");
      b.dataset.option = o.id;
      const letter = document.createElement("b");
      letter.textContent = "ABCDE"[i] + ". ";
      b.append(letter, document.createTextNode(o.text));
      b.addEventListener("click", () => {
        for (const other of box.children) other.classList.remove("chosen");
        b.classList.add("chosen");
        record(pos, o.id, $("q-doubt").checked);
      });
      box.appendChild(b);
    });
    $("q-doubt").checked = !!(answers[pos] && answers[pos].doubtful);
    $("prev").disabled = pos <= 1;
    $("next").disabled = pos >= subtests.length;
    paint(pos);
    if (pos < subtests.length) fetchQuestion(pos + 1).catch(() => {});
  }

  function record(pos, option, doubtful) {
    seq += 1;
    pending[pos] = {option, doubtful, seq};
    answers[pos] = {option, doubtful};
    persist(); paint(pos); flush();
  }

  let flushing = false, backoff = 500, savesFailing = false;
  async function flush() {
    if (flushing || stopped) return;
    flushing = true;
    try {
      for (;;) {
        const next = Object.entries(pending).sort((a, b) => a[1].seq - b[1].seq)[0];
        if (!next || stopped) break;
        const [pos, p] = next;
        let res;
        try { res = await call("POST", "jawab/", {position: +pos, option: p.option, doubtful: p.doubtful, seq: p.seq}); }
        catch (e) { res = {status: 0}; }
        if (res.status === 200) {
          savesFailing = false; setNet(true); backoff = 500; syncClock(res.data.remaining_ms);
          if (pending[pos] && pending[pos].seq <= res.data.seq) delete pending[pos];
          persist(); paint(+pos);
        } else if (res.status === 409) { block(T.device); break; }
        else if (res.status === 410) { flushing = false; finish(true); return; }
        else if (res.status === 401) { location.href = script.dataset.login; break; }
        else if (res.status === 400) { delete pending[pos]; persist(); paint(+pos); }
        else { savesFailing = true; setNet(false); await sleep(backoff); backoff = Math.min(backoff * 2, 5000); }
      }
    } finally { flushing = false; }
  }

  function showResult(r) {
    stopped = true;
    for (const k of ["twk", "tiu", "tkp", "total"]) $("r-" + k).textContent = r[k];
    $("r-passing").textContent = r.passing === true ? T.passing : r.passing === false ? T.failing : T.nograde;
    $("r-passing").className = "fw-semibold " + (r.passing === true ? "text-success" : r.passing === false ? "text-danger" : "");
    $("r-receipt").textContent = r.receipt;
    $("timer").textContent = "00:00:00";
    localStorage.removeItem(pendKey); localStorage.removeItem(seqKey); localStorage.removeItem("cat.token");
    show("result");
  }

  async function finish(auto) {
    if (finishing) return;
    if (!auto && !confirm(fmt(T.confirm, counts()))) return;
    finishing = true;
    $("finish").disabled = true;
    if (!auto) {
      while (Object.keys(pending).length && !stopped) {
        $("pending-note").textContent = T.finishing + " " + fmt(T.pending, {n: Object.keys(pending).length});
        await flush();
        if (Object.keys(pending).length) await sleep(1000);
      }
    }
    for (let wait = 500; ; wait = Math.min(wait * 2, 5000)) {
      let res;
      try { res = await call("POST", "selesai/"); } catch (e) { res = {status: 0}; }
      if (res.status === 200) return showResult(res.data);
      if (res.status === 409) return block(T.device);
      setNet(false); await sleep(wait);
    }
  }

  function tick() {
    if (deadlineAt !== null && !stopped) {
      const left = Math.max(0, deadlineAt - performance.now());
      const s = Math.ceil(left / 1000);
      $("timer").textContent = [Math.floor(s / 3600), Math.floor(s / 60) % 60, s % 60].map((n) => String(n).padStart(2, "0")).join(":");
      $("timer").dataset.seconds = s;
      if (left <= 0 && !finishing) { $("r-note").textContent = T.timeup; finish(true); }
    }
    setTimeout(tick, 250);
  }

  async function heartbeat() {
    if (stopped) return;
    try {
      const res = await call("GET", "status/");
      if (res.status === 200) { setNet(true); syncClock(res.data.remaining_ms); if (res.data.finished) finish(true); }
      else if (res.status === 409) block(T.device);
    } catch (e) { setNet(false); }
    flush();
  }

  async function start() {
    let res;
    try { res = await call("POST", "mulai/"); } catch (e) { setNet(false); return setTimeout(start, 2000); }
    if (res.status === 425) { show("waiting"); return setTimeout(start, 3000 + Math.random() * 2000); }
    if (res.status === 409) return block(T.device);
    if (res.status === 401) { location.href = script.dataset.login; return; }
    if (res.status === 410) return res.data.finished ? showResult(res.data) : finish(true);
    if (res.status === 429) return setTimeout(start, 1000 * (parseInt(res.retryAfter, 10) || 5) + Math.random() * 2000);
    if (res.status !== 200) { setNet(false); return setTimeout(start, 2000 + Math.random() * 3000); }
    setNet(true);
    const s = res.data;
    $("who").textContent = `${s.number} · ${s.name}`;
    subtests = s.subtests;
    syncClock(s.remaining_ms);
    seq = Math.max(seq, s.max_seq);
    answers = {};
    for (const [pos, a] of Object.entries(s.answers)) answers[pos] = {option: a.option, doubtful: a.doubtful};
    for (const [pos, p] of Object.entries(pending)) {
      const stored = s.answers[pos];
      if (stored && stored.seq >= p.seq) delete pending[pos];
      else answers[pos] = {option: p.option, doubtful: p.doubtful};
    }
    persist(); buildGrid(); show("exam"); go(1); flush(); tick();
    setInterval(heartbeat, 15000);
  }

  $("prev").addEventListener("click", () => current > 1 && go(current - 1));
  $("next").addEventListener("click", () => current < subtests.length && go(current + 1));
  $("q-doubt").addEventListener("change", (e) => record(current, answers[current] ? answers[current].option : null, e.target.checked));
  $("finish").addEventListener("click", () => finish(false));
  window.addEventListener("online", flush);
  start();
})();
