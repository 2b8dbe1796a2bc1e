"""The chapter-1 checks pass on the solutions and fail helpfully on stubs and wrong answers."""

import math

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch01 import check_step_jacobian, check_steps_to_shrink


def step_jacobian(weight_hh, h):
    return np.diag(1 - h**2) @ weight_hh


def steps_to_shrink(scale, factor):
    return math.ceil(math.log(factor) / math.log(scale))


def stub(*args):
    raise NotImplementedError()


def test_solutions_pass():
    check_step_jacobian(step_jacobian)
    check_steps_to_shrink(steps_to_shrink)


@pytest.mark.parametrize("check", [check_step_jacobian, check_steps_to_shrink])
def test_stub_fails_with_not_implemented_message(check):
    with pytest.raises(AssertionError, match="not implemented yet"):
        check(stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda W, h: W, "multiply by the tanh slope"),
        (lambda W, h: W * (1 - h**2)[None, :], "scaled the columns"),
        (lambda W, h: (1 - h**2)[:, None] * W.T, r"weight_hh\.T"),
        (lambda W, h: (1 - h)[:, None] * W, "not 1 - h"),
        (lambda W, h: np.diag(1 - h**2), r"expected shape|differ"),
        (lambda W, h: (1 - h**2) @ W, r"expected shape \(4, 4\)"),
        (lambda W, h: None, "None"),
        (lambda W, h: 1 / 0, "ZeroDivisionError"),
    ],
)
def test_wrong_jacobians_fail_with_hints(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_step_jacobian(wrong)


def test_in_place_change_of_weights_is_reported():
    def in_place(W, h):
        W *= (1 - h**2)[:, None]
        return W

    with pytest.raises(StudentCheckError, match="in place"):
        check_step_jacobian(in_place)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda s, f: math.floor(math.log(f) / math.log(s)), "Round up"),
        (lambda s, f: math.log(f) / math.log(s), "whole number"),
        (lambda s, f: math.ceil(math.log(s) / math.log(f)), "expected"),
        (lambda s, f: int(math.log(f) / math.log(s)) + 1, "exact power"),
        (lambda s, f: math.ceil(math.log(f) / math.log(s)) + 1, "expected"),  # off by one
        (lambda s, f: round(math.log(f) / math.log(s)), "Round up"),
        (lambda s, f: math.ceil(math.log(f) / math.log(s) + 1e-9) - 1, "Round up"),
        (lambda s, f: None, "None"),
    ],
)
def test_wrong_step_counts_fail_with_hints(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_steps_to_shrink(wrong)
