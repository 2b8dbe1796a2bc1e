"""Chapter 5 checks: pass on the solutions, fail with a helpful message otherwise."""

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch05 import (
    check_concatenated_weights,
    check_lstm_step,
    check_param_count,
)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _stub(*args):
    raise NotImplementedError()


# ---- parameter count -----------------------------------------------------------------------


def test_param_count_solution_passes():
    check_param_count(lambda i, h: 4 * h * (i + h) + 2 * 4 * h)


def test_param_count_agrees_with_torch():
    torch = pytest.importorskip("torch")
    for i, h in ((3, 5), (10, 20)):
        n = sum(p.numel() for p in torch.nn.LSTMCell(i, h).parameters())
        assert n == 4 * h * (i + h) + 8 * h


def test_param_count_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="lstm_param_count: not implemented yet"):
        check_param_count(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda i, h: 4 * h * (i + h), "add the two bias vectors"),
        (lambda i, h: 4 * h * (i + h) + 4 * h, "TWO bias vectors"),
        (lambda i, h: h * (i + h) + 2 * h, "FOUR blocks"),
        (lambda i, h: 4 * h * i + 8 * h, "weight_hh"),
        (lambda i, h: 4 * h * (i + h) + 2 * h, "4H entries"),
        (lambda i, h: float(4 * h * (i + h) + 8 * h), "expected an int, got float"),
        (lambda i, h: 7, "expected 200, got 7"),
    ],
)
def test_param_count_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_param_count(wrong)


# ---- concatenated weights ------------------------------------------------------------------


def _concatenated(weight_ih, weight_hh, bias_ih, bias_hh):
    return np.concatenate([weight_hh, weight_ih], axis=1), bias_ih + bias_hh


def test_concatenated_weights_solution_passes():
    check_concatenated_weights(_concatenated)


def test_concatenated_weights_solution_matches_the_split_form():
    """The property the check relies on, computed independently."""
    rng = np.random.default_rng(1)
    w_ih, w_hh = rng.normal(size=(8, 3)), rng.normal(size=(8, 2))
    b_ih, b_hh = rng.normal(size=8), rng.normal(size=8)
    x, h = rng.normal(size=3), rng.normal(size=2)
    W, b = _concatenated(w_ih, w_hh, b_ih, b_hh)
    np.testing.assert_allclose(W @ np.concatenate([h, x]) + b, w_ih @ x + b_ih + w_hh @ h + b_hh)


def test_concatenated_weights_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="concatenated_weights: not implemented yet"):
        check_concatenated_weights(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda wi, wh, bi, bh: (np.concatenate([wi, wh], axis=1), bi + bh), r"acts on \[x, h\]"),
        (lambda wi, wh, bi, bh: (np.concatenate([wi, wh], axis=0), bi + bh), "raised ValueError"),
        (lambda wi, wh, bi, bh: (_concatenated(wi, wh, bi, bh)[0], bi), "b is bias_ih alone"),
        (lambda wi, wh, bi, bh: (_concatenated(wi, wh, bi, bh)[0], bh), "b is bias_hh alone"),
        (
            lambda wi, wh, bi, bh: (_concatenated(wi, wh, bi, bh)[0].T, bi + bh),
            r"\(W\): expected shape \(8, 5\)",
        ),
        (lambda wi, wh, bi, bh: (2 * _concatenated(wi, wh, bi, bh)[0], bi + bh), "values differ"),
        (lambda wi, wh, bi, bh: _concatenated(wi, wh, bi, bh)[0], "expected a tuple"),
        (lambda wi, wh, bi, bh: (_concatenated(wi, wh, bi, bh)[0], None), "got None"),
    ],
)
def test_concatenated_weights_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_concatenated_weights(wrong)


# ---- fused step ----------------------------------------------------------------------------


def _lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh, order="ifgo"):
    z = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh
    blocks = dict(zip(order, np.split(z, 4, axis=1), strict=True))
    i, f, o = (_sigmoid(blocks[k]) for k in "ifo")
    g = np.tanh(blocks["g"])
    c = f * c_prev + i * g
    return o * np.tanh(c), c


def test_lstm_step_solution_passes():
    check_lstm_step(_lstm_step)


def test_lstm_step_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="lstm_step: not implemented yet"):
        check_lstm_step(_stub)


def _swapped(*args):
    h, c = _lstm_step(*args)
    return c, h


def _seed_sum(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    """The seed's pseudocode adds h_prev to x; with I != H that cannot even run."""
    combined = h_prev + x
    return _lstm_step(combined, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh)


def _no_tanh_on_c(x, h_prev, c_prev, *params):
    z = x @ params[0].T + params[2] + h_prev @ params[1].T + params[3]
    i, f, g, o = np.split(z, 4, axis=1)
    c = _sigmoid(f) * c_prev + _sigmoid(i) * np.tanh(g)
    return _sigmoid(o) * c, c


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_swapped, "h and c are swapped"),
        (_seed_sum, "your code raised ValueError.*were added"),
        (
            lambda *a: _lstm_step(*a, order="figo"),
            "cell state c differs .* order of the four blocks",
        ),
        (lambda *a: _lstm_step(*a, order="igfo"), "cell state c differs"),
        (_no_tanh_on_c, r"hidden state h\).*which block is the output gate"),
        (lambda *a: _lstm_step(*a)[0], "expected a tuple"),
        (lambda *a: tuple(v[0] for v in _lstm_step(*a)), r"expected shape \(2, 4\)"),
    ],
)
def test_lstm_step_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_lstm_step(wrong)


def _without(bias):
    def step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        zero = np.zeros_like(bias_ih)
        b_ih, b_hh = (zero, bias_hh) if bias == "ih" else (bias_ih, zero)
        return _lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, b_ih, b_hh)

    return step


@pytest.mark.parametrize(
    ("bias", "name"), [("hh", "recurrent bias bias_hh"), ("ih", "input bias bias_ih")]
)
def test_lstm_step_names_a_missing_bias_without_giving_the_formula(bias, name):
    with pytest.raises(AssertionError, match=f"{name} is missing") as info:
        check_lstm_step(_without(bias))
    # The diagnosis points to the section; it does not spell out the step.
    assert "@" not in str(info.value) and "weight_hh.T" not in str(info.value)


def test_checks_leave_no_trace_on_library_state():
    """The reference cell is built with copies, so a student who mutates inputs cannot fool it."""

    def mutating(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
        out = _lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh)
        weight_ih[...] = 0.0
        c_prev[...] = 0.0
        return out

    check_lstm_step(mutating)
