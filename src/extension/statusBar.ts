import * as vscode from 'vscode';
import { commandIds } from './commands';
import type { ToneService } from './comments/toneService';
import type { ModelService } from './modelService';

/**
 * The status bar item: the comments model and the active file's tone summary (comments checked,
 * how many flagged). Shown for documents whose comments can be checked; clicking runs the check.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('sentimentLens.status', vscode.StatusBarAlignment.Right, 100);
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly models: ModelService,
    private readonly tone: ToneService,
  ) {
    this.item.name = 'Sentiment Lens';
    this.item.command = commandIds.checkComments;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      tone.diagnostics.onDidChange(() => this.update()),
      vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('sentimentLens') && this.update()),
    );
    this.update();
  }

  /** The text the item shows now (for tests). */
  get text(): string {
    return this.item.text;
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || !this.tone.canCheck(document)) {
      this.item.hide();
      return;
    }
    const report = this.tone.diagnostics.report(document.uri);
    const model = report?.model ?? this.models.configuredName('comments');
    const placed = this.tone.diagnostics.placed(document.uri);
    const flagged = placed.filter((p) => p.flagged && !p.ignored).length;
    const ignored = placed.filter((p) => p.flagged && p.ignored).length;
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**Sentiment Lens** · comments model \`${model}\`, highlight model \`${this.models.configuredName('highlight')}\`\n\n`);
    if (!report) {
      this.item.text = `$(comment) ${model}`;
      tooltip.appendMarkdown('The tone of this file\'s comments has not been checked. Click to check it.');
    } else {
      this.item.text = flagged > 0 ? `$(comment-unresolved) ${model}: ${flagged} negative` : `$(comment) ${model}: tone ok`;
      tooltip.appendMarkdown(`${placed.length} comment${placed.length === 1 ? '' : 's'} checked: ${flagged} negative` +
        `${ignored ? `, ${ignored} ignored` : ''}. Click to check again.`);
    }
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Sentiment Lens: ${this.item.text.replace(/\$\([\w-]+\)\s*/g, '')}` };
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
