"""Elementwise nonlinearities of the gates and their derivatives.

The derivatives take the *pre-activation* ``z`` (what the gate saw), not the
activation, so that ``sigmoid_grad(z) == d sigmoid(z) / dz`` reads like the maths.
The layers use the identities in the Notes (``s * (1 - s)``, ``1 - t**2``) on the
stored activations instead, which saves recomputing the exponentials.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh", "sigmoid_grad", "tanh_grad", "sigmoid_inplace"]


def sigmoid(x, out=None):
    r"""Logistic sigmoid, stable for any finite input.

    Parameters
    ----------
    x : array_like
        Pre-activation, any shape.
    out : ndarray, optional
        Buffer of ``x``'s shape and dtype to write into (used in the hot loops).

    Returns
    -------
    ndarray
        :math:`\sigma(x) = 1 / (1 + e^{-x})`, same shape as ``x``, in :math:`[0, 1]`.

    Notes
    -----
    For very negative ``x`` the exponential :math:`e^{-x}` overflows to ``inf`` and
    :math:`1 / (1 + \infty) = 0` is the exact limit, so the overflow is expected and
    silenced here; for very positive ``x``, :math:`e^{-x}` underflows to 0 (also
    silenced) and the result is exactly 1. This is the same formula ``torch.sigmoid`` evaluates.
    """
    x = np.asarray(x)
    if out is None:
        out = np.empty_like(x, dtype=np.result_type(x, np.float16))
    with np.errstate(over="ignore", under="ignore"):
        return sigmoid_inplace(x, out)


def sigmoid_inplace(z, out):
    """Write ``sigmoid(z)`` into ``out`` (may be ``z`` itself) with no temporary arrays.

    The hot loops call this inside one ``np.errstate(over="ignore", under="ignore")``
    for the whole sequence; see :func:`sigmoid` for why the overflow is harmless.
    """
    np.negative(z, out=out)
    np.exp(out, out=out)
    out += 1
    return np.reciprocal(out, out=out)


def tanh(x, out=None):
    r"""Hyperbolic tangent :math:`\tanh(x) = (e^{x} - e^{-x}) / (e^{x} + e^{-x})`, in :math:`[-1, 1]`.

    Parameters
    ----------
    x : array_like
        Pre-activation, any shape.
    out : ndarray, optional
        Buffer to write into.

    Returns
    -------
    ndarray
        Same shape as ``x``.
    """
    return np.tanh(x, out=out)


def sigmoid_grad(z):
    r"""Derivative of the sigmoid at the pre-activation ``z``.

    Parameters
    ----------
    z : array_like
        Pre-activation, any shape.

    Returns
    -------
    ndarray
        :math:`\sigma'(z) = \sigma(z)\,(1 - \sigma(z))`, same shape as ``z``, in :math:`[0, 1/4]`.
    """
    s = sigmoid(z)
    return s * (1 - s)


def tanh_grad(z):
    r"""Derivative of tanh at the pre-activation ``z``.

    Parameters
    ----------
    z : array_like
        Pre-activation, any shape.

    Returns
    -------
    ndarray
        :math:`\tanh'(z) = 1 - \tanh(z)^2`, same shape as ``z``, in :math:`[0, 1]`.
    """
    t = np.tanh(z)
    return 1 - t * t
