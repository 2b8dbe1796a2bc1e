"""lstm_lib: small, exact, fast NumPy RNN/GRU/LSTM cells and layers for the course.

The top level of the package *is* the library, and needs NumPy only:

- ``activations``: sigmoid and tanh, stable for any input, and their derivatives (ch. 2);
- ``rnn_cell``, ``lstm_cell``, ``gru_cell``: one step, written gate by gate, with a
  hand-written ``backward`` (ch. 1, 3-5, 7, 8);
- ``rnn_layer``, ``lstm_layer``, ``gru_layer``: whole sequences, fused (one input
  projection, one recurrent matmul per step), built from ``sequence``'s shared pieces
  (ch. 5-8, 12);
- ``base`` (PyTorch's parameter names, shapes and initialisation), ``validation``
  (the shape and type checks behind every error message), ``gradcheck`` (centred
  finite differences, ch. 7), ``torch_bridge`` (weights to and from ``torch.nn``;
  imports torch only when called) and ``layouts`` (the same weights in Keras',
  TensorFlow 1's, ONNX's and CS231n's layouts; the notation crosswalk page).

Three subpackages sit above it; they import the library, never the other way round:

- ``lstm_lib.lab``: the chapters' experiments (memory measurements, BPTT tools, GRU
  variants, long-range tasks, training loops, the text corpus, sampling), ch. 1-12;
- ``lstm_lib.figures``: figures and widgets (style, cell diagram, explorers), ch. 1-12;
- ``lstm_lib.checks``: the checks behind the exercises, one module per chapter.

Shapes use the letters N (batch), T (time), I (input features), H (hidden units).
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
