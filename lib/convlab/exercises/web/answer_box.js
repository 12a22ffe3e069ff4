/* Answer boxes: judge what a learner types, in the page, with no kernel.
 *
 * The rules and messages mirror convlab.exercises (forms.parse_answer,
 * compare.judge_array and compare.judge_number) exactly; the spec each box
 * judges with (expected value, tolerances, known mistakes and their
 * diagnoses, shape hints) and its hints come from the Python registry as
 * JSON. tests/test_answer_boxes.py compares this code with check() on every
 * answer box and every planted mistake.
 */
if (!window.ConvlabAnswers) {
  window.ConvlabAnswers = (function () {
    "use strict";

    var NUMBER = /[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
    var THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$/;

    function Unreadable() {}

    function tokens(source) {
      var out = [], i = 0;
      while (i < source.length) {
        var ch = source[i];
        if (/\s/.test(ch)) {
          i += 1;
        } else if ("[](),".indexOf(ch) >= 0) {
          out.push(ch);
          i += 1;
        } else {
          NUMBER.lastIndex = i;
          var m = NUMBER.exec(source);
          if (!m) throw new Unreadable();
          out.push(Number(m[0]));
          i = NUMBER.lastIndex;
        }
      }
      return out;
    }

    function items(toks, pos, closing) {
      var list = [], commaOk = false;
      while (pos < toks.length) {
        var tok = toks[pos];
        if (tok === closing || (closing === null && (tok === "]" || tok === ")"))) break;
        if (tok === ",") {
          if (!commaOk) throw new Unreadable();
          commaOk = false;
          pos += 1;
        } else if (tok === "[" || tok === "(") {
          var inner = items(toks, pos + 1, tok === "[" ? "]" : ")");
          list.push(inner[0]);
          pos = inner[1];
          commaOk = true;
        } else if (typeof tok === "number") {
          list.push(tok);
          commaOk = true;
          pos += 1;
        } else {
          throw new Unreadable();
        }
      }
      if (closing !== null) {
        if (pos >= toks.length || toks[pos] !== closing) throw new Unreadable();
        pos += 1;
      }
      return [list, pos];
    }

    /* {value} or {problem: message}; like forms.parse_answer. */
    function parse(text, kind) {
      if (typeof text !== "string" || !text.trim()) return { problem: "the answer box is empty." };
      var source = text.trim().replace(/\u2212/g, "-");
      if (kind !== "array" && THOUSANDS.test(source)) {
        return { value: Number(source.replace(/,/g, "")) };
      }
      try {
        var toks = tokens(source);
        var r = items(toks, 0, null);
        if (r[1] !== toks.length || r[0].length === 0) throw new Unreadable();
        return { value: r[0].length === 1 ? r[0][0] : r[0] };
      } catch (e) {
        if (!(e instanceof Unreadable)) throw e;
        return {
          problem: 'could not read "' + source + '" as numbers; write e.g. 2.5, ' +
            "[1, 2, 3] or [[1, 2], [3, 4]]."
        };
      }
    }

    /* Python's round(): half to even. */
    function pyRound(x) {
      var r = Math.round(x);
      if (Math.abs(x % 1) === 0.5 && r % 2 !== 0) r -= 1;
      return r;
    }

    /* The significant digits of |x| rounded to p of them, half to even on
     * an exact tie (as Python's formatting does): [digits, exponent]. */
    function roundSig(x, p) {
      var e = Math.abs(x).toExponential(p - 1).split("e");
      var digits = e[0].replace(".", ""), exp = parseInt(e[1], 10);
      var full = Math.abs(x).toExponential(99).split("e");
      var all = full[0].replace(".", "");
      var tie = all[p] === "5" && /^0*$/.test(all.slice(p + 1));
      if (tie && Number(all[p - 1]) % 2 === 0) {
        digits = all.slice(0, p);
        exp = parseInt(full[1], 10);
      }
      return [digits, exp];
    }

    /* Python's "%.{digits}g", and whole numbers in full: compare.format_number. */
    function formatNumber(x, digits) {
      if (digits === undefined) digits = 6;
      if (!isFinite(x)) return isNaN(x) ? "nan" : (x > 0 ? "inf" : "-inf");
      if (x === Math.trunc(x) && Math.abs(x) < 1e16) return x === 0 ? "0" : String(x);
      var r = roundSig(x, digits), d = r[0], exp = r[1];
      var sign = x < 0 ? "-" : "";
      var s;
      if (exp < -4 || exp >= digits) {
        s = d[0] + (d.length > 1 ? "." + d.slice(1) : "");
        if (s.indexOf(".") >= 0) s = s.replace(/0+$/, "").replace(/\.$/, "");
        var a = Math.abs(exp);
        return sign + s + "e" + (exp < 0 ? "-" : "+") + (a < 10 ? "0" + a : String(a));
      }
      if (exp >= 0) {
        s = d.slice(0, exp + 1) + "." + d.slice(exp + 1);
      } else {
        s = "0." + new Array(-exp).join("0") + d;
      }
      s = s.replace(/0+$/, "").replace(/\.$/, "");
      return sign + s;
    }

    function formatPair(a, b) {
      for (var d = 6; d < 18; d++) {
        var l = formatNumber(a, d), r = formatNumber(b, d);
        if (l !== r) return [l, r];
      }
      return [formatNumber(a, 17), formatNumber(b, 17)];
    }

    /* The shape of nested lists, or null when they are ragged (NumPy fails). */
    function shapeOf(v) {
      if (typeof v === "number") return [];
      if (v.length === 0) return [0];
      var first = shapeOf(v[0]);
      if (first === null) return null;
      for (var i = 1; i < v.length; i++) {
        var s = shapeOf(v[i]);
        if (s === null || s.join(",") !== first.join(",")) return null;
      }
      return [v.length].concat(first);
    }

    function flatten(v, out) {
      out = out || [];
      if (typeof v === "number") out.push(v);
      else for (var i = 0; i < v.length; i++) flatten(v[i], out);
      return out;
    }

    function shapeText(shape) {
      if (shape.length === 1) return "(" + shape[0] + ",)";
      return "(" + shape.join(", ") + ")";
    }

    function unravel(flat, shape) {
      var index = [];
      for (var d = shape.length - 1; d >= 0; d--) {
        index.unshift(flat % shape[d]);
        flat = Math.floor(flat / shape[d]);
      }
      return index;
    }

    function indexText(index) {
      return index.length === 1 ? String(index[0]) : "(" + index.join(", ") + ")";
    }

    function close(a, c, spec) {
      return Math.abs(a - c) <= spec.atol + spec.rtol * Math.abs(c);
    }

    function describeList(v) {
      return "a list of length " + v.length;
    }

    function matches(arr, shape, candidate, spec) {
      var cShape = shapeOf(candidate);
      if (cShape.join(",") !== shape.join(",")) return false;
      var c = flatten(candidate);
      for (var i = 0; i < c.length; i++) if (!close(arr[i], c[i], spec)) return false;
      return true;
    }

    function wrong(message) { return { ok: false, message: message }; }
    function right() { return { ok: true, message: "well done." }; }

    function asNumbers(value, what) {
      var shape = shapeOf(value);
      if (shape === null) {
        return { problem: wrong("your answer (" + describeList(value) + ") could not be read as a " +
          "rectangular array of numbers; do all rows have the same length?") };
      }
      var arr = flatten(value);
      for (var i = 0; i < arr.length; i++) {
        if (!isFinite(arr[i])) return { problem: wrong("your answer contains NaN or infinity.") };
      }
      return { arr: arr, shape: shape };
    }

    function judgeArray(spec, value) {
      var got = asNumbers(value, spec.what);
      if (got.problem) return got.problem;
      var arr = got.arr, shape = got.shape;
      if (matches(arr, shape, spec.expected, spec)) return right();
      for (var i = 0; i < spec.diagnoses.length; i++) {
        if (matches(arr, shape, spec.diagnoses[i][0], spec)) return wrong(spec.diagnoses[i][1]);
      }
      var eShape = shapeOf(spec.expected);
      if (shape.length === 0 && eShape.length > 0) {
        return wrong("you gave a single number, but the answer is " + spec.what +
          " of shape " + shapeText(eShape) + ".");
      }
      if (shape.join(",") !== eShape.join(",")) {
        var hint = "";
        for (var h = 0; h < spec.shape_hints.length; h++) {
          if (spec.shape_hints[h][0].join(",") === shape.join(",")) hint = spec.shape_hints[h][1];
        }
        return wrong(("the shape is " + shapeText(shape) + ", but it should be " +
          shapeText(eShape) + ". " + hint).trim());
      }
      var expected = flatten(spec.expected);
      var bad = [], worst = 0;
      for (var k = 0; k < arr.length; k++) {
        var diff = Math.abs(arr[k] - expected[k]);
        if (!close(arr[k], expected[k], spec)) bad.push(k);
        if (diff > Math.abs(arr[worst] - expected[worst])) worst = k;
      }
      var first = bad[0];
      var pair = formatPair(arr[first], expected[first]);
      var message = "the shape is right but " + bad.length + " of " + arr.length +
        " entries differ; the first is at index " + indexText(unravel(first, shape)) +
        ": you have " + pair[0] + ", expected " + pair[1];
      if (bad.length > 1) {
        message += "; the largest difference is " +
          formatNumber(Math.abs(arr[worst] - expected[worst]), 3) +
          " (at index " + indexText(unravel(worst, shape)) + ")";
      } else {
        message += " (a difference of " + formatNumber(Math.abs(arr[first] - expected[first]), 3) + ")";
      }
      return wrong(message + ".");
    }

    function judgeNumber(spec, value) {
      if (typeof value !== "number") {
        var shape = shapeOf(value);
        if (shape === null) {
          return wrong("this exercise wants a single number, but you gave " + describeList(value) + ".");
        }
        var flat = flatten(value);
        if (flat.length !== 1) {
          return wrong("this exercise wants a single number, but you gave " + describeList(value) + ".");
        }
        value = flat[0];
      }
      if (!isFinite(value)) return wrong("your answer contains NaN or infinity.");
      if (spec.whole && value !== pyRound(value)) {
        return wrong(spec.whole + ", but you gave " + formatNumber(value) + ".");
      }
      if (close(value, spec.expected, spec)) return right();
      for (var i = 0; i < spec.diagnoses.length; i++) {
        if (close(value, spec.diagnoses[i][0], spec)) return wrong(spec.diagnoses[i][1]);
      }
      return wrong("you have " + formatNumber(value) + "; that is not it. " +
        "Check the steps above and try again.");
    }

    /* The verdict on what was typed: {ok, message}, like check(id, parse_answer(text)). */
    function judge(spec, text) {
      var parsed = parse(text, spec.kind);
      if (parsed.problem !== undefined) return wrong(parsed.problem);
      return spec.kind === "number" ? judgeNumber(spec, parsed.value) : judgeArray(spec, parsed.value);
    }

    function show(feedback, verdict) {
      feedback.textContent = (verdict.ok ? "\u2714 Correct! " : "\u2718 Not yet: ") + verdict.message;
      feedback.setAttribute("data-verdict", verdict.ok ? "correct" : "wrong");
      feedback.style.color = verdict.ok ? "#1a7f37" : "#b35900";
      feedback.style.fontWeight = "600";
    }

    function start(rootId, data) {
      var form = document.getElementById(rootId);
      if (!form || form.getAttribute("data-ready") === "yes") return;
      var input = form.querySelector("input");
      var feedback = form.querySelector("[data-role='feedback']");
      var hintButton = form.querySelector("[data-role='hint']");
      var hintList = form.querySelector("[data-role='hints']");
      var item = "box:" + data.id;
      var progress = window.ConvlabProgress;
      if (progress && progress.register(item)) {
        feedback.textContent = "\u2714 You solved this one before (on this device). " +
          "Type an answer and press Check to try again.";
        feedback.setAttribute("data-verdict", "solved-before");
      } else {
        feedback.textContent = "Type your answer and press Check (or Enter).";
      }
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var verdict = judge(data.spec, input.value);
        show(feedback, verdict);
        if (verdict.ok && progress) progress.markSolved(item);
      });
      if (hintButton) {
        var shown = 0;
        hintButton.addEventListener("click", function () {
          if (shown >= data.hints.length) return;
          var li = document.createElement("li");
          shown += 1;
          li.textContent = "Hint " + shown + " of " + data.hints.length + ": " + data.hints[shown - 1];
          hintList.appendChild(li);
          if (shown === data.hints.length) {
            hintButton.disabled = true;
            hintButton.textContent = "No more hints";
          } else {
            hintButton.textContent = "Next hint";
          }
        });
      }
      form.setAttribute("data-ready", "yes");
    }

    return {
      parse: parse, judge: judge, formatNumber: formatNumber, start: start
    };
  })();
}
