/**
 * @module One connection attempt: client, secure channel, session; and the signal that it must be recreated.
 * Recovery never relies on node-opcua's own reconnection: any loss tears everything down so the endpoint
 * supervisor builds a fresh client, session and subscriptions (a restarted server has forgotten ours).
 */
import { type ClientSession, OPCUAClient } from "node-opcua-client";
import type { OPCUACertificateManager } from "node-opcua-certificate-manager";
import { RetryableError } from "../../core/mod.ts";
import type { OpcuaSourceConfig } from "./schema.ts";
import { securityModeOf, securityPolicyOf, userIdentityOf } from "./security.ts";

/** Turns node-opcua's messages into ones that say what to do. */
export function explainConnectError(error: unknown, pkiDir: string, config: OpcuaSourceConfig): string {
  const text = error instanceof Error ? error.message : String(error);
  if (/BadCertificateUntrusted|certificate verification failed/i.test(text)) {
    return `server certificate of ${config.endpoint} is not trusted; it was saved to ${pkiDir}/rejected ` +
      `(review with "gateway trust list --pki ${pkiDir}", then "gateway trust accept <thumbprint> --pki ${pkiDir}")`;
  }
  if (/BadUserAccessDenied|BadIdentityTokenRejected|BadIdentityTokenInvalid/i.test(text)) {
    const who = config.auth.type === "username"
      ? `user "${config.auth.username}"`
      : `${config.auth.type} identity`;
    return `${config.endpoint} denied access to ${who} (check auth in the config and its \${VAR}s): ${
      firstLine(text)
    }`;
  }
  if (/BadSecurityPolicyRejected|BadSecurityModeRejected|no endpoint|End point must exist/i.test(text)) {
    return `${config.endpoint} offers no endpoint with security ${config.security.mode}/${config.security.policy} ` +
      `(check security.mode and security.policy against the server's endpoints)`;
  }
  if (/ECONNREFUSED|Connection refused/i.test(text)) return `${config.endpoint}: connection refused`;
  return `${config.endpoint}: ${firstLine(text)}`;
}

function firstLine(text: string): string {
  return text.split("\n").find((l) => l.trim() !== "")?.trim() ?? text;
}

/** A connected session plus a promise that resolves with the reason once the connection must be recreated. */
export class Connection {
  readonly lost: Promise<string>;
  #fail!: (reason: string) => void;
  #closed = false;

  private constructor(readonly client: OPCUAClient, public session: ClientSession | undefined) {
    this.lost = new Promise((resolve) => (this.#fail = resolve));
  }

  /** Declares the connection broken (watchdogs, session-level errors); idempotent. */
  fail(reason: string): void {
    if (!this.#closed) this.#fail(reason);
  }

  /** Connects and opens a session; rejects with a RetryableError explaining what went wrong. */
  static async open(
    config: OpcuaSourceConfig,
    pki: OPCUACertificateManager,
    pkiDir: string,
    signal?: AbortSignal,
  ): Promise<Connection> {
    const client = OPCUAClient.create({
      applicationName: config.application_name,
      clientName: config.name,
      clientCertificateManager: pki,
      securityMode: securityModeOf(config.security.mode),
      securityPolicy: securityPolicyOf(config.security.policy),
      endpointMustExist: false,
      keepSessionAlive: true,
      requestedSessionTimeout: config.session_timeout_ms,
      defaultTransactionTimeout: config.request_timeout_ms,
      transportTimeout: config.request_timeout_ms,
      // One quick attempt: the supervisor owns retries, with backoff and fresh sessions.
      connectionStrategy: { maxRetry: 0, initialDelay: 100, maxDelay: 200 },
    });
    const conn = new Connection(client, undefined);
    for (const event of ["connection_lost", "close", "backoff", "abort", "connection_failed"] as const) {
      client.on(event as "close", () => conn.fail(`connection ${event.replace("_", " ")}`));
    }
    // Stopping while connecting (a silent host can take request_timeout_ms) aborts the attempt at once.
    const abort = () => void client.disconnect().catch(() => {});
    signal?.addEventListener("abort", abort, { once: true });
    try {
      if (signal?.aborted) throw new Error("stopped");
      await client.connect(config.endpoint);
      const session = await client.createSession(await userIdentityOf(config.auth));
      conn.session = session;
      if (signal?.aborted) throw new Error("stopped");
      session.on("session_closed", (status) => conn.fail(`session closed (${status?.name ?? "unknown"})`));
      session.on("keepalive_failure", () => conn.fail("session keepalive failed"));
      return conn;
    } catch (error) {
      await conn.close();
      throw new RetryableError(explainConnectError(error, pkiDir, config), { cause: error });
    } finally {
      signal?.removeEventListener("abort", abort);
    }
  }

  /** Closes the session and the channel, bounded in time (a dead server must not block recovery). */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const session = this.session;
    const work = (async () => {
      try {
        if (session) await session.close(true); // delete our subscriptions: nothing orphaned on the server
      } catch { /* the server may already be gone */ }
      try {
        await this.client.disconnect();
      } catch { /* idem */ }
    })();
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([work, new Promise<void>((r) => (timer = setTimeout(r, 3000)))]);
    clearTimeout(timer);
  }
}
