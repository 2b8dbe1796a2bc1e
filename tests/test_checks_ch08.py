"""Checks of chapter 8 (GRU): pass on the notebook's solutions, fail helpfully otherwise."""

from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib import GRUCell, sigmoid
from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch08 import check_gru_step, check_gru_step_backward
from lstm_lib.lab.gru_variants import gru_step as reference_step

NOTEBOOK = "08_gru.ipynb"


def _source(grade_id):
    return solution_source(NOTEBOOK, grade_id)


def _define(source, name):
    return run_cell(source, np=np, sigmoid=sigmoid)[name]


_student = student_source


# --- exercise 1: gru_step ------------------------------------------------------------------


def test_gru_step_solution_in_notebook_passes():
    check_gru_step(_define(_source("ch08-gru-step"), "gru_step"))


def test_gru_step_student_version_fails_cleanly():
    stub = _define(_student(_source("ch08-gru-step")), "gru_step")
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_gru_step(stub)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"update": "write"}, "z and 1 - z are swapped"),
        ({"reset": "before"}, "paper's candidate"),
    ],
)
def test_gru_step_recognises_the_other_conventions(kwargs, message):
    def wrong(x, h_prev, *params):
        return reference_step(x, h_prev, *params, **kwargs)

    with pytest.raises(StudentCheckError, match=message):
        check_gru_step(wrong)


def test_gru_step_recognises_swapped_blocks_and_missing_reset():
    def swapped_blocks(x, h_prev, w_ih, w_hh, b_ih, b_hh):
        H = h_prev.shape[1]
        order = np.r_[H : 2 * H, 0:H, 2 * H : 3 * H]
        return reference_step(x, h_prev, w_ih[order], w_hh[order], b_ih[order], b_hh[order])

    def no_reset(x, h_prev, w_ih, w_hh, b_ih, b_hh):
        H = h_prev.shape[1]
        z = sigmoid(
            x @ w_ih[H : 2 * H].T + b_ih[H : 2 * H] + h_prev @ w_hh[H : 2 * H].T + b_hh[H : 2 * H]
        )
        n = np.tanh(x @ w_ih[2 * H :].T + b_ih[2 * H :] + h_prev @ w_hh[2 * H :].T + b_hh[2 * H :])
        return (1 - z) * n + z * h_prev

    with pytest.raises(StudentCheckError, match="r and z blocks are swapped"):
        check_gru_step(swapped_blocks)
    with pytest.raises(StudentCheckError, match="reset gate is missing"):
        check_gru_step(no_reset)


def test_gru_step_reports_shape_none_and_crash():
    with pytest.raises(StudentCheckError, match=r"expected shape \(3, 5\), got \(5, 3\)"):
        check_gru_step(lambda x, h, *p: reference_step(x, h, *p).T)
    with pytest.raises(StudentCheckError, match="got None"):
        check_gru_step(lambda *args: None)
    with pytest.raises(StudentCheckError, match="your code raised ValueError"):
        check_gru_step(lambda x, h, w_ih, *rest: x @ w_ih)  # (3, 4) @ (15, 4)
    with pytest.raises(StudentCheckError, match="values differ"):
        check_gru_step(lambda x, h, *p: reference_step(x, h, *p) + 1e-3)


# --- exercise 2: gru_step_backward ------------------------------------------------------------


def test_gru_backward_solution_in_notebook_passes():
    check_gru_step_backward(_define(_source("ch08-gru-backward"), "gru_step_backward"))


def test_gru_backward_student_version_fails_cleanly():
    stub = _define(_student(_source("ch08-gru-backward")), "gru_step_backward")
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_gru_step_backward(stub)


def _solution_backward():
    return _define(_source("ch08-gru-backward"), "gru_step_backward")


def test_gru_backward_recognises_the_missing_direct_path():
    solution = _solution_backward()

    def no_direct_path(dh, x, h_prev, w_ih, w_hh, b_ih, b_hh):
        grads = solution(dh, x, h_prev, w_ih, w_hh, b_ih, b_hh)
        H = h_prev.shape[1]
        z = sigmoid(
            x @ w_ih[H : 2 * H].T + b_ih[H : 2 * H] + h_prev @ w_hh[H : 2 * H].T + b_hh[H : 2 * H]
        )
        return {"input": grads["input"], "h_prev": grads["h_prev"] - dh * z}

    with pytest.raises(StudentCheckError, match="misses the direct path"):
        check_gru_step_backward(no_direct_path)


@pytest.mark.parametrize(
    ("right", "slip", "message"),
    [
        # the sign of dL/dz: h = (1 - z) n + z h_prev gives dh * (h_prev - n)
        ("dh * (h_prev - n)", "dh * (n - h_prev)", "wrong sign"),
        # the reset gate forgotten on the recurrent path of the candidate
        ("d_m = d_pre_n * r", "d_m = d_pre_n", "misses the factor r"),
        # tanh' written with the activation instead of its square
        ("(1 - n**2)", "(1 - n)", "1 - n**2"),
        # the direct path z * dh dropped from the gradient of h_prev
        (
            '"h_prev": dh * z + d_from_hidden @ weight_hh',
            '"h_prev": d_from_hidden @ weight_hh',
            "direct path",
        ),
        # the weights transposed on the way back: (N, 3H) @ (I, 3H) does not fit
        ("d_from_input @ weight_ih,", "d_from_input @ weight_ih.T,", "ValueError"),
    ],
)
def test_gru_backward_names_slips_in_the_solution(right, slip, message):
    source = _source("ch08-gru-backward")
    assert right in source  # the slip is made in the notebook's own solution
    wrong = _define(source.replace(right, slip, 1), "gru_step_backward")
    with pytest.raises(StudentCheckError, match=re.escape(message)):
        check_gru_step_backward(wrong)


def test_gru_backward_reports_wrong_types_keys_and_values():
    solution = _solution_backward()
    with pytest.raises(StudentCheckError, match="expected a dict"):
        check_gru_step_backward(lambda *a: tuple(solution(*a).values()))
    with pytest.raises(StudentCheckError, match=r"no key\(s\) \['h_prev'\]"):
        check_gru_step_backward(lambda *a: {"input": solution(*a)["input"]})
    with pytest.raises(StudentCheckError, match="'input'"):
        check_gru_step_backward(lambda *a: {**solution(*a), "input": 2 * solution(*a)["input"]})
    with pytest.raises(StudentCheckError, match=r"'h_prev': expected shape"):
        check_gru_step_backward(lambda *a: {**solution(*a), "h_prev": solution(*a)["h_prev"].T})


def test_reference_backward_agrees_with_torch_autograd():
    """The check's reference (GRUCell.backward) against an independent oracle."""
    rng = np.random.default_rng(0)
    cell = GRUCell(4, 5, seed=1)
    x, h_prev, dh = (
        rng.standard_normal((3, 4)),
        rng.uniform(-1, 1, (3, 5)),
        rng.standard_normal((3, 5)),
    )
    _, cache = cell.forward(x, h_prev)
    grads = cell.backward(dh, cache)
    twin = cell.to_torch()
    x_t, h_t = torch.tensor(x, requires_grad=True), torch.tensor(h_prev, requires_grad=True)
    (twin(x_t, h_t) * torch.from_numpy(dh)).sum().backward()
    np.testing.assert_allclose(grads["input"], x_t.grad.numpy(), rtol=0, atol=1e-12)
    np.testing.assert_allclose(grads["h_prev"], h_t.grad.numpy(), rtol=0, atol=1e-12)
