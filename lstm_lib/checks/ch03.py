"""Checks for the exercises of chapter 3, "The idea: two memories"."""

from __future__ import annotations

import numpy as np

from ._core import call_student, exercise_check, expect_close, expect_shape, expect_true

__all__ = ["check_cell_states", "check_forget_bias_for"]


def _run_updates(c0, f, i, g, update):
    """Cell states c_1..c_T (T, N, H) from c0 (N, H), stepping ``update(c, f_t, i_t, g_t)``."""
    states, c = [], c0
    for f_t, i_t, g_t in zip(f, i, g, strict=True):
        c = update(c, f_t, i_t, g_t)
        states.append(c)
    return np.stack(states)


@exercise_check(points=2)
def check_cell_states(cell_states):
    """Check ``cell_states(c0, f, i, g)``: the cell states c_1..c_T, against ``LSTMCell``.

    An :class:`lstm_lib.LSTMCell` is stepped over a sequence from a non-zero state; its
    caches give the gates of every step, its outputs the cell states to reproduce. The
    initial cell state is not zero, so a solution that ignores it fails.
    """
    from .. import LSTMCell

    what = "cell_states"
    T, N, I, H = 6, 2, 3, 4
    cell = LSTMCell(I, H, seed=3)
    rng = np.random.default_rng(3)
    xs = rng.standard_normal((T, N, I))  # (T, N, I)
    h = rng.uniform(-1, 1, (N, H))  # (N, H)
    c0 = rng.uniform(-2, 2, (N, H))  # (N, H), far from zero on purpose
    c, gates, states = c0, [], []
    for t in range(T):
        (h, c), cache = cell.forward(xs[t], (h, c))
        gates.append((cache.f, cache.i, cache.g))
        states.append(c)
    f, i, g = (np.stack(gate) for gate in zip(*gates, strict=True))  # (T, N, H) each
    expected = np.stack(states)  # (T, N, H): c_1 .. c_T
    got = call_student(what, cell_states, c0.copy(), f.copy(), i.copy(), g.copy())
    got = expect_shape(
        what, got, expected.shape, "one cell state per step, c_1 to c_T: shape (T, N, H)."
    )
    wrong = [
        (
            _run_updates(np.zeros_like(c0), f, i, g, lambda c, f, i, g: f * c + i * g),
            "you started from zeros: the first step must start from c0, the state the "
            "sequence begins with.",
        ),
        (
            np.concatenate([c0[None], expected[:-1]]),
            "your states are one step late: you returned c_0 .. c_(T-1). Row t should "
            "hold the state after step t + 1, from c_1 to c_T.",
        ),
        (
            f * c0[None] + i * g,
            "every step started from c0: step t starts from the state step t - 1 "
            "returned, so the update has to run in a loop over time.",
        ),
        (
            _run_updates(c0, f, i, g, lambda c, f, i, g: f + g),
            "the forget gate is not added to the candidate: it multiplies the old cell "
            "state (section 'Two paths through time').",
        ),
        (
            _run_updates(c0, f, i, g, lambda c, f, i, g: f * c + g),
            "the candidate is scaled by the input gate before it is added.",
        ),
        (
            _run_updates(c0, f, i, g, lambda c, f, i, g: c + i * g),
            "the old cell state is scaled by the forget gate.",
        ),
        (
            _run_updates(c0, f, i, g, lambda c, f, i, g: f * g + i * c),
            "you swapped the roles of the two gates: which one scales the old state?",
        ),
    ]
    if not np.allclose(got, expected):
        for value, hint in wrong:
            expect_true(not np.allclose(got, value), f"{what}: wrong cell states: {hint}")
    expect_close(
        what,
        got,
        expected,
        atol=1e-12,
        rtol=1e-10,
        hint="each step multiplies and adds element by element (section 'Two paths through time').",
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
    # the bias at work in a real cell: write +1 once, then nothing for 1000 steps
    cell = bit_storing_lstm(forget_bias=float(got))
    xs = np.zeros((1 + 1000, 1, 2))  # (T, N, I)
    xs[0, 0] = [1.0, 1.0]
    _, cs = run_lstm_cell(cell, xs)
    ratio = float(cs[-1, 0, 0] / cs[0, 0, 0])
    expect_true(
        ratio >= 0.99 * (1 - 1e-6),
        f"{what}: in the LSTM cell the memory fell to {ratio:.4g} of its value in 1000 steps.",
    )
