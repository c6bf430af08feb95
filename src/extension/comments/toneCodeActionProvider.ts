import * as vscode from 'vscode';
import { commandIds } from '../commandIds';
import { DIAGNOSTIC_SOURCE, ToneDiagnostics } from './toneDiagnostics';

/** Title of the trajectory quick fix per kind of finding. */
const TRAJECTORY_TITLES = {
  harsh: 'Show the harshness trajectory of this sentence',
  negative: 'Show the tone trajectory of this sentence',
} as const;

/**
 * Quick fixes on harsh and negative-tone diagnostics: show the sentence's trajectory (highlight its
 * words with the model that flagged it), ignore this comment, ignore the file. A sentence with both
 * findings gets both trajectories but each ignore action once.
 */
export class ToneCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = {
    providedCodeActionKinds: [vscode.CodeActionKind.QuickFix],
  };

  constructor(private readonly diagnostics: ToneDiagnostics) {}

  provideCodeActions(
    document: vscode.TextDocument,
    _range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const trajectories: vscode.CodeAction[] = [];
    const ignores: vscode.CodeAction[] = [];
    const ignoredKeys = new Set<string>();
    const action = (
      title: string,
      command: string,
      args: unknown[],
      diagnostic: vscode.Diagnostic,
    ): vscode.CodeAction => {
      const codeAction = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
      codeAction.diagnostics = [diagnostic];
      codeAction.command = { title, command, arguments: args };
      return codeAction;
    };
    for (const diagnostic of context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
      const finding = this.diagnostics.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      const { commentKey, range } = finding.sentence;
      trajectories.push(
        action(
          TRAJECTORY_TITLES[finding.kind],
          commandIds.showCommentTrajectory,
          [document.uri, commentKey, finding.kind, range.start],
          diagnostic,
        ),
      );
      if (!ignoredKeys.has(commentKey)) {
        ignoredKeys.add(commentKey);
        ignores.push(
          action('Ignore the tone of this comment', commandIds.ignoreComment, [document.uri, commentKey], diagnostic),
        );
      }
    }
    if (ignores.length > 0)
      ignores.push(
        action('Ignore comment tone in this file', commandIds.ignoreFile, [document.uri], ignores[0].diagnostics![0]),
      );
    return [...trajectories, ...ignores];
  }
}
