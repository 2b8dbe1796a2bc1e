"""Checks for chapter 5, "The whole cell".

The reference for the fused step is :class:`lstm_lib.LSTMCell` itself, with the
student's weights copied in; the parameter count of a stack is checked against the
formula 4H(inputs + H) + 2 * 4H per layer (PyTorch keeps two bias vectors), and the
ONNX import against weights permuted by the check itself.
"""

from __future__ import annotations

import numpy as np

from ._core import (
    StudentCheckError,
    call_student,
    exercise_check,
    expect_close,
    expect_shape,
    expect_true,
)
from .ch04 import call_with_sum_hint

__all__ = ["check_from_onnx", "check_lstm_step", "check_stacked_param_count"]


def _layer_count(inputs: int, hidden: int) -> int:
    """Parameters of one LSTM layer in PyTorch's convention: 4H(inputs + H) + 2 * 4H."""
    return 4 * hidden * (inputs + hidden) + 2 * 4 * hidden


@exercise_check(points=1)
def check_stacked_param_count(stacked_lstm_param_count) -> None:
    """Check ``stacked_lstm_param_count(input_size, hidden_size, num_layers) -> int``.

    Expected: the count of ``torch.nn.LSTM(input_size, hidden_size, num_layers)``: the first
    layer reads the input (I features), every later layer reads the H hidden states below.
    A wrong count is diagnosed by the slip it matches; the expected number is never shown.
    """
    what = "stacked_lstm_param_count"
    for I, H, L in ((3, 5, 1), (3, 4, 2), (10, 20, 3), (1, 1, 2), (128, 64, 4)):  # noqa: E741
        got = call_student(what, stacked_lstm_param_count, I, H, L)
        call = f"{what}({I}, {H}, {L})"
        expect_true(
            isinstance(got, (int, np.integer)) and not isinstance(got, bool),
            f"{call}: expected an int, got {type(got).__name__}.",
        )
        expected = _layer_count(I, H) + (L - 1) * _layer_count(H, H)
        if got == expected:
            continue
        slips = [
            (
                L * _layer_count(I, H),
                "every layer was counted with I inputs; the layers above the first read "
                "the H hidden states of the layer below (section 'Counting the parameters', "
                "with I replaced by H).",
            ),
            (_layer_count(I, H), "that is one layer only; count all num_layers of them."),
            (
                (L - 1) * _layer_count(I, H) + _layer_count(H, H),
                "the input size is swapped: the FIRST layer reads the I input features, "
                "the later ones read H.",
            ),
            (
                expected - L * 4 * H,
                "PyTorch keeps TWO bias vectors per layer (bias_ih and bias_hh), 4H each.",
            ),
            (
                expected - L * 8 * H,
                "that is the weights only; add the two bias vectors of 4H each, in every layer.",
            ),
            (expected // 4, "there are FOUR blocks per layer (i, f, g, o), each H rows."),
        ]
        values = [value for value, _ in slips]
        # a hint only when exactly one slip gives this count (and it is not the answer)
        hints = {v: text for v, text in slips if values.count(v) == 1 and v != expected}
        hint = hints.get(
            int(got),
            "count, layer by layer, weight_ih (4H x inputs), weight_hh (4H x H), bias_ih "
            "(4H) and bias_hh (4H), where inputs is I for the first layer and H above it.",
        )
        raise StudentCheckError(f"{call}: the count is wrong. Hint: {hint}")


def _blocks(a, order):
    return np.concatenate([np.split(a, 4)[k] for k in order])


@exercise_check(points=2)
def check_from_onnx(from_onnx) -> None:
    """Check ``from_onnx(W, R, B) -> (weight_ih, weight_hh, bias_ih, bias_hh)``.

    ONNX stores W (4H, I) and R (4H, H) in the gate order i, o, f, c and B (8H,) as the
    input biases followed by the recurrent ones; PyTorch's order is i, f, g, o.
    """
    what = "from_onnx"
    rng = np.random.default_rng(507)
    I, H = 3, 2  # noqa: E741
    weight_ih = rng.normal(size=(4 * H, I))
    weight_hh = rng.normal(size=(4 * H, H))
    bias_ih = rng.normal(size=4 * H)
    bias_hh = rng.normal(size=4 * H)
    torch_to_onnx = (0, 3, 1, 2)  # ONNX's block k (i, o, f, c) is PyTorch's block (i, o, f, g)
    W, R = _blocks(weight_ih, torch_to_onnx), _blocks(weight_hh, torch_to_onnx)
    B = np.concatenate([_blocks(bias_ih, torch_to_onnx), _blocks(bias_hh, torch_to_onnx)])
    result = call_with_sum_hint(what, from_onnx, W.copy(), R.copy(), B.copy())
    expect_true(
        isinstance(result, tuple) and len(result) == 4,
        f"{what}: expected the tuple (weight_ih, weight_hh, bias_ih, bias_hh), got "
        f"{type(result).__name__}"
        + (f" of length {len(result)}" if isinstance(result, tuple) else "")
        + ".",
    )
    names = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")
    shapes = ((4 * H, I), (4 * H, H), (4 * H,), (4 * H,))
    got = [
        expect_shape(f"{what} ({n})", v, s) for n, v, s in zip(names, result, shapes, strict=True)
    ]
    if np.allclose(got[2], bias_hh) and np.allclose(got[3], bias_ih):
        raise StudentCheckError(
            f"{what}: bias_ih and bias_hh are swapped. B holds the input biases (Wb) first, "
            "then the recurrent biases (Rb)."
        )
    sources = (W, R, B[: 4 * H], B[4 * H :])
    for name, value, want, onnx in zip(
        names, got, (weight_ih, weight_hh, bias_ih, bias_hh), sources, strict=True
    ):
        expect_close(
            f"{what} ({name})",
            value,
            want,
            mistakes={
                "the blocks are kept in ONNX's order i, o, f, c; reorder them to i, f, g, o": onnx,
                "the blocks are reordered in the wrong direction (ONNX's block k was put "
                "where PyTorch's order names it, instead of the other way round)": _blocks(
                    onnx, torch_to_onnx
                ),
                "the block order is reversed": _blocks(onnx, (3, 2, 1, 0)),
            },
            hint="split into four blocks of H rows; ONNX's order is i, o, f, c and PyTorch's "
            "is i, f, g, o (ONNX's c is the candidate g).",
        )


def _reference_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh):
    from .. import LSTMCell

    N, I = x.shape  # noqa: E741
    H = h_prev.shape[1]
    cell = LSTMCell(I, H)
    cell.weight_ih[...] = weight_ih
    cell.weight_hh[...] = weight_hh
    cell.bias_ih[...] = bias_ih
    cell.bias_hh[...] = bias_hh
    return cell(x, (h_prev, c_prev))


@exercise_check(points=3)
def check_lstm_step(lstm_step) -> None:
    """Check ``lstm_step(x, h_prev, c_prev, weight_ih, weight_hh, bias_ih, bias_hh) -> (h, c)``.

    The reference is :class:`lstm_lib.LSTMCell` with the same parameters. I != H, so
    adding ``h_prev`` to ``x`` (instead of using both) cannot go unnoticed.
    """
    what = "lstm_step"
    rng = np.random.default_rng(505)
    N, I, H = 2, 3, 4  # noqa: E741
    x = rng.normal(size=(N, I))
    h_prev = rng.normal(size=(N, H)) * 0.5
    c_prev = rng.normal(size=(N, H))
    weight_ih = rng.normal(size=(4 * H, I)) * 0.6
    weight_hh = rng.normal(size=(4 * H, H)) * 0.6
    bias_ih = rng.normal(size=4 * H) * 0.3
    bias_hh = rng.normal(size=4 * H) * 0.3
    params = (weight_ih, weight_hh, bias_ih, bias_hh)
    result = call_with_sum_hint(
        what, lstm_step, x.copy(), h_prev.copy(), c_prev.copy(), *(p.copy() for p in params)
    )
    expect_true(
        isinstance(result, tuple) and len(result) == 2,
        f"{what}: expected a tuple (h, c), got {type(result).__name__}. End with `return h, c`.",
    )
    h, c = (expect_shape(what, v, (N, H), hint="both states are (N, H).") for v in result)
    h_ref, c_ref = _reference_step(x, h_prev, c_prev, *params)
    if np.allclose(h, c_ref) and np.allclose(c, h_ref):
        raise StudentCheckError(
            f"{what}: h and c are swapped. The cell returns (h, c): the new hidden state "
            "first, then the new cell state."
        )
    if not np.allclose(c, c_ref, atol=1e-8):
        # The usual slips, each recomputed from the reference with one piece left out.
        slips = {
            "the recurrent bias bias_hh is missing (a cell adds both biases)": (
                bias_ih,
                np.zeros_like(bias_hh),
            ),
            "the input bias bias_ih is missing (a cell adds both biases)": (
                np.zeros_like(bias_ih),
                bias_hh,
            ),
            "both biases are missing": (np.zeros_like(bias_ih), np.zeros_like(bias_hh)),
        }
        for slip, (b_ih, b_hh) in slips.items():
            _, c_slip = _reference_step(x, h_prev, c_prev, weight_ih, weight_hh, b_ih, b_hh)
            if np.allclose(c, c_slip, atol=1e-8):
                raise StudentCheckError(
                    f"{what}: {slip}. See 'One product instead of eight' in this chapter."
                )
        raise StudentCheckError(
            f"{what}: the new cell state c differs from lstm_lib.LSTMCell's (largest "
            f"difference {np.abs(c - c_ref).max():.3g}). Compare with the six equations of "
            "section 'The full diagram': both sources and both biases in the (N, 4H) "
            "pre-activations, the order of its four column blocks (i, f, g, o), which "
            "activation each block gets, and the cell-state update."
        )
    expect_close(
        what + " (the hidden state h)",
        h,
        h_ref,
        hint="c is right, so look at the last line of the step: which block is the output "
        "gate, and what does it multiply? (Stage 3 of chapter 4.)",
    )
