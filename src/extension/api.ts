import type * as vscode from 'vscode';
import type { Classification } from '../core/classify/classifier';
import type { ModelRole } from './config';
import type { ModelsApi, TrainingApi, TrainingTestHooks } from './training/trainingController';

/**
 * The API `activate` returns: what other extensions and the integration tests get from
 * `vscode.extensions.getExtension('sentiment-lens.sentiment-lens').exports`.
 * Grows member by member; existing members keep their meaning.
 */
export interface SentimentLensApi extends EditorApi {
  /** The extension's version, from its package.json. */
  readonly version: string;
  /**
   * Classifies a text with the model configured for a feature (default 'highlight'; 'comments' is
   * the tone model, 'harshness' the harshness model): label, probabilities and the per-word
   * trajectory with character ranges.
   */
  classify(text: string, feature?: ModelRole): Promise<Classification & { readonly model: string }>;
  /** The training panel: open it (on a file), read what it shows, close it. */
  readonly training: TrainingApi;
  /** Model management without prompts: list, make active, rename, delete, import, export. */
  readonly models: ModelsApi;
  /**
   * Hooks for the extension's own tests and benchmarks, not API: present only when VS Code runs the
   * extension in `ExtensionMode.Test` (its integration suite), undefined otherwise.
   */
  readonly testing?: TestHooks;
}

/** What the integration suite reaches into: the status bar, timings, and the training panel's protocol and worker. */
export interface TestHooks {
  /** The status bar item's text ('' while hidden documents have none). */
  statusBarText(): string;
  /** Timings of the last highlight and comment check. */
  lastTimings(): EditorTimings;
  /** Drive the panel through its message protocol, watch what it posts, kill its worker. */
  readonly training: TrainingTestHooks;
}

/** A highlighted word: its document range, score on the diverging scale, change and colour bucket. */
export interface HighlightedWordInfo {
  readonly range: vscode.Range;
  /** The document text under the range. */
  readonly text: string;
  /** The token as the model saw it. */
  readonly token: string;
  /** Signed score in [-1, 1] after this word: P(positive) − P(negative) for polarity models. */
  readonly score: number;
  /** score minus the score before this word. */
  readonly change: number;
  /** Colour bucket under the current colouring setting: 0 strongly negative, 3 neutral, 6 strongly positive. */
  readonly bucket: number;
  /** The contributed colour id the bucket is painted with. */
  readonly colour: string;
  readonly probabilities: Readonly<Record<string, number>>;
  readonly model: string;
}

/** A highlighted sentence and its annotation. */
export interface HighlightedSentenceInfo {
  readonly range: vscode.Range;
  readonly label: string;
  readonly probability: number;
  readonly score: number;
  /** The annotation text shown after the sentence ('' when annotations are off). */
  readonly annotation: string;
}

/** One comment of a check, summed up over its sentences. */
export interface CommentToneInfo {
  /** Range of the comment's prose in the document. */
  readonly range: vscode.Range;
  /** The prose, markers stripped. */
  readonly text: string;
  readonly kind: string;
  /** The largest negative probability of its sentences. */
  readonly negativeProbability: number;
  /** The largest harsh probability of its sentences (undefined when harsh findings are off). */
  readonly harshProbability?: number;
  /** Some sentence of it is at or above a threshold (harsh or negative tone). */
  readonly flagged: boolean;
  /** Ignored by the user (the comment or its file). */
  readonly ignored: boolean;
  /** The words that pushed its most negative sentence towards negative, largest increase first. */
  readonly words: readonly string[];
}

/** One kind's score of a sentence. */
export interface SentenceSignalInfo {
  readonly probability: number;
  /** At or above the kind's threshold. */
  readonly flagged: boolean;
  /** The words that raised the probability most, largest increase first. */
  readonly words: readonly string[];
}

/** One sentence of a checked comment. */
export interface SentenceToneInfo {
  /** Range of the sentence in the document: the range of its diagnostics. */
  readonly range: vscode.Range;
  readonly text: string;
  /** Index of its comment in CommentCheckInfo.comments. */
  readonly comment: number;
  readonly ignored: boolean;
  readonly negative: SentenceSignalInfo;
  /** Undefined when harsh findings are off. */
  readonly harsh?: SentenceSignalInfo;
}

/** A file's comment check. */
export interface CommentCheckInfo {
  /** The tone model. */
  readonly model: string;
  /** The harshness model, when harsh findings are on. */
  readonly harshModel?: string;
  /** Why harsh findings are off. */
  readonly harshProblem?: string;
  readonly comments: readonly CommentToneInfo[];
  readonly sentences: readonly SentenceToneInfo[];
  readonly longestBlockMs: number;
  readonly totalMs: number;
}

/** Timings of the last editor operations (ms), for tests and benchmarks. */
export interface EditorTimings {
  /** Last highlight: from request to painted decorations, and its longest synchronous block. */
  readonly highlight?: { readonly totalMs: number; readonly longestBlockMs: number };
  /** Last comment check: total time, longest synchronous block (extraction or a classification chunk). */
  readonly commentCheck?: { readonly totalMs: number; readonly longestBlockMs: number; readonly extractMs: number };
}

/** The editor features' part of the API (per-word highlights, comment tone). */
export interface EditorApi {
  /** The current sentiment highlights of a document. */
  getHighlights(uri: vscode.Uri): {
    readonly words: readonly HighlightedWordInfo[];
    readonly sentences: readonly HighlightedSentenceInfo[];
  };
  /** The published Sentiment Lens diagnostics of a document. */
  getDiagnostics(uri: vscode.Uri): readonly vscode.Diagnostic[];
  /** Checks the tone of a document's comments (publishing diagnostics); undefined if it changed meanwhile. */
  checkComments(uri: vscode.Uri): Promise<CommentCheckInfo | undefined>;
  /** The last tone check of a document, with current flagged/ignored states. */
  getCommentCheck(uri: vscode.Uri): CommentCheckInfo | undefined;
  /** The ignored comment keys and file URIs stored in workspaceState. */
  getIgnored(): { readonly comments: readonly string[]; readonly files: readonly string[] };
}
