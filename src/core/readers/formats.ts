/**
 * Format detection and the per-format parsers, which turn decoded text into candidate examples
 * (before dataset checks) and line-numbered problems. No Node APIs.
 */

import { chooseColumns, LABEL_COLUMN_NAMES, looksLikeHeader, TEXT_COLUMN_NAMES } from './columns';
import { type LineProblem, parseDelimited } from './csv';
import { splitLines } from './encoding';
import type { LabelledExample, LabelledFormat, ParseOptions, ParserChoices } from './types';

/** Candidate examples (not yet checked), problems without file names, and what the parser chose. */
export interface FormatParse extends ParserChoices {
  readonly candidates: LabelledExample[];
  readonly problems: LineProblem[];
}

/** The file's base name, for `/` and `\` paths alike. */
export function baseName(file: string): string {
  return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

function extension(file: string): string {
  const name = baseName(file).toLowerCase();
  const dot = name.lastIndexOf('.');
  return dot < 0 ? '' : name.slice(dot + 1);
}

const SNIFF_LINES = 50;

/**
 * Guesses the format from the file name, then the content. `.jsonl`/`.ndjson`/`.json` → jsonl,
 * `.csv` → csv, `.pos`/`.neg` → polarity-pair. Otherwise, from the first 50 non-empty lines: all
 * starting with `{` → jsonl; at least 90% holding a tab → labeltab when the part before the first tab
 * takes at most 20 short values, repeating or much shorter than the rest (and the first line is not
 * a header), else tsv; every line splitting into the same number (≥ 2) of comma-separated fields → csv;
 * otherwise one sentence per line → polarity-pair.
 */
export function detectFormat(fileName: string, text: string): LabelledFormat {
  const ext = extension(fileName);
  if (ext === 'jsonl' || ext === 'ndjson' || ext === 'json') return 'jsonl';
  if (ext === 'csv') return 'csv';
  if (ext === 'pos' || ext === 'neg') return 'polarity-pair';
  const sample = splitLines(text.slice(0, 1 << 20))
    .filter((l) => l.trim() !== '')
    .slice(0, SNIFF_LINES);
  if (sample.length === 0) return ext === 'tsv' || ext === 'tab' ? 'tsv' : 'polarity-pair';
  if (sample.every((l) => l.trimStart().startsWith('{'))) return 'jsonl';
  const tabbed = sample.filter((l) => l.includes('\t'));
  if (tabbed.length >= 0.9 * sample.length) {
    const known = new Set([...TEXT_COLUMN_NAMES, ...LABEL_COLUMN_NAMES]);
    if (tabbed[0].split('\t').some((f) => known.has(f.trim().toLowerCase()))) return 'tsv';
    const firstFields = tabbed.map((l) => l.slice(0, l.indexOf('\t')).trim());
    const meanFirst = firstFields.reduce((s, f) => s + f.length, 0) / firstFields.length;
    const meanRest = tabbed.reduce((s, l) => s + l.length - l.indexOf('\t') - 1, 0) / tabbed.length;
    const distinct = new Set(firstFields).size;
    const labelLike =
      firstFields.every((f) => f !== '' && f.length <= 30) &&
      distinct <= 20 &&
      (distinct < firstFields.length || meanRest > 2 * meanFirst);
    return labelLike ? 'labeltab' : 'tsv';
  }
  if (ext === 'tsv' || ext === 'tab') return 'tsv';
  const { records, problems } = parseDelimited(sample.join('\n'), ',', true);
  const width = records[0]?.fields.length ?? 0;
  if (problems.length === 0 && width >= 2 && records.every((r) => r.fields.length === width)) return 'csv';
  return 'polarity-pair';
}

function emptyLine(line: number): LineProblem {
  return { line, reason: 'empty line skipped', severity: 'warning', code: 'empty-line' };
}

/** One sentence per line, every line with the same label (one file of a polarity pair). */
export function parseSentenceLines(text: string, file: string, label: string | undefined): FormatParse {
  const ext = extension(file);
  const fileLabel = label ?? (ext === 'pos' ? 'positive' : ext === 'neg' ? 'negative' : undefined);
  if (fileLabel === undefined || fileLabel.trim() === '') {
    return {
      candidates: [],
      problems: [
        {
          line: 0,
          reason: 'no label for this one-sentence-per-line file: give options.label (or use readPolarityPair)',
          severity: 'error',
          code: 'missing-label',
        },
      ],
    };
  }
  const candidates: LabelledExample[] = [];
  const problems: LineProblem[] = [];
  splitLines(text).forEach((sentence, i) => {
    if (sentence.trim() === '') problems.push(emptyLine(i + 1));
    else candidates.push({ text: sentence, label: fileLabel.trim(), line: i + 1, file });
  });
  return { candidates, problems };
}

/** `label<TAB>text` per line, no header, no quoting; the text is everything after the first tab. */
export function parseLabelTab(text: string, file: string): FormatParse {
  const candidates: LabelledExample[] = [];
  const problems: LineProblem[] = [];
  splitLines(text).forEach((row, i) => {
    const line = i + 1;
    if (row.trim() === '') {
      problems.push(emptyLine(line));
      return;
    }
    const tab = row.indexOf('\t');
    if (tab < 0) {
      problems.push({
        line,
        reason: 'no tab: expected label<TAB>text; row skipped',
        severity: 'error',
        code: 'field-count',
      });
      return;
    }
    candidates.push({ label: row.slice(0, tab).trim(), text: row.slice(tab + 1), line, file });
  });
  return { candidates, problems };
}

function pickField(record: Record<string, unknown>, preferred: readonly string[]): string | undefined {
  return preferred.find((name) => Object.prototype.hasOwnProperty.call(record, name));
}

/** One JSON object per line; text and label fields by name (defaults guessed from the first object). */
export function parseJsonLines(text: string, file: string, options: ParseOptions): FormatParse {
  const candidates: LabelledExample[] = [];
  const problems: LineProblem[] = [];
  let textField = options.textField;
  let labelField = options.labelField;
  splitLines(text).forEach((row, i) => {
    const line = i + 1;
    if (row.trim() === '') {
      problems.push(emptyLine(line));
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(row);
    } catch (error) {
      problems.push({
        line,
        reason: `invalid JSON: ${(error as Error).message}; row skipped`,
        severity: 'error',
        code: 'syntax',
      });
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push({ line, reason: 'expected a JSON object; row skipped', severity: 'error', code: 'syntax' });
      return;
    }
    const record = value as Record<string, unknown>;
    textField ??= pickField(record, TEXT_COLUMN_NAMES) ?? 'text';
    labelField ??= pickField(record, LABEL_COLUMN_NAMES) ?? 'label';
    const textValue = record[textField];
    if (typeof textValue !== 'string') {
      const reason = textValue === undefined ? `no '${textField}' field` : `'${textField}' is not a string`;
      problems.push({ line, reason: `${reason}; row skipped`, severity: 'error', code: 'missing-field' });
      return;
    }
    const labelValue = record[labelField];
    if (
      labelValue !== undefined &&
      labelValue !== null &&
      !['string', 'number', 'boolean'].includes(typeof labelValue)
    ) {
      problems.push({
        line,
        reason: `'${labelField}' must be a string, number or boolean; row skipped`,
        severity: 'error',
        code: 'missing-field',
      });
      return;
    }
    const label = labelValue === undefined || labelValue === null ? '' : String(labelValue).trim();
    candidates.push({ text: textValue, label, line, file });
  });
  return { candidates, problems, textField: textField ?? 'text', labelField: labelField ?? 'label' };
}

/** CSV or TSV: RFC 4180 records, header detection, text and label columns. */
export function parseTable(text: string, file: string, delimiter: ',' | '\t', options: ParseOptions): FormatParse {
  let parsed = parseDelimited(text, delimiter, options.quoting ?? true);
  const problems: LineProblem[] = [];
  if (delimiter === '\t' && options.quoting === undefined && parsed.problems.some((p) => p.severity === 'error')) {
    // Most TSV files do not quote; quotes in their texts are ordinary characters.
    parsed = parseDelimited(text, delimiter, false);
    problems.push({
      line: 0,
      reason:
        'quotes read as ordinary characters (the file does not follow CSV-style quoting; set quoting: true to see why)',
      severity: 'warning',
      code: 'syntax',
    });
  }
  for (const problem of parsed.problems) problems.push(problem); // a loop: there can be any number
  const records = parsed.records.filter((r) => {
    if (r.blank) problems.push(emptyLine(r.line));
    return !r.blank;
  });
  if (records.length === 0) return { candidates: [], problems };
  const hasHeader = options.hasHeader ?? looksLikeHeader(records.slice(0, 201).map((r) => r.fields));
  const width = records[0].fields.length;
  const columns = hasHeader
    ? records[0].fields.map((name, i) => (name.trim() === '' ? `column ${i + 1}` : name.trim()))
    : records[0].fields.map((_, i) => `column ${i + 1}`);
  const data = hasHeader ? records.slice(1) : records;
  const choice = chooseColumns(
    columns,
    hasHeader,
    data.filter((r) => r.fields.length === width).map((r) => r.fields),
    options.textColumn,
    options.labelColumn,
  );
  if (!choice.ok) {
    problems.push({ line: hasHeader ? records[0].line : 0, reason: choice.reason, severity: 'error', code: 'column' });
    return { candidates: [], problems, columns, hasHeader };
  }
  const { textColumn, labelColumn } = choice;
  const candidates: LabelledExample[] = [];
  const widthSource = hasHeader ? 'the header' : 'the first row';
  for (const record of data) {
    if (record.fields.length !== width) {
      problems.push({
        line: record.line,
        reason: `${record.fields.length} fields, expected ${width} as in ${widthSource}; row skipped`,
        severity: 'error',
        code: 'field-count',
      });
      continue;
    }
    candidates.push({
      text: record.fields[textColumn],
      label: record.fields[labelColumn].trim(),
      line: record.line,
      file,
    });
  }
  return { candidates, problems, columns, hasHeader, textColumn, labelColumn };
}
