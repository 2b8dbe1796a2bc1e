"""The LSTM cell diagram: labels match the course's names, highlighting colours one stage."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from lstm_lib.figures.diagram import STAGES, draw_lstm_cell, find_artist, normalize_stage  # noqa: E402
from lstm_lib.figures.plotting import color  # noqa: E402

GREY = to_rgba("#C8C8C8")

# gid of each gate layer -> (stage it belongs to, course colour name)
GATES = {
    "gate-f": ("forget", "forget"),
    "gate-i": ("input", "input"),
    "gate-g": ("input", "candidate"),
    "gate-o": ("output", "output"),
}


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _texts(fig):
    return {t.get_text() for ax in fig.axes for t in ax.texts}


def test_labels_use_the_course_variable_names():
    texts = _texts(draw_lstm_cell())
    for name in ("f_t", "i_t", "g_t", "o_t", "c_t", "h_t", "c_{t-1}", "h_{t-1}", "x_t"):
        assert f"${name}$" in texts, f"missing label ${name}$"


def test_inputs_are_drawn_as_a_concatenation_not_a_sum():
    texts = _texts(draw_lstm_cell())
    assert "$[h_{t-1}, x_t]$" in texts
    assert not any("h_{t-1} + x_t" in t for t in texts)


def test_full_diagram_draws_every_gate_in_its_own_colour():
    fig = draw_lstm_cell(None)
    for gid, (_, name) in GATES.items():
        assert find_artist(fig, gid).get_facecolor() == to_rgba(color(name)), gid


@pytest.mark.parametrize("stage", STAGES)
def test_highlight_colours_only_the_chosen_stage(stage):
    fig = draw_lstm_cell(stage)
    for gid, (owner, name) in GATES.items():
        face = find_artist(fig, gid).get_facecolor()
        if owner == stage:
            assert face == to_rgba(color(name)), f"{gid} should be coloured for {stage}"
        else:
            assert face == GREY, f"{gid} should be grey when {stage} is highlighted"


def test_cell_update_nodes_follow_their_stage():
    fig = draw_lstm_cell("forget")
    assert find_artist(fig, "mul-forget").get_edgecolor() == to_rgba(color("forget"))
    assert find_artist(fig, "add-cell").get_edgecolor() == GREY
    fig = draw_lstm_cell("input")
    assert find_artist(fig, "add-cell").get_edgecolor() == to_rgba(color("cell"))
    assert find_artist(fig, "mul-input").get_edgecolor() == to_rgba(color("input"))
    # f_t * c_{t-1} is one of the two terms of the update, so it stays visible in stage 2
    kept = find_artist(fig, "wire-c-kept")
    assert to_rgba(kept.get_color()) == to_rgba(color("cell"))


def test_output_stage_reads_the_shared_input_bus():
    """The output gate sees [h_{t-1}, x_t], like every gate: the bus is never greyed out."""
    fig = draw_lstm_cell("output")
    bus = find_artist(fig, "wire-h-in")
    assert to_rgba(bus.get_color()) != GREY
    assert find_artist(fig, "wire-z-o") is not None


@pytest.mark.parametrize("alias", ["candidate", "input+candidate", "INPUT"])
def test_aliases_for_the_input_stage(alias):
    assert normalize_stage(alias) == "input"


@pytest.mark.parametrize("nothing", [None, "none", "all"])
def test_no_highlight(nothing):
    assert normalize_stage(nothing) is None


def test_bad_stage_names_the_function_and_the_choices():
    with pytest.raises(ValueError, match=r"draw_lstm_cell: expected highlight .* got 'forgot'"):
        draw_lstm_cell("forgot")


@pytest.mark.parametrize("stage", STAGES)
def test_equation_shown_for_a_highlighted_stage(stage):
    fig = draw_lstm_cell(stage, show_equation=True)
    eq = find_artist(fig, "equation")
    assert eq is not None
    assert {"forget": "f_t", "input": "c_t", "output": "h_t"}[stage] in eq.get_text()


def test_no_equation_without_a_stage():
    assert find_artist(draw_lstm_cell(None, show_equation=True), "equation") is None


def test_draws_into_a_given_axes_and_fits_the_page():
    fig, axes = plt.subplots(1, 2, figsize=(7, 2.5))
    returned = draw_lstm_cell("forget", ax=axes[1])
    assert returned is fig
    assert find_artist(fig, "gate-f") in axes[1].patches
    assert draw_lstm_cell().get_size_inches()[0] <= 7
