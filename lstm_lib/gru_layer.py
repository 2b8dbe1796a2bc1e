"""A GRU over a whole sequence, in the fused form, with backpropagation through time.

Shapes: T time, N batch, I input features, H hidden units. Time-major, gate order
r, z, n and PyTorch's candidate ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``; see
:class:`lstm_lib.GRUCell` for the step written gate by gate.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .activations import sigmoid_inplace
from .base import Recurrent
from .sequence import parameter_grads, project_inputs
from .validation import check_grad, check_input, check_state

__all__ = ["GRU", "GRUCache"]


class GRUCache(NamedTuple):
    """What :meth:`GRU.forward` saves; per-step arrays are (T, N, H), also for unbatched input.

    Attributes
    ----------
    xs : ndarray (T, N, I)
    h0 : ndarray (N, H)
    r, z, n : ndarray (T, N, H)
        Reset gate, update gate and candidate at every step, after activation.
    hn : ndarray (T, N, H)
        ``W_hn h_{t-1} + b_hn`` at every step.
    h : ndarray (T, N, H)
        Hidden state after every step (the output ``hs``).
    weight_ih, weight_hh : ndarray
    batched : bool
    """

    xs: np.ndarray
    h0: np.ndarray
    r: np.ndarray
    z: np.ndarray
    n: np.ndarray
    hn: np.ndarray
    h: np.ndarray
    weight_ih: np.ndarray
    weight_hh: np.ndarray
    batched: bool


class GRU(Recurrent):
    r"""Single-layer, unidirectional GRU over a sequence (time-major).

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

        r_t &= \sigma(W_{ir} x_t + b_{ir} + W_{hr} h_{t-1} + b_{hr}) \\
        z_t &= \sigma(W_{iz} x_t + b_{iz} + W_{hz} h_{t-1} + b_{hz}) \\
        n_t &= \tanh(W_{in} x_t + b_{in} + r_t \odot (W_{hn} h_{t-1} + b_{hn})) \\
        h_t &= (1 - z_t) \odot n_t + z_t \odot h_{t-1}
    """

    gates = 3

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
        cache : GRUCache
            Per-step gates ``r``, ``z``, ``n`` and states ``h``, each (T, N, H).
        """
        name, H = type(self).__name__, self.hidden_size
        xs, batched = check_input(name, "xs", xs, self.input_size, self.dtype, sequence=True)
        T, N, _ = xs.shape
        h0 = check_state(name, "h0", state, N, H, self.dtype, batched)

        # b_hr and b_hz are added once here; b_hn must stay inside r * (W_hn h + b_hn)
        folded_bias = self.bias_ih.copy()
        folded_bias[: 2 * H] += self.bias_hh[: 2 * H]
        gates = project_inputs(xs, self.weight_ih, folded_bias)  # (T, N, 3H)
        hns = np.empty((T, N, H), dtype=self.dtype)
        hs = np.empty((T, N, H), dtype=self.dtype)
        recurrent = np.empty((N, 3 * H), dtype=self.dtype)
        scratch = np.empty((N, H), dtype=self.dtype)
        weight_hh_t, bias_hn = self.weight_hh.T, self.bias_hh[2 * H :]
        h = h0
        with np.errstate(over="ignore", under="ignore"):  # exact limits, see sigmoid()
            for t in range(T):
                a = gates[t]  # (N, 3H): pre-activations, then activations, in place
                np.matmul(h, weight_hh_t, out=recurrent)
                a[:, : 2 * H] += recurrent[:, : 2 * H]
                sigmoid_inplace(a[:, : 2 * H], a[:, : 2 * H])  # r, z
                r, z, n = a[:, :H], a[:, H : 2 * H], a[:, 2 * H :]
                np.add(recurrent[:, 2 * H :], bias_hn, out=hns[t])
                np.multiply(r, hns[t], out=scratch)  # n = tanh(a_n + r * hn)
                n += scratch
                np.tanh(n, out=n)
                np.subtract(h, n, out=hs[t])  # h_t = n + z * (h_{t-1} - n)
                hs[t] *= z
                hs[t] += n
                h = hs[t]

        cache = GRUCache(
            xs,
            h0,
            gates[..., :H],
            gates[..., H : 2 * H],
            gates[..., 2 * H :],
            hns,
            hs,
            self.weight_ih,
            self.weight_hh,
            batched,
        )
        if batched:
            return (hs, hs[-1].copy()), cache
        return (hs[:, 0], hs[-1, 0].copy()), cache

    def backward(self, dhs, cache, dstate=None):
        r"""Backpropagation through time.

        Parameters
        ----------
        dhs : array_like (T, N, H) or (T, H), or None
        cache : GRUCache
        dstate : array_like (N, H) or (H,), optional
            Gradient w.r.t. ``h_T``.

        Returns
        -------
        dict
            ``"input"`` (T, N, I), ``"h0"`` (N, H), ``"weight_ih"`` (3H, I),
            ``"weight_hh"`` (3H, H), ``"bias_ih"`` and ``"bias_hh"`` (3H,).

        Notes
        -----
        At each step, with :math:`\delta h_t` from ``dhs`` plus the step after:

        .. math::

            \delta a_n &= \delta h_t \odot (1 - z_t) \odot (1 - n_t^2), \quad
            \delta a_z = \delta h_t \odot (h_{t-1} - n_t) \odot z_t (1 - z_t) \\
            \delta a_r &= \delta a_n \odot hn_t \odot r_t (1 - r_t), \quad
            \delta hn_t = \delta a_n \odot r_t \\
            \delta h_{t-1} &= \delta h_t \odot z_t + [\delta a_r, \delta a_z, \delta hn_t]\, W_{hh}
        """
        name = type(self).__name__
        T, N, H = cache.h.shape
        dtype = cache.h.dtype
        seq_shape, state_shape = ((T, N, H), (N, H)) if cache.batched else ((T, H), (H,))
        if dhs is not None:
            dhs = check_grad(name, "dhs", dhs, seq_shape, dtype).reshape(T, N, H)
        dh_next = check_grad(name, "dh_T", dstate, state_shape, dtype).reshape(N, H).copy()

        dz_input = np.empty((T, N, 3 * H), dtype=dtype)  # w.r.t. x W_ih^T + b_ih
        dz_hidden = np.empty((T, N, 3 * H), dtype=dtype)  # w.r.t. h W_hh^T + b_hh
        dh = np.empty((N, H), dtype=dtype)
        scratch = np.empty((N, H), dtype=dtype)
        for t in reversed(range(T)):
            r, z, n, hn = cache.r[t], cache.z[t], cache.n[t], cache.hn[t]
            h_prev = cache.h[t - 1] if t > 0 else cache.h0
            da_r, da_z, da_n = (
                dz_input[t, :, :H],
                dz_input[t, :, H : 2 * H],
                dz_input[t, :, 2 * H :],
            )
            if dhs is None:
                np.copyto(dh, dh_next)
            else:
                np.add(dhs[t], dh_next, out=dh)
            np.multiply(n, n, out=scratch)  # da_n = dh * (1 - z) * (1 - n**2)
            np.subtract(1, scratch, out=scratch)
            np.multiply(dh, scratch, out=da_n)
            np.subtract(1, z, out=scratch)
            da_n *= scratch
            scratch *= z  # da_z = dh * (h_prev - n) * z * (1 - z)
            np.subtract(h_prev, n, out=da_z)
            da_z *= scratch
            da_z *= dh
            np.subtract(1, r, out=scratch)  # da_r = da_n * hn * r * (1 - r)
            scratch *= r
            scratch *= hn
            np.multiply(da_n, scratch, out=da_r)
            np.copyto(dz_hidden[t, :, : 2 * H], dz_input[t, :, : 2 * H])
            np.multiply(da_n, r, out=dz_hidden[t, :, 2 * H :])
            np.matmul(dz_hidden[t], cache.weight_hh, out=dh_next)  # dh_{t-1} = dh * z + dz W_hh
            np.multiply(dh, z, out=scratch)
            dh_next += scratch

        grads = parameter_grads(dz_input, dz_hidden, cache.xs, cache.h0, cache.h, cache.weight_ih)
        grads["h0"] = dh_next
        if not cache.batched:
            grads["input"], grads["h0"] = grads["input"][:, 0], dh_next[0]
        return grads
