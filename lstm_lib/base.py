"""Parameters shared by every cell and layer: PyTorch's names, shapes and initialisation.

Shapes: I input features, H hidden units, G gates (4 for the LSTM, 3 for the GRU,
1 for the plain RNN). The weights are plain, writable NumPy arrays.
"""

from __future__ import annotations

import numpy as np

from .validation import check_dtype, check_size

__all__ = ["Recurrent"]

PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


class Recurrent:
    """Base of all cells and layers: holds ``weight_ih`` (GH, I), ``weight_hh`` (GH, H),
    ``bias_ih`` (GH,) and ``bias_hh`` (GH,).

    Parameters
    ----------
    input_size : int
        I, features per input vector.
    hidden_size : int
        H, units in the hidden state.
    dtype : {np.float64, np.float32}, optional
        Dtype of the parameters and of every computation.
    seed : int or np.random.Generator, optional
        Seed of ``np.random.default_rng``; every parameter is drawn uniformly from
        :math:`[-1/\\sqrt{H}, 1/\\sqrt{H}]`, as PyTorch does.
    """

    gates = 1  # G, overridden by subclasses
    parameter_names = PARAMETER_NAMES  # also the keys of ``backward``'s gradients

    def __init__(self, input_size, hidden_size, *, dtype=np.float64, seed=None):
        name = type(self).__name__
        self.input_size = check_size(name, "input_size", input_size)
        self.hidden_size = check_size(name, "hidden_size", hidden_size)
        self.dtype = check_dtype(name, dtype)
        rng = np.random.default_rng(seed)
        bound = 1.0 / np.sqrt(self.hidden_size)
        GH, I, H = self.gates * self.hidden_size, self.input_size, self.hidden_size  # noqa: E741
        self.weight_ih = rng.uniform(-bound, bound, (GH, I)).astype(self.dtype)
        self.weight_hh = rng.uniform(-bound, bound, (GH, H)).astype(self.dtype)
        self.bias_ih = rng.uniform(-bound, bound, GH).astype(self.dtype)
        self.bias_hh = rng.uniform(-bound, bound, GH).astype(self.dtype)

    def parameters(self):
        """Return the four parameters in a dict keyed like the gradients of ``backward``."""
        return {name: getattr(self, name) for name in self.parameter_names}

    @classmethod
    def from_torch(cls, module):
        """Build this class from the matching ``torch.nn`` module, copying its weights.

        The dtype follows the module's (float32 or float64). Needs torch.
        """
        from .torch_bridge import from_torch

        return from_torch(cls, module)

    def to_torch(self, dtype=None):
        """Return the matching ``torch.nn`` module holding a copy of these weights.

        Parameters
        ----------
        dtype : torch.dtype, optional
            Defaults to the dtype of this object (float32 or float64).
        """
        from .torch_bridge import to_torch

        return to_torch(self, dtype)

    def __call__(self, x, state=None):
        out, _ = self.forward(x, state)
        return out

    def __repr__(self):
        extra = f", nonlinearity={self.nonlinearity!r}" if hasattr(self, "nonlinearity") else ""
        return (
            f"{type(self).__name__}({self.input_size}, {self.hidden_size}{extra}, "
            f"dtype=np.{self.dtype.name})"
        )
