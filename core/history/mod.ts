/**
 * @module Interfaces between the history store, the live alert manager, spectra and their readers (API, CLI).
 */
export * from "./types.ts";
