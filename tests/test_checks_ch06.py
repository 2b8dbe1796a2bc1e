"""Chapter 6 checks: pass on the solutions, fail with a helpful message otherwise."""

import numpy as np
import pytest

from lstm_lib import sigmoid
from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch06 import SLIPS, check_matches_reference, check_run_lstm

torch = pytest.importorskip("torch")

PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _stub(*args):
    raise NotImplementedError()


# ---- run_lstm ------------------------------------------------------------------------------


def _step(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    z = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = np.split(z, 4, axis=1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def run_lstm(xs, state, *params):
    h, c = state
    hs = []
    for x in xs:
        h, c = _step(x, h, c, *params)
        hs.append(h)
    return np.stack(hs), (h, c)


def test_run_lstm_solution_passes():
    check_run_lstm(run_lstm)


def test_run_lstm_agrees_with_torch():
    rng = np.random.default_rng(0)
    module = torch.nn.LSTM(3, 4, dtype=torch.float64)
    params = [getattr(module, name + "_l0").detach().numpy() for name in PARAMETER_NAMES]
    xs, h0, c0 = rng.normal(size=(5, 2, 3)), rng.normal(size=(2, 4)), rng.normal(size=(2, 4))
    with torch.no_grad():
        hs_ref, (h_ref, c_ref) = module(
            torch.from_numpy(xs), (torch.from_numpy(h0)[None], torch.from_numpy(c0)[None])
        )
    hs, (h, c) = run_lstm(xs, (h0, c0), *params)
    assert np.abs(hs - hs_ref.numpy()).max() < 1e-12
    assert np.abs(c - c_ref[0].numpy()).max() < 1e-12


def test_run_lstm_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="run_lstm: not implemented yet"):
        check_run_lstm(_stub)


def _swapped_unpacking(xs, state, *params):
    h, c = state
    hs = []
    for x in xs:
        c, h = _step(x, h, c, *params)
        hs.append(h)
    return np.stack(hs), (h, c)


def _zero_state(xs, state, *params):
    return run_lstm(xs, tuple(np.zeros_like(s) for s in state), *params)


def _starts_with_h0(xs, state, *params):
    hs, final = run_lstm(xs, state, *params)
    return np.concatenate([state[0][None], hs[:-1]]), final


def _final_swapped(xs, state, *params):
    hs, (h, c) = run_lstm(xs, state, *params)
    return hs, (c, h)


def _added(xs, state, weight_ih, weight_hh, bias_ih, bias_hh):
    h, c = state
    hs = []
    for x in xs:
        h, c = _step(x + h, h, c, weight_ih, weight_hh, bias_ih, bias_hh)
        hs.append(h)
    return np.stack(hs), (h, c)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (_swapped_unpacking, "unpacks \\(c, h\\)"),
        (_zero_state, "ignores the initial state"),
        (_starts_with_h0, "starts with h0"),
        (_final_swapped, "final state is swapped"),
        (_added, "your code raised ValueError"),
        (lambda xs, state, *p: run_lstm(xs, state, *p)[0], "expected the pair"),
        (lambda xs, state, *p: (run_lstm(xs, state, *p)[0][:, 0], state), "expected shape"),
        (lambda xs, state, *p: (run_lstm(xs, state, *p)[0] + 1e-3, state), "values differ"),
    ],
)
def test_run_lstm_wrong_answers(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_run_lstm(wrong)


# ---- matches_reference ---------------------------------------------------------------------


def _make_test(N=3, I=2, H=5, atol=1e-10, catch=True):  # noqa: E741
    def matches_reference(step):
        torch.manual_seed(11)
        reference = torch.nn.LSTMCell(I, H, dtype=torch.float64)
        weights = [getattr(reference, n).detach().numpy().copy() for n in PARAMETER_NAMES]
        rng = np.random.default_rng(11)
        x, h0, c0 = (
            rng.normal(size=(N, I)),
            np.tanh(rng.normal(size=(N, H))),
            rng.normal(size=(N, H)),
        )
        with torch.no_grad():
            h_ref, c_ref = (
                t.numpy()
                for t in reference(
                    torch.from_numpy(x), (torch.from_numpy(h0), torch.from_numpy(c0))
                )
            )
        try:
            h, c = step(x.copy(), h0.copy(), c0.copy(), *weights)
        except Exception:
            if not catch:
                raise
            return False
        h, c = np.asarray(h), np.asarray(c)
        if h.shape != (N, H) or c.shape != (N, H):
            return False
        return bool(
            np.allclose(h, h_ref, rtol=0, atol=atol) and np.allclose(c, c_ref, rtol=0, atol=atol)
        )

    return matches_reference


def _shape_only_square(step):
    """A weak test: equal sizes and shapes only, so the addition slip gets through."""
    n = 3
    rng = np.random.default_rng(1)
    params = (
        rng.normal(size=(4 * n, n)),
        rng.normal(size=(4 * n, n)),
        np.zeros(4 * n),
        np.zeros(4 * n),
    )
    try:
        h, c = step(rng.normal(size=(2, n)), np.zeros((2, n)), np.zeros((2, n)), *params)
    except Exception:
        return False
    return np.shape(h) == np.shape(c) == (2, n)


def test_matches_reference_solution_passes():
    check_matches_reference(_make_test())


def test_every_slip_really_differs_from_the_reference():
    test = _make_test()
    for label, step in SLIPS.items():
        assert not test(step), label


def test_matches_reference_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="matches_reference: not implemented yet"):
        check_matches_reference(_stub)


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda step: True, "accepted a step that adds h_prev"),
        (lambda step: False, "rejected a correct step"),
        (_shape_only_square, "test with H != I"),
        (_make_test(atol=1e-5), "float32.*tolerance"),
        (_make_test(catch=False), "must not crash"),
        (lambda step: "yes", "expected True or False"),
    ],
)
def test_matches_reference_wrong_answers(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_matches_reference(wrong)
