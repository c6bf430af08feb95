/**
 * Classification with a loaded model: tokens with their character ranges, the probabilities
 * after every token (the per-word trajectory) and the sentence's label, from one forward pass.
 */
import { Architecture, NetworkWeights } from './model/architecture';
import { padBatch } from './batching';
import { predict } from './engine';
import { Token, TokenizerSettings, tokenize } from './tokenizer';
import { Vocabulary } from './vocabulary';
import { argmax } from './training';

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
  readonly weights: NetworkWeights;
  readonly vocabulary: Vocabulary;
  readonly labels: readonly string[];
  readonly tokenizer: TokenizerSettings;
}

/** Texts longer than this many tokens are classified on their first MAX_TOKENS tokens. */
export const MAX_TOKENS = 2000;

/** Classifies texts with a model; batches texts of similar length together. */
export class Classifier {
  constructor(readonly model: ClassifierModel) {}

  /** Classifies one text. */
  classify(text: string): Classification {
    return this.classifyMany([text])[0];
  }

  /**
   * Classifies many texts in batches (order kept). A text without any token gets the model's
   * prior: the output of the zero state.
   */
  classifyMany(texts: readonly string[], batchSize = 128): Classification[] {
    const { arch, vocabulary, labels, tokenizer, weights } = this.model;
    const tokens = texts.map((text) => tokenize(text, tokenizer).slice(0, MAX_TOKENS));
    const ids = tokens.map((list) => vocabulary.encode(list.map((t) => t.text)));
    const results = new Array<Classification>(texts.length);
    const order = ids.map((_, i) => i).sort((a, b) => ids[a].length - ids[b].length);
    const classes = arch.numClasses;
    for (let start = 0; start < order.length; start += batchSize) {
      const members = order.slice(start, start + batchSize);
      const batch = padBatch(members.map((i) => ids[i]));
      const { stepProbabilities, finalProbabilities } = predict(arch, weights, batch);
      members.forEach((index, row) => {
        const final = finalProbabilities.subarray(row * classes, (row + 1) * classes);
        results[index] = {
          label: labels[argmax(final)],
          probabilities: toLabelProbabilities(final, labels),
          tokens: tokens[index].map((token, step) => {
            const offset = (row * batch.timeSteps + step) * classes;
            // An explicit literal (not a spread of `token`): one object shape for every point, much cheaper to build.
            return { text: token.text, start: token.start, end: token.end, id: ids[index][step], probabilities: toLabelProbabilities(stepProbabilities.subarray(offset, offset + classes), labels) };
          }),
        };
      });
    }
    return results;
  }
}

function toLabelProbabilities(values: Float32Array, labels: readonly string[]): LabelProbabilities {
  const out: LabelProbabilities = {};
  labels.forEach((label, i) => (out[label] = values[i]));
  return out;
}
