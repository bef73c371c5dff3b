// Health panel: sources, sinks (uplink, store, outbox backlog), services.
import { el } from "./format.js";

const DETAILS = [
  "backlog_messages",
  "oldest_age_s",
  "rows_written",
  "reconnects",
  "broker",
  "skipped_samples",
  "url",
];

function item(kind, name, h) {
  const details = Object.entries(h.details ?? {})
    .filter(([k]) => DETAILS.includes(k))
    .map(([k, v]) => `${k.replace(/_/g, " ")}: ${v}`);
  return el(
    "div",
    { class: "health-item", "data-component": name },
    el("div", { class: "kind" }, kind),
    el("div", {}, `${name} `, el("span", { class: `pill ${h.state}` }, h.state)),
    ...details.map((d) => el("div", { class: "detail" }, d)),
    h.lastError ? el("div", { class: "detail q-bad" }, h.lastError) : null,
  );
}

/** Renders /api/v1/health into the panel. */
export function renderHealth(root, h) {
  const uplink = new Set(Object.keys(h.uplink ?? {}));
  const store = new Set(Object.keys(h.store ?? {}).filter((k) => k !== "history_available"));
  const items = [
    ...Object.entries(h.sources).map(([n, x]) => item("source", n, x)),
    ...Object.entries(h.sinks).map(([n, x]) =>
      item(uplink.has(n) ? "uplink" : store.has(n) ? "store" : "sink", n, x)
    ),
    ...Object.entries(h.transforms).map(([n, x]) => item("transform", n, x)),
  ];
  root.replaceChildren(...items);
  if (items.length === 0) root.append(el("div", { class: "muted" }, "no components configured"));
}
