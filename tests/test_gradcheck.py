"""Finite differences, the second oracle: every parameter and input of every cell and layer.

Shapes: T time, N batch, I input features, H hidden units.
"""

import numpy as np
import pytest

from lstm_lib import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell, rel_error
from lstm_lib.gradcheck import numerical_gradient

CELLS = {
    "lstm": (LSTMCell, {}),
    "gru": (GRUCell, {}),
    "rnn_tanh": (RNNCell, {"nonlinearity": "tanh"}),
    "rnn_relu": (RNNCell, {"nonlinearity": "relu"}),
}
LAYERS = {
    "lstm": (LSTM, {}),
    "gru": (GRU, {}),
    "rnn_tanh": (RNN, {"nonlinearity": "tanh"}),
    "rnn_relu": (RNN, {"nonlinearity": "relu"}),
}
PARAMS = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
TOL = 1e-7
# the five-point stencil: truncation O(eps**4) and rounding ~1e-16/eps stay far below TOL,
# whereas the two-point one leaves ~1e-11 absolute noise, too much for entries near 1e-4
STENCIL = {"eps": 1e-3, "order": 4}


def test_numerical_gradient_of_a_known_function():
    x = np.array([[0.5, -1.0], [2.0, 3.0]])
    dout = np.array([[1.0, 2.0], [-1.0, 0.5]])
    grad = numerical_gradient(lambda x: x**3, x, dout)
    np.testing.assert_allclose(grad, 3 * x**2 * dout, rtol=1e-8)
    np.testing.assert_array_equal(x, [[0.5, -1.0], [2.0, 3.0]])  # restored


def test_five_point_stencil_is_more_accurate():
    x = np.array([0.3, -0.7, 1.1])
    dout = np.ones(3)
    exact = np.cos(x)
    two = numerical_gradient(np.sin, x, dout, eps=1e-3)
    four = numerical_gradient(np.sin, x, dout, eps=1e-3, order=4)
    assert rel_error(four, exact) < 1e-11 < rel_error(two, exact)
    with pytest.raises(ValueError, match="order"):
        numerical_gradient(np.sin, x, dout, order=3)


def test_rel_error():
    assert rel_error(np.ones(3), np.ones(3)) == 0.0
    assert rel_error([1.0, 2.0], [1.0, 2.0 + 4e-6]) == pytest.approx(1e-6, rel=1e-3)
    assert rel_error([0.0], [1e-12]) < 1e-3  # tiny absolute differences are not blown up
    with pytest.raises(ValueError, match="same shape"):
        rel_error(np.ones(3), np.ones((3, 1)))


def test_numerical_gradient_refuses_non_float():
    with pytest.raises(TypeError, match="numerical_gradient"):
        numerical_gradient(lambda x: x, np.arange(3), np.ones(3))


def cell_problem(kind, batched=True):
    cls, kwargs = CELLS[kind]
    N, I, H = 3, 4, 3  # noqa: E741
    cell = cls(I, H, seed=1, **kwargs)
    rng = np.random.default_rng(2)
    batch = (N,) if batched else ()
    x = rng.normal(size=(*batch, I))
    states = [rng.normal(size=(*batch, H)) for _ in range(2 if kind == "lstm" else 1)]
    douts = [rng.normal(size=(*batch, H)) for _ in states]
    return cell, x, states, douts


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("kind", list(CELLS))
def test_cell_gradients_match_finite_differences(kind, batched):
    cell, x, states, douts = cell_problem(kind, batched)
    lstm = kind == "lstm"

    def loss_parts():
        out, _ = cell.forward(x, tuple(states) if lstm else states[0])
        return np.concatenate([np.ravel(o) for o in (out if lstm else [out])])

    dout_flat = np.concatenate([d.ravel() for d in douts])
    _, cache = cell.forward(x, tuple(states) if lstm else states[0])
    grads = cell.backward(tuple(douts) if lstm else douts[0], cache)
    wrt = {"input": x, "h_prev": states[0], **{k: getattr(cell, k) for k in PARAMS}}
    if lstm:
        wrt["c_prev"] = states[1]
    assert set(wrt) == set(grads)
    for key, array in wrt.items():
        numeric = numerical_gradient(lambda _: loss_parts(), array, dout_flat, **STENCIL)
        assert rel_error(grads[key], numeric) <= TOL, key


@pytest.mark.parametrize("batched", [True, False])
@pytest.mark.parametrize("kind", list(LAYERS))
def test_layer_gradients_match_finite_differences(kind, batched):
    cls, kwargs = LAYERS[kind]
    T, N, I, H = 4, 2, 3, 3  # noqa: E741
    layer = cls(I, H, seed=3, **kwargs)
    rng = np.random.default_rng(4)
    batch = (N,) if batched else ()
    xs = rng.normal(size=(T, *batch, I))
    lstm = kind == "lstm"
    states = [rng.normal(size=(*batch, H)) for _ in range(2 if lstm else 1)]
    dhs = rng.normal(size=(T, *batch, H))
    dfinal = [rng.normal(size=(*batch, H)) for _ in states]

    def outputs():
        (hs, final), _ = layer.forward(xs, tuple(states) if lstm else states[0])
        finals = final if lstm else [final]
        return np.concatenate([hs.ravel(), *[f.ravel() for f in finals]])

    dout_flat = np.concatenate([dhs.ravel(), *[d.ravel() for d in dfinal]])
    _, cache = layer.forward(xs, tuple(states) if lstm else states[0])
    grads = layer.backward(dhs, cache, tuple(dfinal) if lstm else dfinal[0])
    wrt = {"input": xs, "h0": states[0], **{k: getattr(layer, k) for k in PARAMS}}
    if lstm:
        wrt["c0"] = states[1]
    assert set(wrt) == set(grads)
    for key, array in wrt.items():
        numeric = numerical_gradient(lambda _: outputs(), array, dout_flat, **STENCIL)
        assert rel_error(grads[key], numeric) <= TOL, key
