import * as vscode from 'vscode';
import type { ConfigService } from '../config';
import { INPUT_BOX_SCHEMES } from './commentToneChecker';
import type { ToneService } from './toneService';

/**
 * Opt-in live mode (`sentimentLens.comments.live`): rechecks a document's comments as the user
 * types, debounced per document, in the languages of `comments.liveLanguages` (all supported ones
 * when empty), plus the comment-widget and commit-message inputs when `comments.checkInputBoxes`.
 * Staleness is handled by ToneService's generation counter.
 */
export class LiveToneChecker implements vscode.Disposable {
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly tone: ToneService,
    private readonly config: ConfigService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (e.contentChanges.length > 0) this.schedule(e.document, this.config.get().comments.liveDelayMs);
      }),
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.cancel(d.uri);
        // Input boxes come and go; their diagnostics go with them.
        if (INPUT_BOX_SCHEMES.has(d.uri.scheme)) this.tone.diagnostics.delete(d.uri);
      }),
      config.onDidChange('comments', () => this.checkOpenDocuments()),
    );
    this.checkOpenDocuments();
  }

  /** Whether live mode applies to a document under the current settings. */
  appliesTo(document: vscode.TextDocument): boolean {
    const { live, liveLanguages, checkInputBoxes } = this.config.get().comments;
    if (!live || !this.tone.canCheck(document)) return false;
    if (INPUT_BOX_SCHEMES.has(document.uri.scheme)) return checkInputBoxes;
    return liveLanguages.length === 0 || liveLanguages.includes(document.languageId);
  }

  private checkOpenDocuments(): void {
    for (const document of vscode.workspace.textDocuments) {
      if (!this.tone.diagnostics.report(document.uri)) this.schedule(document, 0);
    }
  }

  private schedule(document: vscode.TextDocument, delayMs: number): void {
    if (!this.appliesTo(document)) return;
    this.cancel(document.uri);
    const key = document.uri.toString();
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        if (document.isClosed) return;
        this.tone.checkDocument(document).catch((error) => this.log.error(`live tone check of ${key} failed:`, error));
      }, delayMs),
    );
  }

  private cancel(uri: vscode.Uri): void {
    const timer = this.timers.get(uri.toString());
    if (timer) clearTimeout(timer);
    this.timers.delete(uri.toString());
  }

  dispose(): void {
    this.timers.forEach((t) => clearTimeout(t));
    this.timers.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}
