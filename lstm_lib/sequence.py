"""Pieces shared by the three fused sequence layers: gate-major buffers, the input
projection and the sums of backpropagation through time.

Shapes: T time, N batch, I input features, H hidden units, G gates (4 LSTM, 3 GRU,
1 RNN). The parameters keep PyTorch's layout (GH, ·); a weight's rows for gate k are
``weight.reshape(G, H, -1)[k]``.

Forward passes keep the gates **gate-major**, (G, T, N, H): ``gates[k, t]`` is gate k at
step t, one contiguous (N, H) block, so the elementwise work of a step runs on
contiguous memory, and ``gates[k]`` is the whole history of gate k, (T, N, H), which
the caches expose by name. Backward passes write the pre-activation gradients as
(T, N, G, H), i.e. PyTorch's (T, N, GH) columns, so that each parameter gradient is one
matmul over all T * N rows.
"""

from __future__ import annotations

import numpy as np

__all__ = ["gate_scale", "project_inputs", "recurrent_weights", "parameter_grads", "previous"]


def gate_scale(kinds, dtype):
    r"""Per-gate factor (G,) for the tanh trick: 0.5 for a sigmoid gate, 1 for a tanh one.

    Parameters
    ----------
    kinds : str
        One letter per gate, ``"s"`` (sigmoid) or ``"t"`` (tanh), e.g. ``"ssts"`` for the
        LSTM's i, f, g, o.
    dtype : np.dtype
        The layer's dtype (a float64 factor would silently upcast float32 weights).

    Notes
    -----
    The fused layers use :math:`\sigma(a) = \tfrac12 (1 + \tanh(a / 2))`. Halving a weight
    row is exact in floating point, so the scaled pre-activation is exactly :math:`a / 2`;
    one ``tanh`` call then activates all the gates of a step (it cannot overflow), and
    ``0.5 * t + 0.5`` finishes the sigmoid gates.
    """
    return np.array([0.5 if kind == "s" else 1.0 for kind in kinds], dtype=dtype)


def project_inputs(xs, weight_ih, bias, scale, order=None):
    r"""Input part of every pre-activation of every step, in one batched matmul.

    Parameters
    ----------
    xs : ndarray (T, N, I)
    weight_ih : ndarray (GH, I)
    bias : ndarray (GH,)
        The bias(es) added once here rather than at every step.
    scale : ndarray (G,)
        Per-gate factor, see :func:`gate_scale`, in the buffer's gate order.
    order : sequence of int, optional
        Gate k of the buffer is PyTorch's gate ``order[k]`` (default: the same order).

    Returns
    -------
    ndarray (G, T, N, H)
        :math:`s_k (x_t W_{ik}^\top + b_k)` for every gate k and step t; the layers
        then add the recurrent part and activate it in place.
    """
    T, N, I = xs.shape  # noqa: E741
    G = scale.shape[0]
    H = weight_ih.shape[0] // G
    order = list(range(G)) if order is None else list(order)
    weights_t = (weight_ih.reshape(G, H, I)[order] * scale[:, None, None]).transpose(0, 2, 1)
    gates = np.empty((G, T, N, H), dtype=xs.dtype)
    np.matmul(xs.reshape(T * N, I), weights_t, out=gates.reshape(G, T * N, H))  # G matmuls
    gates += (bias.reshape(G, H)[order] * scale[:, None])[:, None, None, :]
    return gates


def recurrent_weights(weight_hh, scale, order=None):
    """``weight_hh`` (GH, H) as G contiguous, transposed and scaled blocks (G, H, H), in the
    buffer's gate ``order``, so that ``np.matmul(h, blocks)`` gives the recurrent part of
    every gate as (G, N, H)."""
    G = scale.shape[0]
    H = weight_hh.shape[1]
    order = list(range(G)) if order is None else list(order)
    blocks = weight_hh.reshape(G, H, H)[order] * scale[:, None, None]
    return np.ascontiguousarray(blocks.transpose(0, 2, 1))  # (G, H, H)


def previous(h0, hs):
    """The state each step started from, ``[h0, hs[0], ..., hs[T-2]]``, (T, N, H)."""
    return np.concatenate([h0[None], hs[:-1]])


def parameter_grads(dz_input, dz_hidden, xs, h0, hs, weight_ih):
    r"""Backpropagation through time, summed over steps, from the per-step gate gradients.

    Parameters
    ----------
    dz_input : ndarray (T, N, G, H)
        Gradient of the loss w.r.t. the input part :math:`x_t W_{ih}^\top + b_{ih}`, laid
        out like PyTorch's (T, N, GH) pre-activations (the backward passes write it so,
        to end with one matmul per parameter).
    dz_hidden : ndarray (T, N, G, H)
        Gradient w.r.t. the recurrent part :math:`h_{t-1} W_{hh}^\top + b_{hh}` (the same
        array as ``dz_input`` for the LSTM and the RNN; the GRU's candidate differs).
    xs : ndarray (T, N, I)
    h0 : ndarray (N, H)
    hs : ndarray (T, N, H)
        Hidden states; step t saw ``hs[t - 1]`` (``h0`` at t = 0).
    weight_ih : ndarray (GH, I)

    Returns
    -------
    dict
        ``"input"`` (T, N, I), ``"weight_ih"`` (GH, I), ``"weight_hh"`` (GH, H),
        ``"bias_ih"`` (GH,), ``"bias_hh"`` (GH,).

    Notes
    -----
    .. math::

        \frac{\partial L}{\partial W_{ih}} = \sum_t \delta z_t^\top x_t, \quad
        \frac{\partial L}{\partial W_{hh}} = \sum_t \delta z_t^\top h_{t-1}, \quad
        \frac{\partial L}{\partial x_t} = \delta z_t W_{ih}, \quad
        \frac{\partial L}{\partial b} = \sum_{t, n} \delta z_{t, n}
    """
    T, N, G, H = dz_input.shape
    I = xs.shape[2]  # noqa: E741
    dz_in = dz_input.reshape(T * N, G * H)  # (T*N, GH)
    dz_rec = dz_hidden.reshape(T * N, G * H)
    d_weight_hh = dz_rec[:N].T @ h0  # (GH, H): step 0 saw h0, step t saw hs[t - 1]
    d_weight_hh += dz_rec[N:].T @ hs[:-1].reshape((T - 1) * N, H)
    return {
        "input": (dz_in @ weight_ih).reshape(T, N, I),  # (T, N, I)
        "weight_ih": dz_in.T @ xs.reshape(T * N, I),  # (GH, I)
        "weight_hh": d_weight_hh,
        "bias_ih": dz_in.sum(axis=0),  # (GH,)
        "bias_hh": dz_rec.sum(axis=0),
    }
