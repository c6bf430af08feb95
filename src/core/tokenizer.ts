/**
 * Cleaning and tokenization of English sentences, in the spirit of the classic TensorFlow text
 * classifiers (Kim 2014's clean_str): lower-cased words and numbers, clitics split off
 * ("it's" -> "it" "'s", "don't" -> "do" "n't"), the punctuation , ! ? ( ) kept as tokens and
 * everything else dropped. Unlike clean_str, every token keeps the character range it came
 * from in the original text, so the editor can colour exactly those characters.
 */
import { splitClitics } from './clitics';
import { tokenizeDeveloperText } from './developerTokenizer';

/** One token: its normalised text and its range [start, end) in the original string (UTF-16 offsets). */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}

/** Which tokenizer a model was trained with; stored in its metadata.json. */
export interface TokenizerSettings {
  /** 'english': sentences of prose. 'developer': prose plus code identifiers, URLs, mentions, emoticons. */
  readonly kind: 'english' | 'developer';
  readonly lowercase: boolean;
}

/** The settings of the bundled movie-review model. */
export const DEFAULT_TOKENIZER: TokenizerSettings = Object.freeze({ kind: 'english', lowercase: true });

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
