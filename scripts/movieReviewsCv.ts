/**
 * k-fold cross-validation of the bundled movie-review recipe (scripts/trainBundled.ts, RECIPES['movie-reviews'],
 * its GloVe start included) over the shared sentences: folds stratified by label (seeded), each fold's
 * model early-stopping on 10% of its own training part, accuracy on the held-out fold (float32 weights).
 * Judges a recipe by the mean and spread over folds instead of the one split that also chose its epoch.
 *
 *   npx tsx scripts/movieReviewsCv.ts [--folds 5] [--seed 1] [--set option=value]... [--out FILE]
 *   npx tsx scripts/movieReviewsCv.ts --ensemble FILE FILE...
 *
 * Every sentence's out-of-fold P(positive) is written as JSON lines to --out (default
 * .bench/cv/movie-reviews<settings>.jsonl). --ensemble averages the probabilities of several such runs (same
 * folds, e.g. different training seeds) and reports the averaged model's accuracy per fold: what a seed
 * ensemble of those recipes would score.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classify/classifier';
import { trainClassifier } from '../src/core/training/training';
import { assignFolds, settingOverrides } from './reviewSignalsCv';
import { capabilityRates, parseChecklistCases, scoreCase, type CapabilityRates } from './checklistCases';
import { RECIPES, recipeVectorsHook } from './trainBundled';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

/** The behavioural test files: the main one, and negation / contrast cases written after the lexicon work. */
const CHECKLISTS = ['movie-reviews.jsonl', 'movie-reviews-heldout.jsonl'].map((name) =>
  path.resolve(__dirname, '..', 'test', 'fixtures', 'checklist', name),
);

/** One sentence's out-of-fold result. */
interface OutOfFold {
  readonly index: number;
  readonly fold: number;
  readonly label: string;
  readonly positive: number;
}

function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, values.length - 1));
  return { mean, sd };
}

function pct(rate: number): string {
  return `${(rate * 100).toFixed(1)}%`;
}

function foldAccuracies(rows: readonly OutOfFold[], positive: (row: OutOfFold) => number): number[] {
  const folds = Math.max(...rows.map((r) => r.fold)) + 1;
  return Array.from({ length: folds }, (_, f) => {
    const inFold = rows.filter((r) => r.fold === f);
    return inFold.filter((r) => (positive(r) >= 0.5 ? 'positive' : 'negative') === r.label).length / inFold.length;
  });
}

function reportEnsemble(files: readonly string[]): void {
  const runs = files.map((file) =>
    fs
      .readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OutOfFold),
  );
  for (const run of runs) {
    if (
      run.length !== runs[0].length ||
      run.some((r, i) => r.fold !== runs[0][i].fold || r.label !== runs[0][i].label)
    ) {
      throw new Error('the runs do not share their folds (use the same --folds and --seed)');
    }
  }
  runs.forEach((run, k) => {
    const { mean, sd } = meanAndSd(foldAccuracies(run, (r) => r.positive));
    process.stdout.write(`${path.basename(files[k])}: ${mean.toFixed(4)} ± ${sd.toFixed(4)}\n`);
  });
  const accuracies = foldAccuracies(
    runs[0],
    (r) => runs.reduce((sum, run) => sum + run[r.index].positive, 0) / runs.length,
  );
  const { mean, sd } = meanAndSd(accuracies);
  process.stdout.write(
    `average of the ${runs.length} runs' probabilities: ${accuracies.map((a) => a.toFixed(4)).join(' ')}; mean ${mean.toFixed(4)} ± ${sd.toFixed(4)}\n`,
  );
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      folds: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      set: { type: 'string', multiple: true },
      out: { type: 'string' },
      ensemble: { type: 'boolean', default: false },
    },
  });
  if (values.ensemble) return reportEnsemble(positionals);
  const folds = Number(values.folds);
  const tag = (values.set ?? []).map((pair) => `-${pair.replace('=', '')}`).join('');
  const out = values.out ?? path.resolve(__dirname, '..', '.bench', 'cv', `movie-reviews${tag}.jsonl`);
  const outOfFold: OutOfFold[] = [];
  const recipe = RECIPES['movie-reviews'];
  const options = { ...recipe.options, ...settingOverrides(values.set) };
  const { examples } = recipe.readData({});
  const fold = assignFolds(
    examples.map((e) => ({ ...e, source: 'mr' })),
    folds,
    Number(values.seed),
  );
  const hook = recipe.pretrainedVectors
    ? await recipeVectorsHook(
        recipe.pretrainedVectors,
        examples.map((e) => e.text),
        options,
      )
    : undefined;
  const accuracies: number[] = [];
  const caseFiles = CHECKLISTS.map((file) => ({
    name: path.basename(file, '.jsonl'),
    cases: parseChecklistCases(fs.readFileSync(file, 'utf8')).cases,
    rates: [] as CapabilityRates[][],
  }));
  for (let f = 0; f < folds; f++) {
    const result = await trainClassifier(
      examples.filter((_, i) => fold[i] !== f),
      options,
      { initialEmbedding: hook, helperScript: ENGINE_HELPER_SCRIPT },
    );
    const test = examples.filter((_, i) => fold[i] === f);
    const classifier = new Classifier(result.model, { helperScript: ENGINE_HELPER_SCRIPT });
    const results = classifier.classifyMany(test.map((e) => e.text));
    for (const { cases, rates } of caseFiles) {
      const behaviour = classifier.classifyMany(cases.map((c) => c.text));
      rates.push(
        capabilityRates(
          cases,
          cases.map((c, i) => scoreCase(c, behaviour[i], result.model.labels)),
        ),
      );
    }
    const accuracy = results.filter((c, i) => c.label === test[i].label).length / test.length;
    const testIndices = examples.map((_, i) => i).filter((i) => fold[i] === f);
    results.forEach((c, k) =>
      outOfFold.push({ index: testIndices[k], fold: f, label: test[k].label, positive: c.probabilities.positive }),
    );
    accuracies.push(accuracy);
    // A distilled run's model is its student; its teachers' figures are on their early-stopping split only.
    const teachers = result.distillation
      ? `; teachers' best epochs ${result.distillation.teachers.map((t) => t.bestEpoch).join(', ')}, their ensemble's validation ${result.distillation.teachersAccuracy.toFixed(4)}`
      : '';
    // With learnedTransforms: each saved network's fitted values, the groups' and the five most frequent words'.
    result.learnedTransforms?.forEach((record, n) => {
      const shown = [...record.groups, ...record.negators.slice(0, 5), ...record.degreeAdverbs.slice(0, 5)];
      process.stdout.write(
        `fold ${f + 1} network ${n + 1} learned transforms (scale ${record.scale}): ${shown.map((e) => `${e.word} ${e.learned} (${e.occurrences})`).join(', ')}\n`,
      );
    });
    process.stdout.write(
      `fold ${f + 1}/${folds}: ${test.length} sentences, accuracy ${accuracy.toFixed(4)} (best epoch ${result.bestEpoch}, its validation ${result.metrics.accuracy.toFixed(4)}${teachers}), ${result.seconds.toFixed(0)} s\n`,
    );
  }
  for (const { name, rates: checklist } of caseFiles) {
    for (const capability of checklist[0]) {
      const rates = checklist.map((fold) => fold.find((r) => r.capability === capability.capability)!);
      const label = meanAndSd(rates.map((r) => r.labelRate));
      const direction =
        capability.directionRate === undefined ? undefined : meanAndSd(rates.map((r) => r.directionRate!));
      process.stdout.write(
        `${name} ${capability.capability}: final label ${pct(label.mean)} ± ${pct(label.sd)}${direction ? `, pivot direction ${pct(direction.mean)} ± ${pct(direction.sd)}` : ''} (fold models)\n`,
      );
    }
  }
  const { mean, sd } = meanAndSd(accuracies);
  process.stdout.write(
    `mean accuracy ${mean.toFixed(4)} ± ${sd.toFixed(4)} (sd over ${folds} folds)${values.set?.length ? `, with ${values.set.join(' ')}` : ''}\n`,
  );
  outOfFold.sort((a, b) => a.index - b.index);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, outOfFold.map((row) => JSON.stringify(row)).join('\n') + '\n');
  process.stdout.write(`wrote ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`movieReviewsCv: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
