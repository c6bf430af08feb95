"""Writing a model folder in the TensorFlow.js Layers format, as src/core/model/modelIO.ts does:
model.json (the topology tfjs-layers writes for the network of architecture.ts, and a
weightsManifest), weights.bin (float32, little-endian, in the engine's weight order) and
metadata.json. The folder is written to a temporary sibling and renamed into place.
"""
import json
import os
import secrets
import shutil

import numpy as np

TFJS_LAYERS_VERSION = "4.22.0"  # the tfjs-layers release whose topology JSON this reproduces


def weight_names(arch):
    """Names tfjs gives the weights of buildLayersModel(arch), in weightShapes() order."""
    names = ["embedding/embeddings"]
    for layer in range(arch["layers"]):
        names += [f"rnn_{layer}/kernel", f"rnn_{layer}/recurrent_kernel", f"rnn_{layer}/bias"]
    return names + ["softmax/kernel", "softmax/bias"]


def weight_shapes(arch):
    """Shapes in the same order (architecture.ts weightShapes)."""
    gates = {"gru": 3, "lstm": 4, "simple": 1}[arch["cell"]]
    units, embedding_dim = arch["units"], arch["embeddingDim"]
    shapes = [[arch["vocabSize"], embedding_dim]]
    for layer in range(arch["layers"]):
        input_dim = embedding_dim if layer == 0 else units
        shapes += [[input_dim, gates * units], [units, gates * units], [gates * units]]
    return shapes + [[units, arch["numClasses"]], [arch["numClasses"]]]


def _variance_scaling(distribution):
    return {"class_name": "VarianceScaling",
            "config": {"scale": 1, "mode": "fan_avg", "distribution": distribution, "seed": None}}


def layers_topology(arch):
    """The modelTopology tfjs-layers writes for buildLayersModel(arch) (src/core/model/tfjsModel.ts)."""
    inbound = lambda name: [[[name, 0, 0, {}]]]  # noqa: E731
    layers = [
        {"name": "token_ids", "class_name": "InputLayer",
         "config": {"batch_input_shape": [None, None], "dtype": "int32", "sparse": False, "name": "token_ids"},
         "inbound_nodes": []},
        {"name": "embedding", "class_name": "Embedding",
         "config": {"input_dim": arch["vocabSize"], "output_dim": arch["embeddingDim"],
                    "embeddings_initializer": {"class_name": "RandomUniform", "config": {"minval": -0.05, "maxval": 0.05, "seed": None}},
                    "embeddings_regularizer": None, "activity_regularizer": None, "embeddings_constraint": None,
                    "mask_zero": None, "input_length": None, "name": "embedding", "trainable": True,
                    "batch_input_shape": [None, None]},
         "inbound_nodes": inbound("token_ids")},
    ]
    previous = "embedding"
    for layer in range(arch["layers"]):
        name = f"rnn_{layer}"
        config = {"name": name, "trainable": True, "units": arch["units"], "activation": "tanh"}
        if arch["cell"] != "simple":
            config["recurrent_activation"] = "sigmoid"
        config.update({"use_bias": True, "kernel_initializer": _variance_scaling("normal"),
                       "recurrent_initializer": _variance_scaling("uniform"),
                       "bias_initializer": {"class_name": "Zeros", "config": {}}})
        if arch["cell"] == "lstm":
            config["unit_forget_bias"] = None
        config.update({"kernel_regularizer": None, "recurrent_regularizer": None, "bias_regularizer": None,
                       "activity_regularizer": None, "kernel_constraint": None, "recurrent_constraint": None,
                       "bias_constraint": None, "dropout": 0, "recurrent_dropout": 0})
        if arch["cell"] != "simple":
            config["implementation"] = None
        if arch["cell"] == "gru":
            config["reset_after"] = False
        config.update({"return_sequences": True, "return_state": False, "go_backwards": False,
                       "stateful": False, "unroll": False})
        class_name = {"gru": "GRU", "lstm": "LSTM", "simple": "SimpleRNN"}[arch["cell"]]
        layers.append({"name": name, "class_name": class_name, "config": config, "inbound_nodes": inbound(previous)})
        dropout = f"dropout_{layer}"
        layers.append({"name": dropout, "class_name": "Dropout",
                       "config": {"rate": arch["dropout"], "noise_shape": None, "seed": None, "name": dropout, "trainable": True},
                       "inbound_nodes": inbound(name)})
        previous = dropout
    layers.append({"name": "softmax", "class_name": "Dense",
                   "config": {"units": arch["numClasses"], "activation": "softmax", "use_bias": True,
                              "kernel_initializer": _variance_scaling("normal"),
                              "bias_initializer": {"class_name": "Zeros", "config": {}},
                              "kernel_regularizer": None, "bias_regularizer": None, "activity_regularizer": None,
                              "kernel_constraint": None, "bias_constraint": None, "name": "softmax", "trainable": True},
                   "inbound_nodes": inbound(previous)})
    return {"class_name": "Model",
            "config": {"name": "sentiment_lens", "layers": layers,
                       "input_layers": [["token_ids", 0, 0]], "output_layers": [["softmax", 0, 0]]},
            "keras_version": f"tfjs-layers {TFJS_LAYERS_VERSION}", "backend": "tensor_flow.js"}


def format_metadata(metadata):
    """metadata.json text as modelIO.ts writes it: indented, the vocabulary on one line."""
    text = json.dumps({**metadata, "vocabulary": "VOCABULARY"}, indent=2, ensure_ascii=False)
    return text.replace('\n  "vocabulary": "VOCABULARY"',
                        '\n  "vocabulary": ' + json.dumps(metadata["vocabulary"], ensure_ascii=False), 1) + "\n"


def write_model_folder(folder, arch, weights, metadata, generated_by):
    """Writes model.json + weights.bin (float32) + metadata.json to `folder`, replacing it only
    if it is empty or already a model folder (holds model.json). `weights` are arrays in
    weight_shapes(arch) order; their shapes are checked."""
    shapes = weight_shapes(arch)
    arrays = [np.ascontiguousarray(np.asarray(w, dtype="<f4")) for w in weights]
    if len(arrays) != len(shapes):
        raise ValueError(f"expected {len(shapes)} weight arrays, got {len(arrays)}")
    for name, shape, array in zip(weight_names(arch), shapes, arrays):
        if list(array.shape) != shape:
            raise ValueError(f"weight {name}: shape {list(array.shape)}, expected {shape}")
        if not np.isfinite(array).all():
            raise ValueError(f"weight {name} contains NaN or Infinity; not saving")
    target = os.path.abspath(folder)
    if os.path.exists(target):
        if not os.path.isdir(target) or (os.listdir(target) and not os.path.exists(os.path.join(target, "model.json"))):
            raise ValueError(f"{folder} exists and is not a model folder (no model.json); choose a new or empty folder")
    model_json = {
        "format": "layers-model",
        "generatedBy": generated_by,
        "convertedBy": None,
        "modelTopology": layers_topology(arch),
        "weightsManifest": [{"paths": ["weights.bin"], "weights": [
            {"name": name, "shape": shape, "dtype": "float32"} for name, shape in zip(weight_names(arch), shapes)]}],
    }
    parent = os.path.dirname(target)
    os.makedirs(parent, exist_ok=True)
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    temporary = os.path.join(parent, f".{os.path.basename(target)}.saving-{tag}")
    aside = os.path.join(parent, f".{os.path.basename(target)}.replaced-{tag}")
    os.mkdir(temporary)
    try:
        with open(os.path.join(temporary, "weights.bin"), "wb") as f:
            for array in arrays:
                f.write(array.tobytes())
        with open(os.path.join(temporary, "model.json"), "w", encoding="utf-8") as f:
            json.dump(model_json, f)
        with open(os.path.join(temporary, "metadata.json"), "w", encoding="utf-8") as f:
            f.write(format_metadata(metadata))
        had_old = os.path.exists(target)
        if had_old:
            os.rename(target, aside)
        try:
            os.rename(temporary, target)
        except OSError:
            if had_old:
                os.rename(aside, target)
            raise
        if had_old:
            shutil.rmtree(aside, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


def read_model_folder(folder):
    """The architecture (from metadata.json), the metadata and the float32 weights (numpy, in
    weight_shapes order) of a model folder in the tfjs Layers format: ours, any quantization
    (uint8 / uint16 affine, float16), weights matched by our names or else by listed order."""
    with open(os.path.join(folder, "model.json"), encoding="utf-8") as f:
        model_json = json.load(f)
    with open(os.path.join(folder, "metadata.json"), encoding="utf-8") as f:
        metadata = json.load(f)
    arch = metadata["architecture"]
    decoded = []
    for group in model_json["weightsManifest"]:
        data = b"".join(open(os.path.join(folder, os.path.basename(p)), "rb").read() for p in group["paths"])
        offset = 0
        for spec in group["weights"]:
            size = int(np.prod(spec["shape"], dtype=np.int64))
            quantization = spec.get("quantization")
            kind = quantization["dtype"] if quantization else spec["dtype"]
            dtype = {"float32": "<f4", "uint8": "u1", "uint16": "<u2", "float16": "<f2"}[kind]
            raw = np.frombuffer(data, dtype=dtype, count=size, offset=offset)
            offset += raw.nbytes
            if kind in ("uint8", "uint16"):
                values = raw.astype(np.float32) * np.float32(quantization["scale"]) + np.float32(quantization["min"])
            else:
                values = raw.astype(np.float32)
            decoded.append((spec["name"], values.reshape(spec["shape"])))
    by_name = dict(decoded)
    names = weight_names(arch)
    weights = [by_name[n] for n in names] if all(n in by_name for n in names) else [w for _, w in decoded]
    shapes = weight_shapes(arch)
    if len(weights) != len(shapes) or any(list(w.shape) != s for w, s in zip(weights, shapes)):
        raise ValueError(f"{folder}: the weights do not fit the architecture in metadata.json")
    return arch, metadata, weights
