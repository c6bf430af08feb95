import * as vscode from 'vscode';
import { reportError } from '../reportError';
import type { ToneReport } from './commentToneChecker';
import type { ToneService } from './toneService';
import type { WorkspaceToneChecker } from './workspaceToneChecker';

/** Checks the tone of the active file's comments (or of the file at `uri`). */
export async function checkCommentsCommand(
  tone: ToneService,
  log: vscode.LogOutputChannel,
  uri?: unknown,
): Promise<ToneReport | undefined> {
  const document =
    uri instanceof vscode.Uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document) {
    void vscode.window.showInformationMessage('Sentiment Lens: open a file to check the tone of its comments.');
    return undefined;
  }
  if (!tone.canCheck(document)) {
    void vscode.window.showInformationMessage(
      `Sentiment Lens: comments in "${document.languageId}" files are not supported yet.`,
    );
    return undefined;
  }
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Sentiment Lens: checking comments' },
      () => tone.checkDocument(document),
    );
  } catch (error) {
    reportError(log, 'checking the tone of comments', error);
    return undefined;
  }
}

/** Checks the tone of the comments of every supported file in the workspace; reports a summary. */
export async function checkWorkspaceCommentsCommand(
  workspace: WorkspaceToneChecker,
  log: vscode.LogOutputChannel,
): Promise<void> {
  try {
    const s = await workspace.run();
    const skipped = s.skippedLarge ? ` ${s.skippedLarge} large file(s) skipped.` : '';
    const verdict =
      s.flagged > 0
        ? `${s.harsh} harsh, ${s.negative} negative in ${s.flaggedFiles} file(s) (see Problems).`
        : 'no harsh or negative sentences.';
    void vscode.window.showInformationMessage(
      `Sentiment Lens: ${s.cancelled ? 'cancelled after ' : ''}${s.files} file(s), ${s.comments} comment(s) checked: ${verdict}${skipped}`,
    );
  } catch (error) {
    reportError(log, 'checking the workspace', error);
  }
}

/** Quick fix: ignores one comment (arguments: uri, comment key). */
export async function ignoreCommentCommand(tone: ToneService, _uri: unknown, key: unknown): Promise<void> {
  if (typeof key === 'string') await tone.ignoreComment(key);
}

/** Ignores every comment of a file (arguments: uri; default the active file). */
export async function ignoreFileCommand(tone: ToneService, uri: unknown): Promise<void> {
  const target = uri instanceof vscode.Uri ? uri : vscode.window.activeTextEditor?.document.uri;
  if (target) await tone.ignoreFile(target);
}

/** Forgets every ignored comment and file of the workspace. */
export async function resetIgnoredCommand(tone: ToneService): Promise<void> {
  const count = await tone.ignores.reset();
  void vscode.window.showInformationMessage(`Sentiment Lens: ${count} ignored comment(s) and file(s) forgotten.`);
}

/**
 * Quick fix: highlights a sentence's words along its trajectory (arguments: uri, comment key, kind
 * 'harsh' | 'negative', the sentence's document offset; without the last two, the whole comment).
 */
export async function showCommentTrajectoryCommand(
  tone: ToneService,
  log: vscode.LogOutputChannel,
  uri: unknown,
  key: unknown,
  kind?: unknown,
  sentenceStart?: unknown,
): Promise<boolean> {
  if (!(uri instanceof vscode.Uri) || typeof key !== 'string') return false;
  try {
    return await tone.showTrajectory(
      uri,
      key,
      kind === 'harsh' ? 'harsh' : 'negative',
      typeof sentenceStart === 'number' ? sentenceStart : undefined,
    );
  } catch (error) {
    reportError(log, 'showing the trajectory', error);
    return false;
  }
}
