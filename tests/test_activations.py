"""sigmoid, tanh and their derivatives against torch, at their limits and without warnings."""

import warnings

import numpy as np
import pytest

from lstm_lib import sigmoid, sigmoid_grad, tanh, tanh_grad

torch = pytest.importorskip("torch")

GRID = np.concatenate([np.linspace(-50, 50, 20001), [-1000.0, -745.0, -30.0, 0.0, 30.0, 1000.0]])


def test_sigmoid_matches_torch_float64():
    expected = torch.sigmoid(torch.tensor(GRID)).numpy()
    np.testing.assert_allclose(sigmoid(GRID), expected, rtol=0, atol=1e-15)


def test_sigmoid_matches_torch_float32():
    x = GRID.astype(np.float32)
    ours = sigmoid(x)
    assert ours.dtype == np.float32
    # one float32 ulp near 1 is 1.2e-7: the two libraries may round the last bit differently
    np.testing.assert_allclose(ours, torch.sigmoid(torch.tensor(x)).numpy(), rtol=0, atol=2.4e-7)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_limits_are_exact_and_silent(dtype):
    x = np.array([-1000, -100, 100, 1000], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            s = sigmoid(x)
            t = tanh(x)
            ds, dt = sigmoid_grad(x), tanh_grad(x)
    np.testing.assert_array_equal(s[[0, -1]], [0.0, 1.0])
    np.testing.assert_array_equal(t, [-1.0, -1.0, 1.0, 1.0])
    np.testing.assert_array_equal(dt, 0.0)
    assert np.all(np.isfinite(ds)) and np.all(ds >= 0)


def test_sigmoid_accepts_scalars_and_lists():
    assert sigmoid(0) == 0.5
    np.testing.assert_allclose(sigmoid([0.0, np.log(3.0)]), [0.5, 0.75], rtol=1e-15)


def test_sigmoid_writes_into_out():
    x = np.array([-1.0, 2.0])
    out = np.empty(2)
    result = sigmoid(x, out=out)
    assert result is out
    np.testing.assert_allclose(out, 1 / (1 + np.exp(-x)), rtol=1e-15)


def test_derivatives_match_torch_autograd():
    x = torch.tensor(GRID, requires_grad=True)
    torch.sigmoid(x).sum().backward()
    np.testing.assert_allclose(sigmoid_grad(GRID), x.grad.numpy(), rtol=0, atol=1e-15)
    x = torch.tensor(GRID, requires_grad=True)
    torch.tanh(x).sum().backward()
    np.testing.assert_allclose(tanh_grad(GRID), x.grad.numpy(), rtol=0, atol=1e-15)
    np.testing.assert_allclose(tanh(GRID), np.tanh(GRID), rtol=0, atol=0)


def test_derivative_values_at_zero():
    assert sigmoid_grad(0.0) == 0.25
    assert tanh_grad(0.0) == 1.0


def _exact_sigmoid(x):
    """σ(x) in 60-digit decimal arithmetic: a reference independent of NumPy's exp."""
    from decimal import Decimal, localcontext

    with localcontext() as context:
        context.prec = 60
        return 1 / (1 + (-Decimal(float(x))).exp())


def _ulp_error(value, x):
    from decimal import Decimal

    exact = _exact_sigmoid(x)
    return float(abs(Decimal(float(value)) - exact) / Decimal(np.spacing(float(exact))))


def test_sigmoid_within_two_ulp_on_the_normal_range():
    x = np.concatenate([np.linspace(-708.0, 40.0, 1501), np.linspace(-3.0, 3.0, 601)])
    errors = [_ulp_error(v, p) for v, p in zip(sigmoid(x), x, strict=True)]
    assert max(errors) < 2


def test_sigmoid_keeps_subnormal_values_where_the_textbook_form_returns_zero():
    # -745.1 < x < -708.4: σ(x) is a positive subnormal double; 1 / (1 + exp(-x)) is
    # 1 / inf = 0 from x < -709.8 on.
    x = np.linspace(-745.0, -708.5, 366)
    ours = sigmoid(x)
    assert np.all(ours > 0) and np.all(ours < np.finfo(np.float64).tiny)
    assert max(_ulp_error(v, p) for v, p in zip(ours, x, strict=True)) <= 1
    assert sigmoid(np.array([-720.0]))[0] == float(_exact_sigmoid(-720.0)) > 0
    # below -745.13 the true value is under half the smallest subnormal: 0 is exact rounding
    assert sigmoid(-746.0) == 0.0 == float(_exact_sigmoid(-746.0))


def test_sigmoid_out_may_be_the_input():
    x = np.array([-800.0, -720.0, -1.0, 0.0, 2.0])
    expected = sigmoid(x)
    result = sigmoid(x, out=x)
    assert result is x
    np.testing.assert_array_equal(x, expected)
