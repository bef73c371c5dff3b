/**
 * @module Prometheus-style metrics: counters, gauges and histograms with labels, rendered as text.
 */

type Labels = Readonly<Record<string, string>>;

function labelKey(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  return keys.map((k) => `${k}="${escapeLabel(labels[k]!)}"`).join(",");
}

function escapeLabel(v: string): string {
  return v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: "counter" | "gauge" | "histogram";
  render(): string[];
}

/** A monotonically increasing count. */
export class Counter implements Family {
  readonly type = "counter";
  readonly #values = new Map<string, number>();
  constructor(readonly name: string, readonly help: string) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = labelKey(labels);
    this.#values.set(k, (this.#values.get(k) ?? 0) + by);
  }
  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  render(): string[] {
    return [...this.#values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ""} ${v}`);
  }
}

/** A value that goes up and down; may be computed on demand by a callback. */
export class Gauge implements Family {
  readonly type = "gauge";
  readonly #values = new Map<string, number>();
  readonly #collectors: (() => Iterable<[Labels, number]>)[] = [];
  constructor(readonly name: string, readonly help: string) {}
  set(value: number, labels: Labels = {}): void {
    this.#values.set(labelKey(labels), value);
  }
  get(labels: Labels = {}): number {
    return this.#values.get(labelKey(labels)) ?? 0;
  }
  /** Registers a callback evaluated at render time; returns a function that removes it. */
  collect(fn: () => Iterable<[Labels, number]>): () => void {
    this.#collectors.push(fn);
    return () => {
      const i = this.#collectors.indexOf(fn);
      if (i >= 0) this.#collectors.splice(i, 1);
    };
  }
  render(): string[] {
    const out = [...this.#values].map(([k, v]) => `${this.name}${k ? `{${k}}` : ""} ${v}`);
    for (const fn of this.#collectors) {
      for (const [labels, v] of fn()) {
        const k = labelKey(labels);
        out.push(`${this.name}${k ? `{${k}}` : ""} ${v}`);
      }
    }
    return out;
  }
}

/** Cumulative-bucket histogram. */
export class Histogram implements Family {
  readonly type = "histogram";
  readonly #series = new Map<string, { counts: number[]; sum: number; count: number }>();
  constructor(readonly name: string, readonly help: string, readonly buckets: readonly number[]) {}
  observe(value: number, labels: Labels = {}): void {
    const k = labelKey(labels);
    let s = this.#series.get(k);
    if (!s) {
      s = { counts: new Array(this.buckets.length).fill(0), sum: 0, count: 0 };
      this.#series.set(k, s);
    }
    for (let i = 0; i < this.buckets.length; i++) if (value <= this.buckets[i]!) s.counts[i]!++;
    s.sum += value;
    s.count++;
  }
  render(): string[] {
    const out: string[] = [];
    for (const [k, s] of this.#series) {
      const sep = k ? "," : "";
      this.buckets.forEach((b, i) => out.push(`${this.name}_bucket{${k}${sep}le="${b}"} ${s.counts[i]}`));
      out.push(`${this.name}_bucket{${k}${sep}le="+Inf"} ${s.count}`);
      out.push(`${this.name}_sum${k ? `{${k}}` : ""} ${s.sum}`);
      out.push(`${this.name}_count${k ? `{${k}}` : ""} ${s.count}`);
    }
    return out;
  }
}

/** All metric families of one gateway; families are created once by name and shared. */
export class Metrics {
  readonly #families = new Map<string, Family>();

  counter(name: string, help: string): Counter {
    return this.#get(name, () => new Counter(name, help), "counter");
  }
  gauge(name: string, help: string): Gauge {
    return this.#get(name, () => new Gauge(name, help), "gauge");
  }
  histogram(name: string, help: string, buckets: readonly number[]): Histogram {
    return this.#get(name, () => new Histogram(name, help, buckets), "histogram");
  }

  /** Prometheus text exposition format. */
  render(): string {
    const lines: string[] = [];
    for (const f of this.#families.values()) {
      lines.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.render());
    }
    return lines.join("\n") + "\n";
  }

  #get<F extends Family>(name: string, make: () => F, type: Family["type"]): F {
    const existing = this.#families.get(name);
    if (existing) {
      if (existing.type !== type) {
        throw new TypeError(`metric ${name} already registered as ${existing.type}`);
      }
      return existing as F;
    }
    const f = make();
    this.#families.set(name, f);
    return f;
  }
}
