"""Checks for the exercises of chapter 10, "Long-range memory, measured"."""

from __future__ import annotations

import math
import numbers

import numpy as np

from ._core import (
    StudentCheckError,
    call_student,
    diagnose,
    exercise_check,
    expect_close,
    expect_true,
)

__all__ = ["EXERCISE_LAG", "check_forget_bias_for_lag", "check_half_life", "recall_accuracy"]

# The lag of exercise 2 and the training budget the check gives the student's model.
EXERCISE_LAG = 60
EXERCISE_STEPS = 300


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


def recall_accuracy(forget_bias: float, lag: int = EXERCISE_LAG, steps: int = EXERCISE_STEPS):
    """Train the chapter's LSTM (H = 16, seed 0) on delayed recall; return ``(accuracy, steps)``.

    The same settings as the chapter: batch 64, Adam with learning rate 3e-3, gradient
    clipping at 1, evaluation every 20 steps on 256 held-out sequences, stop at 99 %.
    """
    from ..lab.tasks import delayed_recall, recall_input_size
    from ..lab.train import SequenceModel, set_determinism, train_classifier

    K = 4
    set_determinism(0)
    model = SequenceModel("lstm", recall_input_size(K), 16, K, forget_bias=forget_bias, seed=0)
    history = train_classifier(
        model,
        lambda step: delayed_recall(64, lag, n_symbols=K, seed=step),
        eval_data=delayed_recall(256, lag, n_symbols=K, seed=10**6),
        max_steps=steps,
        lr=3e-3,
        eval_every=20,
        target_accuracy=0.99,
    )
    return history.last("accuracy"), history.steps[-1]


@exercise_check(points=3)
def check_forget_bias_for_lag(forget_bias):
    """Check that an LSTM initialised with ``forget_bias`` learns delayed recall at lag 60."""
    what = "forget_bias_for_lag_60"
    if forget_bias is None or forget_bias is Ellipsis:
        raise StudentCheckError(f"{what}: not set yet. Assign a number in the cell above.")
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real):
        raise StudentCheckError(
            f"{what}: expected a number (the initial forget-gate bias), "
            f"got {type(forget_bias).__name__}."
        )
    expect_true(
        math.isfinite(forget_bias) and -20 <= forget_bias <= 20,
        f"{what}: {forget_bias} is outside the sensible range [-20, 20].",
    )
    accuracy, steps = recall_accuracy(float(forget_bias))
    f = float(_sigmoid(forget_bias))
    expect_true(
        accuracy >= 0.95,
        f"{what}: with forget bias {forget_bias} the LSTM reached {accuracy:.0%} held-out "
        f"accuracy after {steps} steps at lag {EXERCISE_LAG} (needed: 95 %). At initialisation "
        f"its forget gate is about {f:.3f}, so after {EXERCISE_LAG} steps a stored value keeps "
        f"a fraction {f**EXERCISE_LAG:.1e} of itself. Hint: choose the bias so that the "
        "half-life is comparable to the lag.",
    )
    return accuracy, steps
