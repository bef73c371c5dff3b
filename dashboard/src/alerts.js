// Active alerts with acknowledge, and the anomaly-score timeline.
import { api } from "./api.js";
import { chart, empty } from "./charts.js";
import { el } from "./format.js";

export class Alerts {
  constructor(list, timeline, notify) {
    Object.assign(this, { list, timeline, notify });
  }

  async refresh() {
    try {
      const { items } = await api("/api/v1/alerts/active");
      if (items.length === 0) this.list.replaceChildren(el("div", { class: "muted" }, "no active alerts"));
      else this.list.replaceChildren(...items.map((a) => this.row(a)));
    } catch (e) {
      this.list.replaceChildren(
        el(
          "div",
          { class: "muted" },
          e.status === 503 ? "alerts unavailable (no store or alert manager)" : e.message,
        ),
      );
    }
    await this.scores();
  }

  row(a) {
    const ack = a.acknowledged
      ? el("span", { class: "muted" }, "acknowledged")
      : el("button", { onclick: () => this.acknowledge(a.id) }, "Acknowledge");
    return el(
      "div",
      { class: "alert", "data-alert": a.id },
      el("span", { class: `sev sev-${a.severity}` }, a.severity),
      el("span", {}, a.asset),
      el("span", { class: "msg" }, a.message),
      el("span", { class: "muted" }, new Date(a.raisedAt).toLocaleTimeString()),
      ack,
    );
  }

  async acknowledge(id) {
    try {
      await api(`/api/v1/alerts/${encodeURIComponent(id)}/acknowledge`, { method: "POST" });
      await this.refresh();
    } catch (e) {
      this.notify(e.status === 403 ? "acknowledging needs an operator token" : e.message);
    }
  }

  /** A live alert from the stream. */
  live() {
    this.refresh();
  }

  async scores() {
    try {
      const { items } = await api("/api/v1/anomalies?from=-1h&limit=1000");
      if (items.length === 0) return empty(this.timeline, "no anomaly scores in the last hour");
      const keys = [...new Set(items.map((s) => `${s.asset} · ${s.detector}`))];
      const ts = [...new Set(items.map((s) => s.ts))].sort((a, b) => a - b);
      const index = new Map(ts.map((t, i) => [t, i]));
      const cols = keys.map(() => new Array(ts.length).fill(null));
      const threshold = new Array(ts.length).fill(null);
      for (const s of items) {
        const i = index.get(s.ts);
        cols[keys.indexOf(`${s.asset} · ${s.detector}`)][i] = s.score;
        threshold[i] = s.threshold;
      }
      chart(this.timeline, {
        series: [...keys.map((k) => ({ label: k, spanGaps: true })), {
          label: "threshold",
          stroke: "#f85149",
          dash: [5, 5],
          spanGaps: true,
        }],
        data: [ts.map((t) => t / 1000), ...cols, threshold],
        height: 160,
      });
    } catch (e) {
      empty(this.timeline, e.status === 503 ? "anomaly history unavailable (no history store)" : e.message);
    }
  }
}
