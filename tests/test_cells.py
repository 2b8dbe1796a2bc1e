"""Cells against torch.nn cells + autograd: outputs and every gradient.

Shapes: N batch, I input features, H hidden units.
"""

import numpy as np
import pytest

from lstm_lib import GRUCell, LSTMCell, RNNCell

torch = pytest.importorskip("torch")

KINDS = {
    "lstm": (LSTMCell, {}),
    "gru": (GRUCell, {}),
    "rnn_tanh": (RNNCell, {"nonlinearity": "tanh"}),
    "rnn_relu": (RNNCell, {"nonlinearity": "relu"}),
}
# (N, I, H); N=None means unbatched input (I,)
SHAPES = [(1, 1, 1), (1, 3, 5), (4, 5, 3), (3, 2, 1), (2, 6, 6), (None, 4, 3), (None, 1, 1)]
ATOL = {np.float64: 1e-10, np.float32: 1e-5}
PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def make_problem(kind, N, I, H, dtype, with_state, seed=0):  # noqa: E741
    cls, kwargs = KINDS[kind]
    cell = cls(I, H, dtype=dtype, seed=seed, **kwargs)
    rng = np.random.default_rng(seed + 7)
    batch = () if N is None else (N,)
    n_states = 2 if kind == "lstm" else 1
    x = rng.normal(size=(*batch, I)).astype(dtype)
    states = [rng.normal(size=(*batch, H)).astype(dtype) for _ in range(n_states)]
    douts = [rng.normal(size=(*batch, H)).astype(dtype) for _ in range(n_states)]
    return cell, x, (states if with_state else None), douts


def run_ours(cell, x, states, douts):
    lstm = isinstance(cell, LSTMCell)
    state = None if states is None else (tuple(states) if lstm else states[0])
    out, cache = cell.forward(x, state)
    outs = list(out) if lstm else [out]
    return outs, cell.backward(tuple(douts) if lstm else douts[0], cache)


def run_torch(cell, x, states, douts):
    module = cell.to_torch()
    xt = torch.tensor(x, requires_grad=True)
    given = None if states is None else [torch.tensor(s, requires_grad=True) for s in states]
    state = None if given is None else (tuple(given) if len(given) == 2 else given[0])
    out = module(xt, state)
    outs = list(out) if isinstance(out, tuple) else [out]
    loss = sum((o * torch.tensor(d)).sum() for o, d in zip(outs, douts, strict=True))
    loss.backward()
    grads = {"input": xt.grad.numpy(), **{k: getattr(module, k).grad.numpy() for k in PARAMS}}
    if given is not None:
        for key, g in zip(("h_prev", "c_prev"), given, strict=False):
            grads[key] = g.grad.numpy()
    return [o.detach().numpy() for o in outs], grads


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("with_state", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_cell_matches_torch(kind, shape, with_state, dtype):
    problem = make_problem(kind, *shape, dtype, with_state)
    outs, grads = run_ours(*problem)
    t_outs, t_grads = run_torch(*problem)
    atol = ATOL[dtype]
    for ours, theirs in zip(outs, t_outs, strict=True):
        assert ours.dtype == dtype and ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)
    for key, expected in t_grads.items():
        assert grads[key].dtype == dtype and grads[key].shape == expected.shape, key
        np.testing.assert_allclose(grads[key], expected, rtol=0, atol=atol, err_msg=key)
    if with_state:
        assert set(grads) == set(t_grads)


@pytest.mark.parametrize("kind", list(KINDS))
def test_call_returns_forward_output(kind):
    cell, x, states, _ = make_problem(kind, 2, 3, 4, np.float64, with_state=True)
    state = tuple(states) if kind == "lstm" else states[0]
    called = cell(x, state)
    forwarded, _ = cell.forward(x, state)
    for a, b in zip(np.atleast_1d(called), np.atleast_1d(forwarded), strict=True):
        np.testing.assert_array_equal(a, b)


def test_lstm_cell_cache_names_the_gates():
    cell, x, states, _ = make_problem("lstm", 3, 2, 4, np.float64, with_state=True)
    (h, c), cache = cell.forward(x, tuple(states))
    for name in ("i", "f", "g", "o", "c", "tanh_c", "h", "h_prev", "c_prev", "x"):
        assert hasattr(cache, name), name
    np.testing.assert_array_equal(cache.h, h)
    np.testing.assert_allclose(cache.c, cache.f * states[1] + cache.i * cache.g, atol=1e-15)
    assert np.all((cache.i > 0) & (cache.i < 1)) and np.all(np.abs(cache.g) < 1)


def test_missing_state_means_zeros():
    cell, x, _, _ = make_problem("lstm", 2, 3, 4, np.float64, with_state=False)
    zeros = np.zeros((2, 4))
    for a, b in zip(cell(x), cell(x, (zeros, zeros)), strict=True):
        np.testing.assert_array_equal(a, b)


def test_parameters_are_initialised_like_pytorch():
    cell = LSTMCell(3, 16, seed=0)
    assert cell.weight_ih.shape == (64, 3) and cell.weight_hh.shape == (64, 16)
    assert cell.bias_ih.shape == (64,) and cell.bias_hh.shape == (64,)
    bound = 1 / np.sqrt(16)
    for value in cell.parameters().values():
        assert np.all(np.abs(value) <= bound) and value.dtype == np.float64
    again = LSTMCell(3, 16, seed=0)
    np.testing.assert_array_equal(cell.weight_hh, again.weight_hh)
    assert GRUCell(2, 5, dtype=np.float32).weight_ih.shape == (15, 2)
    assert GRUCell(2, 5, dtype=np.float32).weight_ih.dtype == np.float32
    assert RNNCell(2, 5).weight_hh.shape == (5, 5)


def test_integer_input_is_cast_to_the_cell_dtype():
    cell = RNNCell(3, 2, dtype=np.float32, seed=0)
    h = cell(np.array([[1, 0, -2]]))
    assert h.dtype == np.float32
    np.testing.assert_allclose(h, cell(np.array([[1.0, 0.0, -2.0]], dtype=np.float32)))
