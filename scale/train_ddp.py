#!/usr/bin/env python3
"""Trains a Sentiment Lens model on a prepared folder with PyTorch DistributedDataParallel and
writes a model folder (tfjs Layers model.json + weights.bin + metadata.json) the extension and
the CLI load as is.

One machine, N processes (gloo on CPU, NCCL on GPUs):
    torchrun --nproc_per_node 2 scale/train_ddp.py --data PREPARED --out MODEL
Many machines: the same command on each, with --nnodes, --node_rank/--rdzv-* (docs/scale-out.md).
Without torchrun it runs as a single process.

The training follows src/core/training/training.ts: Adam (tfjs epsilon 1e-7), clipping by global norm,
dropout on each recurrent layer's output, word dropout, every-step or final supervision,
weight averaging (Polyak, used for validation and the saved model), validation after each epoch,
the best epoch's weights kept, early stopping. --batch-size is the global batch: each of the
N processes takes batch-size / N examples, and the loss is the mean over the whole global batch.
"""
import argparse
import copy
import datetime
import json
import os
import sys
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # torch's own threads do the parallel work

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
from torch.nn.parallel import DistributedDataParallel  # noqa: E402
from torch.utils.data.distributed import DistributedSampler  # noqa: E402

if __package__ in (None, ""):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from scale.data import LengthBucketBatchSampler, PreparedData  # noqa: E402
from scale.network import Classifier, final_logits, loss_terms  # noqa: E402
from scale.tfjs_export import read_model_folder, write_model_folder  # noqa: E402

PAD_ID, OOV_ID = 0, 1
ARCHITECTURE_DEFAULTS = {"cell": "gru", "units": 128, "layers": 1, "embeddingDim": 100, "dropout": 0.5}
ARCHITECTURE_FLAGS = {"cell": "cell", "units": "units", "layers": "layers", "embeddingDim": "embedding_dim", "dropout": "dropout"}


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="folder written by `sentiment-lens prepare`")
    p.add_argument("--out", required=True, help="model folder to write (replaced if it is one)")
    p.add_argument("--name", help="model name in metadata.json (default: the prepared data's)")
    p.add_argument("--init-model", help="start from this model folder (fine-tune); prepare the data with --vocabulary-from it")
    p.add_argument("--cell", choices=["gru", "lstm"], help="default gru (or the --init-model's)")
    p.add_argument("--units", type=int, help="default 128 (or the --init-model's)")
    p.add_argument("--layers", type=int, help="default 1 (or the --init-model's)")
    p.add_argument("--embedding-dim", type=int, help="default 100 (or the --init-model's)")
    p.add_argument("--dropout", type=float, help="default 0.5 (or the --init-model's)")
    p.add_argument("--epochs", type=int, default=16)
    p.add_argument("--max-steps", type=int, default=0, help="stop each epoch after this many batches (0: whole epochs); for smoke tests")
    p.add_argument("--batch-size", type=int, default=64, help="global batch, split over the processes")
    p.add_argument("--learning-rate", type=float, default=1e-3)
    p.add_argument("--clip-norm", type=float, default=5.0)
    p.add_argument("--patience", type=int, default=2, help="epochs without a better validation accuracy before stopping (0: never)")
    p.add_argument("--weight-averaging", type=float, default=0.99, help="decay of the weights' moving average (0: off)")
    p.add_argument("--word-dropout", type=float, default=0.25)
    p.add_argument("--supervision", choices=["final", "every-step"], default="every-step")
    p.add_argument("--seed", type=int, default=42, help="weights, dropout and batch order (the split's seed is prepare's)")
    p.add_argument("--threads", type=int, default=0, help="torch threads per process (0: CPUs / local processes)")
    p.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto")
    p.add_argument("--checkpoint-dir", help="save a checkpoint here after every epoch (rank 0)")
    p.add_argument("--resume", action="store_true", help="continue from --checkpoint-dir/last.pt")
    p.add_argument("--probe", help="write per-step probabilities of some validation sentences, by the saved weights, to this JSON file")
    p.add_argument("--probe-sentences", type=int, default=32)
    args = p.parse_args(argv)
    if args.resume and not args.checkpoint_dir:
        p.error("--resume needs --checkpoint-dir")
    return args


class Distributed:
    """This process's place in the job (torchrun's environment variables) and its collectives."""

    def __init__(self, device_choice):
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        self.local_world = int(os.environ.get("LOCAL_WORLD_SIZE", "1"))
        use_cuda = device_choice == "cuda" or (device_choice == "auto" and torch.cuda.is_available())
        self.device = torch.device(f"cuda:{self.local_rank}" if use_cuda else "cpu")
        if use_cuda:
            torch.cuda.set_device(self.device)
        self.backend = "nccl" if use_cuda else "gloo"
        self.enabled = "RANK" in os.environ and self.world > 1
        if self.enabled:
            dist.init_process_group(self.backend)

    def sum(self, values):
        """Element-wise sum over all processes of a list of numbers (float64)."""
        tensor = torch.tensor(values, dtype=torch.float64, device=self.device)
        if self.enabled:
            dist.all_reduce(tensor)
        return tensor.cpu().tolist()

    def barrier(self):
        if self.enabled:
            dist.barrier()


def log(run, message):
    if run.rank == 0:
        print(message, file=sys.stderr, flush=True)


def evaluate(run, model, split, num_classes, batch_size=256):
    """Mean cross-entropy, accuracy and confusion matrix [gold][predicted] of the final-step
    predictions over the whole split; each process takes every world-th sentence."""
    model.eval()
    mine = np.arange(run.rank, len(split), run.world)
    mine = mine[np.argsort(split.lengths[mine], kind="stable")]
    confusion = np.zeros((num_classes, num_classes), dtype=np.float64)
    loss = 0.0
    with torch.no_grad():
        for start in range(0, len(mine), batch_size):
            ids, lengths, labels = (t.to(run.device) for t in split.batch(mine[start:start + batch_size]))
            logits = final_logits(model(ids), lengths, model.dense_bias)
            loss += float(torch.nn.functional.cross_entropy(logits, labels, reduction="sum"))
            predicted = logits.argmax(1)
            np.add.at(confusion, (labels.cpu().numpy(), predicted.cpu().numpy()), 1)
    totals = run.sum([loss, *confusion.ravel().tolist()])
    confusion = np.array(totals[1:]).reshape(num_classes, num_classes)
    n = confusion.sum()
    return {"loss": totals[0] / max(1, n), "accuracy": float(np.trace(confusion) / max(1, n)), "confusion": confusion.astype(int)}


def metrics_of(confusion, labels):
    """The metrics object of metadata.json (src/core/model/metrics.ts computeMetrics)."""
    n = int(confusion.sum())
    per_class, f1_sum = {}, 0.0
    for c, label in enumerate(labels):
        tp = int(confusion[c, c])
        predicted, support = int(confusion[:, c].sum()), int(confusion[c].sum())
        precision = tp / predicted if predicted else 0.0
        recall = tp / support if support else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {"precision": precision, "recall": recall, "f1": f1, "support": support}
        f1_sum += f1
    return {"n": n, "accuracy": float(np.trace(confusion)) / n if n else 0.0, "macroF1": f1_sum / len(labels),
            "perClass": per_class, "confusion": confusion.astype(int).tolist(), "labels": list(labels)}


def word_dropout(ids, rate, generator):
    """A copy of ids with each real token replaced by the unknown-word id with probability `rate`."""
    if rate <= 0:
        return ids
    drop = (torch.rand(ids.shape, generator=generator) < rate) & (ids != PAD_ID)
    return torch.where(drop, torch.full_like(ids, OOV_ID), ids)


def save_checkpoint(path, state):
    temporary = f"{path}.tmp"
    torch.save(state, temporary)
    os.replace(temporary, path)


def probe(model, split, count):
    """Ids and per-step probabilities [length][classes] of the first `count` non-empty sentences."""
    model.eval()
    chosen = [i for i in range(len(split)) if split.lengths[i] > 0][:count]
    result = []
    with torch.no_grad():
        for i in chosen:
            ids = torch.from_numpy(split.sequence(i).astype(np.int64))[None, :]
            probabilities = torch.softmax(model(ids), -1)[0]
            result.append({"ids": ids[0].tolist(), "probabilities": probabilities.tolist()})
    return result


def main(argv=None):
    args = parse_args(argv)
    run = Distributed(args.device)
    threads = args.threads or max(1, (os.cpu_count() or 1) // run.local_world)
    torch.set_num_threads(threads)
    started = time.perf_counter()
    data = PreparedData(args.data)
    labels = data.labels
    if args.batch_size % run.world:
        raise SystemExit(f"--batch-size {args.batch_size} must be a multiple of the number of processes ({run.world})")
    local_batch = args.batch_size // run.world
    initial = read_initial_model(args, data) if args.init_model else None
    base = initial[0] if initial else ARCHITECTURE_DEFAULTS
    arch = {key: getattr(args, flag) if getattr(args, flag) is not None else base[key] for key, flag in ARCHITECTURE_FLAGS.items()}
    arch.update({"vocabSize": data.vocab_size, "numClasses": len(labels)})
    if initial:
        changed = [key for key in ("cell", "units", "layers", "embeddingDim") if arch[key] != initial[0][key]]
        if changed:
            raise SystemExit(f"--init-model {args.init_model} has {', '.join(f'{k} {initial[0][k]}' for k in changed)}; leave those flags out")
    args.cell, args.units, args.layers, args.embedding_dim, args.dropout = (arch[k] for k in ARCHITECTURE_FLAGS)
    log(run, f"torch {torch.__version__}  {run.world} process(es), backend {run.backend}, {threads} thread(s) each, device {run.device}  "
             f"train {len(data.train)}  validation {len(data.validation)}  vocabulary {data.vocab_size}  "
             f"{args.cell} {args.layers}x{args.units}, embedding {args.embedding_dim}  global batch {args.batch_size} ({local_batch} per process)")

    torch.manual_seed(args.seed)
    raw = Classifier(arch).reset_parameters()
    if initial:
        raw.set_keras_weights([torch.from_numpy(np.array(w)) for w in initial[1]])
        log(run, f"starting from the weights of {args.init_model}")
    raw = raw.to(run.device)
    model = DistributedDataParallel(raw, device_ids=[run.device.index] if run.device.type == "cuda" else None) if run.enabled else raw
    optimizer = torch.optim.Adam(raw.parameters(), lr=args.learning_rate, betas=(0.9, 0.999), eps=1e-7)
    averaged = None  # Polyak average of the weights, a Classifier in eval use only
    if run.enabled:
        sampler = DistributedSampler(data.train, num_replicas=run.world, rank=run.rank, shuffle=True, seed=args.seed)
    else:
        sampler = torch.utils.data.RandomSampler(data.train, generator=torch.Generator().manual_seed(args.seed))
    batches = LengthBucketBatchSampler(sampler, data.train.lengths, local_batch, args.seed, run.rank)
    dropout_generator = torch.Generator().manual_seed(args.seed * 1000 + run.rank + 1)
    torch.manual_seed(args.seed * 1000 + run.rank + 1)  # dropout masks differ between processes
    history, best, first_epoch = [], {"epoch": 0, "accuracy": -1.0, "loss": float("inf"), "state": None}, 1

    checkpoint_path = os.path.join(args.checkpoint_dir, "last.pt") if args.checkpoint_dir else None
    if checkpoint_path and run.rank == 0:
        os.makedirs(args.checkpoint_dir, exist_ok=True)
    if args.resume and os.path.exists(checkpoint_path):
        state = torch.load(checkpoint_path, map_location=run.device)
        raw.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        if state["averaged"] is not None:
            averaged = copy.deepcopy(raw)
            averaged.load_state_dict(state["averaged"])
        history, best, first_epoch = state["history"], state["best"], state["epoch"] + 1
        log(run, f"resumed from {checkpoint_path} after epoch {state['epoch']}")

    for epoch in range(first_epoch, args.epochs + 1):
        model.train()
        batches.set_epoch(epoch)
        run.barrier()
        epoch_start = time.perf_counter()
        loss_sum = correct = positions = examples = tokens = 0.0
        for step, indices in enumerate(batches):
            if args.max_steps and step >= args.max_steps:
                break
            ids, lengths, targets = data.train.batch(indices)
            ids = word_dropout(ids, args.word_dropout, dropout_generator)
            ids, lengths, targets = ids.to(run.device), lengths.to(run.device), targets.to(run.device)
            logits = model(ids)
            batch_loss, batch_correct, count = loss_terms(logits, lengths, targets, args.supervision, raw.dense_bias)
            # Mean over the global batch's loss positions: DDP averages the processes' gradients, so scale by world / total.
            total = run.sum([count])[0] if run.enabled else count
            loss = batch_loss * (run.world / max(total, 1.0))
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(raw.parameters(), args.clip_norm)
            optimizer.step()
            if args.weight_averaging > 0:
                with torch.no_grad():
                    if averaged is None:
                        averaged = copy.deepcopy(raw)
                    else:
                        for a, w in zip(averaged.parameters(), raw.parameters()):
                            a.mul_(args.weight_averaging).add_(w, alpha=1 - args.weight_averaging)
            loss_sum += float(batch_loss)
            correct += float(batch_correct)
            positions += count
            examples += len(indices)
            tokens += float(lengths.sum())
        run.barrier()
        seconds = time.perf_counter() - epoch_start
        loss_sum, correct, positions, examples, tokens = run.sum([loss_sum, correct, positions, examples, tokens])
        evaluated = averaged if averaged is not None else raw
        if len(data.validation):
            evaluation = evaluate(run, evaluated, data.validation, len(labels))
        else:
            evaluation = {"loss": loss_sum / max(positions, 1), "accuracy": correct / max(positions, 1)}
        record = {"epoch": epoch, "loss": loss_sum / max(positions, 1), "accuracy": correct / max(positions, 1),
                  "validationLoss": evaluation["loss"], "validationAccuracy": evaluation["accuracy"], "seconds": seconds,
                  "examplesPerSecond": examples / seconds, "tokensPerSecond": tokens / seconds}
        history.append(record)
        if evaluation["accuracy"] > best["accuracy"] or (evaluation["accuracy"] == best["accuracy"] and evaluation["loss"] < best["loss"]):
            best = {"epoch": epoch, "accuracy": evaluation["accuracy"], "loss": evaluation["loss"],
                    "state": {k: v.detach().cpu().clone() for k, v in evaluated.state_dict().items()}}
        log(run, f"epoch {epoch}/{args.epochs}  loss {record['loss']:.4f}  acc {record['accuracy']:.4f}  "
                 f"val_loss {record['validationLoss']:.4f}  val_acc {record['validationAccuracy']:.4f}  "
                 f"{seconds:.1f} s  {record['examplesPerSecond']:.0f} examples/s  {record['tokensPerSecond']:.0f} tokens/s")
        if checkpoint_path and run.rank == 0:
            save_checkpoint(checkpoint_path, {"epoch": epoch, "model": raw.state_dict(), "optimizer": optimizer.state_dict(),
                                              "averaged": averaged.state_dict() if averaged is not None else None,
                                              "history": history, "best": best, "args": vars(args)})
        if len(data.validation) and args.patience > 0 and epoch - best["epoch"] >= args.patience:
            break

    final = Classifier(arch).to(run.device)
    final.load_state_dict(best["state"])
    split = data.validation if len(data.validation) else data.train
    metrics = metrics_of(evaluate(run, final, split, len(labels))["confusion"], labels)
    if run.rank == 0:
        export(args, run, data, arch, final, metrics, history, best, time.perf_counter() - started)
        if args.probe:
            with open(args.probe, "w", encoding="utf-8") as f:
                json.dump({"labels": labels, "sentences": probe(final.cpu(), split, args.probe_sentences)}, f)
        summary = {"bestEpoch": best["epoch"], "validationAccuracy": metrics["accuracy"], "macroF1": metrics["macroF1"],
                   "processes": run.world, "examplesPerSecond": [round(h["examplesPerSecond"], 1) for h in history],
                   "out": args.out}
        print(json.dumps(summary), flush=True)
    run.barrier()
    if run.enabled:
        # Every file is written. PyTorch 1.13's gloo process group can deadlock while being destroyed
        # (the main thread, holding the GIL, joins a gloo thread that waits for the GIL to free a
        # tensor), so end the process here without running destructors.
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)


def read_initial_model(args, data):
    """The --init-model's architecture and weights, after checking that the prepared data was
    encoded with its vocabulary and labels."""
    arch, metadata, weights = read_model_folder(args.init_model)
    if metadata["vocabulary"] != data.metadata["vocabulary"] or metadata["labels"] != data.labels:
        raise SystemExit(f"{args.data} was not prepared with the vocabulary and labels of {args.init_model}: "
                         f"run `sentiment-lens prepare ... --vocabulary-from {args.init_model}`")
    if arch["cell"] not in ("gru", "lstm"):
        raise SystemExit(f"{args.init_model} is a {arch['cell']} model; this trainer trains gru and lstm")
    return arch, weights


def export(args, run, data, arch, model, metrics, history, best, seconds):
    """Fills in the prepared metadata.json and writes the model folder."""
    metadata = copy.deepcopy(data.metadata)
    metadata["architecture"] = dict(arch)
    if args.name:
        metadata["name"] = args.name
    metadata["description"] = f"{arch['cell'].upper()} sentiment classifier ({' / '.join(data.labels)}), trained with PyTorch DistributedDataParallel"
    hyperparameters = metadata["training"]["hyperparameters"]
    hyperparameters.update({
        "cell": arch["cell"], "units": arch["units"], "layers": arch["layers"], "embeddingDim": arch["embeddingDim"],
        "dropout": arch["dropout"], "epochs": args.epochs, "batchSize": args.batch_size, "learningRate": args.learning_rate,
        "clipNorm": args.clip_norm, "patience": args.patience, "weightAveraging": args.weight_averaging,
        "wordDropout": args.word_dropout, "supervision": args.supervision, "trainerSeed": args.seed,
        **({"initialModel": os.path.basename(os.path.abspath(args.init_model))} if args.init_model else {}),
        "trainer": f"scale/train_ddp.py, PyTorch {torch.__version__}, {run.world} process(es), {run.backend}",
        "bestEpoch": best["epoch"], "history": history,
    })
    metadata["training"]["durationSeconds"] = round(seconds, 1)
    metadata["metrics"] = {"validation": metrics}
    metadata["createdAt"] = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    metadata["quantization"] = {"dtype": "none", "maxAbsError": 0}
    write_model_folder(args.out, arch, [w.numpy() for w in model.cpu().keras_weights()], metadata,
                       generated_by=f"Sentiment Lens scale/train_ddp.py (PyTorch {torch.__version__})")
    log(run, f"best epoch {best['epoch']}, validation accuracy {metrics['accuracy']:.4f}; saved to {args.out}")


if __name__ == "__main__":
    main()
