/**
 * What a tokenizer produces and how it is set up; imports nothing, so the English tokenizer, the
 * developer tokenizer and the clitic splitting they share all depend on it and not on each other.
 */

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
