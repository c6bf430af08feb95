/** Classification: the Classifier over a trained model (one network or a seed ensemble), chunked runs, scores and highlight data, labels, highlights following edits. */
export * from './classifier';
export * from './ensemble';
export * from './chunkedClassify';
export * from './scoring';
export * from './highlightData';
export * from './labels';
export * from './regionEdits';
