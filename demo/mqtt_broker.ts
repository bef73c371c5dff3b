/**
 * @module An embedded MQTT broker for the demo (aedes, MQTT 3.1.1, in memory) on 127.0.0.1, so the demo can
 * show the uplink without installing a broker. Configure the demo's mqtt sink with the returned `url` and
 * `protocol_version: "3.1.1"` (aedes does not speak MQTT 5).
 */
import { Aedes } from "aedes";
import { createServer, type Server } from "node:net";

/** Options of {@link startDemoBroker}. */
export interface DemoBrokerOptions {
  /** Port to listen on; 0 (default) picks a free one. */
  readonly port?: number;
  /** Called for every message clients publish (not the broker's own $SYS messages). */
  readonly onPublish?: (topic: string, payload: Uint8Array, clientId: string) => void;
}

/** A running embedded broker. */
export interface DemoBroker {
  readonly url: string;
  readonly port: number;
  /** Clients connected now. */
  connectedClients(): number;
  /** Disconnects every client and stops listening. */
  close(): Promise<void>;
}

/** Starts an aedes broker bound to 127.0.0.1. */
export async function startDemoBroker(options: DemoBrokerOptions = {}): Promise<DemoBroker> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new RangeError(`port must be 0..65535, got ${port}`);
  }
  const aedes = await Aedes.createBroker();
  if (options.onPublish) {
    const fn = options.onPublish;
    aedes.on("publish", (packet, client) => {
      if (client) fn(packet.topic, new Uint8Array(packet.payload as Uint8Array), client.id);
    });
  }
  const server: Server = createServer(aedes.handle as (socket: unknown) => void);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  const bound = (server.address() as { port: number }).port;
  return {
    url: `mqtt://127.0.0.1:${bound}`,
    port: bound,
    connectedClients: () => aedes.connectedClients,
    close: async () => {
      await new Promise<void>((resolve) => aedes.close(() => resolve()));
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
