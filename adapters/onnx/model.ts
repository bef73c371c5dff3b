/**
 * @module Loads and validates an ONNX model with onnxruntime-web (WASM backend): the manifest is checked,
 * the session created, and a probe run on a zero vector must give one finite score. Any failure is a
 * FatalError naming the file and what is wrong.
 */
import * as ort from "onnxruntime-web";
import { errorMessage, FatalError, formatIssues } from "../../core/mod.ts";
import { type Manifest, manifestSchema } from "./manifest.ts";

ort.env.wasm.numThreads = 1;
ort.env.logLevel = "error";

/** A validated, runnable model. */
export interface LoadedModel {
  readonly manifest: Manifest;
  readonly session: ort.InferenceSession;
  /** `name@version:sha256[0..8]` of the ONNX bytes. */
  readonly id: string;
  /** Modification times of manifest and model when loaded (hot-swap detection). */
  readonly stamp: string;
}

/** Modification stamp of the manifest and the model it names. */
export async function stampOf(manifestPath: string): Promise<string> {
  const m = await Deno.stat(manifestPath);
  let model = "";
  try {
    const doc = JSON.parse(await Deno.readTextFile(manifestPath)) as { model?: string };
    if (typeof doc.model === "string") {
      const st = await Deno.stat(resolveBeside(manifestPath, doc.model));
      model = `${st.mtime?.getTime()}:${st.size}`;
    }
  } catch {
    // Unreadable manifest: the stamp still changes with its own mtime, and loading reports the error.
  }
  return `${m.mtime?.getTime()}:${m.size}|${model}`;
}

function resolveBeside(manifestPath: string, file: string): string {
  if (file.startsWith("/")) return file;
  const dir = manifestPath.includes("/") ? manifestPath.slice(0, manifestPath.lastIndexOf("/")) : ".";
  return `${dir}/${file}`;
}

/** Loads and validates a model from its manifest path. */
export async function loadModel(manifestPath: string): Promise<LoadedModel> {
  const stamp = await stampOf(manifestPath).catch(() => "");
  let raw: unknown;
  try {
    raw = JSON.parse(await Deno.readTextFile(manifestPath));
  } catch (e) {
    throw new FatalError(`model manifest ${manifestPath} cannot be read as JSON: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  const parsed = manifestSchema.parse(raw);
  if (!parsed.ok) {
    throw new FatalError(`model manifest ${manifestPath} is invalid: ${formatIssues(parsed.issues)}`, {
      cause: parsed.issues,
    });
  }
  const manifest = parsed.value;
  const modelPath = resolveBeside(manifestPath, manifest.model);
  let bytes: Uint8Array<ArrayBuffer>;
  try {
    bytes = await Deno.readFile(modelPath);
  } catch (e) {
    throw new FatalError(`model file ${modelPath} cannot be read: ${errorMessage(e)}`, { cause: e });
  }
  let session: ort.InferenceSession;
  try {
    session = await ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
  } catch (e) {
    throw new FatalError(`model file ${modelPath} is not a valid ONNX model: ${errorMessage(e)}`, {
      cause: e,
    });
  }
  try {
    if (!session.inputNames.includes(manifest.input)) {
      throw new Error(`it has no input "${manifest.input}" (inputs: ${session.inputNames.join(", ")})`);
    }
    if (!session.outputNames.includes(manifest.output)) {
      throw new Error(`it has no output "${manifest.output}" (outputs: ${session.outputNames.join(", ")})`);
    }
    const n = manifest.features.length;
    let probe: ort.InferenceSession.OnnxValueMapType;
    try {
      probe = await session.run({ [manifest.input]: new ort.Tensor("float32", new Float32Array(n), [1, n]) });
    } catch (e) {
      throw new Error(`it does not accept ${n} features ([1, ${n}] float32): ${errorMessage(e)}`);
    }
    const out = probe[manifest.output]?.data;
    if (
      !(out instanceof Float32Array || out instanceof Float64Array) || out.length !== 1 ||
      !Number.isFinite(out[0])
    ) {
      throw new Error(`output "${manifest.output}" must be one finite number per row`);
    }
  } catch (e) {
    await session.release().catch(() => {});
    throw new FatalError(`model ${modelPath} does not match its manifest: ${errorMessage(e)}`, { cause: e });
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  const hex = [...digest.slice(0, 4)].map((b) => b.toString(16).padStart(2, "0")).join("");
  return { manifest, session, id: `${manifest.name}@${manifest.version}:${hex}`, stamp };
}

/** Scores one normalised row. */
export async function runModel(m: LoadedModel, z: Float32Array): Promise<number> {
  const r = await m.session.run({ [m.manifest.input]: new ort.Tensor("float32", z, [1, z.length]) });
  return Number(r[m.manifest.output]!.data[0]);
}
