/**
 * Sentence splitting for short prose such as review comments. A sentence ends after a run of
 * `.` `!` `?` `…` (and any closing quotes or brackets) that is followed by white space and then an
 * upper-case letter (possibly after an opening quote or bracket), or by the end of the text; a
 * blank line always ends one. Not an end: "3.5" and "example.com/a.b" (no space after the dot),
 * "wait... then" (lower case follows), abbreviations such as "e.g.", "i.e.", "Mr.", "vs." and
 * initials ("J. Smith", "U.S.").
 */

/** A sentence's range [start, end) in the text, trimmed of surrounding white space. */
export interface SentenceRange {
  readonly start: number;
  readonly end: number;
}

/** Abbreviations (lower case, without the final dot) that do not end a sentence. */
const ABBREVIATIONS: ReadonlySet<string> = new Set([
  'e.g',
  'i.e',
  'cf',
  'vs',
  'viz',
  'approx',
  'resp',
  'esp',
  'al',
  'fig',
  'mr',
  'mrs',
  'ms',
  'dr',
  'prof',
  'sr',
  'jr',
  'inc',
  'ltd',
]);
const TERMINATORS = '.!?\u2026';
const CLOSERS = '"\')]}\u201d\u2019\u00bb';
const OPENERS = '"\'([{\u201c\u2018\u00ab';
const UPPER = /\p{Lu}/u;
const SPACE = /\s/;

/** The letters-and-dots word that ends just before `i` ("e.g" before the final dot of "e.g."). */
function wordBefore(text: string, i: number): string {
  let p = i;
  while (p > 0 && /[\p{L}.]/u.test(text[p - 1])) p--;
  return text.slice(p, i);
}

/** Whether the `.` at `i` ends an abbreviation or an initial rather than a sentence. */
function isAbbreviation(text: string, i: number): boolean {
  const word = wordBefore(text, i);
  const before = i - word.length - 1;
  // Part of a URL or path ("example.com/a.b."): not an abbreviation.
  if (before >= 0 && !SPACE.test(text[before]) && !OPENERS.includes(text[before])) return false;
  if (ABBREVIATIONS.has(word.toLowerCase())) return true;
  // Initials: "J." and dotted letters "U.S", "a.m".
  return /^\p{Lu}$/u.test(word) || /^(?:\p{L}\.)+\p{L}$/u.test(word);
}

/**
 * Splits prose into sentence ranges [start, end) in document order, each trimmed of white space;
 * white-space-only text gives []. Pure: the input is not changed.
 * @param text prose, e.g. a CommentBlock's text; lines joined by '\n'.
 */
export function splitSentences(text: string): SentenceRange[] {
  const ranges: SentenceRange[] = [];
  const push = (from: number, to: number): void => {
    while (from < to && SPACE.test(text[from])) from++;
    while (to > from && SPACE.test(text[to - 1])) to--;
    if (from < to) ranges.push({ start: from, end: to });
  };
  const n = text.length;
  let sentenceStart = 0;
  let i = 0;
  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      let j = i + 1;
      while (j < n && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
      if (j < n && text[j] === '\n') {
        push(sentenceStart, i);
        sentenceStart = j;
        i = j;
        continue;
      }
      i++;
      continue;
    }
    if (!TERMINATORS.includes(c)) {
      i++;
      continue;
    }
    let j = i;
    while (j < n && TERMINATORS.includes(text[j])) j++;
    const singleDot = j - i === 1 && c === '.';
    while (j < n && CLOSERS.includes(text[j])) j++;
    if (j < n && !SPACE.test(text[j])) {
      i = j;
      continue;
    }
    let next = j;
    while (next < n && SPACE.test(text[next])) next++;
    while (next < n && OPENERS.includes(text[next])) next++;
    const endsHere = next >= n || UPPER.test(String.fromCodePoint(text.codePointAt(next) as number));
    if (endsHere && !(singleDot && isAbbreviation(text, i))) {
      push(sentenceStart, j);
      sentenceStart = j;
    }
    i = j;
  }
  push(sentenceStart, n);
  return ranges;
}
