"""Checks for the exercises of chapter 1, "Why plain RNNs forget"."""

from __future__ import annotations

import numpy as np

from ._core import call_student, exercise_check, expect_close, expect_shape, expect_true

__all__ = ["check_step_jacobian", "check_steps_to_shrink"]


@exercise_check(points=2)
def check_step_jacobian(step_jacobian):
    """Check ``step_jacobian(weight_hh, h)`` = diag(1 - h**2) @ weight_hh.

    The expected Jacobian comes from the library's own backward pass
    (:func:`lstm_lib.lab.memory.rnn_step_jacobian`), not from the formula.
    """
    from .. import RNNCell
    from ..lab.memory import rnn_step_jacobian

    what = "step_jacobian"
    rng = np.random.default_rng(1)
    for H in (4, 3):
        cell = RNNCell(2, H, seed=H)
        x = rng.standard_normal(2)
        h_prev = rng.uniform(-0.5, 0.5, H)
        h, expected = rnn_step_jacobian(cell, x, h_prev)
        weight_hh = cell.weight_hh.copy()
        got = call_student(what, step_jacobian, weight_hh, h.copy())
        expect_true(
            np.array_equal(weight_hh, cell.weight_hh),
            f"{what}: your function changed weight_hh in place; compute a new array instead.",
        )
        got = expect_shape(
            what, got, (H, H), "the Jacobian of h (H,) w.r.t. h_prev (H,) is (H, H)."
        )
        derivative = 1 - h**2
        hints = [
            (weight_hh, "you returned weight_hh alone: multiply by the tanh slope 1 - h**2."),
            (
                weight_hh * derivative[None, :],
                "you scaled the columns of weight_hh; row k belongs to h_k, so it is "
                "row k that carries the slope of unit k.",
            ),
            (
                derivative[:, None] * weight_hh.T,
                "you used weight_hh.T; row k of the Jacobian holds the derivatives of "
                "h_k, and h_k depends on h_prev through row k of weight_hh.",
            ),
            (
                (1 - h)[:, None] * weight_hh,
                "the slope of tanh is 1 - tanh(z)**2 = 1 - h**2, not 1 - h.",
            ),
        ]
        if not np.allclose(got, expected, atol=1e-10):
            for wrong, hint in hints:
                expect_true(
                    not np.allclose(got, wrong, atol=1e-10), f"{what}: wrong Jacobian: {hint}"
                )
        expect_close(
            what,
            got,
            expected,
            atol=1e-10,
            rtol=1e-8,
            hint="J_t = dh_t/dh_(t-1) is the tanh slope of each unit times the recurrent "
            "weights (section 'Many units: a product of matrices').",
        )


def _steps_by_counting(scale, factor):
    """The smallest T with scale**T <= factor, by trying T = 0, 1, 2, ... in turn."""
    steps = 0
    while scale**steps > factor:
        steps += 1
    return steps


@exercise_check(points=1)
def check_steps_to_shrink(steps_to_shrink):
    """Check ``steps_to_shrink(scale, factor)``: the smallest T with scale**T <= factor."""
    what = "steps_to_shrink"
    # The last two are exact powers whose logarithm ratio is exactly 3 in every base
    # (0.5**3 and 0.25**3 are doubles): there scale**T == factor already counts, and
    # int(x) + 1 in place of rounding up is wrong. Powers such as 0.75**7 are left out:
    # their log ratio is 7 in one base and 7.000000000000001 in another, so a correct
    # solution could go either way.
    cases = ((0.9, 1e-3), (0.5, 1e-6), (0.99, 0.1), (0.3, 0.5))
    cases += ((0.5, 0.125), (0.25, 0.015625))
    for scale, factor in cases:
        got = call_student(what, steps_to_shrink, scale, factor)
        expected = _steps_by_counting(scale, factor)
        expect_true(
            got is not None, f"{what}({scale}, {factor}): got None. Did you forget a `return`?"
        )
        expect_true(
            isinstance(got, (int, np.integer)) and not isinstance(got, bool),
            f"{what}({scale}, {factor}): expected a whole number of steps (an int), got "
            f"{type(got).__name__} {got!r}. Hint: math.ceil returns an int.",
        )
        expect_true(
            got != expected - 1,
            f"{what}({scale}, {factor}): you returned {got}, but {scale}**{got} = "
            f"{scale**got:.4g} is still above {factor}. Round up, not down.",
        )
        expect_true(
            not (got == expected + 1 and scale**expected == factor),
            f"{what}({scale}, {factor}): you returned {got}, but already {scale}**{expected} "
            f"equals {factor}, and the condition is scale**T <= factor. At an exact power "
            "the logarithms' ratio is a whole number: int(ratio) + 1 then overshoots by one, "
            "while rounding up does not.",
        )
        expect_true(
            got == expected,
            f"{what}({scale}, {factor}): expected {expected} steps ({scale}**{expected} = "
            f"{scale**expected:.4g} <= {factor}), got {got}. Hint: solve scale**T <= factor "
            "for T with logarithms; log(scale) is negative.",
        )
