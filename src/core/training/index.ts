/** Training: the training run, skip-gram and pretrained embeddings, prepared data, a run's progress, saving and loading trained models. */
export * from './training';
export * from './skipgram';
export * from './pretrainedVectors';
export * from './embeddingTransfer';
export * from './preparedData';
export * from './runProgress';
export * from './modelFiles';
