"""Elementwise nonlinearities of the gates and their derivatives.

The derivatives take the *pre-activation* ``z`` (what the gate saw), not the
activation, so that ``sigmoid_grad(z) == d sigmoid(z) / dz`` reads like the maths.
The layers use the identities in the Notes (``s * (1 - s)``, ``1 - t**2``) on the
stored activations instead, which saves recomputing the exponentials.
"""

from __future__ import annotations

import numpy as np

__all__ = ["sigmoid", "tanh", "sigmoid_grad", "tanh_grad"]


def sigmoid(x, out=None):
    r"""Logistic sigmoid, stable and silent for any finite input.

    Parameters
    ----------
    x : array_like
        Pre-activation, any shape.
    out : ndarray, optional
        Buffer of ``x``'s shape and dtype to write into (may be ``x`` itself).

    Returns
    -------
    ndarray
        :math:`\sigma(x) = 1 / (1 + e^{-x})`, same shape as ``x``, in :math:`[0, 1]`.

    Notes
    -----
    Only :math:`e = e^{-|x|} \in (0, 1]` is ever computed, so nothing overflows:

    .. math::

        \sigma(x) = \frac{1}{1 + e} \quad (x \ge 0), \qquad
        \sigma(x) = \frac{e}{1 + e} = \frac{e^{x}}{1 + e^{x}} \quad (x < 0).

    The second form keeps the tiny values of :math:`\sigma` for very negative ``x``: in
    float64, for :math:`-745.1 < x < -708.4` the result is a subnormal number close to
    :math:`e^{x}`, where the textbook form :math:`1 / (1 + e^{-x})` overflows to
    :math:`1/\infty = 0` from :math:`x < -709.8` on. Below about :math:`-745.1` the true
    value is less than half the smallest subnormal and rounds to 0; the underflow of
    :math:`e` there is expected and silenced. Chapter 2 measures the rounding error
    (within 2 units in the last place wherever the result is a normal number).
    """
    x = np.asarray(x)
    dtype = np.result_type(x, np.float16)
    if out is None:
        out = np.empty_like(x, dtype=dtype)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x, dtype=dtype))  # e^{-|x|}, in (0, 1]
        numerator = np.where(x >= 0, dtype.type(1), e)  # 1 for x >= 0, e^{x} for x < 0
        return np.divide(numerator, 1 + e, out=out)


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
