/**
 * @module The transform plugin kind: consumes messages and emits derived ones (features, scores, alerts).
 */
import type { Message, MessageKind } from "../model/message.ts";
import type { ComponentHealth } from "./health.ts";
import type { ComponentContext } from "./context.ts";

/** What a transform may do towards the gateway. */
export interface TransformContext extends ComponentContext {
  /** Emits derived messages downstream (to sinks and transforms that list this one in `inputs`). */
  emit(messages: readonly Message[]): void;
}

/** A running processing stage. It reads windows from `ctx.tags` and is fed messages it accepts. */
export interface Transform {
  readonly accepts: ReadonlySet<MessageKind>;
  start(ctx: TransformContext): Promise<void>;
  /** Handles messages synchronously enough to keep up; heavy work is scheduled by the transform itself. */
  process(messages: readonly Message[]): void;
  stop(): Promise<void>;
  health(): ComponentHealth;
}
