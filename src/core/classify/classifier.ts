/**
 * Classification with a loaded model: tokens with their character ranges, the probabilities
 * after every token (the per-word trajectory) and the sentence's label, from one forward pass
 * (one per network of a seed ensemble, whose probabilities are averaged).
 */
import { Architecture, NetworkWeights } from '../model/architecture';
import { padBatch } from '../model/batching';
import { Predictor } from '../engine';
import { networksOf, predictEnsemble } from './ensemble';
import { Token, TokenizerSettings, tokenize } from '../text/tokenizer';
import { Vocabulary } from '../text/vocabulary';

/** Probability of each label, keyed by label name. */
export type LabelProbabilities = Record<string, number>;

/** One token of a classified text and the model's probabilities after reading it. */
export interface TokenTrajectoryPoint extends Token {
  readonly probabilities: LabelProbabilities;
  /** The vocabulary id the model saw (1 = unknown word). */
  readonly id: number;
}

/** The result for one text. */
export interface Classification {
  readonly label: string;
  readonly probabilities: LabelProbabilities;
  readonly tokens: readonly TokenTrajectoryPoint[];
}

/** What a classifier needs of a model. */
export interface ClassifierModel {
  readonly arch: Architecture;
  /** The (first) network's weights. */
  readonly weights: NetworkWeights;
  /**
   * A seed ensemble's other networks (2, 3, ...), each of `arch`: every network reads the same ids
   * and their probabilities are averaged at every step. Absent or empty for one network.
   */
  readonly otherMembers?: readonly NetworkWeights[];
  readonly vocabulary: Vocabulary;
  readonly labels: readonly string[];
  readonly tokenizer: TokenizerSettings;
}

/** Texts longer than this many tokens are classified on their first MAX_TOKENS tokens. */
export const MAX_TOKENS = 2000;

/** Options of a {@link Classifier}. */
export interface ClassifierOptions {
  /**
   * Threads for large batches: 1, or 2 (batches of many tokens are split with a helper thread;
   * see src/core/engine/predict.ts). Default: 2 on a machine with two or more CPUs. The results
   * are the same either way.
   */
  readonly threads?: number;
  /** The engine helper thread's entry script, from the entry point; required unless `threads` is 1. */
  readonly helperScript?: string;
  /** Integer recurrent products (see PredictorOptions.integerKernels). */
  readonly integerKernels?: boolean;
}

/**
 * Classifies texts with a model; batches texts of similar length together. Owns the
 * {@link Predictor}s that run the model's networks (their workspaces, input-projection caches and
 * helper threads), one per network.
 */
export class Classifier {
  private ownPredictors: readonly Predictor[] | undefined;

  constructor(
    readonly model: ClassifierModel,
    private readonly options: ClassifierOptions = {},
  ) {}

  /** The Predictors this Classifier runs the model's networks with, in network order (created on first use, and again after dispose()). */
  get predictors(): readonly Predictor[] {
    this.ownPredictors ??= networksOf(this.model).map(
      (weights) =>
        new Predictor(this.model.arch, weights, {
          threads: this.options.threads,
          integerKernels: this.options.integerKernels,
          helperScript: this.options.helperScript,
        }),
    );
    return this.ownPredictors;
  }

  /** The Predictor of the model's (first) network. */
  get predictor(): Predictor {
    return this.predictors[0];
  }

  /**
   * Releases what inference with this model holds beyond the weights: the Predictors' helper threads
   * (with their copies of the weights) and their caches. Call it when the model is dropped; the
   * Classifier still works afterwards (new Predictors are made on demand).
   */
  async dispose(): Promise<void> {
    const predictors = this.ownPredictors ?? [];
    this.ownPredictors = undefined;
    await Promise.all(predictors.map((predictor) => predictor.dispose()));
  }

  /** Classifies one text. */
  classify(text: string): Classification {
    return this.classifyMany([text])[0];
  }

  /**
   * Classifies many texts in batches (order kept). A text without any token gets the model's
   * prior: the output of the zero state.
   */
  classifyMany(texts: readonly string[], batchSize = 128): Classification[] {
    const { arch, vocabulary, labels, tokenizer } = this.model;
    const predictors = this.predictors;
    const tokens = texts.map((text) => tokenize(text, tokenizer).slice(0, MAX_TOKENS));
    const ids = tokens.map((list) => vocabulary.encode(list.map((t) => t.text)));
    const results = new Array<Classification>(texts.length);
    const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
    const classes = arch.numClasses;
    const toProbabilities = labelProbabilitiesMaker(labels);
    for (let start = 0; start < order.length; start += batchSize) {
      const members = order.slice(start, start + batchSize);
      const batch = padBatch(members.map((i) => ids[i]));
      const { stepProbabilities, finalProbabilities } = predictEnsemble(predictors, batch);
      members.forEach((index, row) => {
        const sentenceIds = ids[index];
        const rowOffset = row * batch.timeSteps * classes;
        results[index] = {
          label: labels[argmaxAt(finalProbabilities, row * classes, classes)],
          probabilities: toProbabilities(finalProbabilities, row * classes),
          tokens: tokens[index].map((token, step) => {
            // An explicit literal (not a spread of `token`): one object shape for every point, much cheaper to build.
            return {
              text: token.text,
              start: token.start,
              end: token.end,
              id: sentenceIds[step],
              probabilities: toProbabilities(stepProbabilities, rowOffset + step * classes),
            };
          }),
        };
      });
    }
    return results;
  }
}

/** Texts classified at a time by predictClassIndices. */
export const PREDICTION_CHUNK = 4096;

/**
 * The index in `labels` of each text's predicted label, classifying `chunkSize` texts at a time
 * and keeping only the indices, so memory stays bounded whatever the number of texts (a chunk's
 * trajectories are dropped before the next is classified).
 */
export function predictClassIndices(
  classifier: Pick<Classifier, 'classifyMany'>,
  texts: readonly string[],
  labels: readonly string[],
  chunkSize = PREDICTION_CHUNK,
): Int32Array {
  const classOf = new Map(labels.map((label, i) => [label, i]));
  const predicted = new Int32Array(texts.length);
  for (let start = 0; start < texts.length; start += chunkSize) {
    classifier.classifyMany(texts.slice(start, start + chunkSize)).forEach((result, i) => {
      predicted[start + i] = classOf.get(result.label) ?? -1;
    });
  }
  return predicted;
}

/**
 * A function building the probabilities record of `labels` from values[at], values[at + 1], ...:
 * each record is a copy of one template object (one hidden class, own enumerable data properties
 * in label order) filled in place, about twice as fast as adding the keys one by one.
 */
function labelProbabilitiesMaker(labels: readonly string[]): (values: Float32Array, at: number) => LabelProbabilities {
  // Own data properties even for labels such as '__proto__' (an assignment would set the prototype).
  const template: LabelProbabilities = Object.fromEntries(labels.map((label) => [label, 0]));
  return (values, at) => {
    const out = { ...template };
    for (let i = 0; i < labels.length; i++) out[labels[i]] = values[at + i];
    return out;
  };
}

/** Index of the largest of values[at .. at + count - 1] (the first on ties). */
function argmaxAt(values: Float32Array, at: number, count: number): number {
  let best = 0;
  for (let i = 1; i < count; i++) if (values[at + i] > values[at + best]) best = i;
  return best;
}
