// The course book's own script (served by the build; see tools/course_a11y.py).
// jupyterquiz's numeric questions draw an answer field with no label: name each field by its
// question (aria-labelledby), so a screen reader says what the field asks for. The quizzes are
// drawn after MathJax has started, hence the observer.
(function () {
  function labelQuizFields(root) {
    root.querySelectorAll('.Quiz input.Input-text').forEach(function (field) {
      if (field.hasAttribute('aria-label') || field.hasAttribute('aria-labelledby')) return;
      var question = field.closest('.Quiz').querySelector('[id^="quizQn"]');
      if (question && question.id) field.setAttribute('aria-labelledby', question.id);
      else field.setAttribute('aria-label', 'Your answer');
    });
  }
  function start() {
    labelQuizFields(document);
    new MutationObserver(function () { labelQuizFields(document); })
      .observe(document.body, {childList: true, subtree: true});
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
})();
