/**
 * @module `POST /api/v1/update`: a signed release pushed by hand, spooled to disk, then handed to the updater.
 */
import { errorMessage, UPDATER_CAPABILITY, type UpdaterControl } from "../../mod.ts";
import { HttpError } from "../http_error.ts";
import { boundaryOf, parseMultipart, type PartSink } from "../multipart.ts";
import { type Route, route } from "../route.ts";

const MAX_MANIFEST = 1 << 20;

function memorySink(limit: number, what: string): PartSink & { bytes(): Uint8Array } {
  const chunks: Uint8Array[] = [];
  let size = 0;
  return {
    write(c) {
      size += c.length;
      if (size > limit) throw new HttpError(413, `${what} larger than ${limit} bytes`);
      chunks.push(c);
    },
    close() {},
    bytes() {
      const out = new Uint8Array(size);
      let at = 0;
      for (const c of chunks) (out.set(c, at), at += c.length);
      return out;
    },
  };
}

/** Counts bytes through a stream and fails beyond `max`. */
function capped(body: ReadableStream<Uint8Array>, max: number): ReadableStream<Uint8Array> {
  let total = 0;
  return body.pipeThrough(
    new TransformStream({
      transform(chunk, ctl) {
        total += chunk.length;
        if (total > max) {
          ctl.error(new HttpError(413, `upload larger than ${max} bytes (http.limits.max_upload_bytes)`));
          return;
        }
        ctl.enqueue(chunk);
      },
    }),
  );
}

/** The update route. */
export function updateRoutes(): Route[] {
  return [
    route({
      method: "POST",
      path: "/api/v1/update",
      summary: "Upload a signed release (artifact + manifest) to the updater; admin",
      description:
        "multipart/form-data with parts `manifest` (the signed manifest) and `artifact` (the release file), or an " +
        "application/octet-stream body (the artifact) with the manifest base64-encoded in the X-Update-Manifest " +
        "header. The upload is written to a temporary file first, so the updater only sees complete uploads.",
      group: "admin",
      auth: "admin",
      bodyKind: "raw",
      rawBodyDoc: {
        contentType: "multipart/form-data",
        description: "Parts `manifest` and `artifact`.",
        schema: {
          type: "object",
          required: ["manifest", "artifact"],
          properties: {
            manifest: { type: "string", format: "binary" },
            artifact: { type: "string", format: "binary" },
          },
        },
      },
      responses: {
        202: { description: "Accepted: `{ accepted: true, message, version? }`." },
        413: { description: "Larger than http.limits.max_upload_bytes." },
        422: { description: "Rejected by the updater (bad signature, wrong target, ...)." },
        503: { description: "No updater runs." },
      },
      async handle({ c, api, principal }) {
        const updater = api.lookup<UpdaterControl>(UPDATER_CAPABILITY);
        if (!updater) {
          throw new HttpError(
            503,
            'updates are not available: no updater service provides capability "updater"',
          );
        }
        const req = c.req.raw;
        if (!req.body) throw new HttpError(400, "request has no body: send the manifest and the artifact");
        const max = api.http().limits.max_upload_bytes;
        const declared = Number(req.headers.get("content-length") ?? "NaN");
        if (Number.isFinite(declared) && declared > max) {
          throw new HttpError(413, `upload larger than ${max} bytes (http.limits.max_upload_bytes)`);
        }
        await Deno.mkdir(api.tmpDir, { recursive: true });
        const spool = `${api.tmpDir}/upload-${crypto.randomUUID()}.bin`;
        let manifest: Uint8Array | undefined;
        let gotArtifact = false;
        let openFile: Deno.FsFile | undefined;
        try {
          const type = req.headers.get("content-type") ?? "";
          const boundary = boundaryOf(type);
          const body = capped(req.body, max);
          if (boundary) {
            const mem = memorySink(MAX_MANIFEST, "manifest");
            try {
              await parseMultipart(body, boundary, async (part) => {
                if (part.name === "manifest") return mem;
                if (part.name !== "artifact") return undefined;
                gotArtifact = true;
                const file = await Deno.open(spool, {
                  write: true,
                  create: true,
                  truncate: true,
                  mode: 0o600,
                });
                openFile = file;
                return {
                  write: (chunk) => writeAll(file, chunk),
                  close: () => {
                    openFile = undefined;
                    file.close();
                  },
                };
              });
            } catch (error) {
              if (error instanceof HttpError) throw error;
              throw new HttpError(400, `malformed multipart body: ${errorMessage(error)}`, undefined, {
                cause: error,
              });
            }
            const m = mem.bytes();
            if (m.length > 0) manifest = m;
          } else if (/^application\/octet-stream\b/i.test(type)) {
            const header = req.headers.get("x-update-manifest");
            if (!header) {
              throw new HttpError(
                400,
                "octet-stream upload needs the manifest base64-encoded in X-Update-Manifest",
              );
            }
            try {
              manifest = Uint8Array.from(atob(header), (ch) => ch.charCodeAt(0));
            } catch (error) {
              throw new HttpError(400, "X-Update-Manifest is not valid base64", undefined, { cause: error });
            }
            const file = await Deno.open(spool, { write: true, create: true, truncate: true, mode: 0o600 });
            await body.pipeTo(file.writable);
            gotArtifact = true;
          } else {
            throw new HttpError(
              415,
              `expected multipart/form-data or application/octet-stream, got "${type || "none"}"`,
            );
          }
          const missing = [manifest ? undefined : "manifest", gotArtifact ? undefined : "artifact"].filter(
            Boolean,
          );
          if (missing.length > 0) {
            throw new HttpError(
              400,
              `missing part ${missing.join(" and ")}`,
              missing.map((p) => ({ path: p!, message: "missing part" })),
            );
          }
          api.logger.info("update uploaded over the API", {
            by: principal.name,
            bytes: (await Deno.stat(spool)).size,
          });
          const artifact = await Deno.open(spool, { read: true });
          let outcome;
          try {
            outcome = await updater.upload(manifest!, artifact.readable);
          } finally {
            try {
              artifact.close();
            } catch { /* the stream closed it */ }
          }
          return c.json(outcome, outcome.accepted ? 202 : 422);
        } finally {
          try {
            openFile?.close();
          } catch { /* already closed */ }
          await Deno.remove(spool).catch(() => {});
        }
      },
    }),
  ];
}

async function writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  let rest = chunk;
  while (rest.length > 0) rest = rest.subarray(await file.write(rest));
}
