/**
 * Cleaning and tokenization of English sentences, in the spirit of the classic TensorFlow text
 * classifiers (Kim 2014's clean_str): lower-cased words and numbers, clitics split off
 * ("it's" -> "it" "'s", "don't" -> "do" "n't"), the punctuation , ! ? ( ) kept as tokens and
 * everything else dropped. Unlike clean_str, every token keeps the character range it came
 * from in the original text, so the editor can colour exactly those characters.
 */
import { splitClitics } from './clitics';
import { tokenizeDeveloperText } from './developerTokenizer';
import { DEFAULT_TOKENIZER, Token, TokenizerSettings } from './tokens';

export { DEFAULT_TOKENIZER } from './tokens';
export type { Token, TokenizerSettings } from './tokens';

/** A word: letters/digits, with inner apostrophes ("don't", "rock'n'roll"). */
const WORD = String.raw`[\p{L}\p{N}]+(?:['\u2019][\p{L}\p{N}]+)*`;
const PUNCTUATION = String.raw`[,!?()]`;
const ENGLISH_TOKEN = new RegExp(`${WORD}|${PUNCTUATION}`, 'gu');

/**
 * Splits text into tokens with character ranges. Pure: the input is not changed.
 * @param text any string; newlines and other white space separate tokens.
 * @param settings tokenizer settings (defaults to DEFAULT_TOKENIZER).
 */
export function tokenize(text: string, settings: TokenizerSettings = DEFAULT_TOKENIZER): Token[] {
  if (settings.kind === 'developer') {
    return tokenizeDeveloperText(text, settings);
  }
  const tokens: Token[] = [];
  for (const match of text.matchAll(ENGLISH_TOKEN)) {
    splitClitics(match[0], match.index ?? 0, settings, tokens);
  }
  return tokens;
}

/** The token texts alone, for vocabulary building and training. */
export function tokenTexts(text: string, settings: TokenizerSettings = DEFAULT_TOKENIZER): string[] {
  return tokenize(text, settings).map((token) => token.text);
}
