/**
 * Our models and the lexicon libraries side by side on three-class tone data.
 *
 *   npm run compare -- --devtone --harsh-cv FILE --tone-cv FILE [--previous-tone-cv FILE]   # per platform, writes docs/comparison.md
 *   npm run compare -- --file F [--format F] [--out FILE.md]
 *   npm run compare                                   # a review-tone model trained on Senti4SD alone: its validation split
 *
 * Default data: the validation split of senti4sd/train.tsv in the datasets folder (scripts/dataDir.ts), exactly the review-tone
 * model's (stratifiedSplit with the seed and share in its metadata). With --file the whole file is
 * used; its labels must be among negative / neutral / positive. Macro-F1 averages the classes
 * present in the gold labels.
 *
 * Systems: model/review-tone (3 classes); model/movie-reviews (2 classes: neutral when P(positive)
 * is within a band around 0.5 whose half-width is chosen on the Senti4SD *training* part, never on
 * the data being compared); VADER and AFINN with their standard thresholds (scripts/lexiconAdapters.ts).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classify/classifier';
import { computeMetrics, Metrics } from '../src/core/model/metrics';
import { loadClassifierModel, LoadedClassifierModel, trainingSplit } from '../src/core/training/modelFiles';
import { fingerprintFiles, readLabelledFile } from '../src/core/readers';
import { LabelledExample, LabelledFormat } from '../src/core/readers/types';
import { stratifiedSplit } from '../src/core/training/training';
import { CHECK_DEFAULTS } from '../src/core/comments/checkSettings';
import { compareDevtone } from './compareDevtone';
import { dataPath } from './dataDir';
import { afinnLabels, bandLabel, TONE_LABELS, ToneLabel, vaderLabels } from './lexiconAdapters';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

const root = path.resolve(__dirname, '..');
const SENTI4SD = dataPath('senti4sd', 'train.tsv');
const BAND_GRID = Array.from({ length: 10 }, (_, i) => i * 0.05);

interface Row {
  readonly system: string;
  readonly metrics: Metrics;
  readonly macroF1: number;
  readonly note: string;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      file: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'review-model': { type: 'string' },
      'movie-model': { type: 'string' },
      devtone: { type: 'boolean' },
      'harsh-cv': { type: 'string' },
      'tone-cv': { type: 'string' },
      'previous-tone-cv': { type: 'string' },
    },
  });
  if (values.devtone) {
    if (!values['harsh-cv'] || !values['tone-cv'])
      throw new Error(
        '--devtone needs --harsh-cv FILE and --tone-cv FILE (out-of-fold files of scripts/reviewSignalsCv.ts)',
      );
    const command = `npm run compare -- ${process.argv.slice(2).join(' ')}`;
    const markdown = compareDevtone(
      { harsh: values['harsh-cv'], tone: values['tone-cv'], previousTone: values['previous-tone-cv'] },
      CHECK_DEFAULTS.harsh.threshold,
      command,
    );
    const out = values.out ?? path.join(root, 'docs', 'comparison.md');
    fs.writeFileSync(out, markdown);
    process.stdout.write(markdown);
    process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
    return;
  }
  const reviewDir = values['review-model'] ?? path.join(root, 'model', 'review-tone');
  const movieDir = values['movie-model'] ?? path.join(root, 'model', 'movie-reviews');
  const reviewModel = await loadClassifierModel(reviewDir);
  const movieModel = fs.existsSync(path.join(movieDir, 'metadata.json'))
    ? await loadClassifierModel(movieDir)
    : undefined;

  const senti4sd = readExamples(SENTI4SD, 'labeltab');
  const { seed, validationSplit } = trainingSplit(reviewModel.metadata);
  const split = stratifiedSplit(senti4sd, validationSplit, seed);
  let examples: LabelledExample[];
  let dataDescription: string;
  if (values.file) {
    examples = readExamples(values.file, values.format as LabelledFormat | undefined);
    dataDescription = `${path.basename(values.file)}: all ${examples.length} texts`;
  } else {
    if (fingerprintFiles([SENTI4SD]) !== reviewModel.metadata.training.dataFingerprint) {
      // The model trained on more than this file (or on another one): its "validation split" of this file alone would hold texts it trained on.
      throw new Error(
        'the review-tone model was not trained on senti4sd/train.tsv alone, so no split of that file is unseen by it: compare with --file FILE (data it never saw) or --devtone (cross-validation per platform)',
      );
    }
    examples = split.validation;
    dataDescription = `Senti4SD train.tsv, the review-tone model's validation split (stratified ${Math.round(validationSplit * 100)}%, seed ${seed}): ${examples.length} posts`;
  }
  const badLabel = examples.find((e) => !TONE_LABELS.includes(e.label as ToneLabel));
  if (badLabel) throw new Error(`label "${badLabel.label}" is not one of ${TONE_LABELS.join(', ')}`);
  const texts = examples.map((e) => e.text);
  const gold = examples.map((e) => e.label as ToneLabel);

  const rows: Row[] = [];
  const add = (system: string, predicted: readonly ToneLabel[], note: string) =>
    rows.push(row(system, gold, predicted, note));
  add(
    'review-tone (ours)',
    new Classifier(reviewModel, { helperScript: ENGINE_HELPER_SCRIPT })
      .classifyMany(texts)
      .map((c) => c.label as ToneLabel),
    `${reviewModel.arch.cell.toUpperCase()} ${reviewModel.arch.units}, 3 classes, ${reviewModel.metadata.quantization.dtype === 'none' ? 'float32' : reviewModel.metadata.quantization.dtype} weights`,
  );
  if (movieModel) {
    const halfWidth = chooseBand(movieModel, split.train);
    add(
      'movie-reviews (ours)',
      movieLabels(movieModel, texts, halfWidth),
      `2 classes; neutral when P(positive) is within ${halfWidth.toFixed(2)} of 0.5 (chosen on the Senti4SD training part)`,
    );
  } else {
    process.stderr.write(`note: no model in ${movieDir}; the movie-review row is left out\n`);
  }
  add('VADER (vader-sentiment)', vaderLabels(texts), 'compound >= 0.05 positive, <= -0.05 negative');
  add('AFINN (sentiment)', afinnLabels(texts), 'comparative > 0 positive, < 0 negative');

  const command = `npm run compare${process.argv.slice(2).length ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
  const table = formatTable(rows, gold);
  process.stdout.write(`${dataDescription}\n\n${table}\n`);
  // The lexicons learn nothing from Senti4SD, so all of it measures them with less noise than one split.
  const lexiconsOnAll = values.file
    ? undefined
    : (() => {
        const allGold = senti4sd.map((e) => e.label as ToneLabel);
        const allTexts = senti4sd.map((e) => e.text);
        return `On all ${senti4sd.length} posts of train.tsv the lexicons reach a macro-F1 of ${row('', allGold, vaderLabels(allTexts), '').macroF1.toFixed(3)} (VADER) and ${row('', allGold, afinnLabels(allTexts), '').macroF1.toFixed(3)} (AFINN).`;
      })();
  if (lexiconsOnAll) process.stdout.write(`\n${lexiconsOnAll}\n`);
  const out = values.out ?? (values.file ? undefined : path.join(root, 'docs', 'comparison.md'));
  if (out) {
    fs.writeFileSync(out, report(table, dataDescription, command, lexiconsOnAll));
    process.stderr.write(`wrote ${path.relative(process.cwd(), out)}\n`);
  }
}

function readExamples(file: string, format: LabelledFormat | undefined): LabelledExample[] {
  const result = readLabelledFile(file, { format });
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw new Error(`${errors.length} problems in ${file}; first: line ${errors[0].line}: ${errors[0].reason}`);
  return result.examples;
}

/** Tone labels of a two-class model: neutral inside the band, else its likelier class. */
function movieLabels(model: LoadedClassifierModel, texts: readonly string[], halfWidth: number): ToneLabel[] {
  const positive = model.labels.find((l) => /^pos/i.test(l));
  if (!positive) throw new Error(`the movie-review model has no positive label (labels: ${model.labels.join(', ')})`);
  return new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT })
    .classifyMany(texts)
    .map((c) => bandLabel(c.probabilities[positive], halfWidth));
}

/** The band half-width (grid 0..0.45) with the best macro-F1 on the given (training) texts. */
function chooseBand(model: LoadedClassifierModel, training: readonly LabelledExample[]): number {
  const gold = training.map((e) => e.label as ToneLabel);
  const positive = model.labels.find((l) => /^pos/i.test(l))!;
  const probabilities = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT })
    .classifyMany(training.map((e) => e.text))
    .map((c) => c.probabilities[positive]);
  let best = { halfWidth: 0, macroF1: -1 };
  for (const halfWidth of BAND_GRID) {
    const { macroF1 } = row(
      '',
      gold,
      probabilities.map((p) => bandLabel(p, halfWidth)),
      '',
    );
    if (macroF1 > best.macroF1 + 1e-12) best = { halfWidth, macroF1 };
  }
  return best.halfWidth;
}

function row(system: string, gold: readonly ToneLabel[], predicted: readonly ToneLabel[], note: string): Row {
  const index = (label: ToneLabel) => TONE_LABELS.indexOf(label);
  const metrics = computeMetrics(gold.map(index), predicted.map(index), TONE_LABELS);
  const present = TONE_LABELS.filter((label) => metrics.perClass[label].support > 0);
  const macroF1 = present.reduce((sum, label) => sum + metrics.perClass[label].f1, 0) / Math.max(1, present.length);
  return { system, metrics, macroF1, note };
}

function formatTable(rows: readonly Row[], gold: readonly ToneLabel[]): string {
  const support = TONE_LABELS.map((label) => `${label} ${gold.filter((g) => g === label).length}`).join(', ');
  return [
    `| system | accuracy | macro-F1 | F1 negative | F1 neutral | F1 positive | mapping to 3 classes |`,
    `| --- | --- | --- | --- | --- | --- | --- |`,
    ...rows.map(
      (r) =>
        `| ${r.system} | ${r.metrics.accuracy.toFixed(3)} | **${r.macroF1.toFixed(3)}** | ${TONE_LABELS.map((l) => r.metrics.perClass[l].f1.toFixed(3)).join(' | ')} | ${r.note} |`,
    ),
    ``,
    `Gold: ${support}.`,
  ].join('\n');
}

function report(table: string, dataDescription: string, command: string, lexiconsOnAll: string | undefined): string {
  const splitCaveat = lexiconsOnAll
    ? `
- **How far to trust the review-tone row.** Its best epoch and its recipe were chosen on this split, so
  its figure is optimistic. The same recipe trained on two other splits of train.tsv (seeds 7 and 11)
  reached a macro-F1 of 0.837 and 0.815 on theirs in the training loop (mean of the three splits 0.826;
  see scripts/modelCards/review-tone-variants.md); before its embedding started from GloVe the recipe
  reached 0.740 to 0.801 (mean 0.768), and a plain GRU 0.746 to 0.766. ${lexiconsOnAll}
  So the margin over the lexicons to expect on new Stack Overflow text is about 0.10 to 0.12, and
  nothing here measures code-review comments.`
    : '';
  return `# Tone of developers' writing: our models and the lexicon libraries

Data: ${dataDescription}.

${table}

- **review-tone** is \`model/review-tone/\` as shipped (see its MODEL_CARD.md); **movie-reviews** is the
  bundled two-class model, given a neutral band around P(positive) = 0.5 whose half-width is the one
  (of 0, 0.05, ..., 0.45) with the best macro-F1 on the Senti4SD training part, so it is not tuned on
  the rows above.
- **VADER** (\`vader-sentiment\`, the JavaScript port) and **AFINN-165** (\`sentiment\`) use their standard
  three-class thresholds: VADER compound >= 0.05 positive, <= -0.05 negative, otherwise neutral; AFINN
  comparative score > 0 positive, < 0 negative, 0 neutral. Both are dev dependencies only; the adapters
  are in \`scripts/lexiconAdapters.ts\`.
- The validation split holds about 310 posts: a difference of 0.02 to 0.03 between two systems is
  within the noise of one split (the standard error of an accuracy near 0.75 on 310 texts is 0.025).
  The Senti4SD test half and code-review sets are held back as blind tests and are not used here.${splitCaveat}

Command: \`${command}\` (${new Date().toISOString().slice(0, 10)}, Node ${process.version}, ${os.cpus().length} x ${os.cpus()[0]?.model ?? 'CPU'}).
Any labelled file: \`npm run compare -- --file FILE --format labeltab|csv|tsv|jsonl [--out FILE.md]\`.
`;
}

main().catch((error) => {
  process.stderr.write(`compare: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
