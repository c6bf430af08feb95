/**
 * A fast reader of word-vectors JSON files in the wink-embeddings layout (`{ "dimensions": d,
 * "vectors": { word: [numbers...] }, ...other keys }`) that parses only the wanted words' numbers.
 * JSON.parse of the 293 MB GloVe file the bundled recipes start from builds 341k arrays and took
 * 4 to 14 s; scanning its bytes takes well under a second.
 *
 * It handles the common shape only and gives up (returns undefined) on anything else, e.g. a nested
 * value inside "vectors", a number JSON would not read: the caller then falls back to
 * JSON.parse, which reads every valid file and reports errors. What it accepts, it reads as JSON.parse
 * would: a repeated word takes its last value, and words come in Object.entries order. Values of keys
 * other than "dimensions" and "vectors" are skipped, not validated; the arrays of words not wanted are
 * checked to hold nothing nested, and their numbers are not parsed.
 */

/** The parts of a vectors file a reader needs: its "dimensions" and the wanted words' values. */
export interface ScannedVectors {
  readonly dimensions: unknown;
  /** Number of entries of "vectors" (repeated words counted once). */
  readonly fileWords: number;
  /** Wanted words in Object.entries order, with their values. */
  readonly found: readonly (readonly [string, number[]])[];
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

class GiveUp extends Error {}

/**
 * Scans `bytes` (UTF-8 JSON) for the vectors of `wanted` words.
 * @returns the file's "dimensions" value (unchecked), the number of words and the wanted words'
 *   values; undefined when the file is not of the simple shape this scanner reads.
 */
export function scanVectorsJson(bytes: Uint8Array, wanted: ReadonlySet<string>): ScannedVectors | undefined {
  try {
    return scan(bytes, wanted);
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
}

function scan(bytes: Uint8Array, wanted: ReadonlySet<string>): ScannedVectors {
  const decoder = new TextDecoder();
  let pos = 0;
  const skipWhitespace = () => {
    while (
      pos < bytes.length &&
      (bytes[pos] === 0x20 || bytes[pos] === 0x0a || bytes[pos] === 0x0d || bytes[pos] === 0x09)
    )
      pos++;
  };
  const expect = (byte: number) => {
    skipWhitespace();
    if (bytes[pos] !== byte) throw new GiveUp();
    pos++;
  };
  /** The string starting at the quote at pos; leaves pos after its closing quote. */
  const jsonString = (): string => {
    skipWhitespace();
    if (bytes[pos] !== QUOTE) throw new GiveUp();
    const start = pos + 1;
    let end = bytes.indexOf(QUOTE, start);
    if (end < 0) throw new GiveUp();
    let escaped = false;
    for (let i = start; i < end; i++) {
      if (bytes[i] < 0x20) throw new GiveUp();
      if (bytes[i] === BACKSLASH) {
        escaped = true;
        break;
      }
    }
    if (escaped) {
      for (end = start; end < bytes.length && bytes[end] !== QUOTE; end += bytes[end] === BACKSLASH ? 2 : 1);
      if (end >= bytes.length) throw new GiveUp();
    }
    pos = end + 1;
    if (!escaped) return decoder.decode(bytes.subarray(start, end));
    try {
      return JSON.parse(decoder.decode(bytes.subarray(start - 1, end + 1))) as string;
    } catch {
      throw new GiveUp();
    }
  };
  /** Skips any JSON value (not validated in detail: strings, brackets and braces are matched). */
  const skipValue = () => {
    skipWhitespace();
    let depth = 0;
    do {
      if (pos >= bytes.length) throw new GiveUp();
      const byte = bytes[pos];
      if (byte === QUOTE) {
        pos++;
        while (pos < bytes.length && bytes[pos] !== QUOTE) pos += bytes[pos] === BACKSLASH ? 2 : 1;
        if (pos >= bytes.length) throw new GiveUp();
        pos++;
      } else if (byte === OPEN_BRACE || byte === OPEN_BRACKET) {
        depth++;
        pos++;
      } else if (byte === CLOSE_BRACE || byte === CLOSE_BRACKET) {
        if (depth === 0) throw new GiveUp();
        depth--;
        pos++;
      } else if (depth === 0) {
        // A number or literal: up to the next delimiter.
        while (
          pos < bytes.length &&
          bytes[pos] !== COMMA &&
          bytes[pos] !== CLOSE_BRACE &&
          bytes[pos] !== CLOSE_BRACKET &&
          bytes[pos] > 0x20
        )
          pos++;
        return;
      } else {
        pos++;
      }
    } while (depth > 0);
  };

  let dimensions: unknown;
  let sawDimensions = false;
  let values: Map<string, number[]> | undefined;
  let fileWords = 0;
  expect(OPEN_BRACE);
  skipWhitespace();
  if (bytes[pos] === CLOSE_BRACE) throw new GiveUp();
  for (;;) {
    const key = jsonString();
    expect(COLON);
    skipWhitespace();
    if (key === 'dimensions') {
      if (sawDimensions) throw new GiveUp();
      sawDimensions = true;
      const start = pos;
      skipValue();
      try {
        dimensions = JSON.parse(decoder.decode(bytes.subarray(start, pos)));
      } catch {
        throw new GiveUp();
      }
    } else if (key === 'vectors') {
      if (values) throw new GiveUp();
      ({ values, fileWords } = scanVectors());
    } else {
      skipValue();
    }
    skipWhitespace();
    if (bytes[pos] === COMMA) {
      pos++;
      continue;
    }
    expect(CLOSE_BRACE);
    break;
  }
  skipWhitespace();
  if (pos !== bytes.length || !sawDimensions || !values) throw new GiveUp();
  return { dimensions, fileWords, found: inEntriesOrder(values) };

  function scanVectors(): { values: Map<string, number[]>; fileWords: number } {
    const found = new Map<string, number[]>();
    const words = new Set<string>();
    const nextIndex = (byte: number, from: number) => {
      const at = bytes.indexOf(byte, from);
      return at < 0 ? bytes.length : at;
    };
    let nextQuote = -1;
    let nextBracket = -1;
    let nextBrace = -1;
    expect(OPEN_BRACE);
    skipWhitespace();
    if (bytes[pos] === CLOSE_BRACE) {
      pos++;
      return { values: found, fileWords: 0 };
    }
    for (;;) {
      const word = jsonString();
      words.add(word);
      expect(COLON);
      expect(OPEN_BRACKET);
      const start = pos;
      const end = bytes.indexOf(CLOSE_BRACKET, start);
      if (end < 0) throw new GiveUp();
      // Nothing nested: the next quote, bracket and brace come after the array (found by native
      // search, each position reused until passed: checking every byte in JavaScript took 0.8 s).
      if (nextQuote < start) nextQuote = nextIndex(QUOTE, start);
      if (nextBracket < start) nextBracket = nextIndex(OPEN_BRACKET, start);
      if (nextBrace < start) nextBrace = nextIndex(OPEN_BRACE, start);
      if (nextQuote < end || nextBracket < end || nextBrace < end) throw new GiveUp();
      if (wanted.has(word)) found.set(word, parseNumbers(decoder.decode(bytes.subarray(start, end))));
      pos = end + 1;
      skipWhitespace();
      if (bytes[pos] === COMMA) {
        pos++;
        continue;
      }
      expect(CLOSE_BRACE);
      return { values: found, fileWords: words.size };
    }
  }
}

/** JSON number syntax (RFC 8259), whitespace around allowed. */
const JSON_NUMBER = /^\s*-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?\s*$/;

/** The numbers of an array's inside ("1.5, -2e3"); gives up on anything JSON.parse would not read. */
function parseNumbers(inside: string): number[] {
  if (inside.trim() === '') return [];
  const fields = inside.split(',');
  const numbers = new Array<number>(fields.length);
  for (let i = 0; i < fields.length; i++) {
    if (!JSON_NUMBER.test(fields[i])) throw new GiveUp();
    numbers[i] = Number(fields[i]);
  }
  return numbers;
}

/** Object.entries order: array-index keys ascending, then the others in first-insertion order. */
function inEntriesOrder(values: Map<string, number[]>): [string, number[]][] {
  const entries = [...values];
  const isIndex = (key: string) => /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
  const indices = entries.filter(([key]) => isIndex(key)).sort((a, b) => Number(a[0]) - Number(b[0]));
  return [...indices, ...entries.filter(([key]) => !isIndex(key))];
}
