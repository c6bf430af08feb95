import * as vscode from 'vscode';
import type { CommentCheckInfo, EditorApi } from './api';
import type { ToneService } from './comments/toneService';
import { BUCKET_COLOUR_IDS } from './highlight/highlightDecorations';
import type { Highlighter } from './highlight/highlighter';
import type { StatusBar } from './statusBar';

/** The editor features' API members, over the highlighter, the tone service and the status bar. */
export function createEditorApi(highlighter: Highlighter, tone: ToneService, statusBar: StatusBar): EditorApi {
  const documentOf = (uri: vscode.Uri): vscode.TextDocument | undefined => vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const commentCheck = (uri: vscode.Uri): CommentCheckInfo | undefined => {
    const report = tone.diagnostics.report(uri);
    if (!report) return undefined;
    return {
      model: report.model,
      longestBlockMs: report.longestBlockMs,
      totalMs: report.totalMs,
      comments: tone.diagnostics.placed(uri).map((p) => ({
        range: p.range,
        text: p.finding.block.text,
        kind: p.finding.block.kind,
        negativeProbability: p.finding.tone.negativeProbability,
        flagged: p.flagged,
        ignored: p.ignored,
        words: p.finding.tone.contributors.map((c) => c.word),
      })),
    };
  };
  return {
    getHighlights: (uri) => {
      const document = documentOf(uri);
      if (!document) return { words: [], sentences: [] };
      const words = highlighter.words(document).map(({ range, sentence, index, region }) => {
        const word = sentence.words[index];
        const bucket = highlighter.bucketOf(word);
        return {
          range, text: document.getText(range), token: word.token, score: word.score, change: word.change,
          bucket, colour: BUCKET_COLOUR_IDS[bucket], probabilities: word.probabilities, model: region.model,
        };
      });
      const sentences = highlighter.sentences(document).map(({ range, sentence }) => ({
        range, label: sentence.label, probability: sentence.probability, score: sentence.score,
        annotation: `${sentence.label} ${Math.round(sentence.probability * 100)}%`,
      }));
      return { words, sentences };
    },
    getDiagnostics: (uri) => tone.diagnostics.diagnostics(uri),
    checkComments: async (uri) => {
      const document = documentOf(uri) ?? (await vscode.workspace.openTextDocument(uri));
      const report = await tone.checkDocument(document);
      return report ? commentCheck(uri) : undefined;
    },
    getCommentCheck: commentCheck,
    getIgnored: () => tone.ignores.snapshot(),
    statusBarText: () => statusBar.text,
    lastTimings: () => ({ highlight: highlighter.lastTiming, commentCheck: tone.lastTiming }),
  };
}
