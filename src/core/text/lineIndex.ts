/**
 * Offsets to line/character positions for a text that is not open as a document (files checked
 * from disk). Lines end at '\n'; a '\r' before it belongs to the line, as in VS Code's positions.
 */

/** A zero-based line and UTF-16 character, like vscode.Position. */
export interface LinePosition {
  readonly line: number;
  readonly character: number;
}

/** The start offset of every line of a text, for converting offsets to positions in O(log lines). */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  /** The position of an offset (clamped to the text). */
  position(offset: number): LinePosition {
    const at = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= at) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: at - this.starts[low] };
  }
}
