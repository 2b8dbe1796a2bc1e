"""Centred-difference gradient checks, the second oracle next to PyTorch.

Usage: for a function ``f`` of an array ``x`` and an upstream gradient ``dout`` of
``f(x)``'s shape, ``numerical_gradient(f, x, dout)`` approximates
:math:`\\partial\\, \\mathrm{sum}(f(x) \\odot dout) / \\partial x`; compare it with the
analytic gradient using ``rel_error``.
"""

from __future__ import annotations

import numpy as np

__all__ = ["numerical_gradient", "rel_error"]


def numerical_gradient(f, x, dout, eps=1e-6, *, order=2):
    r"""Centred-difference gradient of :math:`L(x) = \sum f(x) \odot dout` with respect to ``x``.

    Parameters
    ----------
    f : callable
        Called as ``f(x)``; returns an array of ``dout``'s shape. It may also read
        ``x`` through a closure: ``x`` is the same array object, perturbed **in place**
        one entry at a time and restored.
    x : ndarray, float
        The array to differentiate with respect to (for example ``cell.weight_ih``).
    dout : array_like
        Upstream gradient, same shape as ``f(x)``.
    eps : float, optional
        Step size :math:`\epsilon`.
    order : {2, 4}, optional
        Accuracy order of the stencil; 4 costs twice as many calls.

    Returns
    -------
    ndarray
        Same shape as ``x``.

    Notes
    -----
    ``order=2`` is the classic centred difference, ``order=4`` the five-point stencil:

    .. math::

        \frac{\partial L}{\partial x_k} &\approx
        \frac{L(x + \epsilon e_k) - L(x - \epsilon e_k)}{2 \epsilon}
        \qquad \text{error } O(\epsilon^2) \\
        \frac{\partial L}{\partial x_k} &\approx
        \frac{8 [L(x + \epsilon e_k) - L(x - \epsilon e_k)]
        - [L(x + 2\epsilon e_k) - L(x - 2\epsilon e_k)]}{12 \epsilon}
        \qquad \text{error } O(\epsilon^4)

    Rounding adds about :math:`10^{-16} |f| / \epsilon`, so use float64. To reach
    relative errors near 1e-10, use ``order=4`` with ``eps=1e-3``.
    """
    if not isinstance(x, np.ndarray) or x.dtype.kind != "f":
        raise TypeError(
            f"numerical_gradient: expected x to be a float ndarray, got {type(x).__name__}"
        )
    if order not in (2, 4):
        raise ValueError(f"numerical_gradient: expected order 2 or 4, got {order!r}")
    dout = np.asarray(dout)
    flat_x = x.reshape(-1)
    if not np.shares_memory(flat_x, x):
        raise ValueError("numerical_gradient: expected x to be contiguous so it can be perturbed")
    grad = np.zeros(x.shape, dtype=float)
    flat_grad = grad.reshape(-1)
    for k in range(flat_x.size):
        diff = _output_difference(f, x, flat_x, k, eps)  # f(x + eps) - f(x - eps)
        if order == 4:
            diff = (8 * diff - _output_difference(f, x, flat_x, k, 2 * eps)) / 6
        # weight the output differences, not the outputs: no cancellation in the sum
        flat_grad[k] = np.sum(diff * dout) / (2 * eps)
    return grad


def _output_difference(f, x, flat_x, k, step):
    saved = flat_x[k]
    flat_x[k] = saved + step
    plus = np.array(f(x), dtype=float)  # a copy: f may return a buffer it reuses
    flat_x[k] = saved - step
    minus = np.asarray(f(x), dtype=float)
    flat_x[k] = saved
    return plus - minus


def rel_error(a, b):
    r"""Largest elementwise relative error, :math:`\max |a - b| / \max(10^{-8}, |a| + |b|)`.

    Parameters
    ----------
    a, b : array_like
        Same shape (they are not broadcast).

    Returns
    -------
    float
        0 for identical arrays; around 1e-7 or less for a correct float64 gradient.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    if a.shape != b.shape:
        raise ValueError(
            f"rel_error: expected arrays of the same shape, got {a.shape} and {b.shape}"
        )
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - b) / np.maximum(1e-8, np.abs(a) + np.abs(b))))
