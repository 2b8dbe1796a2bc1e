"""Checks for chapter 6, "From pseudocode to code (a bug hunt)".

The reference for the loop is :class:`lstm_lib.LSTM` with the student's weights copied in.
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


def _reference_run(xs, state, weight_ih, weight_hh, bias_ih, bias_hh):
    from .. import LSTM

    T, N, I = xs.shape  # noqa: E741
    H = weight_hh.shape[1]
    layer = LSTM(I, H)
    layer.weight_ih[...] = weight_ih
    layer.weight_hh[...] = weight_hh
    layer.bias_ih[...] = bias_ih
    layer.bias_hh[...] = bias_hh
    return layer(xs, state)


def _swapped_run(xs, state, *params):
    """The loop that unpacks (c, h) from a step that returns (h, c): records cell states."""
    h, c = state
    hs = []
    for x in xs:
        c, h = _step(x, h, c, *params)
        hs.append(h)
    return np.stack(hs)


@exercise_check(points=2)
def check_run_lstm(run_lstm) -> None:
    """Check ``run_lstm(xs, state, weight_ih, weight_hh, bias_ih, bias_hh) -> (hs, (h_T, c_T))``.

    xs is (T, N, I) with I != H, and the initial state is not zero, so a loop that ignores
    it, or that records the cell state, cannot pass.
    """
    what = "run_lstm"
    rng = np.random.default_rng(606)
    T, N, I, H = 5, 2, 3, 4  # noqa: E741
    xs = rng.normal(size=(T, N, I))
    h0 = np.tanh(rng.normal(size=(N, H)))
    c0 = rng.normal(size=(N, H))
    params = _params(rng, I, H)
    result = call_student(
        what, run_lstm, xs.copy(), (h0.copy(), c0.copy()), *(p.copy() for p in params)
    )
    expect_true(
        isinstance(result, tuple)
        and len(result) == 2
        and isinstance(result[1], tuple)
        and len(result[1]) == 2,
        f"{what}: expected the pair (hs, (h_T, c_T)), got {type(result).__name__}. "
        "End with `return hs, (h, c)`.",
    )
    hs_ref, (h_ref, c_ref) = _reference_run(xs, (h0, c0), *params)
    hs = expect_shape(
        what + " (hs)",
        result[0],
        (T, N, H),
        hint="stack the T hidden states with np.stack(hs); h0 is not one of them.",
    )
    h_T = expect_shape(what + " (h_T)", result[1][0], (N, H))
    c_T = expect_shape(what + " (c_T)", result[1][1], (N, H))
    zero_state = (np.zeros((N, H)), np.zeros((N, H)))
    expect_close(
        what + " (hs)",
        hs,
        hs_ref,
        mistakes={
            "the step returns (h, c) but the loop unpacks (c, h), so it records cell states": (
                _swapped_run(xs, (h0, c0), *params)
            ),
            "the loop ignores the initial state and starts from zeros": _reference_run(
                xs, zero_state, *params
            )[0],
            "hs starts with h0 and misses the last step": np.concatenate([h0[None], hs_ref[:-1]]),
        },
    )
    if np.allclose(h_T, c_ref) and np.allclose(c_T, h_ref):
        raise StudentCheckError(
            f"{what}: the final state is swapped; return (h_T, c_T), hidden state first."
        )
    expect_close(what + " (h_T)", h_T, h_ref, hint="h_T is the last hidden state, hs[-1].")
    expect_close(what + " (c_T)", c_T, c_ref, hint="c_T is the cell state after the last step.")


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


def _float32(*args):
    h, c = _step(*(np.asarray(a, dtype=np.float32) for a in args))
    return h.astype(np.float64), c.astype(np.float64)


SLIPS = {
    "adds h_prev to x instead of using both (it even runs when H == I)": _added,
    "returns (c, h) instead of (h, c)": _swapped_return,
    "takes the gate blocks in the order i, f, o, g": _gate_order_ifog,
    "forgets the second bias vector bias_hh": _one_bias,
    "leaves out the output gate (h = tanh(c))": _no_output_gate,
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
    """Check ``matches_reference(step) -> bool`` on a correct step and on six broken ones.

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
            if step is _float32:
                hint = " Hint: use a tolerance of about 1e-10, not the default of np.allclose."
            raise StudentCheckError(
                f"{what}: your test accepted a step that {label}; it should return False.{hint}"
            )
