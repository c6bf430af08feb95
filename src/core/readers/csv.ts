/**
 * RFC 4180 record splitting for CSV and TSV, keeping the physical line where each record starts.
 * No Node APIs.
 */

import type { Problem } from './types';

/** A problem before the file name is attached. */
export type LineProblem = Omit<Problem, 'file'>;

/** One record: its fields and the 1-based physical line where it starts. */
export interface DelimitedRecord {
  readonly fields: string[];
  readonly line: number;
  /** True for an empty (or white-space only) physical line: no delimiter, no quotes. */
  readonly blank: boolean;
}

/** Records and syntax problems; records with a syntax error are left out. */
export interface DelimitedParse {
  readonly records: DelimitedRecord[];
  readonly problems: LineProblem[];
}

/**
 * Splits text into records of fields. With `quoting`, a field that starts with `"` (white space
 * before it is dropped) runs to the matching `"`, may hold delimiters and newlines, and `""` inside
 * it is one quote. Records end at `\n` or `\r\n` outside quotes. Errors (record left out): text after
 * a closing quote, a quote never closed (parsing resumes on the line after the opening quote).
 * Warning: a quote inside an unquoted field (kept as is).
 */
export function parseDelimited(text: string, delimiter: string, quoting: boolean): DelimitedParse {
  const records: DelimitedRecord[] = [];
  const problems: LineProblem[] = [];
  const n = text.length;
  const delimiterCode = delimiter.charCodeAt(0);
  let i = 0;
  let line = 1;
  while (i < n) {
    const recordLine = line;
    const fields: string[] = [];
    let error: string | undefined;
    let strayQuote = false;
    let sawQuoteOrDelimiter = false;
    let unterminated: { quoteLine: number; quoteIndex: number } | undefined;
    let recordEnded = false;
    // One field per iteration; i is at the field's first character.
    while (!recordEnded) {
      let start = i;
      while (
        start < n &&
        (text.charCodeAt(start) === 0x20 || text.charCodeAt(start) === 0x09) &&
        text.charCodeAt(start) !== delimiterCode
      )
        start++;
      if (quoting && text.charCodeAt(start) === 0x22) {
        // Quoted field: runs to the next quote that is not doubled.
        sawQuoteOrDelimiter = true;
        const quoteLine = line;
        const parts: string[] = [];
        let j = start + 1;
        let closed = false;
        while (j < n) {
          const q = text.indexOf('"', j);
          if (q < 0) break;
          parts.push(text.slice(j, q));
          if (text.charCodeAt(q + 1) === 0x22) {
            parts.push('"');
            j = q + 2;
          } else {
            j = q + 1;
            closed = true;
            break;
          }
        }
        if (!closed) {
          unterminated = { quoteLine, quoteIndex: start };
          break;
        }
        const value = parts.join('');
        line += countNewlines(value);
        fields.push(value.includes('\r\n') ? value.replace(/\r\n/g, '\n') : value);
        // After the closing quote: white space, then a delimiter or the end of the record.
        const end = findFieldEnd(text, j, delimiterCode);
        if (text.slice(j, end).trim() !== '') {
          error ??= `text after the closing quote of field ${fields.length}; a quote inside a quoted field must be doubled ("")`;
        }
        i = end;
      } else {
        const end = findFieldEnd(text, i, delimiterCode);
        const value = text.slice(i, end);
        if (quoting && value.includes('"')) strayQuote = true;
        fields.push(value);
        i = end;
      }
      if (i < n && text.charCodeAt(i) === delimiterCode) {
        sawQuoteOrDelimiter = true;
        i++;
        continue;
      }
      // End of record: \n, \r\n or the end of the text.
      if (text.charCodeAt(i) === 0x0d) i++;
      if (i < n) {
        i++;
        line++;
      }
      recordEnded = true;
    }
    if (unterminated !== undefined) {
      problems.push({
        line: recordLine,
        reason: `quoted field opened on line ${unterminated.quoteLine} is never closed; record skipped`,
        severity: 'error',
        code: 'syntax',
      });
      // Resume on the line after the opening quote so one stray quote does not swallow the file.
      const nextNewline = text.indexOf('\n', unterminated.quoteIndex);
      i = nextNewline < 0 ? n : nextNewline + 1;
      line = unterminated.quoteLine + 1;
      continue;
    }
    if (error !== undefined) {
      problems.push({ line: recordLine, reason: `${error}; record skipped`, severity: 'error', code: 'syntax' });
      continue;
    }
    if (strayQuote) {
      problems.push({
        line: recordLine,
        reason: 'quote character inside an unquoted field, kept as an ordinary character',
        severity: 'warning',
        code: 'syntax',
      });
    }
    const blank = !sawQuoteOrDelimiter && fields.length === 1 && fields[0].trim() === '';
    records.push({ fields, line: recordLine, blank });
  }
  return { records, problems };
}

/** Index of the delimiter, `\r\n`, `\n` or end of text that ends the unquoted run starting at `from`. */
function findFieldEnd(text: string, from: number, delimiterCode: number): number {
  const n = text.length;
  for (let k = from; k < n; k++) {
    const c = text.charCodeAt(k);
    if (c === delimiterCode || c === 0x0a || (c === 0x0d && text.charCodeAt(k + 1) === 0x0a)) return k;
  }
  return n;
}

function countNewlines(value: string): number {
  let count = 0;
  for (let k = value.indexOf('\n'); k >= 0; k = value.indexOf('\n', k + 1)) count++;
  return count;
}
