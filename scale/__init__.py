"""Distributed training of Sentiment Lens models with PyTorch (DistributedDataParallel).

Reads the id-encoded shards that `sentiment-lens prepare` writes, trains the network of
src/core/model/architecture.ts (embedding -> stacked GRU/LSTM -> dense softmax at every step)
on one or many processes (torchrun), and writes a model folder in the tfjs Layers format
(model.json + weights.bin + metadata.json) that the extension and the CLI load as is.

Modules: data (prepared shards, batches), network (the model, Keras weight layout),
tfjs_export (model folder writing), train_ddp (the torchrun entry point). See README.md.
"""
