/**
 * The comment check shared by the editor and `sentiment-lens check`: the comments of a document are
 * split into sentences, every sentence is classified by each model (a tone model for negative tone,
 * a harshness model for harsh language) in time-boxed chunks, and each sentence gets, per kind, its
 * probability and the words that raised it. Findings are the sentences at or above a threshold.
 * Pure TypeScript over the core, no VS Code.
 */
import { ChunkOptions, classifyInChunks, yieldWithSetImmediate } from '../classify/chunkedClassify';
import type { Classification, Classifier, LabelProbabilities } from '../classify/classifier';
import { extractComments } from './index';
import { looksLikeCode } from './looksLikeCode';
import type { CommentBlock } from './types';
import { FINDING_KINDS, FindingKind } from './checkSettings';
import { OffsetRange, ToneContributor, blockRangeToDocument, commentKey } from './commentTone';
import { HARSH_LABEL } from '../classify/labels';
import { negativeLabelOf, topNegativeContributors } from '../classify/scoring';
import { SentenceRange, splitSentences } from '../text/sentences';

/** A model ready to check one kind: its classifier and the class whose probability is the signal. */
export interface CheckModel {
  readonly classifier: Classifier;
  /** The class whose probability a finding reports ('harsh', 'negative'...). */
  readonly label: string;
}

/** What each kind is: its diagnostic code (and SARIF rule id), its title, and how to find its class. */
export interface FindingKindInfo {
  readonly kind: FindingKind;
  /** Diagnostic code and SARIF rule id. */
  readonly code: string;
  /** Starts a finding's message: "Harsh", "Negative tone". */
  readonly title: string;
  /** One line for rule listings (SARIF). */
  readonly description: string;
  /** The class of a model's labels that this kind reports, or undefined when the model has none. */
  labelOf(labels: readonly string[]): string | undefined;
}

/** The kinds of finding. */
export const FINDING_KIND_INFO: Readonly<Record<FindingKind, FindingKindInfo>> = Object.freeze({
  harsh: Object.freeze({
    kind: 'harsh',
    code: 'harsh',
    title: 'Harsh',
    description:
      'A sentence of a comment reads as harsh: insults, profanity, mocking, impatience, identity attacks or threats.',
    labelOf: (labels: readonly string[]) => (labels.includes(HARSH_LABEL) ? HARSH_LABEL : undefined),
  }),
  negative: Object.freeze({
    kind: 'negative',
    code: 'negative-tone',
    title: 'Negative tone',
    description: 'A sentence of a comment has a negative tone.',
    labelOf: negativeLabelOf,
  }),
});

/**
 * A word is named as having pushed a sentence only when it raised the probability by at least this
 * much, and by at least CONTRIBUTOR_SHARE of the largest rise in that sentence: small rises of
 * neutral words ("cached") are noise of the trajectory, not reasons.
 */
export const MIN_CONTRIBUTOR_INCREASE = 0.05;
/** See MIN_CONTRIBUTOR_INCREASE. */
export const CONTRIBUTOR_SHARE = 1 / 3;
/** At most this many words are named per finding. */
export const MAX_CONTRIBUTORS = 3;

/**
 * Function words are never named: a recurrent model's probability can rise on "a" or "the" as it
 * reads on from a harsh word, but they are not what a writer would change. Negations ("not", "no")
 * are not in the list: they change meaning.
 */
export const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'a',
  'an',
  'the',
  'this',
  'that',
  'these',
  'those',
  'it',
  'its',
  'is',
  'are',
  'was',
  'were',
  'be',
  'been',
  'am',
  'i',
  'you',
  'he',
  'she',
  'we',
  'they',
  'me',
  'him',
  'her',
  'us',
  'them',
  'my',
  'your',
  'our',
  'their',
  'of',
  'to',
  'in',
  'on',
  'at',
  'by',
  'for',
  'with',
  'from',
  'as',
  'into',
  'and',
  'or',
  'but',
  'so',
  'if',
  'then',
  'do',
  'does',
  'did',
  'have',
  'has',
  'had',
  'will',
  'would',
  'can',
  'could',
  'should',
  'there',
  'here',
]);

/** One kind's result for a sentence. */
export interface SignalScore {
  /** Probability of the kind's class after the whole sentence. */
  readonly probability: number;
  /** The words that raised it most (document ranges), largest rise first; possibly none. */
  readonly contributors: readonly ToneContributor[];
}

/** One sentence of a comment with its scores. */
export interface CheckedSentence {
  /** Index of its comment in CommentCheck.blocks. */
  readonly blockIndex: number;
  /** Key of the whole comment's text (commentKey), for ignoring the comment. */
  readonly commentKey: string;
  /** Range [start, end) in the comment's text. */
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** Document range of the sentence: first to last character. */
  readonly range: OffsetRange;
  /** Scores of the kinds whose model was given. */
  readonly scores: Readonly<Partial<Record<FindingKind, SignalScore>>>;
}

/** The result of checking one document. */
export interface CommentCheck {
  readonly blocks: readonly CommentBlock[];
  /** Every sentence of every comment, in document order. */
  readonly sentences: readonly CheckedSentence[];
  /** The kinds that were checked (those with a model). */
  readonly kinds: readonly FindingKind[];
  /** Longest synchronous stretch (ms): extraction, one classification chunk or one slice of scoring. */
  readonly longestBlockMs: number;
  readonly extractMs: number;
  readonly totalMs: number;
}

/** A sentence at or above the threshold of a kind. */
export interface Finding {
  readonly kind: FindingKind;
  readonly sentence: CheckedSentence;
  readonly probability: number;
  readonly threshold: number;
  readonly contributors: readonly ToneContributor[];
}

/** Options of checkComments. */
export interface CheckOptions {
  /** Checked between chunks; when it returns true the check stops and returns undefined. */
  readonly isCancelled?: () => boolean;
  /** Gives the event loop a turn between chunks; default setImmediate. */
  readonly yieldToEventLoop?: () => Promise<void>;
  /** Budget of one classification chunk (ms); see classifyInChunks. */
  readonly budgetMs?: number;
}

/** Sentences whose scores are computed between two event-loop turns. */
const SCORE_SLICE = 100;
/** Comments split into sentences between two event-loop turns. */
const SENTENCE_SLICE = 250;

const PROSE_LANGUAGES: ReadonlySet<string> = new Set(['markdown', 'plaintext']);

/**
 * The comments of a document worth checking: core extractComments, minus commented-out code (in
 * Markdown and plain text every paragraph is prose and kept).
 * @param languageId a language extractComments supports (see SUPPORTED_LANGUAGES).
 */
export function checkableBlocks(text: string, languageId: string): CommentBlock[] {
  const blocks = extractComments(text, languageId);
  return PROSE_LANGUAGES.has(languageId) ? blocks : blocks.filter((b) => !looksLikeCode(b.text));
}

/**
 * A line that starts a new unit even without a full stop before it: an upper-case letter, a list
 * bullet, a numbered item, a doc tag (`@param`) or a label such as "nit:", "TODO:", "Note:".
 */
const UNIT_START = /^(?:\p{Lu}|[-*+\u2022]\s|\d+[.)]\s|@\w|\p{L}+:\s)/u;

/**
 * The sentences of a comment's text, as ranges [start, end) of `block.text`: core splitSentences,
 * then also split at a line break whose next line starts a new unit (see UNIT_START). Comments often
 * have one remark per line without a full stop ("Please rename this variable" over "nit: typo"),
 * and adjacent line comments are one block. A hard-wrapped line that starts with a capital (a name,
 * "I") is split too: an accepted approximation.
 */
export function commentSentences(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  for (const sentence of splitSentences(text)) {
    let from = sentence.start;
    for (
      let newline = text.indexOf('\n', from);
      newline >= 0 && newline < sentence.end;
      newline = text.indexOf('\n', newline + 1)
    ) {
      let next = newline + 1;
      while (next < sentence.end && (text[next] === ' ' || text[next] === '\t')) next++;
      if (!UNIT_START.test(text.slice(next, Math.min(sentence.end, next + 64)))) continue;
      pushTrimmed(text, from, newline, ranges);
      from = next;
    }
    pushTrimmed(text, from, sentence.end, ranges);
  }
  return ranges;
}

function pushTrimmed(text: string, from: number, to: number, out: SentenceRange[]): void {
  while (from < to && /\s/.test(text[from])) from++;
  while (to > from && /\s/.test(text[to - 1])) to--;
  if (from < to) out.push({ start: from, end: to });
}

/**
 * One kind's score of a sentence from its classification (of exactly the sentence's text):
 * the probability of `label`, and the words with the largest rises of it along the trajectory
 * (from `prior`, the model's probabilities for the empty text), function words left out, filtered
 * by MIN_CONTRIBUTOR_INCREASE and CONTRIBUTOR_SHARE, at most MAX_CONTRIBUTORS, mapped to document ranges.
 * @param sentenceStart offset of the sentence in `block.text`.
 */
export function sentenceScore(
  block: CommentBlock,
  sentenceStart: number,
  classification: Classification,
  label: string,
  prior?: LabelProbabilities,
): SignalScore {
  const top = topNegativeContributors(classification, label, classification.tokens.length, prior).filter(
    (c) => !FUNCTION_WORDS.has(c.token.text.toLowerCase()),
  );
  const largest = top[0]?.increase ?? 0;
  const contributors = top
    .filter((c) => c.increase >= MIN_CONTRIBUTOR_INCREASE && c.increase >= CONTRIBUTOR_SHARE * largest)
    .slice(0, MAX_CONTRIBUTORS)
    .map(({ token, increase }) => {
      const start = sentenceStart + token.start;
      const end = sentenceStart + token.end;
      return { ...blockRangeToDocument(block, start, end), word: block.text.slice(start, end), increase };
    });
  return { probability: classification.probabilities[label] ?? 0, contributors };
}

/**
 * Checks the comments of a document: extraction (one synchronous pass), sentence splitting in slices,
 * then every sentence classified by each given model in time-boxed chunks with event-loop turns
 * between them, then the scores in slices. Returns undefined when cancelled.
 * @param languageId a language extractComments supports.
 * @param models a model per kind to check; kinds without one are not checked.
 */
export async function checkComments(
  text: string,
  languageId: string,
  models: Readonly<Partial<Record<FindingKind, CheckModel>>>,
  options: CheckOptions = {},
): Promise<CommentCheck | undefined> {
  const started = performance.now();
  const isCancelled = options.isCancelled ?? (() => false);
  const yieldToEventLoop = options.yieldToEventLoop ?? yieldWithSetImmediate;
  const kinds = FINDING_KINDS.filter((kind) => models[kind] !== undefined);

  const extractStart = performance.now();
  const blocks = checkableBlocks(text, languageId);
  const extractMs = performance.now() - extractStart;
  let longestBlockMs = extractMs;
  await yieldToEventLoop();

  // Sentences in slices of comments, with turns between them.
  const units: { blockIndex: number; start: number; end: number }[] = [];
  const texts: string[] = [];
  for (let from = 0; from < blocks.length; from += SENTENCE_SLICE) {
    const sliceStart = performance.now();
    for (let blockIndex = from; blockIndex < Math.min(from + SENTENCE_SLICE, blocks.length); blockIndex++) {
      const prose = blocks[blockIndex].text;
      for (const range of commentSentences(prose)) {
        units.push({ blockIndex, start: range.start, end: range.end });
        texts.push(prose.slice(range.start, range.end));
      }
    }
    longestBlockMs = Math.max(longestBlockMs, performance.now() - sliceStart);
    if (isCancelled()) return undefined;
    await yieldToEventLoop();
  }

  const classified = new Map<FindingKind, { classifications: Classification[]; prior: LabelProbabilities }>();
  for (const kind of kinds) {
    const model = models[kind] as CheckModel;
    const chunks: ChunkOptions = { isCancelled, yieldToEventLoop, budgetMs: options.budgetMs };
    const result = await classifyInChunks(model.classifier, texts, chunks);
    if (result.cancelled || isCancelled()) return undefined;
    longestBlockMs = Math.max(longestBlockMs, result.longestBlockMs);
    classified.set(kind, {
      classifications: result.classifications,
      prior: model.classifier.classify('').probabilities,
    });
    await yieldToEventLoop();
  }

  // Scores in slices too: a file with thousands of comments would otherwise block here.
  const sentences: CheckedSentence[] = [];
  const keys = new Map<number, string>();
  for (let from = 0; from < units.length; from += SCORE_SLICE) {
    const sliceStart = performance.now();
    for (let i = from; i < Math.min(from + SCORE_SLICE, units.length); i++) {
      const unit = units[i];
      const block = blocks[unit.blockIndex];
      let key = keys.get(unit.blockIndex);
      if (key === undefined) keys.set(unit.blockIndex, (key = commentKey(block.text)));
      const scores: Partial<Record<FindingKind, SignalScore>> = {};
      for (const kind of kinds) {
        const { classifications, prior } = classified.get(kind)!;
        scores[kind] = sentenceScore(block, unit.start, classifications[i], (models[kind] as CheckModel).label, prior);
      }
      sentences.push({
        blockIndex: unit.blockIndex,
        commentKey: key,
        start: unit.start,
        end: unit.end,
        text: texts[i],
        range: blockRangeToDocument(block, unit.start, unit.end),
        scores,
      });
    }
    longestBlockMs = Math.max(longestBlockMs, performance.now() - sliceStart);
    if (isCancelled()) return undefined;
    if (from + SCORE_SLICE < units.length) await yieldToEventLoop();
  }
  return { blocks, sentences, kinds, longestBlockMs, extractMs, totalMs: performance.now() - started };
}

/**
 * The findings of checked sentences: for every sentence and kind (in FINDING_KINDS order), a finding
 * when its probability is at least the kind's threshold. Kinds without a threshold are not reported.
 * Document order.
 */
export function findingsOf(
  sentences: readonly CheckedSentence[],
  thresholds: Readonly<Partial<Record<FindingKind, number>>>,
): Finding[] {
  const findings: Finding[] = [];
  for (const sentence of sentences) {
    for (const kind of FINDING_KINDS) {
      const score = sentence.scores[kind];
      const threshold = thresholds[kind];
      if (!score || threshold === undefined || !(score.probability >= threshold)) continue;
      findings.push({ kind, sentence, probability: score.probability, threshold, contributors: score.contributors });
    }
  }
  return findings;
}

/** 'Harsh (92%): "crap" and "hell" pushed it most.' / 'Negative tone (85%).' */
export function findingMessage(
  kind: FindingKind,
  probability: number,
  contributors: readonly Pick<ToneContributor, 'word'>[],
): string {
  const percent = Math.round(probability * 100);
  const words = contributors.map((c) => `"${c.word}"`);
  const list = words.length <= 1 ? words.join('') : `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
  const title = FINDING_KIND_INFO[kind].title;
  return words.length > 0 ? `${title} (${percent}%): ${list} pushed it most.` : `${title} (${percent}%).`;
}
