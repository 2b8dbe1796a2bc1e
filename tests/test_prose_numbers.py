"""Numbers in the chapters' prose are computed, not typed.

A number that a chapter *measures* (a percentage, a ratio, a time, a loss, a count of
seeds) must reach its Markdown through MyST-NB's ``glue`` (``{glue:text}`name:.1%```),
so the text cannot drift from what the code computed. This test reads every Markdown
cell of every chapter, removes what may hold typed numbers legitimately (maths between
``$``, code spans, ``{glue:...}`` and ``{cite}`` roles, link targets, headings,
references such as "chapter 7" or "section 5.2"), and flags what looks like a
measurement: decimals, percentages, scientific notation, ratios ("3x", "2.5×"), times
and sizes with units, counts such as "8 of 10", typed powers of ten, and approximate
numbers ("about 518", "~0.45").

A typed number that is not a measurement -- a constant of the maths, a setting the
code uses (temperature 0.8), a figure from a paper -- is listed with its reason in
``tests/typed_numbers.txt``; the list is short and reviewed, and an entry that no
longer matches any prose fails the test too, so the list cannot rot.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
ALLOW_FILE = REPO / "tests" / "typed_numbers.txt"

_NUM = r"\d+(?:\.\d+)?"
MEASUREMENT = re.compile(
    rf"""(?x)
    (?<![\w.])(
        (?:about|around|roughly|nearly|approximately|almost|~|≈)\s?{_NUM}   # approximations
            (?:\s?(?:%|[×x](?=[\s,.;:)])|ms|µs|s\b|MB|GB|kB))?
      | {_NUM}\s?[eE][-−+]?\d+                                 # scientific notation
      | {_NUM}\s?[×x](?=[\s,.;:)])                             # ratios: 3x, 2.5×
      | {_NUM}\s?(?:%|percent\b)                               # percentages
      | {_NUM}\s?(?:ms|µs|seconds?|s|MB|GB|kB|KB|minutes?)\b   # times and sizes
      | \d+\.\d+                                               # decimals
      | \d+\s(?:of|out\sof)\s\d+\b                             # counts: 8 of 10
      | 10\^\{{?[-−]?\d+\}}?                                   # typed powers of ten
    )""",
)
# Orders of magnitude written in words are measurements too ("eight orders of magnitude").
WORD_MAGNITUDE = re.compile(
    r"(?i)\b((?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d+)"
    r"\s+orders?\s+of\s+magnitude)"
)
REFERENCE = re.compile(
    r"(?i)\b(?:chapters?|sections?|figures?|exercises?|equations?|eq\.|questions?|tables?"
    r"|parts?|ch\.|steps?\s+of\s+chapter)\s\d+(?:\.\d+)?"
)


def prose(markdown: str) -> str:
    """The Markdown with everything that may hold a typed number legitimately removed."""
    text = re.sub(r"<!--.*?-->", "", markdown, flags=re.S)
    text = re.sub(r"\$\$.*?\$\$", "", text, flags=re.S)
    text = re.sub(r"\\begin\{.*?\\end\{[^}]*\}", "", text, flags=re.S)
    text = re.sub(r"\$[^$\n]+\$", "", text)
    text = re.sub(r"\{[\w:-]+\}`[^`]*`", "", text)  # {glue:text}`x`, {cite}`y`
    text = re.sub(r"```.*?```", "", text, flags=re.S)
    text = re.sub(r"`[^`\n]*`", "", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"^#+ .*$", "", text, flags=re.M)
    return REFERENCE.sub("", text)


def typed_numbers(markdown: str) -> list[str]:
    text = prose(markdown)
    found = [m.group(1).strip() for m in MEASUREMENT.finditer(text)]
    found += [m.group(1) for m in WORD_MAGNITUDE.finditer(text)]
    return [" ".join(item.split()) for item in found]


def chapter_key(path: Path) -> str:
    return "ch" + path.stem[:2]


def load_allow_list() -> Counter:
    allowed = Counter()
    for number, line in enumerate(ALLOW_FILE.read_text().splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = [p.strip() for p in line.split("|")]
        assert len(parts) == 3 and all(parts), (
            f"typed_numbers.txt line {number}: expected 'chNN | literal | reason', got {line!r}"
        )
        assert parts[2] != "PENDING", (
            f"typed_numbers.txt line {number}: {parts[1]!r} still waits for review; glue it "
            "or give the reason it may stay typed"
        )
        allowed[(parts[0], parts[1])] += 1
    return allowed


def found_in_chapters() -> Counter:
    found = Counter()
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text())["cells"]:
            if cell["cell_type"] == "markdown":
                for literal in typed_numbers("".join(cell["source"])):
                    found[(chapter_key(path), literal)] += 1
    return found


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("Truncation leaves it at 51 % against 100 % with full BPTT.", ["51 %", "100 %"]),
        ("a ratio of 1.6e11, eight orders of magnitude", ["1.6e11", "eight orders of magnitude"]),
        ("the LSTM reaches it in 8 of 10 seeds, about 3x faster", ["8 of 10", "about 3x"]),
        (
            "peaks at about 518 and falls; it took 3.5 s and 0.2 MB",
            ["about 518", "3.5 s", "0.2 MB"],
        ),
        ("σ(0) is $\\sigma(0) = 0.5$ and `tol = 1e-12`", []),
        ("see chapter 7 and section 5.2; {glue:text}`acc:.1%` of runs", []),
        ("### Exercise 4.2 (3 points): the forget gate\nno numbers here", []),
        ("a [link](https://example.org/v1.2/x) and {cite}`greff2017`", []),
    ],
)
def test_scanner_flags_measurements_and_nothing_else(markdown, expected):
    assert typed_numbers(markdown) == expected


def test_every_typed_measurement_is_glued_or_allowed():
    found = found_in_chapters()
    allowed = load_allow_list()
    unexplained = sorted(key for key, count in found.items() if count > allowed.get(key, 0))
    assert not unexplained, (
        "typed numbers in the chapters' prose that look measured: glue them from the code "
        "(myst_nb.glue + {glue:text}) or, if they are constants, settings or facts from a "
        "paper, list them with a reason in tests/typed_numbers.txt:\n"
        + "\n".join(f"  {chapter} | {literal}" for chapter, literal in unexplained)
    )


def test_allow_list_has_no_stale_entries():
    found = found_in_chapters()
    stale = sorted(key for key, count in load_allow_list().items() if found.get(key, 0) < count)
    assert not stale, "tests/typed_numbers.txt lists numbers the chapters no longer type: " + str(
        stale
    )
