"""Building blocks for exercise checks with messages a student can act on.

What a student sees: a failed check shows only its message (no traceback through this
package, whose frames would show the reference solution); a passed check prints one line
with its points, so "passed" cannot be mistaken for "did not run".
"""

from __future__ import annotations

import functools
import inspect
import textwrap
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import numpy as np

# nbgrader validate indents each line by 4 and cuts it at 87 characters; 78 fits both it
# and a notebook's output area.
MESSAGE_WIDTH = 78
FAIL_MARK = "✗ Check failed:"
PASS_MARK = "✓"


def render_failure(message: str) -> list[str]:
    """The lines a failed check shows: the message, wrapped, under a one-word verdict."""
    return textwrap.wrap(
        f"{FAIL_MARK} {message}",
        width=MESSAGE_WIDTH,
        subsequent_indent="  ",
        break_on_hyphens=False,
    )


class StudentCheckError(AssertionError):
    """An exercise check failed; the message tells the student what to fix.

    IPython (Jupyter, nbgrader's autograder and ``nbgrader validate``) shows what
    ``_render_traceback_`` returns instead of a traceback, so the student reads the
    message alone; ``ename``/``evalue`` of the output keep the class name and full text.
    """

    def _render_traceback_(self) -> list[str]:
        return render_failure(str(self))


def passed_message(what: str, points: float) -> str:
    unit = "point" if points == 1 else "points"
    return f"{PASS_MARK} {what}: check passed ({points:g} {unit})."


Check = TypeVar("Check", bound=Callable[..., Any])


def exercise_check(points: float) -> Callable[[Check], Check]:
    """Mark ``check_<name>`` as the check of an exercise worth ``points``.

    The decorated check prints ``✓ <name>: check passed (<points> points).`` when it
    returns; a failure raises :class:`StudentCheckError` as before. ``points`` must equal
    the points of the check cell in the notebook (nbgrader's metadata); the tests compare
    them.
    """
    if not (isinstance(points, (int, float)) and points > 0):
        raise ValueError(f"exercise_check: expected points > 0, got {points!r}")

    def decorate(check: Check) -> Check:
        what = check.__name__.removeprefix("check_")

        @functools.wraps(check)
        def run(*args: Any, **kwargs: Any) -> Any:
            result = check(*args, **kwargs)
            print(passed_message(what, points))
            return result

        run.points = points  # type: ignore[attr-defined]
        return run  # type: ignore[return-value]

    return decorate


def not_implemented_message(what: str) -> str:
    return (
        f"{what}: not implemented yet. Replace the line `raise NotImplementedError(...)` "
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
        msg = f"{what}: your code raised {type(exc).__name__}: {exc}"
        if _looks_like_shape_error(exc):
            msg += f" Hint: {SHAPE_HINT}"
        raise StudentCheckError(msg) from None


SHAPE_HINT = (
    "print the shape of every array you multiply. The course stores weights as "
    "(outputs, inputs), like PyTorch: W_ih is (4H, I), so one vector is W @ x and a "
    "batch of rows is x @ W.T."
)


def _looks_like_shape_error(exc: Exception) -> bool:
    text = str(exc).lower()
    return isinstance(exc, ValueError) and any(
        word in text for word in ("matmul", "shape", "broadcast", "aligned", "dimension")
    )


_MISSING = object()


def _caller_namespace() -> Mapping[str, Any]:
    """Globals of the nearest frame whose code is not part of ``lstm_lib``."""
    frame = inspect.currentframe()
    try:
        while frame is not None:
            module = frame.f_globals.get("__name__", "")
            if module != "lstm_lib" and not module.startswith("lstm_lib."):
                return frame.f_globals
            frame = frame.f_back
        return {}
    finally:
        del frame  # no reference cycle through the frame


def expect_defined(
    name: str, namespace: Mapping[str, Any] | None = None, what: str | None = None
) -> Any:
    """Return the variable ``name`` defined by the student, or fail with "not implemented yet".

    For exercises whose answer is a value (``answer = ...`` between the solution markers):
    in the student version the cell raises ``NotImplementedError`` before the name is bound,
    so the check cell would otherwise die with a ``NameError``. ``namespace`` defaults to the
    globals of the nearest caller outside ``lstm_lib``: the notebook's namespace, whether
    the check cell calls this directly or through a check function in ``lstm_lib.checks``.
    """
    what = what or name
    if namespace is None:
        namespace = _caller_namespace()
    value = namespace.get(name, _MISSING)
    if value is _MISSING:
        raise StudentCheckError(
            f"{what}: not implemented yet. Define `{name}` in the cell above (replace "
            "the line `raise NotImplementedError(...)`) and run that cell, then this one."
        )
    if value is NotImplemented or value is Ellipsis:
        raise StudentCheckError(not_implemented_message(what))
    return value


def expect_array(what: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array, or fail with a message saying what came instead."""
    if value is None:
        raise StudentCheckError(
            f"{what}: got None. Did you forget a `return` (or is it not implemented yet)?"
        )
    if value is NotImplemented or value is Ellipsis:
        raise StudentCheckError(not_implemented_message(what))
    if isinstance(value, (str, bytes)):
        raise StudentCheckError(
            f"{what}: expected an array of numbers, got the text {value!r}. Remove the quotes."
        )
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
    mistakes: Mapping[str, Any] | None = None,
) -> None:
    """Fail unless ``value`` equals ``expected`` in shape and, element-wise, within tolerance.

    ``mistakes`` maps a diagnosis (e.g. ``"you swapped the input and forget gates"``) to the
    result that mistake produces. When the student's value matches one of them, the message
    names the mistake instead of only reporting the largest difference.
    """
    want = np.asarray(expected, dtype=float)
    got = expect_shape(what, value, want.shape, hint)
    if not np.all(np.isfinite(got)):
        raise StudentCheckError(f"{what}: your result contains NaN or infinity.")
    if not np.allclose(got, want, atol=atol, rtol=rtol):
        diagnosis = diagnose(got, mistakes or {}, atol=atol, rtol=rtol)
        if diagnosis:
            raise StudentCheckError(
                f"{what}: values differ from the expected ones; they match what you get "
                f"when {diagnosis}."
            )
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


def diagnose(
    value: Any, mistakes: Mapping[str, Any], *, atol: float = 1e-8, rtol: float = 1e-6
) -> str:
    """Return the first diagnosis in ``mistakes`` whose wrong result equals ``value``, else ``""``."""
    got = np.asarray(value, dtype=float)
    for diagnosis, wrong in mistakes.items():
        wrong_arr = np.asarray(wrong, dtype=float)
        if wrong_arr.shape == got.shape and np.allclose(got, wrong_arr, atol=atol, rtol=rtol):
            return diagnosis
    return ""
