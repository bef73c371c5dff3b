/**
 * @module Time conversions between the gateway (ms since epoch, fractional) and DuckDB (µs TIMESTAMP).
 */

/** Microseconds (BIGINT) of a ms timestamp. */
export function us(ms: number): bigint {
  return BigInt(Math.round(ms * 1000));
}

/** SQL expression turning a TIMESTAMP column into ms since epoch (DOUBLE). */
export function msOf(column: string): string {
  return `(epoch_us(${column}) / 1000.0)`;
}
