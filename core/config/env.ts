/**
 * @module `${VAR}` substitution in configuration strings (secrets stay out of the file).
 */
import YAML from "yaml";
import { childPath, type Issue } from "../schema/mod.ts";

const REF = /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

/**
 * Replaces `${NAME}` and `${NAME:-default}` in every string of a parsed document; `$$` is a literal `$`.
 * A string that is exactly one reference is re-read as a YAML scalar, so `port: ${PORT}` becomes a number.
 * Unset variables without a default are reported with the path where they are used.
 */
export function substituteEnv(
  value: unknown,
  env: (name: string) => string | undefined,
  issues: Issue[],
  path = "",
): unknown {
  if (typeof value === "string") return substituteString(value, env, issues, path);
  if (Array.isArray(value)) return value.map((v, i) => substituteEnv(v, env, issues, childPath(path, i)));
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = substituteEnv(v, env, issues, childPath(path, k));
    return out;
  }
  return value;
}

function substituteString(
  text: string,
  env: (name: string) => string | undefined,
  issues: Issue[],
  path: string,
) {
  if (!text.includes("$")) return text;
  const whole = WHOLE.exec(text);
  let missing = false;
  const replaced = text.replace(REF, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === "$$") return "$";
    const v = env(name!);
    if (v !== undefined && v !== "") return v;
    if (fallback !== undefined) return fallback;
    issues.push({
      path,
      message: `environment variable ${name} is not set (use \${${name}:-default} for a default)`,
    });
    missing = true;
    return "";
  });
  if (missing) return text;
  if (whole) {
    try {
      const scalar = YAML.parse(replaced);
      if (typeof scalar === "number" || typeof scalar === "boolean") return scalar;
    } catch {
      // not a scalar: keep the string
    }
  }
  return replaced;
}
