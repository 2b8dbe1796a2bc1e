"""A plain (Elman) RNN over a whole sequence, with backpropagation through time.

Shapes: T time, N batch, I input features, H hidden units. Time-major, same parameters
as ``torch.nn.RNN``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Recurrent
from .rnn_cell import check_nonlinearity
from .sequence import parameter_grads, project_inputs, recurrent_weights
from .validation import check_input, check_sequence_grads, check_state

__all__ = ["RNN", "RNNCache"]


class RNNCache(NamedTuple):
    """What :meth:`RNN.forward` saves: ``xs`` (T, N, I), ``h0`` (N, H), ``h`` (T, N, H),
    the weights, the nonlinearity and ``batched``."""

    xs: np.ndarray
    h0: np.ndarray
    h: np.ndarray
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    nonlinearity: str
    batched: bool


class RNN(Recurrent):
    r"""Single-layer, unidirectional plain RNN over a sequence (time-major).

    Parameters
    ----------
    input_size : int
        I.
    hidden_size : int
        H.
    nonlinearity : {"tanh", "relu"}, optional
    dtype : {np.float64, np.float32}, optional
    seed : int, optional

    Attributes
    ----------
    weight_ih : ndarray (H, I)
    weight_hh : ndarray (H, H)
    bias_ih, bias_hh : ndarray (H,)

    Notes
    -----
    .. math:: h_t = \phi(x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh})
    """

    gates = 1

    def __init__(
        self, input_size, hidden_size, *, nonlinearity="tanh", dtype=np.float64, seed=None
    ):
        self.nonlinearity = check_nonlinearity(type(self).__name__, nonlinearity)
        super().__init__(input_size, hidden_size, dtype=dtype, seed=seed)

    def forward(self, xs, state=None):
        """Run the whole sequence.

        Parameters
        ----------
        xs : array_like (T, N, I) or (T, I)
        state : array_like (N, H) or (H,), optional
            ``h0``; zeros when missing.

        Returns
        -------
        out : tuple (hs, h_T)
            ``hs`` (T, N, H) and ``h_T`` (N, H); (T, H) and (H,) if unbatched.
        cache : RNNCache
        """
        name, H = type(self).__name__, self.hidden_size
        xs, batched = check_input(name, "xs", xs, self.input_size, self.dtype, sequence=True)
        T, N, _ = xs.shape
        h0 = check_state(name, "h0", state, N, H, self.dtype, batched)

        one = np.ones(1, dtype=self.dtype)  # a single gate, unscaled
        hs = project_inputs(xs, self.weight_ih, self.bias_ih + self.bias_hh, one)[0]  # (T, N, H)
        weight_hh_t = recurrent_weights(self.weight_hh, one)[0]  # (H, H)
        recurrent = np.empty((N, H), dtype=self.dtype)
        h = h0
        for t in range(T):
            np.matmul(h, weight_hh_t, out=recurrent)
            hs[t] += recurrent  # pre-activation, then h_t in place
            if self.nonlinearity == "tanh":
                np.tanh(hs[t], out=hs[t])
            else:
                np.maximum(hs[t], 0, out=hs[t])
            h = hs[t]

        cache = RNNCache(xs, h0, hs, self.weight_ih, self.weight_hh, self.nonlinearity, batched)
        if batched:
            return (hs, hs[-1].copy()), cache
        return (hs[:, 0], hs[-1, 0].copy()), cache

    def backward(self, dhs, cache, dstate=None):
        r"""Backpropagation through time: :math:`\delta a_t = \delta h_t \odot \phi'(a_t)`,
        :math:`\delta h_{t-1} \mathrel{+}= \delta a_t W_{hh}`.

        Parameters
        ----------
        dhs : array_like (T, N, H) or (T, H), or None
        cache : RNNCache
        dstate : array_like (N, H) or (H,), optional
            Gradient w.r.t. ``h_T``.

        Returns
        -------
        dict
            ``"input"`` (T, N, I), ``"h0"`` (N, H), ``"weight_ih"`` (H, I),
            ``"weight_hh"`` (H, H), ``"bias_ih"`` and ``"bias_hh"`` (H,).
        """
        name = type(self).__name__
        T, N, H = cache.h.shape
        dtype = cache.h.dtype
        dhs, (dh_next,) = check_sequence_grads(name, cache, dhs, dh_T=dstate)

        # phi'(a_t) written with h_t, for all t at once: 1 - h**2 (tanh) or [h > 0] (relu)
        slope = 1 - cache.h**2 if cache.nonlinearity == "tanh" else (cache.h > 0).astype(dtype)
        dz = np.empty((T, N, 1, H), dtype=dtype)  # one gate
        for t in reversed(range(T)):
            dz_t = dz[t, :, 0]  # (N, H)
            if dhs is None:
                np.multiply(dh_next, slope[t], out=dz_t)
            else:
                np.add(dhs[t], dh_next, out=dz_t)
                dz_t *= slope[t]
            np.matmul(dz_t, cache.weight_hh, out=dh_next)

        grads = parameter_grads(dz, dz, cache.xs, cache.h0, cache.h, cache.weight_ih)
        grads["h0"] = dh_next
        if not cache.batched:
            grads["input"], grads["h0"] = grads["input"][:, 0], dh_next[0]
        return grads
