import * as vscode from 'vscode';
import type { CommentCheckInfo, EditorApi, SentenceSignalInfo, SentenceToneInfo, TestHooks } from './api';
import type { FindingKind } from '../core/comments/checkSettings';
import type { CheckedSentence } from '../core/comments/commentCheck';
import type { PlacedFinding } from './comments/toneDiagnostics';
import type { ToneService } from './comments/toneService';
import { BUCKET_COLOUR_IDS } from './highlight/highlightDecorations';
import type { Highlighter } from './highlight/highlighter';
import type { StatusBar } from './statusBar';

/** The editor features' API members, over the highlighter and the tone service. */
export function createEditorApi(highlighter: Highlighter, tone: ToneService): EditorApi {
  const documentOf = (uri: vscode.Uri): vscode.TextDocument | undefined =>
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  const commentCheck = (uri: vscode.Uri): CommentCheckInfo | undefined => {
    const report = tone.diagnostics.report(uri);
    if (!report) return undefined;
    const signal = (p: PlacedFinding): SentenceSignalInfo => ({
      probability: p.score.probability,
      flagged: p.flagged,
      words: p.score.contributors.map((c) => c.word),
    });
    // placed() lists every kind of a sentence; the tone model always checks, so every sentence has its negative entry.
    const bySentence = new Map<CheckedSentence, Partial<Record<FindingKind, PlacedFinding>>>();
    for (const p of tone.diagnostics.placed(uri))
      bySentence.set(p.sentence, { ...bySentence.get(p.sentence), [p.kind]: p });
    const sentences: SentenceToneInfo[] = [];
    for (const [sentence, { harsh, negative }] of bySentence) {
      if (!negative) continue;
      sentences.push({
        range: negative.range,
        text: sentence.text,
        comment: sentence.blockIndex,
        ignored: negative.ignored,
        negative: signal(negative),
        harsh: harsh ? signal(harsh) : undefined,
      });
    }
    const lines = report.lines;
    const comments = report.check.blocks.map((block, index) => {
      const own = sentences.filter((s) => s.comment === index);
      const mostNegative = own.reduce<SentenceToneInfo | undefined>(
        (best, s) => (!best || s.negative.probability > best.negative.probability ? s : best),
        undefined,
      );
      const harshValues = own.flatMap((s) => (s.harsh ? [s.harsh.probability] : []));
      const start = lines.position(block.offsets[0] ?? block.start);
      const end = lines.position(block.offsets.length ? block.offsets[block.offsets.length - 1] + 1 : block.start);
      return {
        range: new vscode.Range(start.line, start.character, end.line, end.character),
        text: block.text,
        kind: block.kind,
        negativeProbability: mostNegative?.negative.probability ?? 0,
        harshProbability: harshValues.length ? harshValues.reduce((a, b) => Math.max(a, b)) : undefined,
        flagged: own.some((s) => s.negative.flagged || s.harsh?.flagged === true),
        ignored: own.some((s) => s.ignored),
        words: mostNegative?.negative.words ?? [],
      };
    });
    return {
      model: report.model,
      harshModel: report.harshModel,
      harshProblem: report.harshProblem,
      longestBlockMs: report.longestBlockMs,
      totalMs: report.totalMs,
      comments,
      sentences,
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
          range,
          text: document.getText(range),
          token: word.token,
          score: word.score,
          change: word.change,
          bucket,
          colour: BUCKET_COLOUR_IDS[bucket],
          probabilities: word.probabilities,
          model: region.model,
        };
      });
      const sentences = highlighter.sentences(document).map(({ range, sentence }) => ({
        range,
        label: sentence.label,
        probability: sentence.probability,
        score: sentence.score,
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
  };
}

/** The editor features' test hooks (ExtensionMode.Test only): the status bar's text and the last timings. */
export function createEditorTestHooks(
  highlighter: Highlighter,
  tone: ToneService,
  statusBar: StatusBar,
): Omit<TestHooks, 'training'> {
  return {
    statusBarText: () => statusBar.text,
    lastTimings: () => ({ highlight: highlighter.lastTiming, commentCheck: tone.lastTiming }),
  };
}
