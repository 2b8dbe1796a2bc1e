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


def _word_position_slips(text: str, want: np.ndarray) -> dict[str, np.ndarray]:
    """Plausible wrong versions of the feature, keyed by a diagnosis of the slip."""
    only_spaces, run = [], 0
    for ch in text:
        run = 0 if ch.isspace() else run + 1
        only_spaces.append(run)
    whole_word = want.copy()
    for t in range(len(text) - 2, -1, -1):  # carry each word's final count backwards
        if want[t] > 0 and want[t + 1] > 0:
            whole_word[t] = whole_word[t + 1]
    return {
        "you count from 0 at the first letter; the first letter of a word is 1": np.where(
            want > 0, want - 1, 0
        ),
        "your values are one character late: the value at position t must count "
        "character t itself (section 'A measured search')": np.concatenate([[0.0], want[:-1]]),
        "you end a word only at white space; any character that is not a letter "
        "(punctuation, an apostrophe, a dash) ends it too": np.array(only_spaces, dtype=float),
        "you give every letter the length of its whole word; count only the letters "
        "read so far, which is all the model can know": whole_word,
    }


@exercise_check(points=2)
def check_word_position(word_position, activations=None, text=None):
    """Check the feature ``word_position(text)``; with activations, measure the best unit.

    With ``activations`` (T, H) and ``text``, correlates the feature with every unit over
    the **letters** of ``text`` only: at every other character the feature is 0, so over
    all characters it mostly measures "is this a word boundary", which a unit of its own
    already tracks. Returns ``(unit, r)`` of the best unit, else ``None``.
    """
    what = "word_position"
    for sample in ("the cat sat", "Oh, dear!  I'm late", "a\nbc--def"):
        got = call_student(what, word_position, sample)
        if got is None:
            raise StudentCheckError(f"{what}: got None. Did you forget a `return`?")
        want = word_position_reference(sample)
        arr = np.asarray(got, dtype=float)
        expect_close(
            f"{what}({sample!r})",
            arr,
            want,
            hint=diagnose(arr, _word_position_slips(sample, want))
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
    letters = np.array([ch.isalpha() for ch in text])
    acts = np.asarray(activations)[letters]  # (letters, H)
    best = correlate_units(acts, {"word_position": feature[letters]})["word_position"]
    return best["unit"], best["r"]
