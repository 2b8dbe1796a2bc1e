"""Checks for the exercises of chapter 11, "A character-level language model"."""

from __future__ import annotations

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

__all__ = ["SIZE_TOLERANCE", "check_apply_temperature", "check_gru_hidden_size"]

# Exercise 11.2: the GRU's parameter count must be this close to the LSTM's (relative).
SIZE_TOLERANCE = 0.01


def _reference(logits, temperature):
    z = np.asarray(logits, dtype=float) / temperature
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


@exercise_check(points=2)
def check_apply_temperature(apply_temperature):
    """Check ``apply_temperature(logits, temperature)`` -> probabilities ``softmax(logits / T)``."""
    what = "apply_temperature"
    logits = np.array([2.0, 0.5, -1.0, 0.0, 1.0])
    for temperature in (1.0, 0.5, 2.0):
        got = call_student(what, apply_temperature, logits.copy(), temperature)
        want = _reference(logits, temperature)
        e = np.exp(logits)
        mistakes = {
            "you multiplied by the temperature (or raised the probabilities to the power T); "
            "divide the logits by it": _reference(logits * temperature, 1.0),
            "the result does not sum to 1: divide by the sum of the exponentials": np.exp(
                logits / temperature
            ),
            "the temperature is missing: the logits must be divided by it": e / e.sum(),
            # raising the probabilities to the power T is the same slip as multiplying by T:
            # (e^z)^T = e^(zT), so the first message covers it
        }
        hint = diagnose(got, mistakes)
        expect_close(
            f"{what}(logits, temperature={temperature})",
            got,
            want,
            atol=1e-10,
            rtol=1e-8,
            hint=hint or "p = exp(z / T) / sum(exp(z / T)).",
        )
    # a cold temperature and large logits: exp overflows unless the maximum is removed first
    big = np.array([800.0, 790.0, 0.0])
    got = call_student(what, apply_temperature, big.copy(), 0.1)
    arr = np.asarray(got, dtype=float)
    expect_true(
        arr.shape == (3,) and np.all(np.isfinite(arr)),
        f"{what}: with logits {big.tolist()} and temperature 0.1 your result is {arr.tolist()}: "
        "exp(8000) overflows. Subtract the largest logit before exponentiating; the "
        "probabilities do not change.",
    )
    expect_close(f"{what}(big logits, temperature=0.1)", arr, _reference(big, 0.1), atol=1e-10)


@exercise_check(points=2)
def check_gru_hidden_size(gru_hidden, lstm_parameters, vocab_size):
    """Check that a GRU with ``gru_hidden`` units has within 1 % of the LSTM's parameter count."""
    from ..lab.train import SequenceModel, count_parameters

    what = "gru_hidden"
    if gru_hidden is None or gru_hidden is Ellipsis:
        raise StudentCheckError(f"{what}: not set yet. Assign a whole number in the cell above.")
    if isinstance(gru_hidden, bool) or not isinstance(gru_hidden, numbers.Integral):
        raise StudentCheckError(
            f"{what}: expected a whole number of hidden units, got {gru_hidden!r} "
            f"({type(gru_hidden).__name__}). Round your result with int(...) or round(...)."
        )
    expect_true(0 < gru_hidden <= 2000, f"{what}: {gru_hidden} is not a sensible hidden size.")
    V = vocab_size
    count = count_parameters(SequenceModel("gru", V, int(gru_hidden), V, seed=None))
    gap = (count - lstm_parameters) / lstm_parameters
    expect_true(
        abs(gap) <= SIZE_TOLERANCE,
        f"{what}: a GRU with H = {gru_hidden} has {count} parameters, {gap:+.1%} from the "
        f"LSTM's {lstm_parameters} (allowed: 1 %). Hint: count 3H(V + H) weights, 6H biases "
        "and the read-out's H·V + V, and solve for H.",
    )
    return count
