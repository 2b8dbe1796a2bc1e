"""Checks for the exercises of chapter 9, "Common mistakes in LSTM explanations".

Shapes: N batch, I input features, H hidden units (H != I in every example).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from ._core import call_student, exercise_check, expect_close, expect_shape, expect_true

__all__ = ["check_lstm_gates", "check_write_to_keep"]

N, I, H = 4, 3, 2  # noqa: E741
GATE_NAMES = ("i", "f", "g", "o")
_BLOCK_LABELS = ("block 0 (i)", "block 1 (f)", "block 2 (g)", "block 3 (o)")


@exercise_check(points=2)
def check_lstm_gates(lstm_gates):
    """Check ``lstm_gates(x, h_prev, cell)`` -> ``{"i": ..., "f": ..., "g": ..., "o": ...}``.

    The expected gates are those in the cache of :meth:`lstm_lib.LSTMCell.forward`.
    A gate taken from the wrong block of rows, the wrong nonlinearity, or a missing
    ``bias_hh`` is recognised and named.
    """
    from .. import LSTMCell, sigmoid

    what = "lstm_gates"
    cell = LSTMCell(I, H, seed=9)
    rng = np.random.default_rng(9)
    x = rng.standard_normal((N, I))  # (N, I)
    h_prev = rng.uniform(-1, 1, (N, H))  # (N, H)
    _, cache = cell.forward(x, (h_prev, np.zeros((N, H))))

    pre = x @ cell.weight_ih.T + cell.bias_ih + h_prev @ cell.weight_hh.T + cell.bias_hh  # (N, 4H)
    pre_one_bias = pre - cell.bias_hh  # (N, 4H)
    blocks = [pre[:, k * H : (k + 1) * H] for k in range(4)]  # 4 x (N, H)

    params = {
        name: getattr(cell, name).copy()
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    }
    got = call_student(what, lstm_gates, x.copy(), h_prev.copy(), cell)
    changed = [
        name for name, value in params.items() if not np.array_equal(getattr(cell, name), value)
    ]
    expect_true(
        not changed,
        f"{what}: your function changed the cell's {changed}; read them, don't write them.",
    )
    expect_true(
        isinstance(got, Mapping),
        f"{what}: expected a dict with keys 'i', 'f', 'g', 'o', got {type(got).__name__}.",
    )
    missing = [name for name in GATE_NAMES if name not in got]
    expect_true(not missing, f"{what}: the returned dict has no key(s) {missing}.")

    for k, name in enumerate(GATE_NAMES):
        want = getattr(cache, name)
        value = expect_shape(f"{what}: '{name}'", got[name], (N, H), "each gate has shape (N, H).")
        activation, act_name = (np.tanh, "tanh") if name == "g" else (sigmoid, "sigmoid")
        other_act, other_name = (sigmoid, "sigmoid") if name == "g" else (np.tanh, "tanh")
        if not np.allclose(value, want, atol=1e-10, rtol=1e-8):
            for j, block in enumerate(blocks):
                expect_true(
                    j == k or not np.allclose(value, activation(block), atol=1e-10, rtol=1e-8),
                    f"{what}: '{name}' is computed from {_BLOCK_LABELS[j]}. PyTorch stacks "
                    "the four blocks of rows in the order i, f, g, o, so "
                    f"'{name}' lives in rows {k}*H to {k + 1}*H.",
                )
            expect_true(
                not np.allclose(value, other_act(blocks[k]), atol=1e-10, rtol=1e-8),
                f"{what}: '{name}' uses {other_name}; it should use {act_name}"
                + (" (g is the candidate, a signed value, not a gate)." if name == "g" else "."),
            )
            expect_true(
                not np.allclose(
                    value, activation(pre_one_bias[:, k * H : (k + 1) * H]), atol=1e-10, rtol=1e-8
                ),
                f"{what}: '{name}' leaves out bias_hh. Each gate adds both biases, bias_ih and bias_hh.",
            )
        expect_close(f"{what}: '{name}'", value, want, atol=1e-10, rtol=1e-8)


@exercise_check(points=2)
def check_write_to_keep(write_to_keep):
    """Check ``write_to_keep(weight_ih, weight_hh, bias_ih, bias_hh)``.

    It must return four new arrays such that PyTorch's GRU (z = share kept) with the
    new arrays computes exactly what the "z = share written" GRU computes with the old
    ones. Checked on two random batches with :func:`lstm_lib.lab.gru_variants.gru_step`.
    """
    from ..lab.gru_variants import gru_step

    what = "write_to_keep"
    rng = np.random.default_rng(11)
    params = (
        rng.uniform(-1, 1, (3 * H, I)),
        rng.uniform(-1, 1, (3 * H, H)),
        rng.uniform(-1, 1, 3 * H),
        rng.uniform(-1, 1, 3 * H),
    )
    originals = tuple(p.copy() for p in params)
    got = call_student(what, write_to_keep, *params)
    changed = [
        name
        for name, p, o in zip(
            ("weight_ih", "weight_hh", "bias_ih", "bias_hh"), params, originals, strict=True
        )
        if not np.array_equal(p, o)
    ]
    expect_true(
        not changed,
        f"{what}: you changed the arrays you were given ({changed}); return new arrays "
        "instead (start from p.copy()).",
    )
    expect_true(
        isinstance(got, (tuple, list)) and len(got) == 4,
        f"{what}: expected a tuple of four arrays (weight_ih, weight_hh, bias_ih, bias_hh), "
        f"got {type(got).__name__}"
        + (f" of length {len(got)}." if hasattr(got, "__len__") else "."),
    )
    new = tuple(
        expect_shape(f"{what}: {name}", value, p.shape, "each array keeps its shape.")
        for name, value, p in zip(
            ("weight_ih", "weight_hh", "bias_ih", "bias_hh"), got, params, strict=True
        )
    )

    x = rng.standard_normal((N, I))  # (N, I)
    h_prev = rng.uniform(-1, 1, (N, H))  # (N, H)
    want = gru_step(x, h_prev, *params, update="write")
    value = gru_step(x, h_prev, *new, update="keep")
    if not np.allclose(value, want, atol=1e-10, rtol=1e-8):
        z_rows = slice(H, 2 * H)
        flipped = [np.allclose(n[z_rows], -p[z_rows]) for n, p in zip(new, params, strict=True)]
        expect_true(
            not (flipped[0] and flipped[1] and not (flipped[2] and flipped[3])),
            f"{what}: the z rows of both weights are negated but not those of both biases; "
            "the biases are part of the pre-activation too.",
        )
        r_rows = slice(0, H)
        expect_true(
            not all(
                np.allclose(n[r_rows], -p[r_rows]) and np.allclose(n[z_rows], p[z_rows])
                for n, p in zip(new, params, strict=True)
            ),
            f"{what}: you negated the rows of the reset gate r (rows 0 to H). PyTorch's "
            "blocks are r, z, n: the update gate z is the second block.",
        )
        expect_true(
            not all(np.array_equal(n, -p) for n, p in zip(new, params, strict=True)),
            f"{what}: you negated every row. Only the z block (rows H to 2H) must change; "
            "r and n stay as they are.",
        )
        expect_true(
            not all(
                np.allclose(n[z_rows], 1 - p[z_rows]) for n, p in zip(new, params, strict=True)
            ),
            f"{what}: 1 - sigmoid(a) equals sigmoid(-a), not sigmoid(1 - a): negate the z rows.",
        )
    expect_close(
        f"{what}: GRU output with your arrays",
        value,
        want,
        atol=1e-10,
        rtol=1e-8,
        hint="use 1 - sigmoid(a) = sigmoid(-a): which rows make up the pre-activation of z?",
    )
