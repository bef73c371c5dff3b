/**
 * @module Sample quality: Good / Uncertain / Bad, with the raw status code kept beside it.
 */

/** Quality of a sample, as OPC UA defines it (the top two bits of a StatusCode). */
export const Quality = { Good: 0, Uncertain: 1, Bad: 2 } as const;
export type Quality = typeof Quality[keyof typeof Quality];

/** Quality names for output (API, MQTT, logs). */
export const QUALITY_NAMES = ["good", "uncertain", "bad"] as const;
export type QualityName = typeof QUALITY_NAMES[number];

/** The quality of an OPC UA StatusCode (severity bits 30-31: 00 good, 01 uncertain, 10/11 bad). */
export function qualityFromStatus(status: number): Quality {
  const severity = (status >>> 30) & 0b11;
  if (severity === 0) return Quality.Good;
  if (severity === 1) return Quality.Uncertain;
  return Quality.Bad;
}

/** Name of a quality code. */
export function qualityName(q: Quality): QualityName {
  return QUALITY_NAMES[q];
}

/** Status codes used by the gateway itself when a source reports no code of its own. */
export const Status = {
  Good: 0x00000000,
  Uncertain: 0x40000000,
  /** The device did not answer in time. */
  BadTimeout: 0x800a0000,
  /** Communication with the device failed. */
  BadCommunicationError: 0x80050000,
  /** The device answered with an error (Modbus exception, OPC UA bad status). */
  BadDeviceFailure: 0x808b0000,
  /** The value could not be decoded or converted. */
  BadDecodingError: 0x80070000,
  /** The source is not connected. */
  BadNotConnected: 0x808a0000,
  /** Generic bad. */
  Bad: 0x80000000,
} as const;
