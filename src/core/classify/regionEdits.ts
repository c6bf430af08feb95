/**
 * How highlighted regions of a document follow its edits, as offsets only (no VS Code types, so it
 * is unit-tested): a region after an edit moves with it, a region before it stays, and a region the
 * edit touches is dropped, its stretch (grown to cover the new text) queued for recomputing when it
 * was a selection. Pure: the inputs are not changed.
 */

/** A stretch [start, end) of a document, in UTF-16 offsets. */
export interface Span {
  readonly start: number;
  readonly end: number;
}

/** A highlighted region: selections are recomputed after an edit inside them, comments are not. */
export interface EditableRegion extends Span {
  readonly kind: 'selection' | 'comment';
}

/** One replacement, as an editor reports it: `rangeLength` characters at `rangeOffset` became `textLength` new ones. */
export interface TextChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly textLength: number;
}

/** What a set of simultaneous changes leaves: the regions kept (moved), the stretches to recompute, and whether any region was hit. */
export interface EditOutcome<R extends EditableRegion> {
  readonly regions: R[];
  readonly pending: Span[];
  readonly touched: boolean;
}

/**
 * Applies simultaneous changes (offsets all in the text before them, as in one editor event) to
 * the regions and to the stretches already waiting to be recomputed. Changes are applied from the
 * end of the document backwards so that earlier offsets stay valid.
 */
export function applyChanges<R extends EditableRegion>(
  regions: readonly R[],
  pending: readonly Span[],
  changes: readonly TextChange[],
): EditOutcome<R> {
  let keptRegions: R[] = [...regions];
  let waiting: Span[] = [...pending];
  let touched = false;
  for (const change of [...changes].sort((a, b) => b.rangeOffset - a.rangeOffset)) {
    waiting = waiting.map((span) => moved(span, change).span);
    const next: R[] = [];
    for (const region of keptRegions) {
      const { span, hit } = moved(region, change);
      if (!hit) {
        next.push(span === region ? region : { ...region, start: span.start, end: span.end });
        continue;
      }
      touched = true;
      if (region.kind === 'selection') waiting.push(span);
    }
    keptRegions = next;
  }
  return { regions: keptRegions, pending: waiting, touched };
}

/** A span after one change: shifted when the change is before it, grown over the new text when the change touches it. */
function moved(span: Span, change: TextChange): { span: Span; hit: boolean } {
  const from = change.rangeOffset;
  const to = from + change.rangeLength;
  const delta = change.textLength - change.rangeLength;
  if (to <= span.start) return { span: { start: span.start + delta, end: span.end + delta }, hit: false };
  if (from >= span.end) return { span, hit: false };
  return {
    span: { start: Math.min(span.start, from), end: Math.max(from + change.textLength, span.end + delta) },
    hit: true,
  };
}
