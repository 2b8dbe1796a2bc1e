"""The building blocks of the exercise checks: right answers pass, typical wrong answers fail
with a message a student can act on, and a ``NotImplementedError`` stub says "not implemented yet".

The LSTM step used as the running example is written here from its equations (gate order
i, f, g, o, weights (4H, I) and (4H, H), two biases), independently of ``lstm_lib``.
"""

from __future__ import annotations

import numpy as np
import pytest

from lstm_lib.checks import (
    MESSAGE_WIDTH,
    StudentCheckError,
    call_student,
    diagnose,
    exercise_check,
    expect_array,
    expect_close,
    expect_defined,
    expect_shape,
    expect_true,
)

I, H = 3, 2  # noqa: E741 - input features, hidden units (I != H so a transposed weight cannot fit)


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def lstm_step(x, h, c, w_ih, w_hh, b_ih, b_hh, *, swap_if=False, bias=True, transpose=False):
    """One unbatched LSTM step; the keyword flags reproduce classic student mistakes."""
    if transpose:  # x @ W instead of W @ x: only fits when the shapes happen to allow it
        z = x @ w_ih + h @ w_hh
    else:
        z = w_ih @ x + w_hh @ h  # (4H,)
    if bias:
        z = z + b_ih + b_hh
    i, f, g, o = np.split(z, 4)  # (H,) each
    if swap_if:
        i, f = f, i
    i, f, g, o = _sigmoid(i), _sigmoid(f), np.tanh(g), _sigmoid(o)
    c_new = f * c + i * g
    return o * np.tanh(c_new), c_new


@pytest.fixture
def example():
    rng = np.random.default_rng(0)
    x, h, c = rng.normal(size=I), rng.normal(size=H), rng.normal(size=H)
    w_ih, w_hh = rng.normal(size=(4 * H, I)), rng.normal(size=(4 * H, H))
    b_ih, b_hh = rng.normal(size=4 * H), rng.normal(size=4 * H)
    return x, h, c, w_ih, w_hh, b_ih, b_hh


def failure(fn, *args, **kwargs) -> str:
    """Run a check that must fail; return its message after checking it is student-friendly."""
    with pytest.raises(AssertionError) as info:
        fn(*args, **kwargs)
    exc = info.value
    assert isinstance(exc, StudentCheckError)
    # No chained traceback from inside the checker: the student sees one message.
    assert exc.__cause__ is None
    assert exc.__context__ is None or exc.__suppress_context__
    message = str(exc)
    assert message and "Traceback" not in message
    return message


# --- right answers --------------------------------------------------------------------------


def test_right_answer_passes(example):
    expected = lstm_step(*example)
    got = call_student("lstm_step", lstm_step, *example)
    for got_part, want_part in zip(got, expected, strict=True):
        expect_close("lstm_step", got_part, want_part)
    assert expect_shape("h", got[0], (H,)).shape == (H,)
    expect_true(True, "never shown")


def test_tolerances_accept_rounding_noise(example):
    h, _ = lstm_step(*example)
    expect_close("h", h + 1e-12, h)
    expect_close("scalar", 0.25 + 1e-10, 0.25)


# --- typical wrong answers ------------------------------------------------------------------


def test_swapped_gates_fail_with_the_values_that_differ(example):
    h, _ = lstm_step(*example)
    wrong, _ = lstm_step(*example, swap_if=True)
    message = failure(expect_close, "h", wrong, h)
    assert "values differ" in message and "expected" in message and "got" in message


def test_a_known_mistake_is_named(example):
    h, _ = lstm_step(*example)
    mistakes = {
        "the input and forget gates are swapped (order is i, f, g, o)": lstm_step(
            *example, swap_if=True
        )[0],
        "a bias is missing": lstm_step(*example, bias=False)[0],
    }
    message = failure(expect_close, "h", mistakes["a bias is missing"], h, mistakes=mistakes)
    assert "a bias is missing" in message
    message = failure(expect_close, "h", lstm_step(*example, swap_if=True)[0], h, mistakes=mistakes)
    assert "swapped" in message
    # An unknown mistake still gets the generic report.
    message = failure(expect_close, "h", h + 1.0, h, mistakes=mistakes)
    assert "largest difference" in message


def test_missing_bias_fails_with_the_hint(example):
    _, c = lstm_step(*example)
    _, wrong = lstm_step(*example, bias=False)
    message = failure(expect_close, "c", wrong, c, hint="add both bias_ih and bias_hh.")
    assert "Hint: add both bias_ih and bias_hh." in message


def test_wrong_shape_fails_without_broadcasting(example):
    h, _ = lstm_step(*example)
    message = failure(expect_close, "h", h[None, :], h)  # (1, H) would broadcast against (H,)
    assert f"expected shape ({H},), got (1, {H})" in message
    message = failure(expect_shape, "h", h, (1, H), hint="keep the batch axis.")
    assert "Hint: keep the batch axis." in message


def test_transposed_weights_that_do_not_fit_get_a_shape_hint(example):
    message = failure(call_student, "lstm_step", lstm_step, *example, transpose=True)
    assert "your code raised ValueError" in message
    assert "(4H, I)" in message and "x @ W.T" in message


def test_transposed_square_weights_give_wrong_values():
    rng = np.random.default_rng(1)
    w = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    message = failure(expect_close, "z", x @ w, w @ x)  # runs, but computes W.T @ x
    assert "values differ" in message


def test_nan_and_non_numbers_and_none():
    assert "NaN or infinity" in failure(expect_close, "h", np.array([np.nan, 0.0]), [0.0, 0.0])
    assert "Remove the quotes" in failure(expect_array, "h", "0.5")
    assert "expected an array of numbers, got dict" in failure(expect_array, "h", {"h": 1})
    assert "forget a `return`" in failure(expect_array, "h", None)


def test_any_student_exception_is_reported_by_name():
    def buggy(x):
        return x / 0 if isinstance(x, int) else {}["missing"]

    assert "your code raised ZeroDivisionError" in failure(call_student, "f", buggy, 1)
    assert "your code raised KeyError" in failure(call_student, "f", buggy, 1.0)
    assert "expected a function, got int" in failure(call_student, "f", 3)


def test_expect_true_reports_its_message():
    assert failure(expect_true, False, "h must stay in (-1, 1)") == "h must stay in (-1, 1)"


def test_diagnose_returns_the_matching_mistake_only():
    assert diagnose([1.0, 2.0], {"a": [1.0, 2.0], "b": [0.0, 0.0]}) == "a"
    assert diagnose([1.0, 2.0], {"wrong shape": [[1.0, 2.0]]}) == ""


# --- stubs: what nbgrader leaves in the student version -------------------------------------


def stub(*args, **kwargs):
    # YOUR CODE HERE
    raise NotImplementedError()


def test_a_function_stub_says_not_implemented_yet(example):
    message = failure(call_student, "lstm_step", stub, *example)
    assert "lstm_step: not implemented yet" in message
    assert "raise NotImplementedError(" in message  # tells the student what to replace


def test_a_value_stub_says_not_implemented_yet():
    # In the student version the solution cell raised before binding the name.
    message = failure(expect_defined, "max_slope", {})
    assert "max_slope: not implemented yet" in message
    assert "not implemented yet" in failure(expect_defined, "answer", {"answer": ...})
    assert "not implemented" in failure(expect_array, "answer", None)


def test_expect_defined_reads_the_callers_globals():
    globals()["_answer_for_test"] = 0.25
    try:
        assert expect_defined("_answer_for_test") == 0.25
    finally:
        del globals()["_answer_for_test"]
    assert "not implemented yet" in failure(expect_defined, "_answer_for_test")
    assert expect_defined("x", {"x": 0}) == 0  # a falsy answer is still an answer


def test_expect_defined_called_from_a_check_function_reads_the_notebook():
    # A chapter's check function lives in lstm_lib.checks.chNN; the name it looks up is the
    # student's, in the namespace of the cell that called the check.
    import types

    source = "def check():\n    return expect_defined('_answer_for_test')\n"
    module_globals = {"__name__": "lstm_lib.checks.ch99", "expect_defined": expect_defined}
    exec(compile(source, "ch99.py", "exec"), module_globals)
    check = module_globals["check"]
    assert isinstance(check, types.FunctionType)
    assert "not implemented yet" in failure(check)
    globals()["_answer_for_test"] = 1.5
    try:
        assert check() == 1.5
    finally:
        del globals()["_answer_for_test"]


# --- what the student sees: a short failure, a visible pass -----------------------------------


def test_a_failure_renders_as_its_message_alone():
    message = (
        "forget_gate: the recurrent bias b_hf is missing: a gate adds both biases. "
        "See 'Stage 1: the forget gate' in this chapter; " + "more words " * 20
    )
    lines = StudentCheckError(message)._render_traceback_()
    assert lines[0].startswith("✗ Check failed: forget_gate:")
    assert all(len(line) <= MESSAGE_WIDTH for line in lines)
    # Nothing lost or added by the wrapping, and no traceback or file names.
    assert " ".join(" ".join(lines).split()) == "✗ Check failed: " + " ".join(message.split())
    assert not any("Traceback" in line or ".py" in line for line in lines)


def test_ipython_shows_the_rendered_message_instead_of_a_traceback(capsys):
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    try:
        shell.run_cell(
            "from lstm_lib.checks import StudentCheckError\n"
            "def inner():\n    raise StudentCheckError('answer: the output gate is missing.')\n"
            "inner()\n"
        )
    finally:
        InteractiveShell.clear_instance()
    shown = capsys.readouterr()
    text = shown.out + shown.err
    assert "✗ Check failed: answer: the output gate is missing." in text
    assert "Traceback" not in text and "inner()" not in text


def test_a_passing_check_prints_its_points(capsys):
    @exercise_check(points=3)
    def check_forget_gate(value):
        expect_true(value == 1, "forget_gate: wrong")
        return "result"

    assert check_forget_gate(1) == "result"  # the check's own return value passes through
    assert capsys.readouterr().out == "✓ forget_gate: check passed (3 points).\n"
    assert check_forget_gate.points == 3 and check_forget_gate.__name__ == "check_forget_gate"
    with pytest.raises(StudentCheckError):
        check_forget_gate(2)
    assert capsys.readouterr().out == ""  # no confirmation for a failure


@pytest.mark.parametrize("points", [0, -1, "2", None])
def test_exercise_check_rejects_points_that_are_not_positive_numbers(points):
    with pytest.raises(ValueError, match="exercise_check: expected points > 0"):
        exercise_check(points)
