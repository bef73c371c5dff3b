/**
 * @module A real gateway for end-to-end API tests: simulator source, DuckDB history store, http on port 0.
 */
import "../../../adapters/simulator/mod.ts";
import "../../../adapters/history/mod.ts";
import "../../../core/api/mod.ts";
import { createLogger, Gateway, parseConfig } from "../../../core/mod.ts";
import { TokenFile } from "../../../core/api/mod.ts";

/** Simulator config: a temperature, a flow with bad-quality episodes and a light vibration channel. */
export const SIM = `
sources:
  - name: sim
    type: simulator
    seed: 7
    tick_ms: 50
    signals:
      - { name: temp, kind: temperature, asset: pump-1, unit: degC, interval_ms: 100, base: 48, amplitude: 2, period_s: 5 }
      - { name: flow, kind: analog, asset: pump-1, unit: m3/h, interval_ms: 100, base: 120, amplitude: 4, period_s: 3 }
      - { name: strokes, kind: counter, asset: press-2, interval_ms: 200, rate_per_s: 5 }
      - { name: vib, kind: vibration, asset: pump-1, sample_rate_hz: 2000, buffer_capacity: 8192 }
sinks:
  - name: store
    type: history
assets:
  - { id: pump-1, description: Cooling water pump 1 }
  - { id: press-2, line: line-2, description: Stamping press 2 }
`;

export interface RunningGateway {
  readonly gateway: Gateway;
  readonly url: string;
  readonly dir: string;
  readonly admin: string;
  readonly viewer: string;
  readonly pump: string;
  stop(): Promise<void>;
}

/** Starts a gateway with the simulator, the store and the API; `http` is YAML under `http:`. */
export async function startGateway(http = "  port: 0\n", extra = ""): Promise<RunningGateway> {
  const dir = await Deno.makeTempDir({ prefix: "api_e2e_" });
  const tokens = new TokenFile(`${dir}/api_tokens.json`);
  const admin = (await tokens.create({ name: "admin", role: "admin", scopes: [] })).token;
  const viewer = (await tokens.create({ name: "viewer", role: "viewer", scopes: [] })).token;
  const pump = (await tokens.create({ name: "pump", role: "operator", scopes: ["asset:pump-1"] })).token;
  const yaml =
    `gateway: { id: gw-e2e, site: plant-a, line: line-1, data_dir: "${dir}" }\nlog: { level: error }\n` +
    SIM + extra + `http:\n${http}`;
  const config = parseConfig(yaml, { env: () => undefined });
  const gateway = new Gateway(config, { logger: createLogger({ level: "error", writer: () => {} }) });
  await gateway.start();
  const details = gateway.health().services.http?.details as { url?: string } | undefined;
  if (!details?.url) {
    await gateway.stop();
    throw new Error(`http service did not start: ${JSON.stringify(gateway.health().services)}`);
  }
  return {
    gateway,
    url: details.url,
    dir,
    admin,
    viewer,
    pump,
    async stop() {
      await gateway.stop();
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}

/** Reads Server-Sent Events until `until` returns true or `ms` pass; returns the events seen. */
export async function readEvents(
  res: Response,
  until: (events: { event: string; data: string }[]) => boolean,
  ms: number,
): Promise<{ event: string; data: string }[]> {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: { event: string; data: string }[] = [];
  let buf = "";
  const deadline = Date.now() + ms;
  try {
    while (Date.now() < deadline && !until(events)) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const next = await Promise.race([
        reader.read(),
        new Promise<undefined>((
          r,
        ) => (timer = setTimeout(() => r(undefined), Math.max(1, deadline - Date.now())))),
      ]);
      clearTimeout(timer);
      if (!next || next.done) break;
      buf += next.value;
      let i: number;
      while ((i = buf.indexOf("\n\n")) >= 0) {
        const block = buf.slice(0, i);
        buf = buf.slice(i + 2);
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? (block.startsWith(":") ? "comment" : "message");
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? block;
        events.push({ event, data });
      }
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  return events;
}
