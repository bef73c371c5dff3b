// Live values table, fed by the tag list and the live stream.
import { el, fmtAge, fmtValue } from "./format.js";

export class LiveTable {
  constructor(tbody, filter, count, onSelect) {
    this.tbody = tbody;
    this.filter = filter;
    this.count = count;
    this.onSelect = onSelect;
    this.rows = new Map();
    this.selected = undefined;
    filter.addEventListener("input", () => this.applyFilter());
    setInterval(() => this.refreshAges(), 1000);
  }

  /** Sets the tag list (metadata and latest values). */
  setTags(tags) {
    this.tbody.replaceChildren();
    this.rows.clear();
    for (const t of tags) {
      const value = el("td", { class: "value" });
      const quality = el("td");
      const age = el("td", { class: "muted" });
      const tr = el(
        "tr",
        { "data-tag": t.id, title: t.description ?? t.id },
        el("td", {}, t.id),
        value,
        el("td", { class: "muted" }, t.unit ?? ""),
        quality,
        age,
      );
      tr.addEventListener("click", () => this.select(t.id));
      this.tbody.append(tr);
      this.rows.set(t.id, { tr, value, quality, age, ts: undefined, meta: t });
      if (t.latest) this.update(t.latest);
    }
    this.count.textContent = `(${tags.length})`;
    this.applyFilter();
  }

  /** Applies one live value. */
  update(v) {
    const row = this.rows.get(v.tag);
    if (!row) return;
    row.value.textContent = fmtValue(v.value);
    row.quality.textContent = v.quality;
    row.quality.className = `q-${v.quality}`;
    row.ts = v.ts;
    row.age.textContent = fmtAge(v.ts);
  }

  select(id) {
    for (const r of this.rows.values()) r.tr.classList.toggle("selected", r.meta.id === id);
    this.selected = id;
    this.onSelect(this.rows.get(id)?.meta);
  }

  refreshAges() {
    const now = Date.now();
    for (const r of this.rows.values()) if (r.ts !== undefined) r.age.textContent = fmtAge(r.ts, now);
  }

  applyFilter() {
    const f = this.filter.value.toLowerCase();
    for (const r of this.rows.values()) {
      r.tr.classList.toggle("hidden", f !== "" && !r.meta.id.toLowerCase().includes(f));
    }
  }
}
