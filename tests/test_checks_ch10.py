"""Checks of chapter 10 (long-range memory): pass on the notebook's solutions, fail helpfully."""

from __future__ import annotations

import math
import re

import pytest
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib import sigmoid
from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch10 import check_bias_for_half_life, check_half_life

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


# --- exercise 2: the bias for a given half-life ----------------------------------------------


def _logit(p):
    return math.log(p / (1 - p))


def test_bias_for_half_life_solution_passes():
    bias_for_half_life = _run(_source("ch10-forget-bias"))["bias_for_half_life"]
    check_bias_for_half_life(bias_for_half_life)
    # an independent closed form: sigmoid(b) = 2**(-1/n)  <=>  b = -ln(2**(1/n) - 1)
    for n in (2.0, 10.0, 60.0):
        assert math.isclose(bias_for_half_life(n), -math.log(2 ** (1 / n) - 1), rel_tol=1e-12)
        assert math.isclose(sigmoid(bias_for_half_life(n)) ** n, 0.5, rel_tol=1e-12)


def test_bias_for_half_life_student_version_fails_cleanly():
    namespace = _run(_student(_source("ch10-forget-bias")))
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_bias_for_half_life(namespace["bias_for_half_life"])


@pytest.mark.parametrize(
    "wrong, message",
    [
        # the lag off by one in either direction
        (lambda n: _logit(0.5 ** (1 / (n - 1))), "one step short"),
        (lambda n: _logit(0.5 ** (1 / (n + 1))), "one step too long"),
        # log10 in place of ln when inverting the sigmoid
        (lambda n: math.log10(0.5 ** (1 / n) / (1 - 0.5 ** (1 / n))), "base-10 logarithm"),
        # the sign: ln((1 - p) / p)
        (lambda n: -_logit(0.5 ** (1 / n)), "sign is flipped"),
        # 1/e instead of 1/2
        (lambda n: _logit(math.exp(-1 / n)), "1/e time"),
        # the time constant 1 / (1 - f) = n
        (lambda n: _logit(1 - 1 / n), "time constant"),
        # a constant, such as the bias that worked at lag 40
        (lambda n: 3.0, "values differ"),
        # a rounded answer: close, but not the computation asked for
        (lambda n: round(_logit(0.5 ** (1 / n)), 2), "values differ"),
        (lambda n: None, "Did you forget a `return`"),
        (lambda n: "four", "expected a number"),
    ],
)
def test_bias_for_half_life_wrong_answers_are_rejected(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_bias_for_half_life(wrong)


def test_bias_for_half_life_reports_a_crash():
    with pytest.raises(StudentCheckError, match="ValueError"):
        check_bias_for_half_life(lambda n: math.log(-n))
