"""The chapter-2 checks pass on the solutions and fail helpfully on stubs and wrong answers."""

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch02 import check_preactivation_for, check_stable_sigmoid


def stable_sigmoid(x):
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), e / (1 + e))


def preactivation_for(fraction):
    return np.log(fraction / (1 - fraction))


def stub(*args):
    raise NotImplementedError()


def test_solutions_pass():
    check_stable_sigmoid(stable_sigmoid)
    check_preactivation_for(preactivation_for)


@pytest.mark.parametrize("check", [check_stable_sigmoid, check_preactivation_for])
def test_stub_fails_with_not_implemented_message(check):
    with pytest.raises(AssertionError, match="not implemented yet"):
        check(stub)


def test_naive_sigmoid_fails_because_it_warns():
    with pytest.raises(StudentCheckError, match="overflow"):
        check_stable_sigmoid(lambda x: 1 / (1 + np.exp(-x)))


def test_np_where_with_both_branches_still_warns_and_says_why():
    def both_branches(x):
        return np.where(x >= 0, 1 / (1 + np.exp(-x)), np.exp(x) / (1 + np.exp(x)))

    with pytest.raises(StudentCheckError, match="np.where evaluates"):
        check_stable_sigmoid(both_branches)


def test_nan_result_is_reported():
    def nan_at_large_x(x):
        with np.errstate(all="ignore"):
            return np.exp(x) / (1 + np.exp(x))

    with pytest.raises(StudentCheckError, match="NaN or infinity"):
        check_stable_sigmoid(nan_at_large_x)


def test_tanh_instead_of_sigmoid_fails():
    with pytest.raises(StudentCheckError, match="differ"):
        check_stable_sigmoid(np.tanh)


def test_in_place_modification_is_reported():
    def in_place(x):
        np.clip(x, -500, 500, out=x)
        return 1 / (1 + np.exp(-x))

    with pytest.raises(StudentCheckError, match="in place"):
        check_stable_sigmoid(in_place)


def cancelling(x):
    """1 - 1/(1 + e) for negative x: equal to e/(1 + e) on paper, 0 in float64 below -37."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1 / (1 + e), 1 - 1 / (1 + e))


def clipped(x):
    """Clip the input so the textbook formula cannot overflow: wrong where σ is tiny."""
    return 1 / (1 + np.exp(-np.clip(x, -500.0, 500.0)))


def in_float32(x):
    """The right formula in single precision: relative error 1e-7, and 0 at -700."""
    x = np.asarray(x, dtype=np.float32)
    e = np.exp(-np.abs(x))
    with np.errstate(under="ignore"):
        return np.where(x >= 0, 1 / (1 + e), e / (1 + e)).astype(float)


def swapped_branches(x):
    """The two branches exchanged: σ(-x) = 1 - σ(x) instead of σ(x)."""
    x = np.asarray(x, dtype=float)
    e = np.exp(-np.abs(x))
    return np.where(x >= 0, e / (1 + e), 1 / (1 + e))


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (cancelling, r"returns 0 at x = \[-50.0, -700.0\].*cancels"),
        (clipped, r"at x = \[-700.0\].*Clipping"),
        (in_float32, "differ"),  # rejected on the normal range already
        (swapped_branches, "differ"),
    ],
)
def test_wrong_sigmoids_where_it_is_tiny_fail_with_diagnosis(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_stable_sigmoid(wrong)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (np.log, r"log\(fraction\)"),
        (lambda p: 1 / (1 + np.exp(-p)), "should be"),
        (lambda p: np.log((1 - p) / p), "should be"),
        (lambda p: [p], r"expected shape \(\)"),
    ],
)
def test_wrong_preactivations_fail_with_hints(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_preactivation_for(wrong)
