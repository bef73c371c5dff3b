// Trend chart of the selected tag: history (store or ring buffers) plus the live tail from the stream.
import { api } from "./api.js";
import { chart, empty } from "./charts.js";

export class Trend {
  constructor(root, label, range, agg) {
    this.root = root;
    this.label = label;
    this.range = range;
    this.agg = agg;
    this.tag = undefined;
    this.ts = [];
    this.values = [];
    this.plot = undefined;
    this.dirty = false;
    range.addEventListener("change", () => this.load());
    agg.addEventListener("change", () => this.load());
    setInterval(() => this.redraw(), 1000);
  }

  /** Shows a tag (metadata from the tag list). */
  show(meta) {
    this.meta = meta;
    this.tag = meta?.id;
    this.load();
  }

  async load() {
    if (!this.tag) return empty(this.root, "select a tag in the live values table");
    const span = Number(this.range.value);
    const step = Math.max(1000, Math.ceil(span / 600 / 1000) * 1000);
    const q = new URLSearchParams({
      tags: this.tag,
      from: `-${span / 1000}s`,
      step: `${step}`,
      agg: this.agg.value,
    });
    this.label.textContent = `${this.tag}${this.meta?.unit ? ` [${this.meta.unit}]` : ""}`;
    try {
      const r = await api(`/api/v1/history?${q}`);
      const s = r.series[0];
      this.ts = s.ts.map((t) => t / 1000);
      this.values = s.values;
      this.label.textContent += ` · ${
        r.source === "ring" ? "live buffer" : `store ${s.table}`
      }, ${this.agg.value} per ${step / 1000} s`;
      this.plot = chart(this.root, {
        series: [{
          label: this.tag,
          ...(this.meta?.unit
            ? { value: (_, v) => (v == null ? "—" : `${v.toFixed(3)} ${this.meta.unit}`) }
            : {}),
        }],
        data: [this.ts, this.values],
      });
    } catch (e) {
      this.plot = undefined;
      empty(this.root, `history unavailable: ${e.message}`);
    }
  }

  /** Appends a live value of the shown tag. */
  live(v) {
    if (v.tag !== this.tag || typeof v.value !== "number" || !this.plot) return;
    this.ts.push(v.ts / 1000);
    this.values.push(v.value);
    const horizon = (v.ts - Number(this.range.value)) / 1000;
    while (this.ts.length > 0 && this.ts[0] < horizon) {
      this.ts.shift();
      this.values.shift();
    }
    this.dirty = true;
  }

  redraw() {
    if (this.dirty && this.plot) this.plot.setData([this.ts, this.values]);
    this.dirty = false;
  }
}
