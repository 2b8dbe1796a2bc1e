"""The self-check quizzes (``book/quizzes/chNN.md``) are complete and well-formed.

One page per chapter 1-12; every question offers options A-D and exactly one folded answer
naming one of them; every citation key exists in ``book/references.bib``. The quizzes are
plain MyST pages (sphinx-design dropdowns render as ``<details>``), so they need no network.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
QUIZZES = REPO / "book" / "quizzes"
CHAPTERS = range(1, 13)


def questions(text: str) -> list[str]:
    return re.split(r"^## Question \d+\s*$", text, flags=re.M)[1:]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=[f"ch{n:02d}" for n in CHAPTERS])
def test_quiz_page_is_well_formed(chapter):
    page = QUIZZES / f"ch{chapter:02d}.md"
    text = page.read_text(encoding="utf-8")
    assert text.startswith(f"# Quiz: {chapter}. "), "title must be '# Quiz: N. <chapter title>'"
    found = questions(text)
    assert len(found) >= 3, f"{page.name}: {len(found)} questions, at least 3 expected"
    for k, block in enumerate(found, 1):
        options = re.findall(r"^- \*\*([A-D])\.\*\* \S", block, flags=re.M)
        assert options == ["A", "B", "C", "D"], f"{page.name} Q{k}: options {options}"
        answers = re.findall(r"^:::\{dropdown\} Answer\n\*\*([A-D])\.\*\* \S", block, flags=re.M)
        assert len(answers) == 1, f"{page.name} Q{k}: expected one folded answer"
        assert block.count(":::") == 2, f"{page.name} Q{k}: unbalanced directive fence"


def test_answers_are_not_all_in_the_same_place():
    letters = []
    for chapter in CHAPTERS:
        for block in questions((QUIZZES / f"ch{chapter:02d}.md").read_text(encoding="utf-8")):
            letters += re.findall(r"^\*\*([A-D])\.\*\*", block, flags=re.M)
    assert len(set(letters)) == 4 and max(map(letters.count, "ABCD")) < 0.5 * len(letters)


def test_cited_keys_exist():
    bib = (REPO / "book" / "references.bib").read_text(encoding="utf-8")
    known = set(re.findall(r"^@\w+\{([^,]+),", bib, flags=re.M))
    for page in sorted(QUIZZES.glob("*.md")):
        for group in re.findall(r"\{cite\}`([^`]+)`", page.read_text(encoding="utf-8")):
            for key in group.split(","):
                assert key.strip() in known, f"{page.name}: unknown citation key {key!r}"
