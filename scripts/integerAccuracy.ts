/**
 * Float against integer inference kernels on the bundled models and the shared data sets: for
 * each (model, data file), accuracy with each kernel, how often the predicted labels agree, and
 * the largest difference of a final and of a per-step (trajectory) probability.
 *
 *   npx tsx scripts/integerAccuracy.ts          (data: SENTIMENT_LENS_DATA or ../shared/data)
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Classifier, type Classification } from '../src/core/classify/classifier';
import { modelClassOf } from '../src/core/classify/labels';
import { readLabelledFile, readPolarityPair } from '../src/core/readers';
import { loadClassifierModel } from '../src/core/training/modelFiles';
import { loadMovieReviews, sharedFolder } from './bench/context';
import { dataPath } from './dataDir';

interface Example {
  readonly text: string;
  readonly label: string;
}

function polarity(): Example[] {
  const dir = dataPath('rt-polaritydata');
  return readPolarityPair(resolve(dir, 'rt-polarity.pos'), resolve(dir, 'rt-polarity.neg')).examples;
}

function file(...parts: string[]): () => Example[] {
  return () => readLabelledFile(dataPath(...parts)).examples;
}

const CASES: readonly { model: string; name: string; examples: () => Example[] }[] = [
  {
    model: 'movie-reviews',
    name: 'rt-polarity, bench validation part (959)',
    examples: () => loadMovieReviews(sharedFolder()).validation,
  },
  { model: 'movie-reviews', name: 'rt-polarity, all lines', examples: polarity },
  { model: 'review-tone', name: 'senti4sd/train.tsv', examples: file('senti4sd', 'train.tsv') },
  { model: 'review-tone', name: 'devtone/jira-polarity.jsonl', examples: file('devtone', 'jira-polarity.jsonl') },
  ...['gerrit-toxicity', 'gitter-toxicity', 'github-issue-toxicity', 'github-incivility'].map((set) => ({
    model: 'review-harshness',
    name: `devtone/${set}.jsonl`,
    examples: file('devtone', `${set}.jsonl`),
  })),
];

async function main(): Promise<void> {
  if (!existsSync(dataPath())) throw new Error(`no data folder at ${dataPath()}`);
  console.log(
    '| model | data | texts | accuracy float | accuracy integer | labels agree | max final diff | max per-step diff |',
  );
  console.log('| --- | --- | --- | --- | --- | --- | --- | --- |');
  for (const { model: name, name: dataName, examples: read } of CASES) {
    const model = await loadClassifierModel(resolve(__dirname, '..', 'model', name));
    const examples = read();
    const texts = examples.map((e) => e.text);
    const gold = examples.map((e) => modelClassOf(e.label, model.labels));
    const run = async (integerKernels: boolean) => {
      const classifier = new Classifier(model, { integerKernels, threads: 1 });
      const results = classifier.classifyMany(texts, 64);
      await classifier.dispose();
      return results;
    };
    const float = await run(false);
    const integer = await run(true);
    const accuracy = (results: Classification[]) =>
      results.filter((r, i) => r.label === gold[i]).length / results.length;
    let agree = 0;
    let finalDiff = 0;
    let stepDiff = 0;
    float.forEach((f, i) => {
      const q = integer[i];
      if (f.label === q.label) agree++;
      for (const label of model.labels) {
        finalDiff = Math.max(finalDiff, Math.abs(f.probabilities[label] - q.probabilities[label]));
        f.tokens.forEach((token, t) => {
          stepDiff = Math.max(stepDiff, Math.abs(token.probabilities[label] - q.tokens[t].probabilities[label]));
        });
      }
    });
    console.log(
      `| ${name} | ${dataName} | ${texts.length} | ${accuracy(float).toFixed(4)} | ${accuracy(integer).toFixed(4)} | ` +
        `${agree} / ${texts.length} | ${finalDiff.toExponential(1)} | ${stepDiff.toExponential(1)} |`,
    );
  }
}

void main();
