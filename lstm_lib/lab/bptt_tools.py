r"""Measurements for the backpropagation-through-time chapter.

Shapes: T time, N batch, I input features, H hidden units.

Everything here steps an :class:`~lstm_lib.lstm_cell.LSTMCell` one step at a time and
runs its ``backward`` in reverse order, so that the gradient with respect to every
intermediate cell state :math:`c_t` is visible (the fused layer only returns the
gradients with respect to its inputs and parameters). The loss is always a random
projection of the last step, :math:`L = \sum h_T \odot r_h + \sum c_T \odot r_c`.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from ..lstm_cell import LSTMCell
from ..rnn_layer import RNN

__all__ = [
    "BPTTResult",
    "set_forget_bias",
    "bptt_last_step",
    "cell_gradient_norms",
    "input_gradient_norms",
    "global_norm",
    "rnn_gradient_norms",
    "clip_by_global_norm",
    "first_input_task_accuracy",
]

PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class BPTTResult(NamedTuple):
    """What :func:`bptt_last_step` measures.

    Attributes
    ----------
    dx : ndarray (T, N, I)
        :math:`\\partial L / \\partial x_t`; zero for the steps a truncated pass never visits.
    dc : ndarray (T + 1, N, H)
        :math:`\\partial L / \\partial c_t` for t = 0 (the initial state) to T.
    forget : ndarray (T, N, H)
        The forget gate :math:`f_t` of every step (index t - 1 holds :math:`f_t`).
    grads : dict
        Parameter gradients summed over the visited steps (``"weight_ih"``, ...).
    """

    dx: np.ndarray
    dc: np.ndarray
    forget: np.ndarray
    grads: dict


def set_forget_bias(model, value: float) -> None:
    """Give the forget gate a total bias of ``value`` (in place).

    ``bias_ih``'s forget block is set to ``value`` and ``bias_hh``'s to 0, since only
    their sum matters. Works for any object with LSTM-shaped ``bias_ih``/``bias_hh``.
    """
    H = model.bias_hh.shape[0] // 4
    model.bias_ih[H : 2 * H] = value
    model.bias_hh[H : 2 * H] = 0.0


def bptt_last_step(cell: LSTMCell, xs, dh_last, dc_last=None, *, truncation=None) -> BPTTResult:
    r"""Backpropagate a loss on the last step through T steps of ``cell``.

    Parameters
    ----------
    cell : LSTMCell
    xs : ndarray (T, N, I)
    dh_last, dc_last : ndarray (N, H) or None
        :math:`\partial L / \partial h_T` and :math:`\partial L / \partial c_T`.
    truncation : int or None
        None for full BPTT. With k, the backward pass visits only the last k steps:
        the gradient is cut where the state enters step T - k + 1, as in truncated
        BPTT whose last window ends at the loss.

    Returns
    -------
    BPTTResult
    """
    xs = np.asarray(xs, dtype=cell.dtype)
    T, N, _ = xs.shape
    H = cell.hidden_size
    if truncation is not None and truncation < 1:
        raise ValueError(f"bptt_last_step: expected truncation >= 1 or None, got {truncation}")
    state = None
    caches = []
    for t in range(T):
        state, cache = cell.forward(xs[t], state)
        caches.append(cache)

    dx = np.zeros_like(xs)  # (T, N, I)
    dc_all = np.zeros((T + 1, N, H), dtype=xs.dtype)  # (T + 1, N, H)
    grads = {name: np.zeros_like(getattr(cell, name)) for name in PARAMETERS}
    dh = np.zeros((N, H)) if dh_last is None else np.asarray(dh_last, dtype=xs.dtype)
    dc = np.zeros((N, H)) if dc_last is None else np.asarray(dc_last, dtype=xs.dtype)
    dc_all[T] = dc
    first = 0 if truncation is None else max(0, T - truncation)
    for t in range(T - 1, first - 1, -1):
        step = cell.backward((dh, dc), caches[t])
        dx[t] = step["input"]
        for name in PARAMETERS:
            grads[name] += step[name]
        dh, dc = step["h_prev"], step["c_prev"]
        dc_all[t] = dc
    forget = np.stack([cache.f for cache in caches])  # (T, N, H)
    return BPTTResult(dx, dc_all, forget, grads)


def cell_gradient_norms(forget_bias: float, *, T=60, N=16, I=4, H=16, seed=0):  # noqa: E741
    r"""How much of :math:`\partial L / \partial c_T` reaches each earlier :math:`c_t`.

    An untrained cell (uniform initialisation, ``seed``) with the given forget-gate bias
    reads T random inputs; the loss is :math:`L = \sum c_T \odot r`.

    Returns
    -------
    dict of ndarray (T + 1,)
        ``"full"``: mean over the batch of :math:`\lVert \partial L / \partial c_t \rVert`;
        ``"cell_path"``: the same norm of :math:`r \odot \prod_{s=t+1}^{T} f_s`, the share
        that travels along the cell state alone (no detour through the gates);
        ``"mean_forget"``: scalar array, the average forget gate.
    """
    rng = np.random.default_rng(seed)
    cell = LSTMCell(I, H, seed=seed)
    set_forget_bias(cell, forget_bias)
    xs = rng.standard_normal((T, N, I))
    r = rng.standard_normal((N, H))
    result = bptt_last_step(cell, xs, None, r)
    # product of the forget gates from step t + 1 to T, for every t (empty product = 1)
    products = np.ones((T + 1, N, H))
    for t in range(T - 1, -1, -1):
        products[t] = products[t + 1] * result.forget[t]
    return {
        "full": np.linalg.norm(result.dc, axis=2).mean(axis=1),
        "cell_path": np.linalg.norm(products * r, axis=2).mean(axis=1),
        "mean_forget": np.asarray(result.forget.mean()),
    }


def input_gradient_norms(truncation=None, *, T=30, N=8, I=3, H=8, seed=0, forget_bias=1.0):  # noqa: E741
    r"""Norm of :math:`\partial L / \partial x_t` for every t, with full or truncated BPTT.

    The loss is :math:`L = \sum h_T \odot r` on an untrained cell.

    Returns
    -------
    ndarray (T,)
        Mean over the batch of :math:`\lVert \partial L / \partial x_t \rVert`.
    """
    rng = np.random.default_rng(seed)
    cell = LSTMCell(I, H, seed=seed)
    set_forget_bias(cell, forget_bias)
    xs = rng.standard_normal((T, N, I))
    r = rng.standard_normal((N, H))
    result = bptt_last_step(cell, xs, r, None, truncation=truncation)
    return np.linalg.norm(result.dx, axis=2).mean(axis=1)


def global_norm(grads: dict) -> float:
    r"""The Euclidean norm of all gradients taken together, :math:`\sqrt{\sum_k \lVert g_k \rVert^2}`."""
    return float(np.sqrt(sum(float(np.sum(np.square(g))) for g in grads.values())))


def rnn_gradient_norms(recurrent_scale: float, *, samples=100, T=40, H=16, seed=0):
    r"""Global norm of the parameter gradient of a tanh RNN, for many random sequences.

    The RNN (one input, H units, uniform initialisation with ``seed``) has its recurrent
    weights multiplied by ``recurrent_scale``; each sample is a fresh sequence of T
    standard-normal inputs and the loss is :math:`L = \sum h_T`.

    Returns
    -------
    ndarray (samples,)
    """
    rnn = RNN(1, H, seed=seed)
    rnn.weight_hh *= recurrent_scale
    rng = np.random.default_rng(seed)
    norms = np.empty(samples)
    for k in range(samples):
        (hs, _), cache = rnn.forward(rng.standard_normal((T, 1, 1)))
        dhs = np.zeros_like(hs)  # (T, 1, H)
        dhs[-1] = 1.0
        grads = rnn.backward(dhs, cache)
        norms[k] = global_norm({name: grads[name] for name in PARAMETERS})
    return norms


def clip_by_global_norm(grads: dict, max_norm: float):
    r"""Rescale all gradients together so that their global norm is at most ``max_norm``.

    Parameters
    ----------
    grads : dict of ndarray
    max_norm : float
        Must be positive.

    Returns
    -------
    clipped : dict of ndarray
        New arrays; the input is not modified.
    norm : float
        The global norm before clipping.

    Notes
    -----
    If :math:`\lVert g \rVert > \tau`, every array is multiplied by :math:`\tau / \lVert g \rVert`
    (Pascanu et al., 2013): the direction is kept and only the step length changes.
    ``torch.nn.utils.clip_grad_norm_`` does the same with :math:`\tau / (\lVert g \rVert + 10^{-6})`.
    """
    if not max_norm > 0:
        raise ValueError(f"clip_by_global_norm: expected max_norm > 0, got {max_norm}")
    norm = global_norm(grads)
    scale = max_norm / norm if norm > max_norm else 1.0
    return {name: g * scale for name, g in grads.items()}, norm


def first_input_task_accuracy(
    truncation=None, *, T=12, H=8, steps=200, batch=64, lr=0.03, forget_bias=1.0, seed=0
) -> float:
    r"""Train a tiny ``torch.nn.LSTMCell`` to report, at step T, the sign of its first input.

    Every input is a random ±1, so only the first one carries the answer and the steps in
    between are noise. The loss (logistic) is on the last step only. With ``truncation``
    k, the state is detached k steps before the loss, so no gradient ever connects the
    answer to the first input when k < T.

    Returns
    -------
    float
        Accuracy on 1000 fresh sequences (0.5 is chance).
    """
    import torch

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # the matrices are tiny: extra threads only add overhead
    try:
        return _train_first_input_task(
            torch,
            truncation,
            T=T,
            H=H,
            steps=steps,
            batch=batch,
            lr=lr,
            forget_bias=forget_bias,
            seed=seed,
        )
    finally:
        torch.set_num_threads(threads)


def _train_first_input_task(torch, truncation, *, T, H, steps, batch, lr, forget_bias, seed):
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    cell = torch.nn.LSTMCell(1, H, dtype=torch.float64)
    with torch.no_grad():
        cell.bias_ih[H : 2 * H] = forget_bias
        cell.bias_hh[H : 2 * H] = 0.0
    head = torch.nn.Linear(H, 1, dtype=torch.float64)
    opt = torch.optim.Adam([*cell.parameters(), *head.parameters()], lr=lr)

    def batch_of(n):
        xs = torch.randint(0, 2, (T, n, 1), generator=gen).double() * 2 - 1  # (T, n, 1)
        return xs, (xs[0, :, 0] > 0).double()

    def last_hidden(xs, cut):
        h = torch.zeros(xs.shape[1], H, dtype=torch.float64)
        c = torch.zeros_like(h)
        for t in range(T):
            if cut is not None and T - t == cut:
                h, c = h.detach(), c.detach()
            h, c = cell(xs[t], (h, c))
        return h

    for _ in range(steps):
        xs, ys = batch_of(batch)
        logits = head(last_hidden(xs, truncation))[:, 0]
        loss = torch.nn.functional.binary_cross_entropy_with_logits(logits, ys)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        xs, ys = batch_of(1000)
        predicted = head(last_hidden(xs, None))[:, 0] > 0
        return float((predicted.double() == ys).double().mean())
