/**
 * @module A serial line for modbus-serial under Deno: the `serialport` native binding cannot read its
 * descriptor under Deno (EBADF), and Deno.open on device files needs --allow-all. So the line is configured
 * with `stty` and read and written by two `cat` child processes (only --allow-run is needed, and killing a
 * child reliably ends a blocking read that would otherwise steal the next connection's bytes). Responses are
 * framed from the byte stream (unit id, function code, byte count or exception, CRC).
 */
import { Buffer } from "node:buffer";
import { EventEmitter } from "node:events";

/** Serial line settings. */
export interface SerialSettings {
  readonly path: string;
  readonly baudRate: number;
  readonly parity: string;
  readonly dataBits: number;
  readonly stopBits: number;
}

/** The port interface modbus-serial drives (`open`, `write`, `close`, `isOpen`, `data`/`close` events). */
export class DenoSerialPort extends EventEmitter {
  #reader: Deno.ChildProcess | undefined;
  #writer: Deno.ChildProcess | undefined;
  #out: WritableStreamDefaultWriter<Uint8Array> | undefined;
  #buffer = Buffer.alloc(0);
  #unit = -1;
  #fc = -1;

  constructor(private readonly settings: SerialSettings) {
    super();
  }

  get isOpen(): boolean {
    return this.#out !== undefined;
  }

  open(callback: (error: Error | null) => void): void {
    this.#open().then(() => callback(null), (e) => callback(e instanceof Error ? e : new Error(String(e))));
  }

  async #open(): Promise<void> {
    const s = this.settings;
    const args = ["-F", s.path, String(s.baudRate), "raw", "-echo", `cs${s.dataBits}`];
    args.push(s.parity === "none" ? "-parenb" : "parenb", s.parity === "odd" ? "parodd" : "-parodd");
    args.push(s.stopBits === 2 ? "cstopb" : "-cstopb", "clocal", "-crtscts");
    const out = await new Deno.Command("stty", { args, stdout: "null", stderr: "piped" }).output();
    if (!out.success) {
      throw new Error(`cannot configure ${s.path}: ${new TextDecoder().decode(out.stderr).trim()}`);
    }
    const writer = new Deno.Command("sh", {
      args: ["-c", 'exec cat > "$0"', s.path],
      stdin: "piped",
      stdout: "null",
      stderr: "null",
    }).spawn();
    this.#writer = writer;
    this.#out = writer.stdin.getWriter();
    const reader = new Deno.Command("cat", { args: [s.path], stdin: "null", stdout: "piped", stderr: "null" })
      .spawn();
    this.#reader = reader;
    void this.#readLoop(reader);
  }

  async #readLoop(reader: Deno.ChildProcess): Promise<void> {
    try {
      for await (const chunk of reader.stdout) {
        this.#buffer = Buffer.concat([this.#buffer, chunk]);
        this.#frame();
      }
    } catch {
      // the reader was killed, or the device went away
    }
    await reader.status;
    if (this.#reader === reader) this.#closed();
  }

  /** Emits one complete response for the pending request, skipping noise before it. */
  #frame(): void {
    const b = this.#buffer;
    for (let i = 0; i + 5 <= b.length; i++) {
      if (b[i] !== this.#unit) continue;
      const fc = b[i + 1]!;
      const length = fc === this.#fc ? 5 + b[i + 2]! : fc === (this.#fc | 0x80) ? 5 : 0;
      if (length === 0) continue;
      if (i + length > b.length) return;
      this.#buffer = b.subarray(i + length);
      this.emit("data", Buffer.from(b.subarray(i, i + length)));
      return;
    }
    if (b.length > 512) this.#buffer = b.subarray(b.length - 256);
  }

  write(data: Buffer): void {
    this.#unit = data[0]!;
    this.#fc = data[1]!;
    this.#buffer = Buffer.alloc(0);
    const out = this.#out;
    if (!out) return void this.emit("error", new Error("serial port is not open"));
    out.write(data).catch((e) => this.emit("error", e));
  }

  close(callback?: () => void): void {
    this.#closed();
    callback?.();
  }

  destroy(): void {
    this.#closed();
  }

  #closed(): void {
    const reader = this.#reader, writer = this.#writer, out = this.#out;
    if (!reader && !writer) return;
    this.#reader = this.#writer = this.#out = undefined;
    out?.close().catch(() => {});
    for (const child of [reader, writer]) {
      try {
        child?.kill("SIGKILL");
      } catch {
        // already exited
      }
    }
    void writer?.status;
    this.emit("close");
  }
}
