"""A GRU over a whole sequence, in the fused form, with backpropagation through time.

Shapes: T time, N batch, I input features, H hidden units. Time-major, gate order
r, z, n and PyTorch's candidate ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))``; see
:class:`lstm_lib.GRUCell` for the step written gate by gate.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Recurrent
from .sequence import gate_scale, parameter_grads, previous, project_inputs, recurrent_weights
from .validation import check_input, check_sequence_grads, check_state

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
            Named fields ``xs`` (T, N, I); ``h0`` (N, H); the per-step gates ``r``, ``z``,
            ``n``, ``hn = W_hn h_{t-1} + b_hn`` and states ``h``, each (T, N, H);
            ``weight_ih``, ``weight_hh``, ``batched``.
        """
        name, H = type(self).__name__, self.hidden_size
        xs, batched = check_input(name, "xs", xs, self.input_size, self.dtype, sequence=True)
        T, N, _ = xs.shape
        h0 = check_state(name, "h0", state, N, H, self.dtype, batched)

        # b_hr and b_hz are added once here; b_hn must stay inside r * (W_hn h + b_hn).
        # sigma(a) = (1 + tanh(a / 2)) / 2: the r, z rows are halved, see gate_scale()
        scale = gate_scale("sst", self.dtype)  # (3,)
        folded_bias = self.bias_ih.copy()
        folded_bias[: 2 * H] += self.bias_hh[: 2 * H]
        gates = project_inputs(xs, self.weight_ih, folded_bias, scale)  # (3, T, N, H)
        weights_hh = recurrent_weights(self.weight_hh, scale)  # (3, H, H)
        bias_hn = self.bias_hh[2 * H :]
        reset_gate, update_gate, candidate = gates  # each (T, N, H)
        hns = np.empty((T, N, H), dtype=self.dtype)
        hs = np.empty((T, N, H), dtype=self.dtype)
        recurrent = np.empty((3, N, H), dtype=self.dtype)
        scratch = np.empty((N, H), dtype=self.dtype)
        h = h0
        for t in range(T):
            np.matmul(h, weights_hh, out=recurrent)  # (3, N, H)
            r_and_z = gates[:2, t]  # (2, N, H)
            r_and_z += recurrent[:2]
            np.tanh(r_and_z, out=r_and_z)
            r_and_z *= 0.5
            r_and_z += 0.5
            np.add(recurrent[2], bias_hn, out=hns[t])  # hn = W_hn h + b_hn
            n = candidate[t]
            np.multiply(reset_gate[t], hns[t], out=scratch)  # n = tanh(a_n + r * hn)
            n += scratch
            np.tanh(n, out=n)
            np.subtract(h, n, out=hs[t])  # h_t = n + z * (h_{t-1} - n)
            hs[t] *= update_gate[t]
            hs[t] += n
            h = hs[t]

        cache = GRUCache(xs, h0, *gates, hns, hs, self.weight_ih, self.weight_hh, batched)
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
        dhs, (dh_next,) = check_sequence_grads(name, cache, dhs, dh_T=dstate)

        r, z, n, hn = cache.r, cache.z, cache.n, cache.hn  # (T, N, H)
        # factors that do not depend on the recurrence, for all t at once and in place
        dn_per_dh = np.multiply(n, n)  # (1 - z) * (1 - n**2), (T, N, H)
        np.subtract(1, dn_per_dh, out=dn_per_dh)
        update_slope = np.subtract(1, z)  # z * (1 - z)
        dn_per_dh *= update_slope
        update_slope *= z
        dz_per_dh = previous(cache.h0, cache.h)  # (h_{t-1} - n) * z * (1 - z)
        dz_per_dh -= n
        dz_per_dh *= update_slope
        dr_per_dn = np.subtract(1, r)  # hn * r * (1 - r)
        dr_per_dn *= r
        dr_per_dn *= hn

        # gradients w.r.t. h W_hh^T + b_hh, in PyTorch's column order (T, N, [r z n] H)
        dz_hidden = np.empty((T, N, 3, H), dtype=dtype)
        d_candidate = np.empty((T, N, H), dtype=dtype)  # w.r.t. the candidate's pre-activation
        dh = np.empty((N, H), dtype=dtype)
        scratch = np.empty((N, H), dtype=dtype)
        weight_hh = cache.weight_hh
        for t in reversed(range(T)):
            if dhs is None:
                np.copyto(dh, dh_next)
            else:
                np.add(dhs[t], dh_next, out=dh)
            np.multiply(dh, dn_per_dh[t], out=d_candidate[t])  # da_n
            np.multiply(dh, dz_per_dh[t], out=dz_hidden[t, :, 1])  # da_z
            np.multiply(d_candidate[t], dr_per_dn[t], out=dz_hidden[t, :, 0])  # da_r
            np.multiply(d_candidate[t], r[t], out=dz_hidden[t, :, 2])  # d hn = da_n * r
            np.matmul(dz_hidden[t].reshape(N, 3 * H), weight_hh, out=dh_next)  # (N, H)
            np.multiply(dh, z[t], out=scratch)  # dh_{t-1} = dh * z + dz W_hh
            dh_next += scratch

        dz_input = dz_hidden.copy()  # w.r.t. x W_ih^T + b_ih: same for r and z, not for n
        dz_input[:, :, 2] = d_candidate
        grads = parameter_grads(dz_input, dz_hidden, cache.xs, cache.h0, cache.h, cache.weight_ih)
        grads["h0"] = dh_next
        if not cache.batched:
            grads["input"], grads["h0"] = grads["input"][:, 0], dh_next[0]
        return grads
