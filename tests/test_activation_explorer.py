"""Tests of the chapter-2 activation explorer (no browser needed)."""

import math

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from lstm_lib.figures.activation_explorer import activation_values, draw_activation_explorer  # noqa: E402


@pytest.mark.parametrize("z", [-8.0, -1.5, 0.0, 0.3, 4.0])
def test_values_match_the_closed_forms(z):
    values = activation_values(z)
    s = 1 / (1 + math.exp(-z))
    assert values["sigmoid"] == pytest.approx(s, rel=1e-12)
    assert values["sigmoid_slope"] == pytest.approx(s * (1 - s), rel=1e-12)
    assert values["tanh"] == pytest.approx(math.tanh(z), rel=1e-12, abs=1e-15)
    assert values["tanh_slope"] == pytest.approx(1 - math.tanh(z) ** 2, rel=1e-12)


def test_slopes_match_finite_differences():
    eps = 1e-6
    for z in (-2.0, 0.0, 1.0):
        up, down = activation_values(z + eps), activation_values(z - eps)
        for name in ("sigmoid", "tanh"):
            slope = (up[name] - down[name]) / (2 * eps)
            assert activation_values(z)[f"{name}_slope"] == pytest.approx(slope, rel=1e-7)


def test_values_at_zero_are_the_maxima_of_the_slopes():
    values = activation_values(0.0)
    assert values == {"sigmoid": 0.5, "sigmoid_slope": 0.25, "tanh": 0.0, "tanh_slope": 1.0}


def test_extreme_inputs_are_finite_and_silent():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        values = activation_values(-1000.0)
    assert values["sigmoid"] == 0.0 and values["tanh"] == -1.0
    assert all(math.isfinite(v) for v in values.values())


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_non_finite_input_is_rejected(bad):
    with pytest.raises(ValueError, match="activation_values"):
        activation_values(bad)


def test_drawing_marks_the_point_on_every_curve():
    fig = draw_activation_explorer(1.5)
    try:
        left, right = fig.axes
        values = activation_values(1.5)
        assert "1.5" in left.get_title()
        assert f"{values['sigmoid_slope']:.3f}" in right.get_title()
        markers = [line for line in left.lines if line.get_marker() == "o"]
        ys = sorted(float(line.get_ydata()[0]) for line in markers)
        assert ys == pytest.approx(sorted([values["sigmoid"], values["tanh"]]))
        slope_markers = [line for line in right.lines if line.get_marker() == "o"]
        ys = sorted(float(line.get_ydata()[0]) for line in slope_markers)
        assert ys == pytest.approx(sorted([values["sigmoid_slope"], values["tanh_slope"]]))
    finally:
        plt.close(fig)


def test_drawing_reuses_a_figure_and_clips_far_points():
    fig = plt.figure()
    try:
        out = draw_activation_explorer(50.0, z_max=6.0, fig=fig)
        assert out is fig and len(fig.axes) == 2
        marker = next(line for line in fig.axes[0].lines if line.get_marker() == "o")
        assert float(marker.get_xdata()[0]) == 6.0
        draw_activation_explorer(-1.0, fig=fig)  # redrawing does not stack axes
        assert len(fig.axes) == 2
        assert np.isclose(fig.axes[0].get_xlim()[1], 6.0)
    finally:
        plt.close(fig)
