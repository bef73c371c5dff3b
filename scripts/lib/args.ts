/**
 * @module Tiny `--key value` / `--flag` argument parsing for the evaluation scripts.
 */

/** Parses `--key value` pairs and bare `--flag`s. */
export function parseArgs(args: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("--")) {
      throw new TypeError(`unexpected argument "${a}" (options look like --data <path>)`);
    }
    const eq = a.indexOf("=");
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < args.length && !args[i + 1]!.startsWith("--")) out.set(a.slice(2), args[++i]!);
    else out.set(a.slice(2), "true");
  }
  return out;
}

/** True when `path` exists and is a directory. */
export async function isDir(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isDirectory;
  } catch {
    return false;
  }
}
