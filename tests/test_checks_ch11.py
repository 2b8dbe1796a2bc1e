"""Checks of chapter 11 (character language model): pass on the solutions, fail helpfully."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib.checks import StudentCheckError, expect_defined
from lstm_lib.checks.ch11 import check_apply_temperature, check_gru_hidden_size
from lstm_lib.lab.train import SequenceModel, count_parameters

NOTEBOOK = "11_char_language_model.ipynb"
V = 64
LSTM_PARAMETERS = count_parameters(SequenceModel("lstm", V, 128, V, seed=None))


def _source(grade_id):
    return solution_source(NOTEBOOK, grade_id)


def _run(source):
    return run_cell(source, np=np, math=math)


_student = student_source


def test_apply_temperature_solution_passes():
    check_apply_temperature(_run(_source("ch11-temperature"))["apply_temperature"])


def test_apply_temperature_student_version_fails_cleanly():
    student = _run(_student(_source("ch11-temperature")))["apply_temperature"]
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_apply_temperature(student)


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


@pytest.mark.parametrize(
    "wrong, message",
    [
        (lambda z, t: _softmax(np.asarray(z) * t), "multiplied by the temperature"),
        (lambda z, t: np.exp(np.asarray(z) / t), "does not sum to 1"),
        (lambda z, t: _softmax(np.asarray(z)), "temperature is missing"),
        (  # e^(z)^T = e^(zT): raising to the power T is multiplying by T
            lambda z, t: np.exp(z) ** t / (np.exp(z) ** t).sum(),
            "multiplied by the temperature",
        ),
        (lambda z, t: None, "Did you forget a `return`"),
    ],
)
def test_apply_temperature_wrong_answers_are_named(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_apply_temperature(wrong)


def test_apply_temperature_overflow_is_explained():
    def unstable(z, t):
        e = np.exp(np.asarray(z, dtype=float) / t)
        return e / e.sum()

    with np.errstate(over="ignore", invalid="ignore"):
        with pytest.raises(StudentCheckError, match="Subtract the largest logit"):
            check_apply_temperature(unstable)


def test_gru_hidden_solution_passes():
    gru_hidden = _run(_source("ch11-gru-size"))["gru_hidden"]
    assert gru_hidden == 151
    count = check_gru_hidden_size(gru_hidden, LSTM_PARAMETERS, V)
    assert abs(count - LSTM_PARAMETERS) / LSTM_PARAMETERS < 0.01


def test_gru_hidden_student_version_fails_cleanly():
    namespace = {"np": np, "math": math}
    with pytest.raises(NotImplementedError):
        exec(_student(_source("ch11-gru-size")), namespace)
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_gru_hidden_size(expect_defined("gru_hidden", namespace), LSTM_PARAMETERS, V)
    with pytest.raises(StudentCheckError, match="not set yet"):
        check_gru_hidden_size(None, LSTM_PARAMETERS, V)


@pytest.mark.parametrize(
    "value, message",
    [
        (128, r"H = 128 has \d+ parameters, -\d+\.\d% from the LSTM"),  # the LSTM's size
        (159, r"H = 159 has \d+ parameters, \+\d+\.\d% from the LSTM"),  # read-out forgotten
        (152, r"H = 152 has \d+ parameters, \+1\.\d% from the LSTM"),  # rounded up, not off
        (150.6, "whole number"),
        (True, "whole number"),
        (-3, "not a sensible hidden size"),
    ],
)
def test_gru_hidden_wrong_answers(value, message):
    with pytest.raises(StudentCheckError, match=message):
        check_gru_hidden_size(value, LSTM_PARAMETERS, V)


def test_numpy_integer_is_accepted():
    assert check_gru_hidden_size(np.int64(151), LSTM_PARAMETERS, V) > 0
