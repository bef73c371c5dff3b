// Dashboard entry: token handling, periodic refreshes and the live stream.
import { api, stream, token } from "./api.js";
import { Alerts } from "./alerts.js";
import { renderHealth } from "./health.js";
import { LiveTable } from "./live.js";
import { Spectrum } from "./spectrum.js";
import { Trend } from "./trend.js";

const $ = (id) => document.getElementById(id);
const notice = (text) => {
  $("notice").textContent = text ?? "";
  $("notice").classList.toggle("hidden", !text);
};

const trend = new Trend($("trend"), $("trend-tag"), $("trend-range"), $("trend-agg"));
const table = new LiveTable(
  $("live").querySelector("tbody"),
  $("filter"),
  $("live-count"),
  (meta) => trend.show(meta),
);
const spectrum = new Spectrum(
  $("spectrum-tag"),
  $("spectrum-info"),
  $("spectrum"),
  $("envelope"),
  $("markers"),
);
const alerts = new Alerts($("alerts"), $("anomalies"), notice);
let live;
let timers = [];

async function health() {
  try {
    const h = await api("/api/v1/health");
    $("title").textContent = `Gateway ${h.gateway.id}`;
    $("meta").textContent = `site ${h.gateway.site} · version ${h.version} · up ${
      Math.round(h.uptimeSeconds / 60)
    } min`;
    $("status").textContent = h.status;
    $("status").className = `pill ${h.status}`;
    renderHealth($("health"), h);
    return h;
  } catch (e) {
    $("status").textContent = e.status === 401 ? "token needed" : "offline";
    $("status").className = "pill offline";
  }
}

async function loadTags() {
  const tags = [];
  let cursor;
  do {
    const page = await api(`/api/v1/tags?limit=1000${cursor ? `&cursor=${cursor}` : ""}`);
    tags.push(...page.items);
    cursor = page.next;
  } while (cursor);
  table.setTags(tags);
  if (tags.length > 0 && !table.selected) {
    // A slow process value makes a readable first trend; a 25.6 kHz channel averages to a flat line.
    const numeric = tags.find((t) => t.dataType === "float" && !t.sampleRateHz) ??
      tags.find((t) => t.dataType === "float") ?? tags[0];
    table.select(numeric.id);
  }
}

async function connect() {
  live?.stop();
  for (const t of timers) clearInterval(t);
  timers = [];
  const h = await health();
  timers.push(setInterval(health, 5000));
  // Without a token the gateway may still admit us (http.auth.anonymous_role); its health says so.
  if (!token.get() && (h?.api?.anonymous_role ?? "none") === "none") {
    notice("Enter an API token (create one with `gateway token create --name me --role viewer`).");
    return;
  }
  try {
    await loadTags();
    notice();
  } catch (e) {
    if (e.status === 401) {
      notice(
        token.get()
          ? "The token was rejected: check it or create a new one."
          : "Enter an API token (create one with `gateway token create --name me --role viewer`).",
      );
    } else notice(`Cannot load tags: ${e.message}`);
    return;
  }
  live = stream("/api/v1/stream", (name, data) => {
    if (name === "values") {
      for (const v of data) {
        table.update(v);
        trend.live(v);
      }
    } else if (name === "alert") alerts.live(data);
  }, (state) => {
    $("live-count").dataset.stream = state;
    if (state.startsWith("error")) notice(`Live stream: ${state}`);
  });
  spectrum.refresh();
  alerts.refresh();
  timers.push(setInterval(() => spectrum.refresh(), 5000), setInterval(() => alerts.refresh(), 10000));
}

$("token-form").addEventListener("submit", (e) => {
  e.preventDefault();
  token.set($("token").value.trim());
  $("token").value = "";
  connect();
});
$("forget").addEventListener("click", () => {
  token.set("");
  connect();
});
connect();
