/**
 * @module A progress bar on stderr, redrawn in place only when the shown percentage changes.
 */

/** Returns an `onProgress` callback drawing `label [#####.....]  42%` and a `done()` ending the line. */
export function progressBar(label: string, write: (text: string) => void = (t) => {
  Deno.stderr.writeSync(new TextEncoder().encode(t));
}): { update(share: number): void; done(suffix?: string): void } {
  let shown = -1;
  const width = 30;
  const draw = (share: number) => {
    const pct = Math.max(0, Math.min(100, Math.floor(share * 100)));
    if (pct === shown) return;
    shown = pct;
    const full = Math.round((pct / 100) * width);
    write(`\r${label} [${"#".repeat(full)}${".".repeat(width - full)}] ${String(pct).padStart(3)}%`);
  };
  return {
    update: draw,
    done(suffix = "") {
      draw(1);
      write(`${suffix ? ` ${suffix}` : ""}\n`);
    },
  };
}
