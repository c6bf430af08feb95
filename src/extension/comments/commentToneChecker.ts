import { CheckModel, CommentCheck, FINDING_KIND_INFO, checkComments } from '../../core/comments/commentCheck';
import type { FindingKind } from '../../core/comments/checkSettings';
import { isSupportedLanguage } from '../../core/comments';
import { LineIndex } from '../../core/text/lineIndex';
import type { ActiveModel, ModelService } from '../modelService';

/** A text to check: a document's text with its language, or a file read from disk. */
export interface ToneInput {
  readonly uri: string;
  readonly text: string;
  readonly languageId: string;
  /** URI scheme: 'comment' (comment widget input) and 'vscode-scm' (commit message) are read as prose. */
  readonly scheme: string;
}

/** The result of checking one text. */
export interface ToneReport {
  readonly uri: string;
  readonly languageId: string;
  /** The tone model (negative-tone findings). */
  readonly model: string;
  /** The harshness model, when harsh findings are on. */
  readonly harshModel?: string;
  /** Why harsh findings are off for this check (the harshness model is missing, broken or has no class `harsh`). */
  readonly harshProblem?: string;
  /** Comments, sentences and their scores (core checkComments). */
  readonly check: CommentCheck;
  /** Offsets to positions in the checked text. */
  readonly lines: LineIndex;
  /** Longest synchronous stretch (ms): comment extraction, one classification chunk or one scoring slice. */
  readonly longestBlockMs: number;
  readonly extractMs: number;
  readonly totalMs: number;
}

/** URI schemes of review-comment input boxes that VS Code exposes as text documents. */
export const INPUT_BOX_SCHEMES: ReadonlySet<string> = new Set(['comment', 'vscode-scm']);

/** The language to extract comments with: input boxes are prose whatever their language id. */
export function extractionLanguage(input: Pick<ToneInput, 'languageId' | 'scheme'>): string | undefined {
  if (INPUT_BOX_SCHEMES.has(input.scheme)) return 'plaintext';
  return isSupportedLanguage(input.languageId) ? input.languageId : undefined;
}

/**
 * Checks the comments of a text sentence by sentence with the tone model and the harshness model
 * (core checkComments: time-boxed chunks, event-loop turns between them). When the harshness model
 * cannot be used, the check goes on without harsh findings and says why in the report.
 */
export class CommentToneChecker {
  constructor(private readonly models: ModelService) {}

  /** Checks one text; undefined when cancelled. Throws when the tone model has no negative class. */
  async check(input: ToneInput, isCancelled: () => boolean = () => false): Promise<ToneReport | undefined> {
    const started = performance.now();
    const language = extractionLanguage(input);
    if (!language) throw new Error(`comments of language "${input.languageId}" are not supported`);
    const tone = await this.models.get('comments');
    const negative = FINDING_KIND_INFO.negative.labelOf(tone.model.labels);
    if (!negative)
      throw new Error(`the model "${tone.name}" has no negative class (labels: ${tone.model.labels.join(', ')})`);
    const models: Partial<Record<FindingKind, CheckModel>> = {
      negative: { classifier: tone.classifier, label: negative },
    };
    const harsh = await this.harshModel();
    if ('model' in harsh) models.harsh = harsh.model;
    if (isCancelled()) return undefined;
    const check = await checkComments(input.text, language, models, { isCancelled });
    if (!check) return undefined;
    return {
      uri: input.uri,
      languageId: input.languageId,
      model: tone.name,
      harshModel: 'name' in harsh ? harsh.name : undefined,
      harshProblem: 'problem' in harsh ? harsh.problem : undefined,
      check,
      lines: new LineIndex(input.text),
      longestBlockMs: check.longestBlockMs,
      extractMs: check.extractMs,
      totalMs: performance.now() - started,
    };
  }

  /** The harshness model ready to check, or why it cannot be used. */
  private async harshModel(): Promise<{ name: string; model: CheckModel } | { problem: string }> {
    let active: ActiveModel;
    try {
      active = await this.models.get('harshness');
    } catch (error) {
      return {
        problem: `the harshness model "${this.models.configuredName('harshness')}" cannot be used: ${(error as Error).message}`,
      };
    }
    const label = FINDING_KIND_INFO.harsh.labelOf(active.model.labels);
    if (!label)
      return {
        problem: `the harshness model "${active.name}" has no class "harsh" (labels: ${active.model.labels.join(', ')})`,
      };
    return { name: active.name, model: { classifier: active.classifier, label } };
  }
}
