/** Classification: the Classifier over a trained model, chunked runs, scores and highlight data, labels, highlights following edits. */
export * from './classifier';
export * from './chunkedClassify';
export * from './scoring';
export * from './highlightData';
export * from './labels';
export * from './regionEdits';
