"""One step of a gated recurrent unit (GRU), in PyTorch's variant.

Shapes: N batch, I input features, H hidden units. Gate order r, z, n as in
``torch.nn.GRUCell``. PyTorch applies the reset gate *after* the recurrent matmul,
``r * (W_hn h + b_hn)``; Cho et al. (2014) apply it before, ``W_hn (r * h)``.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import sigmoid
from .base import Recurrent
from .validation import check_grad, check_input, check_state

__all__ = ["GRUCell", "GRUCellCache"]


class GRUCellCache(NamedTuple):
    """What :meth:`GRUCell.forward` saves; every array is (N, ·).

    Attributes
    ----------
    x : ndarray (N, I)
    h_prev : ndarray (N, H)
    r, z, n : ndarray (N, H)
        Reset gate, update gate and candidate, after activation.
    hn : ndarray (N, H)
        ``W_hn h_prev + b_hn``, the recurrent part the reset gate scales.
    h : ndarray (N, H)
        New hidden state.
    weight_ih, weight_hh : ndarray
    batched : bool
    """

    x: np.ndarray
    h_prev: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray
    h: np.ndarray
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    batched: bool


class GRUCell(Recurrent):
    r"""A single GRU step, with PyTorch's parameters and a hand-written backward pass.

    Parameters
    ----------
    input_size : int
        I.
    hidden_size : int
        H.
    dtype : {np.float64, np.float32}, optional
    seed : int, optional

    Attributes
    ----------
    weight_ih : ndarray (3H, I)
        Rows ``[W_ir; W_iz; W_in]``.
    weight_hh : ndarray (3H, H)
        Rows ``[W_hr; W_hz; W_hn]``.
    bias_ih, bias_hh : ndarray (3H,)

    Notes
    -----
    .. math::

        r &= \sigma(W_{ir} x + b_{ir} + W_{hr} h + b_{hr}) \\
        z &= \sigma(W_{iz} x + b_{iz} + W_{hz} h + b_{hz}) \\
        n &= \tanh(W_{in} x + b_{in} + r \odot (W_{hn} h + b_{hn})) \\
        h' &= (1 - z) \odot n + z \odot h
    """

    gates = 3

    def forward(self, x, state=None):
        """Run one step and keep what the backward pass needs.

        Parameters
        ----------
        x : array_like (N, I) or (I,)
        state : array_like (N, H) or (H,), optional
            The previous hidden state ``h``; zeros when missing.

        Returns
        -------
        h : ndarray (N, H), or (H,) for unbatched input
        cache : GRUCellCache
            Gate activations under the names ``r``, ``z``, ``n``, and ``hn``, ``h``.
        """
        name, H = type(self).__name__, self.hidden_size
        x, batched = check_input(name, "x", x, self.input_size, self.dtype, sequence=False)
        h_prev = check_state(name, "h", state, x.shape[0], H, self.dtype, batched)

        from_input = x @ self.weight_ih.T + self.bias_ih  # (N, 3H)
        from_hidden = h_prev @ self.weight_hh.T + self.bias_hh  # (N, 3H)
        reset_gate = sigmoid(from_input[:, :H] + from_hidden[:, :H])  # (N, H)
        update_gate = sigmoid(from_input[:, H : 2 * H] + from_hidden[:, H : 2 * H])
        hn = from_hidden[:, 2 * H :]
        candidate = np.tanh(from_input[:, 2 * H :] + reset_gate * hn)
        h = (1 - update_gate) * candidate + update_gate * h_prev

        cache = GRUCellCache(x, h_prev, reset_gate, update_gate, candidate, hn, h,
                             self.weight_ih, self.weight_hh, batched)  # fmt: skip
        return (h if batched else h[0]), cache

    def backward(self, dout, cache):
        r"""Gradients of a scalar loss, given ``dout = dh`` from above.

        Parameters
        ----------
        dout : array_like (N, H), or (H,) if unbatched
        cache : GRUCellCache

        Returns
        -------
        dict
            ``"input"`` (N, I), ``"h_prev"`` (N, H), ``"weight_ih"`` (3H, I),
            ``"weight_hh"`` (3H, H), ``"bias_ih"`` (3H,), ``"bias_hh"`` (3H,).

        Notes
        -----
        With :math:`a_n` the pre-activation of ``n`` and :math:`hn = W_{hn} h + b_{hn}`:

        .. math::

            \delta a_n &= dh \odot (1 - z) \odot (1 - n^2), &
            \delta a_z &= dh \odot (h - n) \odot z (1 - z), \\
            \delta a_r &= \delta a_n \odot hn \odot r (1 - r), &
            \delta hn &= \delta a_n \odot r, \\
            \frac{\partial L}{\partial h} &= dh \odot z + [\delta a_r, \delta a_z, \delta hn]\, W_{hh}
        """
        name = type(self).__name__
        r, z, n, hn = cache.r, cache.z, cache.n, cache.hn
        shape = r.shape if cache.batched else r.shape[1:]
        dh = check_grad(name, "dh", dout, shape, r.dtype).reshape(r.shape)

        d_candidate_pre = dh * (1 - z) * (1 - n**2)  # (N, H)
        d_update_pre = dh * (cache.h_prev - n) * z * (1 - z)
        d_reset_pre = d_candidate_pre * hn * r * (1 - r)
        d_from_input = np.concatenate(
            [d_reset_pre, d_update_pre, d_candidate_pre], axis=1
        )  # (N, 3H)
        d_from_hidden = np.concatenate([d_reset_pre, d_update_pre, d_candidate_pre * r], axis=1)

        grads = {
            "input": d_from_input @ cache.weight_ih,  # (N, I)
            "h_prev": dh * z + d_from_hidden @ cache.weight_hh,  # (N, H)
            "weight_ih": d_from_input.T @ cache.x,  # (3H, I)
            "weight_hh": d_from_hidden.T @ cache.h_prev,  # (3H, H)
            "bias_ih": d_from_input.sum(axis=0),  # (3H,)
            "bias_hh": d_from_hidden.sum(axis=0),
        }
        if not cache.batched:
            grads["input"], grads["h_prev"] = grads["input"][0], grads["h_prev"][0]
        return grads
