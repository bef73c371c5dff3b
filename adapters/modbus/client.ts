/**
 * @module The modbus-serial client class, typed for the few calls the adapter makes (read-only).
 */
import Modbus from "modbus-serial";

/** Result of a register read. */
export interface RegisterResult {
  readonly data: number[];
}
/** Result of a coil/discrete read. */
export interface BitResult {
  readonly data: boolean[];
}

/** The subset of the modbus-serial client used here: connect, four read function codes, close. */
export interface ModbusClient {
  connectTCP(host: string, options: { port: number }): Promise<void>;
  /** Raw RTU frames (with CRC) over a TCP stream: what transparent serial device servers carry. */
  connectTelnet(host: string, options: { port: number }): Promise<void>;
  /** Opens the port the client was constructed with. */
  open(callback: (error: unknown) => void): void;
  setID(id: number): void;
  setTimeout(ms: number): void;
  readCoils(address: number, length: number): Promise<BitResult>;
  readDiscreteInputs(address: number, length: number): Promise<BitResult>;
  readHoldingRegisters(address: number, length: number): Promise<RegisterResult>;
  readInputRegisters(address: number, length: number): Promise<RegisterResult>;
  destroy(callback?: () => void): void;
  close(callback?: () => void): void;
  on(event: "close", listener: () => unknown): unknown;
  on(event: "error", listener: (error: unknown) => unknown): unknown;
  readonly isOpen: boolean;
}

const ModbusRTU = Modbus.default;

/** A fresh, unconnected client, optionally over a port object of its own (the Deno serial port). */
export function newClient(port?: unknown): ModbusClient {
  return new ModbusRTU(port) as unknown as ModbusClient;
}
