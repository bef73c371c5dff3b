import assert from "node:assert/strict";
import { compareSemVer, isSemVer, parseSemVer } from "../../../core/release/semver.ts";

Deno.test("semantic versions order by precedence, pre-releases before releases, build metadata ignored", () => {
  const ordered = [
    "0.9.9",
    "1.0.0-alpha",
    "1.0.0-alpha.1",
    "1.0.0-alpha.beta",
    "1.0.0-beta.2",
    "1.0.0-beta.11",
    "1.0.0-rc.1",
    "1.0.0",
    "1.0.1",
    "1.10.0",
    "2.0.0",
  ];
  for (let i = 0; i + 1 < ordered.length; i++) {
    assert.ok(compareSemVer(ordered[i]!, ordered[i + 1]!) < 0, `${ordered[i]} < ${ordered[i + 1]}`);
    assert.ok(compareSemVer(ordered[i + 1]!, ordered[i]!) > 0);
  }
  assert.equal(compareSemVer("1.2.3+build.5", "1.2.3+other"), 0);
});

Deno.test("malformed versions are rejected with the offending text", () => {
  for (const bad of ["1.2", "01.2.3", "1.2.3-", "v1.2.3", "1.2.3-01"]) {
    assert.equal(isSemVer(bad), false, bad);
  }
  assert.throws(() => parseSemVer("1.2"), /"1\.2" is not a semantic version/);
});
