"""Sphinx extension: self-check questions that answer on click (issue 16).

A question is written in the page's Markdown, answer key included, so reviewers read
the key where they read the question::

    :::{quiz}
    :answer: B

    The question, any MyST (maths, code, citations).

    - **A.** First option.
    - **B.** Second option.
    - **C.** Third option.
    - **D.** Fourth option.

    Why B is right: the explanation, one or more paragraphs.
    :::

The first bullet list is the set of options (labelled ``A.``, ``B.`` … in order); what
comes before it is the question, what follows it the explanation. ``:answer:`` names
the one correct option. A malformed question (no list, letters out of order, an answer
that is not an option, no explanation) fails the build.

In HTML a question becomes a group of radio buttons (``<fieldset>`` named by the
question) followed by a live status line and the explanation in a ``<details>``
element. ``quiz.js`` (served by the site, no network) says at once whether the picked
option is right; a right answer also opens the explanation, a wrong one invites a
retry, and the folded "Answer" appears for a reader who wants to give up. Without
JavaScript the page still works: the explanation, which starts by naming the answer,
stays folded under "Answer".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from docutils import nodes
from docutils.parsers.rst import Directive, directives

STATIC = Path(__file__).with_name("static")
LABEL = re.compile(r"^([A-Z])\.$")


class quiz(nodes.General, nodes.Element):  # noqa: N801 (docutils node naming)
    """One question: attributes ``qid`` and ``answer``; children stem, options, explanation."""


class quiz_stem(nodes.General, nodes.Element):  # noqa: N801
    pass


class quiz_options(nodes.General, nodes.Element):  # noqa: N801
    pass


class quiz_option(nodes.General, nodes.Element):  # noqa: N801
    """Attributes ``letter`` and ``correct``."""


class quiz_explanation(nodes.General, nodes.Element):  # noqa: N801
    pass


def option_letter(item: nodes.list_item) -> str | None:
    """The ``X.`` label a list item starts with (``- **X.** text``), or None."""
    first = item.children[0] if item.children else None
    if not isinstance(first, nodes.paragraph):
        return None
    # MyST may put an empty text node before the label.
    content = [c for c in first.children if not (isinstance(c, nodes.Text) and not c.strip())]
    if not content:
        return None
    label = content[0]
    if not isinstance(label, nodes.strong):
        return None
    match = LABEL.match(label.astext().strip())
    return match.group(1) if match else None


class QuizDirective(Directive):
    has_content = True
    option_spec = {"answer": directives.unchanged_required}

    def run(self) -> list[nodes.Node]:
        answer = (self.options.get("answer") or "").strip()
        if not answer:
            raise self.error("quiz: the :answer: option (the correct option's letter) is missing")
        container = nodes.Element()
        self.state.nested_parse(self.content, self.content_offset, container)
        children = list(container.children)
        lists = [i for i, child in enumerate(children) if isinstance(child, nodes.bullet_list)]
        if not lists:
            raise self.error("quiz: no list of options (a Markdown bullet list) found")
        at = lists[0]
        stem, option_list, explanation = children[:at], children[at], children[at + 1 :]
        if not stem:
            raise self.error("quiz: the question text before the options is missing")
        if not explanation:
            raise self.error("quiz: the explanation after the options is missing")
        letters = [option_letter(item) for item in option_list.children]
        expected = [chr(ord("A") + k) for k in range(len(letters))]
        if len(letters) < 2 or letters != expected:
            raise self.error(
                f"quiz: options must be labelled {', '.join(expected[:4])}… in order "
                f"('- **A.** text'), got {letters}"
            )
        if answer not in letters:
            raise self.error(f"quiz: :answer: {answer!r} is not one of the options {letters}")

        env = self.state.document.settings.env
        # Unique across the whole book, so that a single-page build (the PDF) works too.
        page = re.sub(r"[^a-z0-9]+", "-", env.docname.lower()).strip("-")
        qid = f"quiz-{page}-{env.new_serialno('quiz') + 1}"
        node = quiz(qid=qid, answer=answer)
        node.source, node.line = self.state_machine.get_source_and_line(self.lineno)
        node += quiz_stem("", *stem)
        options = quiz_options()
        for letter, item in zip(letters, option_list.children, strict=True):
            # A one-paragraph option becomes inline content: a <label> holds no <p>.
            content = item.children
            if len(content) == 1 and isinstance(content[0], nodes.paragraph):
                content = content[0].children
            options += quiz_option("", *content, letter=letter, correct=letter == answer)
        node += options
        # The explanation starts by naming the answer, as the folded answers did.
        if isinstance(explanation[0], nodes.paragraph):
            explanation[0].insert(0, nodes.strong(text=f"{answer}."))
            explanation[0].insert(1, nodes.Text(" "))
        node += quiz_explanation("", *explanation)
        return [node]


# --------------------------------------------------------------------------- HTML


def visit_quiz(self, node: quiz) -> None:
    self.body.append(self.starttag(node, "div", CLASS="quiz", **{"data-quiz": node["qid"]}))


def depart_quiz(self, node: quiz) -> None:
    self.body.append("</div>\n")


def visit_stem(self, node: quiz_stem) -> None:
    qid = node.parent["qid"]
    self.body.append(self.starttag(node, "div", CLASS="quiz-stem", ids=[f"{qid}-stem"]))


def depart_div(self, node) -> None:
    self.body.append("</div>\n")


def visit_options(self, node: quiz_options) -> None:
    qid = node.parent["qid"]
    self.body.append(
        self.starttag(node, "fieldset", CLASS="quiz-options", **{"aria-labelledby": f"{qid}-stem"})
    )


def depart_options(self, node: quiz_options) -> None:
    qid = node.parent["qid"]
    self.body.append("</fieldset>\n")
    # The status line is announced by screen readers when quiz.js fills it in.
    self.body.append(
        f'<p class="quiz-feedback" id="{qid}-feedback" role="status" aria-live="polite"></p>\n'
    )


def visit_option(self, node: quiz_option) -> None:
    qid = node.parent.parent["qid"]
    letter = node["letter"]
    input_id = f"{qid}-{letter}"
    correct = "true" if node["correct"] else "false"
    self.body.append(f'<div class="quiz-option"><input type="radio" id="{input_id}" ')
    self.body.append(
        f'name="{qid}" value="{letter}" data-correct="{correct}" aria-describedby="{qid}-feedback">'
    )
    self.body.append(f'<label for="{input_id}">')


def depart_option(self, node: quiz_option) -> None:
    self.body.append("</label></div>\n")


def visit_explanation(self, node: quiz_explanation) -> None:
    qid = node.parent["qid"]
    self.body.append(
        f'<details class="quiz-explanation" id="{qid}-explanation"><summary>Answer</summary>\n'
    )


def depart_explanation(self, node: quiz_explanation) -> None:
    self.body.append("</details>\n")


def skip(self, node) -> None:
    pass


def add_assets(app, pagename, templatename, context, doctree) -> None:
    """quiz.js and quiz.css, only on pages that have a question."""
    if doctree is not None and next(iter(doctree.findall(quiz)), None) is not None:
        app.add_js_file("quiz.js", defer="defer")
        app.add_css_file("quiz.css")


def static_path(app, config) -> None:
    if str(STATIC) not in config.html_static_path:
        config.html_static_path = [*config.html_static_path, str(STATIC)]


def setup(app) -> dict[str, Any]:
    plain = (skip, skip)
    app.add_node(quiz, html=(visit_quiz, depart_quiz), latex=plain, text=plain)
    app.add_node(quiz_stem, html=(visit_stem, depart_div), latex=plain, text=plain)
    app.add_node(quiz_options, html=(visit_options, depart_options), latex=plain, text=plain)
    app.add_node(quiz_option, html=(visit_option, depart_option), latex=plain, text=plain)
    app.add_node(
        quiz_explanation, html=(visit_explanation, depart_explanation), latex=plain, text=plain
    )
    app.add_directive("quiz", QuizDirective)
    app.connect("config-inited", static_path)
    app.connect("html-page-context", add_assets)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
