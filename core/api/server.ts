/**
 * @module The listener: Deno.serve on the configured host and port, HTTPS with the configured certificate.
 */
import type { HttpConfig } from "./config.ts";

/** A running listener. */
export interface Listener {
  readonly hostname: string;
  readonly port: number;
  readonly url: string;
  /** Stops accepting, waits for in-flight requests. */
  shutdown(): Promise<void>;
}

/** Starts serving `fetch`; resolves once bound (errors such as EADDRINUSE reject). */
export async function listen(
  config: HttpConfig,
  fetch: (req: Request, info: Deno.ServeHandlerInfo<Deno.NetAddr>) => Response | Promise<Response>,
  onError: (error: unknown) => Response,
): Promise<Listener> {
  const tls = config.tls.cert_file !== "";
  const tlsOptions = tls
    ? {
      cert: await readPem(config.tls.cert_file, "http.tls.cert_file"),
      key: await readPem(config.tls.key_file, "http.tls.key_file"),
    }
    : {};
  let bound!: Deno.NetAddr;
  const server = Deno.serve({
    hostname: config.host,
    port: config.port,
    ...tlsOptions,
    onListen: (addr) => (bound = addr as Deno.NetAddr),
    onError,
  }, fetch);
  bound ??= server.addr as Deno.NetAddr;
  const host = bound.hostname.includes(":") ? `[${bound.hostname}]` : bound.hostname;
  return {
    hostname: bound.hostname,
    port: bound.port,
    url: `${tls ? "https" : "http"}://${host}:${bound.port}`,
    shutdown: () => server.shutdown(),
  };
}

async function readPem(path: string, key: string): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    throw new Error(`cannot read ${key} ${path}`, { cause: error });
  }
}
