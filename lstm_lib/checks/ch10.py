"""Checks for the exercises of chapter 10, "Long-range memory, measured"."""

from __future__ import annotations

import math

import numpy as np

from ._core import (
    StudentCheckError,
    call_student,
    diagnose,
    exercise_check,
    expect_close,
    expect_true,
)

__all__ = ["EXERCISE_LAG", "check_bias_for_half_life", "check_half_life"]

# The lag of exercise 10.2.
EXERCISE_LAG = 60


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


@exercise_check(points=2)
def check_half_life(half_life):
    """Check ``half_life(bias)``: steps until ``sigmoid(bias) ** n`` falls to one half."""
    what = "half_life"
    biases = [-1.0, 0.0, 1.0, 2.0, 3.0, 5.0]
    got = []
    for b in biases:
        value = call_student(what, half_life, b)
        if value is None:
            raise StudentCheckError(f"{what}({b}): got None. Did you forget a `return`?")
        try:
            got.append(float(value))
        except (TypeError, ValueError):
            raise StudentCheckError(
                f"{what}({b}): expected a number, got {type(value).__name__}."
            ) from None
    b = np.array(biases)
    f = _sigmoid(b)
    want = np.log(0.5) / np.log(f)
    with np.errstate(divide="ignore", invalid="ignore"):
        mistakes = _half_life_mistakes(f, want)
    hint = diagnose(got, mistakes)
    expect_close(
        f"{what} at biases {biases}",
        got,
        want,
        rtol=1e-6,
        hint=hint or "n = ln(1/2) / ln(sigmoid(bias)).",
    )


def _half_life_mistakes(f, want):
    return {
        "the fraction is upside down: n = ln(1/2) / ln(f), not ln(f) / ln(1/2)": np.log(f)
        / np.log(0.5),
        "that is the time constant 1 / (1 - f), not the half-life; solve f**n = 1/2 for n": 1.0
        / (1.0 - f),
        "that is -1 / ln f, the steps to fall to 1/e; the question asks for one half": -1.0
        / np.log(f),
        "the sign is flipped: the logarithm of a number below 1 is negative": -want,
    }


# Half-lives at which bias_for_half_life is checked: two steps, a non-integer one, the
# chapter's lags 10 and 40, the exercise's lag and a long span.
_HALF_LIVES = [2.0, 7.5, 10.0, 40.0, float(EXERCISE_LAG), 200.0]


def _logit(p):
    return np.log(p) - np.log1p(-p)


def _bias_for(n, keep=0.5, log=np.log):
    """The bias b with sigmoid(b) ** n == keep; ``log`` lets the mistakes swap the logarithm."""
    f = keep ** (1.0 / n)
    return log(f) - log(1.0 - f)


@exercise_check(points=2)
def check_bias_for_half_life(bias_for_half_life):
    """Check ``bias_for_half_life(n)``: the forget bias b with ``sigmoid(b) ** n == 1/2``.

    The exact answer is ``b = ln(p / (1 - p))`` with ``p = 2 ** (-1 / n)``, equivalently
    ``b = -ln(2 ** (1 / n) - 1)``. Known slips are named: the lag off by one step, the
    base-10 logarithm, the sign of b, the 1/e time instead of the half-life, and the
    time constant 1 / (1 - f) = n instead of the half-life.
    """
    what = "bias_for_half_life"
    got = []
    for n in _HALF_LIVES:
        value = call_student(what, bias_for_half_life, n)
        if value is None:
            raise StudentCheckError(f"{what}({n}): got None. Did you forget a `return`?")
        try:
            got.append(float(value))
        except (TypeError, ValueError):
            raise StudentCheckError(
                f"{what}({n}): expected a number, got {type(value).__name__}."
            ) from None
    n = np.array(_HALF_LIVES)
    want = _bias_for(n)
    mistakes = {
        "the half-life is one step short (you solved sigmoid(b) ** (n - 1) = 1/2); the gate "
        "multiplies the state n times in n steps": _bias_for(n - 1),
        "the half-life is one step too long (sigmoid(b) ** (n + 1) = 1/2)": _bias_for(n + 1),
        "you used the base-10 logarithm; the inverse of the sigmoid is the natural "
        "logarithm ln(p / (1 - p))": _bias_for(n, log=np.log10),
        "the sign is flipped: a gate that keeps half over many steps is close to 1, so "
        "its bias is positive": -want,
        "you solved sigmoid(b) ** n = 1/e, the 1/e time, not the half-life": _bias_for(
            n, keep=np.exp(-1.0)
        ),
        "you set the time constant 1 / (1 - f) to n; the question asks for "
        "sigmoid(b) ** n = 1/2": _logit(1.0 - 1.0 / n),
    }
    expect_close(
        f"{what} at half-lives {_HALF_LIVES}",
        got,
        want,
        atol=1e-9,
        rtol=1e-9,
        hint="solve sigmoid(b) ** n = 1/2 for b in two steps: first the gate value f, "
        "then invert the sigmoid (section 'Why the forget-gate bias matters').",
        mistakes=mistakes,
    )
    check_lag = float(EXERCISE_LAG)
    f = 1.0 / (1.0 + math.exp(-got[_HALF_LIVES.index(check_lag)]))
    expect_true(
        abs(f**check_lag - 0.5) < 1e-9,
        f"{what}({EXERCISE_LAG}): sigmoid(b) ** {EXERCISE_LAG} should be 1/2.",
    )
