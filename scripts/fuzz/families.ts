/**
 * Seeded fuzz families over the parts that read untrusted input: labelled text and files, texts
 * to classify, model folders, word-vector files. Each case is generated from its own seed, so a
 * failure is reproduced by `npm run fuzz -- --family NAME --seed S --from I --cases 1`. A case
 * fails when an invariant breaks or an unexpected error (anything but the documented refusal)
 * escapes. Used by scripts/fuzz.ts and, with a small fixed-seed slice, by test/unit/fuzz.test.ts.
 */
import { promises as fsp } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Classifier, MAX_TOKENS } from '../../src/core/classify/classifier';
import { loadClassifierModel, LoadedClassifierModel, saveTrainedModel } from '../../src/core/training/modelFiles';
import { trainClassifier } from '../../src/core/training/training';
import { loadModel, ModelLoadError } from '../../src/core/model/modelIO';
import { readPretrainedVectors } from '../../src/core/training/pretrainedVectors';
import { readLabelledFile } from '../../src/core/readers/files';
import { parseLabelledText } from '../../src/core/readers/parse';
import type { LabelledFormat, ReadResult } from '../../src/core/readers/types';
import { ENGINE_HELPER_SCRIPT } from '../../test/support/engineHelper';

/** A small, fast, seeded generator (mulberry32). */
export class Rng {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  /** Uniform in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(below: number): number {
    return Math.floor(this.next() * below);
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

/** The seed of case `index` of a family for a run seed. */
export function caseSeed(runSeed: number, family: string, index: number): number {
  let h = (runSeed ^ 0x9e3779b9) >>> 0;
  for (const ch of `${family}#${index}`) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return h;
}

/** Shared resources of a fuzz run: a scratch folder and the bundled model. */
export interface FuzzContext {
  readonly scratch: string;
  readonly model: LoadedClassifierModel;
  readonly classifier: Classifier;
  /** A complete model folder to corrupt copies of. */
  readonly modelDir: string;
}

/** One family: generates and checks one case; throws on a broken invariant. */
export interface FuzzFamily {
  readonly name: string;
  readonly description: string;
  /** Cases in a full `npm run fuzz` run. */
  readonly defaultCases: number;
  run(rng: Rng, context: FuzzContext, index: number): Promise<void>;
}

const root = path.resolve(__dirname, '..', '..');

/** Creates the context (call dispose when done). */
export async function createFuzzContext(): Promise<FuzzContext & { dispose(): Promise<void> }> {
  const scratch = await fsp.mkdtemp(path.join(os.tmpdir(), 'sentiment-lens-fuzz-'));
  const modelDir = path.join(root, 'model', 'movie-reviews');
  const model = await loadClassifierModel(modelDir);
  const classifier = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT });
  return {
    scratch,
    model,
    classifier,
    modelDir,
    async dispose() {
      await classifier.dispose();
      await fsp.rm(scratch, { recursive: true, force: true });
    },
  };
}

function fail(message: string): never {
  throw new Error(`invariant broken: ${message}`);
}

// ---------------------------------------------------------------------------------------------
// Generators

const AWKWARD_LABELS = [
  'positive',
  'negative',
  'neutral',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '0',
  '1',
  'pos',
  'neg',
  'x'.repeat(5000),
  'ünïcödé',
  '😀',
  'a,b',
  'a"b',
  'a\tb',
  '\u0000',
];
const WORDS = [
  'good',
  'bad',
  'film',
  'plot',
  'the',
  'is',
  'not',
  'dull',
  'great',
  "don't",
  "it's",
  'LGTM',
  'nit:',
  '`code`',
  'http://x.y/z',
  '@user',
  '#42',
  '—',
  '…',
  'naïve',
  '日本語',
  '🙂',
  '\u200b',
  '\ufeff',
  '\u0000',
  '\r',
  '"',
  '""',
  "'",
  '\\',
  '{',
  '}',
  '[',
  ']',
  ',',
];

function randomText(rng: Rng, maxWords = 30): string {
  const words: string[] = [];
  const count = rng.int(maxWords + 1);
  for (let i = 0; i < count; i++) words.push(rng.chance(0.05) ? randomChars(rng, 1 + rng.int(20)) : rng.pick(WORDS));
  return words.join(rng.chance(0.9) ? ' ' : rng.pick(['', '  ', '\t', '\n', '\r\n']));
}

function randomChars(rng: Rng, length: number): string {
  let text = '';
  for (let i = 0; i < length; i++) {
    const kind = rng.int(10);
    const code =
      kind < 5
        ? 32 + rng.int(95)
        : kind < 7
          ? rng.int(32)
          : kind < 9
            ? 0x80 + rng.int(0x2f80)
            : 0xd800 + rng.int(0x800); // includes lone surrogates
    text += String.fromCharCode(code);
  }
  return text;
}

function randomLabel(rng: Rng): string {
  return rng.chance(0.7)
    ? rng.pick(['positive', 'negative'])
    : rng.chance(0.5)
      ? rng.pick(AWKWARD_LABELS)
      : randomChars(rng, rng.int(12));
}

function csvField(rng: Rng, value: string, delimiter: string): string {
  if (rng.chance(0.1)) return value; // unquoted, whatever it holds
  return value.includes(delimiter) || value.includes('"') || value.includes('\n') || rng.chance(0.3)
    ? `"${value.replace(/"/g, rng.chance(0.9) ? '""' : '"')}"`
    : value;
}

/** A labelled file's text in a chosen format, with random damage. */
function randomLabelledText(rng: Rng): { text: string; format: LabelledFormat | undefined } {
  const format = rng.pick<LabelledFormat>(['csv', 'tsv', 'jsonl', 'labeltab']);
  const rows = rng.int(rng.chance(0.1) ? 2000 : 40);
  const lines: string[] = [];
  if ((format === 'csv' || format === 'tsv') && rng.chance(0.8))
    lines.push(rng.pick(['text,label', 'label,text', 'sentence,sentiment', 'a,b,c', 'text\tlabel', '']));
  for (let i = 0; i < rows; i++) {
    const text = randomText(rng);
    const label = randomLabel(rng);
    if (format === 'jsonl') {
      lines.push(
        rng.chance(0.9)
          ? JSON.stringify(
              rng.chance(0.5) ? { text, label } : { sentence: text, sentiment: rng.chance(0.2) ? rng.int(5) : label },
            )
          : randomChars(rng, rng.int(30)),
      );
    } else if (format === 'labeltab') {
      lines.push(rng.chance(0.95) ? `${label}\t${text}` : text);
    } else {
      const delimiter = format === 'csv' ? ',' : '\t';
      const fields = [csvField(rng, text, delimiter), csvField(rng, label, delimiter)];
      if (rng.chance(0.05)) fields.push('extra');
      lines.push((rng.chance(0.5) ? fields : fields.reverse()).join(delimiter));
    }
    if (rng.chance(0.05)) lines.push('');
  }
  let text = lines.join(rng.chance(0.8) ? '\n' : '\r\n');
  if (rng.chance(0.1)) text = `\ufeff${text}`;
  if (rng.chance(0.1)) text = text.slice(0, rng.int(text.length + 1)); // cut anywhere
  return { text, format: rng.chance(0.5) ? format : undefined };
}

/** The invariants of any read result. */
function checkReadResult(result: ReadResult, files: readonly string[]): void {
  for (const example of result.examples) {
    if (example.text.trim() === '' || example.label.trim() === '')
      fail(`an example with a blank text or label at line ${example.line}`);
    if (!Number.isInteger(example.line) || example.line < 1) fail(`example line ${example.line}`);
  }
  for (const problem of result.problems) {
    if (!files.some((file) => problem.file.includes(file)))
      fail(`a problem names "${problem.file}" instead of the file`);
    if (!Number.isInteger(problem.line) || problem.line < 0) fail(`problem line ${problem.line}`);
    if (problem.reason.length > 1000) fail(`a ${problem.reason.length}-character problem message`);
  }
  const counted = Object.values(result.labelCounts).reduce((sum, n) => sum + n, 0);
  if (counted !== result.examples.length) fail(`label counts add up to ${counted}, not ${result.examples.length}`);
  const distinct = [...new Set(result.examples.map((e) => e.label))].sort();
  if (JSON.stringify(distinct) !== JSON.stringify(result.labels)) fail("labels differ from the examples' labels");
  if (JSON.stringify(Object.keys(result.labelCounts).sort()) !== JSON.stringify(result.labels))
    fail('label counts miss a label');
}

// ---------------------------------------------------------------------------------------------
// Families

const labelledText: FuzzFamily = {
  name: 'labelled-text',
  description: 'generated CSV/TSV/JSONL/label<TAB>text with damage, awkward labels and cuts, through the parser',
  defaultCases: 2000,
  async run(rng) {
    const { text, format } = randomLabelledText(rng);
    checkReadResult(parseLabelledText(text, { file: 'fuzz.csv', format }), ['fuzz.csv']);
  },
};

const labelledFile: FuzzFamily = {
  name: 'labelled-file',
  description:
    'the same texts as bytes on disk (UTF-8, UTF-16, Windows-1252, random bytes), plus folders and missing files',
  defaultCases: 500,
  async run(rng, context, index) {
    const file = path.join(context.scratch, `labelled-${index}.${rng.pick(['csv', 'tsv', 'jsonl', 'txt', 'pos'])}`);
    const kind = rng.int(10);
    if (kind === 0) await fsp.mkdir(file);
    else if (kind === 1)
      await fsp.writeFile(file, Buffer.from(Array.from({ length: rng.int(4096) }, () => rng.int(256))));
    else if (kind === 2)
      await fsp.writeFile(
        file,
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(randomLabelledText(rng).text, 'utf16le')]),
      );
    else if (kind === 3) await fsp.writeFile(file, Buffer.from(randomLabelledText(rng).text, 'latin1'));
    else if (kind !== 4) await fsp.writeFile(file, randomLabelledText(rng).text);
    try {
      checkReadResult(readLabelledFile(file, { maxBytes: rng.chance(0.1) ? rng.int(2000) : undefined }), [
        path.basename(file),
      ]);
    } finally {
      await fsp.rm(file, { recursive: true, force: true });
    }
  },
};

const classifyText: FuzzFamily = {
  name: 'classify-text',
  description: 'random texts (control characters, lone surrogates, long runs, code) through the bundled model',
  defaultCases: 3000,
  async run(rng, context) {
    const texts = Array.from({ length: 1 + rng.int(8) }, () =>
      rng.chance(0.02) ? randomText(rng, 3000) : rng.chance(0.3) ? randomChars(rng, rng.int(200)) : randomText(rng),
    );
    const results = context.classifier.classifyMany(texts);
    results.forEach((result, i) => {
      const text = texts[i];
      if (!context.model.labels.includes(result.label)) fail(`label "${result.label}"`);
      const sum = Object.values(result.probabilities).reduce((a, b) => a + b, 0);
      if (!(Math.abs(sum - 1) < 1e-4)) fail(`probabilities sum to ${sum}`);
      if (Object.keys(result.probabilities).length !== context.model.labels.length)
        fail('a label is missing from the probabilities');
      if (result.tokens.length > MAX_TOKENS) fail(`${result.tokens.length} tokens`);
      let previousEnd = 0;
      for (const token of result.tokens) {
        if (!(token.start >= previousEnd && token.end > token.start && token.end <= text.length))
          fail(`token range ${token.start}-${token.end} in a ${text.length}-character text`);
        previousEnd = token.end;
        const p = Object.values(token.probabilities);
        if (!p.every(Number.isFinite)) fail('a token probability is not finite');
      }
    });
  },
};

/** Random damage to a copy of a model folder. */
async function corrupt(rng: Rng, dir: string, scratch: string): Promise<string> {
  const files = ['model.json', 'metadata.json', 'weights.bin'];
  const file = path.join(dir, rng.pick(files));
  const damage = rng.int(9);
  if (damage === 0) {
    await fsp.rm(file);
    return `removed ${path.basename(file)}`;
  }
  if (damage === 1) {
    const bytes = await fsp.readFile(file);
    await fsp.writeFile(file, bytes.subarray(0, rng.int(bytes.length)));
    return `truncated ${path.basename(file)}`;
  }
  if (damage === 2) {
    const bytes = Buffer.from(await fsp.readFile(file));
    for (let i = 0; i < 1 + rng.int(20); i++) bytes[rng.int(bytes.length)] = rng.int(256);
    await fsp.writeFile(file, bytes);
    return `flipped bytes of ${path.basename(file)}`;
  }
  if (damage === 3) {
    await fsp.appendFile(file, Buffer.alloc(1 + rng.int(4096)));
    return `extended ${path.basename(file)}`;
  }
  if (damage === 4) {
    await fsp.rm(file);
    await fsp.mkdir(file);
    return `${path.basename(file)} is a folder`;
  }
  if (damage === 5) {
    const outside = path.join(scratch, `outside-${rng.int(1e9)}`);
    await fsp.rename(file, outside);
    await fsp.symlink(outside, file);
    return `${path.basename(file)} links out of the folder`;
  }
  // JSON damage: a field removed, retyped or replaced by something huge or hostile.
  const jsonFile = path.join(dir, rng.pick(['model.json', 'metadata.json']));
  const json = JSON.parse(await fsp.readFile(jsonFile, 'utf8'));
  const paths: (string | number)[][] = [];
  const walk = (value: unknown, at: (string | number)[]) => {
    if (at.length > 6 || paths.length > 400) return;
    paths.push(at);
    if (Array.isArray(value)) value.slice(0, 5).forEach((v, i) => walk(v, [...at, i]));
    else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) walk(v, [...at, k]);
  };
  walk(json, []);
  const target = rng.pick(paths.filter((p) => p.length > 0));
  type JsonNode = Record<string | number, unknown>;
  const parent = target.slice(0, -1).reduce((v: JsonNode, k) => v[k] as JsonNode, json);
  const key = target[target.length - 1];
  const replacements = [
    undefined,
    null,
    0,
    -1,
    1e308,
    'x',
    '',
    [],
    {},
    true,
    '__proto__',
    Array.from({ length: 1000 }, (_, i) => i),
    { __proto__: 1 },
    '../../etc/passwd',
    'http://example.com/w.bin',
  ];
  if (damage === 6) delete parent[key];
  else parent[key] = rng.pick(replacements);
  await fsp.writeFile(jsonFile, JSON.stringify(json));
  return `${path.basename(jsonFile)}: ${target.join('.')} ${damage === 6 ? 'removed' : 'replaced'}`;
}

const modelFolder: FuzzFamily = {
  name: 'model-folder',
  description:
    'copies of the bundled model with one random corruption (files removed, cut, flipped, extended, replaced by folders or links out, JSON fields removed or replaced)',
  defaultCases: 500,
  async run(rng, context, index) {
    const dir = path.join(context.scratch, `model-${index}`);
    await fsp.mkdir(dir);
    try {
      for (const name of ['model.json', 'metadata.json', 'weights.bin'])
        await fsp.copyFile(path.join(context.modelDir, name), path.join(dir, name));
      const damage = await corrupt(rng, dir, context.scratch);
      try {
        const loaded = await loadModel(dir);
        for (const values of [loaded.weights.embedding, loaded.weights.dense.kernel])
          if (!values.every(Number.isFinite)) fail(`${damage}: loaded non-finite weights`);
      } catch (error) {
        if (!(error instanceof ModelLoadError))
          fail(`${damage}: ${(error as Error)?.name}: ${(error as Error)?.message}`);
        if (error.message.length > 5000) fail(`${damage}: a ${error.message.length}-character message`);
      }
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  },
};

const vectorsFile: FuzzFamily = {
  name: 'vectors-file',
  description: 'generated and damaged word-vector files (text and JSON) through the vectors reader',
  defaultCases: 500,
  async run(rng, context, index) {
    const json = rng.chance(0.3);
    const file = path.join(context.scratch, `vectors-${index}.${json ? 'json' : 'txt'}`);
    const dim = 1 + rng.int(5);
    const rows = Array.from({ length: rng.int(50) }, () => [
      rng.pick(WORDS),
      ...Array.from({ length: rng.chance(0.9) ? dim : rng.int(8) }, () =>
        rng.chance(0.95) ? (rng.next() * 2 - 1).toFixed(3) : rng.pick(['NaN', 'x', '', '1e999']),
      ),
    ]);
    let text = json
      ? JSON.stringify({
          dimensions: rng.chance(0.9) ? dim : rng.pick([0, -1, 'x', 1.5]),
          vectors: Object.fromEntries(rows.map(([w, ...v]) => [w, v.map(Number)])),
        })
      : `${rng.chance(0.2) ? `${rows.length} ${dim}\n` : ''}${rows.map((r) => r.join(' ')).join('\n')}`;
    if (rng.chance(0.1)) text = text.slice(0, rng.int(text.length + 1));
    if (rng.chance(0.05)) text = randomChars(rng, rng.int(2000));
    await fsp.writeFile(file, text);
    try {
      const vectors = await readPretrainedVectors(file, new Set(WORDS));
      if (vectors.embedding.length !== vectors.tokens.length * vectors.dim)
        fail('embedding size disagrees with tokens x dim');
      if (!vectors.embedding.every(Number.isFinite)) fail('non-finite vector values');
    } catch (error) {
      const message = (error as Error)?.message ?? '';
      if (
        !(error instanceof Error) ||
        error instanceof RangeError ||
        error instanceof TypeError ||
        !message.includes(path.basename(file))
      ) {
        fail(`${(error as Error)?.name}: ${message.slice(0, 300)}`);
      }
    } finally {
      await fsp.rm(file, { force: true });
    }
  },
};

const specialFiles: FuzzFamily = {
  name: 'special-files',
  description:
    'a named pipe, /dev/zero, /dev/urandom, a folder and a dangling link as labelled data, vectors and model files (refused at once)',
  defaultCases: 30,
  async run(rng, context, index) {
    if (process.platform === 'win32') return;
    const kind = rng.int(5);
    let file: string;
    if (kind === 0) {
      file = path.join(context.scratch, `pipe-${index}`);
      const { execFileSync } = await import('node:child_process');
      execFileSync('mkfifo', [file]);
    } else if (kind === 1) file = '/dev/zero';
    else if (kind === 2) file = '/dev/urandom';
    else if (kind === 3) file = context.scratch;
    else {
      file = path.join(context.scratch, `dangling-${index}`);
      await fsp.symlink(path.join(context.scratch, 'nothing-here'), file);
    }
    try {
      const use = rng.int(3);
      if (use === 0) {
        const result = readLabelledFile(file);
        if (result.examples.length !== 0 || !result.problems.some((p) => p.code === 'unreadable'))
          fail(`${file} was read as labelled data`);
      } else if (use === 1) {
        await readPretrainedVectors(file, new Set(['good'])).then(
          () => fail(`${file} was read as vectors`),
          (error: Error) => {
            if (error.message.startsWith('invariant broken')) throw error;
          },
        );
      } else {
        const dir = path.join(context.scratch, `special-model-${index}`);
        await fsp.mkdir(dir);
        for (const name of ['model.json', 'metadata.json'])
          await fsp.copyFile(path.join(context.modelDir, name), path.join(dir, name));
        await fsp.symlink(file, path.join(dir, 'weights.bin'));
        await loadModel(dir).then(
          () => fail(`${file} was loaded as weights`),
          (error: Error) => {
            if (!(error instanceof ModelLoadError)) fail(`${error.name}: ${error.message}`);
          },
        );
        await fsp.rm(dir, { recursive: true, force: true });
      }
    } finally {
      if (file.startsWith(context.scratch) && file !== context.scratch) fs.rmSync(file, { force: true });
    }
  },
};

const trainSaveLoad: FuzzFamily = {
  name: 'train-save-load',
  description: 'a tiny model trained on generated labelled text (awkward labels included), saved, loaded and used',
  defaultCases: 100,
  async run(rng, context, index) {
    const { examples } = parseLabelledText(randomLabelledText(rng).text, { file: 'fuzz.csv' });
    const dir = path.join(context.scratch, `trained-${index}`);
    let trained;
    try {
      trained = await trainClassifier(
        examples.slice(0, 300),
        {
          epochs: 1,
          units: 4,
          embeddingDim: 4,
          batchSize: 8,
          validationSplit: rng.pick([0, 0.2, 0.5]),
          skipGram: false,
          seed: index,
        },
        { helperScript: ENGINE_HELPER_SCRIPT },
      );
    } catch (error) {
      // Data a classifier cannot be trained on is refused with a plain message, nothing else.
      if (!(error instanceof Error) || error instanceof RangeError || error instanceof TypeError)
        fail(`training threw ${(error as Error)?.name}: ${(error as Error)?.message}`);
      return;
    }
    try {
      await saveTrainedModel(dir, trained, {
        name: `fuzz-${index}`,
        dataFingerprint: '0'.repeat(64),
        dataDescription: 'fuzz',
      });
      const model = await loadClassifierModel(dir);
      if (JSON.stringify(model.labels) !== JSON.stringify(trained.model.labels))
        fail('the labels changed through save and load');
      const classifier = new Classifier(model, { threads: 1 });
      const result = classifier.classify(randomText(rng));
      // As sets: an object lists integer-like keys ('0', '4') first, whatever the label order.
      if (JSON.stringify(Object.keys(result.probabilities).sort()) !== JSON.stringify([...model.labels].sort()))
        fail('the probabilities do not cover exactly the labels');
      const sum = Object.values(result.probabilities).reduce((a, b) => a + b, 0);
      if (!(Math.abs(sum - 1) < 1e-4)) fail(`probabilities sum to ${sum}`);
      await classifier.dispose();
    } finally {
      await fsp.rm(dir, { recursive: true, force: true });
    }
  },
};

/** Every family, in the order the report lists them. */
export const FAMILIES: readonly FuzzFamily[] = [
  labelledText,
  labelledFile,
  classifyText,
  modelFolder,
  vectorsFile,
  specialFiles,
  trainSaveLoad,
];

/** What running some cases of a family found. */
export interface FamilyReport {
  readonly family: string;
  readonly cases: number;
  readonly failures: { readonly index: number; readonly seed: number; readonly message: string }[];
  readonly worstCaseMs: number;
  readonly peakRssMb: number;
}

/** Runs cases [from, from + cases) of a family; never throws (failures are reported). */
export async function runFamily(
  family: FuzzFamily,
  context: FuzzContext,
  runSeed: number,
  cases: number,
  from = 0,
): Promise<FamilyReport> {
  const failures: { index: number; seed: number; message: string }[] = [];
  let worstCaseMs = 0;
  let peakRss = process.memoryUsage().rss;
  for (let index = from; index < from + cases; index++) {
    const seed = caseSeed(runSeed, family.name, index);
    const started = performance.now();
    try {
      await family.run(new Rng(seed), context, index);
    } catch (error) {
      failures.push({ index, seed, message: error instanceof Error ? error.message : String(error) });
    }
    worstCaseMs = Math.max(worstCaseMs, performance.now() - started);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
  }
  return { family: family.name, cases, failures, worstCaseMs, peakRssMb: peakRss / (1024 * 1024) };
}
