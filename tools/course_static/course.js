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

// Below 960 px the theme shows the navigation only as the header's dialog, but the button that
// stays visible there (the article's "Toggle primary sidebar") only toggles the hidden sidebar:
// nothing happens for the reader. Below that width it opens the dialog, as the header's own
// (hidden) button does.
(function () {
  var narrow = window.matchMedia('(max-width: 959.98px)');
  document.addEventListener('click', function (event) {
    if (!narrow.matches || !event.target.closest) return;
    if (!event.target.closest('.article-header-buttons .primary-toggle, .header-article-items .primary-toggle')) return;
    var dialog = document.getElementById('pst-primary-sidebar-modal');
    var opener = document.querySelector('button.pst-navbar-icon.primary-toggle');
    if (dialog && opener && !dialog.open) opener.click();
  });
})();
