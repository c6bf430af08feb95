/**
 * Training a classifier from labelled texts: stratified validation split, vocabulary from the
 * training part, optional skip-gram pretraining of the embedding, length-bucketed batches through
 * the fast engine, validation after every epoch, early stopping, and the best epoch's weights; for a
 * seed ensemble, one such network per seed on the same split and vocabulary, and optionally one more
 * network distilled from them.
 */
import { abbreviate, listSome } from '../readers/displayText';
import { Architecture, CellType, NetworkWeights } from '../model/architecture';
import { Batch, padBatch } from '../model/batching';
import { Metrics, computeMetrics } from '../model/metrics';
import { TokenizerSettings, DEFAULT_TOKENIZER, tokenTexts } from '../text/tokenizer';
import { OOV_ID, PAD_ID, Vocabulary } from '../text/vocabulary';
import { Random } from '../engine/random';
import { createTrainer, initWeights, MissingHelperScriptError, Predictor } from '../engine';
import { trainSkipGram } from './skipgram';
import {
  settingProblems,
  TRAINING_SETTING_DEFAULTS,
  TRAINING_SETTINGS,
  TrainingSettingValues,
} from '../../protocol/trainingSettings';
import { lexiconSettings, lexiconTargets, syntheticExamples, type LexiconSettings } from '../lexicon/lexiconTargets';
import {
  fitTransforms,
  observeTransforms,
  transformSentences,
  type LearnedTransformsRecord,
} from '../lexicon/learnedTransforms';
import { negativeLabelOf, positiveLabelOf } from '../classify/scoring';
import { averageProbabilities, predictEnsemble } from '../classify/ensemble';
import type { ClassifierModel } from '../classify/classifier';

/** A labelled text; other fields (line numbers, ...) are ignored. */
export interface LabelledText {
  readonly text: string;
  readonly label: string;
}

/**
 * Every setting of a training run; `resolveTrainingOptions` fills in the defaults. The settings with a
 * default (cell, units, ..., supervision: their types, defaults, bounds and help) are the rows of
 * TRAINING_SETTINGS in protocol/trainingSettings.ts; the fields below are the others.
 */
export interface TrainingOptions extends TrainingSettingValues {
  /**
   * Extra unlabelled texts for the skip-gram pretraining (used only with skipGram), tokenized like
   * the training text, e.g. another corpus of similar writing. Never texts of the validation part:
   * its figures would no longer be those of unseen text. Saved models record only their number.
   */
  readonly pretrainingTexts?: readonly string[];
  readonly tokenizer: TokenizerSettings;
  /** Class names in output order; default: the sorted labels of the data. */
  readonly labels?: readonly string[];
  /**
   * Threads computing each batch (data-parallel halves, see engine/parallelTrainer.ts); default 2
   * when the machine has two or more CPUs. The result is the same up to float rounding.
   */
  readonly threads?: 1 | 2;
}

/** The table's cells are exactly the cells the engine builds. */
type SameUnion<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const CELLS_MATCH: SameUnion<TrainingOptions['cell'], CellType> = true;
void CELLS_MATCH;

/** The defaults: the table's (the bundled movie-review model's settings) and the default tokenizer. */
export const DEFAULT_TRAINING_OPTIONS: TrainingOptions = Object.freeze({
  ...TRAINING_SETTING_DEFAULTS,
  tokenizer: DEFAULT_TOKENIZER,
});

/** Fills in defaults and checks ranges; throws a message naming the bad setting. */
export function resolveTrainingOptions(partial: Partial<TrainingOptions> = {}): TrainingOptions {
  const options = { ...DEFAULT_TRAINING_OPTIONS, ...stripUndefined(partial) };
  const failed = settingProblems(TRAINING_SETTINGS, options);
  if (!(options.threads === undefined || options.threads === 1 || options.threads === 2))
    failed.push(`threads must be 1 or 2 (got ${options.threads})`);
  if (failed.length) throw new Error(`bad training settings: ${failed.join('; ')}`);
  return Object.freeze(options);
}

/** Progress of a run, reported during epochs and after each. */
export interface TrainingProgress {
  readonly phase: 'pretraining' | 'training' | 'validated';
  /**
   * For a seed ensemble only (ensembleMembers > 1): the network being trained, from 1, and how many
   * there are. The epochs, batches and figures are then that network's; elapsed and remaining time
   * are the whole run's.
   */
  readonly member?: number;
  readonly members?: number;
  readonly epoch: number;
  readonly epochs: number;
  readonly batch: number;
  readonly batches: number;
  /** Running mean loss and accuracy of the epoch so far. */
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss?: number;
  readonly validationAccuracy?: number;
  readonly elapsedSeconds: number;
  readonly remainingSeconds?: number;
}

/** One epoch's figures. */
export interface EpochRecord {
  readonly epoch: number;
  readonly loss: number;
  readonly accuracy: number;
  readonly validationLoss: number;
  readonly validationAccuracy: number;
  readonly seconds: number;
  readonly tokensPerSecond: number;
}

/**
 * A trained network (or seed ensemble of networks, the others trained with seeds seed + 1, seed + 2,
 * ...) with everything needed to use and save it.
 */
export interface TrainedModel extends ClassifierModel {
  readonly maxLength: number;
}

/**
 * A distilled run (options.distill with ensembleMembers >= 2): the teachers it trained and how the
 * saved network, the student, was trained from them.
 */
export interface DistillationRecord {
  /** The teacher networks' records (seeds seed, seed + 1, ...), in order. */
  readonly teachers: readonly MemberRecord[];
  /** Validation accuracy of the teachers' ensemble (their probabilities averaged), for comparison with the student's. */
  readonly teachersAccuracy: number;
  /** The student's seed: the run's seed plus the number of teachers. */
  readonly studentSeed: number;
  /** The student's own validation accuracy at its best epoch (the training part's when there is no validation part). */
  readonly studentAccuracy: number;
  /** Share of the teachers' distribution in the student's targets; the rest is the label's one-hot. */
  readonly teacherWeight: number;
}

/** One network of a seed ensemble: how its training went. */
export interface MemberRecord {
  /** Its seed: the run's seed plus its index (0 for the first network). */
  readonly seed: number;
  readonly bestEpoch: number;
  /** Its own validation accuracy at its best epoch (the training part's when there is no validation part). */
  readonly accuracy: number;
  readonly history: readonly EpochRecord[];
}

/** What a run returns. */
export interface TrainingResult {
  readonly model: TrainedModel;
  /**
   * Metrics of the best epoch's weights on the validation part (training part if there is none); for
   * a seed ensemble, of the ensemble (its networks' probabilities averaged).
   */
  readonly metrics: Metrics;
  /** The (first) network's epochs; for a distilled run, the student's. */
  readonly history: readonly EpochRecord[];
  /** The (first) network's best epoch; for a distilled run, the student's. */
  readonly bestEpoch: number;
  /** For a seed ensemble: every network's record, in network order; absent for one network (a distilled run included). */
  readonly members?: readonly MemberRecord[];
  /** For a distilled run: its teachers and the student's seed and accuracy; the model is the student alone. */
  readonly distillation?: DistillationRecord;
  /**
   * With options.learnedTransforms (and lexicon terms on): for each network of the model, in order,
   * the negation factors and degree increments fitted on its saved weights (after its best epoch).
   */
  readonly learnedTransforms?: readonly LearnedTransformsRecord[];
  /** Whether skip-gram pretraining ran: options.skipGram, unless initialEmbedding covered enough of the vocabulary (SKIP_GRAM_COVERAGE_LIMIT). */
  readonly skipGramPretrained: boolean;
  readonly trainingExamples: number;
  readonly validationExamples: number;
  readonly seconds: number;
  readonly options: TrainingOptions;
  /** Texts and gold labels of the validation part, for reports. */
  readonly validation: readonly LabelledText[];
}

/** Hooks of a run. */
export interface TrainingHooks {
  readonly onProgress?: (progress: TrainingProgress) => void;
  /** Checked between batches: an aborted signal stops the run with an AbortError. */
  readonly signal?: AbortSignal;
  /** Calls per epoch of onProgress during training (default 20). */
  readonly progressPerEpoch?: number;
  /**
   * Called once the vocabulary is built, with the fresh embedding [vocabSize, dim]; may return a
   * replacement of the same size in which the rows of the words it knows are changed (e.g. copied
   * from another model or from pretrained vectors). Those rows start the run; the others keep the
   * fresh or skip-gram initialisation. When it changes at least SKIP_GRAM_COVERAGE_LIMIT of the rows,
   * skip-gram pretraining is skipped: its vectors would nearly all be overwritten. Must not change
   * its inputs.
   */
  readonly initialEmbedding?: (
    vocabulary: Vocabulary,
    embedding: Float32Array,
    dim: number,
  ) => Float32Array | undefined;
  /** Told when training cannot use a second thread (it then goes on in one). */
  readonly onWarning?: (message: string) => void;
  /**
   * The engine helper thread's entry script, from the entry point (dist/engineHelper.js when
   * bundled): the second thread of training and of the final metrics. Required unless
   * `options.threads` is 1 (the run then stays in one thread throughout).
   */
  readonly helperScript?: string;
}

/** Error thrown when a run is cancelled. */
export class TrainingCancelledError extends Error {
  constructor() {
    super('training was cancelled');
    this.name = 'AbortError';
  }
}

/** The data of a run, split, tokenized and encoded the way trainClassifier uses it. */
export interface PreparedData<T extends LabelledText = LabelledText> {
  /** Class names in output order. */
  readonly labels: readonly string[];
  readonly train: readonly T[];
  readonly validation: readonly T[];
  /** Built from the training part (and the pretraining texts with vocabularySource 'training+pretraining'). */
  readonly vocabulary: Vocabulary;
  /** Ids of each training sentence, cut to maxLength (possibly empty). */
  readonly trainIds: readonly Int32Array[];
  /** Class index of each training sentence. */
  readonly trainLabels: Int32Array;
  /** Ids of each validation sentence, cut to maxLength. */
  readonly validationIds: readonly Int32Array[];
  readonly validationLabels: Int32Array;
  /** Tokens of the pretraining texts (empty unless options.skipGram). */
  readonly pretrainingTokens: readonly string[][];
}

/**
 * The data-preparation step of a run: labels (options.labels or the sorted labels of the data),
 * stratified validation split, vocabulary from the training part (or `fixedVocabulary` when given, e.g.
 * a model's to continue training it), ids cut to maxLength. Shared by trainClassifier and the CLI's
 * `prepare` (which writes the result for an outside trainer). Inputs are not changed.
 * @throws Error when the data has fewer than two classes, a label outside options.labels, or no
 *   training example after the split.
 */
export function prepareTrainingData<T extends LabelledText>(
  data: readonly T[],
  options: TrainingOptions,
  fixedVocabulary?: Vocabulary,
): PreparedData<T> {
  const labels = options.labels ? [...options.labels] : [...new Set(data.map((d) => d.label))].sort();
  if (labels.length < 2)
    throw new Error(
      `training needs at least two classes; the data has ${labels.length === 1 ? `only "${abbreviate(labels[0])}"` : 'none'}`,
    );
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const unknown = data.find((d) => !classOf.has(d.label));
  if (unknown)
    throw new Error(`label "${abbreviate(unknown.label)}" is not one of the model's labels (${listSome(labels)})`);

  const { train, validation } = stratifiedSplit(data, options.validationSplit, options.seed);
  if (train.length === 0) throw new Error('no training examples left after the validation split');
  const trainTokens = train.map((d) => tokenTexts(d.text, options.tokenizer));
  const pretrainingTokens = options.skipGram
    ? (options.pretrainingTexts ?? []).map((text) => tokenTexts(text, options.tokenizer))
    : [];
  const vocabularyTokens =
    options.vocabularySource === 'training+pretraining' ? [...trainTokens, ...pretrainingTokens] : trainTokens;
  const vocabulary =
    fixedVocabulary ??
    Vocabulary.build(vocabularyTokens, { minCount: options.minCount, maxSize: options.maxVocabulary });
  const encode = (tokens: string[]) => vocabulary.encode(tokens.slice(0, options.maxLength));
  return {
    labels,
    train,
    validation,
    vocabulary,
    trainIds: trainTokens.map(encode),
    trainLabels: Int32Array.from(train, (d) => classOf.get(d.label)!),
    validationIds: validation.map((d) => encode(tokenTexts(d.text, options.tokenizer))),
    validationLabels: Int32Array.from(validation, (d) => classOf.get(d.label)!),
    pretrainingTokens,
  };
}

/**
 * Share of the teachers' averaged distribution in a distilled student's target at each supervised
 * step; the rest is the label's one-hot. Half and half: a standard mix (Hinton et al., 2015, found a
 * mix of soft and hard targets better than soft ones alone), not tuned on this project's data.
 */
export const DISTILLATION_TEACHER_WEIGHT = 0.5;

/**
 * Trains a classifier: one network, or with options.ensembleMembers = N > 1 a seed ensemble of N
 * networks trained one after the other with seeds seed, seed + 1, ..., on the same split and
 * vocabulary, each with its own early stopping (network k is the network a run with seed + k - 1 would
 * train, apart from the split and vocabulary, which the run's seed makes). With options.distill the N
 * networks are teachers: one more network, the student (seed + N, same split, vocabulary and recipe),
 * is trained on targets that mix the teachers' averaged probabilities after every word of each
 * training sentence with the label (DISTILLATION_TEACHER_WEIGHT), and the model is the student alone.
 * Inputs are not changed. Yields to the event loop between batches so that a worker can receive a
 * cancel message.
 */
export async function trainClassifier(
  data: readonly LabelledText[],
  partialOptions: Partial<TrainingOptions> = {},
  hooks: TrainingHooks = {},
): Promise<TrainingResult> {
  const options = resolveTrainingOptions(partialOptions);
  // Before any work: a run that may use a helper thread needs its script.
  if (options.threads !== 1 && hooks.helperScript === undefined) throw new MissingHelperScriptError('trainClassifier');
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const prepared = prepareTrainingData(data, options);
  const { labels, train, validation, vocabulary, trainIds, trainLabels, validationIds, validationLabels } = prepared;

  const arch: Architecture = {
    cell: options.cell,
    vocabSize: vocabulary.size,
    embeddingDim: options.embeddingDim,
    units: options.units,
    layers: options.layers,
    numClasses: labels.length,
    dropout: options.dropout,
  };
  // Linguistic examples and lexicon terms are on by default (the bundled movie-review model's settings)
  // and apply only to labels with a positive / negative pair; for other labels they are off, with a warning.
  const hasPolarity = positiveLabelOf(labels) !== undefined && negativeLabelOf(labels) !== undefined;
  const linguisticExamples = options.linguisticExamples && hasPolarity;
  const lexiconWeight = hasPolarity ? options.lexiconWeight : 0;
  if ((options.linguisticExamples || options.lexiconWeight > 0) && !hasPolarity) {
    const what = [
      options.linguisticExamples ? 'linguistic examples' : '',
      options.lexiconWeight > 0 ? 'lexicon terms' : '',
    ]
      .filter(Boolean)
      .join(' and ');
    hooks.onWarning?.(
      `${what} are off: the labels (${listSome(labels.map((l) => abbreviate(l)))}) have no positive / negative pair`,
    );
  }
  const lexicon =
    lexiconWeight > 0 || linguisticExamples ? lexiconSettings(vocabulary, labels, lexiconWeight) : undefined;
  // Learned transforms change the lexicon terms' targets: without the terms they have nothing to change.
  const learnedTransforms = options.learnedTransforms && lexiconWeight > 0;
  if (options.learnedTransforms && !learnedTransforms)
    hooks.onWarning?.(
      'learned transforms are off: they change the lexicon terms, which are off (lexicon weight 0, or no positive / negative labels)',
    );
  const members = options.ensembleMembers;
  const distill = options.distill && members >= 2;
  if (options.distill && !distill)
    hooks.onWarning?.('distillation is off: it needs at least two ensemble members to learn from');
  // The hook is asked once, with the first network's fresh embedding; every network starts from the rows it sets.
  const start = startingEmbedding(hooks, vocabulary, initWeights(arch, options.seed).embedding, options.embeddingDim);
  // Progress counts a distilled run's student as one more network.
  const networksTrained = members + (distill ? 1 : 0);
  const context: RunContext = {
    options,
    hooks,
    prepared,
    arch,
    lexicon,
    linguisticExamples,
    learnedTransforms,
    members: networksTrained,
    elapsed,
    start,
  };
  const runs: MemberRun[] = [];
  for (let member = 0; member < members; member++) {
    if (hooks.signal?.aborted) throw new TrainingCancelledError();
    runs.push(await trainMember(context, member));
  }

  const metricsIds = validation.length ? validationIds : trainIds;
  const metricsGold = validation.length ? validationLabels : trainLabels;
  // Without a helper script (options.threads is 1, checked above) the metrics stay in one thread too.
  const predictorsOf = (networks: readonly NetworkWeights[]) =>
    networks.map(
      (weights) =>
        new Predictor(arch, weights, {
          threads: hooks.helperScript === undefined ? 1 : undefined,
          helperScript: hooks.helperScript,
          onWarning: hooks.onWarning,
        }),
    );
  let distillation: DistillationRecord | undefined;
  let student: MemberRun | undefined;
  if (distill) {
    if (hooks.signal?.aborted) throw new TrainingCancelledError();
    const teachers = predictorsOf(runs.map((run) => run.weights));
    let targets: Float32Array[];
    let teachersPredicted: Int32Array;
    try {
      targets = await teacherStepTargets(teachers, trainIds, trainLabels, DISTILLATION_TEACHER_WEIGHT, hooks.signal);
      teachersPredicted = predictEnsembleClasses(teachers, metricsIds);
    } finally {
      await Promise.all(teachers.map((predictor) => predictor.dispose()));
    }
    student = await trainMember(context, members, targets);
    distillation = {
      teachers: runs.map(({ seed, bestEpoch, accuracy, history }) => ({ seed, bestEpoch, accuracy, history })),
      teachersAccuracy: computeMetrics(metricsGold, teachersPredicted, labels).accuracy,
      studentSeed: student.seed,
      studentAccuracy: student.accuracy,
      teacherWeight: DISTILLATION_TEACHER_WEIGHT,
    };
  }
  const networks = student ? [student.weights] : runs.map((run) => run.weights);
  const metricsPredictors = predictorsOf(networks);
  let predicted: Int32Array;
  try {
    predicted = predictEnsembleClasses(metricsPredictors, metricsIds);
  } finally {
    await Promise.all(metricsPredictors.map((predictor) => predictor.dispose()));
  }
  const first = student ?? runs[0];
  return {
    model: {
      arch,
      weights: networks[0],
      ...(networks.length > 1 ? { otherMembers: networks.slice(1) } : {}),
      vocabulary,
      labels,
      tokenizer: options.tokenizer,
      maxLength: options.maxLength,
    },
    metrics: computeMetrics(metricsGold, predicted, labels),
    history: first.history,
    bestEpoch: first.bestEpoch,
    ...(networks.length > 1
      ? { members: runs.map(({ seed, bestEpoch, accuracy, history }) => ({ seed, bestEpoch, accuracy, history })) }
      : {}),
    ...(distillation ? { distillation } : {}),
    ...(learnedTransforms
      ? { learnedTransforms: (student ? [student] : runs).map((run) => run.learnedTransforms!) }
      : {}),
    skipGramPretrained: runs[0].skipGramPretrained,
    trainingExamples: train.length,
    validationExamples: validation.length,
    seconds: elapsed(),
    options,
    validation,
  };
}

/** What every network of a run shares. */
interface RunContext {
  readonly options: TrainingOptions;
  readonly hooks: TrainingHooks;
  readonly prepared: PreparedData;
  readonly arch: Architecture;
  readonly lexicon: LexiconSettings | undefined;
  readonly linguisticExamples: boolean;
  /** Whether the negation factors and degree increments are fitted after every epoch (lexicon terms on). */
  readonly learnedTransforms: boolean;
  /** Networks the run trains (a distilled run's student included), for progress. */
  readonly members: number;
  readonly elapsed: () => number;
  /** The rows of the embedding the initialEmbedding hook sets, if any. */
  readonly start: ReturnType<typeof startingEmbedding>;
}

/** One trained network: its best epoch's weights and its record. */
interface MemberRun extends MemberRecord {
  readonly weights: NetworkWeights;
  readonly skipGramPretrained: boolean;
  /** The transforms fitted on the best epoch's weights (context.learnedTransforms only). */
  readonly learnedTransforms?: LearnedTransformsRecord;
}

/**
 * Trains network `member` (from 0) of a run with seed options.seed + member. `targets` (a distilled
 * student's): each training sentence's target distribution at every step, [length, classes] (see
 * {@link teacherStepTargets}); the synthetic linguistic examples keep their labels.
 */
async function trainMember(context: RunContext, member: number, targets?: readonly Float32Array[]): Promise<MemberRun> {
  const { options, hooks, arch, lexicon, linguisticExamples, learnedTransforms, members, elapsed, start } = context;
  const { vocabulary, trainIds, trainLabels, validationIds, validationLabels, pretrainingTokens, train, validation } =
    context.prepared;
  const seed = options.seed + member;
  // Progress of the whole run from the share of this network done; a single network's reports stay as they were.
  const ensemble = members > 1 ? { member: member + 1, members } : {};
  const remaining = (memberDone: number, single: () => number) => {
    if (members === 1) return single();
    const done = (member + memberDone) / members;
    return (elapsed() * (1 - done)) / done;
  };
  const weights = initWeights(arch, seed);
  const skipGramPretrained =
    options.skipGram && !(start && start.coveredRows >= SKIP_GRAM_COVERAGE_LIMIT * vocabulary.size);
  if (skipGramPretrained) {
    hooks.onProgress?.({
      phase: 'pretraining',
      ...ensemble,
      epoch: 0,
      epochs: options.epochs,
      batch: 0,
      batches: 0,
      loss: NaN,
      accuracy: NaN,
      elapsedSeconds: elapsed(),
    });
    const pretrainingIds = pretrainingTokens.map((tokens) => vocabulary.encode(tokens));
    weights.embedding.set(
      trainSkipGram([...trainIds, ...pretrainingIds], vocabulary.size, {
        dim: options.embeddingDim,
        epochs: options.skipGramEpochs,
        seed,
        signal: hooks.signal,
      }),
    );
  }
  if (start) overlayRows(weights.embedding, start.embedding, start.covered, options.embeddingDim);

  const trainer = createTrainer(arch, weights, {
    learningRate: options.learningRate,
    clipNorm: options.clipNorm,
    seed,
    threads: options.threads,
    // Validation, early stopping and the saved model use the average (updated in Adam's sweep).
    weightAveraging: options.weightAveraging,
    onWarning: hooks.onWarning,
    helperScript: hooks.helperScript,
  });
  const trained = trainer.averageWeights ?? trainer.weights;
  // Validation reads the weights that the Trainer (or the running average) updates in place: one
  // Predictor for them (one thread, its workspace kept between epochs), ended with the network's run.
  let validator: Predictor | undefined;
  const random = new Random(seed + 1);
  const tokensInEpoch = trainIds.reduce((sum, ids) => sum + ids.length, 0);
  const history: EpochRecord[] = [];
  let best = { epoch: 0, accuracy: -1, loss: Infinity, weights: copyWeights(weights) };
  const progressEvery = Math.max(
    1,
    Math.floor(Math.ceil(train.length / options.batchSize) / (hooks.progressPerEpoch ?? 20)),
  );

  // The lexicon terms' settings of the coming epoch: VADER's transforms first, then each epoch's fit.
  let epochLexicon = lexicon && lexicon.weight > 0 ? lexicon : undefined;
  let bestTransforms: LearnedTransformsRecord | undefined;
  let fitIds: Int32Array[] | undefined;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      const epochStart = performance.now();
      const synthetic = linguisticExamples
        ? syntheticExamples(lexicon!, vocabulary, trainIds, trainLabels, options.maxLength, random)
        : undefined;
      const stepTargets = targets && { classes: arch.numClasses, targets };
      const batches = synthetic
        ? lengthBucketedBatches(
            [...trainIds, ...synthetic.ids],
            Int32Array.from([...trainLabels, ...synthetic.labels]),
            options.batchSize,
            random,
            [...trainIds.map(() => undefined), ...synthetic.stepLabels],
            stepTargets,
          )
        : lengthBucketedBatches(trainIds, trainLabels, options.batchSize, random, undefined, stepTargets);
      let lossSum = 0;
      let correct = 0;
      let seen = 0;
      for (let b = 0; b < batches.length; b++) {
        await yieldToEventLoop();
        if (hooks.signal?.aborted) throw new TrainingCancelledError();
        const result = trainer.trainBatch(prepareTrainingBatch(batches[b], options, random, epochLexicon));
        // Loss and accuracy over the loss positions: sentences, or labelled steps when every step is supervised.
        lossSum += result.loss * result.count;
        correct += result.correct;
        seen += result.count;
        if ((b + 1) % progressEvery === 0 && b + 1 < batches.length) {
          const done = (epoch - 1 + (b + 1) / batches.length) / options.epochs;
          hooks.onProgress?.({
            phase: 'training',
            ...ensemble,
            epoch,
            epochs: options.epochs,
            batch: b + 1,
            batches: batches.length,
            loss: lossSum / seen,
            accuracy: correct / seen,
            elapsedSeconds: elapsed(),
            remainingSeconds: remaining(done, () => (elapsed() * (1 - done)) / done),
          });
        }
      }
      const seconds = (performance.now() - epochStart) / 1000;
      let evaluation = { loss: lossSum / seen, accuracy: correct / seen };
      if (validation.length || learnedTransforms) {
        validator ??= new Predictor(arch, trained, { threads: 1, weightsChangeInPlace: true });
      }
      if (validation.length) evaluation = evaluateIds(validator!, validationIds, validationLabels);
      history.push({
        epoch,
        loss: lossSum / seen,
        accuracy: correct / seen,
        validationLoss: evaluation.loss,
        validationAccuracy: evaluation.accuracy,
        seconds,
        tokensPerSecond: tokensInEpoch / seconds,
      });
      const improved =
        evaluation.accuracy > best.accuracy || (evaluation.accuracy === best.accuracy && evaluation.loss < best.loss);
      if (improved)
        best = {
          epoch,
          accuracy: evaluation.accuracy,
          loss: evaluation.loss,
          weights: copyWeights(trained),
        };
      if (learnedTransforms) {
        // On the weights just validated (the saved ones when this epoch is the best), float kernels.
        // The prefixes of the training sentences the fit needs (a third of the tokens for movie reviews).
        fitIds ??= transformSentences(trainIds, lexicon!.classes);
        const scores = await trajectoryScores(validator!, fitIds, lexicon!, hooks.signal);
        const fitted = fitTransforms(observeTransforms(fitIds, scores, lexicon!.classes), lexicon!.classes, vocabulary);
        epochLexicon = { ...lexicon!, transforms: fitted.transforms };
        if (improved) bestTransforms = fitted.record;
      }
      hooks.onProgress?.({
        phase: 'validated',
        ...ensemble,
        epoch,
        epochs: options.epochs,
        batch: batches.length,
        batches: batches.length,
        loss: lossSum / seen,
        accuracy: correct / seen,
        validationLoss: evaluation.loss,
        validationAccuracy: evaluation.accuracy,
        elapsedSeconds: elapsed(),
        remainingSeconds: remaining(epoch / options.epochs, () => (elapsed() / epoch) * (options.epochs - epoch)),
      });
      if (validation.length && options.patience > 0 && epoch - best.epoch >= options.patience) break;
    }
  } finally {
    await trainer.dispose();
    await validator?.dispose();
  }
  return {
    seed,
    bestEpoch: best.epoch,
    accuracy: best.accuracy,
    history,
    weights: best.weights,
    skipGramPretrained,
    ...(bestTransforms ? { learnedTransforms: bestTransforms } : {}),
  };
}

/**
 * Each sentence's score s = logit[positive] - logit[negative] before its first token (the dense bias
 * alone) and after each of its tokens, length + 1 values, from the predictor's per-step probabilities
 * (no dropout). Yields between batches; an aborted signal stops it with a TrainingCancelledError.
 */
export async function trajectoryScores(
  predictor: Predictor,
  ids: readonly Int32Array[],
  classes: { readonly positiveClass: number; readonly negativeClass: number },
  signal?: AbortSignal,
  batchSize = 256,
): Promise<Float32Array[]> {
  const { positiveClass, negativeClass } = classes;
  const C = predictor.arch.numClasses;
  const bias = predictor.weights.dense.bias;
  const scores = ids.map((sentence) =>
    new Float32Array(sentence.length + 1).fill(bias[positiveClass] - bias[negativeClass]),
  );
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
  // Probabilities below this (float32's smallest normal) count as this, so that the log stays finite.
  const floor = 1.1754944e-38;
  for (let start = 0; start < order.length; start += batchSize) {
    await yieldToEventLoop();
    if (signal?.aborted) throw new TrainingCancelledError();
    const members = order.slice(start, start + batchSize);
    const batch = padBatch(members.map((i) => ids[i]));
    const { stepProbabilities } = predictor.predict(batch);
    const T = batch.timeSteps;
    members.forEach((index, row) => {
      const score = scores[index];
      for (let t = 0; t < ids[index].length; t++) {
        const at = (row * T + t) * C;
        score[t + 1] =
          Math.log(Math.max(stepProbabilities[at + positiveClass], floor)) -
          Math.log(Math.max(stepProbabilities[at + negativeClass], floor));
      }
    });
  }
  return scores;
}

/**
 * Skip-gram pretraining is skipped when the initial embedding hook sets at least this share of the
 * vocabulary's rows. With the bundled movie-review recipe GloVe sets 98% of them; skip-gram then only
 * decides the remaining rare words' start, and 5-fold cross-validation measured no loss without it
 * (docs/performance.md).
 */
export const SKIP_GRAM_COVERAGE_LIMIT = 0.9;

/** The hook's starting embedding and which rows it set (those differing from `fresh`); undefined without a hook or when it declines. */
function startingEmbedding(
  hooks: TrainingHooks,
  vocabulary: Vocabulary,
  fresh: Float32Array,
  dim: number,
): { embedding: Float32Array; covered: Uint8Array; coveredRows: number } | undefined {
  const embedding = hooks.initialEmbedding?.(vocabulary, fresh.slice(), dim);
  if (!embedding) return undefined;
  if (embedding.length !== fresh.length)
    throw new Error(`initialEmbedding returned ${embedding.length} values, expected ${fresh.length}`);
  const covered = new Uint8Array(vocabulary.size);
  let coveredRows = 0;
  for (let row = 0; row < vocabulary.size; row++) {
    for (let k = row * dim; k < (row + 1) * dim; k++) {
      if (!Object.is(embedding[k], fresh[k])) {
        covered[row] = 1;
        coveredRows++;
        break;
      }
    }
  }
  return { embedding, covered, coveredRows };
}

/** Copies the `covered` rows of `source` into `target` ([rows, dim] each), in place. */
function overlayRows(target: Float32Array, source: Float32Array, covered: Uint8Array, dim: number): void {
  for (let row = 0; row < covered.length; row++) {
    if (covered[row] === 1) target.set(source.subarray(row * dim, (row + 1) * dim), row * dim);
  }
}

/**
 * Splits each class at random (seeded) into training and validation parts, `share` of each
 * class to validation, so both parts keep the class balance. Original order within each part.
 */
export function stratifiedSplit<T extends LabelledText>(
  data: readonly T[],
  share: number,
  seed: number,
): { train: T[]; validation: T[] } {
  const random = new Random(seed);
  const byClass = new Map<string, number[]>();
  data.forEach((d, i) => {
    const indices = byClass.get(d.label);
    if (indices)
      indices.push(i); // in place: copying the list for each example made the split quadratic
    else byClass.set(d.label, [i]);
  });
  const validationIndices = new Set<number>();
  for (const label of [...byClass.keys()].sort()) {
    const indices = random.shuffled(byClass.get(label)!);
    indices.slice(0, Math.round(indices.length * share)).forEach((i) => validationIndices.add(i));
  }
  return {
    train: data.filter((_, i) => !validationIndices.has(i)),
    validation: data.filter((_, i) => validationIndices.has(i)),
  };
}

/**
 * Batches of similar lengths, so little work goes into padding: shuffle, cut into pools of 32
 * batches, sort each pool by length, slice into batches, shuffle the batch order. `stepLabels`
 * (optional, per sequence) gives some sequences their own label per step; a batch with any of them
 * carries batch.stepLabels, the other sequences' steps labelled with their label. `stepTargets`
 * (optional, a distilled student's) gives some sequences a target distribution per step ([length,
 * classes] each): every batch then carries batch.stepSoftTargets, the other sequences' steps
 * targeted at the one-hot of their step label (zeros where a step is unlabelled, and at padding).
 * The random stream is used the same way with or without them.
 */
export function lengthBucketedBatches(
  ids: readonly Int32Array[],
  labels: Int32Array,
  batchSize: number,
  random: Random,
  stepLabels?: readonly (Int32Array | undefined)[],
  stepTargets?: { readonly classes: number; readonly targets: readonly (Float32Array | undefined)[] },
): Batch[] {
  const order = random.shuffled(ids.map((_, i) => i));
  const poolSize = batchSize * 32;
  const batches: Batch[] = [];
  for (let p = 0; p < order.length; p += poolSize) {
    const pool = order.slice(p, p + poolSize).sort((a, b) => ids[a].length - ids[b].length);
    for (let b = 0; b < pool.length; b += batchSize) {
      const members = pool.slice(b, b + batchSize);
      const batch = padBatch(
        members.map((i) => ids[i]),
        Infinity,
        members.map((i) => labels[i]),
      );
      const own = stepLabels && members.some((i) => stepLabels[i]) ? members.map((i) => stepLabels[i]) : undefined;
      const labelled = own ? { ...batch, stepLabels: memberStepLabels(batch, own) } : batch;
      batches.push(
        stepTargets
          ? {
              ...labelled,
              stepSoftTargets: memberStepTargets(
                labelled,
                members.map((i) => stepTargets.targets[i]),
                stepTargets.classes,
              ),
            }
          : labelled,
      );
    }
  }
  return random.shuffled(batches);
}

/**
 * Per-step targets of a batch [B, T, C]: a member's own rows where given, else the one-hot of its
 * step label (batch.stepLabels, or its label at each real step); zeros at padding and unlabelled steps.
 */
function memberStepTargets(batch: Batch, own: readonly (Float32Array | undefined)[], C: number): Float32Array {
  const T = batch.timeSteps;
  const out = new Float32Array(batch.batchSize * T * C);
  own.forEach((rows, b) => {
    const length = batch.lengths[b];
    if (rows) {
      out.set(rows.subarray(0, length * C), b * T * C);
      return;
    }
    for (let t = 0; t < length; t++) {
      const label = batch.stepLabels ? batch.stepLabels[b * T + t] : batch.labels![b];
      if (label >= 0) out[(b * T + t) * C + label] = 1;
    }
  });
  return out;
}

/**
 * A distilled student's targets: for each training sentence [length, classes], at every step
 * `teacherWeight` times the teachers' mean softmax after that token (inference, no dropout) plus
 * (1 - teacherWeight) times its label's one-hot. Yields between batches; an aborted signal stops it
 * with a TrainingCancelledError.
 */
export async function teacherStepTargets(
  teachers: readonly Predictor[],
  ids: readonly Int32Array[],
  labels: Int32Array,
  teacherWeight: number,
  signal?: AbortSignal,
  batchSize = 256,
): Promise<Float32Array[]> {
  const C = teachers[0].arch.numClasses;
  const targets = ids.map((sentence) => new Float32Array(sentence.length * C));
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
  for (let start = 0; start < order.length; start += batchSize) {
    await yieldToEventLoop();
    if (signal?.aborted) throw new TrainingCancelledError();
    const members = order.slice(start, start + batchSize);
    const batch = padBatch(members.map((i) => ids[i]));
    const { stepProbabilities } = predictEnsemble(teachers, batch);
    const T = batch.timeSteps;
    members.forEach((index, row) => {
      const target = targets[index];
      const from = stepProbabilities.subarray(row * T * C, (row * T + ids[index].length) * C);
      for (let k = 0; k < target.length; k++) target[k] = teacherWeight * from[k];
      for (let t = 0; t < ids[index].length; t++) target[t * C + labels[index]] += 1 - teacherWeight;
    });
  }
  return targets;
}

/** Per-step labels of a batch [B, T]: a member's own where given, else its label at each real step; -1 at padding. */
function memberStepLabels(batch: Batch, own: readonly (Int32Array | undefined)[]): Int32Array {
  const T = batch.timeSteps;
  const out = new Int32Array(batch.batchSize * T).fill(-1);
  own.forEach((steps, b) => {
    if (steps) out.set(steps.subarray(0, batch.lengths[b]), b * T);
    else out.fill(batch.labels![b], b * T, b * T + batch.lengths[b]);
  });
  return out;
}

/**
 * The batch as the trainer sees it: word dropout applied to a copy of the ids, per-step labels
 * when every step is supervised (a batch's own stepLabels, from synthetic examples, are kept then and
 * dropped for final-token supervision), and the lexicon terms' targets when `lexicon` is given. A
 * batch's stepSoftTargets (a distilled student's) are kept under every-step supervision; under
 * final-token supervision they become softTargets, each sentence's row at its last real step (its
 * label's one-hot for an empty sentence). The input batch is not changed.
 */
export function prepareTrainingBatch(
  batch: Batch,
  options: Pick<TrainingOptions, 'wordDropout' | 'supervision'>,
  random: Random,
  lexicon?: LexiconSettings,
): Batch {
  let ids = batch.ids;
  if (options.wordDropout > 0) {
    ids = batch.ids.slice();
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== PAD_ID && random.next() < options.wordDropout) ids[i] = OOV_ID;
    }
  }
  let stepLabels: Int32Array | undefined;
  if (options.supervision === 'every-step' && batch.stepLabels) stepLabels = batch.stepLabels;
  else if (options.supervision === 'every-step' && batch.labels) {
    stepLabels = new Int32Array(batch.batchSize * batch.timeSteps).fill(-1);
    for (let b = 0; b < batch.batchSize; b++) {
      stepLabels.fill(batch.labels[b], b * batch.timeSteps, b * batch.timeSteps + batch.lengths[b]);
    }
  }
  const { stepLabels: _own, stepSoftTargets, ...rest } = batch;
  const everyStep = stepLabels !== undefined;
  return {
    ...rest,
    ids,
    ...(stepLabels ? { stepLabels } : {}),
    ...(stepSoftTargets && everyStep ? { stepSoftTargets } : {}),
    ...(stepSoftTargets && !everyStep ? { softTargets: finalStepTargets(batch, stepSoftTargets) } : {}),
    ...(lexicon ? { lexicon: lexiconTargets(batch, ids, lexicon) } : {}),
  };
}

/** Each sentence's row of per-step targets [B, T, C] at its last real step, [B, C]; its label's one-hot when it is empty. */
function finalStepTargets(batch: Batch, stepTargets: Float32Array): Float32Array {
  const { batchSize: B, timeSteps: T } = batch;
  const C = stepTargets.length / (B * T);
  const out = new Float32Array(B * C);
  for (let b = 0; b < B; b++) {
    const length = Math.min(T, batch.lengths[b]);
    if (length > 0) out.set(stepTargets.subarray((b * T + length - 1) * C, (b * T + length) * C), b * C);
    else out[b * C + batch.labels![b]] = 1;
  }
  return out;
}

/** Mean cross-entropy and accuracy of the predictor's network on encoded sentences. */
export function evaluateIds(
  predictor: Predictor,
  ids: readonly Int32Array[],
  gold: Int32Array,
  batchSize = 256,
): { loss: number; accuracy: number } {
  let loss = 0;
  let correct = 0;
  forEachPrediction(predictor, ids, batchSize, (i, probabilities) => {
    loss -= Math.log(Math.max(probabilities[gold[i]], 1e-12));
    if (argmax(probabilities) === gold[i]) correct++;
  });
  return { loss: loss / Math.max(1, ids.length), accuracy: correct / Math.max(1, ids.length) };
}

/** Predicted class index of every encoded sentence. */
export function predictClasses(predictor: Predictor, ids: readonly Int32Array[], batchSize = 256): Int32Array {
  const out = new Int32Array(ids.length);
  forEachPrediction(predictor, ids, batchSize, (i, probabilities) => (out[i] = argmax(probabilities)));
  return out;
}

/**
 * Predicted class index of every encoded sentence under a seed ensemble, one Predictor per network:
 * the largest of its networks' mean final probabilities (averaged as the Classifier averages them);
 * with one Predictor, the same as {@link predictClasses}.
 */
export function predictEnsembleClasses(
  predictors: readonly Predictor[],
  ids: readonly Int32Array[],
  batchSize = 256,
): Int32Array {
  const C = predictors[0].arch.numClasses;
  const finals = predictors.map((predictor) => {
    const probabilities = new Float32Array(ids.length * C);
    forEachPrediction(predictor, ids, batchSize, (i, values) => probabilities.set(values, i * C));
    return probabilities;
  });
  const { finalProbabilities } = averageProbabilities(
    finals.map((finalProbabilities) => ({ stepProbabilities: new Float32Array(0), finalProbabilities })),
  );
  return Int32Array.from(ids, (_, i) => argmax(finalProbabilities.subarray(i * C, (i + 1) * C)));
}

/** Runs the network over sentences sorted by length (less padding) and calls back in any order with each sentence's final probabilities. */
function forEachPrediction(
  predictor: Predictor,
  ids: readonly Int32Array[],
  batchSize: number,
  visit: (index: number, probabilities: Float32Array) => void,
): void {
  const classes = predictor.arch.numClasses;
  const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
  for (let start = 0; start < order.length; start += batchSize) {
    const members = order.slice(start, start + batchSize);
    const { finalProbabilities } = predictor.predict(padBatch(members.map((i) => ids[i])));
    members.forEach((index, row) => visit(index, finalProbabilities.subarray(row * classes, (row + 1) * classes)));
  }
}

/** Index of the largest value (first on ties). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

function copyWeights(weights: NetworkWeights): NetworkWeights {
  return {
    embedding: weights.embedding.slice(),
    rnn: weights.rnn.map((layer) => ({
      kernel: layer.kernel.slice(),
      recurrentKernel: layer.recurrentKernel.slice(),
      bias: layer.bias.slice(),
    })),
    dense: { kernel: weights.dense.kernel.slice(), bias: weights.dense.bias.slice() },
  };
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
