import * as vscode from 'vscode';
import { markdownCode, markdownLiteral } from '../../core/text/markdownText';
import { describeAxis, sparkline } from '../../core/classify/scoring';
import type { Highlighter } from './highlighter';
import { trajectoryChartUri } from './trajectoryChart';

const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(2)}`;

/**
 * Hover on a highlighted word: its score and change, the sentence's label and the sentence's whole
 * trajectory as a chart (an SVG image) and a Unicode sparkline.
 */
export class HighlightHoverProvider implements vscode.HoverProvider {
  constructor(private readonly highlighter: Highlighter) {}

  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const placed = this.highlighter.wordAt(document, position);
    if (!placed) return undefined;
    const { sentence, index, region } = placed;
    const word = sentence.words[index];
    const scores = sentence.words.map((w) => w.score);
    const written = document.getText(placed.range);
    // Labels and model names come from model files: escaped, so they cannot add links or markup (and no $(icon) syntax).
    const md = new vscode.MarkdownString(undefined, false);
    md.appendMarkdown(`**Sentiment Lens** · ${markdownCode(region.model)}\n\n`);
    md.appendMarkdown(`${markdownCode(written)} — score **${signed(word.score)}**, change **${signed(word.change)}**`);
    const probabilities = Object.entries(word.probabilities)
      .map(([label, p]) => `${markdownLiteral(label)} ${(p * 100).toFixed(0)}%`)
      .join(' · ');
    md.appendMarkdown(` (after this word: ${probabilities})\n\n`);
    md.appendMarkdown(
      `![Trajectory of the sentence, word ${index + 1} of ${scores.length}](${trajectoryChartUri(
        scores,
        sentence.words.map((w) => w.token),
        index,
      )})\n\n`,
    );
    md.appendMarkdown(
      `\`${sparkline(scores)}\` sentence: **${markdownLiteral(sentence.label)} ${(sentence.probability * 100).toFixed(0)}%** · score = ${describeAxis(sentence.axis)}`,
    );
    md.appendMarkdown(
      ` · colour: ${this.highlighter.colourMode === 'trajectory' ? 'running score' : 'change per word'}`,
    );
    return new vscode.Hover(md, placed.range);
  }
}
