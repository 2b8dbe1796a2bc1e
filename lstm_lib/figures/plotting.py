"""One look for every figure in the course.

The palette is Okabe and Ito's colour-blind-safe set; each gate and state keeps the
same colour in every chapter, so a reader learns it once.
"""

from __future__ import annotations

from contextlib import contextmanager

# Okabe-Ito palette (colour-blind safe).
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky_blue": "#56B4E9",
    "bluish_green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish_purple": "#CC79A7",
}

# The colour of each quantity, the same in every figure of the course.
COLORS = {
    "forget": OKABE_ITO["vermillion"],
    "input": OKABE_ITO["bluish_green"],
    "candidate": OKABE_ITO["orange"],
    "output": OKABE_ITO["blue"],
    "cell": OKABE_ITO["reddish_purple"],
    "hidden": OKABE_ITO["sky_blue"],
    "reset": OKABE_ITO["vermillion"],
    "update": OKABE_ITO["bluish_green"],
    "rnn": OKABE_ITO["black"],
    "gru": OKABE_ITO["orange"],
    "lstm": OKABE_ITO["blue"],
    "sigmoid": OKABE_ITO["blue"],
    "tanh": OKABE_ITO["vermillion"],
}

# Cycle used when a figure plots several unnamed series.
CYCLE = [
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish_green", "orange", "reddish_purple", "sky_blue", "black")
]

STYLE = {
    "figure.figsize": (6.4, 3.6),
    "figure.dpi": 100,
    "savefig.dpi": 100,
    "savefig.bbox": "tight",
    "axes.prop_cycle": None,  # filled in by style()
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.alpha": 0.3,
    "font.size": 10,
    "axes.titlesize": 11,
    "legend.frameon": False,
    "image.cmap": "viridis",
}


def _rc():
    from cycler import cycler

    rc = dict(STYLE)
    rc["axes.prop_cycle"] = cycler(color=CYCLE)
    return rc


def use_style() -> None:
    """Apply the course style to matplotlib for the rest of the session.

    Call it once in a chapter's import cell. Figures are rendered as PNG at 100 dpi
    (small pages, crisp enough on screen).
    """
    import matplotlib as mpl

    mpl.rcParams.update(_rc())
    try:  # inline backend: PNG output with the same resolution
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("png")
    except Exception:  # outside IPython there is nothing to configure
        pass


@contextmanager
def style():
    """Context manager form of :func:`use_style` that restores the previous settings."""
    import matplotlib as mpl

    with mpl.rc_context(_rc()):
        yield


def color(name: str) -> str:
    """Return the course colour of a gate or state (``"forget"``, ``"cell"``, ``"lstm"``…).

    Raises
    ------
    KeyError
        If ``name`` is not one of :data:`COLORS`, with the known names listed.
    """
    try:
        return COLORS[name]
    except KeyError:
        raise KeyError(f"color: unknown name {name!r}; known: {sorted(COLORS)}") from None
