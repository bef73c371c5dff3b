/**
 * @module A small read-only Modbus TCP server (FC 1-4) for the demo plant and tests. Other function codes
 * are answered with exception 1 (illegal function); reads outside the tables with exception 2.
 */
import { Buffer } from "node:buffer";
import net from "node:net";

/** The four data tables of the server. */
export interface ServerTables {
  readonly coils: Uint8Array;
  readonly discretes: Uint8Array;
  readonly holding: Uint16Array;
  readonly input: Uint16Array;
}

/** A running server. */
export interface ModbusTcpServer {
  readonly port: number;
  readonly tables: ServerTables;
  /** Requests answered so far, per function code. */
  readonly requests: Record<number, number>;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (port 0 = a free port) answering every unit id. */
export async function startModbusTcpServer(
  options: { port?: number; size?: number } = {},
): Promise<ModbusTcpServer> {
  const size = options.size ?? 10_000;
  const tables: ServerTables = {
    coils: new Uint8Array(size),
    discretes: new Uint8Array(size),
    holding: new Uint16Array(size),
    input: new Uint16Array(size),
  };
  const requests: Record<number, number> = {};
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    let buf = Buffer.alloc(0);
    sock.on("close", () => sockets.delete(sock));
    sock.on("error", () => sock.destroy());
    sock.on("data", (chunk: Buffer) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 7) {
        const len = buf.readUInt16BE(4);
        if (len < 2 || len > 254) return void sock.destroy();
        if (buf.length < 6 + len) break;
        const frame = buf.subarray(0, 6 + len);
        buf = buf.subarray(6 + len);
        sock.write(answer(frame, tables, requests));
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    tables,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

function answer(frame: Buffer, t: ServerTables, requests: Record<number, number>): Buffer {
  const fc = frame[7]!;
  requests[fc] = (requests[fc] ?? 0) + 1;
  const reply = (pdu: number[]) => {
    const out = Buffer.alloc(7 + pdu.length);
    frame.copy(out, 0, 0, 4);
    out.writeUInt16BE(pdu.length + 1, 4);
    out[6] = frame[6]!;
    Buffer.from(pdu).copy(out, 7);
    return out;
  };
  if (fc < 1 || fc > 4 || frame.length < 12) return reply([fc | 0x80, 1]);
  const address = frame.readUInt16BE(8);
  const count = frame.readUInt16BE(10);
  const bits = fc <= 2;
  const table = fc === 1 ? t.coils : fc === 2 ? t.discretes : fc === 3 ? t.holding : t.input;
  if (count < 1 || count > (bits ? 2000 : 125)) return reply([fc | 0x80, 3]);
  if (address + count > table.length) return reply([fc | 0x80, 2]);
  if (bits) {
    const bytes = new Array<number>(Math.ceil(count / 8)).fill(0);
    for (let i = 0; i < count; i++) if (table[address + i]) bytes[i >> 3]! |= 1 << (i & 7);
    return reply([fc, bytes.length, ...bytes]);
  }
  const data: number[] = [fc, count * 2];
  for (let i = 0; i < count; i++) {
    const v = table[address + i]!;
    data.push(v >> 8, v & 0xff);
  }
  return reply(data);
}
