import * as vscode from 'vscode';
import { commandIds } from '../commands';
import { DIAGNOSTIC_SOURCE, ToneDiagnostics } from './toneDiagnostics';

/**
 * Quick fixes on negative-tone diagnostics: show the comment's trajectory (highlight its words),
 * ignore this comment, ignore the file.
 */
export class ToneCodeActionProvider implements vscode.CodeActionProvider {
  static readonly metadata: vscode.CodeActionProviderMetadata = { providedCodeActionKinds: [vscode.CodeActionKind.QuickFix] };

  constructor(private readonly diagnostics: ToneDiagnostics) {}

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics.filter((d) => d.source === DIAGNOSTIC_SOURCE)) {
      const finding = this.diagnostics.findingFor(document.uri, diagnostic);
      if (!finding) continue;
      const action = (title: string, command: string, args: unknown[]): vscode.CodeAction => {
        const codeAction = new vscode.CodeAction(title, vscode.CodeActionKind.QuickFix);
        codeAction.diagnostics = [diagnostic];
        codeAction.command = { title, command, arguments: args };
        return codeAction;
      };
      actions.push(
        action('Show the tone trajectory of this comment', commandIds.showCommentTrajectory, [document.uri, finding.key]),
        action('Ignore the tone of this comment', commandIds.ignoreComment, [document.uri, finding.key]),
        action('Ignore comment tone in this file', commandIds.ignoreFile, [document.uri]),
      );
    }
    return actions;
  }
}
