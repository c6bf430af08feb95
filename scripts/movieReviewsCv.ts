/**
 * k-fold cross-validation of the bundled movie-review recipe (scripts/trainBundled.ts, RECIPES['movie-reviews'],
 * its GloVe start included) over the shared sentences: folds stratified by label (seeded), each fold's
 * model early-stopping on 10% of its own training part, accuracy on the held-out fold (float32 weights).
 * Judges a recipe by the mean and spread over folds instead of the one split that also chose its epoch.
 *
 *   npx tsx scripts/movieReviewsCv.ts [--folds 5] [--seed 1] [--set option=value]...
 */
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classifier';
import { trainClassifier } from '../src/core/training';
import { assignFolds, settingOverrides } from './reviewSignalsCv';
import { RECIPES, recipeVectorsHook } from './trainBundled';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { folds: { type: 'string', default: '5' }, seed: { type: 'string', default: '1' }, set: { type: 'string', multiple: true } } });
  const folds = Number(values.folds);
  const recipe = RECIPES['movie-reviews'];
  const options = { ...recipe.options, ...settingOverrides(values.set) };
  const { examples } = recipe.readData({});
  const fold = assignFolds(examples.map((e) => ({ ...e, source: 'mr' })), folds, Number(values.seed));
  const hook = recipe.pretrainedVectors ? await recipeVectorsHook(recipe.pretrainedVectors, examples.map((e) => e.text), options) : undefined;
  const accuracies: number[] = [];
  for (let f = 0; f < folds; f++) {
    const result = await trainClassifier(examples.filter((_, i) => fold[i] !== f), options, { initialEmbedding: hook });
    const test = examples.filter((_, i) => fold[i] === f);
    const labels = new Classifier(result.model).classifyMany(test.map((e) => e.text)).map((c) => c.label);
    const accuracy = labels.filter((label, i) => label === test[i].label).length / test.length;
    accuracies.push(accuracy);
    process.stdout.write(`fold ${f + 1}/${folds}: ${test.length} sentences, accuracy ${accuracy.toFixed(4)} (best epoch ${result.bestEpoch}, its validation ${result.metrics.accuracy.toFixed(4)}), ${result.seconds.toFixed(0)} s\n`);
  }
  const mean = accuracies.reduce((a, b) => a + b, 0) / folds;
  const sd = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, folds - 1));
  process.stdout.write(`mean accuracy ${mean.toFixed(4)} ± ${sd.toFixed(4)} (sd over ${folds} folds)${values.set?.length ? `, with ${values.set.join(' ')}` : ''}\n`);
}

main().catch((error) => {
  process.stderr.write(`movieReviewsCv: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
