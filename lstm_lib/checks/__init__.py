"""Checks that the exercise cells call.

A check never lets a traceback from inside the library reach the student: it raises
``StudentCheckError`` (an ``AssertionError``) whose message says what was expected, what
came and, where possible, which slip it looks like, and which Jupyter shows without a
traceback. A check that passes prints one line with its points (``exercise_check``). Chapter-specific checks live in ``lstm_lib/checks/chNN.py`` and are
built from the helpers here.
"""

from ._core import (
    MESSAGE_WIDTH,
    SHAPE_HINT,
    StudentCheckError,
    call_student,
    diagnose,
    exercise_check,
    expect_array,
    expect_close,
    expect_defined,
    expect_shape,
    expect_true,
    not_implemented_message,
    passed_message,
    render_failure,
)

__all__ = [
    "MESSAGE_WIDTH",
    "SHAPE_HINT",
    "exercise_check",
    "passed_message",
    "render_failure",
    "StudentCheckError",
    "call_student",
    "diagnose",
    "expect_array",
    "expect_close",
    "expect_defined",
    "expect_shape",
    "expect_true",
    "not_implemented_message",
]
