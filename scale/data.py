"""The prepared folder written by `sentiment-lens prepare` (layout in docs/scale-out.md).

dataset.json names the shards of each split; each shard is three 1-D int32 .npy arrays:
`<name>.ids.npy` (the sentences' ids concatenated), `<name>.lengths.npy` (ids per sentence) and
`<name>.labels.npy` (class index). Id 0 is padding, id 1 the unknown word.
"""
import json
import os

import numpy as np
import torch

FORMAT = "sentiment-lens-prepared"
VERSION = 1


class Split(torch.utils.data.Dataset):
    """One split (train or validation), all its shards concatenated in shard order.

    An item is its own index: batches are built by `batch()` from index lists, so a sampler
    (DistributedSampler) only needs `len()`.
    """

    def __init__(self, ids, lengths, labels):
        self.ids = ids                      # int32 [tokens]
        self.lengths = lengths              # int32 [examples]
        self.labels = labels                # int32 [examples]
        self.offsets = np.zeros(len(lengths) + 1, dtype=np.int64)
        np.cumsum(lengths, out=self.offsets[1:])

    def __len__(self):
        return len(self.lengths)

    def __getitem__(self, index):
        return index

    def tokens(self):
        return int(self.offsets[-1])

    def sequence(self, index):
        """The ids of example `index` (int32 view)."""
        return self.ids[self.offsets[index]:self.offsets[index + 1]]

    def batch(self, indices):
        """Padded batch of `indices`: ids int64 [B, T] (T = longest, at least 1; padding 0 after
        the real ids), lengths int64 [B], labels int64 [B]."""
        lengths = self.lengths[indices].astype(np.int64)
        steps = max(1, int(lengths.max(initial=0)))
        ids = np.zeros((len(indices), steps), dtype=np.int64)
        for row, index in enumerate(indices):
            ids[row, :lengths[row]] = self.sequence(index)
        return torch.from_numpy(ids), torch.from_numpy(lengths), torch.from_numpy(self.labels[indices].astype(np.int64))


class PreparedData:
    """A prepared folder: its manifest, the model metadata template and both splits."""

    def __init__(self, folder):
        self.folder = folder
        with open(os.path.join(folder, "dataset.json"), encoding="utf-8") as f:
            self.manifest = json.load(f)
        if self.manifest.get("format") != FORMAT or self.manifest.get("version") != VERSION:
            raise ValueError(f"{folder}/dataset.json is not a version {VERSION} '{FORMAT}' manifest")
        with open(os.path.join(folder, "metadata.json"), encoding="utf-8") as f:
            self.metadata = json.load(f)
        self.labels = list(self.manifest["labels"])
        self.vocab_size = int(self.manifest["vocabSize"])
        self.train = self._split("train")
        self.validation = self._split("validation")

    def _split(self, name):
        parts = {"ids": [], "lengths": [], "labels": []}
        for shard in self.manifest["splits"][name]["shards"]:
            for kind in parts:
                array = np.load(os.path.join(self.folder, f"{shard['name']}.{kind}.npy"))
                if array.dtype != np.int32 or array.ndim != 1:
                    raise ValueError(f"{shard['name']}.{kind}.npy must be a 1-D int32 array")
                parts[kind].append(array)
            if len(parts["ids"][-1]) != int(parts["lengths"][-1].sum()):
                raise ValueError(f"{shard['name']}: ids hold {len(parts['ids'][-1])} values, lengths sum to {parts['lengths'][-1].sum()}")
        empty = np.zeros(0, dtype=np.int32)
        split = Split(*(np.concatenate(parts[k]) if parts[k] else empty for k in ("ids", "lengths", "labels")))
        if len(split.ids) and (split.ids.min() < 0 or split.ids.max() >= self.vocab_size):
            raise ValueError(f"{name}: ids outside [0, {self.vocab_size})")
        if len(split.labels) and (split.labels.min() < 0 or split.labels.max() >= len(self.labels)):
            raise ValueError(f"{name}: labels outside [0, {len(self.labels)})")
        return split


class LengthBucketBatchSampler:
    """Batches of similar lengths over the indices a sampler (DistributedSampler) gives this
    process, as the TypeScript trainer batches (src/core/training/training.ts lengthBucketedBatches):
    pools of 32 batches sorted by length, cut into batches, batch order shuffled. With a
    DistributedSampler every process gets the same number of indices, hence of batches."""

    def __init__(self, sampler, lengths, batch_size, seed, rank):
        self.sampler = sampler
        self.lengths = lengths
        self.batch_size = batch_size
        self.seed = seed
        self.rank = rank
        self.epoch = 0

    def set_epoch(self, epoch):
        self.epoch = epoch
        if hasattr(self.sampler, "set_epoch"):
            self.sampler.set_epoch(epoch)

    def __iter__(self):
        indices = np.fromiter(iter(self.sampler), dtype=np.int64)
        pool = self.batch_size * 32
        batches = []
        for start in range(0, len(indices), pool):
            members = indices[start:start + pool]
            members = members[np.argsort(self.lengths[members], kind="stable")]
            batches.extend(members[b:b + self.batch_size] for b in range(0, len(members), self.batch_size))
        order = np.random.default_rng([self.seed, self.epoch, self.rank]).permutation(len(batches))
        return iter([batches[i] for i in order])

    def __len__(self):
        n = len(self.sampler)
        pool = self.batch_size * 32
        return sum(-(-min(pool, n - start) // self.batch_size) for start in range(0, n, pool))
