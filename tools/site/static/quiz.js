// Self-check questions (tools/site/quiz.py): picking an option says at once whether it
// is right. A right answer opens the explanation; a wrong one invites another try. The
// folded answer is hidden until the reader has committed to a first choice.
// Nothing leaves the page: no network, no storage, no tracking.
(function () {
  "use strict";

  function letterOf(input) {
    return input.value;
  }

  function answer(quiz, input) {
    var feedback = quiz.querySelector(".quiz-feedback");
    var explanation = quiz.querySelector(".quiz-explanation");
    var right = input.getAttribute("data-correct") === "true";
    quiz.querySelectorAll(".quiz-option").forEach(function (option) {
      option.classList.remove("quiz-right", "quiz-wrong");
    });
    input.closest(".quiz-option").classList.add(right ? "quiz-right" : "quiz-wrong");
    quiz.classList.add("quiz-tried"); // the folded answer is offered from now on
    quiz.classList.toggle("quiz-solved", right);
    feedback.classList.toggle("quiz-feedback-right", right);
    feedback.classList.toggle("quiz-feedback-wrong", !right);
    feedback.textContent = right
      ? "Right: " + letterOf(input) + " is the answer. The explanation is below."
      : "Not quite: " + letterOf(input) + " is not the answer. Try another option.";
    if (explanation) {
      explanation.open = right;
    }
  }

  function setUp(quiz) {
    quiz.classList.add("quiz-live");
    quiz.querySelectorAll('input[type="radio"]').forEach(function (input) {
      input.checked = false; // a reloaded page starts afresh
      input.addEventListener("change", function () {
        if (input.checked) {
          answer(quiz, input);
        }
      });
    });
  }

  function start() {
    document.querySelectorAll(".quiz[data-quiz]").forEach(setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
