// The live page: one snapshot per change over Server-Sent Events, the day's chart, the buttons.
"use strict";

const state = { snapshot: null, chart: null, chartStation: null, chartFetchedAt: 0, traceCount: -1 };

function stationState(s) {
  if (!s.connected) return ["offline", "off"];
  if (s.limit.rebooting) return ["rebooting", "warn"];
  if (s.chargingState === "Charging") return ["charging", "charging"];
  if (s.transactionId && s.limit.paused) return ["paused", "paused"];
  if (s.chargingState) return [s.chargingState.replace("EVSE", " (box)").replace("EV", "car ").replace("SuspendedEV", "car paused"), "paused"];
  return [s.status === "Occupied" ? "plugged in" : "no car", ""];
}

function renderStation(s, limits) {
  const id = "station-" + s.name;
  let card = document.getElementById(id);
  if (!card) {
    card = document.getElementById("station-template").content.firstElementChild.cloneNode(true);
    card.id = id;
    card.dataset.station = s.name;
    const amps = card.querySelector(".amps");
    amps.min = 0; amps.max = limits.max; amps.placeholder = limits.min + "–" + limits.max;
    const act = async (verb, body, button) => {
      const result = card.querySelector(".result");
      button.disabled = true;
      result.className = "result"; result.textContent = verb + "…";
      const r = await post("/api/stations/" + encodeURIComponent(s.name) + "/" + verb, body);
      button.disabled = false;
      result.className = "result " + (r.ok ? "ok" : "bad");
      result.textContent = r.text;
    };
    card.querySelector(".set-current").onclick = e => {
      const text = amps.value.trim();
      act("current", { amps: text === "" ? null : Number(text) }, e.target);
    };
    for (const verb of ["pause", "resume", "charge-now", "reboot"])
      card.querySelector("." + verb).onclick = e => {
        if (verb === "reboot" && !confirm("Reboot the wallbox? A running charge stops for about a minute.")) return;
        act(verb, {}, e.target);
      };
    card.releaseClaim = (source, button) => act("release", { source }, button);
    const modeSelect = card.querySelector(".mode-select");
    modeSelect.onchange = () => act("mode", { mode: modeSelect.value }, modeSelect);
    const planInput = card.querySelector(".plan-input");
    card.querySelector(".set-plan").onclick = e => act("plan", { plan: planInput.value.trim() }, e.target);
    document.getElementById("stations").appendChild(card);
  }
  const [label, cls] = stationState(s);
  card.querySelector(".name").textContent = s.name;
  const badge = card.querySelector(".state");
  badge.textContent = label; badge.className = "badge state " + cls;
  card.querySelector(".power").textContent = fmt.watts(s.powerW);
  card.querySelector(".energy").textContent = fmt.kwh(s.energyWh);
  const p = s.phaseCurrentA;
  // Whole amps without ".0": "16 / 16 / 16 A" fits a phone's half width, "16.0 / 16.0 / 16.0 A" did not.
  card.querySelector(".phases").textContent = p ? [p.l1, p.l2, p.l3].map(a => fmt.num(a, Number.isInteger(a) ? 0 : 1)).join(" / ") + " A" : fmt.amps(s.currentA);
  card.querySelector(".limit").textContent = fmt.amps(s.limit.effective) + (s.limit.applied !== null && s.limit.applied !== s.limit.effective ? " (box: " + fmt.amps(s.limit.applied) + ")" : "");
  const setter = s.limit.claims.find(c => c.setsLimit);
  card.querySelector(".why").textContent = "Why " + fmt.amps(s.limit.effective) + "? " + (setter
    ? "Set by " + setter.source + (setter.kind === "Manual" ? " (a person; outranks the rules)" : " (a rule)") + (setter.reason ? ": " + setter.reason : "") + "."
    : "No claim: the default maximum (wallbox.max_current).")
    + (s.modeInactive ? " The charge mode holds none: " + s.modeInactive + "." : "")
    + (s.limit.lastRejected ? " Last refused: " + s.limit.lastRejected.message : "");
  const claims = card.querySelector(".claims");
  claims.hidden = s.limit.claims.length === 0; // "Why … No claim" says it; an empty table's head only takes room
  fill(claims, ["claim", { text: "A", cls: "num" }, "kind", "since", "why", ""], s.limit.claims.map(c => {
    const tr = row([c.source, { text: fmt.num(c.amps, 1), cls: "num" }, c.kind, fmt.time(c.since),
      (c.reason ?? "") + (c.expiresAt ? " (until " + fmt.time(c.expiresAt) + ")" : "") + (c.endsOnUnplug ? " (until unplugged)" : ""), ""]);
    if (c.setsLimit) tr.className = "sets-limit";
    if (c.kind === "Manual") {
      const b = el("button", "release", "small");
      b.onclick = () => card.releaseClaim(c.source, b);
      tr.lastChild.appendChild(b);
    }
    return tr;
  }));
  const mode = card.querySelector(".mode");
  mode.hidden = !s.mode;
  const select = card.querySelector(".mode-select");
  if (s.mode && document.activeElement !== select) select.value = s.mode;
  card.querySelector(".plan-now").textContent = s.plan ? "target: " + s.plan : "no plan target";
}

function renderRules(snap) {
  const problems = document.getElementById("rule-problems");
  problems.replaceChildren(...snap.ruleProblems.map(p => el("p",
    p.file + (p.line > 0 ? ":" + p.line + ":" + p.column : "") + ": " + p.message + (p.hint ? " (" + p.hint + ")" : ""),
    "problem" + (p.severity === "Warning" ? " warning" : ""))));
  if (snap.ruleProblems.length > 0) problems.prepend(el("p", "The rule files have errors: the rules loaded before keep running until they are fixed.", "error"));
  const table = document.getElementById("rules");
  fill(table, ["rule", "state", { text: "runs", cls: "num" }, "last", ""], snap.rules.map(r => {
    const on = r.enabled && !r.switchedOff;
    const stateText = !r.enabled ? "disabled in file" : r.switchedOff ? "switched off" : r.holding ? "holding its claim" : "on";
    // The file under the name, not a column of its own: on a phone the name would get one word per line.
    const rule = el("span", r.name, "rule");
    rule.title = r.ruleId;
    rule.append(el("small", r.file.split("/").pop() + ":" + r.line, "muted file"));
    const tr = row([rule,
      { text: stateText, cls: on ? "" : "muted" }, { text: r.runs + (r.errors ? " (" + r.errors + " errors)" : ""), cls: "num" },
      r.lastResult ? fmt.time(r.lastFiredAt) + " " + r.lastResult : "–", ""]);
    tr.dataset.rule = r.ruleId;
    if (r.enabled) {
      const b = el("button", on ? "switch off" : "switch on", "small toggle");
      b.onclick = async () => {
        b.disabled = true;
        const res = await post("/api/rules/" + encodeURIComponent(r.ruleId) + "/enabled", { enabled: !on });
        b.disabled = false;
        const msg = document.getElementById("rules-result") ?? el("p", "", "result");
        msg.id = "rules-result"; msg.className = "result " + (res.ok ? "ok" : "bad"); msg.textContent = res.text;
        table.after(msg);
      };
      tr.lastChild.appendChild(b);
    }
    return tr;
  }));
}

function renderTraces(snap) {
  document.getElementById("traces").replaceChildren(...snap.traces.map(t => {
    const li = el("li");
    li.append(el("span", fmt.time(t.at), "when"), el("b", t.ruleId), document.createTextNode(" – " + t.trigger + " → " + t.result));
    for (const a of t.actions) li.append(el("div", a.action + ": " + a.outcome + (a.message ? " (" + a.message + ")" : ""), "muted"));
    if (t.error) li.append(el("div", t.error, "error"));
    return li;
  }));
  if (snap.traces.length === 0) document.getElementById("traces").append(el("li", "No rule has run yet.", "muted"));
}

function render(snap) {
  state.snapshot = snap;
  const notice = document.getElementById("certificate-notice");
  notice.hidden = !snap.certificateNotice;
  notice.textContent = snap.certificateNotice ?? "";
  for (const s of snap.stations) renderStation(s, snap.limits);
  fill(document.getElementById("signals"), ["signal", { text: "value", cls: "num" }, "updated"], snap.signals.map(s =>
    [s.name, { text: s.value === null ? "–" : fmt.num(s.value, s.value % 1 === 0 ? 0 : 2), cls: "num" }, s.stale ? "stale" : fmt.time(s.updatedAt)]));
  renderRules(snap);
  renderTraces(snap);
  const select = document.getElementById("chart-station");
  if (select.options.length !== snap.stations.length) {
    select.replaceChildren(...snap.stations.map(s => { const o = el("option", s.name); o.value = s.name; return o; }));
    select.onchange = () => loadChart(true);
  }
  const traces = snap.traces.length ? snap.traces[0].at + snap.traces[0].ruleId : "";
  if (traces !== state.traceCount || Date.now() - state.chartFetchedAt > 15000) { state.traceCount = traces; loadChart(false); }
}

// The day's chart: power (W) on the left axis, the limit (A) on the right; rule actions as dashed lines.
function showLatestUnlessHovered(u) {
  if (u.cursor.idx == null && u.data[0].length > 0) u.setLegend({ idx: u.data[0].length - 1 });
}

async function loadChart(force) {
  const station = document.getElementById("chart-station").value;
  if (!station) return;
  if (!force && Date.now() - state.chartFetchedAt < 2000) return;
  state.chartFetchedAt = Date.now();
  let data;
  try { data = await getJson("/api/chart?station=" + encodeURIComponent(station)); } catch { return; }
  const xs = data.points.map(p => new Date(p.minute).getTime() / 1000);
  const series = [xs, data.points.map(p => p.solarW), data.points.map(p => p.houseW), data.points.map(p => p.carW), data.points.map(p => p.limitA)];
  const marks = data.marks.map(m => new Date(m.at).getTime() / 1000);
  const box = document.getElementById("chart");
  const width = Math.max(280, box.clientWidth);
  if (!state.chart || state.chartStation !== station || !window.uPlot) {
    if (state.chart) state.chart.destroy();
    state.chartStation = station;
    if (!window.uPlot) { box.textContent = "The chart library did not load."; return; }
    state.chart = new uPlot({
      width, height: 260,
      scales: { x: { time: true }, W: {}, A: { range: [0, Math.max(16, data.points.reduce((m, p) => Math.max(m, p.limitA ?? 0), 0))] } },
      series: [{},
        { label: (data.solarSignal ?? "solar") + " (W)", scale: "W", stroke: "#e6a700", fill: "rgba(230,167,0,.12)", points: { show: false }, width: 2 },
        { label: (data.houseSignal ?? "house") + " (W)", scale: "W", stroke: "#7a5af8", points: { show: false }, width: 1.5 },
        { label: "car (W)", scale: "W", stroke: "#1c69d4", points: { show: false }, width: 2 },
        { label: "limit (A)", scale: "A", stroke: "#c62828", points: { show: false }, width: 1.5, dash: [6, 4] }],
      axes: [{}, { scale: "W", values: (u, v) => v.map(x => x >= 1000 || x <= -1000 ? x / 1000 + "k" : x) }, { scale: "A", side: 1, grid: { show: false } }],
      // Without a cursor over the chart (always so on a phone) the legend shows the latest minute, not "--".
      hooks: { setCursor: [showLatestUnlessHovered], draw: [u => {
        const ctx = u.ctx; ctx.save(); ctx.strokeStyle = "rgba(0,0,0,.35)"; ctx.setLineDash([3, 3]);
        for (const t of u.marks ?? []) {
          const x = u.valToPos(t, "x", true);
          if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
          ctx.beginPath(); ctx.moveTo(x, u.bbox.top); ctx.lineTo(x, u.bbox.top + u.bbox.height); ctx.stroke();
        }
        ctx.restore();
      }] },
    }, series, box);
  } else {
    state.chart.setSize({ width, height: 260 });
  }
  state.chart.marks = marks;
  state.chart.setData(series);
  showLatestUnlessHovered(state.chart);
  document.getElementById("marks").replaceChildren(...data.marks.slice().reverse().slice(0, 30).map(m => {
    const li = el("li");
    li.append(el("span", fmt.time(m.at), "when"), el("b", m.ruleId), document.createTextNode(": " + m.text));
    return li;
  }));
}

function connect() {
  const live = document.getElementById("live");
  const source = new EventSource("/api/events");
  source.addEventListener("state", e => {
    live.textContent = "live"; live.className = "badge on";
    render(JSON.parse(e.data));
  });
  source.onerror = () => {
    live.textContent = "reconnecting…"; live.className = "badge off";
    // A 401 (logged out) ends the stream for good: reload to get the login page.
    if (source.readyState === EventSource.CLOSED) setTimeout(() => location.reload(), 3000);
  };
}

window.addEventListener("resize", () => { if (state.chart) state.chart.setSize({ width: Math.max(280, document.getElementById("chart").clientWidth), height: 260 }); });
setInterval(() => loadChart(false), 30000);
connect();
