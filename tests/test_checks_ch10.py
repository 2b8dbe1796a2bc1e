"""Checks of chapter 10 (long-range memory): pass on the notebook's solutions, fail helpfully."""

from __future__ import annotations

import math
import re

import pytest
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib import sigmoid
from lstm_lib.checks import StudentCheckError, expect_defined
from lstm_lib.checks.ch10 import check_forget_bias_for_lag, check_half_life

NOTEBOOK = "10_long_range_memory.ipynb"


def _source(grade_id):
    return solution_source(NOTEBOOK, grade_id)


def _run(source):
    return run_cell(source, math=math, sigmoid=sigmoid)


_student = student_source


# --- exercise 1: half_life -------------------------------------------------------------------


def test_half_life_solution_passes():
    half_life = _run(_source("ch10-half-life"))["half_life"]
    check_half_life(half_life)
    assert abs(half_life(0.0) - 1.0) < 1e-12  # f = 1/2 halves in one step


def test_half_life_student_version_fails_cleanly():
    namespace = _run(_student(_source("ch10-half-life")))
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_half_life(namespace["half_life"])


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda b: math.log(sigmoid(b)) / math.log(0.5), "upside down"),
        (lambda b: 1 / (1 - sigmoid(b)), "time constant"),
        (lambda b: -1 / math.log(sigmoid(b)), "1/e"),
        (lambda b: -math.log(0.5) / math.log(sigmoid(b)), "sign is flipped"),
        (lambda b: 7.0, "values differ"),
        (lambda b: None, "Did you forget a `return`"),
        (lambda b: "ten", "expected a number"),
        (lambda b: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_half_life_wrong_answers_are_named(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_half_life(wrong)


# --- exercise 2: a forget bias for lag 60 (trains a small model) ----------------------------


def test_forget_bias_solution_passes():
    namespace = _run(_source("ch10-forget-bias"))
    accuracy, steps = check_forget_bias_for_lag(namespace["forget_bias_for_lag_60"])
    assert accuracy >= 0.95 and steps <= 300


def test_forget_bias_student_version_fails_cleanly():
    namespace = {"math": math, "sigmoid": sigmoid}
    with pytest.raises(NotImplementedError):
        exec(_student(_source("ch10-forget-bias")), namespace)
    # the check cell reads the name with expect_defined, as the notebook does
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_forget_bias_for_lag(expect_defined("forget_bias_for_lag_60", namespace))
    with pytest.raises(StudentCheckError, match="not set yet"):
        check_forget_bias_for_lag(None)


def test_forget_bias_too_small_reports_the_measured_accuracy():
    with pytest.raises(StudentCheckError, match=r"with forget bias 0\.0 the LSTM reached \d+%"):
        check_forget_bias_for_lag(0.0)


@pytest.mark.parametrize(
    "value, message",
    [
        ("4", "expected a number"),
        (True, "expected a number"),
        (math.inf, "outside the sensible range"),
        (99.0, "outside"),
    ],
)
def test_forget_bias_rejects_non_numbers(value, message):
    with pytest.raises(StudentCheckError, match=message):
        check_forget_bias_for_lag(value)
