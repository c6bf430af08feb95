/**
 * Reading labelled files from disk (Node `fs`): regular files only (no FIFO or device), size limit, binary and empty checks, encoding
 * detection, then the pure parser. Never throws on a bad or missing file: returns problems.
 */

import { FileRefusedError, readRegularFileSync } from '../files/regularFile';
import { decodeBytes, sniffBinary } from './encoding';
import { detectFormat } from './formats';
import { emptyFileProblem, finishResult, parseFormat, withFile } from './parse';
import type {
  LabelledExample,
  LabelledFormat,
  PolarityPairOptions,
  Problem,
  ReadOptions,
  ReadResult,
  TextEncoding,
} from './types';

/** Default size limit: 100 MB. */
export const DEFAULT_MAX_BYTES = 100 * 1024 * 1024;

function sizeText(bytes: number): string {
  return bytes < 1024 * 1024 ? `${bytes} bytes` : `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Decoded text of a file, or the one problem that stops it being read. */
type LoadedFile = { ok: true; text: string; encoding: TextEncoding } | { ok: false; problem: Problem };

function loadText(path: string, maxBytes: number): LoadedFile {
  const fail = (reason: string, code: Problem['code']): LoadedFile => ({
    ok: false,
    problem: { file: path, line: 0, reason, severity: 'error', code },
  });
  let bytes: Uint8Array;
  try {
    bytes = readRegularFileSync(path, maxBytes);
  } catch (error) {
    if (error instanceof FileRefusedError && error.kind === 'too-large')
      return fail(`file is ${sizeText(error.size)}, over the ${sizeText(maxBytes)} limit (maxBytes)`, 'too-large');
    if (error instanceof FileRefusedError) return fail(`cannot read file: ${error.reason}`, 'unreadable');
    return fail(`cannot read file: ${(error as Error).message}`, 'unreadable');
  }
  const binary = sniffBinary(bytes);
  if (binary !== undefined) return fail(binary, 'binary');
  const { text, encoding } = decodeBytes(bytes);
  if (text.trim() === '') return { ok: false, problem: emptyFileProblem(path) };
  return { ok: true, text, encoding };
}

/**
 * Reads one labelled file: refuses files over `maxBytes` (default 100 MB), binary files and empty
 * files with one line-0 problem each; decodes UTF-8 (BOM removed) or Windows-1252; detects the
 * format from name and content unless `options.format` is given; parses and checks the dataset.
 * Never throws.
 */
export function readLabelledFile(path: string, options: ReadOptions = {}): ReadResult {
  const loaded = loadText(path, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!loaded.ok) {
    const format: LabelledFormat = options.format ?? detectFormat(path, '');
    return finishResult([], [loaded.problem], [path], { format, encoding: 'utf-8', fileEncodings: {} });
  }
  const format = options.format ?? detectFormat(path, loaded.text);
  const { candidates, problems, ...meta } = parseFormat(loaded.text, format, {
    ...options,
    format,
    file: path,
    encoding: loaded.encoding,
  });
  return finishResult(candidates, withFile(path, problems), [path], {
    format,
    encoding: loaded.encoding,
    fileEncodings: { [path]: loaded.encoding },
    ...meta,
  });
}

/**
 * Reads the sentence polarity dataset's pair of files (e.g. `rt-polarity.pos`, `rt-polarity.neg`):
 * one sentence per line, split on `\n` only, every line of the first file labelled
 * `positiveLabel` (default `positive`) and of the second `negativeLabel` (default `negative`).
 * Any number of lines is accepted (4,798 in the project's training portion, 5,331 in the full
 * release). Dataset checks run over both files together. Never throws.
 */
export function readPolarityPair(posPath: string, negPath: string, options: PolarityPairOptions = {}): ReadResult {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const candidates: LabelledExample[] = [];
  const problems: Problem[] = [];
  const fileEncodings: Record<string, TextEncoding> = {};
  const pairs: [string, string][] = [
    [posPath, options.positiveLabel ?? 'positive'],
    [negPath, options.negativeLabel ?? 'negative'],
  ];
  for (const [path, label] of pairs) {
    const loaded = loadText(path, maxBytes);
    if (!loaded.ok) {
      problems.push(loaded.problem);
      continue;
    }
    fileEncodings[path] = loaded.encoding;
    const parsed = parseFormat(loaded.text, 'polarity-pair', { file: path, label });
    // Loops, not push(...): a file can have any number of lines.
    for (const candidate of parsed.candidates) candidates.push(candidate);
    for (const problem of withFile(path, parsed.problems)) problems.push(problem);
  }
  const encoding: TextEncoding = Object.values(fileEncodings).includes('windows-1252') ? 'windows-1252' : 'utf-8';
  return finishResult(candidates, problems, [posPath, negPath], { format: 'polarity-pair', encoding, fileEncodings });
}
