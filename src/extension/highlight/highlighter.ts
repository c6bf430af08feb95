import * as vscode from 'vscode';
import type { CommentBlock } from '../../core/comments';
import { HighlightSentence, colourValue, highlightTextInChunks } from '../../core/classify/highlightData';
import { applyChanges, EditableRegion, Span } from '../../core/classify/regionEdits';
import { colourBucket } from '../../core/classify/scoring';
import type { ConfigService, ModelRole, SentimentLensConfig } from '../config';
import type { ModelService } from '../modelService';
import { ANNOTATION_COLOUR_IDS, HighlightDecorations } from './highlightDecorations';

/**
 * A highlighted stretch of a document. `start`/`end` are document offsets; the sentences' and
 * words' offsets are relative to `start`, so an edit before the region only moves `start`/`end`.
 */
export interface HighlightRegion extends EditableRegion {
  readonly model: string;
  readonly sentences: readonly HighlightSentence[];
}

/** What the hover and the API see of one highlighted word. */
export interface PlacedWord {
  readonly range: vscode.Range;
  readonly region: HighlightRegion;
  readonly sentence: HighlightSentence;
  readonly index: number;
}

/** Per-document state: the regions shown, the regions waiting to be recomputed, the generation. */
interface DocumentHighlights {
  regions: HighlightRegion[];
  /** Selection regions whose text changed, as document offsets; recomputed after the debounce. */
  pending: Span[];
  /** Bumped by every edit and every new request; a result computed for an older generation is dropped. */
  generation: number;
  timer?: ReturnType<typeof setTimeout>;
}

const RECOMPUTE_DELAY_MS = 350;

/**
 * Per-word sentiment decorations. Highlights selections (sentence by sentence) or a comment (as one
 * unit), paints them in every visible editor of the document, moves them with edits before them,
 * and recomputes a selection region when its text changes (debounced; generation-checked so a stale
 * result is never painted). Comment regions are cleared when their text changes.
 */
export class Highlighter implements vscode.Disposable {
  private readonly documents = new Map<string, DocumentHighlights>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly decorations: HighlightDecorations;
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires after the highlights of a document were painted or cleared. */
  readonly onDidChange = this.changed.event;
  /** Time (ms) of the last highlight request from command to painted decorations, and its longest block. */
  lastTiming: { totalMs: number; longestBlockMs: number } | undefined;

  constructor(
    private readonly models: ModelService,
    private readonly config: ConfigService,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.decorations = new HighlightDecorations(this.settings.style);
    this.disposables.push(
      this.decorations,
      this.changed,
      vscode.workspace.onDidChangeTextDocument((e) => this.onEdit(e)),
      vscode.workspace.onDidCloseTextDocument((d) => this.forget(d.uri)),
      vscode.window.onDidChangeVisibleTextEditors(() => this.documents.forEach((_, key) => this.paintKey(key))),
      vscode.window.onDidChangeActiveColorTheme(() => this.restyle()),
      config.onDidChange('highlight', () => this.restyle()),
    );
  }

  /** The highlight settings now. */
  private get settings(): SentimentLensConfig['highlight'] {
    return this.config.get().highlight;
  }

  /**
   * Highlights the given ranges of an editor's document (each classified sentence by sentence),
   * replacing highlights they overlap. Returns the number of words highlighted.
   */
  async highlightRanges(editor: vscode.TextEditor, ranges: readonly vscode.Range[]): Promise<number> {
    const document = editor.document;
    const started = performance.now();
    const state = this.stateFor(document.uri);
    const generation = ++state.generation;
    const active = await this.models.get('highlight');
    if (state.generation !== generation) return 0; // an edit or a newer request came in meanwhile
    let longestBlockMs = 0;
    const regions: HighlightRegion[] = [];
    const version = document.version;
    for (const range of ranges) {
      const start = document.offsetAt(range.start);
      const text = document.getText(range);
      const result = await highlightTextInChunks(
        active.classifier,
        text,
        { mode: this.settings.colorBy },
        {
          isCancelled: () => state.generation !== generation,
        },
      );
      if (!result || state.generation !== generation || document.version !== version) return 0;
      longestBlockMs = Math.max(longestBlockMs, result.longestBlockMs);
      regions.push({
        start,
        end: start + text.length,
        kind: 'selection',
        model: active.name,
        sentences: result.sentences,
      });
    }
    this.replaceRegions(state, regions);
    this.paint(document.uri);
    this.lastTiming = { totalMs: performance.now() - started, longestBlockMs };
    this.log.debug(
      `highlighted ${regions.length} range(s) of ${document.uri.toString(true)} in ${this.lastTiming.totalMs.toFixed(1)} ms`,
    );
    return regions.reduce((n, r) => n + r.sentences.reduce((m, s) => m + s.words.length, 0), 0);
  }

  /**
   * Highlights a stretch of a comment's prose as a single unit (its whole trajectory, as the comment
   * check classified it: one sentence, or by default the whole comment) with the model of `role`,
   * mapping words through the comment's offset map.
   * @param span range [start, end) of `block.text`.
   */
  async highlightComment(
    document: vscode.TextDocument,
    block: CommentBlock,
    span = { start: 0, end: block.text.length },
    role: ModelRole = 'comments',
  ): Promise<void> {
    const state = this.stateFor(document.uri);
    const generation = ++state.generation;
    const version = document.version;
    const active = await this.models.get(role);
    const result = await highlightTextInChunks(active.classifier, block.text.slice(span.start, span.end), {
      mode: this.settings.colorBy,
      wholeText: true,
    });
    if (!result || state.generation !== generation || document.version !== version || result.sentences.length === 0)
      return;
    const at = (i: number): number => block.offsets[Math.min(span.start + i, block.offsets.length - 1)];
    const start = at(0);
    const end = at(span.end - span.start - 1) + 1;
    const sentences = result.sentences.map((s) => ({
      ...s,
      start: at(s.start) - start,
      end: at(s.end - 1) + 1 - start,
      words: s.words.map((w) => ({ ...w, start: at(w.start) - start, end: at(w.end - 1) + 1 - start })),
    }));
    this.replaceRegions(state, [{ start, end, kind: 'comment', model: active.name, sentences }]);
    this.paint(document.uri);
  }

  /** Removes every highlight of a document. */
  clear(uri: vscode.Uri): void {
    const state = this.documents.get(uri.toString());
    if (!state) return;
    state.generation++;
    state.regions = [];
    state.pending = [];
    if (state.timer) clearTimeout(state.timer);
    this.paint(uri);
  }

  /** The highlighted words of a document in document order (regions waiting for recompute excluded). */
  words(document: vscode.TextDocument): PlacedWord[] {
    const state = this.documents.get(document.uri.toString());
    if (!state) return [];
    const out: PlacedWord[] = [];
    for (const region of state.regions) {
      for (const sentence of region.sentences) {
        sentence.words.forEach((word, index) => {
          const range = new vscode.Range(
            document.positionAt(region.start + word.start),
            document.positionAt(region.start + word.end),
          );
          out.push({ range, region, sentence, index });
        });
      }
    }
    return out;
  }

  /** The word at a position, if highlighted. */
  wordAt(document: vscode.TextDocument, position: vscode.Position): PlacedWord | undefined {
    return this.words(document).find((w) => w.range.contains(position) && !w.range.isEmpty);
  }

  /** The sentences of a document's highlights, with their document ranges. */
  sentences(document: vscode.TextDocument): { range: vscode.Range; sentence: HighlightSentence; model: string }[] {
    const state = this.documents.get(document.uri.toString());
    if (!state) return [];
    return state.regions.flatMap((region) =>
      region.sentences.map((sentence) => ({
        range: new vscode.Range(
          document.positionAt(region.start + sentence.start),
          document.positionAt(region.start + sentence.end),
        ),
        sentence,
        model: region.model,
      })),
    );
  }

  /** The colour bucket of a word under the current colouring setting. */
  bucketOf(word: { score: number; change: number }): number {
    return colourBucket(colourValue(word, this.settings.colorBy), this.settings.colorBy);
  }

  /** The current colouring mode. */
  get colourMode(): SentimentLensConfig['highlight']['colorBy'] {
    return this.settings.colorBy;
  }

  private stateFor(uri: vscode.Uri): DocumentHighlights {
    const key = uri.toString();
    let state = this.documents.get(key);
    if (!state) {
      state = { regions: [], pending: [], generation: 0 };
      this.documents.set(key, state);
    }
    return state;
  }

  private replaceRegions(state: DocumentHighlights, regions: readonly HighlightRegion[]): void {
    const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean =>
      a.start < b.end && b.start < a.end;
    state.regions = [...state.regions.filter((old) => !regions.some((r) => overlaps(old, r))), ...regions].sort(
      (a, b) => a.start - b.start,
    );
  }

  /** Moves regions after an edit, drops regions whose text changed, and schedules their recompute. */
  private onEdit(event: vscode.TextDocumentChangeEvent): void {
    const state = this.documents.get(event.document.uri.toString());
    if (!state || event.contentChanges.length === 0 || (state.regions.length === 0 && state.pending.length === 0))
      return;
    const changes = event.contentChanges.map((c) => ({
      rangeOffset: c.rangeOffset,
      rangeLength: c.rangeLength,
      textLength: c.text.length,
    }));
    const { regions, pending, touched } = applyChanges(state.regions, state.pending, changes);
    state.regions = regions;
    state.pending = pending;
    state.generation++;
    if (touched || state.pending.length > 0) {
      if (state.timer) clearTimeout(state.timer);
      state.timer = setTimeout(() => void this.recompute(event.document.uri), RECOMPUTE_DELAY_MS);
    }
    this.paint(event.document.uri);
  }

  /** Recomputes the pending regions of a document from its current text, unless it changed again meanwhile. */
  private async recompute(uri: vscode.Uri): Promise<void> {
    const state = this.documents.get(uri.toString());
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!state || !document || state.pending.length === 0) return;
    const generation = state.generation;
    const pending = state.pending;
    try {
      const active = await this.models.get('highlight');
      const regions: HighlightRegion[] = [];
      for (const range of pending) {
        const text = document.getText().slice(range.start, range.end);
        if (!text.trim()) continue;
        const result = await highlightTextInChunks(
          active.classifier,
          text,
          { mode: this.settings.colorBy },
          {
            isCancelled: () => state.generation !== generation,
          },
        );
        if (!result) return;
        regions.push({
          start: range.start,
          end: range.end,
          kind: 'selection',
          model: active.name,
          sentences: result.sentences,
        });
      }
      if (state.generation !== generation) return; // stale: a newer edit scheduled another recompute
      state.pending = [];
      this.replaceRegions(state, regions);
      this.paint(uri);
    } catch (error) {
      this.log.error('recomputing highlights failed', error);
    }
  }

  private restyle(): void {
    this.decorations.rebuild(this.settings.style);
    this.documents.forEach((_, key) => this.paintKey(key));
  }

  private forget(uri: vscode.Uri): void {
    const state = this.documents.get(uri.toString());
    if (state?.timer) clearTimeout(state.timer);
    this.documents.delete(uri.toString());
  }

  private paintKey(key: string): void {
    this.paint(vscode.Uri.parse(key));
  }

  /** Sets the decorations of every visible editor of the document from its current regions. */
  private paint(uri: vscode.Uri): void {
    const key = uri.toString();
    const editors = vscode.window.visibleTextEditors.filter((e) => e.document.uri.toString() === key);
    const buckets = this.decorations.bucketTypes;
    for (const editor of editors) {
      const document = editor.document;
      const perBucket: vscode.Range[][] = buckets.map(() => []);
      for (const word of this.words(document)) {
        const data = word.sentence.words[word.index];
        perBucket[this.bucketOf(data)].push(word.range);
      }
      buckets.forEach((type, bucket) => editor.setDecorations(type, perBucket[bucket]));
      const annotations = this.settings.sentenceAnnotations
        ? this.sentences(document).map(({ range, sentence }) => annotationFor(range, sentence))
        : [];
      editor.setDecorations(this.decorations.annotation, annotations);
    }
    this.changed.fire(uri);
  }

  dispose(): void {
    this.documents.forEach((state) => state.timer && clearTimeout(state.timer));
    this.documents.clear();
    this.disposables.forEach((d) => d.dispose());
  }
}

function annotationFor(range: vscode.Range, sentence: HighlightSentence): vscode.DecorationOptions {
  const tone = sentence.score <= -0.2 ? 'negative' : sentence.score >= 0.2 ? 'positive' : 'neutral';
  return {
    range: new vscode.Range(range.end, range.end),
    renderOptions: {
      after: {
        contentText: `${sentence.label} ${Math.round(sentence.probability * 100)}%`,
        color: new vscode.ThemeColor(ANNOTATION_COLOUR_IDS[tone]),
      },
    },
  };
}
