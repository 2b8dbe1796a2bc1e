"""An LSTM over a whole sequence, in the fused form, with backpropagation through time.

Shapes: T time, N batch, I input features, H hidden units. Time-major, like
``torch.nn.LSTM`` with ``batch_first=False``. The maths is that of
:class:`lstm_lib.LSTMCell`; here it runs fused: one batched matmul projects every input
of the sequence, one per step adds the recurrent part, and every elementwise operation
writes into preallocated, gate-major buffers (see :mod:`lstm_lib.sequence`).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .base import Recurrent
from .sequence import gate_scale, parameter_grads, project_inputs, recurrent_weights
from .validation import check_input, check_sequence_grads, check_state, unpack_pair

__all__ = ["LSTM", "LSTMCache"]


class LSTMCache(NamedTuple):
    """What :meth:`LSTM.forward` saves; per-step arrays are (T, N, H), also for unbatched input.

    Attributes
    ----------
    xs : ndarray (T, N, I)
    h0, c0 : ndarray (N, H)
        Initial states.
    i, f, g, o : ndarray (T, N, H)
        Input gate, forget gate, candidate and output gate at every step, after activation.
    c : ndarray (T, N, H)
        Cell state after every step.
    tanh_c : ndarray (T, N, H)
    h : ndarray (T, N, H)
        Hidden state after every step (the output ``hs``).
    weight_ih, weight_hh : ndarray
    batched : bool
    """

    xs: np.ndarray
    h0: np.ndarray
    c0: np.ndarray
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


class LSTM(Recurrent):
    r"""Single-layer, unidirectional LSTM over a sequence (time-major).

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
    weight_ih : ndarray (4H, I)
        Rows ``[W_ii; W_if; W_ig; W_io]`` (PyTorch's ``weight_ih_l0``).
    weight_hh : ndarray (4H, H)
    bias_ih, bias_hh : ndarray (4H,)

    Notes
    -----
    For t = 1..T, with :math:`h_0, c_0` given or zero:

    .. math::

        [a_i, a_f, a_g, a_o] &= x_t W_{ih}^\top + b_{ih} + h_{t-1} W_{hh}^\top + b_{hh} \\
        i_t, f_t, o_t &= \sigma(a_i), \sigma(a_f), \sigma(a_o), \qquad g_t = \tanh(a_g) \\
        c_t &= f_t \odot c_{t-1} + i_t \odot g_t, \qquad h_t = o_t \odot \tanh(c_t)
    """

    gates = 4

    def forward(self, xs, state=None):
        """Run the whole sequence.

        Parameters
        ----------
        xs : array_like (T, N, I) or (T, I)
        state : tuple (h0, c0) of array_like (N, H) or (H,), optional
            Zeros when missing.

        Returns
        -------
        out : tuple (hs, (h_T, c_T))
            ``hs`` (T, N, H), ``h_T`` and ``c_T`` (N, H); (T, H) and (H,) if unbatched.
        cache : LSTMCache
            Named fields ``xs`` (T, N, I); ``h0``, ``c0`` (N, H); the per-step gate
            activations ``i``, ``f``, ``g``, ``o`` and states ``c``, ``tanh_c``, ``h``, each
            (T, N, H) (N = 1 for unbatched input); ``weight_ih``, ``weight_hh``, ``batched``.
        """
        name, H = type(self).__name__, self.hidden_size
        xs, batched = check_input(name, "xs", xs, self.input_size, self.dtype, sequence=True)
        T, N, _ = xs.shape
        h0_given, c0_given = unpack_pair(name, state, names=("h0", "c0"))
        h0 = check_state(name, "h0", h0_given, N, H, self.dtype, batched)
        c0 = check_state(name, "c0", c0_given, N, H, self.dtype, batched)

        # sigma(a) = (1 + tanh(a / 2)) / 2: with the i, f, o rows halved, one tanh call
        # activates all four gates of a step, and one fix-up finishes the sigmoid gates,
        # stored side by side: the buffer holds the gates in the order i, f, o, g
        order = (0, 1, 3, 2)  # PyTorch's gate index of each buffer slot
        scale = gate_scale("ssst", self.dtype)  # (4,)
        bias = self.bias_ih + self.bias_hh
        gates = project_inputs(xs, self.weight_ih, bias, scale, order)  # (4, T, N, H)
        weights_hh = recurrent_weights(self.weight_hh, scale, order)  # (4, H, H)
        input_gate, forget_gate, output_gate, candidate = gates  # each (T, N, H)
        hs = np.empty((T, N, H), dtype=self.dtype)
        cs = np.empty((T, N, H), dtype=self.dtype)
        tanh_cs = np.empty((T, N, H), dtype=self.dtype)
        recurrent = np.empty((4, N, H), dtype=self.dtype)
        scratch = np.empty((N, H), dtype=self.dtype)
        h, c = h0, c0
        for t in range(T):
            z = gates[:, t]  # (4, N, H): pre-activations, then activations, in place
            np.matmul(h, weights_hh, out=recurrent)  # (4, N, H)
            z += recurrent
            np.tanh(z, out=z)
            sigmoid_gates = gates[:3, t]  # i, f, o
            sigmoid_gates *= 0.5
            sigmoid_gates += 0.5
            np.multiply(forget_gate[t], c, out=cs[t])  # c_t = f * c + i * g
            np.multiply(input_gate[t], candidate[t], out=scratch)
            cs[t] += scratch
            np.tanh(cs[t], out=tanh_cs[t])
            np.multiply(output_gate[t], tanh_cs[t], out=hs[t])  # h_t = o * tanh(c_t)
            h, c = hs[t], cs[t]

        cache = LSTMCache(xs, h0, c0, input_gate, forget_gate, candidate, output_gate, cs,
                          tanh_cs, hs, self.weight_ih, self.weight_hh, batched)  # fmt: skip
        if batched:
            return (hs, (hs[-1].copy(), cs[-1].copy())), cache
        return (hs[:, 0], (hs[-1, 0].copy(), cs[-1, 0].copy())), cache

    def backward(self, dhs, cache, dstate=None):
        r"""Backpropagation through time.

        Parameters
        ----------
        dhs : array_like (T, N, H) or (T, H), or None
            Gradient of the loss w.r.t. every output ``hs``.
        cache : LSTMCache
        dstate : tuple (dh_T, dc_T) of array_like (N, H) or (H,), optional
            Gradient w.r.t. the final states; either may be None.

        Returns
        -------
        dict
            ``"input"`` (T, N, I), ``"h0"`` and ``"c0"`` (N, H), ``"weight_ih"`` (4H, I),
            ``"weight_hh"`` (4H, H), ``"bias_ih"`` and ``"bias_hh"`` (4H,), summed over time.

        Notes
        -----
        Going backwards from t = T, with :math:`\delta h_t = \partial L / \partial h_t` (from
        ``dhs`` plus the step after) and :math:`\delta c_t` carried likewise:

        .. math::

            \delta c_t &\mathrel{+}= \delta h_t \odot o_t \odot (1 - \tanh^2 c_t) \\
            \delta a_i &= \delta c_t \odot g_t \odot i_t (1 - i_t), \quad
            \delta a_f = \delta c_t \odot c_{t-1} \odot f_t (1 - f_t) \\
            \delta a_g &= \delta c_t \odot i_t \odot (1 - g_t^2), \quad
            \delta a_o = \delta h_t \odot \tanh c_t \odot o_t (1 - o_t) \\
            \delta c_{t-1} &= \delta c_t \odot f_t, \quad
            \delta h_{t-1} = \delta a \, W_{hh}

        The factors multiplying :math:`\delta h_t` and :math:`\delta c_t` do not depend on
        the recurrence, so they are computed for all t at once before the loop.
        """
        name = type(self).__name__
        T, N, H = cache.h.shape
        dtype = cache.h.dtype
        dh_given, dc_given = unpack_pair(name, dstate, names=("dh_T", "dc_T"))
        dhs, (dh_next, dc) = check_sequence_grads(name, cache, dhs, dh_T=dh_given, dc_T=dc_given)

        i, f, g, o, tanh_c = cache.i, cache.f, cache.g, cache.o, cache.tanh_c  # (T, N, H)
        # factors that do not depend on the recurrence, for all t at once and in place
        # (temporaries of this size cost more than the arithmetic)
        dz_o_per_dh = np.subtract(1, o)  # tanh(c) * o * (1 - o), (T, N, H)
        dz_o_per_dh *= o
        dz_o_per_dh *= tanh_c
        dc_per_dh = np.multiply(tanh_c, tanh_c)  # o * (1 - tanh(c)**2)
        np.subtract(1, dc_per_dh, out=dc_per_dh)
        dc_per_dh *= o
        dz_ifg_per_dc = np.empty((3, T, N, H), dtype=dtype)
        d_i, d_f, d_g = dz_ifg_per_dc
        np.subtract(1, i, out=d_i)  # g * i * (1 - i)
        d_i *= i
        d_i *= g
        np.subtract(1, f, out=d_f)  # c_{t-1} * f * (1 - f)
        d_f *= f
        d_f[0] *= cache.c0
        d_f[1:] *= cache.c[:-1]
        np.multiply(g, g, out=d_g)  # i * (1 - g**2)
        np.subtract(1, d_g, out=d_g)
        d_g *= i

        # gradients of the pre-activations, in PyTorch's column order (T, N, [i f g o] H)
        dz = np.empty((T, N, 4, H), dtype=dtype)
        dh = np.empty((N, H), dtype=dtype)
        scratch = np.empty((N, H), dtype=dtype)
        weight_hh = cache.weight_hh
        for t in reversed(range(T)):
            if dhs is None:
                np.copyto(dh, dh_next)
            else:
                np.add(dhs[t], dh_next, out=dh)
            np.multiply(dh, dz_o_per_dh[t], out=dz[t, :, 3])  # dz_o
            np.multiply(dh, dc_per_dh[t], out=scratch)
            dc += scratch
            # dz_i, dz_f, dz_g in one call: dc broadcast over the three gates
            np.multiply(dc[:, None, :], dz_ifg_per_dc[:, t].transpose(1, 0, 2), out=dz[t, :, :3])
            dc *= f[t]  # dc_{t-1}
            np.matmul(dz[t].reshape(N, 4 * H), weight_hh, out=dh_next)  # dh_{t-1}, (N, H)

        grads = parameter_grads(dz, dz, cache.xs, cache.h0, cache.h, cache.weight_ih)
        grads["h0"], grads["c0"] = dh_next, dc
        if not cache.batched:
            grads["input"], grads["h0"], grads["c0"] = grads["input"][:, 0], dh_next[0], dc[0]
        return grads
