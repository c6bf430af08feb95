/** The model: architecture, batches, metrics and metadata, the tfjs Layers model, its files and backend. */
export * from './architecture';
export * from './batching';
export * from './metrics';
export * from './metadata';
export * from './modelIO';
export * from './modelFolder';
export * from './tfjsModel';
export * from './tfBackend';
