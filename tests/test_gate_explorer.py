"""The gate explorer's update function (a scalar LSTM step) and its widget, without a browser."""

import math
import re
import warnings

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.colors import to_rgba  # noqa: E402

from lstm_lib.figures.gate_explorer import (  # noqa: E402
    C_PREV_RANGE,
    DEFAULTS,
    Z_RANGE,
    GateValues,
    gate_explorer,
    plot_gate_values,
    scalar_lstm_step,
)
from lstm_lib.figures.plotting import color  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _logistic(z):
    return 1.0 / (1.0 + math.exp(-z))


def test_one_step_by_hand():
    # Independent oracle: the math module, written out from the equations.
    z_f, z_i, z_g, z_o, c_prev = 1.0, -0.5, 2.0, 0.3, -0.7
    f, i, g, o = _logistic(z_f), _logistic(z_i), math.tanh(z_g), _logistic(z_o)
    c = f * c_prev + i * g
    h = o * math.tanh(c)
    got = scalar_lstm_step(z_f=z_f, z_i=z_i, z_g=z_g, z_o=z_o, c_prev=c_prev)
    assert isinstance(got, GateValues)
    assert all(isinstance(v, float) for v in got)
    assert got == pytest.approx((f, i, g, o, c, h), rel=1e-12, abs=1e-15)


def test_new_cell_state_is_not_forget_plus_candidate():
    """The seed's wording ("adding the forget vector with the candidate") gives another number."""
    v = scalar_lstm_step(z_f=0.0, z_i=0.0, z_g=1.0, z_o=0.0, c_prev=1.0)
    assert v.c == pytest.approx(0.5 * 1.0 + 0.5 * math.tanh(1.0))
    assert abs(v.c - (v.f + v.g)) > 0.3


def test_closed_forget_gate_and_open_input_gate_overwrite_the_memory():
    v = scalar_lstm_step(z_f=-6.0, z_i=6.0, z_g=6.0, z_o=6.0, c_prev=-2.0)
    assert v.c == pytest.approx(1.0, abs=0.02)


def test_open_forget_gate_and_closed_input_gate_keep_the_memory():
    v = scalar_lstm_step(z_f=6.0, z_i=-6.0, z_g=-6.0, z_o=-6.0, c_prev=1.5)
    assert v.c == pytest.approx(1.5, abs=0.01)
    assert abs(v.h) < 0.01, "a closed output gate hides the memory from h_t"


def test_saturated_inputs_give_no_warnings_and_finite_values():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        v = scalar_lstm_step(z_f=-1000.0, z_i=1000.0, z_g=-1000.0, z_o=1000.0, c_prev=0.5)
    assert v == pytest.approx((0.0, 1.0, -1.0, 1.0, -1.0, math.tanh(-1.0)), abs=1e-12)


def test_arrays_broadcast_elementwise():
    z = np.linspace(-6, 6, 7)
    v = scalar_lstm_step(z_f=z, z_i=0.0, z_g=1.0, z_o=2.0, c_prev=np.full((1, 1), 0.5))
    assert all(np.shape(field) == (1, 7) for field in v)
    for k, zk in enumerate(z):
        one = scalar_lstm_step(z_f=zk, z_i=0.0, z_g=1.0, z_o=2.0, c_prev=0.5)
        assert v.c[0, k] == pytest.approx(one.c)
        assert v.h[0, k] == pytest.approx(one.h)


finite_z = st.floats(min_value=-50, max_value=50, allow_nan=False)


@given(finite_z, finite_z, finite_z, finite_z, st.floats(min_value=-5, max_value=5))
def test_ranges(z_f, z_i, z_g, z_o, c_prev):
    v = scalar_lstm_step(z_f=z_f, z_i=z_i, z_g=z_g, z_o=z_o, c_prev=c_prev)
    for gate in (v.f, v.i, v.o):
        assert 0.0 <= gate <= 1.0
    assert -1.0 <= v.g <= 1.0
    assert abs(v.c) <= abs(c_prev) + 1.0 + 1e-12  # |f c| <= |c|, |i g| <= 1
    assert abs(v.h) <= min(1.0, abs(math.tanh(v.c))) + 1e-12


def test_plot_has_one_bar_per_quantity_in_the_course_colours():
    values = scalar_lstm_step(**DEFAULTS)
    fig = plot_gate_values(values, DEFAULTS["c_prev"])
    bars = fig.axes[0].patches
    assert len(bars) == 7
    expected = ["forget", "input", "candidate", "output", "cell", "cell", "hidden"]
    heights = [values.f, values.i, values.g, values.o, DEFAULTS["c_prev"], values.c, values.h]
    for bar, name, height in zip(bars, expected, heights, strict=True):
        assert bar.get_facecolor()[:3] == pytest.approx(to_rgba(color(name))[:3])
        assert bar.get_height() == pytest.approx(height)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["$f_t$", "$i_t$", "$g_t$", "$o_t$", "$c_{t-1}$", "$c_t$", "$h_t$"]


def test_values_written_on_the_bars_unless_turned_off():
    values = scalar_lstm_step(**DEFAULTS)
    texts = [t.get_text() for t in plot_gate_values(values, 0.8).axes[0].texts]
    assert texts[0] == f"{values.f:+.2f}" and len(texts) == 7
    assert len(plot_gate_values(values, 0.8, annotate=False).axes[0].texts) == 0


def test_widget_has_five_sliders_and_an_output():
    import ipywidgets as widgets

    box = gate_explorer()
    assert isinstance(box, widgets.VBox)
    sliders = box.sliders
    assert list(sliders) == ["z_f", "z_i", "z_g", "z_o", "c_prev"]
    for name, slider in sliders.items():
        assert slider.value == pytest.approx(DEFAULTS[name])
        lo, hi = C_PREV_RANGE if name == "c_prev" else Z_RANGE
        assert (slider.min, slider.max) == (lo, hi)
    assert isinstance(box.children[-1], widgets.Output)


def test_slider_labels_write_their_subscripts_in_html():
    # No TeX: the book's offline widget manager does not typeset $...$ in a label, and a bare
    # c_{t-1} shows its braces. An HTML subscript renders in JupyterLab and in the book.
    for slider in gate_explorer().sliders.values():
        assert slider.description_allow_html, slider.description
        assert re.search(r"\b[zc]<sub>[a-z\u2212\d]+</sub>$", slider.description), (
            slider.description
        )
        assert not re.search(r"[${}_]", slider.description), slider.description


def test_widget_accepts_initial_values_and_redraws_on_change():
    box = gate_explorer(z_f=-3.0, c_prev=1.0)
    assert box.sliders["z_f"].value == -3.0
    assert box.sliders["c_prev"].value == 1.0
    box.sliders["z_o"].value = 4.0  # runs the update function; must not raise headless
    assert box.sliders["z_o"].value == 4.0


def test_widget_rejects_unknown_settings():
    with pytest.raises(TypeError, match="gate_explorer: unknown setting"):
        gate_explorer(z_x=1.0)
