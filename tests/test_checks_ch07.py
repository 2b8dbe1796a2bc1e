"""Chapter 7 checks: pass on the solutions, fail with a helpful message otherwise."""

import numpy as np
import pytest

from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch07 import (
    check_cell_path_gradient,
    check_clip_by_global_norm,
    check_rnn_step_backward,
)


def _stub(*args):
    raise NotImplementedError()


# ---- rnn_step_backward ---------------------------------------------------------------------


def rnn_step_backward(dh, x, h_prev, weight_ih, weight_hh, bias_ih, bias_hh, *, slip=None):
    h = np.tanh(x @ weight_ih.T + bias_ih + h_prev @ weight_hh.T + bias_hh)
    dz = dh * (1 - h**2)
    if slip == "no-derivative":
        dz = dh
    if slip == "at-h_prev":
        dz = dh * (1 - h_prev**2)
    if slip == "one-minus-h":
        dz = dh * (1 - h)
    grads = {
        "input": dz @ weight_ih,
        "h_prev": dz @ weight_hh,
        "weight_ih": dz.T @ x,
        "weight_hh": dz.T @ h_prev,
        "bias_ih": dz.sum(axis=0),
        "bias_hh": dz.sum(axis=0),
    }
    if slip == "transposed":
        grads["weight_ih"] = x.T @ dz
    if slip == "mean-bias":
        grads["bias_ih"] = dz.mean(axis=0)
    if slip == "missing-key":
        del grads["bias_hh"]
    return grads


def test_rnn_backward_solution_passes():
    check_rnn_step_backward(rnn_step_backward)


def test_rnn_backward_agrees_with_torch_autograd():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(1)
    module = torch.nn.RNNCell(2, 3, dtype=torch.float64)
    x = torch.tensor(rng.normal(size=(4, 2)), requires_grad=True)
    h_prev = torch.tensor(np.tanh(rng.normal(size=(4, 3))), requires_grad=True)
    dh = rng.normal(size=(4, 3))
    (module(x, h_prev) * torch.from_numpy(dh)).sum().backward()
    params = [p.detach().numpy() for p in module.parameters()]  # weight_ih, weight_hh, biases
    grads = rnn_step_backward(dh, x.detach().numpy(), h_prev.detach().numpy(), *params)
    assert np.allclose(grads["input"], x.grad.numpy(), atol=1e-12)
    assert np.allclose(grads["h_prev"], h_prev.grad.numpy(), atol=1e-12)
    assert np.allclose(grads["weight_hh"], module.weight_hh.grad.numpy(), atol=1e-12)


def test_rnn_backward_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="rnn_step_backward: not implemented yet"):
        check_rnn_step_backward(_stub)


@pytest.mark.parametrize(
    ("slip", "message"),
    [
        ("no-derivative", "tanh derivative is left out"),
        ("at-h_prev", "taken at h_prev"),
        ("one-minus-h", "written 1 - h instead of 1 - h\\*\\*2"),
        ("transposed", "transposed"),
        ("mean-bias", "bias_ih.*sums over the batch"),
        ("missing-key", "no key"),
    ],
)
def test_rnn_backward_wrong_answers(slip, message):
    def wrong(*args):
        return rnn_step_backward(*args, slip=slip)

    with pytest.raises(StudentCheckError, match=message):
        check_rnn_step_backward(wrong)


def test_rnn_backward_must_return_a_dict():
    with pytest.raises(StudentCheckError, match="expected a dict"):
        check_rnn_step_backward(lambda *a: list(rnn_step_backward(*a).values()))


# ---- clip_by_global_norm -------------------------------------------------------------------


def clip_by_global_norm(grads, max_norm):
    norm = float(np.sqrt(sum(np.sum(g**2) for g in grads.values())))
    scale = max_norm / norm if norm > max_norm else 1.0
    return {k: g * scale for k, g in grads.items()}, norm


def test_clip_solution_passes():
    check_clip_by_global_norm(clip_by_global_norm)


def test_clip_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="clip_by_global_norm: not implemented yet"):
        check_clip_by_global_norm(_stub)


def _in_place(grads, max_norm):
    clipped, norm = clip_by_global_norm(grads, max_norm)
    for k in grads:
        grads[k] *= clipped[k][(0,) * grads[k].ndim] / grads[k][(0,) * grads[k].ndim]
    return grads, norm


def _per_array(grads, max_norm):
    out = {k: g * min(1.0, max_norm / np.linalg.norm(g)) for k, g in grads.items()}
    return out, clip_by_global_norm(grads, max_norm)[1]


def _elementwise(grads, max_norm):
    return {k: np.clip(g, -max_norm, max_norm) for k, g in grads.items()}, clip_by_global_norm(
        grads, max_norm
    )[1]


def _norm_after(grads, max_norm):
    clipped, norm = clip_by_global_norm(grads, max_norm)
    return clipped, min(norm, max_norm)


def _always_scale(grads, max_norm):
    norm = clip_by_global_norm(grads, max_norm)[1]
    return {k: g * max_norm / norm for k, g in grads.items()}, norm


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_in_place, "changed the arrays"),
        (_per_array, "each array is clipped on its own norm"),
        (_elementwise, "entries are clipped one by one"),
        (_norm_after, "norm BEFORE clipping"),
        (_always_scale, "otherwise return them unchanged"),
        (lambda g, m: clip_by_global_norm(g, m)[0], "expected the pair"),
        (lambda g, m: ({"weight_ih": g["weight_ih"]}, 1.0), "has keys"),
    ],
)
def test_clip_wrong_answers(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_clip_by_global_norm(wrong)


# ---- cell_path_gradient --------------------------------------------------------------------


def cell_path_gradient(dc_T, forget_gates):
    T, H = forget_gates.shape
    out = np.empty((T + 1, H))
    out[T] = dc_T
    for t in range(T - 1, -1, -1):
        out[t] = out[t + 1] * forget_gates[t]
    return out


def test_cell_path_solution_passes():
    check_cell_path_gradient(cell_path_gradient)


def test_cell_path_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="cell_path_gradient: not implemented yet"):
        check_cell_path_gradient(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (
            lambda dc, f: np.vstack([dc, dc * np.cumprod(f, axis=0)]),
            "products run forwards in time",
        ),
        (
            lambda dc, f: dc * f[0] ** np.arange(len(f), -1, -1)[:, None],
            "same forget gate",
        ),
        (
            lambda dc, f: np.vstack([cell_path_gradient(dc, f)[1:], dc]),
            "shifted by one step in time",
        ),
        (lambda dc, f: cell_path_gradient(dc, f)[:-1], "expected shape"),
        (lambda dc, f: None, "got None"),
        (lambda dc, f: cell_path_gradient(dc, f) * 2, "values differ"),
    ],
)
def test_cell_path_wrong_answers(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_cell_path_gradient(wrong)
