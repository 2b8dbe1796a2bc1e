"""The activation explorer of chapter 2: sigmoid and tanh, and their slopes, at one point.

:func:`activation_values` computes the numbers; :func:`draw_activation_explorer`
draws them. The chapter's widget calls the drawing function on every slider move,
and the static figure before the widget calls it for a few representative points,
so both show exactly the same thing.
"""

from __future__ import annotations

import numpy as np

from ..activations import sigmoid, sigmoid_grad, tanh, tanh_grad
from .plotting import color, style

__all__ = ["activation_values", "draw_activation_explorer"]


def activation_values(z):
    """Sigmoid, tanh and their derivatives at the pre-activation ``z``.

    Parameters
    ----------
    z : float
        The pre-activation.

    Returns
    -------
    dict of str to float
        ``"sigmoid"``: :math:`\\sigma(z)`; ``"sigmoid_slope"``: :math:`\\sigma'(z)`;
        ``"tanh"``: :math:`\\tanh(z)`; ``"tanh_slope"``: :math:`\\tanh'(z)`.

    Raises
    ------
    ValueError
        If ``z`` is not a finite number.
    """
    z = float(z)
    if not np.isfinite(z):
        raise ValueError(f"activation_values: expected a finite pre-activation, got {z}")
    return {
        "sigmoid": float(sigmoid(z)),
        "sigmoid_slope": float(sigmoid_grad(z)),
        "tanh": float(tanh(z)),
        "tanh_slope": float(tanh_grad(z)),
    }


def _tangent(ax, z, value, slope, half_width, colour):
    zs = np.array([z - half_width, z + half_width])
    ax.plot(zs, value + slope * (zs - z), color=colour, linestyle="--", linewidth=1)


def draw_activation_explorer(z, *, z_max=6.0, fig=None):
    """Draw sigmoid and tanh with the point ``z`` marked, and their slopes.

    Parameters
    ----------
    z : float
        Pre-activation to mark; values beyond ``±z_max`` are drawn at the edge.
    z_max : float, optional
        Half-width of the horizontal axis.
    fig : matplotlib.figure.Figure, optional
        Figure to draw into (cleared first); a new 7 x 2.8 inch figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure
        Left panel: :math:`\\sigma` and :math:`\\tanh` with their tangent lines at
        ``z``. Right panel: the derivatives :math:`\\sigma'` and :math:`\\tanh'`, with
        their values at ``z``. The numbers are in the panel titles.
    """
    import matplotlib.pyplot as plt

    values = activation_values(z)
    zs = np.linspace(-z_max, z_max, 241)
    shown = float(np.clip(z, -z_max, z_max))
    with style():
        if fig is None:
            fig = plt.figure(figsize=(7, 2.8))
        fig.clear()
        left, right = fig.subplots(1, 2)
        for name, fn, grad in (("sigmoid", sigmoid, sigmoid_grad), ("tanh", tanh, tanh_grad)):
            colour = color(name)
            left.plot(zs, fn(zs), color=colour, label=name)
            right.plot(zs, grad(zs), color=colour, label=f"{name}'")
            _tangent(left, shown, values[name], values[f"{name}_slope"], 1.5, colour)
            left.plot([shown], [values[name]], "o", color=colour)
            right.plot([shown], [values[f"{name}_slope"]], "o", color=colour)
        for ax in (left, right):
            ax.axvline(shown, color="0.5", linewidth=0.8)
            ax.set_xlabel("pre-activation z")
            ax.set_xlim(-z_max, z_max)
            ax.legend(loc="upper left")
        left.set_ylim(-1.2, 1.2)
        right.set_ylim(-0.05, 1.1)
        left.set_title(f"z = {z:g}: σ = {values['sigmoid']:.3f}, tanh = {values['tanh']:.3f}")
        right.set_title(
            f"slopes: σ' = {values['sigmoid_slope']:.3f}, tanh' = {values['tanh_slope']:.3f}"
        )
        fig.tight_layout()
    return fig
