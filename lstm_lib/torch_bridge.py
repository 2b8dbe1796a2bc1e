"""Move weights between lstm_lib and ``torch.nn`` (torch is imported only here, lazily).

This module imports nothing from the rest of the library: the cells and layers call
it (lazily, from :class:`~lstm_lib.base.Recurrent`), and it reads the parameter names
from the class it is given, so there is no import circle.

Cells map to ``torch.nn.LSTMCell``/``GRUCell``/``RNNCell``; layers to single-layer,
unidirectional ``torch.nn.LSTM``/``GRU``/``RNN`` with ``batch_first=False``, whose
parameters carry the suffix ``_l0``. The gate order is the same on both sides, so the
arrays are copied as they are.
"""

from __future__ import annotations

import numpy as np

__all__ = ["from_torch", "to_torch"]

_NUMPY_DTYPES = {"torch.float32": np.float32, "torch.float64": np.float64}


def _torch_class(cls):
    import torch

    return getattr(torch.nn, cls.__name__)


def _is_layer(cls):
    return cls.__name__ in ("LSTM", "GRU", "RNN")


def from_torch(cls, module):
    """Build ``cls`` (an lstm_lib cell or layer) with a copy of ``module``'s weights.

    Raises
    ------
    TypeError
        ``module`` is not the matching ``torch.nn`` class, or its dtype is not float32/64.
    ValueError
        A layer that is multi-layer, bidirectional, batch-first, projected or bias-free.
    """
    torch_cls = _torch_class(cls)
    name = cls.__name__
    if not isinstance(module, torch_cls):
        raise TypeError(f"{name}.from_torch: expected torch.nn.{name}, got {type(module).__name__}")
    if not module.bias:
        raise ValueError(f"{name}.from_torch: expected a module with biases, got bias=False")
    suffix = ""
    if _is_layer(cls):
        suffix = "_l0"
        layout = (
            module.num_layers,
            module.bidirectional,
            module.batch_first,
            getattr(module, "proj_size", 0),
        )
        if layout != (1, False, False, 0):
            raise ValueError(
                f"{name}.from_torch: expected num_layers=1, bidirectional=False, "
                f"batch_first=False, proj_size=0, got {layout}"
            )
    dtype = _NUMPY_DTYPES.get(str(module.weight_ih_l0.dtype if suffix else module.weight_ih.dtype))
    if dtype is None:
        raise TypeError(f"{name}.from_torch: expected float32 or float64 weights")
    kwargs = {"nonlinearity": module.nonlinearity} if hasattr(module, "nonlinearity") else {}
    ours = cls(module.input_size, module.hidden_size, dtype=dtype, **kwargs)
    for key in cls.parameter_names:
        tensor = getattr(module, key + suffix)
        setattr(ours, key, tensor.detach().cpu().numpy().astype(dtype, copy=True))
    return ours


def to_torch(ours, dtype=None):
    """Return the matching ``torch.nn`` module holding a copy of ``ours``' weights.

    Parameters
    ----------
    ours : lstm_lib cell or layer
    dtype : torch.dtype, optional
        Defaults to ``ours.dtype``.
    """
    import torch

    cls = type(ours)
    if dtype is None:
        dtype = torch.float32 if ours.dtype == np.float32 else torch.float64
    kwargs = {"nonlinearity": ours.nonlinearity} if hasattr(ours, "nonlinearity") else {}
    module = _torch_class(cls)(ours.input_size, ours.hidden_size, dtype=dtype, **kwargs)
    suffix = "_l0" if _is_layer(cls) else ""
    with torch.no_grad():
        for key in cls.parameter_names:
            getattr(module, key + suffix).copy_(torch.from_numpy(np.array(getattr(ours, key))))
    return module
