"""Checks for chapter 7, "Backpropagation through time".

The backward step of a plain RNN cell is compared, array by array, with
:meth:`lstm_lib.RNNCell.backward`; when a result matches what a classic slip produces
(the tanh derivative left out, or taken at the wrong place), the message names the slip.
"""

from __future__ import annotations

import numpy as np

from ._core import (
    StudentCheckError,
    call_student,
    exercise_check,
    expect_array,
    expect_close,
    expect_true,
)

GRAD_KEYS = ("input", "h_prev", "weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _rnn_backward(dh, x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, *, slip=None):
    """An independent batched RNN backward step; ``slip`` reproduces one classic mistake."""
    z = x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh  # (N, H)
    h = np.tanh(z)
    if slip == "no-derivative":
        dz = dh
    elif slip == "derivative-of-h_prev":
        dz = dh * (1 - h_prev**2)
    elif slip == "one-minus-h":
        dz = dh * (1 - h)
    else:
        dz = dh * (1 - h**2)  # (N, H)
    return {
        "input": dz @ weight_ih,
        "h_prev": dz @ weight_hh,
        "weight_ih": dz.T @ x,
        "weight_hh": dz.T @ h_prev,
        "bias_ih": dz.sum(axis=0),
        "bias_hh": dz.sum(axis=0),
    }


SLIPS = {
    "no-derivative": "the tanh derivative is left out (dz = dh)",
    "derivative-of-h_prev": "the tanh derivative is taken at h_prev instead of the new h",
    "one-minus-h": "the tanh derivative is written 1 - h instead of 1 - h**2",
}

# Diagnoses that point to the chapter's equations ("Affine map" in "One step backward, gate
# by gate") without writing out the answer.
HINTS = {
    "input": "x reaches the loss through the affine map z = x W_ih^T + ...: see the 'Affine "
    "map' equations of chapter 7, with dz = dL/dz (the tanh derivative at the NEW h, times dh).",
    "h_prev": "h_prev enters z through weight_hh exactly as x enters through weight_ih "
    "('Affine map' equations).",
    "weight_ih": "a weight's gradient pairs dz with what that weight multiplied, summed over "
    "the batch, and has the weight's shape (H, I) ('Affine map' equations).",
    "weight_hh": "a weight's gradient pairs dz with what that weight multiplied, summed over "
    "the batch, and has the weight's shape (H, H) ('Affine map' equations).",
    "bias_ih": "a bias is added to every row of the batch, so its gradient sums over the "
    "batch ('Affine map' equations).",
    "bias_hh": "bias_hh enters exactly like bias_ih, so its gradient is the same.",
}


@exercise_check(points=3)
def check_rnn_step_backward(rnn_step_backward) -> None:
    """Check ``rnn_step_backward(dh, x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh) -> dict``
    against :meth:`lstm_lib.RNNCell.backward` (N = 3, I = 2, H = 4)."""
    from .. import RNNCell

    what = "rnn_step_backward"
    rng = np.random.default_rng(707)
    N, I, H = 3, 2, 4  # noqa: E741
    x = rng.normal(size=(N, I))
    h_prev = np.tanh(rng.normal(size=(N, H)))
    params = (
        rng.normal(size=(H, I)) * 0.7,
        rng.normal(size=(H, H)) * 0.7,
        rng.normal(size=H) * 0.3,
        rng.normal(size=H) * 0.3,
    )
    dh = rng.normal(size=(N, H))
    inputs = (dh, x, h_prev, *params)
    got = call_student(what, rnn_step_backward, *(a.copy() for a in inputs))
    expect_true(
        isinstance(got, dict),
        f"{what}: expected a dict of gradients, got {type(got).__name__}. "
        f"Return {{'input': dx, 'h_prev': dh_prev, ...}} with the keys {', '.join(GRAD_KEYS)}.",
    )
    missing = [k for k in GRAD_KEYS if k not in got]
    expect_true(not missing, f"{what}: the dict has no key(s) {missing}; expected {GRAD_KEYS}.")

    cell = RNNCell(I, H)
    for name, value in zip(("weight_ih", "weight_hh", "bias_ih", "bias_hh"), params, strict=True):
        getattr(cell, name)[...] = value
    _, cache = cell.forward(x, h_prev)
    expected = cell.backward(dh, cache)
    slipped = {label: _rnn_backward(*inputs, slip=slip) for slip, label in SLIPS.items()}
    for key in GRAD_KEYS:
        value = expect_array(f"{what}['{key}']", got[key])
        if value.shape == expected[key].T.shape and value.shape != expected[key].shape:
            raise StudentCheckError(
                f"{what}['{key}']: expected shape {expected[key].shape}, got {value.shape} "
                "(transposed). A gradient has the shape of what it is the gradient of."
            )
        expect_close(
            f"{what}['{key}']",
            value,
            expected[key],
            hint=HINTS[key],
            mistakes={label: grads[key] for label, grads in slipped.items()},
        )


# ---- gradient clipping --------------------------------------------------------------------


@exercise_check(points=2)
def check_clip_by_global_norm(clip_by_global_norm) -> None:
    """Check ``clip_by_global_norm(grads, max_norm) -> (clipped, norm)`` (Pascanu et al. 2013)."""
    what = "clip_by_global_norm"
    rng = np.random.default_rng(77)
    grads = {
        "weight_ih": rng.normal(size=(8, 3)),
        "weight_hh": rng.normal(size=(8, 2)),
        "bias_ih": rng.normal(size=8),
    }
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    for max_norm in (1.0, 2 * norm):
        given = {k: v.copy() for k, v in grads.items()}
        result = call_student(what, clip_by_global_norm, given, max_norm)
        expect_true(
            isinstance(result, tuple) and len(result) == 2 and isinstance(result[0], dict),
            f"{what}: expected the pair (clipped_dict, norm), got {type(result).__name__}.",
        )
        clipped, got_norm = result
        expect_true(
            set(clipped) == set(grads),
            f"{what}: the clipped dict has keys {sorted(clipped)}, expected {sorted(grads)}.",
        )
        expect_true(
            all(np.array_equal(given[k], grads[k]) for k in grads),
            f"{what}: your function changed the arrays it was given; build new ones "
            "(g * scale) instead of scaling in place.",
        )
        expect_close(
            f"{what} (the norm it returns)",
            got_norm,
            norm,
            hint="return the global norm BEFORE clipping: sqrt of the sum of all squares "
            "of all arrays.",
        )
        scale = min(1.0, max_norm / norm)
        for key, g in grads.items():
            per_array = g * min(1.0, max_norm / np.linalg.norm(g))
            expect_close(
                f"{what}(grads, max_norm={max_norm:.3g})['{key}']",
                clipped[key],
                g * scale,
                mistakes={
                    "each array is clipped on its own norm instead of the global norm": per_array,
                    "the entries are clipped one by one (np.clip) instead of rescaled": np.clip(
                        g, -max_norm, max_norm
                    ),
                },
                hint="when the global norm exceeds max_norm, multiply EVERY array by "
                "max_norm / norm; otherwise return them unchanged.",
            )


# ---- the cell path ------------------------------------------------------------------------


@exercise_check(points=1)
def check_cell_path_gradient(cell_path_gradient) -> None:
    """Check ``cell_path_gradient(dc_T, forget_gates) -> (T + 1, H)`` array.

    Row t must be :math:`dc_T \\odot f_{t+1} \\odot \\dots \\odot f_T` (row T is dc_T itself):
    what reaches :math:`c_t` along the cell state alone.
    """
    what = "cell_path_gradient"
    rng = np.random.default_rng(7007)
    T, H = 5, 3
    forget_gates = rng.uniform(0.3, 0.99, size=(T, H))
    dc_T = rng.normal(size=H)
    got = call_student(what, cell_path_gradient, dc_T.copy(), forget_gates.copy())
    expected = np.empty((T + 1, H))
    expected[T] = dc_T
    for t in range(T - 1, -1, -1):
        expected[t] = expected[t + 1] * forget_gates[t]
    forward_products = np.vstack([dc_T, dc_T * np.cumprod(forget_gates, axis=0)])
    expect_close(
        what,
        got,
        expected,
        hint="start from dc_T in the last row and walk backwards, multiplying by one "
        "forget gate per step; forget_gates[t] is the gate of the step that made c_(t+1).",
        mistakes={
            "the products run forwards in time (row t holds f_1 ... f_t) instead of backwards": (
                forward_products
            ),
            "every row uses the same forget gate (forget_gates[0])": dc_T
            * forget_gates[0] ** np.arange(T, -1, -1)[:, None],
            "row t holds what reaches c_(t+1): the rows are shifted by one step in time": (
                np.vstack([expected[1:], dc_T])
            ),
        },
    )
