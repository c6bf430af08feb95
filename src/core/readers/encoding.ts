/**
 * Byte-level handling of labelled files: UTF-8 vs Windows-1252 detection and decoding, binary
 * detection, and line splitting on `\n` only. No Node APIs (the webview uses this too).
 */

import type { TextEncoding } from './types';

/**
 * Windows-1252 code points for bytes 0x80-0x9F. We do not rely on `TextDecoder('windows-1252')`:
 * Node builds without full ICU decode that label as Latin-1, turning 0x85 into U+0085 (NEL) instead
 * of '…'. The five bytes cp1252 leaves undefined map to the same C1 code point, as WHATWG does.
 */
const CP1252_80_9F: readonly number[] = [
  0x20ac, 0x0081, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008d,
  0x017d, 0x008f, 0x0090, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a,
  0x0153, 0x009d, 0x017e, 0x0178,
];

/** Decodes Windows-1252 bytes with the table above; 0x00-0x7F and 0xA0-0xFF equal their code points. */
export function decodeWindows1252(bytes: Uint8Array): string {
  const chunks: string[] = [];
  const chunkSize = 8192;
  for (let start = 0; start < bytes.length; start += chunkSize) {
    const end = Math.min(start + chunkSize, bytes.length);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i];
      codes[i - start] = b >= 0x80 && b <= 0x9f ? CP1252_80_9F[b - 0x80] : b;
    }
    chunks.push(String.fromCharCode(...codes));
  }
  return chunks.join('');
}

/** The result of decoding a file's bytes. */
export interface DecodedText {
  readonly text: string;
  readonly encoding: TextEncoding;
  /** True when a UTF-8 byte-order mark was removed. */
  readonly bomStripped: boolean;
}

/**
 * Decodes bytes as UTF-8 when they are valid UTF-8 (a leading BOM is removed), otherwise as
 * Windows-1252. Pure ASCII counts as UTF-8. Does not check for binary content: see `sniffBinary`.
 */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  const bomStripped = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(
      bomStripped ? bytes.subarray(3) : bytes,
    );
    return { text, encoding: 'utf-8', bomStripped };
  } catch {
    return { text: decodeWindows1252(bytes), encoding: 'windows-1252', bomStripped: false };
  }
}

/**
 * Says why bytes look like a binary (or UTF-16) file rather than text, or returns undefined.
 * Text never holds NUL bytes; more than 10% control bytes (other than tab, LF, CR, FF) in the first
 * 8 KiB also means binary.
 */
export function sniffBinary(bytes: Uint8Array): string | undefined {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return 'file is UTF-16 (it starts with a UTF-16 byte-order mark); save it as UTF-8 and try again';
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) return `file looks binary (NUL byte at offset ${nul}); expected a text file`;
  const head = bytes.subarray(0, 8192);
  let controls = 0;
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) controls++;
  }
  if (head.length > 0 && controls / head.length > 0.1) {
    return `file looks binary (${controls} control bytes in its first ${head.length}); expected a text file`;
  }
  return undefined;
}

/**
 * Splits text into physical lines on `\n` only (never on U+0085, U+2028 or a lone `\r`); a `\r`
 * before the `\n` is dropped. A final line terminator does not start an extra empty line.
 * Line i of the result is physical line i + 1.
 */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines.map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
}
