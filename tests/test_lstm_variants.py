"""The LSTM variants of lstm_lib.lab.lstm_variants: the default cell is LSTMCell, each
switch changes the equations as documented, and every backward pass agrees with
centred finite differences (there is no torch.nn counterpart to compare with)."""

from __future__ import annotations

import numpy as np
import pytest

from lstm_lib import LSTMCell, numerical_gradient, rel_error, sigmoid
from lstm_lib.lab.lstm_variants import VARIANTS, VariantLSTMCell

N, I, H = 3, 4, 5  # noqa: E741


@pytest.fixture
def data():
    rng = np.random.default_rng(11)
    return (
        rng.standard_normal((N, I)),
        rng.standard_normal((N, H)),
        rng.standard_normal((N, H)),
        rng.standard_normal((N, H)),  # dh
        rng.standard_normal((N, H)),  # dc
    )


def test_default_variant_is_lstm_cell(data):
    x, h, c, dh, dc = data
    ours, reference = VariantLSTMCell(I, H, seed=0), LSTMCell(I, H, seed=0)
    for name in reference.parameter_names:
        np.testing.assert_array_equal(getattr(ours, name), getattr(reference, name))
    out, cache = ours.forward(x, (h, c))
    ref_out, ref_cache = reference.forward(x, (h, c))
    np.testing.assert_allclose(out, ref_out, rtol=0, atol=1e-14)
    grads, ref_grads = ours.backward((dh, dc), cache), reference.backward((dh, dc), ref_cache)
    assert grads.keys() == ref_grads.keys()
    for key in grads:
        np.testing.assert_allclose(grads[key], ref_grads[key], rtol=0, atol=1e-13, err_msg=key)


def test_switches_change_the_equations_as_documented(data):
    x, h, c, _, _ = data
    nfg = VariantLSTMCell(I, H, forget_gate=False, seed=1)
    (_, c_new), cache = nfg.forward(x, (h, c))
    np.testing.assert_allclose(c_new, c + cache.i * cache.g, rtol=0, atol=1e-14)

    cifg = VariantLSTMCell(I, H, coupled=True, seed=1)
    _, cache = cifg.forward(x, (h, c))
    np.testing.assert_allclose(cache.f, 1 - cache.i, rtol=0, atol=0)

    noaf = VariantLSTMCell(I, H, output_activation=False, seed=1)
    (h_new, c_new), cache = noaf.forward(x, (h, c))
    np.testing.assert_allclose(h_new, cache.o * c_new, rtol=0, atol=0)

    peep = VariantLSTMCell(I, H, peepholes=True, seed=1)
    (_, c_new), cache = peep.forward(x, (h, c))
    z = x @ peep.weight_ih.T + peep.bias_ih + h @ peep.weight_hh.T + peep.bias_hh
    p_i, p_f, p_o = np.split(peep.peephole, 3)
    np.testing.assert_allclose(cache.i, sigmoid(z[:, :H] + p_i * c), rtol=0, atol=1e-14)
    np.testing.assert_allclose(cache.f, sigmoid(z[:, H : 2 * H] + p_f * c), rtol=0, atol=1e-14)
    np.testing.assert_allclose(cache.o, sigmoid(z[:, 3 * H :] + p_o * c_new), rtol=0, atol=1e-14)


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_backward_matches_finite_differences(data, variant):
    x, h, c, dh, dc = data
    cell = VariantLSTMCell(I, H, seed=2, **VARIANTS[variant])
    _, cache = cell.forward(x, (h, c))
    grads = cell.backward((dh, dc), cache)

    def loss_of(get):
        def f(_):
            (h_new, c_new), _ = cell.forward(x, (h, c))
            return np.concatenate([h_new, c_new], axis=1)

        return f

    dout = np.concatenate([dh, dc], axis=1)
    arrays = {"input": x, "h_prev": h, "c_prev": c, **cell.parameters()}
    for key, array in arrays.items():
        numeric = numerical_gradient(loss_of(key), array, dout, eps=1e-3, order=4)
        assert rel_error(grads[key], numeric) < 1e-8, f"{variant}: d{key} disagrees"


@pytest.mark.parametrize("variant", ["NFG", "CIFG"])
def test_unused_forget_rows_get_no_gradient(data, variant):
    x, h, c, dh, dc = data
    cell = VariantLSTMCell(I, H, seed=3, **VARIANTS[variant])
    _, cache = cell.forward(x, (h, c))
    grads = cell.backward((dh, dc), cache)
    assert not grads["weight_ih"][H : 2 * H].any() and not grads["bias_hh"][H : 2 * H].any()


def test_unbatched_input(data):
    x, h, c, dh, dc = data
    cell = VariantLSTMCell(I, H, peepholes=True, seed=4)
    (h1, c1), cache1 = cell.forward(x[0], (h[0], c[0]))
    (hb, cb), cacheb = cell.forward(x[:1], (h[:1], c[:1]))
    np.testing.assert_array_equal(h1, hb[0])
    g1 = cell.backward((dh[0], dc[0]), cache1)
    gb = cell.backward((dh[:1], dc[:1]), cacheb)
    np.testing.assert_array_equal(g1["input"], gb["input"][0])
    np.testing.assert_array_equal(g1["peephole"], gb["peephole"])


@pytest.mark.parametrize(
    ("kwargs", "error", "words"),
    [
        ({"coupled": True, "forget_gate": False}, ValueError, "choose one"),
        ({"peepholes": 1}, TypeError, "expected peepholes to be True or False"),
    ],
)
def test_bad_switches(kwargs, error, words):
    with pytest.raises(error, match=words):
        VariantLSTMCell(I, H, **kwargs)


def test_bad_input_and_no_torch_counterpart():
    cell = VariantLSTMCell(I, H)
    with pytest.raises(ValueError, match=r"VariantLSTMCell: expected x of shape \(N, 4\)"):
        cell.forward(np.zeros((2, 3)))
    with pytest.raises(NotImplementedError, match="no LSTM variants"):
        cell.to_torch()
