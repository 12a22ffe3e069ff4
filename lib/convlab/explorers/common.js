// Shared by every explorer (see __init__.py): a registry, start-up, and small
// helpers for accessible controls, SVG drawing and number formatting.
// Plain JavaScript, no dependencies, defined once per page.
(function () {
  "use strict";
  if (window.ConvlabExplorers) return;
  var registry = {};
  var counter = 0;
  var SVGNS = "http://www.w3.org/2000/svg";

  function start(name, id, data) {
    function run() {
      var root = document.getElementById(id);
      if (!root || root.dataset.started) return;
      root.dataset.started = "1";
      root.innerHTML = "";
      registry[name](root, data);
      root.dataset.ready = "1";
    }
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", run);
    } else {
      run();
    }
  }

  // el("div", {class: "x", "data-role": "y"}, [children or text])
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function svg(tag, attrs, children) {
    var node = document.createElementNS(SVGNS, tag);
    setAttrs(node, attrs);
    append(node, children);
    return node;
  }
  function setAttrs(node, attrs) {
    Object.keys(attrs || {}).forEach(function (k) {
      if (attrs[k] !== undefined && attrs[k] !== null) {
        node.setAttribute(k, attrs[k]);
      }
    });
  }
  function append(node, children) {
    if (children === undefined || children === null) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined) return;
      node.appendChild(
        typeof c === "string" || typeof c === "number"
          ? document.createTextNode(String(c))
          : c
      );
    });
  }
  function uid(prefix) {
    counter += 1;
    return (prefix || "cx") + "-" + counter;
  }

  // A labelled range slider with its value shown beside it.
  // opts: {label, name, min, max, step, value, onchange(value)}
  function slider(opts) {
    var id = uid("cx-range");
    var input = el("input", {
      type: "range", id: id, min: opts.min, max: opts.max,
      step: opts.step || 1, value: opts.value,
      "data-control": opts.name || opts.label,
    });
    var out = el("output", {for: id, "data-role": "value-" + (opts.name || opts.label)},
                 format(opts.value));
    input.addEventListener("input", function () {
      var v = Number(input.value);
      out.textContent = format(v);
      if (opts.onchange) opts.onchange(v);
    });
    var wrap = el("div", {class: "cx-control"}, [
      el("label", {for: id}, opts.label), input, out,
    ]);
    wrap.input = input;
    wrap.set = function (v) {
      input.value = v;
      out.textContent = format(Number(input.value));
    };
    wrap.setMax = function (max) {
      // the browser clamps the value when max drops: show the clamped value
      input.max = max;
      wrap.set(Math.min(Number(input.value), max));
    };
    return wrap;
  }

  // A labelled select. opts: {label, name, options: [[value, text]...], value, onchange}
  function select(opts) {
    var id = uid("cx-select");
    var sel = el("select", {id: id, "data-control": opts.name || opts.label},
      opts.options.map(function (o) {
        return el("option", {value: o[0]}, o[1]);
      }));
    sel.value = opts.value;
    sel.addEventListener("change", function () {
      if (opts.onchange) opts.onchange(sel.value);
    });
    var wrap = el("div", {class: "cx-control"}, [
      el("label", {for: id}, opts.label), sel,
    ]);
    wrap.input = sel;
    return wrap;
  }

  // A labelled checkbox. opts: {label, name, checked, onchange(bool)}
  function checkbox(opts) {
    var id = uid("cx-check");
    var box = el("input", {type: "checkbox", id: id,
                           "data-control": opts.name || opts.label});
    box.checked = !!opts.checked;
    box.addEventListener("change", function () {
      if (opts.onchange) opts.onchange(box.checked);
    });
    var wrap = el("div", {class: "cx-control"}, [
      box, el("label", {for: id}, opts.label),
    ]);
    wrap.input = box;
    return wrap;
  }

  // A grid of cells drawn in HTML (its numbers stay readable at any width).
  // opts: {role, label, size (em, default 1.9)}; then g.render(rows, cols,
  // cell, onselect, rowLabels, colLabels): cell(r, c) -> {text, state, bg,
  // fg, label}; state goes to data-state (tests and styles read it); with
  // onselect(r, c) the cells are buttons (click, Enter or Space). Focus stays
  // on the same cell across renders, so the keyboard keeps working.
  function cellGrid(opts) {
    var box = el("div", {class: "cx-gridbox"});
    var cap = el("div", {class: "cx-gridcap", "data-role": opts.role + "-caption"},
                 opts.label || "");
    var grid = el("div", {class: "cx-grid", "data-role": opts.role,
                          role: "group", "aria-label": opts.label || opts.role});
    grid.style.setProperty("--cx-cell", (opts.size || 1.9) + "em");
    append(box, [cap, grid]);
    box.caption = cap;
    box.render = function (rows, cols, cell, onselect, rowLabels, colLabels) {
      var active = document.activeElement, keep = null;
      if (active && grid.contains(active) && active.dataset.r !== undefined) {
        keep = active.dataset.r + "," + active.dataset.c;
      }
      grid.innerHTML = "";
      var labelled = !!(rowLabels && colLabels);
      grid.style.gridTemplateColumns = (labelled ? "auto " : "") +
        "repeat(" + cols + ", minmax(var(--cx-cell), max-content))";
      if (labelled) {
        grid.appendChild(el("span", {class: "cx-axis", "aria-hidden": "true"}));
        colLabels.forEach(function (t) {
          grid.appendChild(el("span", {class: "cx-axis", "aria-hidden": "true"}, t));
        });
      }
      var refocus = null;
      for (var r = 0; r < rows; r++) {
        if (labelled) {
          grid.appendChild(el("span", {class: "cx-axis", "aria-hidden": "true"},
                              rowLabels[r]));
        }
        for (var c = 0; c < cols; c++) {
          var spec = cell(r, c) || {};
          var node = el(onselect ? "button" : "span", {
            class: "cx-cell", "data-r": r, "data-c": c,
            "data-state": spec.state || "",
            type: onselect ? "button" : undefined,
            role: onselect || !spec.label ? undefined : "img",  // a labelled cell
            "aria-label": spec.label,
          }, spec.text === undefined ? "" : String(spec.text));
          if (spec.bg) node.style.background = spec.bg;
          if (spec.fg) node.style.color = spec.fg;
          if (onselect) {
            node.addEventListener("click", (function (rr, cc) {
              return function () { onselect(rr, cc); };
            })(r, c));
          }
          if (keep === r + "," + c) refocus = node;
          grid.appendChild(node);
        }
      }
      if (refocus) refocus.focus();
    };
    return box;
  }

  // Numbers as a reader wants them: integers plainly, others to 4 significant
  // digits without trailing zeros (as Python's f"{x:.4g}", except that exact
  // ties round up: 1.8125 shows as 1.813, Python prints 1.812).
  function format(x, digits) {
    if (typeof x !== "number") return String(x);
    if (Number.isInteger(x)) return String(x);
    var s = x.toPrecision(digits || 4);
    if (s.indexOf("e") >= 0) {
      var parts = s.split("e");
      var m = parts[0].indexOf(".") >= 0
        ? parts[0].replace(/0+$/, "").replace(/\.$/, "") : parts[0];
      var e = Number(parts[1]);
      return m + "e" + (e < 0 ? "-" : "+") + (Math.abs(e) < 10 ? "0" : "") + Math.abs(e);
    }
    if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
    return s === "-0" ? "0" : s;
  }

  var STYLE = [
    ".convlab-explorer{border:1px solid var(--pst-color-border,#ccc);",
    "border-radius:6px;padding:.6em .8em;margin:.5em 0 1em;",
    "max-width:100%;overflow-x:auto;color:var(--pst-color-text-base,#222);}",
    ".convlab-explorer .cx-controls{display:flex;flex-wrap:wrap;gap:.3em 1.2em;",
    "align-items:center;margin-bottom:.5em;}",
    ".convlab-explorer .cx-control{display:flex;align-items:center;gap:.4em;}",
    ".convlab-explorer .cx-control input[type=range]{width:8em;}",
    ".convlab-explorer output{min-width:2.5em;font-variant-numeric:tabular-nums;}",
    ".convlab-explorer .cx-readout{font-family:var(--pst-font-family-monospace,monospace);",
    "font-size:.9em;margin:.3em 0;white-space:pre-wrap;}",
    ".convlab-explorer .cx-gridbox{display:inline-block;vertical-align:top;",
    "margin:0 1.2em .6em 0;max-width:100%;}",
    ".convlab-explorer .cx-gridcap{font-size:.85em;margin-bottom:.2em;}",
    ".convlab-explorer .cx-grid{display:grid;gap:1px;font-size:.75em;justify-content:start;",
    "font-variant-numeric:tabular-nums;}",
    ".convlab-explorer .cx-cell{min-height:var(--cx-cell);padding:0 .15em;",
    "display:flex;align-items:center;justify-content:center;font:inherit;",
    "color:#222;background:#fff;border:1px solid #999;border-radius:0;margin:0;}",
    ".convlab-explorer button.cx-cell{cursor:pointer;}",
    ".convlab-explorer .cx-cell:focus-visible{outline:3px solid #1f5fbf;outline-offset:-2px;}",
    ".convlab-explorer .cx-axis{font-size:.85em;color:var(--pst-color-text-muted,#666);",
    "text-align:center;",
    "align-self:center;padding:0 .2em;}",
    ".convlab-explorer svg{max-width:100%;height:auto;display:block;",
    "background:#fff;border-radius:4px;}",
  ].join("");

  function injectStyle() {
    if (document.getElementById("convlab-explorer-style")) return;
    var s = document.createElement("style");
    s.id = "convlab-explorer-style";
    s.textContent = STYLE;
    (document.head || document.documentElement).appendChild(s);
  }
  injectStyle();

  window.ConvlabExplorers = {
    register: function (name, fn) { registry[name] = fn; },
    start: start,
    el: el, svg: svg, uid: uid,
    slider: slider, select: select, checkbox: checkbox,
    cellGrid: cellGrid,
    format: format,
  };
})();

// gridPicker: pick one cell of a rows x cols grid drawn over the whole of
// `box` (a canvas, an SVG, ...), by pointer or keyboard. `box` becomes
// focusable (Tab); arrow keys move a dashed cursor, Enter or Space selects the
// cell under it, a click selects the clicked cell. The selection is drawn as a
// solid frame and kept in box.dataset.row / .col.
// opts: {rows, cols, label, value: [r, c], onselect(r, c), onmove(r, c)}
(function () {
  "use strict";
  var CX = window.ConvlabExplorers;
  if (!CX || CX.gridPicker) return;
  CX.gridPicker = function (box, opts) {
    var rows = opts.rows, cols = opts.cols;
    var sel = (opts.value || [0, 0]).slice(), cur = sel.slice();
    box.style.position = "relative";
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "application");
    box.setAttribute("aria-roledescription", "pixel picker");
    box.setAttribute("aria-label", opts.label +
      ": arrow keys move, Enter selects, or click a pixel.");
    var overlay = CX.svg("svg", {
      viewBox: "0 0 " + cols + " " + rows, preserveAspectRatio: "none",
      "aria-hidden": "true",
      style: "position:absolute;left:0;top:0;width:100%;height:100%;" +
        "pointer-events:none;background:none;max-width:none;",
    });
    function frame(dash, colour) {
      return CX.svg("rect", {width: 1, height: 1, fill: "none",
        stroke: colour, "stroke-width": 2.5, "stroke-dasharray": dash,
        "vector-effect": "non-scaling-stroke"});
    }
    var selRect = frame(null, "#111"), curRect = frame("3 2", "#e6007e");
    curRect.style.display = "none";
    overlay.appendChild(selRect);
    overlay.appendChild(curRect);
    box.appendChild(overlay);
    function place(rect, rc) {
      rect.setAttribute("x", rc[1]);
      rect.setAttribute("y", rc[0]);
    }
    function move(r, c) {
      cur = [Math.max(0, Math.min(rows - 1, r)),
             Math.max(0, Math.min(cols - 1, c))];
      place(curRect, cur);
      box.dataset.cursorRow = cur[0];
      box.dataset.cursorCol = cur[1];
      if (opts.onmove) opts.onmove(cur[0], cur[1]);
    }
    function select(r, c, silent) {
      move(r, c);
      sel = cur.slice();
      place(selRect, sel);
      box.dataset.row = sel[0];
      box.dataset.col = sel[1];
      if (!silent && opts.onselect) opts.onselect(sel[0], sel[1]);
    }
    box.addEventListener("click", function (e) {
      var b = box.getBoundingClientRect();
      var c = Math.floor((e.clientX - b.left) / b.width * cols);
      var r = Math.floor((e.clientY - b.top) / b.height * rows);
      box.focus();
      select(r, c);
    });
    var steps = {ArrowUp: [-1, 0], ArrowDown: [1, 0],
                 ArrowLeft: [0, -1], ArrowRight: [0, 1]};
    box.addEventListener("keydown", function (e) {
      if (steps[e.key]) {
        e.preventDefault();
        move(cur[0] + steps[e.key][0], cur[1] + steps[e.key][1]);
      } else if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        select(cur[0], cur[1]);
      }
    });
    box.addEventListener("focus", function () {
      curRect.style.display = "";
    });
    box.addEventListener("blur", function () {
      curRect.style.display = "none";
    });
    select(sel[0], sel[1], true);
    return {select: select, value: function () { return sel.slice(); }};
  };
})();
