/**
 * @module A misbehaving Modbus TCP server (raw Deno.listen on 127.0.0.1) for hostile-input tests: it answers
 * FC3 reads correctly, or in one of several broken ways chosen at run time.
 */

/** How the server answers the next requests. */
export type Misbehaviour =
  | "good"
  | "wrong_byte_count" // byte count field disagrees with the data
  | "short_mbap_length" // MBAP length claims fewer bytes than sent
  | "huge_mbap_length" // MBAP length 65535, then nothing
  | "wrong_transaction_id"
  | "wrong_function_code"
  | "wrong_unit_id"
  | "exception_2"
  | "exception_4"
  | "unknown_exception" // exception code 0x7f
  | "truncated_then_close" // half a frame, then the socket closes
  | "garbage" // random bytes instead of a frame
  | "garbage_burst" // 64 KiB of random bytes
  | "silent" // reads the request, never answers
  | "close_immediately" // closes the socket on every request
  | "two_frames"; // the right answer followed by a duplicate with a stale transaction id

/** Register value served at `address` when behaving. */
export function goodValue(address: number, generation: number): number {
  return (address * 7 + generation * 13) & 0xffff;
}

/** A running hostile server. */
export class HostileModbusServer {
  mode: Misbehaviour = "good";
  /** Bumped by the test so it can tell fresh good values from old ones. */
  generation = 1;
  requests = 0;
  readonly #listener: Deno.Listener;
  readonly #conns = new Set<Deno.Conn>();
  readonly #accepting: Promise<void>;
  readonly #handlers = new Set<Promise<void>>();
  #seed = 12345;

  private constructor(listener: Deno.Listener) {
    this.#listener = listener;
    this.#accepting = this.#accept();
  }

  static start(): HostileModbusServer {
    return new HostileModbusServer(Deno.listen({ hostname: "127.0.0.1", port: 0 }));
  }

  get port(): number {
    return (this.#listener.addr as Deno.NetAddr).port;
  }

  async #accept(): Promise<void> {
    try {
      for await (const conn of this.#listener) {
        this.#conns.add(conn);
        const h = this.#serve(conn).finally(() => {
          this.#conns.delete(conn);
          this.#handlers.delete(h);
        });
        this.#handlers.add(h);
      }
    } catch {
      // listener closed
    }
  }

  #random(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) {
      this.#seed = (this.#seed * 1103515245 + 12345) >>> 0;
      out[i] = this.#seed >>> 24;
    }
    return out;
  }

  async #serve(conn: Deno.Conn): Promise<void> {
    let buf = new Uint8Array(0);
    const chunk = new Uint8Array(4096);
    try {
      while (true) {
        const n = await conn.read(chunk);
        if (n === null) break;
        const next = new Uint8Array(buf.length + n);
        next.set(buf);
        next.set(chunk.subarray(0, n), buf.length);
        buf = next;
        while (buf.length >= 7) {
          const len = (buf[4]! << 8) | buf[5]!;
          if (buf.length < 6 + len) break;
          const frame = buf.slice(0, 6 + len);
          buf = buf.slice(6 + len);
          this.requests++;
          const keep = await this.#answer(conn, frame);
          if (!keep) {
            conn.close();
            return;
          }
        }
      }
    } catch {
      // peer reset or closed by stop()
    }
    try {
      conn.close();
    } catch {
      // already closed
    }
  }

  /** Answers one request frame; false closes the connection. */
  async #answer(conn: Deno.Conn, req: Uint8Array): Promise<boolean> {
    const tid = (req[0]! << 8) | req[1]!;
    const unit = req[6]!;
    const fc = req[7]!;
    const address = (req[8]! << 8) | req[9]!;
    const count = (req[10]! << 8) | req[11]!;
    const data = new Uint8Array(count * 2);
    for (let i = 0; i < count; i++) {
      const v = goodValue(address + i, this.generation);
      data[2 * i] = v >> 8;
      data[2 * i + 1] = v & 0xff;
    }
    const frame = (t: number, u: number, pdu: Uint8Array, mbapLen = pdu.length + 1) => {
      const out = new Uint8Array(7 + pdu.length);
      out.set([t >> 8, t & 0xff, 0, 0, mbapLen >> 8, mbapLen & 0xff, u]);
      out.set(pdu, 7);
      return out;
    };
    const good = (f = fc, byteCount = data.length) => new Uint8Array([f, byteCount, ...data]);
    const exception = (code: number) => new Uint8Array([fc | 0x80, code]);
    const write = async (bytes: Uint8Array) => {
      let off = 0;
      while (off < bytes.length) off += await conn.write(bytes.subarray(off));
    };
    switch (this.mode) {
      case "good":
        await write(frame(tid, unit, good()));
        return true;
      case "wrong_byte_count":
        await write(frame(tid, unit, good(fc, data.length + 10)));
        return true;
      case "short_mbap_length":
        await write(frame(tid, unit, good(), 3));
        return true;
      case "huge_mbap_length":
        await write(frame(tid, unit, new Uint8Array([fc]), 65535));
        return true;
      case "wrong_transaction_id":
        await write(frame((tid + 1000) & 0xffff, unit, good()));
        return true;
      case "wrong_function_code":
        await write(frame(tid, unit, good(fc === 3 ? 4 : 3)));
        return true;
      case "wrong_unit_id":
        await write(frame(tid, (unit + 1) & 0xff, good()));
        return true;
      case "exception_2":
        await write(frame(tid, unit, exception(2)));
        return true;
      case "exception_4":
        await write(frame(tid, unit, exception(4)));
        return true;
      case "unknown_exception":
        await write(frame(tid, unit, exception(0x7f)));
        return true;
      case "truncated_then_close": {
        const full = frame(tid, unit, good());
        await write(full.subarray(0, Math.max(3, full.length >> 1)));
        return false;
      }
      case "garbage":
        await write(this.#random(17));
        return true;
      case "garbage_burst":
        await write(this.#random(65536));
        return true;
      case "silent":
        return true;
      case "close_immediately":
        return false;
      case "two_frames":
        await write(frame(tid, unit, good()));
        await write(frame((tid + 7) & 0xffff, unit, good()));
        return true;
    }
  }

  /** Drops every open connection (the test changes behaviour cleanly). */
  dropConnections(): void {
    for (const c of this.#conns) {
      try {
        c.close();
      } catch {
        // already closed
      }
    }
  }

  async stop(): Promise<void> {
    this.#listener.close();
    this.dropConnections();
    await this.#accepting;
    await Promise.allSettled([...this.#handlers]);
  }
}
