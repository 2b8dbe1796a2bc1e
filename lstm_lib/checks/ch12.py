"""Checks for the exercises of chapter 12, "Looking inside"."""

from __future__ import annotations

import numpy as np

from ._core import (
    StudentCheckError,
    call_student,
    diagnose,
    exercise_check,
    expect_close,
    expect_true,
)

__all__ = ["check_saturation_fractions", "check_word_position", "word_position_reference"]


def _fractions(gate, low, high):
    g = np.asarray(gate, dtype=float)
    return np.array([np.mean(g < low), np.mean(g > high)])


@exercise_check(points=2)
def check_saturation_fractions(saturation_fractions):
    """Check ``saturation_fractions(gate, low=0.1, high=0.9)`` -> (fraction < low, fraction > high)."""
    what = "saturation_fractions"
    rng = np.random.default_rng(12)
    gate = rng.uniform(0, 1, size=(50, 8))  # (T, H)
    gate[0, :4] = [0.1, 0.9, 0.05, 0.95]  # values on the thresholds count as not saturated
    for low, high in ((0.1, 0.9), (0.2, 0.7)):
        got = call_student(what, saturation_fractions, gate.copy(), low=low, high=high)
        if got is None:
            raise StudentCheckError(f"{what}: got None. Did you forget a `return`?")
        try:
            got = np.asarray(got, dtype=float).ravel()
        except (TypeError, ValueError):
            raise StudentCheckError(
                f"{what}: expected two numbers (left, right), got {type(got).__name__}."
            ) from None
        want = _fractions(gate, low, high)
        g = gate
        mistakes = {
            "left and right are swapped: return (fraction below low, fraction above high)": want[
                ::-1
            ],
            "these are percentages; return fractions between 0 and 1": 100 * want,
            "these are counts; divide by the number of values to get fractions": want * g.size,
            "a value equal to the threshold is not saturated: use < low and > high": np.array(
                [np.mean(g <= low), np.mean(g >= high)]
            ),
        }
        expect_close(
            f"{what}(gate, low={low}, high={high})",
            got,
            want,
            atol=1e-12,
            hint=diagnose(got, mistakes) or "np.mean(gate < low), np.mean(gate > high).",
        )


def word_position_reference(text: str) -> np.ndarray:
    """Letters read so far in the current word: 1, 2, 3 … inside a word, 0 elsewhere."""
    out = np.zeros(len(text))
    run = 0
    for t, ch in enumerate(text):
        run = run + 1 if ch.isalpha() else 0
        out[t] = run
    return out


@exercise_check(points=2)
def check_word_position(word_position, activations=None, text=None):
    """Check the feature ``word_position(text)``; with activations, measure the best unit.

    Returns ``(unit, r)`` of the unit whose activation correlates most with the feature
    on ``text`` when ``activations`` (T, H) are given, else ``None``.
    """
    what = "word_position"
    for sample in ("the cat sat", "Oh, dear!  I'm late", "a\nbc--def"):
        got = call_student(what, word_position, sample)
        want = word_position_reference(sample)
        arr = np.asarray(got if got is not None else np.nan, dtype=float)
        mistakes = {
            "you count from 0 at the first letter; the first letter of a word is 1": np.where(
                want > 0, want - 1, 0
            ),
        }
        expect_close(
            f"{what}({sample!r})",
            arr,
            want,
            hint=diagnose(arr, mistakes)
            or "count letters since the last non-letter; 0 at spaces and punctuation.",
        )
    if activations is None:
        return None
    from ..lab.text import correlate_units

    feature = np.asarray(word_position(text), dtype=float)
    expect_true(
        feature.shape == (len(text),),
        f"{what}: expected one value per character ({len(text)}), got shape {feature.shape}.",
    )
    best = correlate_units(activations, {"word_position": feature})["word_position"]
    return best["unit"], best["r"]
