/**
 * @module Ring buffers and the live tag table.
 */
export * from "./ring_buffer.ts";
export * from "./tag_store.ts";
