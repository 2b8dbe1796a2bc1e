"""Checks for chapter 4, "The gates, stage by stage".

Each check calls the student's function on small arrays (I != H, so an input added
to a hidden state cannot pass), compares with the chapter's equations, and, when
the answer is wrong in a common way, says which way.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np

from .. import sigmoid, tanh
from ._core import (
    StudentCheckError,
    call_student,
    exercise_check,
    expect_array,
    expect_close,
    expect_shape,
    expect_true,
)

__all__ = ["check_forget_gate", "check_keep_but_hide", "check_lstm_unit_step"]

N, I, H = 2, 3, 4  # noqa: E741 (the course's letters)


def _matches(got: np.ndarray, candidate: np.ndarray) -> bool:
    return got.shape == candidate.shape and bool(np.allclose(got, candidate, atol=1e-8))


SUM_HINT = (
    "It looks like the input and the hidden state were added: they have different "
    "lengths (I and H). A cell never adds them; it feeds both to the gate, each "
    "through its own weights: x @ W_i*.T + h_prev @ W_h*.T (the concatenation [h, x])."
)


def call_with_sum_hint(what: str, fn, *args):
    """:func:`call_student`, plus a hint when the error is ``h_prev + x`` broadcasting."""
    try:
        return call_student(what, fn, *args)
    except StudentCheckError as exc:
        text = str(exc)
        if "broadcast" in text and re.search(r"\(\d+,\s*\d+\)\s*\(\d+,\s*\d+\)", text):
            raise StudentCheckError(f"{text} {SUM_HINT}") from None
        raise


def _first_match(what: str, got: np.ndarray, expected: np.ndarray, mistakes) -> None:
    """Raise with the hint of the first known mistake ``got`` equals (if it is wrong)."""
    if _matches(got, expected):
        return
    for wrong, hint in mistakes:
        if _matches(got, wrong):
            raise StudentCheckError(f"{what}: {hint}")


@exercise_check(points=2)
def check_forget_gate(forget_gate) -> None:
    """Check ``forget_gate(x, h_prev, W_if, W_hf, b_if, b_hf) -> f_t`` on a batch.

    Expected: ``f_t = sigmoid(x @ W_if.T + b_if + h_prev @ W_hf.T + b_hf)``, shape (N, H),
    with ``x`` (N, I), ``h_prev`` (N, H), ``W_if`` (H, I), ``W_hf`` (H, H).
    """
    what = "forget_gate"
    rng = np.random.default_rng(404)
    x = rng.normal(size=(N, I))
    h_prev = rng.uniform(-1, 1, (N, H))
    W_if = rng.normal(size=(H, I))
    W_hf = rng.normal(size=(H, H))
    b_if = rng.normal(size=H)
    b_hf = rng.normal(size=H)
    args = (x, h_prev, W_if, W_hf, b_if, b_hf)
    got = call_with_sum_hint(what, forget_gate, *(a.copy() for a in args))
    got = expect_shape(what, got, (N, H), hint="one fraction per sequence and per unit: (N, H).")
    z = x @ W_if.T + b_if + h_prev @ W_hf.T + b_hf  # (N, H)
    _first_match(
        what,
        got,
        sigmoid(z),
        [
            (z, "you returned the pre-activation; squash it with sigmoid to get a fraction."),
            (tanh(z), "a gate uses sigmoid (a fraction in (0, 1)), not tanh."),
            (sigmoid(z - b_hf), "the recurrent bias b_hf is missing: a gate adds both biases."),
            (sigmoid(z - b_if), "the input bias b_if is missing: a gate adds both biases."),
            (sigmoid(x @ W_if.T + b_if + b_hf), "the previous hidden state h_prev is missing."),
            (sigmoid(h_prev @ W_hf.T + b_if + b_hf), "the input x is missing."),
        ],
    )
    expect_close(
        what,
        got,
        sigmoid(z),
        hint="compare each term with the equation of 'Stage 1: the forget gate': which "
        "weight multiplies x, which h_prev, and is each weight transposed for a batch of rows?",
    )


KEEP_STEPS = 50  # exercise 4.3: keep the memory this many steps


def _unit_step(z_f, z_i, z_g, z_o, c_prev):
    f, i, g, o = sigmoid(z_f), sigmoid(z_i), tanh(z_g), sigmoid(z_o)
    c = f * c_prev + i * g
    return o * tanh(c), c, (f, i, g, o)


@exercise_check(points=3)
def check_lstm_unit_step(lstm_unit_step) -> None:
    """Check ``lstm_unit_step(z_f, z_i, z_g, z_o, c_prev) -> (h_t, c_t)`` (element-wise).

    Expected: the three stages, from the four pre-activations, as in the gate explorer.
    """
    what = "lstm_unit_step"
    rng = np.random.default_rng(405)
    zs = [rng.normal(0.0, 2.0, (N, H)) for _ in range(4)]
    c_prev = rng.uniform(-2.0, 2.0, (N, H))
    result = call_student(what, lstm_unit_step, *(z.copy() for z in zs), c_prev.copy())
    expect_true(
        isinstance(result, tuple) and len(result) == 2,
        f"{what}: expected a tuple (h_t, c_t), got {type(result).__name__}"
        + (f" of length {len(result)}" if isinstance(result, tuple) else "")
        + ". End with `return h_t, c_t`.",
    )
    h_t, c_t = (
        expect_shape(what, v, (N, H), hint="element-wise maths keeps the shape.") for v in result
    )
    h_ref, c_ref, (f, i, g, o) = _unit_step(*zs, c_prev)
    if _matches(h_t, c_ref) and _matches(c_t, h_ref):
        raise StudentCheckError(f"{what}: h_t and c_t are swapped; return the hidden state first.")
    _first_match(
        what + " (the new cell state c_t)",
        c_t,
        c_ref,
        [
            (
                f + g,
                "you added the forget gate to the candidate. The forget gate multiplies "
                "the OLD CELL STATE, the input gate multiplies the candidate, and the two "
                "products are added.",
            ),
            (f * g + i * c_prev, "the gates are swapped: f scales c_prev, i scales the candidate."),
            (
                f * c_prev + i * sigmoid(zs[2]),
                "the candidate uses tanh (a signed value), not sigmoid.",
            ),
            (f * c_prev + g, "the candidate must be scaled by the input gate before it is added."),
            (c_prev + i * g, "the old cell state must be scaled by the forget gate."),
        ],
    )
    expect_close(
        what + " (the new cell state c_t)",
        c_t,
        c_ref,
        hint="see the cell-state update of 'Stage 2: the input gate and the candidate': what keeps the old state, what adds the new, all element by element.",
    )
    _first_match(
        what + " (the new hidden state h_t)",
        h_t,
        h_ref,
        [
            (o * c_ref, "h_t uses c_t directly; squash it first: h_t = o * tanh(c_t)."),
            (tanh(o * c_ref), "tanh belongs to the cell state alone: h_t = o * tanh(c_t)."),
            (o * tanh(c_prev), "h_t reads the NEW cell state c_t, not c_prev."),
        ],
    )
    expect_close(
        what + " (the new hidden state h_t)",
        h_t,
        h_ref,
        hint="see 'Stage 3: the output gate and the new hidden state': which state is squashed, and what multiplies it.",
    )


@exercise_check(points=1)
def check_keep_but_hide(keep_but_hide) -> None:
    """Check ``keep_but_hide() -> {"z_f", "z_i", "z_g", "z_o"}`` over KEEP_STEPS steps from c = 1.

    The same four pre-activations at every step must keep the memory
    (``|c_T - 1| < 0.05`` after ``T = KEEP_STEPS`` steps) and hide it from the output
    (``|h_t| < 0.05`` at every step).
    """
    what = "keep_but_hide"
    got = call_student(what, keep_but_hide)
    keys = ("z_f", "z_i", "z_g", "z_o")
    expect_true(
        isinstance(got, Mapping),
        f"{what}: expected a dict with keys {list(keys)}, got {type(got).__name__}.",
    )
    missing = [k for k in keys if k not in got]
    expect_true(not missing, f"{what}: the returned dict has no key(s) {missing}.")
    zs = []
    for k in keys:
        value = expect_array(f"{what}: {k!r}", got[k])
        expect_true(
            value.shape == (), f"{what}: {k!r} should be one number, got shape {value.shape}."
        )
        expect_true(bool(np.isfinite(value)), f"{what}: {k!r} is not a finite number.")
        zs.append(float(value))
    c, h_max = 1.0, 0.0
    for _ in range(KEEP_STEPS):
        h_t, c, (f, i, g, o) = _unit_step(*zs, c)
        h_max = max(h_max, abs(h_t))
    one_step = _unit_step(*zs, 1.0)[1]
    if abs(one_step - 1.0) < 0.05:
        why = (
            f"; after one step it was still {one_step:.3f}: a forget gate f = {f:.4f} keeps "
            f"a fraction f**{KEEP_STEPS} after {KEEP_STEPS} steps"
        )
    else:
        why = (
            f"). Keep it: a forget gate near 1 (now f = {f:.3f}) and, unless the candidate "
            f"is tiny, an input gate near 0 (now i = {i:.3f}"
        )
    expect_true(
        abs(c - 1.0) < 0.05,
        f"{what}: after {KEEP_STEPS} steps the memory is c = {c:.3f} (it started at 1{why}).",
    )
    expect_true(
        h_max < 0.05,
        f"{what}: the memory shows in the output: |h_t| reaches {h_max:.3f}. The output gate "
        f"decides how much of tanh(c_t) leaves the cell (now o = {o:.3f}).",
    )
