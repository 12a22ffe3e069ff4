// Loaded before the Jupyter widgets HTML manager on pages with saved widgets (see _config.yml).
(function () {
  // 1. Where the manager finds its own files (icon fonts): beside this script, in html-manager/. The
  //    manager derives that folder from the RequireJS address of its module, which is page-relative by
  //    default (404s on every page), so map it. A global `require` object defined before require.js
  //    loads is RequireJS's documented way to pass it configuration.
  var vendor = new URL(".", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = vendor + "html-manager/";
  window.require = { paths: { "@jupyter-widgets/html-manager/dist": vendor + "html-manager" } };

  // 2. The manager typesets widget labels with MathJax 2's MathJax.Hub.Queue(["Typeset", MathJax.Hub, el]),
  //    but the book runs MathJax 3, whose global object has no Hub (and MathJax 3 replaces its
  //    configuration object by itself as it loads). Every object ever assigned to window.MathJax gets a
  //    Hub whose Queue typesets the element with MathJax 3 once MathJax has started.
  var hub = {
    Queue: function (command) {
      var mj = window.MathJax, element = command && command[2];
      if (mj && mj.startup && mj.startup.promise && mj.typesetPromise) {
        mj.startup.promise.then(function () { return mj.typesetPromise(element ? [element] : undefined); });
      }
    }
  };
  var current = window.MathJax;
  if (current && !current.Hub) current.Hub = hub;
  Object.defineProperty(window, "MathJax", {
    configurable: true,
    get: function () { return current; },
    set: function (value) { current = value; if (value && typeof value === "object" && !value.Hub) value.Hub = hub; }
  });
})();
