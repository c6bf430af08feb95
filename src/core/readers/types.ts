/**
 * Types shared by the labelled-file readers. No runtime code, no Node APIs: the webview's
 * preview imports these too.
 */

/** The labelled-file formats a user can train on. */
export type LabelledFormat = 'polarity-pair' | 'csv' | 'tsv' | 'jsonl' | 'labeltab';

/** The text encodings the readers detect. */
export type TextEncoding = 'utf-8' | 'windows-1252';

/** One training example: its text, its label and where it came from (1-based physical line). */
export interface LabelledExample {
  readonly text: string;
  readonly label: string;
  /** 1-based physical line where the record starts (a quoted CSV field may span several lines). */
  readonly line: number;
  readonly file: string;
}

/** Machine-readable kind of a problem, so the UI can filter or group them. */
export type ProblemCode =
  | 'unreadable'
  | 'too-large'
  | 'binary'
  | 'empty-file'
  | 'empty-line'
  | 'syntax'
  | 'field-count'
  | 'column'
  | 'missing-field'
  | 'empty-text'
  | 'missing-label'
  | 'no-examples'
  | 'single-class'
  | 'conflicting-labels'
  | 'duplicate';

/**
 * A problem found in a labelled file. `error`: the row (or, at line 0, the whole file) could not
 * be used and is not among the examples. `warning`: the data was kept but looks suspicious.
 */
export interface Problem {
  readonly file: string;
  /** 1-based physical line; 0 means the whole file (or the whole dataset). */
  readonly line: number;
  readonly reason: string;
  readonly severity: 'error' | 'warning';
  readonly code: ProblemCode;
}

/** What a parser chose where the format left a choice (columns, header, JSONL fields). */
export interface ParserChoices {
  /** CSV/TSV: column names (from the header, else `column 1`, `column 2`, ...). */
  readonly columns?: string[];
  /** CSV/TSV: whether the first record was taken as a header. */
  readonly hasHeader?: boolean;
  /** CSV/TSV: 0-based index of the text column used. */
  readonly textColumn?: number;
  /** CSV/TSV: 0-based index of the label column used. */
  readonly labelColumn?: number;
  /** JSONL: the field names used. */
  readonly textField?: string;
  readonly labelField?: string;
}

/** What a reader returns: usable examples plus every problem found; it never throws on bad data. */
export interface ReadResult extends ParserChoices {
  /** Usable examples only: rows with errors, empty texts or missing labels are left out. */
  readonly examples: LabelledExample[];
  /** Sorted by file (in the order read) and line. */
  readonly problems: Problem[];
  readonly format: LabelledFormat;
  /** The encoding used; for a pair of files, windows-1252 if either file needed it. */
  readonly encoding: TextEncoding;
  /** Encoding per file, in the order read. */
  readonly fileEncodings: Record<string, TextEncoding>;
  /** Distinct labels of `examples`, sorted. */
  readonly labels: string[];
  readonly labelCounts: Record<string, number>;
}

/** A column chosen by header name (case-insensitive) or by 0-based index. */
export type ColumnRef = string | number;

/** Options for parsing decoded text. Every field is optional except where the format needs it. */
export interface ParseOptions {
  /** Format; detected from the file name and content when left out. */
  readonly format?: LabelledFormat;
  /** File name or path, used in problems and examples and for format detection. */
  readonly file: string;
  /** Encoding the text was decoded from, echoed in the result (default utf-8). */
  readonly encoding?: TextEncoding;
  /** polarity-pair (one file of the pair): the label of every line; default from the extension (.pos/.neg). */
  readonly label?: string;
  /** CSV/TSV: whether the first record is a header; detected when left out. */
  readonly hasHeader?: boolean;
  /** CSV/TSV: text column; default a column named text/sentence/comment/body/..., else the longest. */
  readonly textColumn?: ColumnRef;
  /** CSV/TSV: label column; default a column named label/sentiment/polarity/class/..., else the fewest values. */
  readonly labelColumn?: ColumnRef;
  /** TSV: honour RFC 4180 quotes; default: honoured unless that produces quote errors. CSV always quotes. */
  readonly quoting?: boolean;
  /** JSONL: text field name; default `text`, else the first of sentence/comment/body/... present. */
  readonly textField?: string;
  /** JSONL: label field name; default `label`, else the first of sentiment/polarity/class/... present. */
  readonly labelField?: string;
}

/** Options for reading files from disk. */
export interface ReadOptions extends Omit<ParseOptions, 'file' | 'encoding'> {
  /** Files larger than this many bytes are refused with one problem (default 100 MB). */
  readonly maxBytes?: number;
}

/** Options for reading a polarity pair (one file of sentences per class). */
export interface PolarityPairOptions {
  /** Label of the lines of the first file (default `positive`). */
  readonly positiveLabel?: string;
  /** Label of the lines of the second file (default `negative`). */
  readonly negativeLabel?: string;
  /** Files larger than this many bytes are refused with one problem (default 100 MB). */
  readonly maxBytes?: number;
}
