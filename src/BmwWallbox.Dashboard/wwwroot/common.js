// Helpers shared by the pages. Every text from the server goes in with textContent, never as HTML.
"use strict";

function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (cls) e.className = cls;
  return e;
}

function row(cells, header) {
  const tr = document.createElement("tr");
  for (const c of cells) {
    const cell = document.createElement(header ? "th" : "td");
    if (c instanceof Node) cell.appendChild(c);
    else if (c && typeof c === "object") { cell.textContent = c.text ?? ""; if (c.cls) cell.className = c.cls; if (c.title) cell.title = c.title; }
    else cell.textContent = c ?? "";
    tr.appendChild(cell);
  }
  return tr;
}

function fill(table, head, rows) {
  table.replaceChildren(row(head, true), ...rows.map(r => r instanceof Node ? r : row(r)));
}

const fmt = {
  num(v, digits) { return v === null || v === undefined ? "–" : Number(v).toFixed(digits); },
  watts(w) { return w === null || w === undefined ? "–" : Math.abs(w) >= 1000 ? (w / 1000).toFixed(2) + " kW" : Math.round(w) + " W"; },
  kwh(wh) { return wh === null || wh === undefined ? "–" : (wh / 1000).toFixed(2) + " kWh"; },
  amps(a) { return a === null || a === undefined ? "–" : (Math.round(a * 10) / 10) + " A"; },
  time(iso) { return iso ? new Date(iso).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" }) : "–"; },
  dateTime(iso) { return iso ? new Date(iso).toLocaleString([], { year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit" }) : "–"; },
  percent(x) { return x === null || x === undefined ? "–" : Math.round(x * 100) + " %"; },
  // .NET writes a TimeSpan as [d.]hh:mm:ss[.fffffff]
  duration(ts) {
    if (!ts) return "–";
    const m = /^(?:(\d+)\.)?(\d+):(\d+):(\d+)/.exec(ts);
    if (!m) return ts;
    const h = (Number(m[1] || 0) * 24) + Number(m[2]);
    return h + " h " + String(Number(m[3])).padStart(2, "0") + " min";
  },
};

// POSTs JSON and returns { ok, text }: the action's result, or the server's error line.
async function post(url, body) {
  try {
    const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body ?? {}) });
    const data = await r.json().catch(() => ({ error: "Unexpected answer (HTTP " + r.status + ")" }));
    if (r.status === 401) { location.reload(); return { ok: false, text: data.error }; }
    if (!r.ok) return { ok: false, text: data.error ?? ("HTTP " + r.status) };
    return { ok: data.ok, text: data.action + ": " + data.outcome + " – " + data.message };
  } catch (e) {
    return { ok: false, text: "No answer from bmw-rules: " + e.message };
  }
}

async function getJson(url) {
  const r = await fetch(url);
  if (r.status === 401) { location.reload(); throw new Error("log in first"); }
  const data = await r.json();
  if (!r.ok) throw new Error(data.error ?? ("HTTP " + r.status));
  return data;
}
