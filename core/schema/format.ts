/**
 * @module Formats validation issues as `path: message` lines.
 */
import type { Issue } from "./types.ts";

/** One line per issue, `path: message`, optionally followed by a location such as `(line 12)`. */
export function formatIssues(
  issues: readonly Issue[],
  locate?: (path: string) => string | undefined,
): string[] {
  return issues.map((issue) => {
    const where = locate?.(issue.path);
    const path = issue.path === "" ? "(root)" : issue.path;
    return `${path}${where ? ` (${where})` : ""}: ${issue.message}`;
  });
}
