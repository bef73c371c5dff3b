/**
 * @module The gateway JSON scheme: one topic per class and asset, an envelope with schema version, stable
 * message id, event and send timestamps, quality and replay flag; a retained status with a last will.
 */
import { type GatewayIdentity, QUALITY_NAMES } from "../../core/mod.ts";
import type { Codec, Publication } from "./codec.ts";
import type { OutboxRecord, RecordClass } from "./outbox/mod.ts";
import type { Topics } from "./topics.ts";

/** Version of the JSON envelope; bumped on incompatible changes. */
export const SCHEMA_VERSION = 1;

/** The JSON scheme. */
export class JsonCodec implements Codec {
  constructor(
    private readonly topics: Topics,
    private readonly gateway: GatewayIdentity,
    private readonly qos: Readonly<Record<RecordClass, number>>,
    private readonly clientId: string,
    private readonly clock: () => number,
  ) {}

  #status(state: "online" | "offline", reason: string): Publication {
    const payload = JSON.stringify({
      schema: SCHEMA_VERSION,
      state,
      reason,
      gateway: this.gateway.id,
      site: this.gateway.site,
      version: this.gateway.version,
      client_id: this.clientId,
      ts: this.clock(),
    });
    return { topic: this.topics.status, payload, qos: 1, retain: true };
  }

  will(): Publication {
    return this.#status("offline", "connection lost");
  }
  births(): Publication[] {
    return [this.#status("online", "connected")];
  }
  goodbye(reason: "stopped" | "failback" = "stopped"): Publication {
    return this.#status("offline", reason);
  }

  encode(r: OutboxRecord, replayed: boolean): Publication[] {
    const id = `${this.gateway.id}-${r.seq}`;
    const payload = `{"schema":${SCHEMA_VERSION},"id":${JSON.stringify(id)},"seq":${r.seq},"gateway":${
      JSON.stringify(this.gateway.id)
    },"type":"${r.kind}","ts":${r.eventTs},"sent":${this.clock()},"quality":"${
      QUALITY_NAMES[r.quality] ?? "bad"
    }","replayed":${replayed},"data":${r.data}}`;
    return [{
      topic: this.topics.data(r.cls, r.key),
      payload,
      qos: this.qos[r.cls] === 1 ? 1 : 0,
      retain: false,
    }];
  }

  commandTopics(): string[] {
    return [this.topics.commands];
  }
  resultTopic(): string {
    return this.topics.results;
  }
}
