/**
 * @module Tags and assets: the context operators carry in their heads, kept beside the data.
 */

/** Data types a tag may carry. Numeric and boolean tags live in ring buffers; strings keep their latest value. */
export type DataType = "float" | "int" | "bool" | "string";

/** Linear scaling applied by the source: engineering = raw * gain + offset. */
export interface Scaling {
  readonly gain: number;
  readonly offset: number;
}

/** Normal operating range in engineering units. */
export interface Range {
  readonly low: number;
  readonly high: number;
}

/** Everything known about one tag. */
export interface TagMeta {
  /** Globally unique id, `source.name` unless configured. */
  readonly id: string;
  /** Name of the source instance that produces it. */
  readonly source: string;
  readonly dataType: DataType;
  readonly unit?: string;
  readonly description?: string;
  readonly scaling?: Scaling;
  /** Normal operating range. */
  readonly range?: Range;
  /** ISO date of the last calibration. */
  readonly calibrationDate?: string;
  /** Free-text notes: what the operators know about this sensor. */
  readonly notes?: string;
  /** Nominal sample rate in Hz, when known (vibration channels). */
  readonly sampleRateHz?: number;
  /** Ring buffer capacity for this tag (samples); the gateway default applies when absent. */
  readonly bufferCapacity?: number;
  /** Asset this tag belongs to, if any. */
  readonly asset?: string;
  /** Protocol address (node id, register) for display. */
  readonly address?: string;
}

/** A machine or unit grouping tags (a pump, a press, a line). */
export interface Asset {
  readonly id: string;
  readonly description?: string;
  readonly site?: string;
  readonly line?: string;
  readonly tags: readonly string[];
}
