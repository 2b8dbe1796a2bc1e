"""lstm_lib: small, exact, fast NumPy RNN/GRU/LSTM cells and layers for the course.

Shapes use the letters N (batch), T (time), I (input features), H (hidden units).
The numeric core needs NumPy only; ``from_torch``/``to_torch`` import torch when called.
"""

from .activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .gradcheck import numerical_gradient, rel_error
from .gru_cell import GRUCell, GRUCellCache
from .gru_layer import GRU, GRUCache
from .lstm_cell import LSTMCell, LSTMCellCache
from .lstm_layer import LSTM, LSTMCache
from .rnn_cell import RNNCell, RNNCellCache
from .rnn_layer import RNN, RNNCache

__version__ = "0.1.0"

__all__ = [
    "sigmoid",
    "tanh",
    "sigmoid_grad",
    "tanh_grad",
    "LSTMCell",
    "GRUCell",
    "RNNCell",
    "LSTM",
    "GRU",
    "RNN",
    "LSTMCellCache",
    "GRUCellCache",
    "RNNCellCache",
    "LSTMCache",
    "GRUCache",
    "RNNCache",
    "numerical_gradient",
    "rel_error",
]
