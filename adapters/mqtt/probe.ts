/**
 * @module A failback probe: one real MQTT CONNECT to a broker with the session's credentials and TLS, ended by
 * a clean DISCONNECT. It proves the broker accepts this gateway (TLS handshake, authentication, CONNACK), which
 * a TCP connect does not. The probe uses its own client id (`<client id>-probe`) and a clean, non-persistent
 * session without a last will, so it never takes over or wipes the main persistent session on that broker.
 */
import mqtt, { type IClientOptions } from "mqtt";
import { errorMessage, sleep } from "../../core/mod.ts";

/** Appended to the main client id for probes. */
export const PROBE_CLIENT_SUFFIX = "-probe";

/** The connection options of a probe, derived from the main session's. */
export function probeOptions(client: IClientOptions, connectTimeoutMs: number): IClientOptions {
  const { will: _will, properties: _properties, ...rest } = client;
  const out: IClientOptions = {
    ...rest,
    clean: true,
    reconnectPeriod: 0,
    connectTimeout: connectTimeoutMs,
    resubscribe: false,
  };
  if (client.clientId !== undefined) out.clientId = `${client.clientId}${PROBE_CLIENT_SUFFIX}`;
  // MQTT 5: no session survives the probe (3.1.1: clean session already means that).
  if (client.protocolVersion === 5) out.properties = { sessionExpiryInterval: 0 };
  return out;
}

/**
 * Connects to `url`, waits for a successful CONNACK, then disconnects cleanly. Resolves when the broker
 * accepted the connection; rejects with the reason otherwise (refused, TLS, timeout, aborted).
 */
export function probeBroker(
  url: string,
  client: IClientOptions,
  connectTimeoutMs: number,
  signal?: AbortSignal,
): Promise<void> {
  if (signal?.aborted) return Promise.reject(new Error("probe aborted"));
  const probe = mqtt.connect(url, probeOptions(client, connectTimeoutMs));
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (error: string | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      probe.removeAllListeners("connect");
      if (error !== undefined) {
        probe.end(true);
        reject(new Error(error));
        return;
      }
      // A clean DISCONNECT; a broker that accepted but does not let go in time is cut off.
      const bye = new AbortController();
      const cut = signal ? AbortSignal.any([bye.signal, signal]) : bye.signal;
      Promise.race([probe.endAsync(false), sleep(connectTimeoutMs, cut)])
        .catch(() => {})
        .finally(() => {
          bye.abort();
          probe.end(true);
          resolve();
        });
    };
    const onAbort = () => finish("probe aborted");
    const timer = setTimeout(() => finish(`no CONNACK within ${connectTimeoutMs} ms`), connectTimeoutMs);
    signal?.addEventListener("abort", onAbort, { once: true });
    // Errors after the CONNACK (during the DISCONNECT) are harmless; never let them go unhandled.
    probe.on("error", (err) => finish(errorMessage(err)));
    probe.once("close", () => finish("connection closed before CONNACK"));
    probe.once("connect", () => finish(undefined));
  });
}
