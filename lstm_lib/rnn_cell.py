"""One step of a plain (Elman) recurrent cell.

Shapes: N batch, I input features, H hidden units. Same parameters as ``torch.nn.RNNCell``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Recurrent
from .validation import check_grad, check_input, check_state

__all__ = ["RNNCell", "RNNCellCache", "NONLINEARITIES"]

NONLINEARITIES = ("tanh", "relu")


def check_nonlinearity(owner, nonlinearity):
    """Return ``nonlinearity`` if it is ``"tanh"`` or ``"relu"``, else raise ValueError."""
    if not isinstance(nonlinearity, str) or nonlinearity not in NONLINEARITIES:
        raise ValueError(f"{owner}: expected nonlinearity 'tanh' or 'relu', got {nonlinearity!r}")
    return nonlinearity


def activation_grad(nonlinearity, h):
    """Derivative of the activation, written in terms of its output ``h``."""
    if nonlinearity == "tanh":
        return 1 - h * h
    return (h > 0).astype(h.dtype)


class RNNCellCache(NamedTuple):
    """What :meth:`RNNCell.forward` saves: ``x`` (N, I), ``h_prev`` and ``h`` (N, H),
    the weights, the nonlinearity and ``batched``."""

    x: np.ndarray
    h_prev: np.ndarray
    h: np.ndarray
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    nonlinearity: str
    batched: bool


class RNNCell(Recurrent):
    r"""A single step of a plain RNN, :math:`h' = \phi(W_{ih} x + b_{ih} + W_{hh} h + b_{hh})`.

    Parameters
    ----------
    input_size : int
        I.
    hidden_size : int
        H.
    nonlinearity : {"tanh", "relu"}, optional
        :math:`\phi`.
    dtype : {np.float64, np.float32}, optional
    seed : int, optional

    Attributes
    ----------
    weight_ih : ndarray (H, I)
    weight_hh : ndarray (H, H)
    bias_ih, bias_hh : ndarray (H,)
    """

    gates = 1

    def __init__(
        self, input_size, hidden_size, *, nonlinearity="tanh", dtype=np.float64, seed=None
    ):
        self.nonlinearity = check_nonlinearity(type(self).__name__, nonlinearity)
        super().__init__(input_size, hidden_size, dtype=dtype, seed=seed)

    def forward(self, x, state=None):
        """Run one step.

        Parameters
        ----------
        x : array_like (N, I) or (I,)
        state : array_like (N, H) or (H,), optional
            Zeros when missing.

        Returns
        -------
        h : ndarray (N, H), or (H,) for unbatched input
        cache : RNNCellCache
        """
        name, H = type(self).__name__, self.hidden_size
        x, batched = check_input(name, "x", x, self.input_size, self.dtype, sequence=False)
        h_prev = check_state(name, "h", state, x.shape[0], H, self.dtype, batched)

        from_input = x @ self.weight_ih.T + self.bias_ih  # (N, H)
        pre = from_input + h_prev @ self.weight_hh.T + self.bias_hh
        h = np.tanh(pre) if self.nonlinearity == "tanh" else np.maximum(pre, 0)
        cache = RNNCellCache(
            x, h_prev, h, self.weight_ih, self.weight_hh, self.nonlinearity, batched
        )
        return (h if batched else h[0]), cache

    def backward(self, dout, cache):
        r"""Gradients given ``dout = dh``; :math:`\delta a = dh \odot \phi'(a)`.

        Returns
        -------
        dict
            ``"input"`` (N, I), ``"h_prev"`` (N, H), ``"weight_ih"`` (H, I),
            ``"weight_hh"`` (H, H), ``"bias_ih"`` (H,), ``"bias_hh"`` (H,).
        """
        name = type(self).__name__
        shape = cache.h.shape if cache.batched else cache.h.shape[1:]
        dh = check_grad(name, "dh", dout, shape, cache.h.dtype).reshape(cache.h.shape)
        d_pre = dh * activation_grad(cache.nonlinearity, cache.h)  # (N, H)
        grads = {
            "input": d_pre @ cache.weight_ih,  # (N, I)
            "h_prev": d_pre @ cache.weight_hh,  # (N, H)
            "weight_ih": d_pre.T @ cache.x,  # (H, I)
            "weight_hh": d_pre.T @ cache.h_prev,  # (H, H)
            "bias_ih": d_pre.sum(axis=0),  # (H,)
            "bias_hh": d_pre.sum(axis=0),
        }
        if not cache.batched:
            grads["input"], grads["h_prev"] = grads["input"][0], grads["h_prev"][0]
        return grads
