/**
 * @module Prints a browsed tree, or a ready `opcua` source block (YAML) for its variables.
 */
import type { BrowseNode } from "./browse.ts";

/** An indented tree, one node per line with node id and data type. */
export function formatTree(nodes: readonly BrowseNode[]): string {
  const lines: string[] = [];
  const walk = (list: readonly BrowseNode[], prefix: string) => {
    list.forEach((n, i) => {
      const last = i === list.length - 1;
      const kind = n.nodeClass === "Variable" ? ` : ${n.dataType ?? "?"}` : "";
      lines.push(`${prefix}${last ? "└─ " : "├─ "}${n.browseName}${kind}  [${n.nodeId}]`);
      walk(n.children, prefix + (last ? "   " : "│  "));
    });
  };
  walk(nodes, "");
  return lines.join("\n");
}

/** Every variable of the tree, depth-first. */
export function variablesOf(nodes: readonly BrowseNode[]): BrowseNode[] {
  const out: BrowseNode[] = [];
  const walk = (list: readonly BrowseNode[]) => {
    for (const n of list) {
      if (n.nodeClass === "Variable") out.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return out;
}

/** A tag name (identifier) from a browse path, unique within `used`. */
export function tagNameOf(path: string, used: Set<string>): string {
  let base = path.replace(/[^A-Za-z0-9_.-]+/g, "_").replace(/^[^A-Za-z]+/, "").replace(/_+$/, "");
  base = base.replaceAll("/", "_").replaceAll(".", "_").toLowerCase() || "tag";
  if (base.length > 100) base = base.slice(-100).replace(/^[^A-Za-z]+/, "") || "tag";
  let name = base;
  for (let i = 2; used.has(name); i++) name = `${base}_${i}`;
  used.add(name);
  return name;
}

function quote(text: string): string {
  return JSON.stringify(text);
}

/** A ready source block for `sources:` reading every variable of the tree. */
export function formatSourceYaml(
  nodes: readonly BrowseNode[],
  options: { endpoint: string; name: string; mode?: string; policy?: string },
): string {
  const used = new Set<string>();
  const vars = variablesOf(nodes);
  const lines = [
    `- name: ${options.name}`,
    `  type: opcua`,
    `  endpoint: ${options.endpoint}`,
  ];
  if (options.mode && options.mode !== "None") {
    lines.push(`  security: { mode: ${options.mode}, policy: ${options.policy} }`);
  }
  lines.push(`  publishing_interval_ms: 1000`, `  sampling_interval_ms: 500`, `  nodes:`);
  if (vars.length === 0) lines.push(`    [] # no variables matched`);
  for (const v of vars) {
    const comment = [v.dataType, v.path].filter(Boolean).join(", ");
    lines.push(`    - { name: ${tagNameOf(v.path, used)}, node_id: ${quote(v.nodeId)} } # ${comment}`);
  }
  return lines.join("\n");
}
