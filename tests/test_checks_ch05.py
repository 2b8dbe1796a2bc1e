"""Chapter 5 checks: pass on the solutions, fail with a helpful message otherwise."""

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch05 import (
    check_from_onnx,
    check_lstm_step,
    check_stacked_param_count,
)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _stub(*args):
    raise NotImplementedError()


# ---- parameter count of a stack -------------------------------------------------------------


def _layer(inputs, h):
    return 4 * h * (inputs + h) + 2 * 4 * h


def _stacked(i, h, n):
    return _layer(i, h) + (n - 1) * _layer(h, h)


def test_stacked_param_count_solution_passes():
    check_stacked_param_count(_stacked)


def test_stacked_param_count_agrees_with_torch():
    """Independent oracle: PyTorch's own count."""
    torch = pytest.importorskip("torch")
    for i, h, n in ((3, 5, 1), (3, 5, 2), (10, 20, 3)):
        module = torch.nn.LSTM(i, h, num_layers=n)
        assert sum(p.numel() for p in module.parameters()) == _stacked(i, h, n)


def test_stacked_param_count_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="stacked_lstm_param_count: not implemented yet"):
        check_stacked_param_count(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda i, h, n: n * _layer(i, h), "counted with I inputs"),
        (lambda i, h, n: _layer(i, h), "one layer only"),
        (lambda i, h, n: (n - 1) * _layer(i, h) + _layer(h, h), "input size is swapped"),
        (lambda i, h, n: _stacked(i, h, n) - n * 4 * h, "TWO bias vectors"),
        (lambda i, h, n: _stacked(i, h, n) - n * 8 * h, "weights only"),
        (lambda i, h, n: _stacked(i, h, n) // 4, "FOUR"),
        (lambda i, h, n: float(_stacked(i, h, n)), "expected an int, got float"),
        (lambda i, h, n: 7, "the count is wrong. Hint: count, layer by layer"),
    ],
)
def test_stacked_param_count_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message) as info:
        check_stacked_param_count(wrong)
    # the message never shows the expected count of the call that failed
    assert not any(str(_stacked(*call)) in str(info.value) for call in ((3, 5, 1), (3, 4, 2)))


# ---- weights from ONNX ---------------------------------------------------------------------


def _reorder(a, order):
    return np.concatenate([np.split(a, 4)[k] for k in order])


def _from_onnx(W, R, B, order=(0, 2, 3, 1), bias_order=None, swap_biases=False):
    """ONNX (i, o, f, c) -> PyTorch (i, f, g, o); the keywords make the slips."""
    bias_order = order if bias_order is None else bias_order
    b_in, b_rec = np.split(B, 2)
    if swap_biases:
        b_in, b_rec = b_rec, b_in
    return (
        _reorder(W, order),
        _reorder(R, order),
        _reorder(b_in, bias_order),
        _reorder(b_rec, bias_order),
    )


def test_from_onnx_solution_passes():
    check_from_onnx(_from_onnx)


def test_from_onnx_round_trip_through_a_cell():
    """Independent of the check: the imported cell computes the ONNX equations."""
    from lstm_lib import LSTMCell

    rng = np.random.default_rng(3)
    I, H = 2, 3  # noqa: E741
    W, R, B = rng.normal(size=(4 * H, I)), rng.normal(size=(4 * H, H)), rng.normal(size=8 * H)
    x, h, c = rng.normal(size=I), rng.normal(size=H), rng.normal(size=H)
    # ONNX's equations, written from its operator spec: gates i, o, f, c.
    z = W @ x + R @ h + B[: 4 * H] + B[4 * H :]
    zi, zo, zf, zc = np.split(z, 4)
    c_onnx = _sigmoid(zf) * c + _sigmoid(zi) * np.tanh(zc)
    h_onnx = _sigmoid(zo) * np.tanh(c_onnx)
    cell = LSTMCell(I, H)
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    for name, value in zip(names, _from_onnx(W, R, B), strict=True):
        getattr(cell, name)[...] = value
    h_new, c_new = cell(x, (h, c))
    np.testing.assert_allclose(h_new, h_onnx, atol=1e-12)
    np.testing.assert_allclose(c_new, c_onnx, atol=1e-12)


def test_from_onnx_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="from_onnx: not implemented yet"):
        check_from_onnx(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda W, R, B: _from_onnx(W, R, B, order=(0, 1, 2, 3)), "kept in ONNX's order"),
        (lambda W, R, B: _from_onnx(W, R, B, order=(0, 3, 1, 2)), "wrong direction"),
        (lambda W, R, B: _from_onnx(W, R, B, order=(3, 2, 1, 0)), "reversed"),
        (
            lambda W, R, B: _from_onnx(W, R, B, bias_order=(0, 1, 2, 3)),
            r"\(bias_ih\).*kept in ONNX's order",
        ),
        (lambda W, R, B: _from_onnx(W, R, B, swap_biases=True), "swapped"),
        (lambda W, R, B: (*_from_onnx(W, R, B)[:2], B, B), r"\(bias_ih\): expected shape"),
        (lambda W, R, B: _from_onnx(W, R, B)[:2], "expected the tuple"),
        (lambda W, R, B: (_from_onnx(W, R, B)[0].T, *_from_onnx(W, R, B)[1:]), "expected shape"),
    ],
)
def test_from_onnx_wrong_answers(wrong, message):
    with pytest.raises(AssertionError, match=message):
        check_from_onnx(wrong)


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
            "cell state c differs .*order of its four column blocks \\(i, f, g, o\\)",
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


# ---- the notebook's own solution cells, master and student version ---------------------------


@pytest.mark.parametrize(
    ("grade_id", "name", "check"),
    [
        ("ch05-param-count", "stacked_lstm_param_count", check_stacked_param_count),
        ("ch05-onnx-weights", "from_onnx", check_from_onnx),
    ],
)
def test_notebook_solution_passes_and_student_version_says_not_implemented(grade_id, name, check):
    from exercise_cells import run_cell, solution_source, student_source

    source = solution_source("05_whole_cell.ipynb", grade_id)
    check(run_cell(source, np=np)[name])
    with pytest.raises(StudentCheckError, match=f"{name}: not implemented yet"):
        check(run_cell(student_source(source), np=np)[name])
