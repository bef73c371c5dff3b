/**
 * @module The console sink: live values on stdout for demos and commissioning.
 */
import { defineSink, s } from "../../core/mod.ts";
import { ConsoleSink } from "./sink.ts";

defineSink({
  type: "console",
  description: "Prints a compact live view of tag values, alerts and events to standard output.",
  schema: s.object({
    interval_ms: s.int({ min: 100 }).default(2000).describe("How often the live view is printed."),
    max_tags: s.int({ min: 1 }).default(40).describe("Most tags shown."),
    tags: s.array(s.string({ minLength: 1 })).default([]).describe(
      'Tag ids or patterns like "plant.*" to show; empty shows all.',
    ),
    show_events: s.boolean().default(true).describe("Print gateway events (connects, reloads)."),
  }),
  create: (config) => new ConsoleSink(config),
});

export { ConsoleSink, matches } from "./sink.ts";
