"""Checks of chapter 12 (looking inside): pass on the notebook's solutions, fail helpfully."""

from __future__ import annotations

import re

import numpy as np
import pytest
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch12 import (
    check_saturation_fractions,
    check_word_position,
    word_position_reference,
)

NOTEBOOK = "12_looking_inside.ipynb"


def _source(grade_id):
    return solution_source(NOTEBOOK, grade_id)


def _define(source, name):
    return run_cell(source, np=np)[name]


_student = student_source


def test_saturation_solution_passes():
    check_saturation_fractions(_define(_source("ch12-saturation"), "saturation_fractions"))


def test_saturation_student_version_fails_cleanly():
    student = _define(_student(_source("ch12-saturation")), "saturation_fractions")
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_saturation_fractions(student)


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda g, low=0.1, high=0.9: (np.mean(g > high), np.mean(g < low)), "swapped"),
        (
            lambda g, low=0.1, high=0.9: (100 * np.mean(g < low), 100 * np.mean(g > high)),
            "percentages",
        ),
        (lambda g, low=0.1, high=0.9: (np.sum(g < low), np.sum(g > high)), "counts"),
        (lambda g, low=0.1, high=0.9: (np.mean(g <= low), np.mean(g >= high)), "threshold"),
        (lambda g, low=0.1, high=0.9: None, "forget a `return`"),
        (lambda g, low=0.1, high=0.9: (0.1, 0.9), "values differ"),
    ],
)
def test_saturation_wrong_answers_are_named(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_saturation_fractions(wrong)


def test_word_position_solution_passes_and_measures_a_unit():
    solution = _define(_source("ch12-word-position"), "word_position")
    assert check_word_position(solution) is None
    text = "the cat sat on the mat " * 20
    feature = word_position_reference(text)
    rng = np.random.default_rng(0)
    acts = rng.standard_normal((len(text), 5))
    acts[:, 2] = feature + 0.01 * rng.standard_normal(len(text))
    unit, r = check_word_position(solution, acts, text)
    assert unit == 2 and r > 0.99


def test_word_position_student_version_fails_cleanly():
    student = _define(_student(_source("ch12-word-position")), "word_position")
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_word_position(student)


def test_word_position_off_by_one_is_named():
    def from_zero(text):
        return np.maximum(word_position_reference(text) - 1, 0)

    with pytest.raises(StudentCheckError, match="first letter of a word is 1"):
        check_word_position(from_zero)


def test_word_position_counting_apostrophes_fails():
    def with_apostrophes(text):
        out, run = [], 0
        for ch in text:
            run = run + 1 if ch.isalpha() or ch == "'" else 0
            out.append(run)
        return out

    with pytest.raises(StudentCheckError, match="word_position"):
        check_word_position(with_apostrophes)


def test_reference_feature_by_hand():
    assert word_position_reference("the cat").tolist() == [1, 2, 3, 0, 1, 2, 3]


def _late_by_one(text):
    return np.concatenate([[0.0], word_position_reference(text)[:-1]])


def _reset_only_at_spaces(text):
    out, run = [], 0
    for ch in text:
        run = 0 if ch == " " or ch == "\n" else run + 1
        out.append(run)
    return out


def _whole_word_length(text):
    out = [0] * len(text)
    t = 0
    while t < len(text):
        if text[t].isalpha():
            end = t
            while end < len(text) and text[end].isalpha():
                end += 1
            out[t:end] = [end - t] * (end - t)
            t = end
        else:
            t += 1
    return out


@pytest.mark.parametrize(
    "wrong, message",
    [
        (_late_by_one, "one character late"),
        (_reset_only_at_spaces, "only at white space"),
        (_whole_word_length, "length of its whole word"),
        (lambda text: np.maximum(word_position_reference(text) - 1, 0), "first letter"),
        (lambda text: None, "forget a `return`"),
    ],
)
def test_word_position_wrong_answers_are_named(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_word_position(wrong)


def test_word_position_is_measured_over_letters_only():
    """A pure word-boundary unit must not win the word-position search."""
    text = "the cat sat on the mat, and a dog ran off " * 30
    feature = word_position_reference(text)
    rng = np.random.default_rng(1)
    boundary = np.array([0.0 if ch.isalpha() else 1.0 for ch in text])
    acts = 0.01 * rng.standard_normal((len(text), 3))
    acts[:, 0] += boundary  # tracks boundaries only
    acts[:, 1] += 0.2 * feature  # tracks the position inside the word, weakly
    # over all characters the boundary unit looks like a word-position unit ...
    assert abs(np.corrcoef(acts[:, 0], feature)[0, 1]) > 0.5
    # ... over letters only it does not, and the right unit is found
    unit, r = check_word_position(word_position_reference, acts, text)
    assert unit == 1 and r > 0.9
