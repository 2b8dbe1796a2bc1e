"""Checks for the exercises of chapter 13, "LSTMs in PyTorch, in practice".

Both exercises work on padded, batch-first arrays: ``output`` (N, T, H) with sequence n
real for its first ``lengths[n]`` steps and padding after, ``lengths`` (N,).
"""

from __future__ import annotations

import numpy as np

from ._core import StudentCheckError, call_student, exercise_check, expect_close, expect_shape

__all__ = ["check_last_real_output", "check_masked_mean"]


def _padded_case(seed=0):
    """A padded batch whose padding is loud (so using it shows) and whose lengths vary.

    T exceeds the longest length, so an off-by-one in time reads padding instead of
    raising, and every length is at most N, so indexing time first gives a wrong answer
    of the right shape instead of an IndexError: both slips can then be named.
    """
    rng = np.random.default_rng(seed)
    lengths = np.array([5, 2, 4, 1, 3])
    N, T, H = len(lengths), 7, 3
    output = rng.standard_normal((N, T, H))
    for n, length in enumerate(lengths):
        # loud padding, different at every step, so that each wrong step can be told apart
        output[n, length:] = 100.0 + n + 0.5 * np.arange(length, T)[:, None]
    return output, lengths


@exercise_check(points=2)
def check_last_real_output(last_real_output):
    """Check ``last_real_output(output, lengths)`` -> (N, H), row n = ``output[n, lengths[n] - 1]``."""
    what = "last_real_output"
    output, lengths = _padded_case()
    N, T, H = output.shape
    got = call_student(what, last_real_output, output.copy(), lengths.copy())
    if np.shape(got) == (N, N, H):
        raise StudentCheckError(
            f"{what}: expected shape {(N, H)}, got {(N, N, H)}: indexing time with the "
            "whole lengths array pairs every sequence with every length; sequence n goes "
            "with lengths[n] only."
        )
    got = expect_shape(f"{what}(output (N, T, H), lengths)", got, (N, H))
    rows = np.arange(N)
    mistakes = {
        "you take output[:, -1], the last time step: for a short sequence that is padding; "
        "use each sequence's own length": output[:, -1],
        "you take step lengths[n] instead of lengths[n] - 1 (off by one in time: a sequence "
        "of length L ends at index L - 1)": output[rows, lengths],
        "you index time first; output is batch-first, (N, T, H), so the sequence index "
        "comes first": output[lengths - 1, rows],
        "you take output[:, 0], the first step of every sequence": output[:, 0],
    }
    expect_close(
        f"{what}(output, lengths={lengths.tolist()})",
        got,
        output[rows, lengths - 1],
        atol=0,
        rtol=0,
        mistakes=mistakes,
        hint="row n must be the output at sequence n's last real step.",
    )
    full = np.full(N, T)  # every sequence full length: the answer is the last step
    got = call_student(what, last_real_output, output.copy(), full)
    expect_close(f"{what}(output, lengths all {T})", got, output[:, -1], atol=0, rtol=0)


@exercise_check(points=2)
def check_masked_mean(masked_mean):
    """Check ``masked_mean(losses, lengths)``: the mean of ``losses`` (N, T) over real steps only."""
    what = "masked_mean"
    rng = np.random.default_rng(1)
    _, lengths = _padded_case()
    N, T = len(lengths), 7
    losses = rng.uniform(0.5, 1.5, (N, T))
    mask = np.arange(T)[None, :] < lengths[:, None]  # (N, T)
    losses[~mask] = 50.0  # what a loss computed on padding might be
    got = call_student(what, masked_mean, losses.copy(), lengths.copy())
    if got is None or np.ndim(got) != 0:
        raise StudentCheckError(
            f"{what}: expected one number (the mean over all real steps of all sequences), "
            f"got {'None' if got is None else f'an array of shape {np.shape(got)}'}."
        )
    per_sequence = np.array([losses[n, : lengths[n]].mean() for n in range(N)])
    off_by_one = np.arange(T)[None, :] <= lengths[:, None]
    mistakes = {
        "you average over every position, padding included; mask the padded steps out": (
            losses.mean()
        ),
        "you divide the masked sum by N * T; divide by the number of real steps, lengths.sum()": (
            losses * mask
        ).sum()
        / (N * T),
        "you average the per-sequence means, which weighs a short sequence's steps more "
        "than a long one's; average over all real steps": per_sequence.mean(),
        "your mask is off by one: step t is real when t < lengths[n], not t <= lengths[n]": (
            losses[off_by_one].mean()
        ),
        "you divide the masked sum by N, the batch size; divide by the number of real steps": (
            losses * mask
        ).sum()
        / N,
    }
    expect_close(
        f"{what}(losses, lengths={lengths.tolist()})",
        float(got),
        losses[mask].mean(),
        atol=1e-12,
        rtol=1e-12,
        mistakes=mistakes,
        hint="sum the losses of the real steps and divide by their number.",
    )
