import * as vscode from 'vscode';
import { commandIds } from './commandIds';
import type { ToneService } from './comments/toneService';
import { markdownCode, markdownLiteral } from '../core/text/markdownText';
import type { ConfigService } from './config';
import type { ModelService } from './modelService';

/**
 * The status bar item: the tone model and the active file's summary (comments checked, how many
 * harsh and negative findings; "harsh off" when the harshness model cannot be used). Shown for documents whose comments can be checked; clicking runs the check.
 */
export class StatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(
    'sentimentLens.status',
    vscode.StatusBarAlignment.Right,
    100,
  );
  private readonly disposables: vscode.Disposable[] = [];

  constructor(
    private readonly models: ModelService,
    private readonly tone: ToneService,
    config: ConfigService,
  ) {
    this.item.name = 'Sentiment Lens';
    this.item.command = commandIds.checkComments;
    this.disposables.push(
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      tone.diagnostics.onDidChange(() => this.update()),
      config.onDidChange('models', () => this.update()),
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
    const count = (kind: string) => placed.filter((p) => p.kind === kind && p.flagged && !p.ignored).length;
    const harsh = count('harsh');
    const negative = count('negative');
    const ignored = placed.filter((p) => p.flagged && p.ignored).length;
    const harshOff = report?.harshProblem !== undefined;
    // Model names come from settings and model files: escaped, so they cannot add links or markup.
    const tooltip = new vscode.MarkdownString(undefined, false);
    tooltip.appendMarkdown(
      `**Sentiment Lens** · tone model ${markdownCode(model)}, harshness model ${markdownCode(report?.harshModel ?? this.models.configuredName('harshness'))}` +
        `${harshOff ? ' (off)' : ''}, highlight model ${markdownCode(this.models.configuredName('highlight'))}\n\n`,
    );
    if (harshOff)
      tooltip.appendMarkdown(
        `Harsh findings are off: ${markdownLiteral(report?.harshProblem ?? '')}. Negative-tone findings continue.\n\n`,
      );
    if (!report) {
      this.item.text = `$(comment) ${shownModel}`;
      tooltip.appendMarkdown("The tone of this file's comments has not been checked. Click to check it.");
    } else {
      const found = [harsh > 0 ? `${harsh} harsh` : undefined, negative > 0 ? `${negative} negative` : undefined]
        .filter(Boolean)
        .join(', ');
      this.item.text = `${found ? `$(comment-unresolved) ${shownModel}: ${found}` : `$(comment) ${shownModel}: tone ok`}${harshOff ? ' (harsh off)' : ''}`;
      const comments = report.check.blocks.length;
      const sentences = report.check.sentences.length;
      tooltip.appendMarkdown(
        `${comments} comment${comments === 1 ? '' : 's'} (${sentences} sentence${sentences === 1 ? '' : 's'}) checked: ` +
          `${harshOff ? '' : `${harsh} harsh, `}${negative} negative${ignored ? `, ${ignored} ignored` : ''}. Click to check again.`,
      );
    }
    this.item.tooltip = tooltip;
    this.item.accessibilityInformation = { label: `Sentiment Lens: ${this.item.text.replace(/\$\([\w-]+\)\s*/g, '')}` };
    this.item.show();
  }

  dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}
