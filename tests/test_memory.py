"""Tests of lstm_lib.lab.memory: exact Jacobians through time and the bit-storage experiment.

Oracles: the closed-form Jacobian of the plain RNN, torch.autograd in float64, the
library's layer backward pass, and plain Python loops for the scalar recurrences.
"""

import math

import numpy as np
import pytest

from lstm_lib import LSTM, RNN, LSTMCell, RNNCell, sigmoid, tanh_grad
from lstm_lib.lab.memory import (
    bit_storing_lstm,
    flagged_bit_sequences,
    forget_keep_fraction,
    lstm_cell_jacobian_norms,
    lstm_step_jacobian,
    per_step_factor,
    recall_accuracy,
    recurrent_weight_with_norm,
    rnn_jacobian_norms,
    rnn_step_jacobian,
    rnn_weight_search,
    run_lstm_cell,
    scalar_rnn_bank,
)

torch = pytest.importorskip("torch")


def test_recurrent_weight_has_all_singular_values_equal_to_scale():
    W = recurrent_weight_with_norm(6, 1.7, seed=0)
    assert W.shape == (6, 6)
    np.testing.assert_allclose(np.linalg.svd(W, compute_uv=False), 1.7, rtol=1e-12)


def test_recurrent_weight_rejects_negative_scale():
    with pytest.raises(ValueError, match="scale"):
        recurrent_weight_with_norm(3, -1.0)


def test_rnn_step_jacobian_matches_closed_form():
    cell = RNNCell(3, 5, seed=1)
    rng = np.random.default_rng(0)
    x, h_prev = rng.standard_normal(3), rng.uniform(-1, 1, 5)
    h, J = rnn_step_jacobian(cell, x, h_prev)
    z = cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h_prev + cell.bias_hh
    np.testing.assert_allclose(h, np.tanh(z), rtol=1e-12)
    np.testing.assert_allclose(J, tanh_grad(z)[:, None] * cell.weight_hh, rtol=1e-12, atol=1e-14)


def _torch_lstm_cell(cell):
    module = torch.nn.LSTMCell(cell.input_size, cell.hidden_size).double()
    with torch.no_grad():
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            getattr(module, name).copy_(torch.from_numpy(getattr(cell, name)))
    return module


def test_lstm_step_jacobian_matches_torch_autograd():
    cell = LSTMCell(2, 3, seed=2)
    rng = np.random.default_rng(1)
    x, h0, c0 = rng.standard_normal(2), rng.uniform(-1, 1, 3), rng.uniform(-1, 1, 3)
    (h, c), J, forget = lstm_step_jacobian(cell, x, (h0, c0))
    module = _torch_lstm_cell(cell)
    xt = torch.from_numpy(x)[None]

    def step(state):
        h_new, c_new = module(xt, (state[None, :3], state[None, 3:]))
        return torch.cat([h_new[0], c_new[0]])

    state = torch.from_numpy(np.concatenate([h0, c0]))
    expected = torch.autograd.functional.jacobian(step, state).numpy()
    np.testing.assert_allclose(J, expected, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(np.concatenate([h, c]), step(state).detach().numpy(), rtol=1e-12)
    z_forget = (cell.weight_ih @ x + cell.bias_ih + cell.weight_hh @ h0 + cell.bias_hh)[3:6]
    np.testing.assert_allclose(forget, 1 / (1 + np.exp(-z_forget)), rtol=1e-12)


def test_rnn_jacobian_norms_match_layer_backward_and_torch():
    H, T = 4, 7
    cell = RNNCell(2, H, seed=3)
    cell.weight_hh[...] = recurrent_weight_with_norm(H, 1.3, seed=3)
    xs = np.random.default_rng(2).standard_normal((T, 2))
    norms = rnn_jacobian_norms(cell, xs)
    assert norms.shape == (T,)
    # oracle 1: the library's layer backward, H copies of the sequence, dstate = identity
    layer = RNN(2, H, seed=0)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(layer, name)[...] = getattr(cell, name)
    for t in (1, 4, T):
        batch = np.repeat(xs[:t, None, :], H, axis=1)  # (t, H, 2)
        _, cache = layer.forward(batch)
        dh0 = layer.backward(None, cache, dstate=np.eye(H))["h0"]  # (H, H) = dh_t/dh_0
        assert np.linalg.norm(dh0, 2) == pytest.approx(norms[t - 1], rel=1e-10)
    # oracle 2: torch autograd through the unrolled recurrence
    W_ih, W_hh = torch.from_numpy(cell.weight_ih), torch.from_numpy(cell.weight_hh)
    b = torch.from_numpy(cell.bias_ih + cell.bias_hh)

    def unroll(h):
        for x in torch.from_numpy(xs):
            h = torch.tanh(W_ih @ x + W_hh @ h + b)
        return h

    J = torch.autograd.functional.jacobian(unroll, torch.zeros(H, dtype=torch.float64)).numpy()
    assert np.linalg.norm(J, 2) == pytest.approx(norms[-1], rel=1e-10)


@pytest.mark.parametrize("scale", [0.3, 0.8, 0.95])
def test_rnn_gradient_below_threshold_is_bounded_by_geometric_sequence(scale):
    H, T = 8, 60
    cell = RNNCell(1, H, seed=4)
    cell.weight_hh[...] = recurrent_weight_with_norm(H, scale, seed=4)
    xs = np.random.default_rng(4).standard_normal((T, 1))
    norms = rnn_jacobian_norms(cell, xs)
    # |tanh'| <= 1 and ||W_hh||_2 = scale, so ||dh_t/dh_0|| <= scale**t
    assert np.all(norms <= scale ** np.arange(1, T + 1) * (1 + 1e-9))
    assert per_step_factor(norms) < 1


def test_rnn_gradient_grows_for_large_scale():
    H, T = 16, 100
    cell = RNNCell(1, H, seed=0)
    cell.weight_hh[...] = recurrent_weight_with_norm(H, 2.0, seed=0)
    norms = rnn_jacobian_norms(cell, np.random.default_rng(0).standard_normal((T, 1)))
    assert per_step_factor(norms) > 1.05
    assert norms[-1] > 1e3


def test_lstm_cell_path_equals_full_jacobian_without_recurrent_weights():
    H, T = 3, 20
    cell = LSTMCell(2, H, seed=5)
    cell.weight_hh[...] = 0.0  # c_{t-1} then reaches c_t only through f_t * c_{t-1}
    xs = np.random.default_rng(5).standard_normal((T, 2))
    out = lstm_cell_jacobian_norms(cell, xs)
    assert out["forget"].shape == (T, H)
    np.testing.assert_allclose(out["cell_path"], np.cumprod(out["forget"], axis=0).max(axis=1))
    np.testing.assert_allclose(out["full"], out["cell_path"], rtol=1e-10)


def test_lstm_cell_state_gradient_survives_with_forget_gate_near_one():
    H, T = 8, 100
    cell = LSTMCell(1, H, seed=6)
    cell.bias_hh[H : 2 * H] += 6.0  # forget gate pre-activation shifted up: f close to 1
    out = lstm_cell_jacobian_norms(cell, np.random.default_rng(6).standard_normal((T, 1)))
    assert out["forget"].min() > 0.98
    assert 0.1 < out["full"][-1] < 10


def test_per_step_factor_recovers_a_geometric_rate():
    assert per_step_factor(3.0 * 0.7 ** np.arange(50)) == pytest.approx(0.7, rel=1e-10)
    assert per_step_factor(1.1 ** np.arange(50), start=10) == pytest.approx(1.1, rel=1e-10)
    with pytest.raises(ValueError, match="positive"):
        per_step_factor(np.array([1.0, 0.0, 2.0]))


def test_flagged_bit_sequences_layout():
    xs, bits = flagged_bit_sequences(6, lead=3, delay=5, seed=0)
    assert xs.shape == (9, 6, 2)
    np.testing.assert_array_equal(bits, [1, 1, 1, -1, -1, -1])
    np.testing.assert_array_equal(xs[3, :, 0], bits)
    flags = xs[:, :, 1]
    assert flags[3].tolist() == [1.0] * 6 and flags.sum() == 6
    assert set(np.unique(xs[:, :, 0])) == {-1.0, 1.0}


def test_run_lstm_cell_matches_lstm_layer():
    xs, _ = flagged_bit_sequences(4, lead=2, delay=6, seed=1)
    cell = LSTMCell(2, 3, seed=7)
    layer = LSTM(2, 3, seed=0)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(layer, name)[...] = getattr(cell, name)
    hs, cs = run_lstm_cell(cell, xs)
    expected_hs, (_, c_T) = layer(xs)
    np.testing.assert_allclose(hs, expected_hs, rtol=1e-12)
    np.testing.assert_allclose(cs[-1], c_T, rtol=1e-12)


def test_hand_set_lstm_stores_the_bit_for_150_steps():
    lead, delay = 10, 150
    xs, bits = flagged_bit_sequences(64, lead=lead, delay=delay, seed=2)
    hs, cs = run_lstm_cell(bit_storing_lstm(), xs)
    accuracy = recall_accuracy(hs, bits, lead)
    assert accuracy.shape == (delay + 1, 1)
    assert accuracy.min() == 1.0
    assert np.all(np.abs(cs[:lead]) < 1e-3)  # nothing written before the flag
    np.testing.assert_allclose(cs[-1, :, 0], 0.99 * bits, atol=0.02)


def test_scalar_rnn_bank_units_are_independent_scalar_rnns():
    ws = np.array([0.0, 0.5, 1.5, 3.0])
    xs, _ = flagged_bit_sequences(3, lead=2, delay=4, seed=3)
    hs, _ = scalar_rnn_bank(ws, input_weight=0.7)(xs)
    assert hs.shape == (7, 3, 4)
    for k, w in enumerate(ws):
        for n in range(3):
            h = 0.0
            for t in range(7):
                h = math.tanh(w * h + 0.7 * xs[t, n, 0])
                assert hs[t, n, k] == pytest.approx(h, rel=1e-12, abs=1e-15)


def test_scalar_rnn_bank_applies_the_flag_weight_and_the_bias():
    ws = np.array([0.0, 2.0])
    xs, _ = flagged_bit_sequences(2, lead=1, delay=2, seed=5)
    hs, _ = scalar_rnn_bank(ws, input_weight=0.7, flag_weight=-3.0, bias=0.4)(xs)
    for k, w in enumerate(ws):
        for n in range(2):
            h = 0.0
            for t in range(4):
                h = math.tanh(w * h + 0.7 * xs[t, n, 0] - 3.0 * xs[t, n, 1] + 0.4)
                assert hs[t, n, k] == pytest.approx(h, rel=1e-12, abs=1e-15)


def test_a_latching_scalar_rnn_holds_the_bit_once_it_sees_the_flag():
    # chapter 3's hand-set latch: w = 8, u = 1, v = -10, b = 2
    lead, delay = 20, 60
    xs, bits = flagged_bit_sequences(64, lead=lead, delay=delay, seed=6)
    acc = rnn_weight_search(xs, bits, lead, [8.0, 0.5], [1.0], flag_weight=-10.0, bias=2.0)
    assert acc[0, 1:, 0].min() == 1.0  # the latch
    assert acc[0, delay, 1] < 0.8  # a weak recurrent weight leaks even with the flag


def test_recall_accuracy_counts_sign_agreement_and_allows_a_flipped_readout():
    hs = np.array([[[0.5], [0.5]], [[0.2], [-0.3]], [[-0.4], [0.1]]])  # (T=3, N=2, K=1)
    bits = np.array([1.0, -1.0])
    np.testing.assert_allclose(recall_accuracy(hs, bits, lead=1)[:, 0], [1.0, 1.0])
    np.testing.assert_allclose(recall_accuracy(hs, bits, lead=0)[:, 0], [0.5, 1.0, 1.0])


def test_no_scalar_rnn_keeps_the_bit_among_distractors():
    lead, delay = 20, 100
    xs, bits = flagged_bit_sequences(400, lead=lead, delay=delay, seed=4)
    ws, us = np.linspace(0, 4, 21), [0.5, 1.0, 2.0]
    acc = rnn_weight_search(xs, bits, lead, ws, us)
    assert acc.shape == (3, delay + 1, 21)
    assert acc[:, delay].max() < 0.6  # chance level is 0.5
    assert acc[:, 0].max() > 0.95  # yet at the step of the bit some RNN does see it


def test_forget_keep_fraction():
    assert forget_keep_fraction(0.0, 3) == pytest.approx(0.125)
    assert forget_keep_fraction(10.0, 100) == pytest.approx(float(sigmoid(10.0)) ** 100)


def test_a_hand_set_rnn_with_bias_and_flag_weight_latches_but_its_gradient_vanishes():
    # The honest caveat of chapter 3: the search above leaves out the flag weight and bias.
    lead, delay = 20, 150
    xs, bits = flagged_bit_sequences(128, lead=lead, delay=delay, seed=5)
    rnn = RNN(2, 1, seed=0)
    rnn.weight_ih[...] = [[1.0, -10.0]]
    rnn.weight_hh[...] = [[8.0]]
    rnn.bias_ih[...], rnn.bias_hh[...] = 2.0, 0.0
    hs, _ = rnn(xs)
    assert recall_accuracy(hs, bits, lead).min() == 1.0
    cell = RNNCell(2, 1, seed=0)
    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
        getattr(cell, name)[...] = getattr(rnn, name)
    norms = rnn_jacobian_norms(cell, xs[lead + 1 :, 0], hs[lead, 0])
    assert norms[9] < 1e-30
