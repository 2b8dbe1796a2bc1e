"""The LSTM cell drawn by code, so its labels are the course's variable names.

One function, :func:`draw_lstm_cell`, draws the cell in the usual left-to-right
layout: the cell state runs along the top, the previous hidden state and the input
are concatenated along the bottom and feed the four gate layers, and the new hidden
state leaves on the right. One stage can be highlighted in its course colour while
the rest fades to grey:

* ``"forget"``  -- stage 1, ``f_t`` and the product ``f_t * c_{t-1}``;
* ``"input"``   -- stage 2, ``i_t``, the candidate ``g_t``, their product and the sum
  that makes ``c_t``;
* ``"output"``  -- stage 3, ``o_t``, ``tanh(c_t)`` and ``h_t = o_t * tanh(c_t)``;
* ``None`` (or ``"none"``) -- the whole cell, every part in its own colour.

Every artist carries a ``gid`` (``"gate-f"``, ``"mul-forget"``, ``"wire-c-in"``…) so
tests and readers can find a part of the drawing by name.
"""

from __future__ import annotations

from .plotting import color

# Which stage each part belongs to; None = shared by every stage (the input bus).
STAGES = ("forget", "input", "output")
_ALIASES = {
    None: None,
    "none": None,
    "all": None,
    "forget": "forget",
    "input": "input",
    "candidate": "input",
    "input+candidate": "input",
    "output": "output",
}

_GREY = "#C8C8C8"  # parts outside the highlighted stage
_INK = "#333333"  # text and parts shared by every stage
_CELL_FILL = "#F6F6F6"

# The equation of each stage, shown under the drawing when asked for.
STAGE_EQUATIONS = {
    "forget": r"$f_t = \sigma(W_{if}\,x_t + b_{if} + W_{hf}\,h_{t-1} + b_{hf})$",
    "input": (
        r"$i_t = \sigma(W_{ii}\,x_t + b_{ii} + W_{hi}\,h_{t-1} + b_{hi})\qquad "
        r"g_t = \tanh(W_{ig}\,x_t + b_{ig} + W_{hg}\,h_{t-1} + b_{hg})$"
        "\n"
        r"$c_t = f_t \odot c_{t-1} + i_t \odot g_t$"
    ),
    "output": (
        r"$o_t = \sigma(W_{io}\,x_t + b_{io} + W_{ho}\,h_{t-1} + b_{ho})\qquad "
        r"h_t = o_t \odot \tanh(c_t)$"
    ),
}

# Layout, in data units (the axes use an equal aspect ratio).
_Y_CELL = 5.4  # the cell-state line
_Y_MIX = 4.2  # where i_t meets g_t, and where tanh(c_t) sits
_Y_GATE = 2.6  # centres of the four gate layers
_Y_BUS = 1.3  # the concatenated [h_{t-1}, x_t] bus
_X_F, _X_I, _X_G, _X_O = 3.0, 4.6, 6.0, 7.6
_X_OUT = 9.2  # the output column: tanh(c_t) and o_t * tanh(c_t)
_X_LEFT, _X_RIGHT = 0.0, 11.6
_BOX_W, _BOX_H = 0.95, 0.62
_R_NODE = 0.24  # radius of the pointwise operation circles


def normalize_stage(highlight: str | None) -> str | None:
    """Return the canonical stage name for ``highlight`` (None = nothing highlighted).

    Raises
    ------
    ValueError
        If ``highlight`` is not one of ``"forget"``, ``"input"`` (alias
        ``"candidate"``, ``"input+candidate"``), ``"output"``, ``"none"`` or None.
    """
    key = highlight.lower() if isinstance(highlight, str) else highlight
    if key not in _ALIASES:
        raise ValueError(
            "draw_lstm_cell: expected highlight to be one of 'forget', 'input', "
            f"'candidate', 'output', 'none' or None, got {highlight!r}"
        )
    return _ALIASES[key]


def _style(stage, own: str, highlight: str | None) -> tuple[str, float]:
    """Colour and line width of a part of ``stage`` (a name or a tuple of names)."""
    if highlight is None:
        return own, 1.8
    if stage is None:
        return _INK, 1.4
    stages = (stage,) if isinstance(stage, str) else stage
    if highlight in stages:
        return own, 2.6
    return _GREY, 1.2


def draw_lstm_cell(
    highlight: str | None = None,
    *,
    ax=None,
    show_equation: bool = False,
    title: str | None = None,
):
    """Draw one LSTM cell, optionally with one stage highlighted.

    Parameters
    ----------
    highlight : {"forget", "input", "output", "none"} or None
        The stage drawn in colour; the other stages are drawn in grey. ``"candidate"``
        and ``"input+candidate"`` are accepted for ``"input"``. None or ``"none"``
        draws every part in its own colour (the full diagram).
    ax : matplotlib Axes, optional
        Where to draw. A new figure (6.8 inches wide) is created when omitted.
    show_equation : bool
        Write the equations of the highlighted stage under the drawing.
    title : str, optional
        A title over the drawing.

    Returns
    -------
    matplotlib.figure.Figure
        The figure that holds the drawing (``fig.axes[0]`` when it was created here).

    Raises
    ------
    ValueError
        If ``highlight`` names no stage.

    Notes
    -----
    The drawing follows the equations of the course (PyTorch's form)::

        f_t = sigma(z_f)   i_t = sigma(z_i)   g_t = tanh(z_g)   o_t = sigma(z_o)
        c_t = f_t * c_{t-1} + i_t * g_t
        h_t = o_t * tanh(c_t)

    where every pre-activation ``z`` is computed from the concatenation
    ``[h_{t-1}, x_t]`` (drawn as a join of two wires, not as a sum).
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

    stage_on = normalize_stage(highlight)
    if ax is None:
        fig, ax = plt.subplots(figsize=(6.8, 4.5 if show_equation else 3.9))
    fig = ax.figure

    def wire(points, stage, own, gid, arrow=False):
        col, lw = _style(stage, own, stage_on)
        xs, ys = zip(*points, strict=True)
        if arrow:  # all but the last segment as a line, the last as an arrow
            (line,) = ax.plot(xs[:-1], ys[:-1], color=col, lw=lw, solid_capstyle="round")
            line.set_gid(gid)
            head = FancyArrowPatch(
                points[-2],
                points[-1],
                arrowstyle="-|>",
                mutation_scale=11,
                color=col,
                lw=lw,
                shrinkA=0,
                shrinkB=0,
            )
            head.set_gid(gid + "-head")
            ax.add_patch(head)
        else:
            (line,) = ax.plot(xs, ys, color=col, lw=lw, solid_capstyle="round")
            line.set_gid(gid)

    def gate_box(x, y, text, stage, own, gid):
        col, lw = _style(stage, own, stage_on)
        box = FancyBboxPatch(
            (x - _BOX_W / 2, y - _BOX_H / 2),
            _BOX_W,
            _BOX_H,
            boxstyle="round,pad=0.02,rounding_size=0.08",
            facecolor=col,
            edgecolor=col,
            lw=lw,
            zorder=3,
        )
        box.set_gid(gid)
        ax.add_patch(box)
        txt_col = "white" if col != _GREY else "#777777"
        ax.text(x, y, text, ha="center", va="center", color=txt_col, fontsize=10, zorder=4)

    def node(x, y, symbol, stage, own, gid):
        col, lw = _style(stage, own, stage_on)
        circ = Circle((x, y), _R_NODE, facecolor="white", edgecolor=col, lw=lw, zorder=3)
        circ.set_gid(gid)
        ax.add_patch(circ)
        ax.text(x, y, symbol, ha="center", va="center", color=col, fontsize=11, zorder=4)

    def label(x, y, text, stage, own, gid, **kw):
        col, _ = _style(stage, own, stage_on)
        if stage_on is not None and stage is None:
            col = _INK
        kw.setdefault("fontsize", 11)
        t = ax.text(x, y, text, color=col, zorder=5, **kw)
        t.set_gid(gid)

    c_col, h_col = color("cell"), color("hidden")
    f_col, i_col = color("forget"), color("input")
    g_col, o_col = color("candidate"), color("output")

    # The cell's outline.
    body = FancyBboxPatch(
        (0.9, 0.55),
        9.5,
        5.55,
        boxstyle="round,pad=0.05,rounding_size=0.35",
        facecolor=_CELL_FILL,
        edgecolor="#999999",
        lw=1.0,
        zorder=0,
    )
    body.set_gid("cell-body")
    ax.add_patch(body)

    # Cell-state line: c_{t-1} -> (x f_t) -> (+ i_t g_t) -> c_t.
    wire([(_X_LEFT, _Y_CELL), (_X_F - _R_NODE, _Y_CELL)], "forget", c_col, "wire-c-in")
    # f_t * c_{t-1} is the result of stage 1 and one of the two terms of stage 2.
    wire(
        [(_X_F + _R_NODE, _Y_CELL), (_X_G - _R_NODE, _Y_CELL)],
        ("forget", "input"),
        c_col,
        "wire-c-kept",
    )
    wire(
        [(_X_G + _R_NODE, _Y_CELL), (_X_RIGHT, _Y_CELL)],
        ("input", "output"),
        c_col,
        "wire-c-out",
        arrow=True,
    )
    label(_X_LEFT, _Y_CELL + 0.2, r"$c_{t-1}$", "forget", c_col, "label-c-prev")
    label(_X_RIGHT - 0.45, _Y_CELL + 0.2, r"$c_t$", "input", c_col, "label-c")

    # The input bus: h_{t-1} from the left, x_t from below, joined end to end.
    wire([(_X_LEFT, _Y_BUS), (_X_O, _Y_BUS)], None, h_col, "wire-h-in")
    wire([(1.8, -0.3), (1.8, _Y_BUS)], None, _INK, "wire-x-in")
    join = Circle((1.8, _Y_BUS), 0.07, color=_INK, zorder=4)
    join.set_gid("concat")
    ax.add_patch(join)
    label(_X_LEFT, _Y_BUS + 0.15, r"$h_{t-1}$", None, h_col, "label-h-prev")
    label(1.95, -0.3, r"$x_t$", None, _INK, "label-x", va="bottom")
    label(2.0, _Y_BUS - 0.45, r"$[h_{t-1}, x_t]$", None, _INK, "label-concat", fontsize=9)

    # Stage 1: forget gate.
    wire([(_X_F, _Y_BUS), (_X_F, _Y_GATE - _BOX_H / 2)], "forget", f_col, "wire-z-f")
    gate_box(_X_F, _Y_GATE, r"$\sigma$", "forget", f_col, "gate-f")
    wire(
        [(_X_F, _Y_GATE + _BOX_H / 2), (_X_F, _Y_CELL - _R_NODE)],
        "forget",
        f_col,
        "wire-f",
        arrow=True,
    )
    label(_X_F + 0.12, _Y_MIX - 0.35, r"$f_t$", "forget", f_col, "label-f")
    node(_X_F, _Y_CELL, r"$\times$", "forget", f_col, "mul-forget")

    # Stage 2: input gate, candidate, their product added to the cell state.
    wire([(_X_I, _Y_BUS), (_X_I, _Y_GATE - _BOX_H / 2)], "input", i_col, "wire-z-i")
    gate_box(_X_I, _Y_GATE, r"$\sigma$", "input", i_col, "gate-i")
    wire(
        [(_X_I, _Y_GATE + _BOX_H / 2), (_X_I, _Y_MIX), (_X_G - _R_NODE, _Y_MIX)],
        "input",
        i_col,
        "wire-i",
        arrow=True,
    )
    label(_X_I + 0.12, _Y_MIX - 0.5, r"$i_t$", "input", i_col, "label-i")
    wire([(_X_G, _Y_BUS), (_X_G, _Y_GATE - _BOX_H / 2)], "input", g_col, "wire-z-g")
    gate_box(_X_G, _Y_GATE, r"$\tanh$", "input", g_col, "gate-g")
    wire(
        [(_X_G, _Y_GATE + _BOX_H / 2), (_X_G, _Y_MIX - _R_NODE)],
        "input",
        g_col,
        "wire-g",
        arrow=True,
    )
    label(_X_G + 0.12, _Y_MIX - 0.75, r"$g_t$", "input", g_col, "label-g")
    node(_X_G, _Y_MIX, r"$\times$", "input", i_col, "mul-input")
    wire(
        [(_X_G, _Y_MIX + _R_NODE), (_X_G, _Y_CELL - _R_NODE)],
        "input",
        i_col,
        "wire-ig",
        arrow=True,
    )
    node(_X_G, _Y_CELL, r"$+$", "input", c_col, "add-cell")

    # Stage 3: output gate and the new hidden state.
    wire([(_X_O, _Y_BUS), (_X_O, _Y_GATE - _BOX_H / 2)], "output", o_col, "wire-z-o")
    gate_box(_X_O, _Y_GATE, r"$\sigma$", "output", o_col, "gate-o")
    wire(
        [(_X_O + _BOX_W / 2, _Y_GATE), (_X_OUT - _R_NODE, _Y_GATE)],
        "output",
        o_col,
        "wire-o",
        arrow=True,
    )
    label(_X_O + 0.6, _Y_GATE + 0.16, r"$o_t$", "output", o_col, "label-o")
    wire(
        [(_X_OUT, _Y_CELL), (_X_OUT, _Y_MIX + 0.28)],
        "output",
        c_col,
        "wire-c-branch",
        arrow=True,
    )
    squash = FancyBboxPatch(
        (_X_OUT - 0.45, _Y_MIX - 0.28),
        0.9,
        0.56,
        boxstyle="round,pad=0.02,rounding_size=0.25",
        facecolor="white",
        edgecolor=_style("output", o_col, stage_on)[0],
        lw=_style("output", o_col, stage_on)[1],
        zorder=3,
    )
    squash.set_gid("tanh-cell")
    ax.add_patch(squash)
    ax.text(
        _X_OUT,
        _Y_MIX,
        r"$\tanh$",
        ha="center",
        va="center",
        color=_style("output", o_col, stage_on)[0],
        fontsize=10,
        zorder=4,
    )
    wire(
        [(_X_OUT, _Y_MIX - 0.28), (_X_OUT, _Y_GATE + _R_NODE)],
        "output",
        o_col,
        "wire-tanh-c",
        arrow=True,
    )
    node(_X_OUT, _Y_GATE, r"$\times$", "output", o_col, "mul-output")
    wire(
        [(_X_OUT, _Y_GATE - _R_NODE), (_X_OUT, _Y_BUS), (_X_RIGHT, _Y_BUS)],
        "output",
        h_col,
        "wire-h-out",
        arrow=True,
    )
    label(_X_RIGHT - 0.45, _Y_BUS + 0.15, r"$h_t$", "output", h_col, "label-h")

    ax.set_xlim(-0.3, _X_RIGHT + 0.2)
    ax.set_ylim(-0.5 if not show_equation else -1.9, 6.4)
    ax.set_aspect("equal")
    ax.axis("off")
    if show_equation and stage_on is not None:
        eq = ax.text(
            _X_RIGHT / 2,
            -0.75,
            STAGE_EQUATIONS[stage_on],
            ha="center",
            va="top",
            fontsize=9,
            linespacing=1.6,
            color=_INK,
        )
        eq.set_gid("equation")
    if title:
        ax.set_title(title)
    return fig


def find_artist(fig, gid: str):
    """Return the first artist in ``fig`` whose gid is ``gid`` (None if there is none)."""
    for ax in fig.axes:
        for artist in list(ax.patches) + list(ax.lines) + list(ax.texts):
            if artist.get_gid() == gid:
                return artist
    return None
