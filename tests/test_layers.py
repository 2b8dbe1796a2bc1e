"""Layers against torch.nn + autograd, and against stepping the cell T times.

Shapes: T time, N batch, I input features, H hidden units.
"""

import numpy as np
import pytest

from lstm_lib import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell

torch = pytest.importorskip("torch")

KINDS = {
    "lstm": (LSTM, LSTMCell, {}),
    "gru": (GRU, GRUCell, {}),
    "rnn_tanh": (RNN, RNNCell, {"nonlinearity": "tanh"}),
    "rnn_relu": (RNN, RNNCell, {"nonlinearity": "relu"}),
}
# (T, N, I, H); N=None means unbatched input (T, I)
SHAPES = [
    (1, 1, 1, 1),
    (1, 3, 4, 5),
    (5, 1, 3, 2),
    (4, 2, 3, 3),
    (6, 3, 2, 7),
    (3, None, 4, 2),
    (1, None, 1, 1),
]
ATOL = {np.float64: 1e-10, np.float32: 1e-5}
PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def make_problem(kind, T, N, I, H, dtype, with_state, seed=0):  # noqa: E741
    """Random layer, inputs, initial state and upstream gradients, all in ``dtype``."""
    layer_cls, _, kwargs = KINDS[kind]
    layer = layer_cls(I, H, dtype=dtype, seed=seed, **kwargs)
    rng = np.random.default_rng(seed + 100)
    batch = () if N is None else (N,)

    def draw(*shape):
        return rng.normal(size=shape).astype(dtype)

    xs = draw(T, *batch, I)
    n_states = 2 if kind == "lstm" else 1
    states = [draw(*batch, H) for _ in range(n_states)] if with_state else None
    dhs = draw(T, *batch, H)
    dstate = [draw(*batch, H) for _ in range(n_states)]
    return layer, xs, states, dhs, dstate


def run_ours(layer, xs, states, dhs, dstate):
    lstm = isinstance(layer, LSTM)
    state = None if states is None else (tuple(states) if lstm else states[0])
    (hs, final), cache = layer.forward(xs, state)
    finals = list(final) if lstm else [final]
    grads = layer.backward(dhs, cache, tuple(dstate) if lstm else dstate[0])
    return hs, finals, grads


def run_torch(layer, xs, states, dhs, dstate):
    module = layer.to_torch()
    x = torch.tensor(xs, requires_grad=True)
    given = None
    if states is not None:
        given = [torch.tensor(s[None], requires_grad=True) for s in states]  # (1, N, H)
    hs, final = module(
        x, None if given is None else (tuple(given) if len(given) == 2 else given[0])
    )
    finals = list(final) if isinstance(final, tuple) else [final]
    loss = (hs * torch.tensor(dhs)).sum()
    for f, d in zip(finals, dstate, strict=True):
        loss = loss + (f[0] * torch.tensor(d)).sum()
    loss.backward()
    grads = {"input": x.grad.numpy()}
    for key in PARAMS:
        grads[key] = getattr(module, key + "_l0").grad.numpy()
    if given is not None:
        for key, g in zip(("h0", "c0"), given, strict=False):
            grads[key] = g.grad[0].numpy()
    return hs.detach().numpy(), [f[0].detach().numpy() for f in finals], grads


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("with_state", [True, False])
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("kind", list(KINDS))
def test_layer_matches_torch(kind, shape, with_state, dtype):
    problem = make_problem(kind, *shape, dtype, with_state)
    hs, finals, grads = run_ours(*problem)
    t_hs, t_finals, t_grads = run_torch(*problem)
    atol = ATOL[dtype]
    assert hs.dtype == dtype and hs.shape == t_hs.shape
    np.testing.assert_allclose(hs, t_hs, rtol=0, atol=atol)
    for ours, theirs in zip(finals, t_finals, strict=True):
        assert ours.shape == theirs.shape
        np.testing.assert_allclose(ours, theirs, rtol=0, atol=atol)
    for key, expected in t_grads.items():
        assert grads[key].dtype == dtype, key
        assert grads[key].shape == expected.shape, key
        np.testing.assert_allclose(grads[key], expected, rtol=0, atol=atol, err_msg=key)


def step_cell(kind, layer, xs, states, dhs, dstate):
    """Run the layer's maths one cell step at a time, forward then backward."""
    _, cell_cls, kwargs = KINDS[kind]
    cell = cell_cls(layer.input_size, layer.hidden_size, dtype=layer.dtype, **kwargs)
    for key in PARAMS:
        setattr(cell, key, getattr(layer, key))
    lstm = kind == "lstm"
    state = None if states is None else (tuple(states) if lstm else states[0])
    hs, caches = [], []
    for x in xs:
        state, cache = cell.forward(x, state)
        caches.append(cache)
        hs.append(state[0] if lstm else state)
    d_next = tuple(dstate) if lstm else dstate[0]
    dxs = [None] * len(xs)
    totals = {key: 0 for key in PARAMS}
    for t in reversed(range(len(xs))):
        dout = (dhs[t] + d_next[0], d_next[1]) if lstm else dhs[t] + d_next
        g = cell.backward(dout, caches[t])
        dxs[t] = g["input"]
        for key in PARAMS:
            totals[key] = totals[key] + g[key]
        d_next = (g["h_prev"], g["c_prev"]) if lstm else g["h_prev"]
    grads = dict(totals, input=np.stack(dxs))
    if lstm:
        grads["h0"], grads["c0"] = d_next
    else:
        grads["h0"] = d_next
    return np.stack(hs), grads


@pytest.mark.parametrize("shape", [(1, 2, 3, 4), (5, 3, 2, 4), (4, None, 3, 2)])
@pytest.mark.parametrize("kind", list(KINDS))
def test_stepping_cell_equals_layer(kind, shape):
    layer, xs, states, dhs, dstate = make_problem(kind, *shape, np.float64, with_state=True)
    hs, _, grads = run_ours(layer, xs, states, dhs, dstate)
    step_hs, step_grads = step_cell(kind, layer, xs, states, dhs, dstate)
    np.testing.assert_allclose(hs, step_hs, rtol=0, atol=1e-12)
    assert set(step_grads) == set(grads)
    for key in grads:
        np.testing.assert_allclose(grads[key], step_grads[key], rtol=0, atol=1e-12, err_msg=key)


@pytest.mark.parametrize("kind", list(KINDS))
def test_layer_cache_exposes_per_step_states(kind):
    layer, xs, states, _, _ = make_problem(kind, 4, 2, 3, 5, np.float64, with_state=True)
    (hs, _), cache = layer.forward(xs, tuple(states) if kind == "lstm" else states[0])
    assert cache.h.shape == (4, 2, 5)
    np.testing.assert_array_equal(cache.h, hs)
    if kind == "lstm":
        for name in ("i", "f", "g", "o", "c", "tanh_c"):
            assert getattr(cache, name).shape == (4, 2, 5), name
        np.testing.assert_allclose(cache.h, cache.o * np.tanh(cache.c), atol=1e-15)
    if kind == "gru":
        for name in ("r", "z", "n", "hn"):
            assert getattr(cache, name).shape == (4, 2, 5), name


@pytest.mark.parametrize("kind", list(KINDS))
def test_backward_with_only_final_state_gradient(kind):
    layer, xs, states, dhs, dstate = make_problem(kind, 3, 2, 3, 4, np.float64, with_state=True)
    zeros = np.zeros_like(dhs)
    lstm = kind == "lstm"
    (_, _), cache = layer.forward(xs, tuple(states) if lstm else states[0])
    without = layer.backward(None, cache, tuple(dstate) if lstm else dstate[0])
    with_zeros = layer.backward(zeros, cache, tuple(dstate) if lstm else dstate[0])
    for key in without:
        np.testing.assert_array_equal(without[key], with_zeros[key])
    nothing = layer.backward(None, cache)
    assert all(not np.any(g) for g in nothing.values())
