import * as vscode from 'vscode';
import type { Highlighter } from '../highlight/highlighter';
import type { FindingKind } from '../../core/comments/checkSettings';
import type { ConfigService } from '../config';
import type { ModelService } from '../modelService';
import { CommentToneChecker, ToneInput, ToneReport, extractionLanguage } from './commentToneChecker';
import { IgnoreStore } from './ignoreStore';
import { ToneCodeActionProvider } from './toneCodeActionProvider';
import { ToneDiagnostics } from './toneDiagnostics';

/**
 * The tone of comments: checks documents and texts (one generation counter per file, so a result
 * for an older version is dropped), publishes diagnostics, owns the ignore lists and the quick
 * fixes, and shows a comment's trajectory through the highlighter.
 */
export class ToneService implements vscode.Disposable {
  readonly ignores: IgnoreStore;
  readonly diagnostics: ToneDiagnostics;
  private readonly checker: CommentToneChecker;
  private readonly generations = new Map<string, number>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Problems of the harshness model already logged: once each, not on every check as the user types. */
  private readonly loggedProblems = new Set<string>();
  /** Timings of the last finished check (ms). */
  lastTiming: { totalMs: number; longestBlockMs: number; extractMs: number } | undefined;

  constructor(
    models: ModelService,
    config: ConfigService,
    workspaceState: vscode.Memento,
    private readonly highlighter: Highlighter,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.checker = new CommentToneChecker(models);
    this.ignores = new IgnoreStore(workspaceState);
    this.diagnostics = new ToneDiagnostics(this.ignores, config);
    this.disposables.push(
      this.ignores,
      this.diagnostics,
      vscode.languages.registerCodeActionsProvider(
        { scheme: '*' },
        new ToneCodeActionProvider(this.diagnostics),
        ToneCodeActionProvider.metadata,
      ),
    );
  }

  /** Whether a document's comments can be checked (supported language, or a review input box). */
  canCheck(document: vscode.TextDocument): boolean {
    return extractionLanguage({ languageId: document.languageId, scheme: document.uri.scheme }) !== undefined;
  }

  /**
   * Checks a document's comments and publishes the diagnostics. Returns undefined when the document
   * changed or a newer check started before this one finished (its result is dropped, not shown).
   */
  async checkDocument(document: vscode.TextDocument): Promise<ToneReport | undefined> {
    const version = document.version;
    return this.checkText(
      {
        uri: document.uri.toString(),
        text: document.getText(),
        languageId: document.languageId,
        scheme: document.uri.scheme,
      },
      () => document.version !== version,
    );
  }

  /** Checks a text (a document's or a file's from disk) and publishes its diagnostics unless stale or cancelled. */
  async checkText(input: ToneInput, isCancelled: () => boolean = () => false): Promise<ToneReport | undefined> {
    const generation = (this.generations.get(input.uri) ?? 0) + 1;
    this.generations.set(input.uri, generation);
    const stale = (): boolean => isCancelled() || this.generations.get(input.uri) !== generation;
    const report = await this.checker.check(input, stale);
    if (!report || stale()) return undefined;
    if (report.harshProblem && !this.loggedProblems.has(report.harshProblem)) {
      this.loggedProblems.add(report.harshProblem);
      this.log.warn(`harsh findings are off; negative-tone findings continue: ${report.harshProblem}`);
    }
    this.diagnostics.set(report);
    this.lastTiming = { totalMs: report.totalMs, longestBlockMs: report.longestBlockMs, extractMs: report.extractMs };
    this.log.debug(
      `checked ${report.check.sentences.length} sentences of ${report.check.blocks.length} comments of ${input.uri} in ${report.totalMs.toFixed(0)} ms (longest block ${report.longestBlockMs.toFixed(1)} ms)`,
    );
    return report;
  }

  /** Ignores one comment (by the key of its text) from now on, in this workspace. */
  async ignoreComment(key: string): Promise<void> {
    await this.ignores.ignoreComment(key);
  }

  /** Ignores every comment of a file from now on, in this workspace. */
  async ignoreFile(uri: vscode.Uri): Promise<void> {
    await this.ignores.ignoreFile(uri);
  }

  /**
   * Highlights the words of a checked sentence in its editor, coloured along its trajectory under the
   * model of `kind` (harshness or tone). Without `sentenceStart` (the sentence's document offset), the
   * whole comment with the tone model.
   */
  async showTrajectory(
    uri: vscode.Uri,
    key: string,
    kind: FindingKind = 'negative',
    sentenceStart?: number,
  ): Promise<boolean> {
    const report = this.diagnostics.report(uri);
    const sentence = report?.check.sentences.find(
      (s) => s.commentKey === key && (sentenceStart === undefined || s.range.start === sentenceStart),
    );
    if (!report || !sentence) return false;
    const block = report.check.blocks[sentence.blockIndex];
    const editor = await vscode.window.showTextDocument(uri, { preserveFocus: true, preview: false });
    const span =
      sentenceStart === undefined ? { start: 0, end: block.text.length } : { start: sentence.start, end: sentence.end };
    await this.highlighter.highlightComment(editor.document, block, span, kind === 'harsh' ? 'harshness' : 'comments');
    return true;
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
