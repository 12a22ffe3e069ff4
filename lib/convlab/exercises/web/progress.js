/* Progress through the exercises, kept in this browser only (localStorage).
 *
 * Each exercise page registers its answer boxes and quiz questions ("items")
 * and marks the ones solved; the "All exercises" page shows, per chapter, how
 * many are solved, with a button to reset. Nothing leaves the machine.
 * Defined once per page, whichever output or page script loads it first.
 */
if (!window.ConvlabProgress) {
  window.ConvlabProgress = (function () {
    "use strict";
    var KEY = "convlab-exercise-progress-v1";

    function load() {
      try {
        var data = JSON.parse(window.localStorage.getItem(KEY) || "{}");
        return data && typeof data === "object" && data.pages ? data : { pages: {} };
      } catch (e) {
        return { pages: {} };
      }
    }

    function save(data) {
      try {
        window.localStorage.setItem(KEY, JSON.stringify(data));
      } catch (e) {
        /* storage full or disabled: progress is simply not kept */
      }
    }

    /* The page's key: its file name without extension, e.g.
     * "02-discrete-convolution-exercises" (the book and JupyterLab agree). */
    function pageKey(path) {
      var name = decodeURIComponent((path || window.location.pathname).split("/").pop() || "");
      return name.replace(/\.(html|ipynb)$/, "");
    }

    function page(data, key) {
      if (!data.pages[key]) data.pages[key] = { items: {} };
      return data.pages[key];
    }

    function register(item) {
      var data = load();
      var p = page(data, pageKey());
      if (!(item in p.items)) {
        p.items[item] = false;
        save(data);
      }
      return p.items[item] === true;
    }

    function markSolved(item) {
      var data = load();
      page(data, pageKey()).items[item] = true;
      save(data);
    }

    function isSolved(item) {
      var p = load().pages[pageKey()];
      return !!(p && p.items[item] === true);
    }

    function counts(key) {
      var p = load().pages[key];
      if (!p) return null;
      var total = 0, solved = 0;
      for (var item in p.items) {
        total += 1;
        if (p.items[item] === true) solved += 1;
      }
      return { total: total, solved: solved };
    }

    function reset() {
      try {
        window.localStorage.removeItem(KEY);
      } catch (e) {
        /* nothing kept, nothing to reset */
      }
    }

    /* Watch a jupyterquiz container: register each question, mark it solved
     * when its feedback turns "correct" (for many-choice questions: all the
     * correct choices found), and say so for questions solved before. */
    function watchQuiz(divId) {
      var root = document.getElementById(divId);
      if (!root) return;
      var noted = {};
      function scan() {
        var questions = root.querySelectorAll(".Quiz");
        for (var i = 0; i < questions.length; i++) {
          var fb = questions[i].querySelector(".Feedback");
          if (!fb) continue;
          var item = "quiz:" + divId + ":" + i;
          var before = register(item);
          if (before && !noted[item]) {
            noted[item] = true;
            var note = document.createElement("p");
            note.className = "convlab-solved-before";
            note.setAttribute("data-role", "solved-before");
            note.textContent = "\u2714 You answered this question correctly before (on this device).";
            fb.parentNode.insertBefore(note, fb);
          }
          var ok = fb.classList.contains("correct");
          var many = fb.dataset.numcorrect && Number(fb.dataset.numcorrect) > 1;
          if (ok && many) ok = Number(fb.dataset.answeredcorrect) >= Number(fb.dataset.numcorrect);
          if (ok && !isSolved(item)) markSolved(item);
        }
      }
      scan();
      new MutationObserver(scan).observe(root, {
        subtree: true, childList: true, attributes: true, attributeFilter: ["class"]
      });
    }

    /* The "All exercises" page: next to every link to an exercise page, how
     * many of its items are solved; a summary; a reset button. */
    function showSummary(rootId) {
      var root = document.getElementById(rootId);
      if (!root) return;
      var article = document.querySelector("article") || document.querySelector("main") || document.body;
      var links = [], seen = {};
      var all = article.querySelectorAll("a[href$='-exercises.html']");
      for (var k = 0; k < all.length; k++) {
        var key = pageKey(all[k].getAttribute("href"));
        if (seen[key] || all[k].closest("nav, .prev-next-area, .bd-toc, .bd-sidebar")) continue;
        seen[key] = true;
        links.push(all[k]);
      }
      var status = document.createElement("p");
      status.setAttribute("data-role", "progress-summary");
      status.setAttribute("aria-live", "polite");
      var button = document.createElement("button");
      button.type = "button";
      button.setAttribute("data-role", "progress-reset");
      button.textContent = "Reset my progress";
      root.innerHTML = "";
      root.appendChild(status);
      root.appendChild(button);

      function render(message) {
        var solved = 0, total = 0, opened = 0;
        for (var i = 0; i < links.length; i++) {
          var a = links[i];
          var key = pageKey(a.getAttribute("href"));
          var c = counts(key);
          var badge = a.parentNode.querySelector("[data-role='chapter-progress'][data-page='" + key + "']");
          if (!badge) {
            badge = document.createElement("span");
            badge.className = "convlab-chapter-progress";
            badge.setAttribute("data-role", "chapter-progress");
            badge.setAttribute("data-page", key);
            a.parentNode.insertBefore(badge, a.nextSibling);
          }
          if (c && c.total > 0) {
            opened += 1;
            solved += c.solved;
            total += c.total;
            badge.textContent = " [" + c.solved + " of " + c.total + " solved]";
          } else {
            badge.textContent = " [not opened yet]";
          }
        }
        status.textContent = (message ? message + " " : "") +
          (opened === 0
            ? "Your progress appears here once you answer on an exercise page (kept in this browser only)."
            : "You have solved " + solved + " of " + total + " answer boxes and questions on the " +
              opened + " exercise page" + (opened === 1 ? "" : "s") + " you opened (kept in this browser only).");
      }

      button.addEventListener("click", function () {
        reset();
        render("Progress reset.");
      });
      render("");
    }

    return {
      register: register, markSolved: markSolved, isSolved: isSolved, counts: counts,
      reset: reset, pageKey: pageKey, watchQuiz: watchQuiz, showSummary: showSummary
    };
  })();

  /* On the "All exercises" page (an element with id convlab-progress). */
  (function () {
    function go() {
      if (document.getElementById("convlab-progress")) {
        window.ConvlabProgress.showSummary("convlab-progress");
      }
    }
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", go);
    else go();
  })();
}
