/**
 * Prepared data for an outside trainer (scale/ in the repository: PyTorch DistributedDataParallel):
 * the output of prepareTrainingData (split, vocabulary, ids) written as NumPy .npy shards, plus the
 * metadata.json the trained model will carry, with its architecture and metrics left for the
 * trainer to fill in. The tokenizer and vocabulary stay in TypeScript: the trainer only sees ids.
 *
 * Layout of a prepared folder (docs/scale-out.md):
 * - dataset.json: { format: 'sentiment-lens-prepared', version: 1, labels, vocabSize, maxLength,
 *   padId: 0, oovId: 1, splits: { train, validation } }, each split { examples, tokens,
 *   shards: [{ name, examples, tokens }] };
 * - <split>-<i>-of-<n>.ids.npy int32 [tokens]: the shard's sentences' ids, concatenated (ragged);
 * - <split>-<i>-of-<n>.lengths.npy int32 [examples]: each sentence's number of ids (0 for a
 *   sentence with no token; offsets are the running sum);
 * - <split>-<i>-of-<n>.labels.npy int32 [examples]: class index into `labels`;
 * - metadata.json: a model's metadata (metadata.ts) whose architecture has null embeddingDim,
 *   units, layers, cell and dropout, and whose metrics and createdAt are null.
 * Shard i holds examples i, i + n, i + 2n, ... of its split, so every shard keeps the class mix.
 */
import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { METADATA_FORMAT_VERSION } from '../model/metadata';
import type { PreparedData, TrainingOptions } from './training';
import { OOV_ID, PAD_ID } from '../text/vocabulary';

/** Name of the manifest, also the mark of a prepared folder (replacing a folder needs it). */
export const DATASET_FILE = 'dataset.json';
export const PREPARED_FORMAT = 'sentiment-lens-prepared';
export const PREPARED_VERSION = 1;

/** One shard's entry in dataset.json; its files are `<name>.ids.npy`, `<name>.lengths.npy`, `<name>.labels.npy`. */
export interface ShardEntry {
  readonly name: string;
  readonly examples: number;
  readonly tokens: number;
}

/** dataset.json. */
export interface DatasetManifest {
  readonly format: typeof PREPARED_FORMAT;
  readonly version: number;
  readonly labels: readonly string[];
  readonly vocabSize: number;
  readonly maxLength: number;
  readonly padId: number;
  readonly oovId: number;
  readonly splits: Readonly<
    Record<'train' | 'validation', { examples: number; tokens: number; shards: readonly ShardEntry[] }>
  >;
}

/** Where the data came from, for metadata.json's `training`. */
export interface PreparedSource {
  readonly name: string;
  readonly dataFingerprint: string;
  readonly dataDescription: string;
}

/**
 * Bytes of a version 1.0 .npy file holding `values` as a little-endian 1-D array
 * (int32 '<i4'), readable by numpy.load. The header is padded so the data starts at a multiple of 64.
 */
export function encodeNpy(values: Int32Array): Uint8Array {
  const dict = `{'descr': '<i4', 'fortran_order': False, 'shape': (${values.length},), }`;
  const unpadded = 10 + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.length * 4);
  out.set([0x93, ...Buffer.from('NUMPY', 'latin1'), 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(Buffer.from(header, 'latin1'), 10);
  const view = new DataView(out.buffer, 10 + header.length);
  values.forEach((v, i) => view.setInt32(i * 4, v, true));
  return out;
}

/**
 * The shards of one split: example k goes to shard k mod n. Returns each shard's name and its
 * three arrays (ids concatenated, lengths, labels).
 */
export function shardSplit(
  split: string,
  ids: readonly Int32Array[],
  labels: Int32Array,
  shards: number,
): { entry: ShardEntry; ids: Int32Array; lengths: Int32Array; labels: Int32Array }[] {
  return Array.from({ length: shards }, (_, s) => {
    const members: number[] = [];
    for (let k = s; k < ids.length; k += shards) members.push(k);
    const lengths = Int32Array.from(members, (k) => ids[k].length);
    const tokens = lengths.reduce((a, b) => a + b, 0);
    const flat = new Int32Array(tokens);
    let at = 0;
    for (const k of members) {
      flat.set(ids[k], at);
      at += ids[k].length;
    }
    const name = `${split}-${String(s).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}`;
    return {
      entry: { name, examples: members.length, tokens },
      ids: flat,
      lengths,
      labels: Int32Array.from(members, (k) => labels[k]),
    };
  });
}

/**
 * metadata.json of a prepared folder: everything a model's metadata holds that comes from the
 * data (labels, vocabulary, tokenizer, maxLength, the split's seed and share, provenance); the
 * trainer fills in architecture, metrics, createdAt and its own hyperparameters.
 */
export function metadataTemplate(
  prepared: PreparedData,
  options: TrainingOptions,
  source: PreparedSource,
): Record<string, unknown> {
  return {
    formatVersion: METADATA_FORMAT_VERSION,
    name: source.name,
    description: `sentiment classifier (${prepared.labels.join(' / ')})`,
    labels: prepared.labels,
    vocabulary: prepared.vocabulary.tokens,
    tokenizer: options.tokenizer,
    maxLength: options.maxLength,
    architecture: {
      cell: null,
      vocabSize: prepared.vocabulary.size,
      embeddingDim: null,
      units: null,
      layers: null,
      numClasses: prepared.labels.length,
      dropout: null,
    },
    training: {
      dataFingerprint: source.dataFingerprint,
      dataDescription: source.dataDescription,
      examples: prepared.train.length,
      // `seed` and `validationSplit` are the split's: `eval --split validation` recomputes the split from them.
      hyperparameters: {
        seed: options.seed,
        validationSplit: options.validationSplit,
        minCount: options.minCount,
        maxVocabulary: options.maxVocabulary,
        maxLength: options.maxLength,
        validationExamples: prepared.validation.length,
      },
      durationSeconds: 0,
      skipGram: false,
    },
    metrics: null,
    createdAt: null,
    quantization: { dtype: 'none', maxAbsError: 0 },
  };
}

/**
 * Writes a prepared folder at `dir` (layout above) with `shards` shards per split. Atomic: files
 * go to a temporary sibling folder that then takes the place of `dir`. An existing `dir` is
 * replaced only if it is empty or a prepared folder (holds dataset.json); anything else is refused.
 * @returns the manifest written.
 */
export async function writePreparedData(
  dir: string,
  prepared: PreparedData,
  options: TrainingOptions,
  source: PreparedSource,
  shards: number,
): Promise<DatasetManifest> {
  if (!Number.isInteger(shards) || shards < 1)
    throw new Error(`the number of shards must be a positive integer (got ${shards})`);
  const target = path.resolve(dir);
  const existing = await fsp.readdir(target).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw new Error(`${dir} cannot be used as the output folder: ${error.message}`);
  });
  if (existing && existing.length > 0 && !existing.includes(DATASET_FILE)) {
    throw new Error(
      `${dir} is not empty and is not a prepared folder (no ${DATASET_FILE}); choose a new or empty folder`,
    );
  }
  const splits = {
    train: shardSplit('train', prepared.trainIds, prepared.trainLabels, shards),
    validation: shardSplit('validation', prepared.validationIds, prepared.validationLabels, shards),
  };
  const summary = (parts: typeof splits.train) => ({
    examples: parts.reduce((sum, p) => sum + p.entry.examples, 0),
    tokens: parts.reduce((sum, p) => sum + p.entry.tokens, 0),
    shards: parts.map((p) => p.entry),
  });
  const manifest: DatasetManifest = {
    format: PREPARED_FORMAT,
    version: PREPARED_VERSION,
    labels: prepared.labels,
    vocabSize: prepared.vocabulary.size,
    maxLength: options.maxLength,
    padId: PAD_ID,
    oovId: OOV_ID,
    splits: { train: summary(splits.train), validation: summary(splits.validation) },
  };

  const parent = path.dirname(target);
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const temporary = path.join(parent, `.${path.basename(target)}.preparing-${tag}`);
  const aside = path.join(parent, `.${path.basename(target)}.replaced-${tag}`);
  await fsp.mkdir(parent, { recursive: true });
  await fsp.mkdir(temporary);
  try {
    for (const part of [...splits.train, ...splits.validation]) {
      await fsp.writeFile(path.join(temporary, `${part.entry.name}.ids.npy`), encodeNpy(part.ids));
      await fsp.writeFile(path.join(temporary, `${part.entry.name}.lengths.npy`), encodeNpy(part.lengths));
      await fsp.writeFile(path.join(temporary, `${part.entry.name}.labels.npy`), encodeNpy(part.labels));
    }
    await fsp.writeFile(
      path.join(temporary, 'metadata.json'),
      `${JSON.stringify(metadataTemplate(prepared, options, source), undefined, 2)}\n`,
    );
    await fsp.writeFile(path.join(temporary, DATASET_FILE), `${JSON.stringify(manifest, undefined, 2)}\n`);
    const hadOld = existing !== undefined;
    if (hadOld) await fsp.rename(target, aside);
    try {
      await fsp.rename(temporary, target);
    } catch (error) {
      if (hadOld) await fsp.rename(aside, target);
      throw error;
    }
    if (hadOld) await fsp.rm(aside, { recursive: true, force: true });
  } catch (error) {
    await fsp.rm(temporary, { recursive: true, force: true });
    throw error;
  }
  return manifest;
}
