"""One step of a long short-term memory (LSTM) cell, written gate by gate.

Shapes: N batch, I input features, H hidden units. Gate order i, f, g, o as in
``torch.nn.LSTMCell``, so weights move between the two without permutation.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import sigmoid
from .base import Recurrent
from .validation import check_grad, check_input, check_state, unpack_pair

__all__ = ["LSTMCell", "LSTMCellCache"]


class LSTMCellCache(NamedTuple):
    """What :meth:`LSTMCell.forward` saves for the backward pass; every array is (N, ·).

    Attributes
    ----------
    x : ndarray (N, I)
        The input.
    h_prev, c_prev : ndarray (N, H)
        The incoming hidden and cell states.
    i, f, g, o : ndarray (N, H)
        Input gate, forget gate, candidate (tanh) and output gate, after activation.
    c : ndarray (N, H)
        New cell state.
    tanh_c : ndarray (N, H)
        ``tanh(c)``, reused by the backward pass.
    h : ndarray (N, H)
        New hidden state.
    weight_ih, weight_hh : ndarray
        The weights used (the backward pass needs them).
    batched : bool
        False if the input was unbatched, (I,); gradients are then returned unbatched.
    """

    x: np.ndarray
    h_prev: np.ndarray
    c_prev: np.ndarray
    i: np.ndarray
    f: np.ndarray
    g: np.ndarray
    o: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray
    h: np.ndarray
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    batched: bool


class LSTMCell(Recurrent):
    r"""A single LSTM step, with PyTorch's parameters and a hand-written backward pass.

    Parameters
    ----------
    input_size : int
        I.
    hidden_size : int
        H.
    dtype : {np.float64, np.float32}, optional
    seed : int, optional
        Seed of the uniform :math:`\pm 1/\sqrt{H}` initialisation.

    Attributes
    ----------
    weight_ih : ndarray (4H, I)
        Rows ``[W_ii; W_if; W_ig; W_io]``.
    weight_hh : ndarray (4H, H)
        Rows ``[W_hi; W_hf; W_hg; W_ho]``.
    bias_ih, bias_hh : ndarray (4H,)

    Notes
    -----
    .. math::

        i &= \sigma(W_{ii} x + b_{ii} + W_{hi} h + b_{hi}) \\
        f &= \sigma(W_{if} x + b_{if} + W_{hf} h + b_{hf}) \\
        g &= \tanh(W_{ig} x + b_{ig} + W_{hg} h + b_{hg}) \\
        o &= \sigma(W_{io} x + b_{io} + W_{ho} h + b_{ho}) \\
        c' &= f \odot c + i \odot g \\
        h' &= o \odot \tanh(c')
    """

    gates = 4

    def forward(self, x, state=None):
        """Run one step and keep what the backward pass needs.

        Parameters
        ----------
        x : array_like (N, I) or (I,)
        state : tuple (h, c) of array_like (N, H) or (H,), optional
            Zeros when missing.

        Returns
        -------
        out : tuple (h, c) of ndarray (N, H), or (H,) for unbatched input
        cache : LSTMCellCache
            Named fields ``x`` (N, I); ``h_prev``, ``c_prev``; the gate activations ``i``,
            ``f``, ``g``, ``o``; ``c``, ``tanh_c``, ``h`` (each (N, H), with N = 1 for
            unbatched input); ``weight_ih``, ``weight_hh``, ``batched``.

        Raises
        ------
        ValueError, TypeError
            Wrong shape, batch size, state tuple or dtype.
        """
        name, H = type(self).__name__, self.hidden_size
        x, batched = check_input(name, "x", x, self.input_size, self.dtype, sequence=False)
        N = x.shape[0]
        h_given, c_given = unpack_pair(name, state)
        h_prev = check_state(name, "h", h_given, N, H, self.dtype, batched)
        c_prev = check_state(name, "c", c_given, N, H, self.dtype, batched)

        # the four gates' pre-activations side by side, columns [i | f | g | o]
        from_input = x @ self.weight_ih.T + self.bias_ih  # (N, 4H)
        from_hidden = h_prev @ self.weight_hh.T + self.bias_hh  # (N, 4H)
        z = from_input + from_hidden
        input_gate = sigmoid(z[:, 0 * H : 1 * H])  # (N, H)
        forget_gate = sigmoid(z[:, 1 * H : 2 * H])
        candidate = np.tanh(z[:, 2 * H : 3 * H])
        output_gate = sigmoid(z[:, 3 * H : 4 * H])

        c = forget_gate * c_prev + input_gate * candidate
        tanh_c = np.tanh(c)
        h = output_gate * tanh_c

        cache = LSTMCellCache(x, h_prev, c_prev, input_gate, forget_gate, candidate, output_gate,
                              c, tanh_c, h, self.weight_ih, self.weight_hh, batched)  # fmt: skip
        out = (h, c) if batched else (h[0], c[0])
        return out, cache

    def backward(self, dout, cache):
        r"""Gradients of a scalar loss, given ``dout = (dh, dc)`` from above.

        Parameters
        ----------
        dout : tuple (dh, dc) of array_like (N, H), or (H,) if unbatched
            Gradient of the loss with respect to the outputs ``h`` and ``c``; either
            may be None (zero).
        cache : LSTMCellCache

        Returns
        -------
        dict
            ``"input"`` (N, I), ``"h_prev"`` (N, H), ``"c_prev"`` (N, H),
            ``"weight_ih"`` (4H, I), ``"weight_hh"`` (4H, H), ``"bias_ih"`` (4H,),
            ``"bias_hh"`` (4H,).

        Notes
        -----
        With :math:`\delta c = dc + dh \odot o \odot (1 - \tanh^2 c')`:

        .. math::

            \delta o &= dh \odot \tanh c', \\
            \delta i &= \delta c \odot g, \\
            \delta f &= \delta c \odot c, \\
            \delta g &= \delta c \odot i, \\
            \frac{\partial L}{\partial c} &= \delta c \odot f

        Each gate gradient is then multiplied by its activation's derivative,
        :math:`s(1-s)` for a sigmoid output ``s`` and :math:`1 - t^2` for a tanh output ``t``,
        and the four stacked :math:`\delta z` (N, 4H) go through the two matmuls.
        """
        name = type(self).__name__
        i, f, g, o = cache.i, cache.f, cache.g, cache.o
        shape = i.shape if cache.batched else i.shape[1:]
        dh_given, dc_given = unpack_pair(name, dout, names=("dh", "dc"))
        dh = check_grad(name, "dh", dh_given, shape, i.dtype).reshape(i.shape)
        dc = check_grad(name, "dc", dc_given, shape, i.dtype).reshape(i.shape)

        d_output_gate = dh * cache.tanh_c
        dc = dc + dh * o * (1 - cache.tanh_c**2)
        d_input_gate = dc * g
        d_forget_gate = dc * cache.c_prev
        d_candidate = dc * i
        dz = np.concatenate(
            [
                d_input_gate * i * (1 - i),
                d_forget_gate * f * (1 - f),
                d_candidate * (1 - g**2),
                d_output_gate * o * (1 - o),
            ],
            axis=1,
        )  # (N, 4H)

        grads = {
            "input": dz @ cache.weight_ih,  # (N, I)
            "h_prev": dz @ cache.weight_hh,  # (N, H)
            "c_prev": dc * f,  # (N, H)
            "weight_ih": dz.T @ cache.x,  # (4H, I)
            "weight_hh": dz.T @ cache.h_prev,  # (4H, H)
            "bias_ih": dz.sum(axis=0),  # (4H,)
            "bias_hh": dz.sum(axis=0),
        }
        if not cache.batched:
            for key in ("input", "h_prev", "c_prev"):
                grads[key] = grads[key][0]
        return grads
