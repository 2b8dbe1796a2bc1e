"""Synthetic sequence tasks that need memory over a chosen lag.

Each task returns a batch of ``N`` sequences, time-major like the rest of the course:
inputs of shape ``(T, N, I)`` and targets whose shape the task documents. The lag
between the evidence and the moment it is needed is a parameter, so a chapter can ask
"how far back can this model remember?" and measure the answer.

Every function is seeded: the same ``seed`` gives the same batch, bit for bit. Arrays
are NumPy (``float32`` inputs, ``int64`` class targets); ``as_torch=True`` returns
torch tensors instead (torch is imported only then).

Letters: N batch, T time, I input features, K number of symbols.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["adding_problem", "copy_task", "delayed_recall", "recall_input_size"]


def _check_int(where: str, name: str, value, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{where}: expected {name} to be an integer, got {type(value).__name__}")
    if value < minimum:
        raise ValueError(f"{where}: expected {name} >= {minimum}, got {value}")
    return int(value)


def _maybe_torch(as_torch: bool, *arrays: np.ndarray):
    if not as_torch:
        return arrays
    import torch

    return tuple(torch.from_numpy(np.ascontiguousarray(a)) for a in arrays)


def recall_input_size(n_symbols: int) -> int:
    """Number of input features of :func:`delayed_recall`: K symbols, a blank and a cue."""
    return _check_int("recall_input_size", "n_symbols", n_symbols, 2) + 2


def delayed_recall(
    n: int,
    lag: int,
    *,
    n_symbols: int = 4,
    seed: int | None = None,
    as_torch: bool = False,
):
    """Show a symbol, wait ``lag`` steps, then ask for it back.

    Step 0 carries one of ``K = n_symbols`` symbols (one-hot). Steps 1 … lag-1 carry
    a "blank" marker, and the last step, ``t = lag``, carries a "cue" marker that asks
    for the answer. The target is the symbol of step 0, so a model that reads its
    output at the last step must carry that one fact across ``lag`` steps. Guessing
    gives accuracy ``1 / K``.

    Parameters
    ----------
    n : int
        Batch size N (>= 1).
    lag : int
        Steps between the symbol and the cue (>= 1); the sequence has ``T = lag + 1`` steps.
    n_symbols : int
        K, the number of symbols to choose from (>= 2).
    seed : int or None
        Seed of ``np.random.default_rng``; the same seed gives the same batch.
    as_torch : bool
        Return torch tensors instead of NumPy arrays.

    Returns
    -------
    x : array (T, N, K + 2), float32
        Channels 0 … K-1: the symbol; channel K: blank; channel K+1: cue.
    y : array (N,), int64
        The symbol to recall, in ``0 … K-1``.

    Raises
    ------
    TypeError, ValueError
        If a size is not an integer or is out of range.
    """
    n = _check_int("delayed_recall", "n", n, 1)
    lag = _check_int("delayed_recall", "lag", lag, 1)
    K = _check_int("delayed_recall", "n_symbols", n_symbols, 2)
    rng = np.random.default_rng(seed)
    T = lag + 1
    y = rng.integers(0, K, size=n).astype(np.int64)  # (N,)
    x = np.zeros((T, n, K + 2), dtype=np.float32)  # (T, N, K+2)
    x[0, np.arange(n), y] = 1.0
    x[1:lag, :, K] = 1.0  # blank steps
    x[lag, :, K + 1] = 1.0  # the cue: answer now
    return _maybe_torch(as_torch, x, y)


def adding_problem(
    n: int,
    length: int,
    *,
    seed: int | None = None,
    as_torch: bool = False,
):
    """The adding problem of Hochreiter and Schmidhuber (1997), in its common modern form.

    Each step carries two features: a random number drawn uniformly from ``[0, 1)`` and
    a marker that is 1 at exactly two steps and 0 elsewhere. One marked step lies in
    the first half of the sequence, the other in the second half. The target is the
    sum of the two marked numbers, so the model must keep the first one for about
    ``length / 2`` steps. Always predicting the mean, 1, gives a mean squared error of
    1/6 ≈ 0.167 (the variance of a sum of two uniforms).

    Parameters
    ----------
    n : int
        Batch size N (>= 1).
    length : int
        Sequence length T (>= 2).
    seed : int or None
        Seed of ``np.random.default_rng``.
    as_torch : bool
        Return torch tensors instead of NumPy arrays.

    Returns
    -------
    x : array (T, N, 2), float32
        Feature 0: the numbers; feature 1: the markers.
    y : array (N,), float32
        The sum of the two marked numbers, in ``[0, 2)``.
    """
    n = _check_int("adding_problem", "n", n, 1)
    T = _check_int("adding_problem", "length", length, 2)
    rng = np.random.default_rng(seed)
    values = rng.random((T, n)).astype(np.float32)  # (T, N)
    half = T // 2
    first = rng.integers(0, half, size=n)  # (N,)
    second = rng.integers(half, T, size=n)  # (N,)
    markers = np.zeros((T, n), dtype=np.float32)  # (T, N)
    cols = np.arange(n)
    markers[first, cols] = 1.0
    markers[second, cols] = 1.0
    x = np.stack([values, markers], axis=-1)  # (T, N, 2)
    y = (values[first, cols] + values[second, cols]).astype(np.float32)  # (N,)
    return _maybe_torch(as_torch, x, y)


def copy_task(
    n: int,
    lag: int,
    *,
    n_symbols: int = 8,
    length: int = 5,
    seed: int | None = None,
    as_torch: bool = False,
):
    """Read ``length`` symbols, wait ``lag`` steps, then write them back in order.

    The sequence has ``T = length + lag + length`` steps. The first ``length`` steps
    carry random symbols (one-hot over K); the following steps carry a blank marker,
    except step ``length + lag - 1``, which carries a "go" marker. During the last
    ``length`` steps the target is the stored sequence; at every other step the target
    is the blank class ``K``. This is the copy task used to probe long memory since
    Hochreiter and Schmidhuber (1997).

    Returns
    -------
    x : array (T, N, K + 2), float32
        Channels 0 … K-1: symbols; channel K: blank; channel K+1: go.
    y : array (T, N), int64
        Class per step, in ``0 … K`` (``K`` = "blank, output nothing").
    """
    n = _check_int("copy_task", "n", n, 1)
    lag = _check_int("copy_task", "lag", lag, 1)
    K = _check_int("copy_task", "n_symbols", n_symbols, 2)
    S = _check_int("copy_task", "length", length, 1)
    rng = np.random.default_rng(seed)
    T = S + lag + S
    symbols = rng.integers(0, K, size=(S, n))  # (S, N)
    x = np.zeros((T, n, K + 2), dtype=np.float32)  # (T, N, K+2)
    steps = np.arange(S)[:, None]
    x[steps, np.arange(n)[None, :], symbols] = 1.0
    x[S:, :, K] = 1.0
    x[S + lag - 1, :, K] = 0.0
    x[S + lag - 1, :, K + 1] = 1.0  # go
    y = np.full((T, n), K, dtype=np.int64)  # (T, N)
    y[T - S :] = symbols
    return _maybe_torch(as_torch, x, y)
