/**
 * Reading a data source (one labelled file, or a .pos/.neg pair) with the core readers, and
 * summarising the result for the panel: detected format, preview, label counts, problems, and the
 * one reason (if any) the data cannot be trained on.
 */
import * as path from 'node:path';
import { readLabelledFile, readPolarityPair } from '../core/readers';
import type { ReadResult } from '../core/readers/types';
import { DataSource, sourceTitle, SourceView } from '../protocol/views';

/** Rows shown in the preview. */
export const PREVIEW_ROWS = 20;
/** Problems sent to the panel at most (the total is sent too). */
export const MAX_PROBLEMS = 200;

/** Problem codes that stop a whole file or dataset from being used. */
const BLOCKING_CODES = new Set([
  'unreadable',
  'too-large',
  'binary',
  'empty-file',
  'no-examples',
  'single-class',
  'column',
  'missing-label',
]);

/** Reads the source from disk; never throws on bad data (problems describe it). */
export function readSource(source: DataSource, maxBytes: number): ReadResult {
  if (source.kind === 'pair') return readPolarityPair(source.positivePath, source.negativePath, { maxBytes });
  return readLabelledFile(source.path, {
    maxBytes,
    format: source.format,
    hasHeader: source.hasHeader,
    ...(source.format === 'jsonl'
      ? { textField: source.textColumn as string | undefined, labelField: source.labelColumn as string | undefined }
      : { textColumn: source.textColumn, labelColumn: source.labelColumn }),
  });
}

/** Why the data cannot be trained on, or undefined when it can. */
export function blockingReason(result: ReadResult): string | undefined {
  const blocking = result.problems.find(
    (p) => p.severity === 'error' && BLOCKING_CODES.has(p.code) && (p.line === 0 || p.code === 'column'),
  );
  if (blocking) return `${path.basename(blocking.file)}: ${blocking.reason}`;
  if (result.examples.length === 0) return 'no usable examples in this file';
  if (result.labels.length < 2)
    return `only one class ('${result.labels[0]}'); a classifier needs examples of at least two labels`;
  return undefined;
}

/** The panel's view of a read result. */
export function toSourceView(source: DataSource, result: ReadResult): SourceView {
  return {
    source,
    title: sourceTitle(source),
    format: result.format,
    encoding: result.encoding,
    columns: result.columns,
    hasHeader: result.hasHeader,
    textColumn: result.textColumn,
    labelColumn: result.labelColumn,
    textField: result.textField,
    labelField: result.labelField,
    examples: result.examples.length,
    labelCounts: result.labelCounts,
    preview: result.examples
      .slice(0, PREVIEW_ROWS)
      .map((e) => ({ line: e.line, label: e.label, text: e.text.length > 300 ? `${e.text.slice(0, 300)}…` : e.text })),
    problems: result.problems
      .slice(0, MAX_PROBLEMS)
      .map((p) => ({ file: p.file, line: p.line, reason: p.reason, severity: p.severity, code: p.code })),
    problemsTotal: result.problems.length,
    blocker: blockingReason(result),
  };
}
