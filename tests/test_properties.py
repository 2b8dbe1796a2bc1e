"""Property-based tests (hypothesis) over random shapes and values, warnings as errors.

Shapes: T time, N batch, I input features, H hidden units.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lstm_lib import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell, sigmoid, sigmoid_grad, tanh_grad

torch = pytest.importorskip("torch")

pytestmark = pytest.mark.filterwarnings("error")  # any RuntimeWarning (overflow, invalid) fails

# derandomize: the same examples on every run, so CI is reproducible; no deadline because
# the machine is shared and timings vary
SETTINGS = settings(max_examples=25, deadline=None, derandomize=True)

LAYERS = {
    "lstm": (LSTM, LSTMCell, {}),
    "gru": (GRU, GRUCell, {}),
    "rnn_tanh": (RNN, RNNCell, {"nonlinearity": "tanh"}),
    "rnn_relu": (RNN, RNNCell, {"nonlinearity": "relu"}),
}
PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


@st.composite
def problems(draw, max_scale=1.0):
    """A layer kind, shapes, a seed and a scale for the weights and inputs."""
    kind = draw(st.sampled_from(sorted(LAYERS)))
    T, N, I, H = (draw(st.integers(1, 5)) for _ in range(4))  # noqa: E741
    batched = draw(st.booleans())
    seed = draw(st.integers(0, 2**32 - 1))
    scale = draw(st.floats(1.0, max_scale)) if max_scale > 1 else 1.0
    return kind, T, (N if batched else None), I, H, seed, scale


def build(kind, T, N, I, H, seed, scale, dtype=np.float64):  # noqa: E741
    layer_cls, _, kwargs = LAYERS[kind]
    layer = layer_cls(I, H, dtype=dtype, seed=seed, **kwargs)
    rng = np.random.default_rng(seed)
    for key in PARAMS:  # with the inputs also scaled, |pre-activations| reach ~scale**2
        setattr(layer, key, (getattr(layer, key) * scale).astype(dtype))
    batch = () if N is None else (N,)
    xs = (rng.uniform(-1, 1, size=(T, *batch, I)) * scale).astype(dtype)
    n_states = 2 if kind == "lstm" else 1
    states = [rng.uniform(-1, 1, size=(*batch, H)).astype(dtype) for _ in range(n_states)]
    dhs = rng.normal(size=(T, *batch, H)).astype(dtype)
    dstate = [rng.normal(size=(*batch, H)).astype(dtype) for _ in range(n_states)]
    return layer, xs, states, dhs, dstate


def forward_backward(layer, xs, states, dhs, dstate):
    lstm = isinstance(layer, LSTM)
    (hs, final), cache = layer.forward(xs, tuple(states) if lstm else states[0])
    grads = layer.backward(dhs, cache, tuple(dstate) if lstm else dstate[0])
    return hs, (list(final) if lstm else [final]), cache, grads


@SETTINGS
@given(problems())
def test_layer_agrees_with_torch_on_random_shapes(problem):
    layer, xs, states, dhs, dstate = build(*problem)
    hs, finals, _, grads = forward_backward(layer, xs, states, dhs, dstate)
    module = layer.to_torch()
    x = torch.tensor(xs, requires_grad=True)
    s0 = [torch.tensor(s[None], requires_grad=True) for s in states]
    t_hs, t_final = module(x, tuple(s0) if len(s0) == 2 else s0[0])
    t_finals = list(t_final) if isinstance(t_final, tuple) else [t_final]
    loss = (t_hs * torch.tensor(dhs)).sum()
    for f, d in zip(t_finals, dstate, strict=True):
        loss = loss + (f[0] * torch.tensor(d)).sum()
    loss.backward()
    np.testing.assert_allclose(hs, t_hs.detach().numpy(), rtol=0, atol=1e-10)
    for ours, theirs in zip(finals, t_finals, strict=True):
        np.testing.assert_allclose(ours, theirs[0].detach().numpy(), rtol=0, atol=1e-10)
    np.testing.assert_allclose(grads["input"], x.grad.numpy(), rtol=0, atol=1e-10)
    for key, s in zip(("h0", "c0"), s0, strict=False):
        np.testing.assert_allclose(grads[key], s.grad[0].numpy(), rtol=0, atol=1e-10)
    for key in PARAMS:
        expected = getattr(module, key + "_l0").grad.numpy()
        np.testing.assert_allclose(grads[key], expected, rtol=0, atol=1e-10, err_msg=key)


@SETTINGS
@given(problems(max_scale=1e3), st.sampled_from([np.float64, np.float32]))
def test_large_pre_activations_stay_finite_and_silent(problem, dtype):
    layer, xs, states, dhs, dstate = build(*problem, dtype=dtype)
    kind = problem[0]
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        hs, finals, cache, grads = forward_backward(layer, xs, states, dhs, dstate)
    assert hs.dtype == dtype
    assert np.all(np.isfinite(hs)) and all(np.all(np.isfinite(f)) for f in finals)
    assert all(np.all(np.isfinite(g)) for g in grads.values())
    if kind != "rnn_relu":
        assert np.all(np.abs(hs) <= 1)
    if kind == "lstm":
        for gate in (cache.i, cache.f, cache.o):
            assert np.all((gate >= 0) & (gate <= 1))


@SETTINGS
@given(problems())
def test_stepping_the_cell_equals_the_layer(problem):
    kind = problem[0]
    layer, xs, states, _, _ = build(*problem)
    _, cell_cls, kwargs = LAYERS[kind]
    cell = cell_cls(layer.input_size, layer.hidden_size, **kwargs)
    for key in PARAMS:
        setattr(cell, key, getattr(layer, key))
    lstm = kind == "lstm"
    (hs, _), _ = layer.forward(xs, tuple(states) if lstm else states[0])
    state = tuple(states) if lstm else states[0]
    for t, x in enumerate(xs):
        state = cell(x, state)
        np.testing.assert_allclose(state[0] if lstm else state, hs[t], rtol=0, atol=1e-13)


@SETTINGS
@given(problems())
def test_unbatched_equals_a_batch_of_one(problem):
    kind, T, _, I, H, seed, scale = problem  # noqa: E741
    layer, xs, states, dhs, dstate = build(kind, T, None, I, H, seed, scale)
    hs, finals, _, grads = forward_backward(layer, xs, states, dhs, dstate)
    xs1, dhs1 = xs[:, None], dhs[:, None]  # (T, 1, I), (T, 1, H)
    states1, dstate1 = [s[None] for s in states], [d[None] for d in dstate]  # (1, H) each
    hs1, finals1, _, grads1 = forward_backward(layer, xs1, states1, dhs1, dstate1)
    np.testing.assert_array_equal(hs, hs1[:, 0])
    for a, b in zip(finals, finals1, strict=True):
        np.testing.assert_array_equal(a, b[0])
    assert set(grads) == set(grads1)
    np.testing.assert_allclose(grads["input"], grads1["input"][:, 0], rtol=0, atol=1e-14)
    for key in grads1:
        expected = grads1[key][0] if key in ("h0", "c0") else grads1[key]
        if key != "input":
            np.testing.assert_allclose(grads[key], expected, rtol=0, atol=1e-14, err_msg=key)


@settings(max_examples=50, deadline=None, derandomize=True)
@given(st.lists(st.floats(-1e3, 1e3), min_size=1, max_size=20))
def test_sigmoid_symmetry_and_range(values):
    x = np.array(values)
    s = sigmoid(x)
    assert np.all((s >= 0) & (s <= 1))
    np.testing.assert_allclose(s + sigmoid(-x), 1.0, rtol=0, atol=1e-15)
    np.testing.assert_allclose(sigmoid_grad(x), sigmoid_grad(-x), rtol=0, atol=1e-15)
    assert np.all((sigmoid_grad(x) >= 0) & (sigmoid_grad(x) <= 0.25))
    assert np.all((tanh_grad(x) >= 0) & (tanh_grad(x) <= 1))
