/** The sentiment lexicon and the lexicon targets and linguistic examples that training uses. */
export * from './lexiconTargets';
