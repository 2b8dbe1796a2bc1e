"""Converters between lstm_lib's layout and other frameworks', each checked against an
independent implementation of that framework's equations, written here from its
documentation (Keras' LSTMCell/GRUCell, TensorFlow 1's BasicLSTMCell, the ONNX LSTM and
GRU operators, CS231n's lstm_step_forward). None of them calls lstm_lib; lstm_lib's own
forward pass is the other side of every comparison. The update-convention flip is
checked against PyTorch's GRU rewritten with the other update convention (z writes).
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_lib import GRU, LSTM, GRUCell, LSTMCell, RNNCell
from lstm_lib.layouts import (
    flip_update_gate,
    from_cs231n,
    from_keras,
    from_keras_gru,
    from_onnx,
    from_onnx_gru,
    from_tf1,
    reorder_gates,
    to_cs231n,
    to_keras,
    to_keras_gru,
    to_onnx,
    to_onnx_gru,
    to_tf1,
)

N, I, H = 3, 5, 4  # noqa: E741


def sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def split(a, k):
    return np.split(a, k, axis=-1)


# --- independent implementations of the other layouts' equations -------------------


def keras_lstm_step(x, h, c, kernel, recurrent_kernel, bias):
    z = x @ kernel + h @ recurrent_kernel + bias
    zi, zf, zc, zo = split(z, 4)
    c_new = sig(zf) * c + sig(zi) * np.tanh(zc)
    return sig(zo) * np.tanh(c_new), c_new


def tf1_lstm_step(x, h, c, kernel, bias, forget_bias):
    gates = np.concatenate([x, h], axis=1) @ kernel + bias
    i, j, f, o = split(gates, 4)
    c_new = c * sig(f + forget_bias) + sig(i) * np.tanh(j)
    return np.tanh(c_new) * sig(o), c_new


def onnx_lstm_step(x, h, c, W, R, B):
    W, R, B = W[0], R[0], B[0]
    Wi, Wo, Wf, Wc = np.split(W, 4)
    Ri, Ro, Rf, Rc = np.split(R, 4)
    Wbi, Wbo, Wbf, Wbc, Rbi, Rbo, Rbf, Rbc = np.split(B, 8)
    it = sig(x @ Wi.T + h @ Ri.T + Wbi + Rbi)
    ft = sig(x @ Wf.T + h @ Rf.T + Wbf + Rbf)
    ct = np.tanh(x @ Wc.T + h @ Rc.T + Wbc + Rbc)
    c_new = ft * c + it * ct
    ot = sig(x @ Wo.T + h @ Ro.T + Wbo + Rbo)
    return ot * np.tanh(c_new), c_new


def cs231n_lstm_step(x, h, c, Wx, Wh, b):
    a = x @ Wx + h @ Wh + b
    ai, af, ao, ag = split(a, 4)
    c_new = sig(af) * c + sig(ai) * np.tanh(ag)
    return sig(ao) * np.tanh(c_new), c_new


def keras_gru_step(x, h, kernel, recurrent_kernel, bias):
    x_z, x_r, x_h = split(x @ kernel + bias[0], 3)
    r_z, r_r, r_h = split(h @ recurrent_kernel + bias[1], 3)
    z = sig(x_z + r_z)
    r = sig(x_r + r_r)
    hh = np.tanh(x_h + r * r_h)
    return z * h + (1 - z) * hh


def onnx_gru_step(x, h, W, R, B):
    Wz, Wr, Wh = np.split(W[0], 3)
    Rz, Rr, Rh = np.split(R[0], 3)
    Wbz, Wbr, Wbh, Rbz, Rbr, Rbh = np.split(B[0], 6)
    zt = sig(x @ Wz.T + h @ Rz.T + Wbz + Rbz)
    rt = sig(x @ Wr.T + h @ Rr.T + Wbr + Rbr)
    ht = np.tanh(x @ Wh.T + rt * (h @ Rh.T + Rbh) + Wbh)  # linear_before_reset = 1
    return (1 - zt) * ht + zt * h


def writing_update_gru_step(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """PyTorch's reset-after GRU with Chung et al.'s update convention, h' = (1 - z) h + z n.

    Not Chung et al.'s cell (they apply the reset gate before the product and have no
    biases): only the side the update gate weighs is theirs."""
    a_r, a_z, a_n = split(x @ weight_ih.T + bias_ih, 3)
    b_r, b_z, b_n = split(h @ weight_hh.T + bias_hh, 3)
    r, z = sig(a_r + b_r), sig(a_z + b_z)
    n = np.tanh(a_n + r * b_n)
    return (1 - z) * h + z * n


# --- fixtures ----------------------------------------------------------------------


@pytest.fixture
def data():
    rng = np.random.default_rng(7)
    return rng.standard_normal((N, I)), rng.standard_normal((N, H)), rng.standard_normal((N, H))


def lstm_cell(seed=0):
    cell = LSTMCell(I, H, seed=seed)
    rng = np.random.default_rng(seed + 100)
    cell.bias_hh = rng.standard_normal(4 * H)  # both biases non-zero and different
    return cell


def gru_cell(seed=0):
    cell = GRUCell(I, H, seed=seed)
    cell.bias_hh = np.random.default_rng(seed + 100).standard_normal(3 * H)
    return cell


def ours(cell, x, h, c):
    (h_new, c_new), _ = cell.forward(x, (h, c))
    return h_new, c_new


# --- LSTM ----------------------------------------------------------------------------


def test_keras_equations_match(data):
    x, h, c = data
    cell = lstm_cell()
    theirs = keras_lstm_step(x, h, c, **to_keras(cell))
    np.testing.assert_allclose(theirs, ours(cell, x, h, c), rtol=0, atol=1e-12)
    back = from_keras(**to_keras(cell))
    np.testing.assert_allclose(ours(back, x, h, c), ours(cell, x, h, c), rtol=0, atol=1e-12)


@pytest.mark.parametrize("forget_bias", [1.0, 0.0, 2.5])
def test_tf1_equations_match(data, forget_bias):
    x, h, c = data
    cell = lstm_cell(1)
    weights = to_tf1(cell, forget_bias=forget_bias)
    assert weights["kernel"].shape == (I + H, 4 * H)
    theirs = tf1_lstm_step(x, h, c, **weights, forget_bias=forget_bias)
    np.testing.assert_allclose(theirs, ours(cell, x, h, c), rtol=0, atol=1e-12)
    back = from_tf1(**weights, input_size=I, forget_bias=forget_bias)
    np.testing.assert_allclose(ours(back, x, h, c), ours(cell, x, h, c), rtol=0, atol=1e-12)


def test_tf1_forget_bias_is_not_in_the_stored_bias(data):
    # Forgetting TF1's run-time forget_bias is a classic porting slip: it changes c.
    x, h, c = data
    cell = lstm_cell(2)
    weights = to_tf1(cell, forget_bias=1.0)
    slipped = tf1_lstm_step(x, h, c, **weights, forget_bias=0.0)
    assert np.abs(slipped[1] - ours(cell, x, h, c)[1]).max() > 1e-3


def test_onnx_equations_match(data):
    x, h, c = data
    cell = lstm_cell(3)
    weights = to_onnx(cell)
    assert weights["W"].shape == (1, 4 * H, I) and weights["B"].shape == (1, 8 * H)
    np.testing.assert_allclose(
        onnx_lstm_step(x, h, c, **weights), ours(cell, x, h, c), rtol=0, atol=1e-12
    )
    back = from_onnx(**weights)
    for name in cell.parameter_names:  # ONNX keeps both biases: the round trip is exact
        np.testing.assert_array_equal(getattr(back, name), getattr(cell, name))


def test_onnx_needs_the_reorder(data):
    # PyTorch's arrays fed to ONNX unchanged compute something else: the orders differ.
    x, h, c = data
    cell = lstm_cell(4)
    raw = {
        "W": cell.weight_ih[None],
        "R": cell.weight_hh[None],
        "B": np.concatenate([cell.bias_ih, cell.bias_hh])[None],
    }
    assert np.abs(onnx_lstm_step(x, h, c, **raw)[0] - ours(cell, x, h, c)[0]).max() > 1e-3


def test_cs231n_equations_match(data):
    x, h, c = data
    cell = lstm_cell(5)
    np.testing.assert_allclose(
        cs231n_lstm_step(x, h, c, **to_cs231n(cell)), ours(cell, x, h, c), atol=1e-12, rtol=0
    )
    back = from_cs231n(**to_cs231n(cell))
    np.testing.assert_allclose(ours(back, x, h, c), ours(cell, x, h, c), rtol=0, atol=1e-12)


def test_converters_take_layers_too(data):
    x, h, c = data
    layer = LSTM(I, H, seed=6)
    step, _ = layer.forward(x[None], (h, c))
    np.testing.assert_allclose(
        keras_lstm_step(x, h, c, **to_keras(layer))[0], step[0][0], rtol=0, atol=1e-12
    )


def test_float32_stays_float32():
    cell = LSTMCell(I, H, dtype=np.float32, seed=0)
    assert from_keras(**to_keras(cell)).dtype == np.float32
    assert from_onnx(**to_onnx(cell)).weight_ih.dtype == np.float32


# --- GRU -----------------------------------------------------------------------------


def test_keras_gru_equations_match(data):
    x, h, _ = data
    cell = gru_cell()
    theirs = keras_gru_step(x, h, **to_keras_gru(cell))
    np.testing.assert_allclose(theirs, cell.forward(x, h)[0], rtol=0, atol=1e-12)
    back = from_keras_gru(**to_keras_gru(cell))
    np.testing.assert_allclose(back.forward(x, h)[0], cell.forward(x, h)[0], rtol=0, atol=1e-12)


def test_onnx_gru_equations_match(data):
    x, h, _ = data
    cell = gru_cell(1)
    weights = to_onnx_gru(cell)
    assert weights["linear_before_reset"] == 1
    theirs = onnx_gru_step(x, h, weights["W"], weights["R"], weights["B"])
    np.testing.assert_allclose(theirs, cell.forward(x, h)[0], rtol=0, atol=1e-12)
    back = from_onnx_gru(
        weights["W"], weights["R"], weights["B"], linear_before_reset=weights["linear_before_reset"]
    )
    np.testing.assert_allclose(back.forward(x, h)[0], cell.forward(x, h)[0], rtol=0, atol=1e-12)


def test_flip_update_gate_gives_the_writing_convention(data):
    x, h, _ = data
    cell = gru_cell(2)
    twin = flip_update_gate(cell)
    theirs = writing_update_gru_step(
        x, h, twin.weight_ih, twin.weight_hh, twin.bias_ih, twin.bias_hh
    )
    np.testing.assert_allclose(theirs, cell.forward(x, h)[0], rtol=0, atol=1e-12)
    # without the flip, the two conventions disagree on the same arrays
    same = writing_update_gru_step(x, h, cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh)
    assert np.abs(same - cell.forward(x, h)[0]).max() > 1e-3
    again = flip_update_gate(twin)
    for name in cell.parameter_names:
        np.testing.assert_array_equal(getattr(again, name), getattr(cell, name))


def test_flip_works_on_layers():
    layer = GRU(I, H, seed=3)
    assert isinstance(flip_update_gate(layer), GRU)


# --- reorder_gates and bad input -------------------------------------------------------


def test_reorder_gates_is_a_permutation():
    blocks = np.repeat(np.arange(4), 2)  # [0 0 1 1 2 2 3 3] with gates i f g o
    assert reorder_gates(blocks, "ifgo", "iofg").tolist() == [0, 0, 3, 3, 1, 1, 2, 2]
    x = np.random.default_rng(0).standard_normal((8, 3))
    np.testing.assert_array_equal(
        reorder_gates(reorder_gates(x, "ifgo", "igfo"), "igfo", "ifgo"), x
    )


@pytest.mark.parametrize(
    ("call", "error", "words"),
    [
        (lambda: reorder_gates(np.zeros(8), "ifgo", "ifgx"), ValueError, "same distinct gates"),
        (lambda: reorder_gates(np.zeros(7), "ifgo", "iofg"), ValueError, "4 equal blocks"),
        (lambda: to_keras(RNNCell(2, 3)), TypeError, "expected an lstm_lib LSTMCell"),
        (lambda: to_keras_gru(LSTMCell(2, 3)), TypeError, "expected an lstm_lib GRUCell"),
        (
            lambda: from_keras(np.zeros((5, 16)), np.zeros((4, 12)), np.zeros(16)),
            ValueError,
            "recurrent_kernel of shape (4, 16)",
        ),
        (
            lambda: from_keras(np.zeros((5, 15)), np.zeros((4, 16)), np.zeros(16)),
            ValueError,
            "kernel of shape (I, 4H)",
        ),
        (
            lambda: from_tf1(np.zeros((9, 16)), np.zeros(16), input_size=4),
            ValueError,
            "(input_size + H, 4H)",
        ),
        (
            lambda: from_onnx(np.zeros((2, 16, 5)), np.zeros((1, 16, 4)), np.zeros((1, 32))),
            ValueError,
            "W of shape (1, 4H, I)",
        ),
        (
            lambda: from_onnx_gru(
                np.zeros((1, 12, 5)), np.zeros((1, 12, 4)), np.zeros((1, 24)), linear_before_reset=0
            ),
            ValueError,
            "linear_before_reset=1",
        ),
        (
            lambda: from_onnx_gru(np.zeros((1, 12, 5)), np.zeros((1, 12, 4)), np.zeros((1, 24))),
            TypeError,
            "linear_before_reset",
        ),
        (
            lambda: from_cs231n(np.zeros((5, 16)), np.zeros((4, 16)), np.zeros(16).astype(complex)),
            ValueError,
            "real dtype",
        ),
    ],
)
def test_bad_input_is_named(call, error, words):
    with pytest.raises(error) as info:
        call()
    assert words in str(info.value)
