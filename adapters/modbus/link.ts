/**
 * @module One connection to a Modbus endpoint (TCP, RTU-over-TCP or a serial line) that never hangs:
 * every connect and request has a deadline, and a stuck connection is destroyed so the next use recreates it.
 */
import { type ModbusClient, newClient } from "./client.ts";
import type { DeviceConfig } from "./device_schema.ts";
import { TimeoutFailure } from "./failure.ts";
import { DenoSerialPort } from "./serial_port.ts";
import type { Table } from "./register_schema.ts";

/** Where a device is reached. */
export type Endpoint =
  | { readonly transport: "tcp" | "rtu_over_tcp"; readonly host: string; readonly port: number }
  | {
    readonly transport: "rtu";
    readonly path: string;
    readonly baudRate: number;
    readonly parity: string;
    readonly dataBits: number;
    readonly stopBits: number;
  };

/** The endpoint of a validated device config. */
export function endpointOf(d: DeviceConfig): Endpoint {
  if (d.transport === "rtu") {
    const s = d.serial!;
    return {
      transport: "rtu",
      path: s.path,
      baudRate: s.baud_rate,
      parity: s.parity,
      dataBits: s.data_bits,
      stopBits: s.stop_bits,
    };
  }
  return { transport: d.transport, host: d.host!, port: d.port };
}

/** A stable key naming the endpoint (devices sharing it share the link and are never polled in parallel). */
export function endpointKey(e: Endpoint): string {
  return e.transport === "rtu" ? `rtu:${e.path}` : `${e.transport}:${e.host}:${e.port}`;
}

/** Response of a read: registers or bits. */
export interface ReadResponse {
  readonly words?: readonly number[];
  readonly bits?: readonly boolean[];
}

/** Extra time the watchdog gives the client's own timeout before declaring the connection stuck. */
const WATCHDOG_GRACE_MS = 250;

/** A (re)connectable link; `onClose` is called when an open connection drops. */
export class ModbusLink {
  #client: ModbusClient | undefined;
  #consecutiveTimeouts = 0;
  /** Rejecters of requests in flight, failed at once when the connection goes away. */
  readonly #pending = new Set<(error: Error) => void>();

  constructor(readonly endpoint: Endpoint, private readonly onClose: (reason: string) => void = () => {}) {}

  get key(): string {
    return endpointKey(this.endpoint);
  }

  get connected(): boolean {
    return this.#client?.isOpen === true;
  }

  /** Opens the connection (destroying any previous one); rejects on failure or after `timeoutMs`. */
  async connect(timeoutMs: number): Promise<void> {
    this.destroy();
    const e = this.endpoint;
    const client = newClient(e.transport === "rtu" ? new DenoSerialPort(e) : undefined);
    this.#client = client;
    let opening: Promise<void>;
    if (e.transport === "rtu") {
      opening = new Promise((resolve, reject) => client.open((err) => (err ? reject(err) : resolve())));
    } else if (e.transport === "rtu_over_tcp") {
      opening = client.connectTelnet(e.host, { port: e.port });
    } else {
      opening = client.connectTCP(e.host, { port: e.port });
    }
    try {
      await deadline(opening, timeoutMs, "connect ", this.#pending);
    } catch (error) {
      if (this.#client === client) this.destroy();
      throw error;
    }
    if (this.#client !== client) throw new Error("connection was closed while opening");
    client.on("error", () => {});
    client.on("close", () => this.#drop(client, "connection closed by peer"));
    this.#consecutiveTimeouts = 0;
  }

  /**
   * Reads `count` units of `table` at `address` from `unitId`. After two timeouts in a row with no answer
   * in between (or when the client's own timeout fails to fire) the connection is destroyed.
   */
  async read(
    unitId: number,
    table: Table,
    address: number,
    count: number,
    timeoutMs: number,
  ): Promise<ReadResponse> {
    const client = this.#client;
    if (!client || !client.isOpen) throw new Error("not connected");
    client.setID(unitId);
    client.setTimeout(timeoutMs);
    const request: Promise<ReadResponse> = table === "coil"
      ? client.readCoils(address, count).then((r) => ({ bits: r.data }))
      : table === "discrete"
      ? client.readDiscreteInputs(address, count).then((r) => ({ bits: r.data }))
      : table === "holding"
      ? client.readHoldingRegisters(address, count).then((r) => ({ words: r.data }))
      : client.readInputRegisters(address, count).then((r) => ({ words: r.data }));
    try {
      const response = await deadline(request, timeoutMs + WATCHDOG_GRACE_MS, "", this.#pending);
      this.#consecutiveTimeouts = 0;
      return response;
    } catch (error) {
      const e = error as { errno?: unknown; modbusCode?: unknown };
      if (typeof e?.modbusCode === "number") {
        this.#consecutiveTimeouts = 0;
      } else if (error instanceof TimeoutFailure) {
        this.#drop(client, "request watchdog expired");
        throw new TimeoutFailure("", timeoutMs);
      } else if (e?.errno === "ETIMEDOUT") {
        if (++this.#consecutiveTimeouts >= 2) this.#drop(client, "no answer to two requests in a row");
      } else {
        this.#drop(client, "request failed");
      }
      throw error;
    }
  }

  /** Closes politely (after a poll, for devices that allow few connections). */
  close(): void {
    this.destroy();
  }

  /** Destroys the connection immediately; requests in flight fail with `reason`. */
  destroy(reason = "connection closed"): void {
    const client = this.#client;
    this.#client = undefined;
    for (const fail of [...this.#pending]) fail(new Error(reason));
    this.#pending.clear();
    if (!client) return;
    try {
      client.destroy(() => {});
    } catch {
      try {
        client.close(() => {});
      } catch {
        // already gone
      }
    }
  }

  #drop(client: ModbusClient, reason: string): void {
    if (this.#client !== client) return;
    this.destroy(reason);
    this.onClose(reason);
  }
}

/**
 * Resolves like `p`, or rejects with a TimeoutFailure after `ms`, or with the error handed to the rejecter
 * registered in `pending` (connection destroyed). A late settlement of `p` is ignored.
 */
function deadline<T>(p: Promise<T>, ms: number, what: string, pending: Set<(e: Error) => void>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const fail = (error: Error) => finish(() => reject(error));
    const timer = setTimeout(() => fail(new TimeoutFailure(what, ms)), ms);
    let done = false;
    function finish(settle: () => void) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      pending.delete(fail);
      settle();
    }
    pending.add(fail);
    p.then((v) => finish(() => resolve(v)), (e) => finish(() => reject(e)));
  });
}
