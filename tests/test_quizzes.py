"""The self-check quizzes (``book/quizzes/chNN.md``) are complete and well-formed.

One page per chapter notebook. Every question is a ``{quiz}`` block (tools/site/quiz.py)
under a ``## Question N`` heading: an ``:answer:`` naming exactly one of its options,
the question, options A-D, and an explanation after them. The answer key stays in the
Markdown source, where reviewers read it. Every citation key exists in
``book/references.bib``. How the pages answer on click is tested in the browser
(tests/site/test_site_quizzes.py); how the directive renders, in test_quiz_directive.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QUIZZES = REPO / "book" / "quizzes"
# one quiz per chapter notebook (notebooks/NN_*.ipynb)
CHAPTERS = sorted(int(p.name[:2]) for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
BLOCK = re.compile(r"^:::\{quiz\}\n(.*?)^:::$", re.M | re.S)
OPTION = re.compile(r"^- \*\*([A-Z])\.\*\* \S", re.M)


def questions(text: str) -> list[str]:
    return re.split(r"^## Question \d+\s*$", text, flags=re.M)[1:]


def parts(block: str) -> tuple[str, str, list[str], str]:
    """(answer, question, option letters, explanation) of one ``{quiz}`` body."""
    first_line, _, body = block.partition("\n")
    answer = (
        first_line.removeprefix(":answer:").strip() if first_line.startswith(":answer:") else ""
    )
    if not answer:
        body = block
    options = list(OPTION.finditer(body))
    if not options:
        return answer, body.strip(), [], ""
    stem = body[: options[0].start()]
    after_last_option = body[options[-1].end() :].partition("\n")[2]
    return answer, stem.strip(), [m.group(1) for m in options], after_last_option.strip()


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[f"ch{n:02d}" for n in CHAPTERS])
def test_quiz_page_is_well_formed(chapter):
    page = QUIZZES / f"ch{chapter:02d}.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# Quiz: {chapter}. "), "title must be '# Quiz: N. <chapter title>'"
    found = questions(text)
    assert len(found) >= 3, f"{page.name}: {len(found)} questions, at least 3 expected"
    assert ":::{dropdown}" not in text, f"{page.name}: answers must be {{quiz}} blocks now"
    for k, section in enumerate(found, 1):
        where = f"{page.name} Q{k}"
        blocks = BLOCK.findall(section)
        assert len(blocks) == 1, f"{where}: expected one {{quiz}} block, found {len(blocks)}"
        answer, stem, options, explanation = parts(blocks[0])
        assert options == ["A", "B", "C", "D"], f"{where}: options {options}"
        assert answer in options, f"{where}: ':answer: {answer}' is not one option"
        assert len(stem.split()) >= 4, f"{where}: the question is missing: {stem!r}"
        assert len(explanation.split()) >= 8, f"{where}: explanation missing or too short"
        assert not OPTION.search(explanation), f"{where}: option lines after the explanation"


def test_parts_reads_a_block():
    block = ":answer: C\n\nWhy?\n\n- **A.** a\n- **B.** b\n- **C.** c\n- **D.** d\n\nBecause c.\n"
    assert parts(block) == ("C", "Why?", ["A", "B", "C", "D"], "Because c.")
    assert parts("Why?\n- **A.** a\n") == ("", "Why?", ["A"], "")  # no :answer:, no explanation


def test_answers_are_not_all_in_the_same_place():
    letters = []
    for chapter in CHAPTERS:
        text = (QUIZZES / f"ch{chapter:02d}.md").read_text(encoding="utf-8")
        letters += re.findall(r"^:answer: ([A-D])$", text, flags=re.M)
    assert len(letters) >= 36
    assert len(set(letters)) == 4 and max(map(letters.count, "ABCD")) < 0.5 * len(letters)


def test_cited_keys_exist():
    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    known = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    for page in sorted(QUIZZES.glob("*.md")):
        for group in re.findall(r"\{cite\}`([^`]+)`", page.read_text(encoding="utf-8")):
            for key in group.split(","):
                assert key.strip() in known, f"{page.name}: unknown citation key {key!r}"
