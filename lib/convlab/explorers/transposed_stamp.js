// The transposed convolution as stamps (convlab.transposed.conv_transpose2d,
// torch's conv_transpose2d, one channel, dilation 1): input cell (a, b)
// adds x[a][b] * w into the output at rows a*s + i - p, columns b*s + j - p;
// overlaps add. The count grid is convlab.transposed.tap_counts.
ConvlabExplorers.register("transposed_stamp", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el;
  var R = data.ranges, n = data.x.length;
  var v = {k: data.k, s: data.s, p: data.p, ones: data.ones, a: data.a,
           b: data.b};

  function inputs() {
    var x = data.x, w = data.kernels[String(v.k)];
    if (v.ones) {
      x = x.map(function (row) { return row.map(function () { return 1; }); });
      w = w.map(function (row) { return row.map(function () { return 1; }); });
    }
    return {x: x, w: w};
  }

  var controls = el("div", {class: "cx-controls"});
  [["k", "kernel size k"], ["s", "stride s"], ["p", "padding p"]].forEach(
    function (c) {
      controls.appendChild(CX.slider({
        label: c[1], name: c[0], min: R[c[0]][0], max: R[c[0]][1],
        value: v[c[0]], onchange: function (x) { v[c[0]] = x; update(); },
      }));
    });
  controls.appendChild(CX.checkbox({
    label: "all ones (input and kernel)", name: "ones", checked: v.ones,
    onchange: function (b) { v.ones = b; update(); },
  }));
  var sizeLine = el("div", {class: "cx-readout", "data-role": "size-line"});
  var stampLine = el("div", {class: "cx-readout", "data-role": "stamp-line"});
  var countLine = el("div", {class: "cx-readout", "data-role": "count-line"});
  var grids = {
    input: CX.cellGrid({role: "input-grid", size: 2.2}),
    kernel: CX.cellGrid({role: "kernel-grid", size: 2.2}),
    output: CX.cellGrid({role: "value-grid", size: 2.2}),
    counts: CX.cellGrid({role: "count-grid", size: 1.8}),
  };
  [controls, sizeLine, stampLine, countLine,
   el("div", {}, [grids.input, grids.kernel]),
   el("div", {}, [grids.output, grids.counts])].forEach(function (node) {
    root.appendChild(node);
  });

  function range(a, b) {
    var out = [];
    for (var t = a; t < b; t++) out.push(t);
    return out;
  }

  function update() {
    var xw = inputs(), x = xw.x, w = xw.w, k = v.k, s = v.s, p = v.p;
    var full = (n - 1) * s + k, m = full - 2 * p;
    grids.input.caption.textContent = "input x, " + n + "×" + n +
      " (click a cell)";
    grids.input.render(n, n, function (r, c) {
      var sel = r === v.a && c === v.b;
      return {
        text: CX.format(x[r][c]), state: sel ? "selected" : "",
        bg: sel ? "#e8711a" : "#fff",
        label: "input (" + r + ", " + c + ") = " + CX.format(x[r][c]) +
          (sel ? ", selected" : ""),
      };
    }, function (r, c) { v.a = r; v.b = c; update(); }, range(0, n),
    range(0, n));
    grids.kernel.caption.textContent = "kernel w, " + k + "×" + k;
    grids.kernel.render(k, k, function (r, c) {
      return {text: CX.format(w[r][c])};
    }, null, range(0, k), range(0, k));
    sizeLine.innerHTML = "";
    sizeLine.appendChild(document.createTextNode(
      "output size = (n − 1)s − 2p + k = (" + n + " − 1)·" + s + " − 2·" +
      p + " + " + k + " = "));
    sizeLine.appendChild(el("strong", {"data-role": "out-size"},
                            m >= 1 ? String(m) : "none"));
    if (m < 1) {
      sizeLine.appendChild(document.createTextNode(
        ". No output: the padding crops more than the " + full + "×" + full +
        " result of the stamps; use less padding."));
      stampLine.textContent = countLine.textContent = "";
      grids.output.caption.textContent = "output: none";
      grids.counts.caption.textContent = "taps per output cell: none";
      grids.output.render(0, 0, function () { return {}; });
      grids.counts.render(0, 0, function () { return {}; });
      return;
    }
    // scatter: every input cell stamps x * w, shifted by s per cell
    var y = [], count = [], r, c;
    for (r = 0; r < m; r++) {
      y.push(range(0, m).map(function () { return 0; }));
      count.push(range(0, m).map(function () { return 0; }));
    }
    for (var a = 0; a < n; a++) {
      for (var b = 0; b < n; b++) {
        for (var i = 0; i < k; i++) {
          for (var j = 0; j < k; j++) {
            r = a * s + i - p; c = b * s + j - p;
            if (r < 0 || r >= m || c < 0 || c >= m) continue;
            y[r][c] += x[a][b] * w[i][j];
            count[r][c] += 1;
          }
        }
      }
    }
    var rows = range(0, k).map(function (t) { return v.a * s + t - p; });
    var cols = range(0, k).map(function (t) { return v.b * s + t - p; });
    var kept = function (t) { return t >= 0 && t < m; };
    var inStamp = function (rr, cc) {
      return rows.indexOf(rr) >= 0 && cols.indexOf(cc) >= 0;
    };
    var nKept = rows.filter(kept).length * cols.filter(kept).length;
    stampLine.textContent = "input (" + v.a + ", " + v.b + ") = " +
      CX.format(x[v.a][v.b]) + " stamps " + CX.format(x[v.a][v.b]) +
      "·w onto output rows " + rows.join(", ") + " and columns " +
      cols.join(", ") + ": " + nKept + " of its " + k * k +
      " cells are kept" + (nKept < k * k ? " (the rest lie in the cropped " +
      "border or beyond)" : "");
    var axis = range(0, m).map(function (t) {
      var total = 0;
      for (var q = 0; q < n; q++) {
        var i0 = t + p - q * s;
        if (i0 >= 0 && i0 < k) total += 1;
      }
      return total;
    });
    countLine.innerHTML = "";
    countLine.appendChild(document.createTextNode(
      "taps per output cell along a row: "));
    countLine.appendChild(el("strong", {"data-role": "row-counts"},
                             axis.join(", ")));
    countLine.appendChild(document.createTextNode(
      "; a cell's count is the product of its row's and its column's" +
      (k % s === 0 ? "" : " (uneven inside: " + s + " does not divide " + k +
       ", a checkerboard)")));
    grids.output.caption.textContent = "output, " + m + "×" + m +
      " (orange: the selected stamp)";
    grids.output.render(m, m, function (rr, cc) {
      var hit = inStamp(rr, cc);
      return {
        text: CX.format(y[rr][cc]), state: hit ? "stamp" : "",
        bg: hit ? "#f6c08f" : "#fff",
        label: "output (" + rr + ", " + cc + ") = " + CX.format(y[rr][cc]),
      };
    }, null, range(0, m), range(0, m));
    var shades = ["#ffffff", "#dbe8f6", "#a9c8ea", "#6fa3d8", "#3d7cc2"];
    grids.counts.caption.textContent = "taps per output cell (overlaps)";
    grids.counts.render(m, m, function (rr, cc) {
      var hit = inStamp(rr, cc), t = count[rr][cc];
      return {
        text: String(t), state: hit ? "stamp" : "",
        bg: shades[Math.min(t, shades.length - 1)],
        fg: t >= 3 ? "#fff" : "#222",
        label: "output (" + rr + ", " + cc + "): " + t + " taps",
      };
    }, null, range(0, m), range(0, m));
  }
  update();
});
