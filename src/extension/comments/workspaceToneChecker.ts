import * as vscode from 'vscode';
import type { ConfigService } from '../config';
import { LanguageLookup } from './languageLookup';
import type { ToneService } from './toneService';

/** What a workspace check found. */
export interface WorkspaceToneSummary {
  readonly files: number;
  readonly comments: number;
  /** Findings (harsh plus negative tone), not ignored. */
  readonly flagged: number;
  readonly harsh: number;
  readonly negative: number;
  readonly flaggedFiles: number;
  readonly skippedLarge: number;
  readonly cancelled: boolean;
  readonly longestBlockMs: number;
}

/**
 * Checks the comments of every file in the workspace whose language the core understands, with a
 * cancellable progress notification. Respects `files.exclude` (findFiles' default excludes), the
 * maximum file size and the maximum number of files; open documents are checked as they are in
 * the editor, other files as they are on disk.
 */
export class WorkspaceToneChecker {
  private readonly languages = new LanguageLookup();

  constructor(
    private readonly tone: ToneService,
    private readonly config: ConfigService,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Runs the check under a progress notification. */
  run(): Thenable<WorkspaceToneSummary> {
    return vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: 'Sentiment Lens: checking the tone of comments',
        cancellable: true,
      },
      (progress, token) => this.check(progress, token),
    );
  }

  private async check(
    progress: vscode.Progress<{ message?: string; increment?: number }>,
    token: vscode.CancellationToken,
  ): Promise<WorkspaceToneSummary> {
    const { maxFileSize, maxWorkspaceFiles } = this.config.get().comments;
    // `undefined` as exclude applies files.exclude (not search.exclude).
    const uris = await vscode.workspace.findFiles('**/*', undefined, maxWorkspaceFiles * 4, token);
    const files = uris
      .map((uri) => ({ uri, languageId: this.languages.languageOf(uri.fsPath) }))
      .filter((f): f is { uri: vscode.Uri; languageId: string } => f.languageId !== undefined)
      .slice(0, maxWorkspaceFiles);
    let comments = 0;
    let harsh = 0;
    let negative = 0;
    let flaggedFiles = 0;
    let skippedLarge = 0;
    let checked = 0;
    let longestBlockMs = 0;
    for (const file of files) {
      if (token.isCancellationRequested) break;
      progress.report({
        message: `${checked + 1}/${files.length} ${vscode.workspace.asRelativePath(file.uri)}`,
        increment: 100 / files.length,
      });
      try {
        const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === file.uri.toString());
        let text: string;
        let languageId = file.languageId;
        if (open) {
          text = open.getText();
          languageId = open.languageId;
        } else {
          const stat = await vscode.workspace.fs.stat(file.uri);
          if (stat.size > maxFileSize) {
            skippedLarge++;
            continue;
          }
          text = new TextDecoder('utf-8').decode(await vscode.workspace.fs.readFile(file.uri));
        }
        if (text.length > maxFileSize) {
          skippedLarge++;
          continue;
        }
        const report = await this.tone.checkText(
          { uri: file.uri.toString(), text, languageId, scheme: file.uri.scheme },
          () => token.isCancellationRequested,
        );
        if (!report) break;
        checked++;
        longestBlockMs = Math.max(longestBlockMs, report.longestBlockMs);
        const placed = this.tone.diagnostics.placed(file.uri).filter((p) => p.flagged && !p.ignored);
        comments += report.check.blocks.length;
        harsh += placed.filter((p) => p.kind === 'harsh').length;
        negative += placed.filter((p) => p.kind === 'negative').length;
        if (placed.length > 0) flaggedFiles++;
      } catch (error) {
        this.log.error(`checking ${file.uri.toString(true)} failed:`, error);
      }
    }
    const summary = {
      files: checked,
      comments,
      flagged: harsh + negative,
      harsh,
      negative,
      flaggedFiles,
      skippedLarge,
      cancelled: token.isCancellationRequested,
      longestBlockMs,
    };
    this.log.info(`workspace tone check: ${JSON.stringify(summary)}`);
    return summary;
  }
}
