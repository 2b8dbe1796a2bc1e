"""The GRU written the ways you will meet it: where the reset gate acts, and which side z keeps.

Shapes: N batch, T time, I input features, H hidden units. Parameters use PyTorch's
layout (gate order r, z, n; ``weight_ih`` (3H, I), ``weight_hh`` (3H, H), two biases
(3H,)), so the same four arrays can be fed to every variant and to ``torch.nn.GRU``.

Two choices separate the GRUs found in papers, libraries and tutorials:

``reset="after"`` (PyTorch, cuDNN, the first arXiv version of Cho et al.)
    :math:`n_t = \\tanh(W_{in} x_t + b_{in} + r_t \\odot (W_{hn} h_{t-1} + b_{hn}))`
``reset="before"`` (Cho et al., EMNLP 2014)
    :math:`n_t = \\tanh(W_{in} x_t + b_{in} + W_{hn} (r_t \\odot h_{t-1}) + b_{hn})`

``update="keep"`` (PyTorch, Cho et al.): :math:`z_t` is the share of the old state kept,
    :math:`h_t = (1 - z_t) \\odot n_t + z_t \\odot h_{t-1}`
``update="write"`` (Chung et al. 2014, many tutorials): :math:`z_t` is the share written,
    :math:`h_t = (1 - z_t) \\odot h_{t-1} + z_t \\odot n_t`
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid

__all__ = ["RESETS", "UPDATES", "gru_step", "gru_sequence"]

RESETS = ("after", "before")
UPDATES = ("keep", "write")


def _check_options(owner, reset, update):
    if reset not in RESETS:
        raise ValueError(f"{owner}: expected reset in {RESETS}, got {reset!r}")
    if update not in UPDATES:
        raise ValueError(f"{owner}: expected update in {UPDATES}, got {update!r}")


def _check_params(owner, weight_ih, weight_hh, bias_ih, bias_hh):
    """Return (I, H) after checking the four arrays have PyTorch's GRU shapes."""
    weight_ih, weight_hh = np.asarray(weight_ih), np.asarray(weight_hh)
    if weight_hh.ndim != 2 or weight_hh.shape[0] != 3 * weight_hh.shape[1]:
        raise ValueError(f"{owner}: expected weight_hh of shape (3H, H), got {weight_hh.shape}")
    H = weight_hh.shape[1]
    if weight_ih.ndim != 2 or weight_ih.shape[0] != 3 * H:
        raise ValueError(
            f"{owner}: expected weight_ih of shape ({3 * H}, I), got {weight_ih.shape}"
        )
    for name, bias in (("bias_ih", bias_ih), ("bias_hh", bias_hh)):
        if np.shape(bias) != (3 * H,):
            raise ValueError(f"{owner}: expected {name} of shape ({3 * H},), got {np.shape(bias)}")
    return weight_ih.shape[1], H


def _check_state(owner, h_prev, batch_shape, H, dtype):
    if h_prev is None:
        return np.zeros(batch_shape + (H,), dtype=dtype)
    h_prev = np.asarray(h_prev, dtype=dtype)
    if h_prev.shape != batch_shape + (H,):
        raise ValueError(
            f"{owner}: expected h_prev of shape {batch_shape + (H,)}, got {h_prev.shape}"
        )
    return h_prev


def _update(z, candidate, h_prev, update):
    if update == "keep":
        return (1 - z) * candidate + z * h_prev
    return (1 - z) * h_prev + z * candidate


def gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, *, reset="after", update="keep"):
    """One GRU step in the chosen variant.

    Parameters
    ----------
    x : array_like, shape (N, I) or (I,)
        Input at this step.
    h_prev : array_like, shape (N, H) or (H,), or None
        Previous hidden state; None means zeros.
    weight_ih, weight_hh, bias_ih, bias_hh : array_like
        Shapes (3H, I), (3H, H), (3H,), (3H,); gate blocks in the order r, z, n.
    reset : {"after", "before"}
        Where the reset gate multiplies the recurrent term (see the module docstring).
    update : {"keep", "write"}
        Whether z is the share of the old state kept (PyTorch) or the share written.

    Returns
    -------
    ndarray, shape (N, H) or (H,)
        The new hidden state.

    Raises
    ------
    ValueError
        Unknown option, or a shape that does not fit.

    Notes
    -----
    With ``reset="after", update="keep"`` this is exactly ``torch.nn.GRUCell``.
    The two ``update`` conventions describe the same family of models: since
    :math:`1 - \\sigma(a) = \\sigma(-a)`, negating the z rows of all four arrays turns one
    into the other.
    """
    owner = "gru_step"
    _check_options(owner, reset, update)
    I, H = _check_params(owner, weight_ih, weight_hh, bias_ih, bias_hh)  # noqa: E741
    x = np.asarray(x, dtype=np.result_type(weight_ih, np.float32))
    if x.ndim not in (1, 2) or x.shape[-1] != I:
        raise ValueError(f"{owner}: expected x of shape (N, {I}) or ({I},), got {x.shape}")
    h_prev = _check_state(owner, h_prev, x.shape[:-1], H, x.dtype)

    gates_x = x @ weight_ih.T + bias_ih  # (N, 3H): input side of r, z, n
    if reset == "after":
        # One product for all three blocks: it needs only h_prev, not r.
        gates_h = h_prev @ weight_hh.T + bias_hh  # (N, 3H)
        r = sigmoid(gates_x[..., :H] + gates_h[..., :H])  # (N, H)
        z = sigmoid(gates_x[..., H : 2 * H] + gates_h[..., H : 2 * H])  # (N, H)
        candidate = np.tanh(gates_x[..., 2 * H :] + r * gates_h[..., 2 * H :])  # (N, H)
    else:
        # r must be known before the candidate's recurrent product can start.
        gates_h = h_prev @ weight_hh[: 2 * H].T + bias_hh[: 2 * H]  # (N, 2H): r and z only
        r = sigmoid(gates_x[..., :H] + gates_h[..., :H])  # (N, H)
        z = sigmoid(gates_x[..., H : 2 * H] + gates_h[..., H:])  # (N, H)
        reset_state = r * h_prev  # (N, H)
        candidate = np.tanh(
            gates_x[..., 2 * H :] + reset_state @ weight_hh[2 * H :].T + bias_hh[2 * H :]
        )  # (N, H)
    return _update(z, candidate, h_prev, update)


def gru_sequence(xs, h0, weight_ih, weight_hh, bias_ih, bias_hh, *, reset="after", update="keep"):
    """Run a GRU variant over a time-major sequence, the way fast kernels schedule it.

    The input side ``xs @ weight_ih.T`` of all T steps is one product, computed before
    the loop (it does not depend on the state). Inside the loop, the
    ``reset="after"`` variant needs ONE product with ``weight_hh`` per step; the
    ``reset="before"`` variant needs TWO that must run one after the other, because the
    second one's input ``r * h_prev`` depends on the first one's result.

    Parameters
    ----------
    xs : array_like, shape (T, N, I) or (T, I)
        The inputs, time first.
    h0 : array_like, shape (N, H) or (H,), or None
        Initial state; None means zeros.
    weight_ih, weight_hh, bias_ih, bias_hh, reset, update
        As in :func:`gru_step`.

    Returns
    -------
    ndarray, shape (T, N, H) or (T, H)
        Hidden state after every step; equals calling :func:`gru_step` T times.
    """
    owner = "gru_sequence"
    _check_options(owner, reset, update)
    I, H = _check_params(owner, weight_ih, weight_hh, bias_ih, bias_hh)  # noqa: E741
    xs = np.asarray(xs, dtype=np.result_type(weight_ih, np.float32))
    if xs.ndim not in (2, 3) or xs.shape[-1] != I:
        raise ValueError(f"{owner}: expected xs of shape (T, N, {I}) or (T, {I}), got {xs.shape}")
    T = xs.shape[0]
    h = _check_state(owner, h0, xs.shape[1:-1], H, xs.dtype)
    hs = np.empty(xs.shape[:-1] + (H,), dtype=xs.dtype)  # (T, N, H)

    gates_x = xs @ weight_ih.T + bias_ih  # (T, N, 3H): every step's input side at once
    w_rz, w_n = weight_hh[: 2 * H], weight_hh[2 * H :]  # (2H, H), (H, H)
    for t in range(T):
        gx = gates_x[t]  # (N, 3H)
        if reset == "after":
            gh = h @ weight_hh.T + bias_hh  # (N, 3H): the step's only recurrent product
            r = sigmoid(gx[..., :H] + gh[..., :H])
            z = sigmoid(gx[..., H : 2 * H] + gh[..., H : 2 * H])
            candidate = np.tanh(gx[..., 2 * H :] + r * gh[..., 2 * H :])
        else:
            gh = h @ w_rz.T + bias_hh[: 2 * H]  # (N, 2H): first product
            r = sigmoid(gx[..., :H] + gh[..., :H])
            z = sigmoid(gx[..., H : 2 * H] + gh[..., H:])
            candidate = np.tanh(gx[..., 2 * H :] + (r * h) @ w_n.T + bias_hh[2 * H :])  # second
        h = _update(z, candidate, h, update)  # (N, H)
        hs[t] = h
    return hs
