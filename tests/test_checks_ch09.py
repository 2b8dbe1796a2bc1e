"""Checks of chapter 9 (common mistakes): pass on the notebook's solutions, fail helpfully."""

from __future__ import annotations

import numpy as np
import pytest
from exercise_cells import run_cell, solution_source, student_source

from lstm_lib import sigmoid
from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch09 import check_lstm_gates, check_write_to_keep

NOTEBOOK = "09_common_mistakes.ipynb"


def _source(grade_id):
    return solution_source(NOTEBOOK, grade_id)


def _define(source, name):
    return run_cell(source, np=np, sigmoid=sigmoid)[name]


_student = student_source


def _gates():
    return _define(_source("ch09-lstm-gates"), "lstm_gates")


def _write_to_keep():
    return _define(_source("ch09-write-to-keep"), "write_to_keep")


# --- exercise 1: lstm_gates ------------------------------------------------------------------


def test_lstm_gates_solution_in_notebook_passes():
    check_lstm_gates(_gates())


def test_lstm_gates_student_version_fails_cleanly():
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_lstm_gates(_define(_student(_source("ch09-lstm-gates")), "lstm_gates"))


def test_lstm_gates_names_a_block_read_in_the_wrong_order():
    solution = _gates()

    def swapped_i_f(x, h_prev, cell):
        gates = solution(x, h_prev, cell)
        return {**gates, "i": gates["f"], "f": gates["i"]}

    def tensorflow_order(x, h_prev, cell):  # i, j (candidate), f, o
        H = cell.hidden_size
        pre = x @ cell.weight_ih.T + cell.bias_ih + h_prev @ cell.weight_hh.T + cell.bias_hh
        return {
            "i": sigmoid(pre[:, :H]),
            "g": np.tanh(pre[:, H : 2 * H]),
            "f": sigmoid(pre[:, 2 * H : 3 * H]),
            "o": sigmoid(pre[:, 3 * H :]),
        }

    def onnx_order(x, h_prev, cell):  # i, o, f, c
        H = cell.hidden_size
        pre = x @ cell.weight_ih.T + cell.bias_ih + h_prev @ cell.weight_hh.T + cell.bias_hh
        return {
            "i": sigmoid(pre[:, :H]),
            "o": sigmoid(pre[:, H : 2 * H]),
            "f": sigmoid(pre[:, 2 * H : 3 * H]),
            "g": np.tanh(pre[:, 3 * H :]),
        }

    with pytest.raises(StudentCheckError, match=r"'f' is computed from block 2 \(g\)"):
        check_lstm_gates(onnx_order)
    with pytest.raises(StudentCheckError, match=r"'i' is computed from block 1 \(f\)"):
        check_lstm_gates(swapped_i_f)
    with pytest.raises(StudentCheckError, match=r"'f' is computed from block 2 \(g\)"):
        check_lstm_gates(tensorflow_order)


def test_lstm_gates_names_wrong_activation_and_missing_bias():
    solution = _gates()

    def sigmoid_candidate(x, h_prev, cell):
        gates = solution(x, h_prev, cell)
        return {**gates, "g": sigmoid(np.arctanh(gates["g"]))}

    def one_bias(x, h_prev, cell):
        H = cell.hidden_size
        pre = x @ cell.weight_ih.T + cell.bias_ih + h_prev @ cell.weight_hh.T  # (N, 4H)
        return {
            "i": sigmoid(pre[:, :H]),
            "f": sigmoid(pre[:, H : 2 * H]),
            "g": np.tanh(pre[:, 2 * H : 3 * H]),
            "o": sigmoid(pre[:, 3 * H :]),
        }

    with pytest.raises(StudentCheckError, match="'g' uses sigmoid; it should use tanh"):
        check_lstm_gates(sigmoid_candidate)
    with pytest.raises(StudentCheckError, match="leaves out bias_hh"):
        check_lstm_gates(one_bias)


def test_lstm_gates_reports_type_keys_shape_and_mutation():
    solution = _gates()

    def mutates(x, h_prev, cell):
        cell.bias_hh[:] = 0.0
        return solution(x, h_prev, cell)

    with pytest.raises(StudentCheckError, match="expected a dict"):
        check_lstm_gates(lambda *a: list(solution(*a).values()))
    with pytest.raises(StudentCheckError, match=r"no key\(s\) \['o'\]"):
        check_lstm_gates(lambda *a: {k: v for k, v in solution(*a).items() if k != "o"})
    with pytest.raises(StudentCheckError, match=r"'f': expected shape \(4, 2\)"):
        check_lstm_gates(lambda *a: {**solution(*a), "f": solution(*a)["f"][0]})
    with pytest.raises(StudentCheckError, match=r"changed the cell's \['bias_hh'\]"):
        check_lstm_gates(mutates)


# --- exercise 2: write_to_keep ---------------------------------------------------------------


def test_write_to_keep_solution_in_notebook_passes():
    check_write_to_keep(_write_to_keep())


def test_write_to_keep_student_version_fails_cleanly():
    with pytest.raises(StudentCheckError, match="not implemented yet"):
        check_write_to_keep(_define(_student(_source("ch09-write-to-keep")), "write_to_keep"))


def _negate_rows(params, rows, which=(0, 1, 2, 3)):
    out = [p.copy() for p in params]
    for k in which:
        out[k][rows] *= -1
    return tuple(out)


def test_write_to_keep_names_the_usual_slips():
    def weights_only(*params):
        H = params[1].shape[1]
        return _negate_rows(params, slice(H, 2 * H), which=(0, 1))

    def every_row(*params):
        return tuple(-p for p in params)

    def one_minus(*params):
        H = params[1].shape[1]
        out = [p.copy() for p in params]
        for p in out:
            p[H : 2 * H] = 1 - p[H : 2 * H]
        return tuple(out)

    def in_place(*params):
        H = params[1].shape[1]
        for p in params:
            p[H : 2 * H] *= -1
        return params

    def r_block(*params):  # the first block, as if the order were z, r, n
        H = params[1].shape[1]
        return _negate_rows(params, slice(0, H))

    with pytest.raises(StudentCheckError, match="rows of the reset gate r"):
        check_write_to_keep(r_block)
    with pytest.raises(StudentCheckError, match="not those of both biases"):
        check_write_to_keep(weights_only)
    with pytest.raises(StudentCheckError, match="negated every row"):
        check_write_to_keep(every_row)
    with pytest.raises(StudentCheckError, match=r"not sigmoid\(1 - a\)"):
        check_write_to_keep(one_minus)
    with pytest.raises(StudentCheckError, match="you changed the arrays you were given"):
        check_write_to_keep(in_place)


def test_write_to_keep_reports_type_and_unchanged_parameters():
    with pytest.raises(StudentCheckError, match="expected a tuple of four arrays"):
        check_write_to_keep(lambda *p: p[:3])
    with pytest.raises(StudentCheckError, match="GRU output with your arrays"):
        check_write_to_keep(lambda *p: tuple(q.copy() for q in p))
