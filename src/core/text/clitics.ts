/** Clitic splitting shared by the English and the developer tokenizers ("don't" -> "do" "n't"). */
import type { Token, TokenizerSettings } from './tokens';

const APOSTROPHES = /['\u2019\u2018`]/g;
const HAS_APOSTROPHE = /['\u2019\u2018`]/;
const CLITIC = /^(.+?)(['\u2019](?:s|ve|re|d|ll|m))$/iu;
const NEGATION = /^(.+?)(n['\u2019]t)$/iu;

/** Appends the pieces of one word to `out`: the word, or its stem and clitic ("n't", "'s", ...). */
export function splitClitics(word: string, start: number, settings: TokenizerSettings, out: Token[]): void {
  // Most words hold no apostrophe: no clitic to split and nothing to normalise, so skip both regexes.
  if (!HAS_APOSTROPHE.test(word)) {
    out.push({ text: settings.lowercase ? word.toLowerCase() : word, start, end: start + word.length });
    return;
  }
  const split = NEGATION.exec(word) ?? CLITIC.exec(word);
  if (split && split[1].length > 0 && !/['\u2019]/u.test(split[1])) {
    out.push(makeToken(split[1], start, settings));
    out.push(makeToken(split[2], start + split[1].length, settings));
    return;
  }
  out.push(makeToken(word, start, settings));
}

function makeToken(raw: string, start: number, settings: TokenizerSettings): Token {
  const normalised = raw.replace(APOSTROPHES, "'");
  return { text: settings.lowercase ? normalised.toLowerCase() : normalised, start, end: start + raw.length };
}
