import * as vscode from 'vscode';
import { commandIds } from './commands';
import type { ToneService } from './comments/toneService';
import { markdownCode } from '../core/markdownText';
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
    // A zero-width space after '$' keeps a name such as "$(bug)" from showing as an icon in the item's text.
    const shownModel = model.replace(/\$\(/g, '$\u200b(');
    const placed = this.tone.diagnostics.placed(document.uri);
    const flagged = placed.filter((p) => p.flagged && !p.ignored).length;
    const ignored = placed.filter((p) => p.flagged && p.ignored).length;
    // Model names come from settings and model files: escaped, so they cannot add links or markup.
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.appendMarkdown(`**Sentiment Lens** · comments model ${markdownCode(model)}, highlight model ${markdownCode(this.models.configuredName('highlight'))}\n\n`);
    if (!report) {
      this.item.text = `$(comment) ${shownModel}`;
      tooltip.appendMarkdown('The tone of this file\'s comments has not been checked. Click to check it.');
    } else {
      this.item.text = flagged > 0 ? `$(comment-unresolved) ${shownModel}: ${flagged} negative` : `$(comment) ${shownModel}: tone ok`;
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
