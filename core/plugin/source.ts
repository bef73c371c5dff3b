/**
 * @module The source plugin kind: something that acquires samples (OPC UA, Modbus, simulator).
 */
import type { Sample, SampleBlock } from "../model/sample.ts";
import type { TagMeta } from "../model/tag.ts";
import type { ComponentHealth } from "./health.ts";
import type { ComponentContext } from "./context.ts";

/** What a source may do towards the gateway. */
export interface SourceContext extends ComponentContext {
  /** Hands samples to the pipeline. Never blocks; the pipeline applies backpressure policies itself. */
  emit(samples: readonly Sample[]): void;
  /** Hands a block of uniformly sampled values (high-rate channels) to the pipeline. */
  emitBlock(block: SampleBlock): void;
  /** Declares tags or updates their metadata (e.g. engineering units read from the server). */
  defineTags(tags: readonly TagMeta[]): void;
}

/** A running acquisition component. */
export interface Source {
  /** Starts acquiring; resolves once started (not necessarily connected). Must not throw for peer outages. */
  start(ctx: SourceContext): Promise<void>;
  /** Stops acquiring and releases connections; resolves when nothing more will be emitted. */
  stop(): Promise<void>;
  /** Current health, per endpoint in `details` where a source has several. */
  health(): ComponentHealth;
}
