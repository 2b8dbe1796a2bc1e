"""The gate explorer: one LSTM unit (H = 1) driven by its four pre-activations.

A full cell computes its pre-activations from ``[h_{t-1}, x_t]`` and the weights;
the explorer skips that step and lets the reader set them directly, to see what each
gate does to the memory. :func:`scalar_lstm_step` is the pure computation (unit
tested), :func:`plot_gate_values` draws its result, and :func:`gate_explorer` wires
both to sliders (ipywidgets is imported only there).
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import sigmoid, tanh
from .plotting import color

# Slider ranges: pre-activations beyond +-6 only push the gates further into saturation.
Z_RANGE = (-6.0, 6.0)
C_PREV_RANGE = (-2.0, 2.0)

# A representative setting for the static figure: keep most of the memory, write a
# little, show most of it.
DEFAULTS = {"z_f": 2.0, "z_i": -1.0, "z_g": 1.5, "z_o": 1.0, "c_prev": 0.8}


class GateValues(NamedTuple):
    """Everything one LSTM unit computes in one step (floats, or arrays of one shape)."""

    f: float  # forget gate, sigma(z_f), in (0, 1)
    i: float  # input gate, sigma(z_i), in (0, 1)
    g: float  # candidate, tanh(z_g), in (-1, 1)
    o: float  # output gate, sigma(z_o), in (0, 1)
    c: float  # new cell state c_t = f * c_prev + i * g
    h: float  # new hidden state h_t = o * tanh(c_t)


def scalar_lstm_step(*, z_f, z_i, z_g, z_o, c_prev) -> GateValues:
    r"""One step of a single LSTM unit, from its pre-activations and the old cell state.

    Parameters
    ----------
    z_f, z_i, z_g, z_o : float or array_like
        Pre-activations of the forget gate, input gate, candidate and output gate, i.e.
        what a full cell computes as ``W_i* x_t + b_i* + W_h* h_{t-1} + b_h*``.
    c_prev : float or array_like
        The previous cell state ``c_{t-1}``.

    Returns
    -------
    GateValues
        ``(f, i, g, o, c, h)``; floats when every argument is a scalar, otherwise
        arrays broadcast together.

    Notes
    -----
    .. math::

        f = \sigma(z_f),\; i = \sigma(z_i),\; g = \tanh(z_g),\; o = \sigma(z_o)

        c_t = f\,c_{t-1} + i\,g, \qquad h_t = o \tanh(c_t)

    The new cell state is *not* ``f + g``: the forget gate scales the old memory
    and the input gate scales the candidate, and the two products are added.
    """
    args = [np.asarray(a, dtype=np.float64) for a in (z_f, z_i, z_g, z_o, c_prev)]
    scalar = all(a.ndim == 0 for a in args)
    z_f, z_i, z_g, z_o, c_prev = args
    forget_gate = sigmoid(z_f)
    input_gate = sigmoid(z_i)
    candidate = tanh(z_g)
    output_gate = sigmoid(z_o)
    cell_state = forget_gate * c_prev + input_gate * candidate
    hidden_state = output_gate * tanh(cell_state)
    out = (forget_gate, input_gate, candidate, output_gate, cell_state, hidden_state)
    if scalar:
        return GateValues(*(float(v) for v in out))
    return GateValues(*np.broadcast_arrays(*out))


# Bars of the explorer figure: (label, field or "c_prev", course colour).
_BARS = (
    (r"$f_t$", "f", "forget"),
    (r"$i_t$", "i", "input"),
    (r"$g_t$", "g", "candidate"),
    (r"$o_t$", "o", "output"),
    (r"$c_{t-1}$", "c_prev", "cell"),
    (r"$c_t$", "c", "cell"),
    (r"$h_t$", "h", "hidden"),
)


def plot_gate_values(
    values: GateValues,
    c_prev: float,
    *,
    ax=None,
    title: str | None = None,
    annotate: bool = True,
):
    """Bar chart of one step of :func:`scalar_lstm_step`, each bar in its course colour.

    The old cell state is drawn hatched next to the new one, so the effect of the step
    on the memory is visible at a glance. ``annotate`` writes each value above its bar
    (turn it off for small panels). Returns the figure.
    """
    import matplotlib.pyplot as plt

    if ax is None:
        fig, ax = plt.subplots(figsize=(6.4, 3.2))
    fig = ax.figure
    numbers = values._asdict() | {"c_prev": float(c_prev)}
    xs = np.arange(len(_BARS))
    heights = [float(numbers[field]) for _, field, _ in _BARS]
    bars = ax.bar(
        xs,
        heights,
        color=[color(name) for _, _, name in _BARS],
        edgecolor="black",
        linewidth=0.6,
        width=0.7,
    )
    bars[4].set_hatch("//")
    bars[4].set_alpha(0.55)
    for x, hgt in zip(xs, heights, strict=True) if annotate else ():
        offset = 0.12 if hgt >= 0 else -0.12
        ax.text(x, hgt + offset, f"{hgt:+.2f}", ha="center", va="center", fontsize=9)
    ax.axhline(0, color="black", lw=0.8)
    for level in (-1, 1):
        ax.axhline(level, color="grey", lw=0.6, ls=":")
    ax.axvline(3.5, color="grey", lw=0.6)
    ax.set_xticks(xs, [lbl for lbl, _, _ in _BARS])
    limit = max(3.1, max(abs(v) for v in heights) + 0.4)
    ax.set_ylim(-limit, limit)
    ax.set_ylabel("value")
    ax.grid(axis="x", visible=False)
    if title:
        ax.set_title(title)
    return fig


def gate_explorer(**initial):
    """Sliders for the four pre-activations and ``c_{t-1}``, with a live bar chart.

    Keyword arguments override :data:`DEFAULTS`. Returns an ``ipywidgets.VBox``;
    display it (or leave it as the last expression of a cell). Works headless: the
    chart is drawn once at construction and again on every slider change.
    """
    import ipywidgets as widgets
    import matplotlib.pyplot as plt
    from IPython.display import display

    unknown = set(initial) - set(DEFAULTS)
    if unknown:
        raise TypeError(
            f"gate_explorer: unknown setting(s) {sorted(unknown)}; expected {sorted(DEFAULTS)}"
        )
    start = DEFAULTS | initial
    # HTML subscripts: rendered alike in JupyterLab and by the book's offline widget
    # manager, which does not typeset $...$ in a label (a bare c_{t-1} showed its braces).
    labels = {
        "z_f": "forget z<sub>f</sub>",
        "z_i": "input z<sub>i</sub>",
        "z_g": "candidate z<sub>g</sub>",
        "z_o": "output z<sub>o</sub>",
        "c_prev": "old cell c<sub>t−1</sub>",
    }
    sliders = {}
    for name, text in labels.items():
        lo, hi = C_PREV_RANGE if name == "c_prev" else Z_RANGE
        sliders[name] = widgets.FloatSlider(
            value=float(start[name]),
            min=lo,
            max=hi,
            step=0.1,
            description=text,
            description_allow_html=True,
            continuous_update=False,
            style={"description_width": "initial"},
            layout=widgets.Layout(width="420px"),
        )

    def update(z_f, z_i, z_g, z_o, c_prev):
        values = scalar_lstm_step(z_f=z_f, z_i=z_i, z_g=z_g, z_o=z_o, c_prev=c_prev)
        fig = plot_gate_values(values, c_prev)
        display(fig)
        plt.close(fig)

    out = widgets.interactive_output(update, sliders)
    box = widgets.VBox([*sliders.values(), out])
    box.sliders = sliders  # handy for tests and for readers who want to script it
    return box
