"""The network of src/core/model/architecture.ts in PyTorch, with its weights kept in (or mapped
exactly to) the Keras / tfjs layout that the TypeScript engine reads:

    ids [B, T] -> embedding [B, T, E] -> `layers` x (recurrent layer of `units`, dropout on its
    output while training) -> dense softmax over the classes at every step [B, T, C].

GRU: the engine's (and tfjs's) GRU is Keras's reset_after=False form with gates in the order
z (update), r (reset), h (candidate):
    z = sigmoid(x Wz + h Uz + bz), r = sigmoid(x Wr + h Ur + br),
    hh = tanh(x Wh + (r * h) Uh + bh), h' = z * h + (1 - z) * hh.
torch.nn.GRU is the reset-after form (n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), gates r, z, n),
a different function that no weight mapping turns into this one, so GRULayer computes the
equations above itself, with its parameters stored in the Keras layout.

LSTM: torch.nn.LSTM computes the same function as Keras's LSTM (gates i, f, g, o = Keras i, f, c, o);
the mapping is kernel = weight_ih^T, recurrent_kernel = weight_hh^T, bias = bias_ih + bias_hh.
"""
import math

import torch
from torch import nn


@torch.jit.script
def gru_steps(gates_x: torch.Tensor, recurrent_kernel: torch.Tensor) -> torch.Tensor:
    """Runs the reset-before GRU over every step. gates_x = x W + b [B, T, 3H] (blocks z, r, h);
    recurrent_kernel [H, 3H]. Returns the outputs [B, T, H] (zero initial state)."""
    units = recurrent_kernel.shape[0]
    u_zr = recurrent_kernel[:, : 2 * units]
    u_h = recurrent_kernel[:, 2 * units:]
    h = gates_x.new_zeros(gates_x.shape[0], units)
    outputs = []
    for t in range(gates_x.shape[1]):
        g = gates_x[:, t]
        zr = torch.sigmoid(torch.addmm(g[:, : 2 * units], h, u_zr))
        z = zr[:, :units]
        r = zr[:, units:]
        candidate = torch.tanh(torch.addmm(g[:, 2 * units:], r * h, u_h))
        h = candidate + z * (h - candidate)
        outputs.append(h)
    return torch.stack(outputs, 1)


class GRULayer(nn.Module):
    """Keras GRU (reset_after=False). Parameters in Keras layout: kernel [in, 3H],
    recurrent_kernel [H, 3H], bias [3H], gate blocks z, r, h."""

    gates = 3

    def __init__(self, input_dim, units):
        super().__init__()
        self.kernel = nn.Parameter(torch.empty(input_dim, 3 * units))
        self.recurrent_kernel = nn.Parameter(torch.empty(units, 3 * units))
        self.bias = nn.Parameter(torch.zeros(3 * units))

    def forward(self, x):
        return gru_steps(torch.matmul(x, self.kernel) + self.bias, self.recurrent_kernel)

    def keras_weights(self):
        return self.kernel.detach(), self.recurrent_kernel.detach(), self.bias.detach()

    @torch.no_grad()
    def set_keras_weights(self, kernel, recurrent_kernel, bias):
        self.kernel.copy_(kernel)
        self.recurrent_kernel.copy_(recurrent_kernel)
        self.bias.copy_(bias)


class LSTMLayer(nn.Module):
    """Keras LSTM through torch.nn.LSTM (one layer; same gate order i, f, c/g, o)."""

    gates = 4

    def __init__(self, input_dim, units):
        super().__init__()
        self.lstm = nn.LSTM(input_dim, units, batch_first=True)

    def forward(self, x):
        return self.lstm(x)[0]

    def keras_weights(self):
        lstm = self.lstm
        return (lstm.weight_ih_l0.detach().t(), lstm.weight_hh_l0.detach().t(),
                (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach())

    @torch.no_grad()
    def set_keras_weights(self, kernel, recurrent_kernel, bias):
        self.lstm.weight_ih_l0.copy_(kernel.t())
        self.lstm.weight_hh_l0.copy_(recurrent_kernel.t())
        self.lstm.bias_ih_l0.copy_(bias)
        self.lstm.bias_hh_l0.zero_()


LAYERS = {"gru": GRULayer, "lstm": LSTMLayer}


class Classifier(nn.Module):
    """The whole network; `arch` is the metadata's architecture dict (cell, vocabSize,
    embeddingDim, units, layers, numClasses, dropout)."""

    def __init__(self, arch):
        super().__init__()
        self.arch = dict(arch)
        cell, units = arch["cell"], arch["units"]
        if cell not in LAYERS:
            raise ValueError(f"cell must be one of {sorted(LAYERS)}, got {cell}")
        self.embedding = nn.Parameter(torch.empty(arch["vocabSize"], arch["embeddingDim"]))
        self.recurrent = nn.ModuleList(
            LAYERS[cell](arch["embeddingDim"] if layer == 0 else units, units) for layer in range(arch["layers"]))
        self.dropout = nn.Dropout(arch["dropout"])
        self.dense_kernel = nn.Parameter(torch.empty(units, arch["numClasses"]))
        self.dense_bias = nn.Parameter(torch.zeros(arch["numClasses"]))

    def forward(self, ids):
        """Logits at every step, [B, T, C] (softmax is in the loss / in probabilities())."""
        x = nn.functional.embedding(ids, self.embedding)
        for layer in self.recurrent:
            x = self.dropout(layer(x))
        return torch.matmul(x, self.dense_kernel) + self.dense_bias

    @torch.no_grad()
    def reset_parameters(self):
        """The engine's initialisation (src/core/engine/initWeights.ts), from torch's RNG:
        embedding U(-1, 1) with the padding row 0 zero; kernels Glorot-uniform; recurrent kernels
        orthogonal over the whole [H, G*H] matrix; biases zero except the LSTM forget gate (1)."""
        nn.init.uniform_(self.embedding, -1.0, 1.0)
        self.embedding[0].zero_()
        units = self.arch["units"]
        for layer in self.recurrent:
            gates = layer.gates
            kernel, recurrent_kernel, _ = layer.keras_weights()
            kernel = glorot_uniform(kernel.shape[0], gates * units)
            recurrent_kernel = torch.empty(units, gates * units)
            nn.init.orthogonal_(recurrent_kernel)
            bias = torch.zeros(gates * units)
            if gates == 4:
                bias[units:2 * units] = 1.0
            layer.set_keras_weights(kernel, recurrent_kernel, bias)
        self.dense_kernel.copy_(glorot_uniform(units, self.arch["numClasses"]))
        self.dense_bias.zero_()
        return self

    def keras_weights(self):
        """Every weight in the engine's order (architecture.ts weightShapes): embedding, then per
        layer kernel, recurrent kernel, bias, then dense kernel, bias. float32 CPU tensors."""
        weights = [self.embedding.detach()]
        for layer in self.recurrent:
            weights.extend(layer.keras_weights())
        weights.extend([self.dense_kernel.detach(), self.dense_bias.detach()])
        return [w.float().cpu().contiguous() for w in weights]

    @torch.no_grad()
    def set_keras_weights(self, weights):
        """The inverse of keras_weights()."""
        self.embedding.copy_(weights[0])
        for i, layer in enumerate(self.recurrent):
            layer.set_keras_weights(*weights[1 + 3 * i: 4 + 3 * i])
        self.dense_kernel.copy_(weights[-2])
        self.dense_bias.copy_(weights[-1])


def glorot_uniform(fan_in, fan_out):
    limit = math.sqrt(6.0 / (fan_in + fan_out))
    return torch.empty(fan_in, fan_out).uniform_(-limit, limit)


def loss_terms(logits, lengths, labels, supervision, dense_bias):
    """Sum of cross-entropies and number of correct predictions over the loss positions, and
    their number: every real step (t < length) labelled with its sentence's label
    ('every-step'), or the last real step of each sentence ('final'; for an empty sentence the
    state is zero, so its logits are the dense bias alone, as in the engine)."""
    batch, steps, _ = logits.shape
    if supervision == "every-step":
        mask = torch.arange(steps, device=logits.device)[None, :] < lengths[:, None]
        chosen = logits[mask]
        targets = labels[:, None].expand(batch, steps)[mask]
    else:
        chosen = final_logits(logits, lengths, dense_bias)
        targets = labels
    loss_sum = nn.functional.cross_entropy(chosen, targets, reduction="sum")
    correct = (chosen.argmax(1) == targets).sum()
    return loss_sum, correct, targets.numel()


def final_logits(logits, lengths, dense_bias):
    """Logits at each sentence's last real step [B, C]; the dense bias for an empty sentence."""
    last = (lengths - 1).clamp(min=0)
    chosen = logits[torch.arange(logits.shape[0], device=logits.device), last]
    empty = lengths == 0
    if bool(empty.any()):
        chosen = torch.where(empty[:, None], dense_bias.expand_as(chosen), chosen)
    return chosen
