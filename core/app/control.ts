/**
 * @module Control surfaces offered as capabilities: the gateway itself and the updater.
 */
import type { ReloadReport } from "../pipeline/pipeline.ts";
import type { GatewayHealth } from "./gateway.ts";

/** Capability name of {@link GatewayControl}, provided by the Gateway at start. */
export const GATEWAY_CAPABILITY = "gateway";

/** What components and services may ask of the gateway (API reload endpoint, MQTT reload command). */
export interface GatewayControl {
  health(): GatewayHealth;
  /** Re-reads the configuration file and applies it (like SIGHUP). */
  reload(): Promise<ReloadReport>;
}

/** Capability name of {@link UpdaterControl}, provided by the update service. */
export const UPDATER_CAPABILITY = "updater";

/** Result of an update request. */
export interface UpdateOutcome {
  readonly accepted: boolean;
  /** Why it was rejected, or what happens next (staged, restarting into version X). */
  readonly message: string;
  readonly version?: string;
}

/** What the API (`POST /api/v1/update`) and the MQTT command topic hand to the updater. */
export interface UpdaterControl {
  /** An artifact pushed with its signed manifest (HTTP upload). */
  upload(manifest: Uint8Array, artifact: ReadableStream<Uint8Array>): Promise<UpdateOutcome>;
  /** A signed manifest announcing a release to fetch from `url` (MQTT command). */
  announce(manifest: Uint8Array, url: string): Promise<UpdateOutcome>;
  /** Current version, staged version and the last update's state, for /health. */
  status(): Readonly<Record<string, unknown>>;
}
