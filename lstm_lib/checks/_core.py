"""Building blocks for exercise checks with messages a student can act on."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np


class StudentCheckError(AssertionError):
    """An exercise check failed; the message tells the student what to fix."""


def not_implemented_message(what: str) -> str:
    return (
        f"{what}: not implemented yet. Replace `raise NotImplementedError()` "
        "with your solution and run the cell again."
    )


def call_student(what: str, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call a student's function and turn any exception into a readable check failure.

    A ``NotImplementedError`` (the stub that nbgrader leaves) becomes "not implemented
    yet"; any other exception is reported with its type and message, so the student
    sees what went wrong in their code rather than a traceback through the checker.
    """
    if not callable(fn):
        raise StudentCheckError(f"{what}: expected a function, got {type(fn).__name__}.")
    try:
        return fn(*args, **kwargs)
    except NotImplementedError:
        raise StudentCheckError(not_implemented_message(what)) from None
    except Exception as exc:  # the student's bug, reported as a failed check
        raise StudentCheckError(
            f"{what}: your code raised {type(exc).__name__}: {exc}"
        ) from None


def expect_array(what: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array, or fail with a message saying what came instead."""
    if value is None:
        raise StudentCheckError(f"{what}: got None. Did you forget a `return`?")
    if value is NotImplemented or value is Ellipsis:
        raise StudentCheckError(not_implemented_message(what))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise StudentCheckError(
            f"{what}: expected an array of numbers, got {type(value).__name__}."
        ) from None
    return arr


def expect_shape(what: str, value: Any, shape: tuple[int, ...], hint: str = "") -> np.ndarray:
    """Fail unless ``value`` has exactly ``shape`` (no broadcasting is accepted)."""
    arr = expect_array(what, value)
    if arr.shape != tuple(shape):
        msg = f"{what}: expected shape {tuple(shape)}, got {arr.shape}."
        if hint:
            msg += f" Hint: {hint}"
        raise StudentCheckError(msg)
    return arr


def expect_close(
    what: str,
    value: Any,
    expected: Any,
    *,
    atol: float = 1e-8,
    rtol: float = 1e-6,
    hint: str = "",
) -> None:
    """Fail unless ``value`` equals ``expected`` in shape and, element-wise, within tolerance."""
    want = np.asarray(expected, dtype=float)
    got = expect_shape(what, value, want.shape, hint)
    if not np.all(np.isfinite(got)):
        raise StudentCheckError(f"{what}: your result contains NaN or infinity.")
    if not np.allclose(got, want, atol=atol, rtol=rtol):
        err = np.abs(got - want)
        idx = np.unravel_index(int(np.argmax(err)), err.shape) if err.ndim else ()
        msg = (
            f"{what}: values differ from the expected ones (largest difference "
            f"{err.max():.3g} at index {tuple(int(i) for i in idx)}: "
            f"expected {want[idx]:.6g}, got {got[idx]:.6g})."
        )
        if hint:
            msg += f" Hint: {hint}"
        raise StudentCheckError(msg)


def expect_true(condition: bool, message: str) -> None:
    """Fail with ``message`` unless ``condition`` holds."""
    if not condition:
        raise StudentCheckError(message)
