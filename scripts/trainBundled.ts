/**
 * Trains a bundled model reproducibly and writes model/<name>/ (model.json, weights.bin,
 * metadata.json, MODEL_CARD.md).
 *
 *   npm run train:bundled -- [--model movie-reviews|review-tone] [--data DIR] [--senti4sd FILE]
 *
 * --data (or SENTIMENT_LENS_MR_DATA) is the folder with rt-polarity.pos / rt-polarity.neg: the
 * training portion in ../shared/data/rt-polaritydata by default, or the full release from
 * https://www.cs.cornell.edu/people/pabo/movie-review-data/. --senti4sd (or SENTIMENT_LENS_SENTI4SD)
 * is the Senti4SD label<TAB>text file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classifier';
import { computeMetrics, formatMetrics, Metrics } from '../src/core/metrics';
import { loadClassifierModel, saveTrainedModel } from '../src/core/modelFiles';
import { QuantizationKind } from '../src/core/model/metadata';
import { fingerprintFiles, readLabelledFile, readPolarityPair } from '../src/core/readers';
import { LabelledExample } from '../src/core/readers/types';
import { trainClassifier, TrainingOptions, TrainingResult } from '../src/core/training';

const root = path.resolve(__dirname, '..');
const shared = path.resolve(root, '..', 'shared', 'data');

interface BundledModelRecipe {
  readonly description: string;
  readonly options: Partial<TrainingOptions>;
  readonly quantize: QuantizationKind;
  readonly readData: (flags: Record<string, string | undefined>) => { examples: LabelledExample[]; files: string[]; dataDescription: string };
  readonly licence?: string;
}

const RECIPES: Record<string, BundledModelRecipe> = {
  'movie-reviews': {
    description: 'GRU sentiment classifier of English movie-review sentences (positive / negative).',
    options: {
      cell: 'gru', units: 128, layers: 1, embeddingDim: 128, dropout: 0.5, epochs: 12, batchSize: 64,
      learningRate: 1e-3, maxLength: 60, validationSplit: 0.1, seed: 42, minCount: 2, maxVocabulary: 20000,
      patience: 3, skipGram: true, wordDropout: 0.25, supervision: 'every-step',
    },
    quantize: 'uint8',
    readData: (flags) => {
      const dir = flags.data ?? process.env.SENTIMENT_LENS_MR_DATA ?? path.join(shared, 'rt-polaritydata');
      const files = [path.join(dir, 'rt-polarity.pos'), path.join(dir, 'rt-polarity.neg')];
      return { examples: failOnErrors(readPolarityPair(files[0], files[1])), files, dataDescription: `sentence polarity dataset v1.0 (${path.basename(files[0])} + ${path.basename(files[1])})` };
    },
  },
};

function failOnErrors(result: { examples: LabelledExample[]; problems: { severity: string; file: string; line: number; reason: string }[] }): LabelledExample[] {
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length) throw new Error(`data problems: ${errors.slice(0, 5).map((p) => `${p.file}:${p.line}: ${p.reason}`).join('; ')}`);
  return result.examples;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { model: { type: 'string', default: 'movie-reviews' }, data: { type: 'string' }, senti4sd: { type: 'string' }, out: { type: 'string' } } });
  const name = values.model!;
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`unknown bundled model "${name}" (known: ${Object.keys(RECIPES).join(', ')})`);
  const { examples, files, dataDescription } = recipe.readData(values);
  const outDir = values.out ?? path.join(root, 'model', name);
  const command = `npm run train:bundled -- --model ${name}`;
  log(`training ${name} on ${examples.length} examples from ${files.join(', ')}`);
  const result = await trainClassifier(examples, recipe.options, {
    onProgress: (p) => {
      if (p.phase === 'pretraining') log('skip-gram pretraining of the embedding...');
      if (p.phase === 'validated') log(`epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} acc ${p.accuracy.toFixed(4)} val_loss ${p.validationLoss!.toFixed(4)} val_acc ${p.validationAccuracy!.toFixed(4)} ${p.elapsedSeconds.toFixed(0)} s`);
    },
  });
  log(`best epoch ${result.bestEpoch}: validation accuracy ${result.metrics.accuracy.toFixed(4)}, macro-F1 ${result.metrics.macroF1.toFixed(4)}, ${result.seconds.toFixed(0)} s`);

  // The accuracy cost of each way of storing the weights, measured on the validation split.
  const quantizations: { kind: QuantizationKind; bytes: number; metrics: Metrics }[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bundled-'));
  const fingerprint = fingerprintFiles(files);
  for (const kind of ['none', 'float16', 'uint8'] as QuantizationKind[]) {
    const dir = path.join(scratch, kind);
    await saveTrainedModel(dir, result, { name, description: recipe.description, dataFingerprint: fingerprint, dataDescription, quantize: kind });
    const model = await loadClassifierModel(dir);
    const predicted = new Classifier(model).classifyMany(result.validation.map((v) => v.text)).map((c) => model.labels.indexOf(c.label));
    const metrics = computeMetrics(result.validation.map((v) => model.labels.indexOf(v.label)), predicted, model.labels);
    quantizations.push({ kind, bytes: fs.statSync(path.join(dir, 'weights.bin')).size, metrics });
    log(`stored as ${kind}: weights.bin ${(fs.statSync(path.join(dir, 'weights.bin')).size / 1e6).toFixed(2)} MB, validation accuracy ${metrics.accuracy.toFixed(4)}`);
  }
  fs.rmSync(scratch, { recursive: true, force: true });

  await saveTrainedModel(outDir, result, { name, description: recipe.description, dataFingerprint: fingerprint, dataDescription, quantize: recipe.quantize });
  fs.writeFileSync(path.join(outDir, 'MODEL_CARD.md'), modelCard(name, recipe, result, { command, dataDescription, fingerprint, quantizations, examples: examples.length }));
  if (recipe.licence) fs.copyFileSync(recipe.licence, path.join(outDir, 'DATA_LICENSE'));
  log(`wrote ${outDir}`);
}

function modelCard(
  name: string,
  recipe: BundledModelRecipe,
  result: TrainingResult,
  info: { command: string; dataDescription: string; fingerprint: string; quantizations: { kind: QuantizationKind; bytes: number; metrics: Metrics }[]; examples: number },
): string {
  const o = result.options;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const variantsFile = path.join(root, 'scripts', 'modelCards', `${name}-variants.md`);
  const variants = fs.existsSync(variantsFile) ? fs.readFileSync(variantsFile, 'utf8').trim() : '_No variants recorded._';
  return `# Model card: ${name}

${recipe.description}

## Data
- ${info.dataDescription}: ${info.examples} labelled sentences; sha256 of the files (length-prefixed, in order) \`${info.fingerprint}\`.
- Validation: a stratified ${Math.round(o.validationSplit * 100)}% of each class (seed ${o.seed}): ${result.validationExamples} sentences; training: ${result.trainingExamples}.
  The vocabulary, the skip-gram vectors and every choice below come from the training part only.
- \`sentiment-lens eval --model model/${name} --pos FILE --neg FILE --split validation\` recomputes the validation figures from the same files.

## Model
- Tokenizer: ${o.tokenizer.kind}, lower-cased; max ${o.maxLength} tokens per training sentence.
- Vocabulary: ${result.model.vocabulary.size} ids (PAD = 0, OOV = 1, words seen at least ${o.minCount} times, at most ${o.maxVocabulary}).
- Embedding ${o.embeddingDim}${o.skipGram ? ` (initialised by skip-gram on the training text, ${o.skipGramEpochs} epochs)` : ''} -> ${o.layers} x ${o.cell.toUpperCase()} ${o.units} (dropout ${o.dropout} on its output) -> softmax over ${result.model.labels.join(', ')}.
- Training: Adam (learning rate ${o.learningRate}), global-norm clipping ${o.clipNorm}, batch ${o.batchSize}, word dropout ${o.wordDropout}, supervision ${o.supervision}, at most ${o.epochs} epochs with early stopping (patience ${o.patience}); best epoch ${result.bestEpoch}.

## Validation figures (best epoch, weights as shipped: ${recipe.quantize})
\`\`\`
${formatMetrics(info.quantizations.find((q) => q.kind === recipe.quantize)?.metrics ?? result.metrics)}
\`\`\`

Per epoch:

| epoch | train loss | train acc | val loss | val acc | seconds |
| --- | --- | --- | --- | --- | --- |
${result.history.map((h) => `| ${h.epoch} | ${h.loss.toFixed(4)} | ${h.accuracy.toFixed(4)} | ${h.validationLoss.toFixed(4)} | ${h.validationAccuracy.toFixed(4)} | ${h.seconds.toFixed(1)} |`).join('\n')}

## Storage (accuracy cost of weight quantization, same validation split)

| weights stored as | weights.bin | validation accuracy |
| --- | --- | --- |
${info.quantizations.map((q) => `| ${q.kind === 'none' ? 'float32' : q.kind} | ${(q.bytes / 1e6).toFixed(2)} MB | ${q.metrics.accuracy.toFixed(4)} |`).join('\n')}

Shipped: ${recipe.quantize}.

## Variants tried (same split, same seed unless stated)
${variants}

## Reproduce
\`\`\`
${info.command}
\`\`\`
Trained in ${result.seconds.toFixed(0)} s on ${os.cpus().length} x ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}.
Runs are deterministic for a seed on the same machine and engine.
`;
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

main().catch((error) => {
  process.stderr.write(`train:bundled: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
