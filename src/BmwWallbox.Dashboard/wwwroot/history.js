// The history page: sessions and their totals per month, from the charging history.
"use strict";

async function load() {
  const params = new URLSearchParams();
  const from = document.getElementById("from").value, to = document.getElementById("to").value;
  if (from) params.set("from", from);
  if (to) params.set("to", to);
  const message = document.getElementById("history-message");
  let data;
  try { data = await getJson("/api/sessions?" + params); }
  catch (e) { message.textContent = e.message; message.className = "error"; return; }
  message.className = "muted";
  message.textContent = data.enabled ? data.sessions.length + " session(s)" : data.message;
  const kwh = v => v === null || v === undefined ? "–" : Number(v).toFixed(2);
  const money = v => v === null || v === undefined ? "–" : Number(v).toFixed(2);
  fill(document.getElementById("months"),
    ["month", { text: "sessions", cls: "num" }, { text: "kWh", cls: "num" }, { text: "solar kWh", cls: "num" }, { text: "solar share", cls: "num" }, { text: "cost", cls: "num" }, "charging"],
    data.months.map(m => [m.month, { text: m.sessions, cls: "num" }, { text: kwh(m.energyKWh), cls: "num" }, { text: kwh(m.solarKWh), cls: "num" },
      { text: fmt.percent(m.solarShare), cls: "num" }, { text: money(m.cost), cls: "num" }, fmt.duration(m.chargingTime)]));
  fill(document.getElementById("sessions"),
    ["station", "start", "end", { text: "kWh", cls: "num" }, { text: "max kW", cls: "num" }, { text: "solar share", cls: "num" }, { text: "cost", cls: "num" }, "charging / paused", "limit set by"],
    data.sessions.map(s => {
      const tr = row([s.stationName, fmt.dateTime(s.startedAt), s.endedAt ? fmt.dateTime(s.endedAt) : "charging…", { text: kwh(s.energyKWh), cls: "num" },
        { text: fmt.num(s.maxPowerW / 1000, 1), cls: "num" }, { text: fmt.percent(s.solarShare), cls: "num" }, { text: money(s.cost), cls: "num" },
        fmt.duration(s.chargingTime) + " / " + fmt.duration(s.pausedTime),
        { text: s.limitSources.map(l => l.source + " " + fmt.duration(l.duration)).join(", "), cls: "sources" }]);
      tr.dataset.session = s.id;
      return tr;
    }));
}

document.getElementById("filter").addEventListener("submit", e => { e.preventDefault(); load(); });
load();
