/**
 * @module The release manifest: what a signed release says about its artifact and where it may be installed.
 */
import { s } from "../schema/mod.ts";
import { formatIssues } from "../schema/format.ts";
import { type Envelope, parseEnvelope } from "./envelope.ts";
import { isSemVer } from "./semver.ts";
import { ReleaseRejectedError } from "./rejection.ts";

/** Release forms: one compiled executable, or a bundle directory packed as .tar.gz. */
export const RELEASE_FORMS = ["binary", "bundle"] as const;
export type ReleaseForm = typeof RELEASE_FORMS[number];

/** Where a release runs. */
export interface ReleaseTarget {
  readonly os: "linux";
  readonly arch: "x86_64" | "aarch64";
  readonly form: ReleaseForm;
}

/** The signed part of a release manifest. */
export interface ReleaseManifest {
  readonly type: "release";
  readonly version: string;
  readonly target: ReleaseTarget;
  readonly artifact: { readonly name: string; readonly sha256: string; readonly size: number };
  /** Oldest installed version this release may replace (migrations are written from there on). */
  readonly min_from_version: string;
  /** After this instant (RFC 3339) the manifest is refused (freeze/replay protection). */
  readonly expires: string;
  readonly released: string;
  readonly notes: string;
}

const semver = s.string({ pattern: /./, minLength: 1 }).describe("semantic version");
const timestamp = s.string({
  pattern: /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/,
  patternName: "an RFC 3339 timestamp like 2026-12-01T00:00:00Z",
});

const manifestSchema = s.object({
  type: s.enum(["release"]),
  version: semver,
  target: s.object({
    os: s.enum(["linux"]),
    arch: s.enum(["x86_64", "aarch64"]),
    form: s.enum(RELEASE_FORMS),
  }),
  artifact: s.object({
    name: s.string({
      minLength: 1,
      maxLength: 255,
      pattern: /^[A-Za-z0-9._+-]+$/,
      patternName: "a file name",
    }),
    sha256: s.string({ pattern: /^[0-9a-f]{64}$/, patternName: "64 lowercase hex digits" }),
    size: s.int({ min: 1 }),
  }),
  min_from_version: semver,
  expires: timestamp,
  released: timestamp,
  notes: s.string().default(""),
}).withCheck((m, path, ctx) => {
  for (const key of ["version", "min_from_version"] as const) {
    if (!isSemVer(m[key])) ctx.fail(`${path}.${key}`, `"${m[key]}" is not a semantic version`);
  }
  for (const key of ["expires", "released"] as const) {
    if (Number.isNaN(Date.parse(m[key]))) ctx.fail(`${path}.${key}`, `"${m[key]}" is not a valid time`);
  }
});

/** Validates a release envelope's structure (not its signatures). */
export function parseManifest(json: unknown, what = "manifest"): Envelope<ReleaseManifest> {
  const env = parseEnvelope(json, what);
  const r = manifestSchema.parse(env.signed, `${what}.signed`);
  if (!r.ok) throw new ReleaseRejectedError("malformed", formatIssues(r.issues).join("; "));
  return { signed: r.value as ReleaseManifest, signatures: env.signatures };
}

/** What is pushed to a gateway: a release envelope, optionally preceded by root rotations to apply first. */
export interface UpdateDocument {
  readonly roots: readonly unknown[];
  readonly release: Envelope<ReleaseManifest>;
}

/** Parses the bytes pushed as "manifest": `{signed, signatures}` or `{ roots: [...], release: {...} }`. */
export function parseUpdateDocument(bytes: Uint8Array): UpdateDocument {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch (error) {
    throw new ReleaseRejectedError(
      "malformed",
      `manifest: not valid UTF-8 JSON (${(error as Error).message})`,
      {
        cause: error,
      },
    );
  }
  if (json && typeof json === "object" && "release" in json) {
    const o = json as Record<string, unknown>;
    const roots = o.roots ?? [];
    if (!Array.isArray(roots)) throw new ReleaseRejectedError("malformed", "manifest.roots: expected a list");
    return { roots, release: parseManifest(o.release, "manifest.release") };
  }
  return { roots: [], release: parseManifest(json) };
}
