"""Checks for the exercises of chapter 2, "Activation functions"."""

from __future__ import annotations

import warnings

import numpy as np

from ._core import call_student, exercise_check, expect_close, expect_shape, expect_true

__all__ = ["check_stable_sigmoid", "check_preactivation_for"]


@exercise_check(points=2)
def check_stable_sigmoid(stable_sigmoid):
    """Check ``stable_sigmoid(x)``: equal to σ(x), same shape, no warning even at ±1000."""
    from .. import sigmoid

    what = "stable_sigmoid"
    x = np.array([-1000.0, -745.0, -710.0, -50.0, -3.0, -0.5, 0.0, 0.5, 3.0, 50.0, 710.0, 1000.0])
    original = x.copy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with np.errstate(over="warn", invalid="warn", divide="warn", under="ignore"):
            got = call_student(what, stable_sigmoid, x)
    expect_true(
        np.array_equal(x, original),
        f"{what}: your function changed its input array in place; work on a copy.",
    )
    runtime = [w for w in caught if issubclass(w.category, RuntimeWarning)]
    if runtime:
        expect_true(
            False,
            f"{what}: NumPy warned while computing your sigmoid ('{runtime[0].message}'). "
            "Hint: np.exp overflows for large positive arguments; see 'A sigmoid that "
            "does not overflow' for two forms of σ and which one is safe for which sign of x. "
            "(np.where evaluates both of its branches on every element, so an overflowing "
            "branch still warns.)",
        )
    got = expect_shape(what, got, x.shape, "return one value per input, same shape.")
    expect_true(
        bool(np.all(np.isfinite(got))),
        f"{what}: your result contains NaN or infinity at x = "
        f"{x[~np.isfinite(got)].tolist()}. Hint: exp(x) / (1 + exp(x)) is inf / inf for large x.",
    )
    expect_close(
        what,
        got,
        sigmoid(x),
        atol=1e-12,
        rtol=1e-9,
        hint="for each sign of x, check which form of σ from 'A sigmoid that does not "
        "overflow' you use, and that both forms give σ(x), not 1 - σ(x).",
    )
    grid = np.linspace(-30, 30, 7).reshape(7, 1)  # a 2-D input must keep its shape
    got = call_student(what, stable_sigmoid, grid)
    expect_close(
        what,
        got,
        sigmoid(grid),
        atol=1e-12,
        rtol=1e-9,
        hint="make it work element-wise on arrays of any shape.",
    )
    # Where σ is tiny but far from 0, compare relative errors: 1 - 1/(1 + e) cancels to 0
    # below x ≈ -37, and clipping or float32 change the value, all within any atol.
    tiny_x = np.array([-50.0, -700.0])
    with np.errstate(over="ignore", under="ignore", invalid="ignore", divide="ignore"):
        got = np.asarray(call_student(what, stable_sigmoid, tiny_x.copy()), dtype=float)
    expected = sigmoid(tiny_x)
    got = expect_shape(what, got, tiny_x.shape)
    bad = ~np.isclose(got, expected, rtol=1e-9, atol=0)
    zero = bad & (got == 0)
    expect_true(
        not np.any(zero),
        f"{what}: your sigmoid returns 0 at x = {tiny_x[zero].tolist()}, where σ(x) is "
        f"about {expected[zero].tolist()}. Something cancels or overflows for negative "
        "x: a difference such as 1 - (a number that rounds to 1) loses every digit, and "
        "1 / (1 + exp(-x)) is 1 / inf = 0 once exp(-x) overflows. Keep the small value "
        "as a ratio (section 'A sigmoid that does not overflow').",
    )
    expect_true(
        not np.any(bad),
        f"{what}: at x = {tiny_x[bad].tolist()} your sigmoid gives {got[bad].tolist()}, "
        f"but σ(x) is about {expected[bad].tolist()}: the relative error should be near "
        "1e-16. Clipping x, or computing in float32, changes the value where σ is tiny.",
    )


@exercise_check(points=1)
def check_preactivation_for(preactivation_for):
    """Check ``preactivation_for(fraction)``: the z with σ(z) = fraction (the logit)."""
    from .. import sigmoid

    what = "preactivation_for"
    for fraction in (0.5, 0.99, 0.9, 0.25, 0.001):
        got = call_student(what, preactivation_for, fraction)
        expected = float(np.log(fraction) - np.log1p(-fraction))
        got = expect_shape(what, got, ())
        expect_true(
            not np.isclose(got, np.log(fraction)),
            f"{what}({fraction}): you returned log(fraction) = {float(got):.4g}; σ of that is "
            f"{float(sigmoid(got)):.4g}, not {fraction}. Solve σ(z) = p for z, starting from "
            "the sigmoid's definition in 'Two squashing functions'.",
        )
        expect_close(
            f"{what}({fraction})",
            got,
            expected,
            atol=1e-9,
            rtol=1e-9,
            hint=f"σ(your z) = {float(sigmoid(got)):.6g}, but it should be {fraction}. "
            "Solve 1 / (1 + exp(-z)) = p for z.",
        )
