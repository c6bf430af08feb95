import { classifyInChunks, yieldWithSetImmediate } from '../../core/chunkedClassify';
import { CommentBlock, extractComments, isSupportedLanguage, looksLikeCode } from '../../core/comments';
import { CommentTone, commentKey, commentTone } from '../../core/commentTone';
import { LineIndex } from '../../core/lineIndex';
import { negativeLabelOf } from '../../core/scoring';
import type { ModelService } from '../modelService';

/** A text to check: a document's text with its language, or a file read from disk. */
export interface ToneInput {
  readonly uri: string;
  readonly text: string;
  readonly languageId: string;
  /** URI scheme: 'comment' (comment widget input) and 'vscode-scm' (commit message) are read as prose. */
  readonly scheme: string;
}

/** One comment of a checked text and its tone. */
export interface ToneFinding {
  readonly block: CommentBlock;
  /** Key of the comment's text (core commentKey), for ignoring it. */
  readonly key: string;
  readonly tone: CommentTone;
}

/** The result of checking one text. */
export interface ToneReport {
  readonly uri: string;
  readonly languageId: string;
  readonly model: string;
  readonly findings: readonly ToneFinding[];
  /** Offsets to positions in the checked text. */
  readonly lines: LineIndex;
  /** Longest synchronous stretch (ms): comment extraction or one classification chunk. */
  readonly longestBlockMs: number;
  readonly extractMs: number;
  readonly totalMs: number;
}

/** Comments whose tone is computed between two event-loop turns. */
const TONE_SLICE = 100;

/** URI schemes of review-comment input boxes that VS Code exposes as text documents. */
export const INPUT_BOX_SCHEMES: ReadonlySet<string> = new Set(['comment', 'vscode-scm']);

/** The language to extract comments with: input boxes are prose whatever their language id. */
export function extractionLanguage(input: Pick<ToneInput, 'languageId' | 'scheme'>): string | undefined {
  if (INPUT_BOX_SCHEMES.has(input.scheme)) return 'plaintext';
  return isSupportedLanguage(input.languageId) ? input.languageId : undefined;
}

/**
 * Finds the comments of a text (core extractComments; commented-out code skipped) and classifies
 * them with the comments model in time-boxed chunks, yielding to the event loop between chunks.
 */
export class CommentToneChecker {
  constructor(private readonly models: ModelService) {}

  /** Checks one text; undefined when cancelled. Throws when the model has no negative class. */
  async check(input: ToneInput, isCancelled: () => boolean = () => false): Promise<ToneReport | undefined> {
    const started = performance.now();
    const language = extractionLanguage(input);
    if (!language) throw new Error(`comments of language "${input.languageId}" are not supported`);
    const active = await this.models.get('comments');
    const negative = negativeLabelOf(active.model.labels);
    if (!negative) throw new Error(`the model "${active.name}" has no negative class (labels: ${active.model.labels.join(', ')})`);
    if (isCancelled()) return undefined;
    const extractStart = performance.now();
    const prose = language === 'markdown' || language === 'plaintext';
    const blocks = extractComments(input.text, language).filter((b) => prose || !looksLikeCode(b.text));
    const lines = new LineIndex(input.text);
    const extractMs = performance.now() - extractStart;
    await yieldWithSetImmediate();
    const result = await classifyInChunks(active.classifier, blocks.map((b) => b.text), { isCancelled });
    if (result.cancelled) return undefined;
    const prior = active.classifier.classify('').probabilities;
    // Tones in slices too: a file with thousands of comments would otherwise block here.
    const findings: ToneFinding[] = [];
    let longestToneMs = 0;
    for (let from = 0; from < blocks.length; from += TONE_SLICE) {
      const sliceStart = performance.now();
      for (let i = from; i < Math.min(from + TONE_SLICE, blocks.length); i++) {
        findings.push({ block: blocks[i], key: commentKey(blocks[i].text), tone: commentTone(blocks[i], result.classifications[i], negative, prior) });
      }
      longestToneMs = Math.max(longestToneMs, performance.now() - sliceStart);
      if (isCancelled()) return undefined;
      await yieldWithSetImmediate();
    }
    return {
      uri: input.uri,
      languageId: input.languageId,
      model: active.name,
      findings,
      lines,
      longestBlockMs: Math.max(extractMs, result.longestBlockMs, longestToneMs),
      extractMs,
      totalMs: performance.now() - started,
    };
  }
}
