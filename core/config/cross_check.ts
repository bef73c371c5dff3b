/**
 * @module Checks that span several parts of the configuration: unique names, inputs that exist, no cycles.
 */
import type { Issue } from "../schema/mod.ts";
import type { GatewayConfig } from "./schema.ts";

/** Issues that no single-field schema can see. */
export function crossCheck(config: GatewayConfig): Issue[] {
  const issues: Issue[] = [];
  const kindOf = new Map<string, string>();
  const lists = [["sources", config.sources], ["transforms", config.transforms], [
    "sinks",
    config.sinks,
  ]] as const;
  for (const [list, items] of lists) {
    items.forEach((c, i) => {
      const earlier = kindOf.get(c.name);
      if (earlier) {
        issues.push({ path: `${list}[${i}].name`, message: `"${c.name}" is already used by ${earlier}` });
      } else kindOf.set(c.name, `${list}[${i}]`);
    });
  }
  const producers = new Set([...config.sources, ...config.transforms].map((c) => c.name));
  for (const [list, items] of [["transforms", config.transforms], ["sinks", config.sinks]] as const) {
    items.forEach((c, i) => {
      c.inputs.forEach((input, j) => {
        if (input !== "*" && !producers.has(input)) {
          const known = [...producers].join(", ") || "none configured";
          issues.push({
            path: `${list}[${i}].inputs[${j}]`,
            message: `no source or transform named "${input}" (known: ${known})`,
          });
        }
        if (input === c.name) {
          issues.push({ path: `${list}[${i}].inputs[${j}]`, message: "a component cannot feed itself" });
        }
      });
    });
  }
  issues.push(...cycles(config));
  const assetIds = new Set<string>();
  config.assets.forEach((a, i) => {
    if (assetIds.has(a.id)) {
      issues.push({ path: `assets[${i}].id`, message: `asset "${a.id}" is defined twice` });
    }
    assetIds.add(a.id);
  });
  return issues;
}

function cycles(config: GatewayConfig): Issue[] {
  const edges = new Map<string, string[]>();
  for (const t of config.transforms) edges.set(t.name, t.inputs.filter((i) => i !== "*"));
  const issues: Issue[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (name: string, trail: string[]): void => {
    if (state.get(name) === "done") return;
    if (state.get(name) === "visiting") {
      const i = config.transforms.findIndex((t) => t.name === name);
      issues.push({ path: `transforms[${i}].inputs`, message: `cycle: ${[...trail, name].join(" -> ")}` });
      return;
    }
    state.set(name, "visiting");
    for (const next of edges.get(name) ?? []) if (edges.has(next)) visit(next, [...trail, name]);
    state.set(name, "done");
  };
  for (const name of edges.keys()) visit(name, []);
  return issues;
}
