"""Checks at the public boundary: every message names the class, what was expected and what came.

Shapes: N batch, T time, I input features, H hidden units. These run once per call,
never inside the time loop.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = [
    "check_size",
    "check_dtype",
    "as_array",
    "check_input",
    "check_state",
    "check_grad",
    "check_sequence_grads",
    "unpack_pair",
]

_FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def check_size(owner, name, value):
    """Return ``value`` as an int if it is a positive integer, else raise.

    Raises
    ------
    TypeError
        ``value`` is not an integer (``True``/``False`` and ``3.0`` are refused too).
    ValueError
        ``value`` is zero or negative.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{owner}: expected {name} to be a positive int, got {value!r}")
    if value <= 0:
        raise ValueError(f"{owner}: expected {name} to be a positive int, got {value}")
    return int(value)


def check_dtype(owner, dtype):
    """Return ``np.dtype(dtype)`` if it is float32 or float64, else raise TypeError."""
    try:
        resolved = np.dtype(dtype) if dtype is not None else None
    except TypeError:
        resolved = None
    # np.dtype(None) is float64 and compares equal to None, hence the explicit test
    if resolved is None or resolved not in _FLOAT_DTYPES:
        raise TypeError(f"{owner}: expected dtype float32 or float64, got {dtype!r}")
    return resolved


def as_array(owner, name, value, dtype):
    """Convert ``value`` to an ndarray of ``dtype``.

    Real numbers (bool, int, float) are cast to the cell's dtype; complex numbers,
    strings and objects raise ``TypeError`` instead of being silently truncated.
    """
    array = np.asarray(value)
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{owner}: expected {name} to hold real numbers, got dtype {array.dtype}")
    return array.astype(dtype, copy=False)


def check_input(owner, name, value, feature_size, dtype, *, sequence):
    """Validate and cast an input: ``(N, I)``/``(I,)`` for a cell, ``(T, N, I)``/``(T, I)`` for a layer.

    Returns
    -------
    array : ndarray
        The input, cast to ``dtype``, always batched: ``(N, I)`` or ``(T, N, I)``.
    batched : bool
        False if the caller passed the unbatched form.
    """
    array = as_array(owner, name, value, dtype)
    batched_ndim = 3 if sequence else 2
    lead = "(T, N, " if sequence else "(N, "
    unbatched = "(T, " if sequence else "("
    expected = f"{lead}{feature_size}) or {unbatched}{feature_size}{',' if not sequence else ''})"
    if array.ndim not in (batched_ndim, batched_ndim - 1) or array.shape[-1] != feature_size:
        raise ValueError(f"{owner}: expected {name} of shape {expected}, got {array.shape}")
    if sequence and array.shape[0] == 0:
        raise ValueError(f"{owner}: expected {name} with at least one time step, got {array.shape}")
    batched = array.ndim == batched_ndim
    if not batched:
        array = array[..., None, :]  # add N = 1
    return array, batched


def check_state(owner, name, value, batch_size, hidden_size, dtype, batched):
    """Validate one state array (``h`` or ``c``) against the input's batch size.

    A missing state (``None``) becomes zeros of shape ``(N, H)``. Returns the state
    batched, ``(N, H)``, cast to ``dtype``; it is never broadcast.
    """
    if value is None:
        return np.zeros((batch_size, hidden_size), dtype=dtype)
    array = as_array(owner, name, value, dtype)
    expected = (batch_size, hidden_size) if batched else (hidden_size,)
    if array.shape != expected:
        raise ValueError(
            f"{owner}: expected {name} of shape {expected} to match the input, got {array.shape}"
        )
    return array if batched else array[None, :]


def unpack_pair(owner, state, names=("h", "c")):
    """Split an LSTM state into ``(h, c)``; ``None`` gives ``(None, None)``."""
    if state is None:
        return None, None
    if not isinstance(state, (tuple, list)) or len(state) != 2:
        got = (
            f"{type(state).__name__} of length {len(state)}"
            if isinstance(state, (tuple, list))
            else type(state).__name__
        )
        raise ValueError(
            f"{owner}: expected state to be a tuple ({names[0]}, {names[1]}), got {got}"
        )
    return state[0], state[1]


def check_grad(owner, name, value, shape, dtype):
    """Validate an upstream gradient of exactly ``shape``; ``None`` means zeros."""
    if value is None:
        return np.zeros(shape, dtype=dtype)
    array = as_array(owner, name, value, dtype)
    if array.shape != tuple(shape):
        raise ValueError(f"{owner}: expected {name} of shape {tuple(shape)}, got {array.shape}")
    return array


def check_sequence_grads(owner, cache, dhs, **final_states):
    """Validate the upstream gradients of a layer's backward pass.

    ``dhs`` must have the shape of the outputs (T, N, H), or (T, H) for unbatched input,
    or be None; each final-state gradient (``dh_T=...``, ``dc_T=...``) the shape of a
    state, (N, H) or (H,), None meaning zeros.

    Returns
    -------
    dhs : ndarray (T, N, H) or None
    state_grads : list of ndarray (N, H)
        Fresh writable copies, in the order given, for the time loop to accumulate into.
    """
    T, N, H = cache.h.shape
    dtype = cache.h.dtype
    seq_shape, state_shape = ((T, N, H), (N, H)) if cache.batched else ((T, H), (H,))
    if dhs is not None:
        dhs = check_grad(owner, "dhs", dhs, seq_shape, dtype).reshape(T, N, H)
    state_grads = [
        check_grad(owner, label, value, state_shape, dtype).reshape(N, H).copy()
        for label, value in final_states.items()
    ]
    return dhs, state_grads
