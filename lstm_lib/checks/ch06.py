"""Checks for chapter 6, "From pseudocode to code (a bug hunt)".

The reference for the final states of a padded batch is :class:`lstm_lib.LSTM`, run on
each sequence alone with the student's weights copied in.
The oracle-test exercise is checked by handing the student's test a correct step and
several steps with one slip each: it must accept the first and reject every other one.
"""

from __future__ import annotations

import numpy as np

from ._core import (
    StudentCheckError,
    call_student,
    exercise_check,
    expect_close,
    expect_shape,
    expect_true,
    not_implemented_message,
)


def _params(rng, I, H, scale=0.6):  # noqa: E741 (the course letters)
    return (
        rng.normal(size=(4 * H, I)) * scale,
        rng.normal(size=(4 * H, H)) * scale,
        rng.normal(size=4 * H) * 0.3,
        rng.normal(size=4 * H) * 0.3,
    )


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the same function, without overflow


def _step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """A plain batched LSTM step, written independently of the library."""
    H = h_prev.shape[1]
    z = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh  # (N, 4H)
    i, f, o = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H]), _sigmoid(z[:, 3 * H :])
    g = np.tanh(z[:, 2 * H : 3 * H])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def _reference_final(xs, lengths, weight_ih, weight_hh, bias_ih, bias_hh):
    """Each sequence run alone through :class:`lstm_lib.LSTM`, for its own length only."""
    from .. import LSTM

    T, N, I = xs.shape  # noqa: E741
    H = weight_hh.shape[1]
    layer = LSTM(I, H)
    layer.weight_ih[...] = weight_ih
    layer.weight_hh[...] = weight_hh
    layer.bias_ih[...] = bias_ih
    layer.bias_hh[...] = bias_hh
    finals = [layer(xs[: int(k), n : n + 1])[1] for n, k in enumerate(lengths)]
    return tuple(np.concatenate([state[j] for state in finals]) for j in (0, 1))


@exercise_check(points=2)
def check_final_states(final_states) -> None:
    """Check ``final_states(xs, lengths, weight_ih, weight_hh, bias_ih, bias_hh) -> (h, c)``.

    xs is a padded batch (T, N, I) with I != H; ``lengths`` holds each sequence's real
    length, including 1 and T. Row n of each returned state must be the state right after
    step ``lengths[n]``: running through the padding, stopping a step early or a step late,
    and swapping the two states are each named when they occur.
    """
    what = "final_states"
    rng = np.random.default_rng(606)
    T, N, I, H = 6, 4, 3, 5  # noqa: E741
    lengths = np.array([T, 1, 4, 3])
    xs = rng.normal(size=(T, N, I))
    xs[np.arange(T)[:, None] >= lengths[None, :]] = 0.0  # zero padding after each end
    params = _params(rng, I, H)
    result = call_student(
        what, final_states, xs.copy(), lengths.copy(), *(p.copy() for p in params)
    )
    expect_true(
        isinstance(result, tuple) and len(result) == 2,
        f"{what}: expected the pair (h_last, c_last), got {type(result).__name__}. "
        "End with `return h, c`.",
    )
    h_got = expect_shape(what + " (h_last)", result[0], (N, H), hint="one row per sequence.")
    c_got = expect_shape(what + " (c_last)", result[1], (N, H), hint="one row per sequence.")
    h_ref, c_ref = _reference_final(xs, lengths, *params)
    if np.allclose(h_got, c_ref) and np.allclose(c_got, h_ref):
        raise StudentCheckError(
            f"{what}: the two states are swapped; return (h, c), hidden state first."
        )
    zeros = np.zeros((N, H))
    through_padding = _reference_final(xs, np.full(N, T), *params)
    early = _reference_final(xs, np.maximum(lengths - 1, 1), *params)
    early = tuple(np.where((lengths == 1)[:, None], zeros, e) for e in early)
    late = _reference_final(xs, np.minimum(lengths + 1, T), *params)
    for got, ref, k, name in ((h_got, h_ref, 0, "h_last"), (c_got, c_ref, 1, "c_last")):
        expect_close(
            f"{what} ({name})",
            got,
            ref,
            mistakes={
                "the padding is run through as if it were data: the state must stop "
                "changing after step lengths[n]": through_padding[k],
                "the state is taken one step too early (after step lengths[n] - 1; "
                "off by one in time)": early[k],
                "the state is taken one step too late (after step lengths[n] + 1; "
                "off by one in time)": late[k],
            },
            hint="a sequence of length k keeps the state it has after its k-th step.",
        )


# ---- the oracle test ----------------------------------------------------------------------


def _good(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    from .. import LSTMCell

    cell = LSTMCell(x.shape[1], h_prev.shape[1])
    cell.weight_ih[...] = weight_ih
    cell.weight_hh[...] = weight_hh
    cell.bias_ih[...] = bias_ih
    cell.bias_hh[...] = bias_hh
    return cell(x, (h_prev, c_prev))


def _added(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """Slip 1: h_prev added to x, so only the input weights are used."""
    joined = h_prev + x  # (N, I) only when H == I
    z = joined @ weight_ih.T + bias_ih + bias_hh
    H = h_prev.shape[1]
    i, f, o = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H]), _sigmoid(z[:, 3 * H :])
    c = f * c_prev + i * np.tanh(z[:, 2 * H : 3 * H])
    return o * np.tanh(c), c


def _swapped_return(*args):
    h, c = _step(*args)
    return c, h


def _gate_order_ifog(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    H = h_prev.shape[1]
    z = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh  # (N, 4H)
    i, f, o = _sigmoid(z[:, :H]), _sigmoid(z[:, H : 2 * H]), _sigmoid(z[:, 2 * H : 3 * H])
    g = np.tanh(z[:, 3 * H :])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def _one_bias(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    return _step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, np.zeros_like(bias_hh))


def _no_output_gate(*args):
    h, c = _step(*args)
    return np.tanh(c), c


def _ignores_h_prev(x, h_prev, c_prev, *params):
    """Reads the hidden state as zeros: only a test with h_prev != 0 can see it."""
    return _step(x, np.zeros_like(h_prev), c_prev, *params)


def _ignores_c_prev(x, h_prev, c_prev, *params):
    """Reads the cell state as zeros: only a test with c_prev != 0 can see it."""
    return _step(x, h_prev, np.zeros_like(c_prev), *params)


def _float32(*args):
    h, c = _step(*(np.asarray(a, dtype=np.float32) for a in args))
    return h.astype(np.float64), c.astype(np.float64)


SLIPS = {
    "adds h_prev to x instead of using both (it even runs when H == I)": _added,
    "returns (c, h) instead of (h, c)": _swapped_return,
    "takes the gate blocks in the order i, f, o, g": _gate_order_ifog,
    "forgets the second bias vector bias_hh": _one_bias,
    "leaves out the output gate (h = tanh(c))": _no_output_gate,
    "ignores the previous hidden state h_prev (reads it as zeros)": _ignores_h_prev,
    "ignores the previous cell state c_prev (reads it as zeros)": _ignores_c_prev,
    "computes in float32 (errors around 1e-8, far above 1e-10)": _float32,
}


def _verdict(what, matches_reference, step, label):
    try:
        verdict = matches_reference(step)
    except NotImplementedError:
        raise StudentCheckError(not_implemented_message(what)) from None
    except Exception as exc:
        raise StudentCheckError(
            f"{what}: your test raised {type(exc).__name__}: {exc} when given a step that "
            f"{label}. A test must not crash on a broken step: catch the exception "
            "(try/except) and return False."
        ) from None
    expect_true(
        isinstance(verdict, (bool, np.bool_)),
        f"{what}: expected True or False, got {type(verdict).__name__} ({verdict!r}).",
    )
    return bool(verdict)


@exercise_check(points=2)
def check_matches_reference(matches_reference) -> None:
    """Check ``matches_reference(step) -> bool`` on a correct step and on the broken ``SLIPS``.

    ``step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh) -> (h, c)`` is batched.
    """
    what = "matches_reference"
    call_student(what, matches_reference, _good)  # "not implemented" before anything else
    expect_true(
        _verdict(what, matches_reference, _good, "is correct"),
        f"{what}: your test rejected a correct step. Compare with torch.nn.LSTMCell in "
        "float64 (dtype=torch.float64) with the SAME weights copied in, and allow a "
        "tolerance of about 1e-10 (the two add numbers in a different order).",
    )
    for label, step in SLIPS.items():
        accepted = _verdict(what, matches_reference, step, label)
        if accepted:
            hint = ""
            if step is _added:
                hint = " Hint: with H == I the addition runs; test with H != I."
            if step in (_ignores_h_prev, _ignores_c_prev):
                hint = (
                    " Hint: a test that starts from zero states cannot see a step that "
                    "ignores them; use random, non-zero h_prev and c_prev."
                )
            if step is _float32:
                hint = " Hint: use a tolerance of about 1e-10, not the default of np.allclose."
            raise StudentCheckError(
                f"{what}: your test accepted a step that {label}; it should return False.{hint}"
            )
