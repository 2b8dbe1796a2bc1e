"""Checks that the exercise cells call.

A check never lets a traceback from inside the library reach the student: it raises
``AssertionError`` with a message that says what was expected, what came and, where
possible, a hint. Chapter-specific checks live in ``lstm_lib/checks/chNN.py`` and are
built from the helpers here.
"""

from ._core import (
    SHAPE_HINT,
    StudentCheckError,
    call_student,
    diagnose,
    expect_array,
    expect_close,
    expect_defined,
    expect_shape,
    expect_true,
    not_implemented_message,
)

__all__ = [
    "SHAPE_HINT",
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
