"""Chapter 4 checks: pass on the solutions, fail with a helpful message otherwise."""

import math

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch04 import check_forget_gate, check_keep_but_hide, check_lstm_unit_step


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-np.asarray(z, dtype=float)))


def _stub(*args):
    raise NotImplementedError()


# ---- stage 1: the forget gate --------------------------------------------------------------


def _forget_gate(x, h_prev, W_if, W_hf, b_if, b_hf):
    return _sigmoid(x @ W_if.T + b_if + h_prev @ W_hf.T + b_hf)


def test_forget_gate_solution_passes():
    check_forget_gate(_forget_gate)


def test_forget_gate_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="forget_gate: not implemented yet"):
        check_forget_gate(_stub)


def _seed_combine(x, h_prev, W_if, W_hf, b_if, b_hf):
    """The seed's pseudocode: add the hidden state to the input (I != H here)."""
    combined = h_prev + x
    return _sigmoid(combined @ W_hf.T + b_hf)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_seed_combine, "your code raised ValueError.*input and the hidden state were added"),
        (lambda x, h, wi, wh, bi, bh: x @ wi.T + bi + h @ wh.T + bh, "squash it with sigmoid"),
        (lambda x, h, wi, wh, bi, bh: np.tanh(x @ wi.T + bi + h @ wh.T + bh), "not tanh"),
        (lambda x, h, wi, wh, bi, bh: _sigmoid(x @ wi.T + bi + h @ wh.T), "b_hf is missing"),
        (lambda x, h, wi, wh, bi, bh: _sigmoid(x @ wi.T + h @ wh.T + bh), "b_if is missing"),
        (lambda x, h, wi, wh, bi, bh: _sigmoid(x @ wi.T + bi + bh), "h_prev is missing"),
        (lambda x, h, wi, wh, bi, bh: _sigmoid(h @ wh.T + bi + bh), "input x is missing"),
        (lambda x, h, wi, wh, bi, bh: _sigmoid(x @ wi.T + h @ wh + bi + bh), "values differ"),
        (lambda x, h, wi, wh, bi, bh: _sigmoid(wi @ x.T + bi[:, None]), r"expected shape \(2, 4\)"),
    ],
)
def test_forget_gate_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_forget_gate(wrong)


# ---- all three stages from the pre-activations ---------------------------------------------


def _unit_step(z_f, z_i, z_g, z_o, c_prev):
    c_t = _sigmoid(z_f) * c_prev + _sigmoid(z_i) * np.tanh(z_g)
    return _sigmoid(z_o) * np.tanh(c_t), c_t


def test_unit_step_solution_passes():
    check_lstm_unit_step(_unit_step)


def test_unit_step_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="lstm_unit_step: not implemented yet"):
        check_lstm_unit_step(_stub)


def _with_cell_state(rule):
    """A step whose cell update is ``rule(f, i, g, c_prev, z_g)``; the rest is right."""

    def step(z_f, z_i, z_g, z_o, c_prev):
        c_t = rule(_sigmoid(z_f), _sigmoid(z_i), np.tanh(z_g), c_prev, z_g)
        return _sigmoid(z_o) * np.tanh(c_t), c_t

    return step


def _with_hidden_state(rule):
    """A step whose output is ``rule(o, c_t, c_prev)``; the cell update is right."""

    def step(z_f, z_i, z_g, z_o, c_prev):
        _, c_t = _unit_step(z_f, z_i, z_g, z_o, c_prev)
        return rule(_sigmoid(z_o), c_t, c_prev), c_t

    return step


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_with_cell_state(lambda f, i, g, c, z: f + g), "added the forget gate to the candidate"),
        (_with_cell_state(lambda f, i, g, c, z: f * g + i * c), "gates are swapped"),
        (_with_cell_state(lambda f, i, g, c, z: f * c + i * _sigmoid(z)), "not sigmoid"),
        (_with_cell_state(lambda f, i, g, c, z: f * c + g), "scaled by the input gate"),
        (_with_cell_state(lambda f, i, g, c, z: c + i * g), "scaled by the forget gate"),
        (_with_cell_state(lambda f, i, g, c, z: f * c + i * g + 0.01), r"c_t\): values differ"),
        (_with_hidden_state(lambda o, c, cp: o * c), "squash it first"),
        (_with_hidden_state(lambda o, c, cp: np.tanh(o * c)), "tanh belongs to the cell state"),
        (_with_hidden_state(lambda o, c, cp: o * np.tanh(cp)), "NEW cell state"),
        (_with_hidden_state(lambda o, c, cp: 0.9 * o * np.tanh(c)), r"h_t\): values differ"),
        (lambda *z: _unit_step(*z)[::-1], "swapped; return the hidden state first"),
        (lambda *z: _unit_step(*z)[1], "expected a tuple"),
        (lambda *z: (*_unit_step(*z), None), "of length 3"),
    ],
)
def test_unit_step_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_lstm_unit_step(wrong)


# ---- keep the memory, hide it from the output ----------------------------------------------


def test_keep_but_hide_solution_passes():
    check_keep_but_hide(lambda: {"z_f": 8.0, "z_i": -8.0, "z_g": 0.0, "z_o": -8.0})


def test_keep_but_hide_solution_really_keeps_and_hides():
    """Independent arithmetic for the solution used above: 50 steps from c = 1."""
    f, i, o = (1 / (1 + math.exp(-z)) for z in (8.0, -8.0, -8.0))
    c = 1.0
    for _ in range(50):
        c = f * c + i * math.tanh(0.0)
        assert abs(o * math.tanh(c)) < 0.05
    assert abs(c - 1.0) < 0.05


def test_keep_but_hide_rejects_the_one_step_setting_of_the_chapter():
    # the chapter's "hide" setting keeps c for one step, not for 50
    with pytest.raises(StudentCheckError, match=r"after 50 steps the memory is c = 0\.9"):
        check_keep_but_hide(lambda: {"z_f": 5.0, "z_i": -5.0, "z_g": 1.0, "z_o": -5.0})


def test_keep_but_hide_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="keep_but_hide: not implemented yet"):
        check_keep_but_hide(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda: {"z_f": -6.0, "z_i": -6.0, "z_g": 0.0, "z_o": -6.0}, "a forget gate near 1"),
        (lambda: {"z_f": 8.0, "z_i": 6.0, "z_g": 3.0, "z_o": -8.0}, "input gate near 0"),
        (lambda: {"z_f": 8.0, "z_i": -8.0, "z_g": 0.0, "z_o": 6.0}, "shows in the output"),
        (lambda: {"z_f": 6.0, "z_i": -6.0, "z_g": 0.0, "z_o": -6.0}, r"f\*\*50 after 50 steps"),
        (lambda: {"z_f": 6.0, "z_i": -6.0, "z_g": 0.0}, r"no key\(s\) \['z_o'\]"),
        (lambda: [6.0, -6.0, 0.0, -6.0], "expected a dict"),
        (lambda: {"z_f": [6.0], "z_i": -6.0, "z_g": 0.0, "z_o": -6.0}, "one number"),
        (lambda: {"z_f": math.nan, "z_i": -6.0, "z_g": 0.0, "z_o": -6.0}, "not a finite number"),
        (lambda: None, "expected a dict"),
    ],
)
def test_keep_but_hide_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_keep_but_hide(wrong)
