/**
 * @module Walks the address space below a node (Objects by default) into a tree of objects and variables.
 */
import {
  AttributeIds,
  BrowseDirection,
  type ClientSession,
  NodeClass,
  NodeClassMask,
  type ReferenceDescription,
} from "node-opcua-client";
import { dataTypeOf } from "./metadata.ts";
import { chunks } from "./limits.ts";

/** A browsed node. */
export interface BrowseNode {
  readonly nodeId: string;
  readonly browseName: string;
  readonly displayName: string;
  readonly nodeClass: "Object" | "Variable";
  /** Path of browse names from the root, joined by "/". */
  readonly path: string;
  /** Built-in data type name of a variable (Double, Int32 ...), or its node id for other types. */
  dataType?: string;
  /** The gateway's type for it. */
  gatewayType?: string;
  children: BrowseNode[];
}

/** Options of {@link browseTree}. */
export interface BrowseOptions {
  readonly root?: string;
  readonly depth?: number;
  /** Skip the standard Server object (diagnostics) below the root. Default true. */
  readonly skipServer?: boolean;
  /** Most nodes visited (protects against huge address spaces). */
  readonly maxNodes?: number;
}

const HAS_PROPERTY = 46;
const HAS_HISTORICAL_CONFIGURATION = 56;

const BUILTIN: Record<number, string> = {
  1: "Boolean",
  2: "SByte",
  3: "Byte",
  4: "Int16",
  5: "UInt16",
  6: "Int32",
  7: "UInt32",
  8: "Int64",
  9: "UInt64",
  10: "Float",
  11: "Double",
  12: "String",
  13: "DateTime",
  15: "ByteString",
  21: "LocalizedText",
};

/** Browses breadth-first, one Browse request per level (batched), then reads the data types of variables. */
export async function browseTree(session: ClientSession, options: BrowseOptions = {}): Promise<BrowseNode[]> {
  const rootId = options.root ?? "i=85";
  const depth = options.depth ?? 3;
  const maxNodes = options.maxNodes ?? 20_000;
  const roots: BrowseNode[] = [];
  const seen = new Set<string>([rootId]);
  let level: { nodeId: string; path: string; into: BrowseNode[] }[] = [{
    nodeId: rootId,
    path: "",
    into: roots,
  }];
  const variables: BrowseNode[] = [];
  let visited = 0;
  for (let d = 0; d < depth && level.length > 0 && visited < maxNodes; d++) {
    const next: typeof level = [];
    for (const part of chunks(level, 500)) {
      const results = await session.browse(part.map((p) => ({
        nodeId: p.nodeId,
        referenceTypeId: "HierarchicalReferences",
        browseDirection: BrowseDirection.Forward,
        includeSubtypes: true,
        nodeClassMask: NodeClassMask.Object | NodeClassMask.Variable,
        resultMask: 0x3f,
      })));
      results.forEach((r, i) => {
        const parent = part[i]!;
        for (const ref of (r.references ?? []) as ReferenceDescription[]) {
          // Properties (EURange, EngineeringUnits...) and history configuration are metadata, not data.
          const via = ref.referenceTypeId;
          if (
            via.namespace === 0 && (via.value === HAS_PROPERTY || via.value === HAS_HISTORICAL_CONFIGURATION)
          ) continue;
          const id = ref.nodeId.toString();
          if (seen.has(id) || (options.skipServer !== false && id === "ns=0;i=2253") || visited >= maxNodes) {
            continue;
          }
          seen.add(id);
          visited++;
          const name = ref.browseName.name ?? id;
          const node: BrowseNode = {
            nodeId: id,
            browseName: name,
            displayName: ref.displayName?.text ?? name,
            nodeClass: ref.nodeClass === NodeClass.Variable ? "Variable" : "Object",
            path: parent.path ? `${parent.path}/${name}` : name,
            children: [],
          };
          parent.into.push(node);
          if (node.nodeClass === "Variable") variables.push(node);
          next.push({ nodeId: id, path: node.path, into: node.children });
        }
      });
    }
    level = next;
  }
  for (const part of chunks(variables, 1000)) {
    const values = await session.read(
      part.map((v) => ({ nodeId: v.nodeId, attributeId: AttributeIds.DataType })),
    );
    values.forEach((dv, i) => {
      const id = dv.value?.value;
      if (!id) return;
      const v = part[i]!;
      v.dataType = id.namespace === 0 && typeof id.value === "number" && BUILTIN[id.value]
        ? BUILTIN[id.value]
        : id.toString();
      const g = dataTypeOf(id);
      if (g) v.gatewayType = g;
    });
  }
  return roots;
}

/** Keeps variables whose path matches `pattern` (glob: * and ?, case-insensitive) and their ancestors. */
export function filterTree(nodes: readonly BrowseNode[], pattern: string | undefined): BrowseNode[] {
  if (!pattern) return [...nodes];
  const re = new RegExp(
    `^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replaceAll("*", ".*").replaceAll("?", ".")}$`,
    "i",
  );
  const keep = (n: BrowseNode): BrowseNode | undefined => {
    const children = n.children.map(keep).filter((c): c is BrowseNode => c !== undefined);
    const self = n.nodeClass === "Variable" && (re.test(n.path) || re.test(n.browseName));
    return self || children.length > 0 ? { ...n, children } : undefined;
  };
  return nodes.map(keep).filter((n): n is BrowseNode => n !== undefined);
}
