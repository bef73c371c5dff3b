// API access: bearer token from sessionStorage, JSON requests, and the live stream read with fetch()
// (EventSource cannot send an Authorization header).

const KEY = "gateway.token";

export const token = {
  get: () => sessionStorage.getItem(KEY) ?? "",
  set: (t) => (t ? sessionStorage.setItem(KEY, t) : sessionStorage.removeItem(KEY)),
};

/** An API error with the server's message. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function headers() {
  const t = token.get();
  return t ? { authorization: `Bearer ${t}` } : {};
}

/** GET or POST JSON; throws ApiError with the server's message. */
export async function api(path, init = {}) {
  const res = await fetch(path, { ...init, headers: { ...headers(), ...(init.headers ?? {}) } });
  const body = res.headers.get("content-type")?.includes("json") ? await res.json() : await res.text();
  if (!res.ok) throw new ApiError(res.status, body?.error ?? `${res.status} ${res.statusText}`);
  return body;
}

/**
 * Reads /api/v1/stream, calling onEvent(name, data) per event; reconnects with backoff until stop() is called.
 * onState(state) reports "open" | "closed" | "error: ...".
 */
export function stream(path, onEvent, onState) {
  let stopped = false;
  let ctl;
  let delay = 1000;
  const run = async () => {
    while (!stopped) {
      ctl = new AbortController();
      try {
        const res = await fetch(path, { headers: headers(), signal: ctl.signal });
        if (!res.ok) {
          const body = await res.json().catch(() => ({}));
          throw new ApiError(res.status, body.error ?? `HTTP ${res.status}`);
        }
        onState("open");
        delay = 1000;
        const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
        let buf = "";
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += value;
          let i;
          while ((i = buf.indexOf("\n\n")) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            let name = "message";
            const data = [];
            for (const line of block.split("\n")) {
              if (line.startsWith("event: ")) name = line.slice(7);
              else if (line.startsWith("data: ")) data.push(line.slice(6));
            }
            if (data.length) onEvent(name, JSON.parse(data.join("\n")));
          }
        }
        onState("closed");
      } catch (e) {
        if (stopped) return;
        onState(`error: ${e.message}`);
        if (e instanceof ApiError && e.status === 401) return;
      }
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(delay * 2, 15000);
    }
  };
  run();
  return { stop: () => ((stopped = true), ctl?.abort()) };
}
