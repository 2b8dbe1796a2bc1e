"""Measuring memory: how far back a recurrent cell can still feel its past.

Two experiments for Part I of the course, both built on the library's cells and
layers (their forward passes and their hand-written backward passes), never on a
second implementation of the same maths.

1. **Gradient through time.** The Jacobian :math:`\\partial h_T / \\partial h_0` of a
   plain RNN, and :math:`\\partial c_T / \\partial c_0` of an LSTM, for every
   :math:`T = 1 \\dots` as an exact product of one-step Jacobians.
2. **Storing one bit.** A flagged bit hidden among distractor inputs; a hand-set
   scalar LSTM against a bank of scalar RNNs, one per candidate recurrent weight.

Shapes: N batch, T time, I input features, H hidden units.
"""

from __future__ import annotations

import numpy as np

from .. import RNN, LSTMCell
from ..activations import sigmoid

__all__ = [
    "recurrent_weight_with_norm",
    "rnn_step_jacobian",
    "lstm_step_jacobian",
    "rnn_jacobian_norms",
    "lstm_cell_jacobian_norms",
    "per_step_factor",
    "flagged_bit_sequences",
    "bit_storing_lstm",
    "run_lstm_cell",
    "scalar_rnn_bank",
    "recall_accuracy",
    "rnn_weight_search",
    "forget_keep_fraction",
]


# ---------------------------------------------------------------------------
# 1. Gradient through time
# ---------------------------------------------------------------------------


def recurrent_weight_with_norm(hidden_size, scale, *, seed=None):
    """A random (H, H) matrix whose singular values all equal ``scale``.

    Parameters
    ----------
    hidden_size : int
        H.
    scale : float
        The largest (and every) singular value :math:`\\sigma_{\\max}` of the result.
    seed : int, optional
        Seed of the random orthogonal factor.

    Returns
    -------
    ndarray (H, H)
        :math:`s\\,Q` with :math:`Q` orthogonal, so :math:`\\|W x\\| = s \\|x\\|` for every
        :math:`x`: the recurrent matrix stretches every direction by exactly ``s``.

    Notes
    -----
    With all singular values equal, the spectral radius also equals ``s``, so the
    threshold between shrinking and growing sits exactly at ``s = 1`` for small
    states. A general matrix has spread-out singular values; then
    :math:`\\sigma_{\\max} < 1` still guarantees vanishing gradients, but growth needs
    a larger scale.
    """
    H = int(hidden_size)
    if scale < 0:
        raise ValueError(f"recurrent_weight_with_norm: expected scale >= 0, got {scale}")
    rng = np.random.default_rng(seed)
    q, r = np.linalg.qr(rng.standard_normal((H, H)))  # (H, H), (H, H)
    q = q * np.sign(np.diag(r))  # a uniformly random orthogonal matrix
    return scale * q


def rnn_step_jacobian(cell, x, h_prev):
    """One step of a plain RNN and the Jacobian of the new state w.r.t. the old one.

    Parameters
    ----------
    cell : RNNCell
        The cell (its weights are used as they are).
    x : ndarray (I,)
        Input at this step.
    h_prev : ndarray (H,)
        Previous hidden state.

    Returns
    -------
    h : ndarray (H,)
        New hidden state.
    jacobian : ndarray (H, H)
        :math:`J_{kl} = \\partial h_k / \\partial h^{\\text{prev}}_l`.

    Notes
    -----
    For :math:`h = \\tanh(z)`, :math:`z = W_{ih} x + b_{ih} + W_{hh} h^{\\text{prev}} + b_{hh}`,
    the Jacobian is :math:`\\operatorname{diag}(1 - h^2)\\, W_{hh}`. It is obtained here
    from the cell's own backward pass: the step is run on a batch of H identical
    copies, and copy k receives the upstream gradient :math:`e_k`, so row k of the
    returned ``"h_prev"`` gradient is :math:`e_k^\\top J`, the k-th row of J.
    """
    H = cell.hidden_size
    xs = np.broadcast_to(x, (H, x.shape[-1])).copy()  # (H, I): H copies of the step
    hs = np.broadcast_to(h_prev, (H, H)).copy()  # (H, H)
    h, cache = cell.forward(xs, hs)  # (H, H), every row the same new state
    grads = cell.backward(np.eye(H, dtype=h.dtype), cache)
    return h[0].copy(), grads["h_prev"]  # (H,), (H, H)


def lstm_step_jacobian(cell, x, state):
    """One LSTM step and the Jacobian of the new (h, c) w.r.t. the old (h, c).

    Parameters
    ----------
    cell : LSTMCell
    x : ndarray (I,)
    state : tuple of ndarray (H,)
        ``(h_prev, c_prev)``.

    Returns
    -------
    state : tuple of ndarray (H,)
        ``(h, c)``.
    jacobian : ndarray (2H, 2H)
        Blocks ``[[dh/dh_prev, dh/dc_prev], [dc/dh_prev, dc/dc_prev]]``.
    forget : ndarray (H,)
        The forget gate at this step; ``dc/dc_prev`` along the cell-state path alone
        is ``diag(forget)``.

    Notes
    -----
    Same device as :func:`rnn_step_jacobian`: 2H identical copies go through
    ``cell.forward``; copies 0..H-1 receive upstream ``(e_k, 0)`` and copies H..2H-1
    receive ``(0, e_k)``, so ``cell.backward`` returns the Jacobian row by row.
    """
    H = cell.hidden_size
    h_prev, c_prev = state
    xs = np.broadcast_to(x, (2 * H, x.shape[-1])).copy()  # (2H, I)
    hs = np.broadcast_to(h_prev, (2 * H, H)).copy()  # (2H, H)
    cs = np.broadcast_to(c_prev, (2 * H, H)).copy()  # (2H, H)
    (h, c), cache = cell.forward(xs, (hs, cs))
    eye = np.eye(2 * H, dtype=h.dtype)
    grads = cell.backward((eye[:, :H], eye[:, H:]), cache)  # upstream (2H, H) each
    jacobian = np.concatenate([grads["h_prev"], grads["c_prev"]], axis=1)  # (2H, 2H)
    return (h[0].copy(), c[0].copy()), jacobian, cache.f[0].copy()


def rnn_jacobian_norms(cell, xs, h0=None):
    """Spectral norms of :math:`\\partial h_t / \\partial h_0` for t = 1..T.

    Parameters
    ----------
    cell : RNNCell
    xs : ndarray (T, I)
        One input sequence.
    h0 : ndarray (H,), optional
        Initial state (zeros if missing).

    Returns
    -------
    ndarray (T,)
        Entry t-1 is :math:`\\|\\partial h_t / \\partial h_0\\|_2`, the largest factor
        by which a small change of :math:`h_0` can be amplified in :math:`h_t`.

    Notes
    -----
    By the chain rule :math:`\\partial h_t / \\partial h_0 = J_t J_{t-1} \\cdots J_1`
    with :math:`J_s = \\operatorname{diag}(1 - h_s^2) W_{hh}`; the running product is
    kept exactly (no sampling, no finite differences).
    """
    T = xs.shape[0]
    H = cell.hidden_size
    h = np.zeros(H) if h0 is None else np.asarray(h0, dtype=float)
    product = np.eye(H)  # (H, H): d h_t / d h_0 so far
    norms = np.empty(T)
    for t in range(T):
        h, jacobian = rnn_step_jacobian(cell, xs[t], h)
        product = jacobian @ product  # (H, H)
        norms[t] = np.linalg.norm(product, 2)
    return norms


def lstm_cell_jacobian_norms(cell, xs, state=None):
    """Norms of :math:`\\partial c_t / \\partial c_0` of an LSTM for t = 1..T.

    Parameters
    ----------
    cell : LSTMCell
    xs : ndarray (T, I)
    state : tuple of ndarray (H,), optional
        ``(h0, c0)``, zeros if missing.

    Returns
    -------
    dict
        ``"full"`` (T,): :math:`\\|\\partial c_t / \\partial c_0\\|_2` along every path
        (through the cell state and through the hidden state and the gates);
        ``"cell_path"`` (T,): the norm along the cell-state path alone,
        :math:`\\|\\prod_s \\operatorname{diag}(f_s)\\|_2 = \\max_k \\prod_s f_{s,k}`;
        ``"forget"`` (T, H): the forget gate at every step.
    """
    T = xs.shape[0]
    H = cell.hidden_size
    if state is None:
        state = (np.zeros(H), np.zeros(H))
    product = np.eye(2 * H)  # (2H, 2H): d (h_t, c_t) / d (h_0, c_0) so far
    path = np.ones(H)  # (H,): product of forget gates, unit by unit
    full = np.empty(T)
    cell_path = np.empty(T)
    forget = np.empty((T, H))
    for t in range(T):
        state, jacobian, forget[t] = lstm_step_jacobian(cell, xs[t], state)
        product = jacobian @ product  # (2H, 2H)
        path = path * forget[t]
        full[t] = np.linalg.norm(product[H:, H:], 2)  # the dc_t / dc_0 block
        cell_path[t] = path.max()
    return {"full": full, "cell_path": cell_path, "forget": forget}


def per_step_factor(norms, start=0):
    """Geometric-mean factor per step of a sequence of norms, from a log-linear fit.

    Parameters
    ----------
    norms : ndarray (T,)
        Positive values, entry t-1 belonging to step t.
    start : int, optional
        Ignore the first ``start`` steps (the transient).

    Returns
    -------
    float
        :math:`e^{a}`, where :math:`a` is the least-squares slope of
        :math:`\\log(\\text{norms}_t)` against t. Below 1 the norms shrink
        geometrically, above 1 they grow.
    """
    norms = np.asarray(norms, dtype=float)[start:]
    if norms.size < 2 or np.any(norms <= 0):
        raise ValueError("per_step_factor: expected at least 2 positive norms")
    steps = np.arange(norms.size)
    slope = np.polyfit(steps, np.log(norms), 1)[0]
    return float(np.exp(slope))


# ---------------------------------------------------------------------------
# 2. Storing one bit among distractors
# ---------------------------------------------------------------------------


def flagged_bit_sequences(n, *, lead, delay, seed=None):
    """Sequences that hide one flagged bit among random distractor bits.

    Every step carries two features: a value in {-1, +1} and a flag in {0, 1}.
    The first ``lead`` steps and the last ``delay`` steps are distractors (random
    values, flag 0); step ``lead`` carries the bit to remember, with flag 1.

    Parameters
    ----------
    n : int
        N, number of sequences.
    lead : int
        Distractor steps before the bit.
    delay : int
        Distractor steps after the bit.
    seed : int, optional

    Returns
    -------
    xs : ndarray (T, N, 2)
        With T = lead + 1 + delay; feature 0 is the value, feature 1 the flag.
    bits : ndarray (N,)
        The flagged values, in {-1, +1}, half of each (the first n // 2 are +1).
    """
    rng = np.random.default_rng(seed)
    T = lead + 1 + delay
    xs = np.zeros((T, n, 2))
    xs[:, :, 0] = rng.choice([-1.0, 1.0], size=(T, n))  # (T, N) distractors
    bits = np.where(np.arange(n) < n // 2, 1.0, -1.0)  # (N,)
    xs[lead, :, 0] = bits
    xs[lead, :, 1] = 1.0
    return xs, bits


def bit_storing_lstm(*, gate_gain=20.0, forget_bias=10.0, candidate_gain=3.0):
    """A scalar LSTM cell (I = 2, H = 1) whose weights are set by hand to store a bit.

    Parameters
    ----------
    gate_gain : float
        The input gate is :math:`\\sigma(\\text{gain}\\,(\\text{flag} - 1/2))`: open
        on the flagged step, shut otherwise.
    forget_bias : float
        The forget gate is :math:`\\sigma(\\text{forget\\_bias})`, close to 1.
    candidate_gain : float
        The candidate is :math:`\\tanh(\\text{gain} \\cdot \\text{value})`.

    Returns
    -------
    LSTMCell
        All recurrent weights are zero; the output gate is :math:`\\sigma(10)`, so
        :math:`h_t \\approx \\tanh(c_t)`.
    """
    cell = LSTMCell(2, 1, seed=0)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(cell, name)[...] = 0.0
    # rows of weight_ih, top to bottom: input gate, forget gate, candidate, output gate
    cell.weight_ih[0] = [0.0, gate_gain]
    cell.bias_ih[0] = -gate_gain / 2
    cell.bias_ih[1] = forget_bias
    cell.weight_ih[2] = [candidate_gain, 0.0]
    cell.bias_ih[3] = 10.0
    return cell


def run_lstm_cell(cell, xs):
    """Step an LSTM cell over a sequence and keep both memories at every step.

    Parameters
    ----------
    cell : LSTMCell
    xs : ndarray (T, N, I)

    Returns
    -------
    hs, cs : ndarray (T, N, H)
        Hidden state (short-term path) and cell state (long-term path) after each step.
    """
    T, N, _ = xs.shape
    H = cell.hidden_size
    h, c = np.zeros((N, H)), np.zeros((N, H))
    hs, cs = np.empty((T, N, H)), np.empty((T, N, H))
    for t in range(T):
        h, c = cell(xs[t], (h, c))  # (N, H) each
        hs[t], cs[t] = h, c
    return hs, cs


def scalar_rnn_bank(recurrent_weights, input_weight=1.0, flag_weight=0.0, bias=0.0):
    """Many independent scalar RNNs side by side, as one RNN layer with H = K units.

    Unit k computes

    .. math::

        h_t = \\tanh(w_k h_{t-1} + u\\,\\text{value}_t + v\\,\\text{flag}_t + b):

    the recurrent matrix is diagonal, so the units never talk to each other. With the
    defaults ``flag_weight=0`` and ``bias=0`` no unit sees the flag, so none can tell
    which step carries the bit.

    Parameters
    ----------
    recurrent_weights : array_like (K,)
        The scalar recurrent weight :math:`w_k` of each unit.
    input_weight : float
        u, the weight on the value feature, shared by every unit.
    flag_weight : float
        v, the weight on the flag feature, shared by every unit.
    bias : float
        b, shared by every unit.

    Returns
    -------
    RNN
        A layer with ``input_size=2`` and ``hidden_size=K``.
    """
    w = np.asarray(recurrent_weights, dtype=float).ravel()  # (K,)
    rnn = RNN(2, w.size, seed=0)
    rnn.weight_hh[...] = np.diag(w)  # (K, K)
    rnn.weight_ih[:, 0] = input_weight  # (K, 2): value ...
    rnn.weight_ih[:, 1] = flag_weight  # ... and flag
    rnn.bias_ih[...] = bias
    rnn.bias_hh[...] = 0.0
    return rnn


def recall_accuracy(hs, bits, lead):
    """Fraction of sequences whose state still has the sign of the bit, step by step.

    Parameters
    ----------
    hs : ndarray (T, N, K)
        States of K independent units (K = 1 for a single cell).
    bits : ndarray (N,)
        The bit of each sequence, in {-1, +1}.
    lead : int
        Index of the flagged step.

    Returns
    -------
    ndarray (T - lead, K)
        Row d is the accuracy d steps after the bit was shown (d = 0: the step of the
        bit itself). A readout may flip the sign, so each entry is
        :math:`\\max(a, 1 - a)`: chance level is 0.5 and never below.
    """
    agree = np.sign(hs[lead:]) == bits[None, :, None]  # (T - lead, N, K)
    accuracy = agree.mean(axis=1)  # (T - lead, K)
    return np.maximum(accuracy, 1.0 - accuracy)


def rnn_weight_search(xs, bits, lead, recurrent_weights, input_weights, flag_weight=0.0, bias=0.0):
    """Recall accuracy of every scalar RNN on a grid of (w, u), for one (v, b).

    Parameters
    ----------
    xs : ndarray (T, N, 2)
    bits : ndarray (N,)
    lead : int
    recurrent_weights : array_like (K,)
    input_weights : array_like (U,)
    flag_weight, bias : float
        v and b of :func:`scalar_rnn_bank`, shared by the whole grid.

    Returns
    -------
    ndarray (U, T - lead, K)
        Entry ``[j, d, k]`` is the accuracy of the RNN with input weight
        ``input_weights[j]`` and recurrent weight ``recurrent_weights[k]``, ``d`` steps
        after the bit.
    """
    results = []
    for u in np.asarray(input_weights, dtype=float).ravel():
        hs, _ = scalar_rnn_bank(recurrent_weights, u, flag_weight, bias)(xs)  # (T, N, K)
        results.append(recall_accuracy(hs, bits, lead))
    return np.stack(results)


def forget_keep_fraction(forget_bias, steps):
    """Fraction of the cell state left after ``steps`` steps with a constant forget gate.

    Parameters
    ----------
    forget_bias : float
        Pre-activation b of the forget gate, so :math:`f = \\sigma(b)`.
    steps : int

    Returns
    -------
    float
        :math:`\\sigma(b)^{\\text{steps}}`: with nothing written, :math:`c_t = f\\,c_{t-1}`.
    """
    return float(sigmoid(np.asarray(forget_bias, dtype=float)) ** steps)
