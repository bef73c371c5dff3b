/**
 * @module Latest spectrum and envelope spectrum of vibration tags, with bearing-frequency markers.
 */
import { s, SPECTRA_CAPABILITY, type SpectraProvider, type SpectrumSnapshot } from "../../mod.ts";
import type { ApiContext } from "../context.ts";
import { HttpError } from "../http_error.ts";
import { type Route, route } from "../route.ts";

function provider(api: ApiContext): SpectraProvider {
  const p = api.lookup<SpectraProvider>(SPECTRA_CAPABILITY);
  if (!p) {
    throw new HttpError(503, 'spectra are not available: no running transform provides capability "spectra"');
  }
  return p;
}

function decimate(f: ArrayLike<number>, a: ArrayLike<number>, max: number): { f: number[]; a: number[] } {
  const n = Math.min(f.length, a.length);
  if (n <= max) {
    return {
      f: Array.from({ length: n }, (_, i) => f[i]!),
      a: Array.from({ length: n }, (_, i) => a[i]!),
    };
  }
  // Keep the peak of each group so narrow lines stay visible.
  const group = Math.ceil(n / max);
  const fo: number[] = [];
  const ao: number[] = [];
  for (let i = 0; i < n; i += group) {
    let best = i;
    for (let j = i; j < Math.min(n, i + group); j++) if (a[j]! > a[best]!) best = j;
    fo.push(f[best]!);
    ao.push(a[best]!);
  }
  return { f: fo, a: ao };
}

/** JSON view of a snapshot, at most `max` bins per spectrum (peak-preserving). */
export function spectrumView(snap: SpectrumSnapshot, max: number): Record<string, unknown> {
  const main = decimate(snap.frequencies, snap.amplitude, max);
  const env = snap.envelope ? decimate(snap.envelope.frequencies, snap.envelope.amplitude, max) : undefined;
  return {
    tag: snap.tag,
    ts: snap.ts,
    fs: snap.fs,
    bins: Math.min(snap.frequencies.length, snap.amplitude.length),
    frequencies: main.f,
    amplitude: main.a,
    ...(env ? { envelope: { frequencies: env.f, amplitude: env.a } } : {}),
    markers: snap.markers ?? [],
  };
}

/** Spectra routes. */
export function spectraRoutes(): Route[] {
  return [
    route({
      method: "GET",
      path: "/api/v1/spectra",
      summary: "Vibration tags with a current spectrum",
      group: "analytics",
      auth: "viewer",
      responses: { 200: { description: "`{ tags: [...] }`." }, 503: { description: "No spectra provider." } },
      handle({ c, api, access }) {
        return c.json({ tags: provider(api).tags().filter((t) => access.tag(t)) });
      },
    }),
    route({
      method: "GET",
      path: "/api/v1/spectra/{tag}",
      summary: "Latest spectrum and envelope spectrum of a vibration tag, with bearing-frequency markers",
      group: "analytics",
      auth: "viewer",
      params: { tag: "Vibration tag id (URL-encoded)." },
      query: s.object({
        max_bins: s.int({ min: 16, max: 65_536 }).default(4_096).describe(
          "Most bins per spectrum; longer spectra are reduced keeping each group's peak.",
        ),
      }),
      responses: {
        200: { description: "`{ tag, ts, fs, frequencies, amplitude, envelope?, markers }`." },
        404: { description: "No spectrum for this tag (or not visible)." },
        503: { description: "No spectra provider." },
      },
      handle({ c, api, params, query, access }) {
        const tag = params.tag!;
        const p = provider(api);
        const snap = access.tag(tag) ? p.latest(tag) : undefined;
        if (!snap) throw new HttpError(404, `no spectrum for tag "${tag}"`);
        return c.json(spectrumView(snap, query.max_bins));
      },
    }),
  ];
}
