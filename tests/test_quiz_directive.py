"""The ``{quiz}`` directive (tools/site/quiz.py) on a tiny Sphinx project.

A well-formed question renders as radio buttons with exactly one marked right, a
status line, and the explanation folded under "Answer" starting with the answer's
letter; quiz.js and quiz.css are added to that page only. Malformed questions fail
the build with a message that says what is wrong.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CONF = f"""
import sys
sys.path.insert(0, {str(REPO / "tools" / "site")!r})
extensions = ["myst_parser", "quiz"]
myst_enable_extensions = ["colon_fence", "dollarmath"]
"""
GOOD = """# Quiz

## Question 1

:::{quiz}
:answer: C

Which gate decides what the cell *keeps*, $f_t$ or another?

- **A.** The input gate.
- **B.** The output gate.
- **C.** The forget gate, $f_t$.
- **D.** None.

The forget gate scales the old cell state.
:::
"""


def build(tmp_path: Path, pages: dict[str, str], *flags: str) -> subprocess.CompletedProcess:
    src = tmp_path / "src"
    src.mkdir()
    (src / "conf.py").write_text(CONF)
    names = list(pages)
    index = "# Book\n\n```{toctree}\n" + "\n".join(names) + "\n```\n"
    (src / "index.md").write_text(index)
    for name, text in pages.items():
        (src / f"{name}.md").write_text(text)
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-q",
            "-W",
            *flags,
            "-b",
            "html",
            str(src),
            str(tmp_path / "out"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def good_html(tmp_path_factory) -> tuple[str, str]:
    tmp = tmp_path_factory.mktemp("quiz")
    result = build(tmp, {"quiz": GOOD, "plain": "# Plain\n\nNo questions here.\n"})
    assert result.returncode == 0, result.stderr
    return (tmp / "out" / "quiz.html").read_text(), (tmp / "out" / "plain.html").read_text()


def test_options_are_radio_buttons_with_one_right(good_html):
    html, _ = good_html
    radios = re.findall(
        r'<input type="radio" id="([^"]+)" name="([^"]+)" value="([A-D])" '
        r'data-correct="(true|false)"',
        html,
    )
    assert [r[2] for r in radios] == ["A", "B", "C", "D"]
    assert [r[2] for r in radios if r[3] == "true"] == ["C"]
    assert len({r[1] for r in radios}) == 1, "one radio group per question"
    for input_id, *_ in radios:
        assert f'<label for="{input_id}">' in html, f"{input_id} has no label"


def test_question_names_the_group_and_maths_stays_maths(good_html):
    html, _ = good_html
    stem = re.search(r'<div class="quiz-stem" id="([^"]+)">', html)
    assert stem and f'aria-labelledby="{stem.group(1)}"' in html
    assert r'<span class="math notranslate nohighlight">\(f_t\)</span>' in html


def test_feedback_and_folded_explanation(good_html):
    html, _ = good_html
    assert re.search(r'<p class="quiz-feedback" id="[^"]+" role="status" aria-live="polite">', html)
    explanation = re.search(
        r'<details class="quiz-explanation"[^>]*><summary>Answer</summary>\s*<p><strong>C\.</strong> '
        r"The forget gate",
        html,
    )
    assert explanation, "the explanation must be folded and start with the answer"


def test_assets_only_on_pages_with_questions(good_html):
    html, plain = good_html
    assert "quiz.js" in html and "quiz.css" in html
    assert "quiz.js" not in plain and "quiz.css" not in plain


BROKEN = {
    "answer-not-an-option": (GOOD.replace(":answer: C", ":answer: E"), "is not one of the options"),
    "no-answer": (GOOD.replace(":answer: C\n", ""), "the :answer: option"),
    "letters-out-of-order": (
        GOOD.replace("- **B.** The output", "- **X.** The output"),
        "in order",
    ),
    "no-explanation": (
        GOOD.replace("The forget gate scales the old cell state.\n", ""),
        "explanation",
    ),
    "no-list": (re.sub(r"^- \*\*.*\n", "", GOOD, flags=re.M), "no list of options"),
}


@pytest.fixture(scope="module")
def broken_build(tmp_path_factory) -> subprocess.CompletedProcess:
    """One build of every malformed page (--keep-going reports each of them)."""
    tmp = tmp_path_factory.mktemp("broken")
    return build(tmp, {name: text for name, (text, _) in BROKEN.items()}, "--keep-going")


@pytest.mark.parametrize("name", list(BROKEN))
def test_malformed_questions_fail_the_build(broken_build, name):
    assert broken_build.returncode != 0
    errors = [line for line in broken_build.stderr.splitlines() if f"{name}.md" in line]
    assert errors, f"{name}: no error reported:\n{broken_build.stderr}"
    assert BROKEN[name][1] in " ".join(errors), errors
