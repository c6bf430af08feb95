/** Text: tokenizers with character ranges, sentences, Markdown to display text, line offsets, the vocabulary. */
export * from './tokenizer';
export * from './sentences';
export * from './markdownText';
export * from './lineIndex';
export * from './vocabulary';
