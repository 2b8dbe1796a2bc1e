"""lstm_lib.lab.bptt_tools: the measurements of the BPTT chapter, checked against independent oracles."""

import numpy as np
import pytest

from lstm_lib import LSTM, LSTMCell, sigmoid
from lstm_lib.lab.bptt_tools import (
    bptt_last_step,
    cell_gradient_norms,
    clip_by_global_norm,
    first_input_task_accuracy,
    global_norm,
    input_gradient_norms,
    rnn_gradient_norms,
    set_forget_bias,
)

PARAMETERS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _setup(T=7, N=3, I=2, H=4, seed=0):  # noqa: E741
    rng = np.random.default_rng(seed)
    cell = LSTMCell(I, H, seed=seed)
    xs = rng.normal(size=(T, N, I))
    return cell, xs, rng.normal(size=(N, H)), rng.normal(size=(N, H))


def _layer_like(cell):
    layer = LSTM(cell.input_size, cell.hidden_size)
    for name in PARAMETERS:
        getattr(layer, name)[...] = getattr(cell, name)
    return layer


def test_full_bptt_matches_the_layer_backward():
    cell, xs, dh, dc = _setup()
    result = bptt_last_step(cell, xs, dh, dc)
    layer = _layer_like(cell)
    (hs, _), cache = layer.forward(xs)
    dhs = np.zeros_like(hs)
    dhs[-1] = dh
    expected = layer.backward(dhs, cache, dstate=(None, dc))
    assert np.allclose(result.dx, expected["input"], atol=1e-12)
    assert np.allclose(result.dc[0], expected["c0"], atol=1e-12)
    for name in PARAMETERS:
        assert np.allclose(result.grads[name], expected[name], atol=1e-12), name


def test_full_bptt_matches_torch_autograd():
    torch = pytest.importorskip("torch")
    cell, xs, dh, dc = _setup(seed=1)
    result = bptt_last_step(cell, xs, dh, dc)
    module = cell.to_torch()
    t_xs = torch.from_numpy(xs).requires_grad_()
    h = torch.zeros(xs.shape[1], cell.hidden_size, dtype=torch.float64)
    c = torch.zeros_like(h)
    for t in range(xs.shape[0]):
        h, c = module(t_xs[t], (h, c))
    ((h * torch.from_numpy(dh)).sum() + (c * torch.from_numpy(dc)).sum()).backward()
    assert np.allclose(result.dx, t_xs.grad.numpy(), atol=1e-12)
    assert np.allclose(result.grads["weight_hh"], module.weight_hh.grad.numpy(), atol=1e-12)


def test_truncation_zeroes_exactly_the_steps_outside_the_window():
    cell, xs, dh, dc = _setup(T=9)
    full = bptt_last_step(cell, xs, dh, dc)
    cut = bptt_last_step(cell, xs, dh, dc, truncation=3)
    assert np.all(cut.dx[:6] == 0) and np.all(cut.dc[:6] == 0)
    assert np.array_equal(cut.dx[6:], full.dx[6:])
    assert np.any(full.dx[:6] != 0)
    longer = bptt_last_step(cell, xs, dh, dc, truncation=50)
    assert np.array_equal(longer.dx, full.dx)
    with pytest.raises(ValueError, match="truncation"):
        bptt_last_step(cell, xs, dh, dc, truncation=0)


def test_without_recurrent_weights_the_cell_gradient_is_the_product_of_forget_gates():
    # With W_hh = 0 the gates do not depend on the past, so dL/dc_t = dL/dc_T * f_{t+1}...f_T.
    cell, xs, _, dc = _setup(T=6)
    cell.weight_hh[...] = 0.0
    result = bptt_last_step(cell, xs, None, dc)
    product = dc.copy()
    for t in range(5, -1, -1):
        product = product * result.forget[t]
        assert np.allclose(result.dc[t], product, rtol=1e-13, atol=0)


def test_set_forget_bias_only_touches_the_forget_block():
    cell = LSTMCell(2, 3, seed=0)
    before_ih, before_hh = cell.bias_ih.copy(), cell.bias_hh.copy()
    set_forget_bias(cell, 1.5)
    assert np.all(cell.bias_ih[3:6] + cell.bias_hh[3:6] == 1.5)
    outside = np.r_[0:3, 6:12]
    assert np.array_equal(cell.bias_ih[outside], before_ih[outside])
    assert np.array_equal(cell.bias_hh[outside], before_hh[outside])


def test_forget_bias_one_keeps_far_more_gradient_than_zero():
    zero, one = cell_gradient_norms(0.0, T=40), cell_gradient_norms(1.0, T=40)
    assert abs(float(zero["mean_forget"]) - sigmoid(0.0)) < 0.05
    assert abs(float(one["mean_forget"]) - sigmoid(1.0)) < 0.05
    assert zero["full"].shape == (41,) and zero["full"][-1] == one["full"][-1]
    assert one["full"][0] > 1e3 * zero["full"][0]
    assert np.all(np.diff(zero["cell_path"]) > 0)  # the direct path only shrinks going back


def test_input_gradient_norms_vanish_outside_the_window():
    full, cut = input_gradient_norms(None, T=12), input_gradient_norms(4, T=12)
    assert full.shape == cut.shape == (12,)
    assert np.all(cut[:8] == 0) and np.all(full[:8] > 0)
    assert np.array_equal(cut[8:], full[8:])


def test_clip_matches_torch_and_keeps_the_direction():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(3)
    grads = {"a": rng.normal(size=(4, 3)) * 5, "b": rng.normal(size=6) * 5}
    originals = {k: v.copy() for k, v in grads.items()}
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(np.sqrt(sum(np.sum(v**2) for v in originals.values())))
    assert global_norm(clipped) == pytest.approx(1.0, rel=1e-12)
    for k in grads:
        assert np.array_equal(grads[k], originals[k])  # input untouched
        assert np.allclose(clipped[k] * norm, originals[k])  # same direction
    tensors = [torch.from_numpy(v.copy()).requires_grad_() for v in originals.values()]
    for t, v in zip(tensors, originals.values(), strict=True):
        t.grad = torch.from_numpy(v.copy())
    torch_norm = torch.nn.utils.clip_grad_norm_(tensors, 1.0)
    assert float(torch_norm) == pytest.approx(norm, rel=1e-12)
    for t, k in zip(tensors, grads, strict=True):
        assert np.allclose(t.grad.numpy(), clipped[k], rtol=1e-5)


def test_clip_leaves_small_gradients_alone_and_rejects_bad_thresholds():
    grads = {"a": np.array([0.3, -0.4])}
    clipped, norm = clip_by_global_norm(grads, 1.0)
    assert norm == pytest.approx(0.5) and np.array_equal(clipped["a"], grads["a"])
    with pytest.raises(ValueError, match="max_norm"):
        clip_by_global_norm(grads, 0.0)


def test_rnn_gradient_norms_spread_out_with_large_recurrent_weights():
    calm, wild = rnn_gradient_norms(1.0, samples=40), rnn_gradient_norms(3.0, samples=40)
    assert calm.shape == wild.shape == (40,) and np.all(calm > 0)
    assert calm.max() / np.median(calm) < 2
    assert wild.max() / np.median(wild) > 5


def test_first_input_task_needs_the_whole_sequence():
    pytest.importorskip("torch")
    assert first_input_task_accuracy(None) >= 0.95
    assert first_input_task_accuracy(4) <= 0.75
