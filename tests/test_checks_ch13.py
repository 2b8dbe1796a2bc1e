"""Checks of chapter 13 (LSTMs in PyTorch): pass on the solutions, reject plausible wrong
answers with a message that names the slip, fail cleanly on the student version."""

from __future__ import annotations

import re

import numpy as np
import pytest
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch13 import check_last_real_output, check_masked_mean

NOTEBOOK = "13_lstms_in_pytorch.ipynb"


def _function(grade_id, name, student=False):
    source = solution_source(NOTEBOOK, grade_id)
    if student:
        source = student_source(source)
    return run_cell(source, np=np)[name]


def test_solutions_pass():
    check_last_real_output(_function("ch13-last-real-output", "last_real_output"))
    check_masked_mean(_function("ch13-masked-mean", "masked_mean"))


@pytest.mark.parametrize(
    ("grade_id", "name", "check"),
    [
        ("ch13-last-real-output", "last_real_output", check_last_real_output),
        ("ch13-masked-mean", "masked_mean", check_masked_mean),
    ],
)
def test_student_versions_fail_with_not_implemented(grade_id, name, check):
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check(_function(grade_id, name, student=True))


def _rows(output):
    return np.arange(np.asarray(output).shape[0])


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda out, L: np.asarray(out)[:, -1], "output[:, -1], the last time step"),
        (lambda out, L: np.asarray(out)[_rows(out), np.asarray(L)], "off by one in time"),
        (lambda out, L: np.asarray(out)[np.asarray(L) - 1, _rows(out)], "you index time first"),
        (lambda out, L: np.asarray(out)[:, 0], "output[:, 0]"),
        (lambda out, L: np.asarray(out)[:, np.asarray(L) - 1], "pairs every sequence with every"),
        (lambda out, L: None, "Did you forget a `return`"),
        (lambda out, L: np.asarray(out)[:, -1:], "expected shape (5, 3), got (5, 1, 3)."),
    ],
)
def test_last_real_output_wrong_answers_are_named(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_last_real_output(wrong)


def _mask(losses, lengths, *, inclusive=False):
    t = np.arange(np.asarray(losses).shape[1])[None, :]
    lengths = np.asarray(lengths)[:, None]
    return t <= lengths if inclusive else t < lengths


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda ls, L: np.mean(ls), "padding included"),
        (lambda ls, L: (ls * _mask(ls, L)).sum() / ls.size, "divide the masked sum by N * T"),
        (
            lambda ls, L: np.mean([ls[n, :k].mean() for n, k in enumerate(L)]),
            "average the per-sequence means",
        ),
        (lambda ls, L: ls[_mask(ls, L, inclusive=True)].mean(), "mask is off by one"),
        (lambda ls, L: (ls * _mask(ls, L)).sum() / len(L), "divide the masked sum by N, the batch"),
        (lambda ls, L: (ls * _mask(ls, L)).sum(axis=1) / np.asarray(L), "expected one number"),
    ],
)
def test_masked_mean_wrong_answers_are_named(wrong, message):
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_masked_mean(wrong)


def test_masked_mean_accepts_a_torch_style_answer():
    # the check asks for a number, not for one way of computing it
    def via_weights(losses, lengths):
        weights = _mask(losses, lengths).astype(float)
        return float((losses * weights).sum() / weights.sum())

    check_masked_mean(via_weights)
