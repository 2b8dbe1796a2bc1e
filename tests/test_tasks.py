"""lstm_lib.lab.tasks: shapes, seeding, the answer really sits at the lag, argument checks."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from lstm_lib.lab.tasks import adding_problem, copy_task, delayed_recall, recall_input_size


@pytest.mark.parametrize("lag", [1, 2, 7, 40])
def test_delayed_recall_layout(lag):
    K = 5
    x, y = delayed_recall(16, lag, n_symbols=K, seed=3)
    assert x.shape == (lag + 1, 16, K + 2) and x.dtype == np.float32
    assert y.shape == (16,) and y.dtype == np.int64
    assert np.all(x.sum(axis=-1) == 1.0)  # exactly one active channel per step
    assert np.array_equal(x[0].argmax(axis=-1), y)  # the symbol at step 0 is the target
    assert np.all(x[lag, :, K + 1] == 1.0)  # the cue comes last
    assert np.all(x[1:lag, :, K] == 1.0)  # blanks in between
    assert recall_input_size(K) == x.shape[-1]


def test_delayed_recall_target_appears_nowhere_after_step_zero():
    x, _ = delayed_recall(64, 10, n_symbols=4, seed=0)
    assert x[1:, :, :4].sum() == 0.0


def test_delayed_recall_is_seeded_and_balanced():
    a = delayed_recall(4000, 3, seed=1)
    b = delayed_recall(4000, 3, seed=1)
    c = delayed_recall(4000, 3, seed=2)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    counts = np.bincount(a[1], minlength=4) / 4000
    assert np.allclose(counts, 0.25, atol=0.03)


def test_adding_problem_target_is_the_sum_of_the_marked_values():
    x, y = adding_problem(200, 30, seed=4)
    assert x.shape == (30, 200, 2) and y.shape == (200,)
    markers = x[..., 1]
    assert np.all(markers.sum(axis=0) == 2)
    assert np.all(markers[:15].sum(axis=0) == 1) and np.all(markers[15:].sum(axis=0) == 1)
    np.testing.assert_allclose((x[..., 0] * markers).sum(axis=0), y, rtol=1e-6)
    # predicting the mean 1.0 gives about 1/6, the variance of a sum of two uniforms
    big_x, big_y = adding_problem(20000, 10, seed=0)
    assert abs(np.mean((big_y - 1.0) ** 2) - 1 / 6) < 0.01


def test_copy_task_targets_repeat_the_input_after_the_lag():
    S, lag, K = 3, 6, 5
    x, y = copy_task(8, lag, n_symbols=K, length=S, seed=0)
    T = S + lag + S
    assert x.shape == (T, 8, K + 2) and y.shape == (T, 8)
    assert np.array_equal(y[T - S :], x[:S, :, :K].argmax(axis=-1))
    assert np.all(y[: T - S] == K)
    assert np.all(x[S + lag - 1, :, K + 1] == 1.0)
    assert np.all(x.sum(axis=-1) == 1.0)


def test_as_torch_returns_tensors_with_the_same_values():
    xn, yn = delayed_recall(5, 4, seed=0)
    xt, yt = delayed_recall(5, 4, seed=0, as_torch=True)
    assert isinstance(xt, torch.Tensor) and xt.dtype == torch.float32 and yt.dtype == torch.int64
    assert np.array_equal(xt.numpy(), xn) and np.array_equal(yt.numpy(), yn)
    xa, ya = adding_problem(5, 6, seed=0, as_torch=True)
    assert isinstance(xa, torch.Tensor) and ya.dtype == torch.float32
    xc, yc = copy_task(5, 2, seed=0, as_torch=True)
    assert xc.shape == (2 + 2 * 5, 5, 10) and yc.dtype == torch.int64


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda: delayed_recall(0, 5), ValueError, r"delayed_recall: expected n >= 1, got 0"),
        (lambda: delayed_recall(4, 0), ValueError, r"expected lag >= 1, got 0"),
        (lambda: delayed_recall(4, 2.5), TypeError, r"expected lag to be an integer, got float"),
        (lambda: delayed_recall(4, True), TypeError, r"lag to be an integer, got bool"),
        (lambda: delayed_recall(4, 3, n_symbols=1), ValueError, r"n_symbols >= 2"),
        (lambda: adding_problem(4, 1), ValueError, r"adding_problem: expected length >= 2"),
        (lambda: copy_task(4, 3, length=0), ValueError, r"copy_task: expected length >= 1"),
        (lambda: recall_input_size(1), ValueError, r"n_symbols >= 2"),
    ],
)
def test_bad_arguments_raise_clear_errors(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_numpy_integers_are_accepted():
    x, _ = delayed_recall(np.int64(3), np.int32(4), seed=0)
    assert x.shape == (5, 3, 6)
