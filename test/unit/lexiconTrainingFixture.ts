/** A tiny labelled set with negators, a degree adverb and rated words, for lexicon-term training tests. */
const TEXTS = [
  'a good film',
  'a great film',
  'not a bad film',
  'very good',
  'a bad film',
  'not good',
  'a wooden film',
  'awful , not good',
];

/** The texts (the first half pos, the rest neg), each repeated `copies` times. */
export function lexiconTrainingData(copies = 1): { text: string; label: string }[] {
  return TEXTS.flatMap((text, i) => Array.from({ length: copies }, () => ({ text, label: i < 4 ? 'pos' : 'neg' })));
}

/** Small, fast training settings with the lexicon terms on. */
export const LEXICON_TRAINING_OPTIONS = {
  epochs: 2,
  units: 8,
  embeddingDim: 8,
  validationSplit: 0,
  skipGram: false,
  minCount: 1,
  lexiconWeight: 0.5,
} as const;
