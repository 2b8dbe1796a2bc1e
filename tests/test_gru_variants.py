"""GRU variants against independent oracles written with torch in float64."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib.lab.gru_variants import gru_sequence, gru_step

N, T, I, H = 4, 6, 3, 5  # noqa: E741


def _params(seed=0, scale=0.8):
    rng = np.random.default_rng(seed)
    return (
        rng.uniform(-scale, scale, (3 * H, I)),
        rng.uniform(-scale, scale, (3 * H, H)),
        rng.uniform(-scale, scale, 3 * H),
        rng.uniform(-scale, scale, 3 * H),
    )


def _torch_cell(params):
    cell = torch.nn.GRUCell(I, H).double()
    with torch.no_grad():
        for name, value in zip(
            ("weight_ih", "weight_hh", "bias_ih", "bias_hh"), params, strict=True
        ):
            getattr(cell, name).copy_(torch.from_numpy(value))
    return cell


def _cho_emnlp(x, h, params):
    """Cho et al. (EMNLP 2014), eqs. 5-8, with PyTorch's two biases, written in torch."""
    w_ih, w_hh, b_ih, b_hh = (torch.from_numpy(p) for p in params)
    x, h = torch.from_numpy(x), torch.from_numpy(h)
    W_r, W_z, W_n = w_ih.split(H)
    U_r, U_z, U_n = w_hh.split(H)
    b_r, b_z, b_n = (b_ih + b_hh).split(H)
    r = torch.sigmoid(x @ W_r.T + h @ U_r.T + b_r)
    z = torch.sigmoid(x @ W_z.T + h @ U_z.T + b_z)
    h_tilde = torch.tanh(x @ W_n.T + (r * h) @ U_n.T + b_n)
    return (z * h + (1 - z) * h_tilde).numpy()


@pytest.fixture
def data():
    rng = np.random.default_rng(1)
    return rng.normal(size=(N, I)), rng.uniform(-1, 1, (N, H)), _params()


def test_reset_after_keep_is_torch_grucell(data):
    x, h, params = data
    want = _torch_cell(params)(torch.from_numpy(x), torch.from_numpy(h)).detach().numpy()
    np.testing.assert_allclose(gru_step(x, h, *params), want, rtol=0, atol=1e-13)


def test_unbatched_matches_batched_row(data):
    x, h, params = data
    got = gru_step(x[2], h[2], *params, reset="before")
    assert got.shape == (H,)
    np.testing.assert_allclose(got, gru_step(x, h, *params, reset="before")[2], atol=1e-15)


def test_reset_before_is_cho_emnlp(data):
    x, h, params = data
    np.testing.assert_allclose(
        gru_step(x, h, *params, reset="before"), _cho_emnlp(x, h, params), rtol=0, atol=1e-13
    )


def test_variants_differ_in_general(data):
    x, h, params = data
    after = gru_step(x, h, *params, reset="after")
    before = gru_step(x, h, *params, reset="before")
    assert np.abs(after - before).max() > 1e-3


def test_variants_agree_when_reset_gate_is_open(data):
    x, h, params = data
    w_ih, w_hh, b_ih, b_hh = (p.copy() for p in params)
    b_ih[:H] = 60.0  # r = 1 to double precision: nothing is reset
    after = gru_step(x, h, w_ih, w_hh, b_ih, b_hh, reset="after")
    before = gru_step(x, h, w_ih, w_hh, b_ih, b_hh, reset="before")
    np.testing.assert_allclose(after, before, rtol=0, atol=1e-14)


def test_update_conventions_are_related_by_negating_z_rows(data):
    x, h, params = data
    flipped = [p.copy() for p in params]
    for p in flipped:
        p[H : 2 * H] *= -1
    for reset in ("after", "before"):
        np.testing.assert_allclose(
            gru_step(x, h, *params, reset=reset, update="write"),
            gru_step(x, h, *flipped, reset=reset, update="keep"),
            rtol=0,
            atol=1e-14,
        )
    keep = gru_step(x, h, *params, update="keep")
    write = gru_step(x, h, *params, update="write")
    assert np.abs(keep - write).max() > 1e-2


def test_missing_state_means_zeros(data):
    x, _, params = data
    np.testing.assert_array_equal(
        gru_step(x, None, *params), gru_step(x, np.zeros((N, H)), *params)
    )


@pytest.mark.parametrize("reset", ["after", "before"])
@pytest.mark.parametrize("update", ["keep", "write"])
def test_sequence_equals_stepping(reset, update):
    rng = np.random.default_rng(2)
    xs, h0, params = rng.normal(size=(T, N, I)), rng.uniform(-1, 1, (N, H)), _params(3)
    hs = gru_sequence(xs, h0, *params, reset=reset, update=update)
    h = h0
    for t in range(T):
        h = gru_step(xs[t], h, *params, reset=reset, update=update)
        np.testing.assert_allclose(hs[t], h, rtol=0, atol=1e-14)


def test_sequence_reset_after_is_torch_gru():
    rng = np.random.default_rng(4)
    xs, h0, params = rng.normal(size=(T, N, I)), rng.uniform(-1, 1, (N, H)), _params(5)
    layer = torch.nn.GRU(I, H).double()
    with torch.no_grad():
        for name, value in zip(
            ("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0"), params, strict=True
        ):
            getattr(layer, name).copy_(torch.from_numpy(value))
    want, _ = layer(torch.from_numpy(xs), torch.from_numpy(h0)[None])
    got = gru_sequence(xs, h0, *params)
    np.testing.assert_allclose(got, want.detach().numpy(), rtol=0, atol=1e-13)
    unbatched = gru_sequence(xs[:, 1], h0[1], *params)
    assert unbatched.shape == (T, H)
    np.testing.assert_allclose(unbatched, got[:, 1], atol=1e-15)


def test_bad_options_and_shapes_name_the_function(data):
    x, h, params = data
    with pytest.raises(ValueError, match=r"gru_step: expected reset in"):
        gru_step(x, h, *params, reset="middle")
    with pytest.raises(ValueError, match=r"gru_step: expected update in"):
        gru_step(x, h, *params, update="swap")
    with pytest.raises(
        ValueError, match=r"gru_step: expected x of shape \(N, 3\) or \(3,\), got \(4, 2\)"
    ):
        gru_step(x[:, :2], h, *params)
    with pytest.raises(ValueError, match=r"expected h_prev of shape \(4, 5\), got \(4, 4\)"):
        gru_step(x, h[:, :4], *params)
    with pytest.raises(ValueError, match=r"expected weight_hh of shape \(3H, H\)"):
        gru_step(x, h, params[0], params[1][:, :4], params[2], params[3])
    with pytest.raises(ValueError, match=r"expected bias_ih of shape \(15,\)"):
        gru_step(x, h, params[0], params[1], params[2][:4], params[3])
    with pytest.raises(ValueError, match=r"gru_sequence: expected xs of shape"):
        gru_sequence(x[0], None, *params)
