r"""The LSTM family: one cell whose switches give the variants compared by Greff et al. 2017.

Shapes: N batch, I input features, H hidden units. Parameters use lstm_lib's (and
PyTorch's) layout, ``weight_ih`` (4H, I), ``weight_hh`` (4H, H), two biases (4H,), gate
blocks i, f, g, o, plus, with peepholes, ``peephole`` (3H,) holding
:math:`p_i, p_f, p_o`. With every switch at its default the cell computes exactly what
:class:`lstm_lib.LSTMCell` computes.

The switches, each one of the variants of "LSTM: a search space odyssey":

- ``forget_gate=False``: the 1997 LSTM (Hochreiter and Schmidhuber), no forget gate:
  :math:`c' = c + i \odot g` (Greff et al.'s NFG). The f rows of the weights are unused
  and get zero gradients.
- ``peepholes=True``: Gers and Schmidhuber's peephole connections, in Graves' (2013)
  form: the input and forget gates see the old cell state, the output gate the new
  one, through diagonal weights.
- ``coupled=True``: one gate for input and forget, :math:`f = 1 - i` (CIFG); the f rows
  are unused.
- ``output_activation=False``: :math:`h' = o \odot c'` without the tanh (NOAF).

.. math::

    i &= \sigma(W_{ii} x + b_{ii} + W_{hi} h + b_{hi} + p_i \odot c) \\
    f &= \sigma(W_{if} x + b_{if} + W_{hf} h + b_{hf} + p_f \odot c)
        \quad \text{(or } 1 \text{, or } 1 - i\text{)} \\
    g &= \tanh(W_{ig} x + b_{ig} + W_{hg} h + b_{hg}) \\
    c' &= f \odot c + i \odot g \\
    o &= \sigma(W_{io} x + b_{io} + W_{ho} h + b_{ho} + p_o \odot c') \\
    h' &= o \odot \tanh(c') \quad \text{(or } o \odot c'\text{)}

There is no ``torch.nn`` counterpart for the variants, so their backward pass is
checked by finite differences (``tests/test_lstm_variants.py``).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..activations import sigmoid
from ..base import Recurrent
from ..validation import check_grad, check_input, check_state, unpack_pair

__all__ = ["VariantLSTMCell", "VariantCache", "VARIANTS"]

# Greff et al.'s variants are each their vanilla LSTM (with peepholes) changed in one
# way; "NP" (no peepholes) is the course's LSTMCell, and "LSTM1997" the original cell
# (no forget gate, no peepholes).
VARIANTS = {
    "vanilla": {"peepholes": True},
    "NP": {},
    "NFG": {"peepholes": True, "forget_gate": False},
    "CIFG": {"peepholes": True, "coupled": True},
    "NOAF": {"peepholes": True, "output_activation": False},
    "LSTM1997": {"forget_gate": False},
}


class VariantCache(NamedTuple):
    """What :meth:`VariantLSTMCell.forward` keeps: inputs, gates (after activation), states."""

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    act_c: np.ndarray  # tanh(c) or c
    batched: bool


class VariantLSTMCell(Recurrent):
    """One LSTM step with the switches of the module docstring and a hand-written backward.

    Parameters
    ----------
    input_size, hidden_size : int
    forget_gate, peepholes, coupled, output_activation : bool, optional
        The variant; the defaults give the course's LSTM cell.
    dtype : {np.float64, np.float32}, optional
    seed : int, optional
    """

    gates = 4

    def __init__(
        self,
        input_size,
        hidden_size,
        *,
        forget_gate=True,
        peepholes=False,
        coupled=False,
        output_activation=True,
        dtype=np.float64,
        seed=None,
    ):
        super().__init__(input_size, hidden_size, dtype=dtype, seed=seed)
        name = type(self).__name__
        for flag, value in (
            ("forget_gate", forget_gate),
            ("peepholes", peepholes),
            ("coupled", coupled),
            ("output_activation", output_activation),
        ):
            if not isinstance(value, bool):
                raise TypeError(f"{name}: expected {flag} to be True or False, got {value!r}")
        if coupled and not forget_gate:
            raise ValueError(
                f"{name}: coupled=True sets f = 1 - i and forget_gate=False sets f = 1; choose one"
            )
        self.forget_gate, self.coupled = forget_gate, coupled
        self.peepholes, self.output_activation = peepholes, output_activation
        if peepholes:
            # a stream of its own, so that the four PyTorch-shaped arrays stay those of
            # LSTMCell(input_size, hidden_size, seed=seed)
            own = seed if seed is None or isinstance(seed, np.random.Generator) else [seed, 1]
            rng = np.random.default_rng(own)
            bound = 1.0 / np.sqrt(hidden_size)
            self.peephole = rng.uniform(-bound, bound, 3 * hidden_size).astype(self.dtype)
            self.parameter_names = (*Recurrent.parameter_names, "peephole")

    @classmethod
    def from_torch(cls, module):
        raise NotImplementedError(
            "VariantLSTMCell: torch.nn has no LSTM variants; build it directly and copy "
            "weight_ih, weight_hh, bias_ih and bias_hh from a torch.nn.LSTMCell if needed"
        )

    def to_torch(self, dtype=None):
        raise NotImplementedError("VariantLSTMCell: torch.nn has no LSTM variants")

    def forward(self, x, state=None):
        """One step; returns ``((h, c), cache)``. Shapes as :meth:`lstm_lib.LSTMCell.forward`."""
        name, H = type(self).__name__, self.hidden_size
        x, batched = check_input(name, "x", x, self.input_size, self.dtype, sequence=False)
        N = x.shape[0]
        h_given, c_given = unpack_pair(name, state)
        h_prev = check_state(name, "h", h_given, N, H, self.dtype, batched)
        c_prev = check_state(name, "c", c_given, N, H, self.dtype, batched)

        z = (
            x @ self.weight_ih.T + self.bias_ih + h_prev @ self.weight_hh.T + self.bias_hh
        )  # (N, 4H)
        z_i, z_f, z_g, z_o = (z[:, k * H : (k + 1) * H] for k in range(4))
        if self.peepholes:
            p_i, p_f, p_o = (self.peephole[k * H : (k + 1) * H] for k in range(3))
            z_i = z_i + p_i * c_prev
            z_f = z_f + p_f * c_prev
        i = sigmoid(z_i)
        if self.coupled:
            f = 1 - i
        elif self.forget_gate:
            f = sigmoid(z_f)
        else:
            f = np.ones_like(i)
        g = np.tanh(z_g)
        c = f * c_prev + i * g
        if self.peepholes:
            z_o = z_o + p_o * c  # the output gate peeks at the new cell state
        o = sigmoid(z_o)
        act_c = np.tanh(c) if self.output_activation else c
        h = o * act_c
        cache = VariantCache(x, h_prev, c_prev, i, f, g, o, c, act_c, batched)
        return ((h, c) if batched else (h[0], c[0])), cache

    def backward(self, dout, cache):
        """Gradients given ``dout = (dh, dc)``; keys as :meth:`lstm_lib.LSTMCell.backward`
        plus ``"peephole"`` (3H,) when the cell has peepholes."""
        name, H = type(self).__name__, self.hidden_size
        i, f, g, o = cache.i, cache.f, cache.g, cache.o
        shape = i.shape if cache.batched else i.shape[1:]
        dh_given, dc_given = unpack_pair(name, dout, names=("dh", "dc"))
        dh = check_grad(name, "dh", dh_given, shape, i.dtype).reshape(i.shape)
        dc = check_grad(name, "dc", dc_given, shape, i.dtype).reshape(i.shape)

        dz_o = dh * cache.act_c * o * (1 - o)
        d_act = dh * o
        dc = dc + (d_act * (1 - cache.act_c**2) if self.output_activation else d_act)
        if self.peepholes:
            p_i, p_f, p_o = (self.peephole[k * H : (k + 1) * H] for k in range(3))
            dc = dc + dz_o * p_o  # through o's peephole on the new cell state
        d_i = dc * g
        d_f = dc * cache.c_prev
        if self.coupled:
            d_i = d_i - d_f  # f = 1 - i
            dz_f = np.zeros_like(d_f)
        elif self.forget_gate:
            dz_f = d_f * f * (1 - f)
        else:
            dz_f = np.zeros_like(d_f)
        dz_i = d_i * i * (1 - i)
        dz_g = dc * i * (1 - g**2)
        dc_prev = dc * f
        if self.peepholes:
            dc_prev = dc_prev + dz_i * p_i + dz_f * p_f
        dz = np.concatenate([dz_i, dz_f, dz_g, dz_o], axis=1)  # (N, 4H)
        grads = {
            "input": dz @ self.weight_ih,  # (N, I)
            "h_prev": dz @ self.weight_hh,  # (N, H)
            "c_prev": dc_prev,  # (N, H)
            "weight_ih": dz.T @ cache.x,  # (4H, I)
            "weight_hh": dz.T @ cache.h_prev,  # (4H, H)
            "bias_ih": dz.sum(axis=0),  # (4H,)
            "bias_hh": dz.sum(axis=0),
        }
        if self.peepholes:
            grads["peephole"] = np.concatenate(
                [
                    (dz_i * cache.c_prev).sum(axis=0),
                    (dz_f * cache.c_prev).sum(axis=0),
                    (dz_o * cache.c).sum(axis=0),
                ]
            )  # (3H,)
        if not cache.batched:
            for key in ("input", "h_prev", "c_prev"):
                grads[key] = grads[key][0]
        return grads

    def __repr__(self):
        flags = [
            f"{k}={getattr(self, k)}"
            for k, default in (
                ("forget_gate", True),
                ("peepholes", False),
                ("coupled", False),
                ("output_activation", True),
            )
            if getattr(self, k) != default
        ]
        extra = ", " + ", ".join(flags) if flags else ""
        return f"VariantLSTMCell({self.input_size}, {self.hidden_size}{extra}, dtype=np.{self.dtype.name})"
