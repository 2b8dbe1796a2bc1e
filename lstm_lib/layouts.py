r"""The same LSTM and GRU stored the ways other frameworks and texts store them.

Shapes: I input features, H hidden units. ``lstm_lib`` keeps PyTorch's layout: for the
LSTM, ``weight_ih`` (4H, I) and ``weight_hh`` (4H, H) with gate blocks in the order
i, f, g, o, applied as ``x @ weight_ih.T``, and two biases (4H,); for the GRU, blocks
r, z, n and two biases (3H,). Other layouts differ in four ways, and every converter
here undoes exactly those:

- **gate order**: Keras i, f, c, o (the same as ours, with c for the candidate g);
  TensorFlow 1's ``LSTMCell`` i, j, f, o (j the candidate); ONNX i, o, f, c; CS231n's
  assignment i, f, o, g. GRU: Keras and ONNX z, r, h; ours (and cuDNN's) r, z, n.
- **orientation**: Keras, TensorFlow 1 and CS231n store ``(I, 4H)`` matrices applied as
  ``x @ W``; TensorFlow 1 stacks input and recurrent weights into one ``(I + H, 4H)``
  kernel applied to ``[x, h]``.
- **biases**: Keras, TensorFlow 1 and CS231n keep one bias (only the sum of our two
  matters, so converting to them adds ours, and converting back puts the sum in
  ``bias_ih`` and zeros in ``bias_hh``); ONNX keeps both, concatenated (8H,). The
  GRU's ``b_hn`` sits inside the reset gate's product, so it cannot be merged: Keras'
  ``reset_after=True`` GRU keeps two biases for that reason.
- **run-time constants**: TensorFlow 1 adds ``forget_bias`` (1.0 by default) to the
  forget gate's pre-activation at run time; its stored bias is ours minus that.

The update gate of the GRU has two conventions: ours (PyTorch, cuDNN, Keras, ONNX,
Cho et al. 2014), :math:`h' = (1 - z) \odot n + z \odot h`, where z keeps the old
state; and Chung et al. 2014's, :math:`h' = (1 - z) \odot h + z \odot \tilde h`, where z
writes the new one. Since :math:`1 - \sigma(a) = \sigma(-a)`, negating the update
gate's weights and biases turns one convention into the other
(:func:`flip_update_gate`); where the reset gate acts is a separate choice that no
converter can change.

Each converter is tested by running the converted parameters through an independent
implementation of the other layout's equations (``tests/test_layouts.py``).
"""

from __future__ import annotations

import numpy as np

from .gru_cell import GRUCell
from .lstm_cell import LSTMCell

__all__ = [
    "reorder_gates",
    "to_keras",
    "from_keras",
    "to_tf1",
    "from_tf1",
    "to_onnx",
    "from_onnx",
    "to_cs231n",
    "from_cs231n",
    "to_keras_gru",
    "from_keras_gru",
    "to_onnx_gru",
    "from_onnx_gru",
    "flip_update_gate",
]

OURS = "ifgo"  # LSTM gate blocks of lstm_lib and PyTorch (and cuDNN)
KERAS = "ifgo"  # Keras writes i, f, c, o: c is our candidate g
TF1 = "igfo"  # TensorFlow 1 writes i, j, f, o: j is our candidate g
ONNX = "iofg"  # ONNX writes i, o, f, c
CS231N = "ifog"  # CS231n's assignment 3 splits a into a_i, a_f, a_o, a_g
OURS_GRU = "rzn"
KERAS_GRU = "zrn"  # Keras and ONNX write z, r, h: h is our candidate n
ONNX_GRU = "zrn"


def reorder_gates(array, source, target, axis=0):
    """Permute the gate blocks of ``array`` along ``axis`` from order ``source`` to ``target``.

    Parameters
    ----------
    array : array_like
        Gate blocks of equal size stacked along ``axis`` (for example (4H, I)).
    source, target : str
        One letter per gate, the same letters in both (``"ifgo"``, ``"iofg"``, ...).
    axis : int, optional
        The axis that holds the blocks.

    Returns
    -------
    ndarray
        A copy with the blocks in ``target`` order.

    Raises
    ------
    ValueError
        The orders do not hold the same distinct letters, or the axis does not split
        into that many equal blocks.
    """
    array = np.asarray(array)
    if sorted(source) != sorted(target) or len(set(source)) != len(source):
        raise ValueError(
            f"reorder_gates: expected two orders of the same distinct gates, got "
            f"{source!r} and {target!r}"
        )
    size = array.shape[axis]
    if size % len(source):
        raise ValueError(
            f"reorder_gates: expected axis {axis} to split into {len(source)} equal blocks, "
            f"got length {size}"
        )
    blocks = np.split(array, len(source), axis=axis)
    return np.concatenate([blocks[source.index(gate)] for gate in target], axis=axis)


def _cell(owner, cell, cls):
    if not isinstance(cell, cls) and not (
        getattr(cell, "gates", None) == cls.gates and hasattr(cell, "weight_ih")
    ):
        raise TypeError(
            f"{owner}: expected an lstm_lib {cls.__name__} (or layer), got {type(cell).__name__}"
        )
    return cell


def _matrix(owner, name, value, shape):
    value = np.asarray(value)
    if value.dtype.kind not in "fiu" or value.shape != shape:
        raise ValueError(
            f"{owner}: expected {name} of shape {shape} and a real dtype, got "
            f"{value.shape} of dtype {value.dtype}"
        )
    return np.array(value, dtype=np.float64 if value.dtype.kind in "iu" else value.dtype)


def _sizes(owner, name, value, gates):
    """Read (I, H) off a (I, G*H) matrix."""
    value = np.asarray(value)
    if value.ndim != 2 or value.shape[1] % gates:
        raise ValueError(f"{owner}: expected {name} of shape (I, {gates}H), got {value.shape}")
    return value.shape[0], value.shape[1] // gates


def _new(cls, input_size, hidden_size, dtype, weight_ih, weight_hh, bias_ih, bias_hh):
    cell = cls(input_size, hidden_size, dtype=dtype)
    cell.weight_ih = weight_ih.astype(dtype)
    cell.weight_hh = weight_hh.astype(dtype)
    cell.bias_ih = bias_ih.astype(dtype)
    cell.bias_hh = bias_hh.astype(dtype)
    return cell


def _dtype(*arrays):
    dtype = np.result_type(*arrays)
    return np.float32 if dtype == np.float32 else np.float64


# ----------------------------------------------------------------------------- Keras


def to_keras(cell):
    """Keras ``LSTM``/``LSTMCell`` weights: ``kernel`` (I, 4H), ``recurrent_kernel`` (H, 4H), ``bias`` (4H,).

    Keras computes ``x @ kernel + h @ recurrent_kernel + bias`` and splits it into
    i, f, c, o, our order; only the orientation and the single bias differ.
    """
    cell = _cell("to_keras", cell, LSTMCell)
    return {
        "kernel": reorder_gates(cell.weight_ih, OURS, KERAS).T.copy(),
        "recurrent_kernel": reorder_gates(cell.weight_hh, OURS, KERAS).T.copy(),
        "bias": reorder_gates(cell.bias_ih + cell.bias_hh, OURS, KERAS),
    }


def from_keras(kernel, recurrent_kernel, bias):
    """An :class:`~lstm_lib.LSTMCell` computing what a Keras LSTM with these weights computes.

    The single bias goes to ``bias_ih``; ``bias_hh`` is zero (only their sum matters).
    """
    owner = "from_keras"
    I, H = _sizes(owner, "kernel", kernel, 4)  # noqa: E741
    kernel = _matrix(owner, "kernel", kernel, (I, 4 * H))
    recurrent_kernel = _matrix(owner, "recurrent_kernel", recurrent_kernel, (H, 4 * H))
    bias = _matrix(owner, "bias", bias, (4 * H,))
    dtype = _dtype(kernel, recurrent_kernel, bias)
    return _new(
        LSTMCell, I, H, dtype,
        reorder_gates(kernel.T, KERAS, OURS),
        reorder_gates(recurrent_kernel.T, KERAS, OURS),
        reorder_gates(bias, KERAS, OURS),
        np.zeros(4 * H),
    )  # fmt: skip


# ------------------------------------------------------------------------ TensorFlow 1


def to_tf1(cell, forget_bias=1.0):
    """TensorFlow 1 ``LSTMCell``/``BasicLSTMCell`` weights: ``kernel`` (I + H, 4H), ``bias`` (4H,).

    TensorFlow 1 computes ``[x, h] @ kernel + bias``, splits it into i, j, f, o and adds
    ``forget_bias`` to f at run time, so the stored forget bias is ours minus it.
    """
    cell = _cell("to_tf1", cell, LSTMCell)
    H = cell.hidden_size
    kernel = np.concatenate([cell.weight_ih.T, cell.weight_hh.T], axis=0)  # (I + H, 4H)
    bias = cell.bias_ih + cell.bias_hh
    bias = bias.copy()
    bias[H : 2 * H] -= forget_bias  # our f block
    return {
        "kernel": reorder_gates(kernel, OURS, TF1, axis=1),
        "bias": reorder_gates(bias, OURS, TF1),
    }


def from_tf1(kernel, bias, input_size, forget_bias=1.0):
    """An :class:`~lstm_lib.LSTMCell` computing what a TensorFlow 1 LSTM cell computes.

    ``input_size`` says where the stacked kernel's input rows end.
    """
    owner = "from_tf1"
    rows, H = _sizes(owner, "kernel", kernel, 4)
    if not isinstance(input_size, (int, np.integer)) or not 0 < input_size < rows:
        raise ValueError(
            f"{owner}: expected 0 < input_size < {rows} (kernel rows), got {input_size!r}"
        )
    if rows - input_size != H:
        raise ValueError(
            f"{owner}: expected kernel of shape (input_size + H, 4H) = ({input_size + H}, {4 * H}), "
            f"got {np.shape(kernel)}"
        )
    kernel = reorder_gates(_matrix(owner, "kernel", kernel, (rows, 4 * H)), TF1, OURS, axis=1)
    bias = reorder_gates(_matrix(owner, "bias", bias, (4 * H,)), TF1, OURS)
    bias[H : 2 * H] += forget_bias
    dtype = _dtype(kernel, bias)
    return _new(
        LSTMCell, input_size, H, dtype,
        kernel[:input_size].T, kernel[input_size:].T, bias, np.zeros(4 * H),
    )  # fmt: skip


# ------------------------------------------------------------------------------- ONNX


def to_onnx(cell):
    """ONNX ``LSTM`` inputs for one direction: ``W`` (1, 4H, I), ``R`` (1, 4H, H), ``B`` (1, 8H).

    ONNX computes ``X W^T + H R^T + Wb + Rb`` like PyTorch, with blocks i, o, f, c and
    ``B`` = [Wb, Rb]; no peepholes (ONNX's optional ``P`` stays absent).
    """
    cell = _cell("to_onnx", cell, LSTMCell)
    W = reorder_gates(cell.weight_ih, OURS, ONNX)
    R = reorder_gates(cell.weight_hh, OURS, ONNX)
    B = np.concatenate(
        [reorder_gates(cell.bias_ih, OURS, ONNX), reorder_gates(cell.bias_hh, OURS, ONNX)]
    )
    return {"W": W[None], "R": R[None], "B": B[None]}


def from_onnx(W, R, B):
    """An :class:`~lstm_lib.LSTMCell` from one direction of ONNX ``LSTM`` inputs."""
    owner = "from_onnx"
    W, R, B = np.asarray(W), np.asarray(R), np.asarray(B)
    if W.ndim != 3 or W.shape[0] != 1 or W.shape[1] % 4:
        raise ValueError(f"{owner}: expected W of shape (1, 4H, I), got {W.shape}")
    H, I = W.shape[1] // 4, W.shape[2]  # noqa: E741
    W = _matrix(owner, "W", W, (1, 4 * H, I))[0]
    R = _matrix(owner, "R", R, (1, 4 * H, H))[0]
    B = _matrix(owner, "B", B, (1, 8 * H))[0]
    dtype = _dtype(W, R, B)
    return _new(
        LSTMCell, I, H, dtype,
        reorder_gates(W, ONNX, OURS), reorder_gates(R, ONNX, OURS),
        reorder_gates(B[: 4 * H], ONNX, OURS), reorder_gates(B[4 * H :], ONNX, OURS),
    )  # fmt: skip


# ----------------------------------------------------------------------------- CS231n


def to_cs231n(cell):
    """CS231n assignment 3's ``Wx`` (I, 4H), ``Wh`` (H, 4H), ``b`` (4H,), blocks i, f, o, g."""
    cell = _cell("to_cs231n", cell, LSTMCell)
    return {
        "Wx": reorder_gates(cell.weight_ih, OURS, CS231N).T.copy(),
        "Wh": reorder_gates(cell.weight_hh, OURS, CS231N).T.copy(),
        "b": reorder_gates(cell.bias_ih + cell.bias_hh, OURS, CS231N),
    }


def from_cs231n(Wx, Wh, b):
    """An :class:`~lstm_lib.LSTMCell` from CS231n's ``Wx``, ``Wh``, ``b``."""
    owner = "from_cs231n"
    I, H = _sizes(owner, "Wx", Wx, 4)  # noqa: E741
    Wx = _matrix(owner, "Wx", Wx, (I, 4 * H))
    Wh = _matrix(owner, "Wh", Wh, (H, 4 * H))
    b = _matrix(owner, "b", b, (4 * H,))
    dtype = _dtype(Wx, Wh, b)
    return _new(
        LSTMCell, I, H, dtype,
        reorder_gates(Wx.T, CS231N, OURS), reorder_gates(Wh.T, CS231N, OURS),
        reorder_gates(b, CS231N, OURS), np.zeros(4 * H),
    )  # fmt: skip


# --------------------------------------------------------------------------------- GRU


def to_keras_gru(cell):
    """Keras ``GRU(reset_after=True)`` weights: ``kernel`` (I, 3H), ``recurrent_kernel`` (H, 3H), ``bias`` (2, 3H).

    Keras' default GRU (TensorFlow 2, ``reset_after=True``) applies the reset gate
    after the recurrent product, as PyTorch does, and keeps the input bias in
    ``bias[0]`` and the recurrent bias in ``bias[1]``; blocks z, r, h.
    """
    cell = _cell("to_keras_gru", cell, GRUCell)
    return {
        "kernel": reorder_gates(cell.weight_ih, OURS_GRU, KERAS_GRU).T.copy(),
        "recurrent_kernel": reorder_gates(cell.weight_hh, OURS_GRU, KERAS_GRU).T.copy(),
        "bias": np.stack(
            [
                reorder_gates(cell.bias_ih, OURS_GRU, KERAS_GRU),
                reorder_gates(cell.bias_hh, OURS_GRU, KERAS_GRU),
            ]
        ),
    }


def from_keras_gru(kernel, recurrent_kernel, bias):
    """A :class:`~lstm_lib.GRUCell` from Keras ``GRU(reset_after=True)`` weights."""
    owner = "from_keras_gru"
    I, H = _sizes(owner, "kernel", kernel, 3)  # noqa: E741
    kernel = _matrix(owner, "kernel", kernel, (I, 3 * H))
    recurrent_kernel = _matrix(owner, "recurrent_kernel", recurrent_kernel, (H, 3 * H))
    bias = _matrix(owner, "bias", bias, (2, 3 * H))
    dtype = _dtype(kernel, recurrent_kernel, bias)
    return _new(
        GRUCell, I, H, dtype,
        reorder_gates(kernel.T, KERAS_GRU, OURS_GRU), reorder_gates(recurrent_kernel.T, KERAS_GRU, OURS_GRU),
        reorder_gates(bias[0], KERAS_GRU, OURS_GRU), reorder_gates(bias[1], KERAS_GRU, OURS_GRU),
    )  # fmt: skip


def to_onnx_gru(cell):
    """ONNX ``GRU`` inputs for one direction, to be used with ``linear_before_reset=1``.

    ``W`` (1, 3H, I), ``R`` (1, 3H, H), ``B`` (1, 6H) = [Wb, Rb], blocks z, r, h. Only
    ``linear_before_reset=1`` computes PyTorch's GRU; ONNX's default (0) is the paper's
    variant, where the reset gate multiplies h before the product.
    """
    cell = _cell("to_onnx_gru", cell, GRUCell)
    W = reorder_gates(cell.weight_ih, OURS_GRU, ONNX_GRU)
    R = reorder_gates(cell.weight_hh, OURS_GRU, ONNX_GRU)
    B = np.concatenate(
        [
            reorder_gates(cell.bias_ih, OURS_GRU, ONNX_GRU),
            reorder_gates(cell.bias_hh, OURS_GRU, ONNX_GRU),
        ]
    )
    return {"W": W[None], "R": R[None], "B": B[None], "linear_before_reset": 1}


def from_onnx_gru(W, R, B, *, linear_before_reset):
    """A :class:`~lstm_lib.GRUCell` from one direction of ONNX ``GRU`` inputs.

    ``linear_before_reset`` must be given: ONNX's default is 0 when a node omits the
    attribute, and only a non-zero value computes PyTorch's GRU.

    Raises
    ------
    ValueError
        ``linear_before_reset`` is 0: the paper's variant has no exact PyTorch form.
    """
    owner = "from_onnx_gru"
    if isinstance(linear_before_reset, bool) or linear_before_reset in (0, None):
        raise ValueError(
            f"{owner}: expected linear_before_reset=1 (PyTorch's GRU), got {linear_before_reset!r}; "
            "the default 0 applies the reset gate before the product, which lstm_lib.GRUCell "
            "does not compute (see lstm_lib.lab.gru_variants)"
        )
    W, R, B = np.asarray(W), np.asarray(R), np.asarray(B)
    if W.ndim != 3 or W.shape[0] != 1 or W.shape[1] % 3:
        raise ValueError(f"{owner}: expected W of shape (1, 3H, I), got {W.shape}")
    H, I = W.shape[1] // 3, W.shape[2]  # noqa: E741
    W = _matrix(owner, "W", W, (1, 3 * H, I))[0]
    R = _matrix(owner, "R", R, (1, 3 * H, H))[0]
    B = _matrix(owner, "B", B, (1, 6 * H))[0]
    dtype = _dtype(W, R, B)
    return _new(
        GRUCell, I, H, dtype,
        reorder_gates(W, ONNX_GRU, OURS_GRU), reorder_gates(R, ONNX_GRU, OURS_GRU),
        reorder_gates(B[: 3 * H], ONNX_GRU, OURS_GRU), reorder_gates(B[3 * H :], ONNX_GRU, OURS_GRU),
    )  # fmt: skip


def flip_update_gate(cell):
    r"""A copy of a GRU cell whose update gate has the other convention.

    With the z block's weights and biases negated, the gate computes
    :math:`\sigma(-a) = 1 - \sigma(a)`: the arrays of a cell in PyTorch's convention
    (:math:`h' = (1 - z) \odot n + z \odot h`, z keeps) become the arrays of the same
    cell written in Chung et al.'s update convention
    (:math:`h' = (1 - z) \odot h + z \odot n`, z writes), and back. Only the update
    convention changes: the reset gate stays where PyTorch puts it, after the recurrent
    product (Chung et al. put it before). Flipping twice is the identity.
    """
    cell = _cell("flip_update_gate", cell, GRUCell)
    H = cell.hidden_size
    twin = type(cell)(cell.input_size, cell.hidden_size, dtype=cell.dtype)
    for name in cell.parameter_names:
        value = getattr(cell, name).copy()
        value[H : 2 * H] *= -1  # the z block of r, z, n
        setattr(twin, name, value)
    return twin
