"""Checks for the exercises of chapter 3, "The idea: two memories"."""

from __future__ import annotations

import numpy as np

from ._core import call_student, exercise_check, expect_close, expect_shape, expect_true

__all__ = ["check_cell_update", "check_forget_bias_for"]


@exercise_check(points=2)
def check_cell_update(cell_update):
    """Check ``cell_update(c_prev, f, i, g)`` = f * c_prev + i * g, against ``LSTMCell``.

    The expected new cell state is the one :class:`lstm_lib.LSTMCell` computes; its
    cache provides the gates.
    """
    from .. import LSTMCell

    what = "cell_update"
    cell = LSTMCell(3, 4, seed=3)
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 3))  # (N, I)
    h_prev = rng.uniform(-1, 1, (2, 4))  # (N, H)
    c_prev = rng.uniform(-2, 2, (2, 4))  # (N, H)
    (_, c), cache = cell.forward(x, (h_prev, c_prev))
    f, i, g = cache.f, cache.i, cache.g
    got = call_student(what, cell_update, c_prev.copy(), f.copy(), i.copy(), g.copy())
    got = expect_shape(what, got, c.shape, "the new cell state has the shape of c_prev.")
    wrong = [
        (
            f + g,
            "the forget gate is not added to the candidate: it multiplies the old cell "
            "state, and the input gate multiplies the candidate.",
        ),
        (f * c_prev + g, "the candidate is scaled by the input gate i before it is added."),
        (c_prev + i * g, "the old cell state is scaled by the forget gate f."),
        (f * g + i * c_prev, "you swapped the roles: f scales c_prev, i scales g."),
    ]
    if not np.allclose(got, c):
        for value, hint in wrong:
            expect_true(not np.allclose(got, value), f"{what}: wrong new cell state: {hint}")
    expect_close(
        what,
        got,
        c,
        atol=1e-12,
        rtol=1e-10,
        hint="compare your update with the cell-state equation of 'Two paths through time', "
        "term by term (everything is element by element).",
    )


@exercise_check(points=1)
def check_forget_bias_for(forget_bias_for):
    """Check ``forget_bias_for(keep, steps)``: the smallest b with σ(b)**steps >= keep.

    The returned bias is also put into the hand-set bit-storing LSTM cell of the
    chapter, and the cell must then hold that fraction of its memory for ``steps`` steps.
    """
    from .. import sigmoid
    from ..lab.memory import bit_storing_lstm, run_lstm_cell

    what = "forget_bias_for"
    for keep, steps in ((0.9, 200), (0.5, 100), (0.99, 1000)):
        got = call_student(what, forget_bias_for, keep, steps)
        got = float(expect_shape(f"{what}({keep}, {steps})", got, ()))
        expected = float(np.log(keep ** (1 / steps)) - np.log1p(-(keep ** (1 / steps))))
        kept = float(sigmoid(got)) ** steps
        expect_true(
            kept >= keep * (1 - 1e-9),
            f"{what}({keep}, {steps}): with bias {got:.4g} the forget gate is "
            f"{float(sigmoid(got)):.6f}, and after {steps} steps only {kept:.4g} of the memory "
            f"is left, less than {keep}. The gate must be at least keep**(1/steps) = "
            f"{keep ** (1 / steps):.6f}.",
        )
        expect_close(
            f"{what}({keep}, {steps})",
            got,
            expected,
            atol=1e-6,
            rtol=1e-6,
            hint="a larger bias also keeps enough, but the exercise asks for the smallest: "
            "solve σ(b) = keep**(1/steps) for b.",
        )
    # the bias at work in a real cell: write +1 once, then nothing for 200 steps
    cell = bit_storing_lstm(forget_bias=float(got))
    xs = np.zeros((1 + 1000, 1, 2))  # (T, N, I)
    xs[0, 0] = [1.0, 1.0]
    _, cs = run_lstm_cell(cell, xs)
    ratio = float(cs[-1, 0, 0] / cs[0, 0, 0])
    expect_true(
        ratio >= 0.99 * (1 - 1e-6),
        f"{what}: in the LSTM cell the memory fell to {ratio:.4g} of its value in 1000 steps.",
    )
