"""The chapter-3 checks pass on the solutions and fail helpfully on stubs and wrong answers."""

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch03 import check_cell_states, check_forget_bias_for


def cell_states(c0, f, i, g):
    states, c = [], c0
    for t in range(f.shape[0]):
        c = f[t] * c + i[t] * g[t]
        states.append(c)
    return np.stack(states)


def stepped(update):
    """A loop over time like the solution's, with ``update`` as the one-step rule."""

    def wrong(c0, f, i, g):
        states, c = [], c0
        for t in range(f.shape[0]):
            c = update(c, f[t], i[t], g[t])
            states.append(c)
        return np.stack(states)

    return wrong


def forget_bias_for(keep, steps):
    f = keep ** (1 / steps)
    return np.log(f / (1 - f))


def stub(*args):
    raise NotImplementedError()


def test_solutions_pass():
    check_cell_states(cell_states)
    check_forget_bias_for(forget_bias_for)


@pytest.mark.parametrize("check", [check_cell_states, check_forget_bias_for])
def test_stub_fails_with_not_implemented_message(check):
    with pytest.raises(AssertionError, match="not implemented yet"):
        check(stub)


def from_zeros(c0, f, i, g):
    return cell_states(np.zeros_like(c0), f, i, g)


def one_step_late(c0, f, i, g):
    return np.concatenate([c0[None], cell_states(c0, f, i, g)[:-1]])


def one_step_short(c0, f, i, g):
    return cell_states(c0, f[:-1], i[:-1], g[:-1])


def no_loop(c0, f, i, g):
    return f * c0 + i * g


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (from_zeros, "started from zeros"),
        (one_step_late, "one step late"),
        (one_step_short, r"expected shape \(6, 2, 4\)"),
        (no_loop, "every step started from c0"),
        (stepped(lambda c, f, i, g: f + g), "not added to the candidate"),
        (stepped(lambda c, f, i, g: f * c + g), "scaled by the input gate"),
        (stepped(lambda c, f, i, g: c + i * g), "scaled by the forget gate"),
        (stepped(lambda c, f, i, g: f * g + i * c), "swapped"),
        (stepped(lambda c, f, i, g: f * c - i * g), "differ"),
        (lambda c0, f, i, g: cell_states(c0, f, i, g)[-1], "expected shape"),
        (lambda c0, f, i, g: None, "None"),
    ],
)
def test_wrong_cell_states_fail_with_hints(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_cell_states(wrong)


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
