"""The chapter-3 checks pass on the solutions and fail helpfully on stubs and wrong answers."""

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch03 import check_cell_update, check_forget_bias_for


def cell_update(c_prev, f, i, g):
    return f * c_prev + i * g


def forget_bias_for(keep, steps):
    f = keep ** (1 / steps)
    return np.log(f / (1 - f))


def stub(*args):
    raise NotImplementedError()


def test_solutions_pass():
    check_cell_update(cell_update)
    check_forget_bias_for(forget_bias_for)


@pytest.mark.parametrize("check", [check_cell_update, check_forget_bias_for])
def test_stub_fails_with_not_implemented_message(check):
    with pytest.raises(AssertionError, match="not implemented yet"):
        check(stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda c, f, i, g: f + g, "not added to the candidate"),
        (lambda c, f, i, g: f * c + g, "scaled by the input gate"),
        (lambda c, f, i, g: c + i * g, "scaled by the forget gate"),
        (lambda c, f, i, g: f * g + i * c, "swapped"),
        (lambda c, f, i, g: f * c - i * g, "differ"),
        (lambda c, f, i, g: (f * c + i * g)[0], "expected shape"),
        (lambda c, f, i, g: None, "None"),
    ],
)
def test_wrong_cell_updates_fail_with_hints(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_cell_update(wrong)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda keep, steps: 1.0, "only"),  # far too small: the memory fades
        (lambda keep, steps: 50.0, "smallest"),  # keeps enough, but not the smallest
        (lambda keep, steps: keep ** (1 / steps), "only"),  # the gate value, not its bias
        (lambda keep, steps: np.log(keep) / steps, "only"),
    ],
)
def test_wrong_biases_fail_with_hints(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_forget_bias_for(wrong)
