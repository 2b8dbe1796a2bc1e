"""Checks for the exercises of chapter 8, "GRU": one forward step and its backward pass.

Shapes: N batch, I input features, H hidden units. The examples use H != I so that a
transposed weight or a concatenation in the wrong order fails with a shape error.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._core import call_student, exercise_check, expect_close, expect_shape, expect_true

__all__ = ["check_gru_step", "check_gru_step_backward"]

N, I, H = 3, 4, 5  # noqa: E741


def _example(seed):
    """A batch, a previous state and GRU parameters in PyTorch's layout (r, z, n blocks)."""
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((N, I))  # (N, I)
    h_prev = rng.uniform(-0.9, 0.9, (N, H))  # (N, H)
    params = (
        rng.uniform(-0.8, 0.8, (3 * H, I)),  # weight_ih
        rng.uniform(-0.8, 0.8, (3 * H, H)),  # weight_hh
        rng.uniform(-0.8, 0.8, 3 * H),  # bias_ih
        rng.uniform(-0.8, 0.8, 3 * H),  # bias_hh
    )
    return x, h_prev, params


def _swap_r_z(params):
    """The same parameters with the r and z blocks exchanged."""
    order = np.r_[H : 2 * H, 0:H, 2 * H : 3 * H]
    return tuple(p[order] for p in params)


def _reset_open(params):
    """The same parameters with the reset gate forced to 1 (as if r were left out)."""
    w_ih, w_hh, b_ih, b_hh = (p.copy() for p in params)
    w_ih[:H], w_hh[:H], b_ih[:H] = 0.0, 0.0, 1e3
    return w_ih, w_hh, b_ih, b_hh


@exercise_check(points=2)
def check_gru_step(gru_step):
    """Check ``gru_step(x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh)`` (PyTorch's GRU).

    The expected value comes from :func:`lstm_lib.lab.gru_variants.gru_step`, itself
    tested against ``torch.nn.GRUCell``. Known slips are recognised and named: z and
    1 - z swapped, the paper's reset-before-product candidate, r and z blocks swapped,
    the reset gate left out.
    """
    from ..lab.gru_variants import gru_step as reference

    what = "gru_step"
    x, h_prev, params = _example(8)
    got = call_student(what, gru_step, x.copy(), h_prev.copy(), *(p.copy() for p in params))
    got = expect_shape(
        what, got, (N, H), "the new state has the shape of h_prev, (N, H) = (3, 5) here."
    )
    want = reference(x, h_prev, *params)
    wrong = [
        (
            reference(x, h_prev, *params, update="write"),
            "z and 1 - z are swapped. In PyTorch's convention z is the share of the old "
            "state that is KEPT: h = (1 - z) * n + z * h_prev.",
        ),
        (
            reference(x, h_prev, *params, reset="before"),
            "this is the paper's candidate, with r applied to h_prev before the product "
            "with W_hn. The exercise asks for PyTorch's: r * (h_prev @ W_hn.T + b_hn).",
        ),
        (
            reference(x, h_prev, *_swap_r_z(params)),
            "the r and z blocks are swapped. PyTorch stacks the rows in the order r, z, n.",
        ),
        (
            reference(x, h_prev, *_reset_open(params)),
            "the reset gate is missing from the candidate: n = tanh(W_in x + b_in + r * (W_hn h_prev + b_hn)).",
        ),
    ]
    if not np.allclose(got, want, atol=1e-10, rtol=1e-8):
        for value, hint in wrong:
            expect_true(
                not np.allclose(got, value, atol=1e-10, rtol=1e-8),
                f"{what}: wrong new state: {hint}",
            )
    expect_close(
        what,
        got,
        want,
        atol=1e-10,
        rtol=1e-8,
        hint="compute r, z and n one at a time and compare each with the chapter's cells.",
    )


def _slipped_backward(dh, x, h_prev, params, slip):
    """Gradients ``(dx, dh_prev)`` of one GRU step with one known slip, to name it.

    ``slip`` is ``"z_sign"`` (dL/dz taken as dh * (n - h_prev)), ``"r_missing"`` (the
    gradient of m = W_hn h_prev + b_hn not multiplied by r) or ``"tanh_prime"`` (tanh'
    written as 1 - n instead of 1 - n**2).
    """
    from .. import sigmoid

    w_ih, w_hh, b_ih, b_hh = params
    from_input = x @ w_ih.T + b_ih  # (N, 3H)
    from_hidden = h_prev @ w_hh.T + b_hh  # (N, 3H)
    r = sigmoid(from_input[:, :H] + from_hidden[:, :H])  # (N, H)
    z = sigmoid(from_input[:, H : 2 * H] + from_hidden[:, H : 2 * H])  # (N, H)
    m = from_hidden[:, 2 * H :]  # (N, H)
    n = np.tanh(from_input[:, 2 * H :] + r * m)  # (N, H)
    tanh_prime = 1 - n if slip == "tanh_prime" else 1 - n**2
    d_pre_n = dh * (1 - z) * tanh_prime
    d_z = dh * (n - h_prev) if slip == "z_sign" else dh * (h_prev - n)
    d_pre_z = d_z * z * (1 - z)
    d_pre_r = d_pre_n * m * r * (1 - r)
    d_m = d_pre_n if slip == "r_missing" else d_pre_n * r
    dx = np.concatenate([d_pre_r, d_pre_z, d_pre_n], axis=1) @ w_ih  # (N, I)
    dh_prev = dh * z + np.concatenate([d_pre_r, d_pre_z, d_m], axis=1) @ w_hh  # (N, H)
    return dx, dh_prev


_BACKWARD_SLIPS = {
    "z_sign": "the gradient of z has the wrong sign. From h = (1 - z) * n + z * h_prev, "
    "dL/dz = dh * (h_prev - n), not dh * (n - h_prev).",
    "r_missing": "the gradient reaching m = W_hn h_prev + b_hn misses the factor r: in the "
    "candidate, m is multiplied by r, so dL/dm = dL/d(pre-activation of n) * r.",
    "tanh_prime": "the derivative of tanh is 1 - n**2 (n is already tanh of the "
    "pre-activation), not 1 - n.",
}


def _name_backward_slip(what, dx, dh_prev, dh, x, h_prev, params):
    """Fail with the slip's name when (dx, dh_prev) is what a known slip produces."""
    for slip, message in _BACKWARD_SLIPS.items():
        slip_dx, slip_dh_prev = _slipped_backward(dh, x, h_prev, params, slip)
        same_dx = np.allclose(dx, slip_dx, atol=1e-9, rtol=1e-7)
        same_dh = np.allclose(dh_prev, slip_dh_prev, atol=1e-9, rtol=1e-7)
        # a slip on the recurrent path only (r_missing) leaves dx right
        expect_true(not (same_dx and same_dh), f"{what}: wrong gradients: {message}")


@exercise_check(points=3)
def check_gru_step_backward(gru_step_backward):
    """Check ``gru_step_backward(dh, x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh)``.

    It must return a dict with ``"input"`` (N, I) and ``"h_prev"`` (N, H), the
    gradients of ``sum(h * dh)``. The expected values come from
    :meth:`lstm_lib.GRUCell.backward` (tested against torch autograd and finite
    differences). Named slips: the forgotten direct path ``z * dh``, the sign of dL/dz,
    the factor r missing on the recurrent path of the candidate, and tanh' = 1 - n.
    """
    from .. import GRUCell

    what = "gru_step_backward"
    x, h_prev, params = _example(9)
    dh = np.random.default_rng(10).standard_normal((N, H))  # (N, H)
    cell = GRUCell(I, H)
    cell.weight_ih, cell.weight_hh, cell.bias_ih, cell.bias_hh = (p.copy() for p in params)
    _, cache = cell.forward(x, h_prev)
    want = cell.backward(dh, cache)

    got = call_student(
        what, gru_step_backward, dh.copy(), x.copy(), h_prev.copy(), *(p.copy() for p in params)
    )
    expect_true(
        isinstance(got, Mapping),
        f"{what}: expected a dict like {{'input': dx, 'h_prev': dh_prev}}, got {type(got).__name__}.",
    )
    missing = [key for key in ("input", "h_prev") if key not in got]
    expect_true(not missing, f"{what}: the returned dict has no key(s) {missing}.")

    dx = expect_shape(f"{what}: 'input'", got["input"], (N, I), "dx has the shape of x.")
    dh_prev = expect_shape(
        f"{what}: 'h_prev'", got["h_prev"], (N, H), "it has the shape of h_prev."
    )
    if not (
        np.allclose(dx, want["input"], atol=1e-9, rtol=1e-7)
        and np.allclose(dh_prev, want["h_prev"], atol=1e-9, rtol=1e-7)
    ):
        _name_backward_slip(what, dx, dh_prev, dh, x, h_prev, params)
    expect_close(
        f"{what}: 'input' (the gradient with respect to x)",
        dx,
        want["input"],
        atol=1e-9,
        rtol=1e-7,
        hint="x reaches h through all three pre-activations; add the three products "
        "d_a_r @ W_ir + d_a_z @ W_iz + d_a_n @ W_in.",
    )
    if not np.allclose(dh_prev, want["h_prev"], atol=1e-9, rtol=1e-7):
        expect_true(
            not np.allclose(dh_prev, want["h_prev"] - cache.z * dh, atol=1e-9, rtol=1e-7),
            f"{what}: 'h_prev' misses the direct path. h_prev also reaches h through the "
            "term z * h_prev, which contributes z * dh.",
        )
    expect_close(
        f"{what}: 'h_prev' (the gradient with respect to h_prev)",
        dh_prev,
        want["h_prev"],
        atol=1e-9,
        rtol=1e-7,
        hint="h_prev has four paths: directly through z * h_prev, and through the r, z and "
        "n pre-activations (for n, via r * (W_hn h_prev + b_hn)).",
    )
