/**
 * @module Topic names of the gateway JSON scheme: {prefix}/{site}/{gateway}/{class}/{key}.
 */
import type { RecordClass } from "./outbox/mod.ts";

/** A topic level made safe: `/`, `+`, `#` and NUL become `_`, an empty level becomes `_`. */
export function topicLevel(s: string): string {
  const v = s.replaceAll("\0", "_").replace(/[/+#]/g, "_");
  return v.length === 0 ? "_" : v;
}

/** Topic names of one gateway. */
export class Topics {
  readonly base: string;
  constructor(prefix: string, site: string, gateway: string) {
    this.base = `${prefix.replace(/\/+$/, "")}/${topicLevel(site)}/${topicLevel(gateway)}`;
  }
  /** Data topic of a record class; events have no key. */
  data(cls: RecordClass, key: string): string {
    return cls === "events" ? `${this.base}/events` : `${this.base}/${cls}/${topicLevel(key)}`;
  }
  get status(): string {
    return `${this.base}/status`;
  }
  get commands(): string {
    return `${this.base}/cmd/#`;
  }
  get commandPrefix(): string {
    return `${this.base}/cmd/`;
  }
  get results(): string {
    return `${this.base}/cmd_result`;
  }
}
