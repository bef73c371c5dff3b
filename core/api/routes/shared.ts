/**
 * @module Parameter pieces and helpers shared by route files.
 */
import { type ArraySchema, s } from "../../mod.ts";
import type { ApiContext } from "../context.ts";
import { HttpError } from "../http_error.ts";

/** A list of tag ids. */
export const tagList = (what: string): ReturnType<ArraySchema<string>["opt"]> =>
  s.array(s.string({ minLength: 1, maxLength: 200 }), { minItems: 1 }).opt().describe(what);

/** The page size to use: the request's limit, capped, or the default; 400 beyond the cap. */
export function pageLimit(api: ApiContext, limit: number | undefined): number {
  const { page_default, page_max } = api.http().limits;
  if (limit === undefined) return page_default;
  if (limit > page_max) {
    throw new HttpError(
      400,
      `invalid query parameter limit: at most ${page_max} (page with cursor instead)`,
      [
        { path: "limit", message: `must be <= ${page_max} (http.limits.page_max); page with cursor instead` },
      ],
    );
  }
  return limit;
}

/** Checks the number of tags named against http.limits.max_tags. */
export function checkTagCount(api: ApiContext, tags: readonly string[]): void {
  const max = api.http().limits.max_tags;
  if (tags.length > max) {
    throw new HttpError(400, `invalid query parameter tags: at most ${max} tags per request`, [
      { path: "tags", message: `at most ${max} tags per request (http.limits.max_tags); got ${tags.length}` },
    ]);
  }
}
