/**
 * Saving and loading models in the standard TensorFlow.js Layers format with plain `fs`:
 * a folder holding model.json (topology + weightsManifest), weights.bin and metadata.json; a seed
 * ensemble adds model-K.json + weights-K.bin for each further network K (metadata.json's `members`).
 *
 * Quantization uses tfjs's own weightsManifest convention, so tfjs (`tf.io.decodeWeights`,
 * `tfl.loadLayersModel`) dequantizes the files without our help:
 * - 'uint8' / 'uint16': affine per tensor, value = q * scale + min, zero exactly representable;
 * - 'float16': IEEE half precision.
 * Only 2-D weights (embedding, kernels) are quantized; biases stay float32 (tiny, and the most
 * sensitive to rounding).
 */
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type * as tfl from '@tensorflow/tfjs-layers';
import { MAX_MODEL_JSON_BYTES, MAX_MODEL_MEMBERS, MAX_MODEL_WEIGHTS_BYTES } from '../files/limits';
import { FileRefusedError, formatBytes, readRegularFile } from '../files/regularFile';
import { ensureBackend } from './tfBackend';
import { Architecture, NetworkWeights, flattenWeights, unflattenWeights, weightShapes } from './architecture';
import {
  METADATA_FORMAT_VERSION,
  ModelMetadata,
  QuantizationKind,
  WeightShapeEntry,
  checkAgainstWeights,
  validateMetadata,
} from './metadata';
import { FileContent, MODEL_FILE_NAMES, SaveFileSystem, memberFileNames, recoverInterruptedSave, writeModelFolder } from './modelFolder';
import { buildLayersModel, setNetworkWeights } from './tfjsModel';

/** File names inside a model folder. */
export const MODEL_FILES = MODEL_FILE_NAMES;

/** Metadata given to saveModel: saveModel fills in formatVersion, architecture, quantization, members and (by default) createdAt. */
export type MetadataToSave = Omit<ModelMetadata, 'formatVersion' | 'architecture' | 'quantization' | 'createdAt' | 'members'> & {
  readonly createdAt?: string;
};

/** What saveModel writes. */
export interface ModelToSave {
  readonly arch: Architecture;
  /** The (first) network's weights. */
  readonly weights: NetworkWeights;
  /** The weights of a seed ensemble's other networks (2, 3, ...), each of `arch`; absent or empty for one network. */
  readonly otherMembers?: readonly NetworkWeights[];
  readonly metadata: MetadataToSave;
}

/** Options of saveModel. */
export interface SaveOptions {
  /** How weights.bin stores the 2-D weights (default 'none' = float32). */
  readonly quantize?: QuantizationKind;
  /** Told about problems that do not stop the save (the previous model could not be removed, ...). */
  readonly onWarning?: (message: string) => void;
  /** The operations that change the disk (default node:fs); tests pass one that fails at a chosen step. */
  readonly fileSystem?: SaveFileSystem;
}

/** Options of loadModel. */
export interface LoadOptions {
  /** Told what recovering an interrupted save of the folder did or could not do. */
  readonly onWarning?: (message: string) => void;
}

/** Most problems a ModelLoadError's message lists (all are in its `problems`). */
const MAX_PROBLEMS_IN_MESSAGE = 10;

/** Thrown by loadModel; `problems` lists everything found wrong, the message names the folder (and the first few problems). */
export class ModelLoadError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, MAX_PROBLEMS_IN_MESSAGE).join('; ');
    const more = problems.length > MAX_PROBLEMS_IN_MESSAGE ? `; and ${problems.length - MAX_PROBLEMS_IN_MESSAGE} more problems` : '';
    super(`Cannot load the model in ${dir}: ${shown}${more}`);
    this.name = 'ModelLoadError';
  }
}

/** A model read from disk. Owns the tfjs model it may create: call dispose() when done. */
export class LoadedModel {
  private model: tfl.LayersModel | undefined;

  constructor(
    /** The folder it was read from. */
    readonly dir: string,
    readonly arch: Architecture,
    /** Dequantized float32 weights of the (first) network, Keras layout (see architecture.ts). */
    readonly weights: NetworkWeights,
    readonly metadata: ModelMetadata,
    /** A seed ensemble's other networks (2, 3, ...), same layout; empty for one network. */
    readonly otherMembers: readonly NetworkWeights[] = [],
  ) {}

  /**
   * The tfjs Layers model with the first network's weights, built on first call and cached (built
   * from the architecture, so a Keras-converted model gets the same graph as our own). The backend
   * must be ready (ensureBackend).
   */
  layersModel(): tfl.LayersModel {
    if (!this.model) {
      const model = buildLayersModel(this.arch);
      setNetworkWeights(model, this.weights);
      this.model = model;
    }
    return this.model;
  }

  /** Frees the tfjs model's tensors, if one was built. */
  dispose(): void {
    this.model?.dispose();
    this.model = undefined;
  }
}

/**
 * Writes a model folder at `dir`: model.json (tfjs 'layers-model' format, weightsManifest paths
 * ['weights.bin']), weights.bin and metadata.json; with `otherMembers`, also model-K.json
 * (weightsManifest paths ['weights-K.bin']) and weights-K.bin for network K = 2, 3, ..., and
 * metadata.json's `members`. `dir` must not exist, or be an empty folder, or
 * hold a model saved before (which is replaced); anything else is refused (see checkSaveTarget).
 * Atomic and recoverable: everything goes to a temporary sibling folder, which then replaces
 * `dir`; a crash at any step leaves the old or the new model at `dir` or recoverable beside it,
 * and the next load or save puts it back (see writeModelFolder). The inputs are not changed.
 * @returns the metadata as written (with quantization.maxAbsError measured by decoding weights.bin with tfjs).
 * @throws SaveTargetError when `dir` may not be replaced; Error when the weights do not fit `arch`,
 *   contain NaN/Infinity, or the metadata is invalid (nothing is written then).
 */
export async function saveModel(dir: string, model: ModelToSave, options: SaveOptions = {}): Promise<ModelMetadata> {
  await ensureBackend();
  const quantize = options.quantize ?? 'none';
  const { arch } = model;
  const members = [model.weights, ...(model.otherMembers ?? [])];
  if (members.length > MAX_MODEL_MEMBERS) throw new Error(`not saving ${dir}: a model holds at most ${MAX_MODEL_MEMBERS} networks, this one has ${members.length}`);
  const memberArrays = members.map((weights, m) => {
    const arrays = flattenWeights(weights);
    unflattenWeights(arch, arrays); // throws on a size mismatch
    arrays.forEach((values, i) => {
      if (!values.every(Number.isFinite)) throw new Error(`weight ${weightShapes(arch)[i].name}${members.length > 1 ? ` of network ${m + 1}` : ''} contains NaN or Infinity; not saving`);
    });
    return arrays;
  });

  const { modelTopology, format, generatedBy, convertedBy, names } = await layersTopology(arch);
  const shapes = weightShapes(arch);
  const encodedMembers = memberArrays.map((arrays) => {
    const encoded = shapes.map(({ shape }, i) => encodeWeight(names[i], shape, arrays[i], shape.length >= 2 ? quantize : 'none'));
    const weightData = concatBytes(encoded.map((e) => e.bytes));
    const specs = encoded.map((e) => e.spec);
    return { weightData, specs, maxAbsError: measureError(weightData, specs, arrays) };
  });
  const maxAbsError = encodedMembers.reduce((largest, member) => Math.max(largest, member.maxAbsError), 0);

  const metadata: ModelMetadata = {
    ...model.metadata,
    formatVersion: METADATA_FORMAT_VERSION,
    architecture: { ...arch },
    createdAt: model.metadata.createdAt ?? new Date().toISOString(),
    quantization: { dtype: quantize, maxAbsError },
    // A single network's metadata.json stays as it always was: no `members`.
    ...(members.length > 1 ? { members: members.length } : {}),
  };
  const { problems } = validateMetadata(metadata);
  for (const problem of checkAgainstWeights(metadata, encodedMembers[0].specs)) problems.push(problem);
  if (problems.length > 0) throw new Error(`not saving ${dir}: ${problems.join('; ')}`);

  const files: [string, FileContent][] = [];
  encodedMembers.forEach(({ weightData, specs }, m) => {
    const names = memberFileNames(m + 1);
    const modelJson = {
      format,
      generatedBy,
      convertedBy,
      modelTopology,
      weightsManifest: [{ paths: [names.weights], weights: specs }],
    };
    files.push([names.weights, weightData], [names.model, JSON.stringify(modelJson)]);
  });
  files.push([MODEL_FILES.metadata, () => formatMetadata(metadata)]);
  await writeModelFolder(dir, files, { fileSystem: options.fileSystem, onWarning: options.onWarning, isComplete: isCompleteModel });
  return metadata;
}

/**
 * Reads and validates a model folder: model.json (tfjs Layers format, ours or one converted from
 * Keras by the TensorFlow.js converter), its weight shards, and metadata.json; for an ensemble
 * (metadata.json's `members`), every further network's model-K.json and shards too, each checked
 * like the first. Weights are matched to the architecture by order and shape, not by name, and
 * dequantized by tfjs (tf.io.decodeWeights). First finishes or rolls back an interrupted save of
 * `dir`, if one left traces (see recoverInterruptedSave).
 * @throws ModelLoadError listing every problem found: missing or unreadable files (a member's too),
 *   bad JSON, invalid metadata, metadata that disagrees with the weights, truncated or oversized
 *   shards, a weights file listed by two networks.
 */
export async function loadModel(dir: string, options: LoadOptions = {}): Promise<LoadedModel> {
  await recoverInterruptedSave(dir, { isComplete: isCompleteModel, onWarning: options.onWarning });
  return readModelFolder(dir);
}

/** Whether `dir` holds a model that loads. */
async function isCompleteModel(dir: string): Promise<boolean> {
  return readModelFolder(dir).then(
    () => true,
    () => false,
  );
}

/** One network's model file, its manifest and (once read) its shards. */
interface MemberFiles {
  /** model.json, model-2.json, ... */
  readonly file: string;
  readonly groups: ManifestGroup[] | undefined;
}

/** loadModel without the recovery. */
async function readModelFolder(dir: string): Promise<LoadedModel> {
  const problems: string[] = [];
  const fail = (): never => {
    throw new ModelLoadError(dir, problems);
  };
  const stat = await fsp.stat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) {
    problems.push(stat ? 'it is not a folder' : 'the folder does not exist');
    fail();
  }

  const modelJson = await readJson(dir, MODEL_FILES.model, problems);
  const rawMetadata = await readJson(dir, MODEL_FILES.metadata, problems, 'a model needs its vocabulary, labels and tokenizer settings beside model.json');
  const members: MemberFiles[] = [{ file: MODEL_FILES.model, groups: modelJson === undefined ? undefined : parseManifest(modelJson, problems) }];
  let metadata: ModelMetadata | undefined;
  if (rawMetadata !== undefined) {
    const validated = validateMetadata(rawMetadata);
    // A loop, not push(...): a metadata.json can hold any number of problems.
    for (const problem of validated.problems) problems.push(`metadata.json: ${problem}`);
    metadata = validated.metadata;
  }
  const memberCount = metadata?.members ?? 1;
  for (let member = 2; member <= memberCount; member++) {
    const file = memberFileNames(member).model;
    const json = await readJson(dir, file, problems, `metadata.json says the model has ${memberCount} networks; this is network ${member}`);
    members.push({ file, groups: json === undefined ? undefined : parseManifest(json, problems, file) });
  }
  checkSharedShards(members, problems);
  const shardData = await readMemberShards(dir, members, problems);
  if (problems.length > 0 || !shardData || !metadata) return fail();

  const arch = metadata.architecture;
  const orderedMembers = members.map(({ file, groups }) => {
    const modelWeights = groups!.flatMap((group) => group.weights.filter((w) => w.group !== 'optimizer'));
    const ordered = orderWeights(modelWeights, arch);
    // The first network's problems read as they always have; a further network's name its file.
    const prefix = file === MODEL_FILES.model ? '' : `${file}: `;
    for (const problem of checkAgainstWeights(metadata!, ordered ?? orderByRole(modelWeights) ?? modelWeights)) problems.push(`${prefix}${problem}`);
    if (problems.length === 0 && !ordered) {
      problems.push(`${file}'s weights ${modelWeights.map((w) => `"${w.name}" [${w.shape.join(', ')}]`).join(', ')} do not match the architecture's shapes in any recognised order`);
    }
    return ordered;
  });
  if (problems.length > 0) return fail();

  await ensureBackend();
  const memberWeights = members.map(({ file, groups }, m) => {
    const decoded = new Map<string, Float32Array>();
    groups!.forEach((group, g) => {
      const tensors = tf.io.decodeWeights(shardData[m][g], group.weights);
      try {
        for (const [name, tensor] of Object.entries(tensors)) decoded.set(name, Float32Array.from(tensor.dataSync() as Float32Array));
      } finally {
        tf.dispose(Object.values(tensors));
      }
    });
    const ordered = orderedMembers[m]!;
    const arrays = ordered.map((entry) => decoded.get(entry.name) as Float32Array);
    arrays.forEach((values, i) => {
      if (!values.every(Number.isFinite)) problems.push(`${members.length > 1 ? `${file}: ` : ''}weight "${ordered[i].name}" contains NaN or Infinity`);
    });
    return arrays;
  });
  if (problems.length > 0) return fail();
  const [first, ...others] = memberWeights.map((arrays) => unflattenWeights(arch, arrays));
  return new LoadedModel(dir, arch, first, metadata, others);
}

/** A shard file listed by two networks' manifests is a problem: each network has its own weights. */
function checkSharedShards(members: readonly MemberFiles[], problems: string[]): void {
  const owner = new Map<string, string>();
  for (const { file, groups } of members) {
    for (const shard of new Set((groups ?? []).flatMap((group) => group.paths))) {
      const first = owner.get(shard);
      if (first === undefined) owner.set(shard, file);
      else problems.push(`${file} lists ${shard} as a weights file, which ${first} lists too: each network of the model needs its own weights file`);
    }
  }
}

/** Every network's shards (see readShards), within one budget for the model; undefined when any cannot be read. */
async function readMemberShards(dir: string, members: readonly MemberFiles[], problems: string[]): Promise<ArrayBuffer[][] | undefined> {
  if (members.some((member) => !member.groups)) return undefined;
  const described = members.reduce((sum, member) => sum + member.groups!.reduce((total, group) => total + group.weights.reduce((bytes, entry) => bytes + byteLengthOf(entry), 0), 0), 0);
  if (described > MAX_MODEL_WEIGHTS_BYTES) {
    const files = members.length === 1 ? MODEL_FILES.model : `the ${members.length} networks' model files`;
    problems.push(`${files} describe${members.length === 1 ? 's' : ''} ${formatBytes(described)} of weights, over the ${formatBytes(MAX_MODEL_WEIGHTS_BYTES)} limit for a model`);
    return undefined;
  }
  const budget = { bytes: MAX_MODEL_WEIGHTS_BYTES };
  const all: ArrayBuffer[][] = [];
  for (const { file, groups } of members) {
    const buffers = await readShards(dir, groups!, problems, budget, file);
    if (buffers) all.push(buffers);
  }
  return all.length === members.length ? all : undefined;
}

/** Bytes of weights.bin (of one network) for `arch` saved with `quantize` (2-D weights quantized, biases float32). */
export function savedWeightsBytes(arch: Architecture, quantize: QuantizationKind = 'none'): number {
  const bytesPerValue = { none: 4, float16: 2, uint16: 2, uint8: 1 }[quantize];
  return weightShapes(arch).reduce((sum, { shape }) => sum + shape.reduce((a, b) => a * b, 1) * (shape.length >= 2 ? bytesPerValue : 4), 0);
}

// ---------------------------------------------------------------------------------------------
// Saving

/** The topology and weight names tfjs itself writes for `arch` (from model.save with a capturing handler). */
async function layersTopology(arch: Architecture) {
  const model = buildLayersModel(arch);
  try {
    let captured: tf.io.ModelArtifacts | undefined;
    await model.save(
      tf.io.withSaveHandler(async (artifacts) => {
        captured = artifacts;
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }),
    );
    if (!captured?.modelTopology || !captured.weightSpecs) throw new Error('tfjs did not hand over the model topology');
    return {
      modelTopology: captured.modelTopology,
      format: captured.format ?? 'layers-model',
      generatedBy: captured.generatedBy ?? 'TensorFlow.js tfjs-layers',
      convertedBy: captured.convertedBy ?? null,
      names: captured.weightSpecs.map((spec) => spec.name),
    };
  } finally {
    model.dispose();
  }
}

/** One weight's manifest entry and bytes, float32 or quantized the way tfjs's decodeWeights expects. */
function encodeWeight(name: string, shape: number[], values: Float32Array, quantize: QuantizationKind): { spec: tf.io.WeightsManifestEntry; bytes: Uint8Array } {
  const base = { name, shape: [...shape], dtype: 'float32' as const };
  if (quantize === 'none') {
    return { spec: base, bytes: new Uint8Array(Float32Array.from(values).buffer) };
  }
  if (quantize === 'float16') {
    const halves = new Uint16Array(values.length);
    const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
    for (let i = 0; i < values.length; i++) halves[i] = float32BitsToFloat16Bits(bits[i]);
    return { spec: { ...base, quantization: { dtype: 'float16' } }, bytes: new Uint8Array(halves.buffer) };
  }
  const levels = quantize === 'uint8' ? 255 : 65535;
  let lo = 0;
  let hi = 0;
  for (const v of values) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  // Range widened to include 0 and its minimum nudged onto the grid, so 0 dequantizes exactly.
  const scale = hi > lo ? (hi - lo) / levels : 1;
  const min = -Math.round(-lo / scale) * scale;
  const quantized = quantize === 'uint8' ? new Uint8Array(values.length) : new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    quantized[i] = Math.min(levels, Math.max(0, Math.round((values[i] - min) / scale)));
  }
  return { spec: { ...base, quantization: { dtype: quantize, min, scale } }, bytes: new Uint8Array(quantized.buffer) };
}

/** IEEE 754 half-precision bits of a float32 (given as its bits), rounded to nearest even; beyond ±65504 saturates. */
function float32BitsToFloat16Bits(bits: number): number {
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa ? 0x200 : 0); // Inf / NaN (rejected earlier)
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7bff; // saturate at the largest finite half
  if (halfExponent <= 0) {
    if (halfExponent < -10) return sign; // underflows to ±0
    const full = mantissa | 0x800000; // subnormal half: shift the implicit-1 mantissa into place
    const shift = 14 - halfExponent;
    let half = full >>> shift;
    const remainder = full & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (remainder > halfway || (remainder === halfway && half & 1)) half++;
    return sign | half;
  }
  let half = (halfExponent << 10) | (mantissa >>> 13);
  const remainder = mantissa & 0x1fff;
  if (remainder > 0x1000 || (remainder === 0x1000 && half & 1)) half++; // may carry into the exponent: still correct
  if ((half & 0x7c00) === 0x7c00) return sign | 0x7bff;
  return sign | half;
}

/** Largest |decoded - original| over all weights, decoding `weightData` with tfjs itself. */
function measureError(weightData: Uint8Array, specs: tf.io.WeightsManifestEntry[], originals: Float32Array[]): number {
  const buffer = weightData.buffer.slice(weightData.byteOffset, weightData.byteOffset + weightData.byteLength) as ArrayBuffer;
  const tensors = tf.io.decodeWeights(buffer, specs);
  try {
    let maxError = 0;
    specs.forEach((spec, i) => {
      const decoded = tensors[spec.name].dataSync();
      const original = originals[i];
      for (let j = 0; j < original.length; j++) maxError = Math.max(maxError, Math.abs(decoded[j] - original[j]));
    });
    return maxError;
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** metadata.json text: indented, except the vocabulary on one line (an entry per line would add ~8 bytes a word). */
function formatMetadata(metadata: ModelMetadata): string {
  const text = JSON.stringify({ ...metadata, vocabulary: 'VOCABULARY' }, undefined, 2);
  // The top-level key is the only one at this indent, so the placeholder is unambiguous.
  return `${text.replace('\n  "vocabulary": "VOCABULARY"', () => `\n  "vocabulary": ${JSON.stringify(metadata.vocabulary)}`)}\n`;
}

function concatBytes(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((sum, p) => sum + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Loading

interface ManifestGroup {
  readonly paths: string[];
  readonly weights: tf.io.WeightsManifestEntry[];
}

/**
 * A file of a model folder: a regular file of at most `maxBytes`, inside the folder (a symbolic
 * link is followed only when its target is inside the folder too).
 */
async function readModelFile(dir: string, name: string, maxBytes: number): Promise<Buffer> {
  const file = path.join(dir, name);
  if ((await fsp.lstat(file)).isSymbolicLink()) {
    const [target, folder] = await Promise.all([fsp.realpath(file), fsp.realpath(dir)]);
    if (!target.startsWith(folder + path.sep)) throw new FileRefusedError(file, 'not-regular', `it is a symbolic link to ${target}, outside the model folder`);
  }
  return readRegularFile(file, maxBytes);
}

/** Why a model file could not be read, for a problem list. */
function unreadable(name: string, error: unknown, missing: string): string {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return missing;
  return `${name} cannot be read: ${error instanceof FileRefusedError ? error.reason : (error as Error).message}`;
}

async function readJson(dir: string, name: string, problems: string[], whyNeeded?: string): Promise<unknown> {
  let text: string;
  try {
    text = (await readModelFile(dir, name, MAX_MODEL_JSON_BYTES)).toString('utf8');
  } catch (error) {
    problems.push(unreadable(name, error, `${name} is missing${whyNeeded ? ` (${whyNeeded})` : ''}`));
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    problems.push(`${name} is not valid JSON: ${(error as Error).message}`);
    return undefined;
  }
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

function parseManifest(modelJson: unknown, problems: string[], file: string = MODEL_FILES.model): ManifestGroup[] | undefined {
  const manifest = (modelJson as { weightsManifest?: unknown } | null)?.weightsManifest;
  if (typeof modelJson !== 'object' || modelJson === null || Array.isArray(modelJson)) {
    problems.push(`${file} must hold a JSON object`);
    return undefined;
  }
  if (!Array.isArray(manifest) || manifest.length === 0) {
    problems.push(`${file} has no weightsManifest (is it a tfjs Layers model.json?)`);
    return undefined;
  }
  const groups: ManifestGroup[] = [];
  manifest.forEach((group: unknown, g: number) => {
    const { paths, weights } = (group ?? {}) as { paths?: unknown; weights?: unknown };
    if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && isPlainFileName(p))) {
      problems.push(`${file} weightsManifest[${g}].paths must list shard files inside the model folder`);
      return;
    }
    if (!Array.isArray(weights)) {
      problems.push(`${file} weightsManifest[${g}].weights must be an array`);
      return;
    }
    const entries: tf.io.WeightsManifestEntry[] = [];
    weights.forEach((entry: unknown, w: number) => {
      const e = entry as Partial<tf.io.WeightsManifestEntry> | null;
      const where = `${file} weightsManifest[${g}].weights[${w}]`;
      if (!e || typeof e.name !== 'string' || !Array.isArray(e.shape) || !e.shape.every((d) => Number.isInteger(d) && d >= 0)) {
        problems.push(`${where} needs a name and a shape of non-negative integers`);
      } else if (e.dtype !== 'float32') {
        problems.push(`${where} ("${e.name}") has dtype ${String(e.dtype)}; model weights must be float32`);
      } else if (e.quantization && !['uint8', 'uint16', 'float16'].includes(e.quantization.dtype)) {
        problems.push(`${where} ("${e.name}") has unsupported quantization ${String(e.quantization.dtype)}`);
      } else if (e.quantization && e.quantization.dtype !== 'float16' && !(Number.isFinite(e.quantization.scale) && Number.isFinite(e.quantization.min))) {
        problems.push(`${where} ("${e.name}") is ${e.quantization.dtype}-quantized but lacks a numeric min and scale`);
      } else {
        entries.push(e as tf.io.WeightsManifestEntry);
      }
    });
    groups.push({ paths: paths as string[], weights: entries });
  });
  return groups;
}

function isPlainFileName(name: string): boolean {
  return name.length > 0 && !name.includes('/') && !name.includes('\\') && name !== '.' && name !== '..';
}

function byteLengthOf(entry: tf.io.WeightsManifestEntry): number {
  const size = entry.shape.reduce((a, b) => a * b, 1);
  return size * BYTES_PER_VALUE[entry.quantization?.dtype ?? entry.dtype];
}

/**
 * Each group's shards concatenated, checked against the byte length its manifest (in `file`)
 * describes; `budget` (bytes left for the model's weight files) shrinks by what is read.
 */
async function readShards(dir: string, groups: ManifestGroup[], problems: string[], budget: { bytes: number }, file: string): Promise<ArrayBuffer[] | undefined> {
  const buffers: ArrayBuffer[] = [];
  for (const group of groups) {
    const parts: Uint8Array[] = [];
    for (const shard of group.paths) {
      try {
        const bytes = await readModelFile(dir, shard, budget.bytes);
        budget.bytes -= bytes.byteLength;
        parts.push(bytes);
      } catch (error) {
        problems.push(unreadable(shard, error, `${shard} is missing (${file} lists it as a weights file)`));
      }
    }
    if (parts.length !== group.paths.length) continue;
    const data = concatBytes(parts);
    const expected = group.weights.reduce((sum, entry) => sum + byteLengthOf(entry), 0);
    if (data.byteLength !== expected) {
      const names = group.paths.join(' + ');
      problems.push(
        data.byteLength < expected
          ? `${names} is truncated: it holds ${data.byteLength} bytes but ${file}'s weightsManifest describes ${expected}`
          : `${names} holds ${data.byteLength} bytes but ${file}'s weightsManifest describes only ${expected}`,
      );
      continue;
    }
    buffers.push(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer);
  }
  return buffers.length === groups.length ? buffers : undefined;
}

/**
 * The manifest entries in weightShapes(arch) order, matched by order and shape: as listed (our
 * files, and converters that list weights layer by layer), else by role (embedding, recurrent
 * layers in order of appearance, output layer last; within a layer kernel, recurrent kernel, bias)
 * using only the last name segment, which covers manifests sorted by name ('dense/bias' first) and
 * Keras names such as 'gru/gru_cell/kernel'. Undefined when neither order fits.
 */
export function orderWeights<T extends WeightShapeEntry>(entries: readonly T[], arch: Architecture): T[] | undefined {
  const expected = weightShapes(arch);
  const fits = (list: readonly T[]) =>
    list.length === expected.length && list.every((entry, i) => sameShape(entry.shape, expected[i].shape));
  if (fits(entries)) return [...entries];
  const byRole = orderByRole(entries);
  return byRole && fits(byRole) ? byRole : undefined;
}

/**
 * The entries grouped by layer (first name segment) and ordered embedding, recurrent layers (in
 * order of appearance), others; within a layer kernel, recurrent kernel, bias. Undefined when a
 * name's last segment is not one of embeddings / kernel / recurrent_kernel / bias.
 */
function orderByRole<T extends WeightShapeEntry>(entries: readonly T[]): T[] | undefined {
  const layerOf = (name: string) => name.split('/')[0];
  const roleOf = (name: string) => name.split('/').pop() ?? '';
  const layers = new Map<string, T[]>();
  for (const entry of entries) {
    const key = layerOf(entry.name);
    layers.set(key, [...(layers.get(key) ?? []), entry]);
  }
  const within = ['embeddings', 'kernel', 'recurrent_kernel', 'bias'];
  if (!entries.every((entry) => within.includes(roleOf(entry.name)))) return undefined;
  const sorted = [...layers.values()].map((group) =>
    [...group].sort((a, b) => within.indexOf(roleOf(a.name)) - within.indexOf(roleOf(b.name))),
  );
  const isEmbedding = (group: T[]) => group.some((e) => roleOf(e.name) === 'embeddings');
  const isRecurrent = (group: T[]) => group.some((e) => roleOf(e.name) === 'recurrent_kernel');
  return [
    ...sorted.filter(isEmbedding),
    ...sorted.filter((g) => isRecurrent(g) && !isEmbedding(g)),
    ...sorted.filter((g) => !isRecurrent(g) && !isEmbedding(g)),
  ].flat();
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
