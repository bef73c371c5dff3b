/**
 * @module Reads what the address space says about each node: data type, description, EngineeringUnits, EURange.
 */
import {
  AttributeIds,
  BrowseDirection,
  type ClientSession,
  NodeClassMask,
  type ReferenceDescription,
} from "node-opcua-client";
import type { DataType, Range } from "../../core/mod.ts";
import { chunks, type Limits } from "./limits.ts";

/** What the server declares about one variable. */
export interface ServerMeta {
  dataType?: DataType;
  description?: string;
  unit?: string;
  range?: Range;
  /** Non-good status of the node's attributes (e.g. BadNodeIdUnknown), when it could not be read. */
  error?: string;
}

/** Gateway data type of an OPC UA built-in data type node id (ns=0). */
export function dataTypeOf(nodeId: { namespace: number; value: unknown }): DataType | undefined {
  if (nodeId.namespace !== 0 || typeof nodeId.value !== "number") return undefined;
  const id = nodeId.value;
  if (id === 1) return "bool";
  if ((id >= 2 && id <= 9) || id === 27 || id === 28 || id === 29) return "int";
  if (id === 10 || id === 11 || id === 26 || id === 13 || id === 290) return "float";
  if (id === 12 || id === 21 || id === 20) return "string";
  return undefined;
}

/** Reads metadata of every node, batched by the server's limits; never throws for a single bad node. */
export async function readMetadata(
  session: ClientSession,
  nodeIds: readonly string[],
  limits: Limits,
): Promise<ServerMeta[]> {
  const metas: ServerMeta[] = nodeIds.map(() => ({}));
  const attrPairs = nodeIds.flatMap((nodeId) => [
    { nodeId, attributeId: AttributeIds.DataType },
    { nodeId, attributeId: AttributeIds.Description },
  ]);
  let offset = 0;
  for (const part of chunks(attrPairs, Math.max(2, limits.perRead - (limits.perRead % 2)))) {
    const values = await session.read(part);
    for (let i = 0; i < values.length; i += 2) {
      const meta = metas[(offset + i) / 2]!;
      const type = values[i]!;
      const desc = values[i + 1]!;
      if (type.statusCode.value !== 0) {
        meta.error = type.statusCode.name;
        continue;
      }
      const dt = dataTypeOf(type.value.value);
      if (dt) meta.dataType = dt;
      const text = desc.value?.value?.text;
      if (typeof text === "string" && text !== "") meta.description = text;
    }
    offset += part.length;
  }
  // Properties: EngineeringUnits and EURange are HasProperty children of the variable.
  const props: { index: number; kind: "unit" | "range"; nodeId: string }[] = [];
  const browsable = nodeIds.map((nodeId, index) => ({ nodeId, index })).filter((n) => !metas[n.index]!.error);
  for (const part of chunks(browsable, limits.perBrowse)) {
    const results = await session.browse(part.map((n) => ({
      nodeId: n.nodeId,
      referenceTypeId: "HasProperty",
      browseDirection: BrowseDirection.Forward,
      includeSubtypes: true,
      nodeClassMask: NodeClassMask.Variable,
      resultMask: 0x3f,
    })));
    results.forEach((r, i) => {
      for (const ref of (r.references ?? []) as ReferenceDescription[]) {
        const name = ref.browseName.name;
        const kind = name === "EngineeringUnits" ? "unit" : name === "EURange" ? "range" : undefined;
        if (kind) props.push({ index: part[i]!.index, kind, nodeId: ref.nodeId.toString() });
      }
    });
  }
  for (const part of chunks(props, limits.perRead)) {
    const values = await session.read(
      part.map((p) => ({ nodeId: p.nodeId, attributeId: AttributeIds.Value })),
    );
    values.forEach((dv, i) => {
      const p = part[i]!;
      const v = dv.value?.value;
      if (dv.statusCode.value !== 0 || !v) return;
      if (p.kind === "unit" && typeof v.displayName?.text === "string" && v.displayName.text !== "") {
        metas[p.index]!.unit = v.displayName.text;
      }
      if (p.kind === "range" && Number.isFinite(v.low) && Number.isFinite(v.high) && v.low < v.high) {
        metas[p.index]!.range = { low: v.low, high: v.high };
      }
    });
  }
  return metas;
}
