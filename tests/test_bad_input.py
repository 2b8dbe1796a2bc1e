"""Bad input raises ValueError/TypeError naming the class, what was expected and what came.

Shapes: T time, N batch, I input features (3 here), H hidden units (4 here).
"""

import re

import numpy as np
import pytest

from lstm_lib import GRU, LSTM, RNN, GRUCell, LSTMCell, RNNCell

CELLS = [LSTMCell, GRUCell, RNNCell]
LAYERS = [LSTM, GRU, RNN]
I, H = 3, 4  # noqa: E741


def state_for(cls, *shape):
    """A state of the right kind (tuple for the LSTM) with arrays of ``shape``."""
    if cls in (LSTMCell, LSTM):
        return (np.zeros(shape), np.zeros(shape))
    return np.zeros(shape)


# --- constructor -----------------------------------------------------------------------


@pytest.mark.parametrize("cls", CELLS + LAYERS)
@pytest.mark.parametrize("field", ["input_size", "hidden_size"])
@pytest.mark.parametrize("value", [0, -2])
def test_non_positive_sizes(cls, field, value):
    sizes = {"input_size": I, "hidden_size": H, field: value}
    message = f"{cls.__name__}: expected {field} to be a positive int, got {value}"
    with pytest.raises(ValueError, match=re.escape(message)):
        cls(sizes["input_size"], sizes["hidden_size"])


@pytest.mark.parametrize("cls", CELLS + LAYERS)
@pytest.mark.parametrize("value", [2.5, "3", True, None])
def test_non_integer_sizes(cls, value):
    with pytest.raises(TypeError, match=rf"{cls.__name__}: expected input_size to be a positive"):
        cls(value, H)


@pytest.mark.parametrize("cls", CELLS + LAYERS)
@pytest.mark.parametrize("dtype", [np.complex128, np.int64, np.float16, object, "banana", None])
def test_unsupported_parameter_dtype(cls, dtype):
    with pytest.raises(TypeError, match=rf"{cls.__name__}: expected dtype float32 or float64"):
        cls(I, H, dtype=dtype)


@pytest.mark.parametrize("cls", [RNNCell, RNN])
@pytest.mark.parametrize("nonlinearity", ["sigmoid", "Tanh", None, 3])
def test_bad_nonlinearity(cls, nonlinearity):
    message = f"{cls.__name__}: expected nonlinearity 'tanh' or 'relu', got {nonlinearity!r}"
    with pytest.raises(ValueError, match=re.escape(message)):
        cls(I, H, nonlinearity=nonlinearity)


# --- cells: x ----------------------------------------------------------------------------


def test_message_of_the_contract():
    message = "LSTMCell: expected x of shape (N, 3) or (3,), got (2, 4)"
    with pytest.raises(ValueError, match=re.escape(message)):
        LSTMCell(3, 5)(np.zeros((2, 4)))


@pytest.mark.parametrize("cls", CELLS)
@pytest.mark.parametrize("shape", [(), (2, 1, I), (1, 2, 2, I)])
def test_cell_wrong_ndim(cls, shape):
    message = f"{cls.__name__}: expected x of shape (N, {I}) or ({I},), got {shape}"
    with pytest.raises(ValueError, match=re.escape(message)):
        cls(I, H)(np.zeros(shape))


@pytest.mark.parametrize("cls", CELLS)
@pytest.mark.parametrize("shape", [(I + 1,), (2, I - 1), (2, 0)])
def test_cell_wrong_feature_size(cls, shape):
    with pytest.raises(ValueError, match=re.escape(f"{cls.__name__}: expected x of shape")):
        cls(I, H)(np.zeros(shape))


# --- layers: xs ---------------------------------------------------------------------------


@pytest.mark.parametrize("cls", LAYERS)
@pytest.mark.parametrize("shape", [(I,), (5, 2, 1, I)])
def test_layer_wrong_ndim(cls, shape):
    message = f"{cls.__name__}: expected xs of shape (T, N, {I}) or (T, {I}), got {shape}"
    with pytest.raises(ValueError, match=re.escape(message)):
        cls(I, H)(np.zeros(shape))


@pytest.mark.parametrize("cls", LAYERS)
def test_layer_wrong_feature_size(cls):
    message = f"{cls.__name__}: expected xs of shape (T, N, {I}) or (T, {I}), got (5, 2, {I + 2})"
    with pytest.raises(ValueError, match=re.escape(message)):
        cls(I, H)(np.zeros((5, 2, I + 2)))


@pytest.mark.parametrize("cls", LAYERS)
def test_layer_empty_sequence(cls):
    with pytest.raises(ValueError, match=rf"{cls.__name__}: expected xs with at least one"):
        cls(I, H)(np.zeros((0, 2, I)))


# --- states -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CELLS + LAYERS)
def test_batch_of_state_does_not_match_input(cls):
    x = np.zeros((5, 2, I)) if cls in LAYERS else np.zeros((2, I))
    with pytest.raises(
        ValueError, match=re.escape(f"of shape (2, {H}) to match the input, got (3, {H})")
    ):
        cls(I, H)(x, state_for(cls, 3, H))


@pytest.mark.parametrize("cls", CELLS + LAYERS)
def test_state_of_one_row_is_not_broadcast(cls):
    x = np.zeros((5, 2, I)) if cls in LAYERS else np.zeros((2, I))
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: expected h0? of shape \(2, {H}\)"):
        cls(I, H)(x, state_for(cls, 1, H))


@pytest.mark.parametrize("cls", CELLS + LAYERS)
def test_unbatched_input_needs_unbatched_state(cls):
    x = np.zeros((5, I)) if cls in LAYERS else np.zeros(I)
    with pytest.raises(
        ValueError, match=re.escape(f"of shape ({H},) to match the input, got (1, {H})")
    ):
        cls(I, H)(x, state_for(cls, 1, H))


@pytest.mark.parametrize("cls", CELLS + LAYERS)
def test_state_with_wrong_hidden_size(cls):
    x = np.zeros((5, 2, I)) if cls in LAYERS else np.zeros((2, I))
    with pytest.raises(ValueError, match=re.escape(f"to match the input, got (2, {H + 1})")):
        cls(I, H)(x, state_for(cls, 2, H + 1))


@pytest.mark.parametrize("cls", [LSTMCell, LSTM])
@pytest.mark.parametrize(
    "state, got",
    [
        (np.zeros((2, H)), "ndarray"),
        ((np.zeros((2, H)),), "tuple of length 1"),
        ((np.zeros((2, H)),) * 3, "tuple of length 3"),
    ],
)
def test_lstm_state_must_be_a_pair(cls, state, got):
    x = np.zeros((5, 2, I)) if cls is LSTM else np.zeros((2, I))
    with pytest.raises(
        ValueError, match=rf"^{cls.__name__}: expected state to be a tuple .*got {got}$"
    ):
        cls(I, H)(x, state)


@pytest.mark.parametrize("cls", [LSTMCell, LSTM])
def test_lstm_cell_state_with_wrong_shape(cls):
    x = np.zeros((5, 2, I)) if cls is LSTM else np.zeros((2, I))
    with pytest.raises(ValueError, match=rf"^{cls.__name__}: expected c0? of shape \(2, {H}\)"):
        cls(I, H)(x, (np.zeros((2, H)), np.zeros((2, H, 1))))


# --- dtypes -------------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CELLS + LAYERS)
@pytest.mark.parametrize(
    "values",
    [np.zeros((2, I), dtype=complex), np.full((2, I), "a"), np.empty((2, I), dtype=object)],
)
def test_non_real_input(cls, values):
    x = np.stack([values] * 5) if cls in LAYERS else values
    with pytest.raises(
        TypeError, match=rf"^{cls.__name__}: expected xs? to hold real numbers, got dtype"
    ):
        cls(I, H)(x)


@pytest.mark.parametrize("cls", CELLS + LAYERS)
def test_complex_state(cls):
    x = np.zeros((5, 2, I)) if cls in LAYERS else np.zeros((2, I))
    state = np.zeros((2, H), dtype=complex)
    state = (state, state) if cls in (LSTMCell, LSTM) else state
    with pytest.raises(TypeError, match=rf"^{cls.__name__}: expected (h|h0) to hold real numbers"):
        cls(I, H)(x, state)


def test_nested_lists_of_numbers_are_accepted():
    h = GRUCell(2, 3, seed=0)([[1, 2]])
    assert h.shape == (1, 3) and h.dtype == np.float64


# --- backward -----------------------------------------------------------------------------


@pytest.mark.parametrize("cls", CELLS)
def test_cell_gradient_of_the_wrong_shape(cls):
    cell = cls(I, H)
    _, cache = cell.forward(np.zeros((2, I)))
    dout = (np.zeros((3, H)), None) if cls is LSTMCell else np.zeros((3, H))
    with pytest.raises(
        ValueError, match=re.escape(f"{cls.__name__}: expected dh of shape (2, {H}), got (3, {H})")
    ):
        cell.backward(dout, cache)


@pytest.mark.parametrize("cls", LAYERS)
def test_layer_gradient_of_the_wrong_shape(cls):
    layer = cls(I, H)
    _, cache = layer.forward(np.zeros((5, 2, I)))
    with pytest.raises(
        ValueError,
        match=re.escape(f"{cls.__name__}: expected dhs of shape (5, 2, {H}), got (5, {H})"),
    ):
        layer.backward(np.zeros((5, H)), cache)
    dstate = (np.zeros(H), None) if cls is LSTM else np.zeros(H)
    with pytest.raises(
        ValueError, match=re.escape(f"{cls.__name__}: expected dh_T of shape (2, {H}), got ({H},)")
    ):
        layer.backward(None, cache, dstate)
