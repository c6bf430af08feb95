/**
 * Parsing decoded text into a checked ReadResult. Pure and free of Node APIs, so the training
 * panel's webview can preview a file with exactly the rules the trainer uses.
 */

import { checkDataset, isUsableExample } from './checks';
import type { LineProblem } from './csv';
import {
  detectFormat,
  type FormatParse,
  parseJsonLines,
  parseLabelTab,
  parseSentenceLines,
  parseTable,
} from './formats';
import type { LabelledExample, LabelledFormat, ParseOptions, Problem, ReadResult, TextEncoding } from './types';

/** Attaches a file name to line problems. */
export function withFile(file: string, problems: readonly LineProblem[]): Problem[] {
  return problems.map((p) => ({ file, ...p }));
}

/** Parses one file's decoded text with the given (or detected) format; no dataset checks. */
export function parseFormat(text: string, format: LabelledFormat, options: ParseOptions): FormatParse {
  switch (format) {
    case 'polarity-pair':
      return parseSentenceLines(text, options.file, options.label);
    case 'labeltab':
      return parseLabelTab(text, options.file);
    case 'jsonl':
      return parseJsonLines(text, options.file, options);
    case 'csv':
      return parseTable(text, options.file, ',', options);
    case 'tsv':
      return parseTable(text, options.file, '\t', options);
  }
}

/** The problem for a file with no content. */
export function emptyFileProblem(file: string): Problem {
  return { file, line: 0, reason: 'file is empty (or holds only white space)', severity: 'error', code: 'empty-file' };
}

/**
 * Builds a ReadResult: runs `checkDataset` over the candidates, keeps only usable examples (text
 * and label non-blank), counts labels and sorts problems by file (in `fileOrder`) and line.
 */
export function finishResult(
  candidates: readonly LabelledExample[],
  parseProblems: readonly Problem[],
  fileOrder: readonly string[],
  base: Omit<ReadResult, 'examples' | 'problems' | 'labels' | 'labelCounts'>,
): ReadResult {
  // A file-level error already explains an empty result; do not add "no usable examples" to it.
  const fileLevelError = parseProblems.some((p) => p.severity === 'error' && (p.line === 0 || p.code === 'column'));
  const checked = candidates.length > 0 || !fileLevelError;
  const problems = [...parseProblems, ...(checked ? checkDataset(candidates, fileOrder) : [])];
  const rank = (file: string): number => {
    const i = fileOrder.indexOf(file);
    return i < 0 ? fileOrder.length : i;
  };
  // Whole-data problems (no usable examples, one class) come after the rows that explain them.
  const lineOf = (p: Problem) =>
    p.code === 'no-examples' || p.code === 'single-class' ? Number.MAX_SAFE_INTEGER : p.line;
  problems.sort((a, b) => rank(a.file) - rank(b.file) || lineOf(a) - lineOf(b));
  const examples = candidates.filter(isUsableExample);
  // Counted in a Map: labels come from the data, and '__proto__' or 'constructor' are labels too.
  const counts = new Map<string, number>();
  for (const e of examples) counts.set(e.label, (counts.get(e.label) ?? 0) + 1);
  const labels = [...counts.keys()].sort();
  const labelCounts = Object.fromEntries(labels.map((label) => [label, counts.get(label)!]));
  return { ...base, examples, problems, labels, labelCounts };
}

/**
 * Parses decoded text of one labelled file (format from `options.format`, else `detectFormat`)
 * and runs the dataset checks. Never throws on bad data: rows with errors are left out of
 * `examples` and reported in `problems`. A leading U+FEFF (BOM) is ignored. Does not change inputs.
 */
export function parseLabelledText(text: string, options: ParseOptions): ReadResult {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const format = options.format ?? detectFormat(options.file, body);
  const encoding: TextEncoding = options.encoding ?? 'utf-8';
  const base = { format, encoding, fileEncodings: { [options.file]: encoding } };
  if (body.trim() === '') return finishResult([], [emptyFileProblem(options.file)], [options.file], base);
  const parsed = parseFormat(body, format, options);
  const { candidates, problems, ...meta } = parsed;
  return finishResult(candidates, withFile(options.file, problems), [options.file], { ...base, ...meta });
}
