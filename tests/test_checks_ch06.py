"""Chapter 6 checks: pass on the solutions, fail with a helpful message otherwise."""

import numpy as np
import pytest

from lstm_lib import sigmoid
from lstm_lib.checks import StudentCheckError
from lstm_lib.checks.ch06 import SLIPS, check_final_states, check_matches_reference

torch = pytest.importorskip("torch")

PARAMETER_NAMES = ("weight_ih", "weight_hh", "bias_ih", "bias_hh")


def _stub(*args):
    raise NotImplementedError()


# ---- final_states of a padded batch ---------------------------------------------------------


def _step(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    z = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh
    i, f, g, o = np.split(z, 4, axis=1)
    c = sigmoid(f) * c + sigmoid(i) * np.tanh(g)
    return sigmoid(o) * np.tanh(c), c


def _final_states(xs, lengths, *params, offset=0, stop_at_length=True):
    """The masked loop; ``offset`` shifts the step kept (the off-by-one slips)."""
    T, N, _ = xs.shape
    H = params[1].shape[1]
    h, c = np.zeros((N, H)), np.zeros((N, H))
    for t in range(T):
        h_new, c_new = _step(xs[t], h, c, *params)
        running = (t < np.asarray(lengths) + offset)[:, None] if stop_at_length else True
        h, c = np.where(running, h_new, h), np.where(running, c_new, c)
    return h, c


def final_states(xs, lengths, *params):
    return _final_states(xs, lengths, *params)


def test_final_states_solution_passes():
    check_final_states(final_states)


def test_final_states_agrees_with_torch_on_each_sequence_alone():
    """Independent oracle: torch.nn.LSTM on each unpadded sequence."""
    rng = np.random.default_rng(0)
    module = torch.nn.LSTM(3, 4, dtype=torch.float64)
    params = [getattr(module, name + "_l0").detach().numpy() for name in PARAMETER_NAMES]
    lengths = np.array([5, 2, 1])
    xs = rng.normal(size=(5, 3, 3))
    h, c = final_states(xs, lengths, *params)
    for n, k in enumerate(lengths):
        with torch.no_grad():
            _, (h_ref, c_ref) = module(torch.from_numpy(xs[:k, n : n + 1]))
        assert np.abs(h[n] - h_ref[0, 0].numpy()).max() < 1e-12
        assert np.abs(c[n] - c_ref[0, 0].numpy()).max() < 1e-12


def test_final_states_stub_says_not_implemented():
    with pytest.raises(StudentCheckError, match="final_states: not implemented yet"):
        check_final_states(_stub)


def _added(xs, lengths, weight_ih, weight_hh, bias_ih, bias_hh):
    """The seed's addition, inside the masked loop (I != H in the check)."""
    T, N, _ = xs.shape
    h = c = np.zeros((N, weight_hh.shape[1]))
    for t in range(T):
        h, c = _step(xs[t] + h, h, c, weight_ih, weight_hh, bias_ih, bias_hh)
    return h, c


def _last_step_only(xs, lengths, *params):
    """Reads the state at index lengths - 1 of a loop that ran through the padding."""
    T, N, _ = xs.shape
    H = params[1].shape[1]
    h, c = np.zeros((N, H)), np.zeros((N, H))
    hs, cs = [], []
    for t in range(T):
        h, c = _step(xs[t], h, c, *params)
        hs.append(h)
        cs.append(c)
    rows = np.arange(N)
    return np.stack(hs)[lengths - 1, rows], np.stack(cs)[lengths - 1, rows]


@pytest.mark.parametrize(
    ("wrong", "message"),
    [
        (lambda xs, k, *p: _final_states(xs, k, *p, stop_at_length=False), "padding is run"),
        (lambda xs, k, *p: _final_states(xs, k, *p, offset=-1), "one step too early"),
        (lambda xs, k, *p: _final_states(xs, k, *p, offset=+1), "one step too late"),
        (lambda xs, k, *p: final_states(xs, k, *p)[::-1], "states are swapped"),
        (_added, "your code raised ValueError"),
        (lambda xs, k, *p: final_states(xs, k, *p)[0], "expected the pair"),
        (lambda xs, k, *p: tuple(s[0] for s in final_states(xs, k, *p)), "expected shape"),
        (lambda xs, k, *p: tuple(s + 1e-3 for s in final_states(xs, k, *p)), "values differ"),
    ],
)
def test_final_states_wrong_answers(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_final_states(wrong)


def test_final_states_gather_from_a_full_run_is_correct_too():
    """Running through the padding and reading row lengths - 1 is a valid answer."""
    check_final_states(_last_step_only)


# ---- matches_reference ---------------------------------------------------------------------


def _make_test(N=3, I=2, H=5, atol=1e-10, catch=True, zero_states=False):  # noqa: E741
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
        if zero_states:  # the escape this test closes: zeros hide a step that ignores them
            h0, c0 = np.zeros_like(h0), np.zeros_like(c0)
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
        (_make_test(zero_states=True), "ignores the previous hidden state.*non-zero"),
        (_make_test(catch=False), "must not crash"),
        (lambda step: "yes", "expected True or False"),
    ],
)
def test_matches_reference_wrong_answers(wrong, message):
    with pytest.raises(StudentCheckError, match=message):
        check_matches_reference(wrong)


# ---- the notebook's own solution cell, master and student version ----------------------------


def test_final_states_notebook_solution_passes_and_student_version_says_not_implemented():
    from exercise_cells import run_cell, solution_source, student_source

    source = solution_source("06_pseudocode_to_code.ipynb", "ch06-run-lstm")
    check_final_states(run_cell(source, np=np, sigmoid=sigmoid)["final_states"])
    student = run_cell(student_source(source), np=np, sigmoid=sigmoid)["final_states"]
    with pytest.raises(StudentCheckError, match="final_states: not implemented yet"):
        check_final_states(student)
