"""Checks for chapter 5, "The whole cell".

The reference for the fused step is :class:`lstm_lib.LSTMCell` itself, with the
student's weights copied in; the parameter count is checked against the formula
4H(I + H) + 2 * 4H (PyTorch keeps two bias vectors).
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
)
from .ch04 import call_with_sum_hint

__all__ = ["check_concatenated_weights", "check_lstm_step", "check_param_count"]


@exercise_check(points=1)
def check_param_count(lstm_param_count) -> None:
    """Check ``lstm_param_count(input_size, hidden_size) -> int`` (PyTorch's count)."""
    what = "lstm_param_count"
    for input_size, hidden_size in ((3, 5), (10, 20), (1, 1), (128, 64)):
        got = call_student(what, lstm_param_count, input_size, hidden_size)
        call = f"{what}({input_size}, {hidden_size})"
        expect_true(
            isinstance(got, (int, np.integer)) and not isinstance(got, bool),
            f"{call}: expected an int, got {type(got).__name__} ({got!r}).",
        )
        I, H = input_size, hidden_size  # noqa: E741 (the course letters)
        weights = 4 * H * (I + H)
        hints = {
            weights: "that is the weights only; add the two bias vectors of 4H each.",
            weights + 4 * H: "PyTorch keeps TWO bias vectors (bias_ih and bias_hh), 4H each.",
            H * (I + H) + 2 * H: "there are FOUR blocks (i, f, g, o), each H rows.",
            4 * H * I + 8 * H: "the recurrent weights weight_hh (4H x H) are missing.",
            4 * H * (I + H) + 2 * H: "each bias vector has 4H entries, one per row.",
        }
        expected = weights + 2 * 4 * H
        if got != expected:
            hint = hints.get(
                int(got),
                "count weight_ih (4H x I), weight_hh (4H x H), bias_ih (4H) and bias_hh (4H).",
            )
            raise StudentCheckError(f"{call}: expected {expected}, got {got}. Hint: {hint}")


@exercise_check(points=2)
def check_concatenated_weights(concatenated_weights) -> None:
    """Check ``concatenated_weights(weight_ih, weight_hh, bias_ih, bias_hh) -> (W, b)``.

    Expected: ``W`` of shape (4H, H + I) acting on the concatenation ``[h_{t-1}, x_t]``
    (hidden state first, as in the course's notation) and ``b = bias_ih + bias_hh``, so
    that ``W @ [h, x] + b`` equals ``weight_ih @ x + bias_ih + weight_hh @ h + bias_hh``.
    """
    what = "concatenated_weights"
    rng = np.random.default_rng(506)
    I, H = 3, 2  # noqa: E741
    weight_ih = rng.normal(size=(4 * H, I))
    weight_hh = rng.normal(size=(4 * H, H))
    bias_ih = rng.normal(size=4 * H)
    bias_hh = rng.normal(size=4 * H)
    params = (weight_ih, weight_hh, bias_ih, bias_hh)
    result = call_student(what, concatenated_weights, *(p.copy() for p in params))
    expect_true(
        isinstance(result, tuple) and len(result) == 2,
        f"{what}: expected a tuple (W, b), got {type(result).__name__}. End with `return W, b`.",
    )
    W_got, b_got = result
    W = np.concatenate([weight_hh, weight_ih], axis=1)  # (4H, H + I)
    W_got = expect_shape(
        what + " (W)",
        W_got,
        W.shape,
        hint="stack the two blocks side by side (axis=1): (4H, H + I).",
    )
    if np.allclose(W_got, np.concatenate([weight_ih, weight_hh], axis=1)):
        raise StudentCheckError(
            f"{what}: W acts on [x, h] (input columns first). The course writes the "
            "concatenation as [h_{t-1}, x_t]: put weight_hh's columns first."
        )
    expect_close(what + " (W)", W_got, W, hint="W = [weight_hh | weight_ih], side by side.")
    b_got = expect_shape(what + " (b)", b_got, (4 * H,), hint="one bias per row of W.")
    for one, name in ((bias_ih, "bias_ih"), (bias_hh, "bias_hh")):
        if np.allclose(b_got, one):
            raise StudentCheckError(
                f"{what}: b is {name} alone. The split form adds BOTH biases, so the "
                "concatenated form needs their sum."
            )
    expect_close(what + " (b)", b_got, bias_ih + bias_hh, hint="b = bias_ih + bias_hh.")


def _reference_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    from .. import LSTMCell

    N, I = x.shape  # noqa: E741
    H = h_prev.shape[1]
    cell = LSTMCell(I, H)
    cell.weight_ih[...] = weight_ih
    cell.weight_hh[...] = weight_hh
    cell.bias_ih[...] = bias_ih
    cell.bias_hh[...] = bias_hh
    return cell(x, (h_prev, c_prev))


@exercise_check(points=3)
def check_lstm_step(lstm_step) -> None:
    """Check ``lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh) -> (h, c)``.

    The reference is :class:`lstm_lib.LSTMCell` with the same parameters. I != H, so
    adding ``h_prev`` to ``x`` (instead of using both) cannot go unnoticed.
    """
    what = "lstm_step"
    rng = np.random.default_rng(505)
    N, I, H = 2, 3, 4  # noqa: E741
    x = rng.normal(size=(N, I))
    h_prev = rng.normal(size=(N, H)) * 0.5
    c_prev = rng.normal(size=(N, H))
    weight_ih = rng.normal(size=(4 * H, I)) * 0.6
    weight_hh = rng.normal(size=(4 * H, H)) * 0.6
    bias_ih = rng.normal(size=4 * H) * 0.3
    bias_hh = rng.normal(size=4 * H) * 0.3
    params = (weight_ih, weight_hh, bias_ih, bias_hh)
    result = call_with_sum_hint(
        what, lstm_step, x.copy(), h_prev.copy(), c_prev.copy(), *(p.copy() for p in params)
    )
    expect_true(
        isinstance(result, tuple) and len(result) == 2,
        f"{what}: expected a tuple (h, c), got {type(result).__name__}. End with `return h, c`.",
    )
    h, c = (expect_shape(what, v, (N, H), hint="both states are (N, H).") for v in result)
    h_ref, c_ref = _reference_step(x, h_prev, c_prev, *params)
    if np.allclose(h, c_ref) and np.allclose(c, h_ref):
        raise StudentCheckError(
            f"{what}: h and c are swapped. The cell returns (h, c): the new hidden state "
            "first, then the new cell state."
        )
    if not np.allclose(c, c_ref, atol=1e-8):
        # The usual slips, each recomputed from the reference with one piece left out.
        slips = {
            "the recurrent bias bias_hh is missing (a cell adds both biases)": (
                bias_ih,
                np.zeros_like(bias_hh),
            ),
            "the input bias bias_ih is missing (a cell adds both biases)": (
                np.zeros_like(bias_ih),
                bias_hh,
            ),
            "both biases are missing": (np.zeros_like(bias_ih), np.zeros_like(bias_hh)),
        }
        for slip, (b_ih, b_hh) in slips.items():
            _, c_slip = _reference_step(x, h_prev, c_prev, weight_ih, weight_hh, b_ih, b_hh)
            if np.allclose(c, c_slip, atol=1e-8):
                raise StudentCheckError(
                    f"{what}: {slip}. See 'One product instead of eight' in this chapter."
                )
        raise StudentCheckError(
            f"{what}: the new cell state c differs from lstm_lib.LSTMCell's (largest "
            f"difference {np.abs(c - c_ref).max():.3g}). Compare your step with 'One product "
            "instead of eight': the order of the four blocks (how PyTorch stores the gates), "
            "which activation each block takes, and what multiplies c_prev."
        )
    expect_close(
        what + " (the hidden state h)",
        h,
        h_ref,
        hint="c is right, so look at the last line of the step: which block is the output "
        "gate, and what does it multiply? (Stage 3 of chapter 4.)",
    )
