/**
 * CSV/TSV header detection and the choice of text and label columns. No Node APIs.
 */

import { abbreviate, listSome } from './displayText';
import type { ColumnRef } from './types';

/** Header names taken as the text column, most likely first (compared case-insensitively). */
export const TEXT_COLUMN_NAMES: readonly string[] = [
  'text',
  'sentence',
  'comment',
  'body',
  'review',
  'content',
  'message',
  'document',
  'tweet',
  'snippet',
  'post',
];

/** Header names taken as the label column, most likely first (compared case-insensitively). */
export const LABEL_COLUMN_NAMES: readonly string[] = [
  'label',
  'sentiment',
  'polarity',
  'class',
  'category',
  'target',
  'tone',
];

const KNOWN_NAMES = new Set([...TEXT_COLUMN_NAMES, ...LABEL_COLUMN_NAMES]);
const SAMPLE_ROWS = 200;

function isNumeric(value: string): boolean {
  return /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/.test(value);
}

/**
 * Guesses whether the first row is a header. Yes when one of its fields is a known column name
 * (text, label, sentiment, ...). Otherwise yes when every first-row field is short and non-empty and,
 * in some column, the first row breaks the pattern of the rows below: a non-number above numbers, or
 * a value not among the few values of a categorical (label-like) column.
 */
export function looksLikeHeader(rows: readonly (readonly string[])[]): boolean {
  if (rows.length === 0) return false;
  const first = rows[0];
  if (first.some((f) => KNOWN_NAMES.has(f.trim().toLowerCase()))) return true;
  const below = rows.slice(1, 1 + SAMPLE_ROWS);
  if (below.length < 2) return false;
  if (!first.every((f) => f.trim() !== '' && f.length <= 40)) return false;
  for (let col = 0; col < first.length; col++) {
    const values = below.map((r) => r[col] ?? '');
    if (!isNumeric(first[col]) && values.every(isNumeric)) return true;
    const distinct = new Set(values.map((v) => v.trim()));
    const categorical = distinct.size < values.length && distinct.size <= Math.max(2, Math.min(20, below.length / 3));
    if (categorical && !distinct.has(first[col].trim())) return true;
  }
  return false;
}

function compareKeys(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/** The chosen columns, or the reason no choice was possible. */
export type ColumnChoice =
  | { readonly ok: true; readonly textColumn: number; readonly labelColumn: number }
  | { readonly ok: false; readonly reason: string };

function resolveRef(ref: ColumnRef, names: readonly string[], hasHeader: boolean, what: string): number | string {
  if (typeof ref === 'number' || /^\d+$/.test(ref)) {
    const index = Number(ref);
    if (!Number.isInteger(index) || index < 0 || index >= names.length) {
      return `${what} column index ${ref} is out of range (the file has ${names.length} columns, numbered from 0)`;
    }
    return index;
  }
  const wanted = ref.trim().toLowerCase();
  const index = hasHeader ? names.findIndex((n) => n.trim().toLowerCase() === wanted) : -1;
  if (index < 0) {
    return hasHeader
      ? `no ${what} column named '${abbreviate(ref)}' (columns: ${listSome(names)})`
      : `${what} column '${abbreviate(ref)}' cannot be found by name: the file has no header; give a 0-based index`;
  }
  return index;
}

function byName(names: readonly string[], candidates: readonly string[], exclude: number): number {
  for (const candidate of candidates) {
    const index = names.findIndex((n, i) => i !== exclude && n.trim().toLowerCase() === candidate);
    if (index >= 0) return index;
  }
  return -1;
}

/**
 * Chooses the text and label columns. Explicit references win (a name needs a header; an index is
 * 0-based). Otherwise a header name from TEXT_COLUMN_NAMES / LABEL_COLUMN_NAMES; otherwise, from the
 * data, the label is the column with the fewest distinct values (ties: fewer multi-word values,
 * then shorter values) and the text the one with the longest values among the rest.
 */
export function chooseColumns(
  names: readonly string[],
  hasHeader: boolean,
  dataRows: readonly (readonly string[])[],
  textRef?: ColumnRef,
  labelRef?: ColumnRef,
): ColumnChoice {
  if (names.length < 2)
    return { ok: false, reason: `expected at least two columns (text and label), found ${names.length}` };
  let text = -1;
  let label = -1;
  if (textRef !== undefined) {
    const r = resolveRef(textRef, names, hasHeader, 'text');
    if (typeof r === 'string') return { ok: false, reason: r };
    text = r;
  }
  if (labelRef !== undefined) {
    const r = resolveRef(labelRef, names, hasHeader, 'label');
    if (typeof r === 'string') return { ok: false, reason: r };
    label = r;
  }
  if (hasHeader) {
    if (text < 0) text = byName(names, TEXT_COLUMN_NAMES, label);
    if (label < 0) label = byName(names, LABEL_COLUMN_NAMES, text);
  }
  const sample = dataRows.slice(0, SAMPLE_ROWS * 5);
  const columns = names.map((_, col) => sample.map((r) => (r[col] ?? '').trim()));
  const meanLength = (col: number): number =>
    columns[col].reduce((s, v) => s + v.length, 0) / Math.max(1, sample.length);
  if (label < 0) {
    // Fewest distinct values; ties go to the column with fewer multi-word values, then shorter ones.
    const key = (col: number): number[] => [
      new Set(columns[col]).size,
      columns[col].filter((v) => /\s/.test(v)).length,
      meanLength(col),
    ];
    let best = -1;
    for (let col = 0; col < names.length; col++) {
      if (col === text) continue;
      if (best < 0 || compareKeys(key(col), key(best)) < 0) best = col;
    }
    label = best;
  }
  if (text < 0) {
    let best = -1;
    for (let col = 0; col < names.length; col++) {
      if (col !== label && (best < 0 || meanLength(col) > meanLength(best))) best = col;
    }
    text = best;
  }
  if (text === label) return { ok: false, reason: `text and label cannot be the same column (${names[text]})` };
  return { ok: true, textColumn: text, labelColumn: label };
}
