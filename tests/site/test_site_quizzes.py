"""The self-check quizzes answer on click (issue 16).

On every quiz page of the table of contents, for every question: the page has one
question per ``{quiz}`` block of the Markdown source, marked with the answer the source
gives; picking a wrong option (by mouse) says so and keeps the explanation closed;
picking the right one says so and opens the explanation. On one page the same is done
with the keyboard alone. Everything happens in the page: answering sends no request.
"""

from __future__ import annotations

import re

import pytest
from site_model import source_dir

pytestmark = pytest.mark.browser

QUIZ_PAGE = re.compile(r"^book/quizzes/ch\d+$")


def quiz_docs(site) -> list[str]:
    return [doc for doc in site.docs if QUIZ_PAGE.match(doc)]


def source_answers(doc: str) -> list[str]:
    text = (source_dir() / f"{doc}.md").read_text(encoding="utf-8")
    return re.findall(r"^:::\{quiz\}\n:answer: ([A-Z])$", text, flags=re.M)


STATE_JS = """(quiz) => ({
  feedback: quiz.querySelector(".quiz-feedback").textContent.trim(),
  open: quiz.querySelector(".quiz-explanation").open,
  explanationShown: quiz.querySelector(".quiz-explanation").checkVisibility(),
  explanation: quiz.querySelector(".quiz-explanation").textContent.trim(),
  right: [...quiz.querySelectorAll(".quiz-right input")].map((i) => i.value),
  wrong: [...quiz.querySelectorAll(".quiz-wrong input")].map((i) => i.value),
})"""


def test_every_quiz_answers_on_click(site, visitor):
    docs = quiz_docs(site)
    assert docs, "no quiz page (book/quizzes/chNN) in the table of contents"
    for doc in docs:
        answers = source_answers(doc)
        context, page = visitor.new_page(f"quiz-{doc}")
        requests = []
        try:
            page.goto(visitor.url(doc), wait_until="load")
            page.on("request", lambda r, seen=requests: seen.append((r.method, r.url)))
            quizzes = page.locator(".quiz.quiz-live")
            assert quizzes.count() == len(answers), (
                f"{doc}: {quizzes.count()} live questions on the page, {len(answers)} in the source"
            )
            for k, answer in enumerate(answers):
                quiz = quizzes.nth(k)
                where = f"{doc} question {k + 1}"
                correct = quiz.locator("input[data-correct='true']")
                assert correct.count() == 1, f"{where}: {correct.count()} right options"
                assert correct.get_attribute("value") == answer, f"{where}: key differs from source"
                before = quiz.evaluate(STATE_JS)
                assert not before["feedback"] and not before["explanationShown"], (
                    f"{where}: answer shown before any choice: {before}"
                )
                wrong = quiz.locator("input[data-correct='false']").first
                wrong_letter = wrong.get_attribute("value")
                quiz.locator(f"label[for='{wrong.get_attribute('id')}']").click()
                after_wrong = quiz.evaluate(STATE_JS)
                assert after_wrong["wrong"] == [wrong_letter] and not after_wrong["right"]
                assert after_wrong["feedback"].startswith("Not quite"), after_wrong
                assert wrong_letter in after_wrong["feedback"], after_wrong
                assert not after_wrong["open"], f"{where}: explanation opened on a wrong answer"
                quiz.locator(f"label[for='{correct.get_attribute('id')}']").click()
                after_right = quiz.evaluate(STATE_JS)
                assert after_right["right"] == [answer] and not after_right["wrong"]
                assert after_right["feedback"].startswith("Right"), after_right
                assert after_right["open"] and after_right["explanationShown"], after_right
                assert re.match(rf"^Answer\s+{answer}\.\s+\S", after_right["explanation"]), (
                    f"{where}: explanation does not start with the answer: {after_right}"
                )
        finally:
            context.close()
        # Answering sends nothing: at most the page's own fonts and icon arrive late.
        static = f"{visitor.server.origin}/_static/"
        sent = [(m, u) for m, u in requests if m != "GET" or not u.startswith(static)]
        assert not sent, f"{doc}: answering made requests: {sent}"


def test_a_quiz_works_with_the_keyboard(site, visitor):
    docs = quiz_docs(site)
    assert docs
    doc = docs[0]
    answer = source_answers(doc)[0]
    context, page = visitor.new_page("quiz-keyboard")
    try:
        page.goto(visitor.url(doc), wait_until="load")
        quiz = page.locator(".quiz.quiz-live").first
        letters = quiz.locator("input[type='radio']").evaluate_all("els => els.map(e => e.value)")
        # Tab into the question: the group of options takes one tab stop.
        quiz.locator(".quiz-stem").click()
        for _ in range(10):
            page.keyboard.press("Tab")
            if page.evaluate("() => document.activeElement.type === 'radio'"):
                break
        assert page.evaluate("() => document.activeElement.type === 'radio'"), (
            "Tab misses the options"
        )
        page.keyboard.press("Space")  # picks the focused option (the first)
        state = quiz.evaluate(STATE_JS)
        first = letters[0]
        expect = "Right" if first == answer else "Not quite"
        assert state["feedback"].startswith(expect), state
        # Arrow keys move through the options; each pick is answered at once.
        for _ in range(len(letters)):
            if quiz.evaluate(STATE_JS)["right"]:
                break
            page.keyboard.press("ArrowDown")
        state = quiz.evaluate(STATE_JS)
        assert state["right"] == [answer] and state["open"], state
    finally:
        context.close()
