// Pooling, and what a one-pixel shift does to it. The rules are those of
// convlab.pooling (torch's max_pool2d / avg_pool2d, count_include_pad=True):
// window (i, j) covers rows i*s - p .. i*s - p + k - 1; max ignores padding,
// the mean divides by the window clipped to the padded input.
ConvlabExplorers.register("pool_shift", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el;
  var field = data.field, n = data.n, R = data.ranges;
  var v = {k: data.k, s: data.s, p: data.p, ceil: data.ceil_mode,
           kind: data.kind, shift: data.shift, i: 0, j: 0};

  // The n x n input, shifted by (dr, dc): field[1 - dr + r][1 - dc + c].
  function image(dr, dc) {
    var x = [];
    for (var r = 0; r < n; r++) {
      x.push(field[1 - dr + r].slice(1 - dc, 1 - dc + n));
    }
    return x;
  }

  // pool_output_size: the size, or a string saying why there is none.
  function outputSize() {
    if (2 * v.p > v.k) {
      return "padding " + v.p + " is more than half the window " + v.k +
        ": a window could lie entirely in the padding (PyTorch forbids it)";
    }
    var q = (n + 2 * v.p - v.k) / v.s;
    var m = (v.ceil ? Math.ceil(q) : Math.floor(q)) + 1;
    if (v.ceil && (m - 1) * v.s >= n + v.p) m -= 1;
    if (m < 1) return "the window is larger than the padded input";
    return m;
  }

  function pool(x, m) {
    var y = [];
    for (var i = 0; i < m; i++) {
      var row = [];
      for (var j = 0; j < m; j++) {
        var r0 = i * v.s - v.p, c0 = j * v.s - v.p;
        var best = -Infinity, sum = 0;
        for (var r = Math.max(r0, 0); r < Math.min(r0 + v.k, n); r++) {
          for (var c = Math.max(c0, 0); c < Math.min(c0 + v.k, n); c++) {
            best = Math.max(best, x[r][c]);
            sum += x[r][c];
          }
        }
        var div = (Math.min(r0 + v.k, n + v.p) - r0) *
          (Math.min(c0 + v.k, n + v.p) - c0);
        row.push(v.kind === "max" ? best : sum / div);
      }
      y.push(row);
    }
    return y;
  }

  var controls = el("div", {class: "cx-controls"});
  var sliders = {};
  [["k", "window k"], ["s", "stride s"], ["p", "padding p"]].forEach(
    function (c) {
      sliders[c[0]] = CX.slider({
        label: c[1], name: c[0], min: R[c[0]][0], max: R[c[0]][1],
        value: v[c[0]], onchange: function (x) { v[c[0]] = x; update(); },
      });
      controls.appendChild(sliders[c[0]]);
    });
  controls.appendChild(CX.checkbox({
    label: "ceil mode", name: "ceil", checked: v.ceil,
    onchange: function (b) { v.ceil = b; update(); },
  }));
  controls.appendChild(CX.select({
    label: "pooling", name: "kind", value: v.kind,
    options: [["max", "max"], ["avg", "average"]],
    onchange: function (x) { v.kind = x; update(); },
  }));
  controls.appendChild(CX.select({
    label: "shift the input by one pixel", name: "shift", value: v.shift,
    options: [["right", "right"], ["down", "down"]],
    onchange: function (x) { v.shift = x; update(); },
  }));
  var sizeLine = el("div", {class: "cx-readout", "data-role": "size-line"});
  var changeLine = el("div", {class: "cx-readout", "data-role": "change-line"});
  var grids = {
    input: CX.cellGrid({role: "input-grid", size: 1.8}),
    pooled: CX.cellGrid({role: "pooled-grid", size: 2.4}),
    shifted: CX.cellGrid({role: "shifted-grid", size: 1.8}),
    pooledShifted: CX.cellGrid({role: "pooled-shifted-grid", size: 2.4}),
  };
  root.appendChild(controls);
  root.appendChild(sizeLine);
  root.appendChild(changeLine);
  root.appendChild(el("div", {}, [grids.input, grids.pooled]));
  root.appendChild(el("div", {}, [grids.shifted, grids.pooledShifted]));

  function range(a, b) {
    var out = [];
    for (var t = a; t < b; t++) out.push(t);
    return out;
  }

  function drawInput(grid, x, m, caption) {
    var size = n + 2 * v.p, labels = range(-v.p, n + v.p);
    var r0 = v.i * v.s - v.p, c0 = v.j * v.s - v.p;
    grid.caption.textContent = caption;
    grid.render(size, size, function (r, c) {
      var ur = r - v.p, uc = c - v.p;
      var pad = ur < 0 || ur >= n || uc < 0 || uc >= n;
      var inWin = m > 0 && ur >= r0 && ur < r0 + v.k && uc >= c0 &&
        uc < c0 + v.k;
      return {
        text: pad ? "" : CX.format(x[ur][uc]),
        state: (pad ? "pad" : "input") + (inWin ? " window" : ""),
        bg: inWin ? (pad ? "#f6c08f" : "#e8711a") : (pad ? "#d9d9d9" : "#fff"),
        label: "input (" + ur + ", " + uc + ")" +
          (pad ? ", padding" : " = " + CX.format(x[ur][uc])),
      };
    }, null, labels, labels);
  }

  function drawPooled(grid, y, other, caption) {
    var m = y.length;
    grid.caption.textContent = caption;
    grid.render(m, m, function (r, c) {
      var changed = other && y[r][c] !== other[r][c];
      var sel = r === v.i && c === v.j;
      return {
        text: CX.format(y[r][c]),
        state: (changed ? "changed" : "") + (sel ? " selected" : ""),
        bg: changed ? "#f4d03f" : (sel ? "#fbe0c8" : "#fff"),
        label: "pooled (" + r + ", " + c + ") = " + CX.format(y[r][c]) +
          (changed ? ", changed by the shift" : ""),
      };
    }, function (r, c) { v.i = r; v.j = c; update(); }, range(0, m),
    range(0, m));
  }

  function update() {
    var m = outputSize();
    var shiftBy = v.shift === "right" ? [0, 1] : [1, 0];
    var x = image(0, 0), xs = image(shiftBy[0], shiftBy[1]);
    var name = v.kind === "max" ? "max" : "average";
    if (typeof m === "string") {
      sizeLine.innerHTML = "";
      sizeLine.appendChild(document.createTextNode("output size: "));
      sizeLine.appendChild(el("strong", {"data-role": "out-size"}, "none"));
      sizeLine.appendChild(document.createTextNode(". No output: " + m + "."));
      changeLine.textContent = "";
      v.i = v.j = 0;
      drawInput(grids.input, x, 0, "input, " + n + "×" + n);
      drawInput(grids.shifted, xs, 0, "input shifted " + v.shift);
      grids.pooled.caption.textContent = "pooled: none";
      grids.pooled.render(0, 0, function () { return {}; });
      grids.pooledShifted.caption.textContent = "pooled after the shift: none";
      grids.pooledShifted.render(0, 0, function () { return {}; });
      return;
    }
    v.i = Math.min(v.i, m - 1);
    v.j = Math.min(v.j, m - 1);
    var rounding = v.ceil ? "ceil" : "floor";
    var q = n + 2 * v.p - v.k;
    sizeLine.innerHTML = "";
    sizeLine.appendChild(document.createTextNode(
      "output size = " + rounding + "((n + 2p − k) / s) + 1 = " + rounding +
      "((" + n + " + 2·" + v.p + " − " + v.k + ") / " + v.s + ") + 1" +
      (v.ceil && (Math.ceil(q / v.s)) * v.s >= n + v.p
        ? " − 1 (the last window would start in the padding)" : "") + " = "));
    sizeLine.appendChild(el("strong", {"data-role": "out-size"}, String(m)));
    var y = pool(x, m), ys = pool(xs, m), changed = 0;
    for (var r = 0; r < m; r++) {
      for (var c = 0; c < m; c++) if (y[r][c] !== ys[r][c]) changed += 1;
    }
    changeLine.innerHTML = "";
    changeLine.appendChild(document.createTextNode(
      "shifting the input one pixel " + v.shift + " changes "));
    changeLine.appendChild(el("strong", {"data-role": "changed-count"},
                              String(changed)));
    changeLine.appendChild(document.createTextNode(
      " of the " + m * m + " pooled values (yellow); " +
      "pooled (" + v.i + ", " + v.j + ") = " + CX.format(y[v.i][v.j]) +
      " is the " + name + " of the orange window"));
    drawInput(grids.input, x, m, "input, " + n + "×" + n +
      (v.p ? " with padding " + v.p + " (grey)" : ""));
    drawPooled(grids.pooled, y, null,
      name + " pooled, " + m + "×" + m + " (click a cell)");
    drawInput(grids.shifted, xs, m, "input shifted one pixel " + v.shift);
    drawPooled(grids.pooledShifted, ys, y,
      name + " pooled after the shift");
  }
  update();
});
