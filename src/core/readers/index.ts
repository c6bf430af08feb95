/**
 * Labelled-file readers: the sentence polarity pair, CSV, TSV, JSONL and `label<TAB>text` files.
 * Readers return line-numbered problems instead of throwing. Code that must stay free of Node APIs
 * (the webview) imports `./parse` and `./encoding` directly instead of this index.
 */

export type {
  ColumnRef,
  LabelledExample,
  LabelledFormat,
  ParseOptions,
  PolarityPairOptions,
  Problem,
  ProblemCode,
  ReadOptions,
  ReadResult,
  TextEncoding,
} from './types';
export { decodeBytes, decodeWindows1252, sniffBinary, splitLines, type DecodedText } from './encoding';
export { parseDelimited, type DelimitedParse, type DelimitedRecord } from './csv';
export { chooseColumns, looksLikeHeader, LABEL_COLUMN_NAMES, TEXT_COLUMN_NAMES } from './columns';
export { detectFormat } from './formats';
export { checkDataset } from './checks';
export { parseLabelledText } from './parse';
export { DEFAULT_MAX_BYTES, readLabelledFile, readPolarityPair } from './files';
export { fingerprintFiles, sha256File } from './fingerprint';
