"""Pieces shared by the three sequence layers: the input projection and the BPTT sums.

Shapes: T time, N batch, I input features, H hidden units, G gates (GH = G * H).
Both functions turn T small matmuls into one big one, which is where the fused
layers gain their speed over stepping a cell.
"""

from __future__ import annotations

import numpy as np

__all__ = ["project_inputs", "parameter_grads"]


def project_inputs(xs, weight_ih, bias):
    r"""Input contribution to every pre-activation of every step, in one matmul.

    Parameters
    ----------
    xs : ndarray (T, N, I)
    weight_ih : ndarray (GH, I)
    bias : ndarray (GH,)
        The bias(es) to add once here rather than at each step.

    Returns
    -------
    ndarray (T, N, GH)
        :math:`x_t W_{ih}^\top + b` for all t; the layers overwrite it in place.
    """
    T, N, I = xs.shape  # noqa: E741
    GH = weight_ih.shape[0]
    out = np.empty((T, N, GH), dtype=xs.dtype)
    np.matmul(xs.reshape(T * N, I), weight_ih.T, out=out.reshape(T * N, GH))  # (T*N, GH)
    out += bias
    return out


def parameter_grads(dz_input, dz_hidden, xs, h0, hs, weight_ih):
    r"""Backpropagation through time, summed over steps, from the per-step pre-activation grads.

    Parameters
    ----------
    dz_input : ndarray (T, N, GH)
        Gradient of the loss w.r.t. the input part :math:`x_t W_{ih}^\top + b_{ih}` at each step.
    dz_hidden : ndarray (T, N, GH)
        Gradient w.r.t. the recurrent part :math:`h_{t-1} W_{hh}^\top + b_{hh}` (the same
        array as ``dz_input`` for the LSTM and the RNN; differs for the GRU's candidate).
    xs : ndarray (T, N, I)
    h0 : ndarray (N, H)
    hs : ndarray (T, N, H)
        Hidden states; step t saw :math:`h_{t-1}` = ``hs[t - 1]`` (``h0`` at t = 0).
    weight_ih : ndarray (GH, I)

    Returns
    -------
    dict
        ``"input"`` (T, N, I), ``"weight_ih"`` (GH, I), ``"weight_hh"`` (GH, H),
        ``"bias_ih"`` (GH,), ``"bias_hh"`` (GH,).

    Notes
    -----
    .. math::

        \frac{\partial L}{\partial W_{ih}} = \sum_t \delta z_t^\top x_t, \qquad
        \frac{\partial L}{\partial W_{hh}} = \sum_t \delta z_t^\top h_{t-1}, \qquad
        \frac{\partial L}{\partial b} = \sum_t \sum_n \delta z_{t,n}
    """
    T, N, I = xs.shape  # noqa: E741
    H, GH = h0.shape[1], dz_input.shape[2]
    dz_in = dz_input.reshape(T * N, GH)  # (T*N, GH)
    dz_rec = dz_hidden.reshape(T * N, GH)
    d_weight_hh = dz_hidden[0].T @ h0  # (GH, H)
    if T > 1:
        d_weight_hh += dz_rec[N:].T @ hs[:-1].reshape((T - 1) * N, H)
    return {
        "input": (dz_in @ weight_ih).reshape(T, N, I),  # (T, N, I)
        "weight_ih": dz_in.T @ xs.reshape(T * N, I),  # (GH, I)
        "weight_hh": d_weight_hh,
        "bias_ih": dz_in.sum(axis=0),  # (GH,)
        "bias_hh": dz_rec.sum(axis=0),
    }
