// Padding, stride and dilation: which input cells does output (i, j) read?
// The geometry of convlab.explorer.window_cells and convlab.arith.
// conv_output_size (torch's conv2d): output i reads the padded-input cells
// i*s + a*d, a = 0..k-1 (unpadded index i*s - p + a*d).
ConvlabExplorers.register("conv_window", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el;
  var v = {n: data.n, k: data.k, p: data.p, s: data.s, d: data.d,
           i: data.i, j: data.j};
  var R = data.ranges;

  // floor((n + 2p - d(k-1) - 1)/s) + 1, or 0 when the kernel does not fit.
  function outputSize() {
    var span = v.d * (v.k - 1) + 1;
    if (span > v.n + 2 * v.p) return 0;
    return Math.floor((v.n + 2 * v.p - span) / v.s) + 1;
  }

  var controls = el("div", {class: "cx-controls"});
  var sliders = {};
  [["n", "input size n"], ["k", "kernel size k"], ["p", "padding p"],
   ["s", "stride s"], ["d", "dilation d"]].forEach(function (c) {
    sliders[c[0]] = CX.slider({
      label: c[1], name: c[0], min: R[c[0]][0], max: R[c[0]][1],
      value: v[c[0]], onchange: function (x) { v[c[0]] = x; update(); },
    });
    controls.appendChild(sliders[c[0]]);
  });
  [["i", "output row i"], ["j", "output column j"]].forEach(function (c) {
    sliders[c[0]] = CX.slider({
      label: c[1], name: c[0], min: 0, max: 0, value: 0,
      onchange: function (x) { v[c[0]] = x; update(); },
    });
    controls.appendChild(sliders[c[0]]);
  });

  var formula = el("div", {class: "cx-readout", "data-role": "formula"});
  var reads = el("div", {class: "cx-readout", "data-role": "reads"});
  var inputGrid = CX.cellGrid({role: "input-grid", size: 1.7});
  var outputGrid = CX.cellGrid({role: "output-grid", size: 1.9});
  var size = el("strong", {"data-role": "out-size"});
  root.appendChild(controls);
  root.appendChild(formula);
  root.appendChild(reads);
  root.appendChild(el("div", {}, [inputGrid, outputGrid]));

  function select(r, c) {
    v.i = r; v.j = c;
    sliders.i.set(r); sliders.j.set(c);
    update();
  }

  function update() {
    var m = outputSize();
    ["i", "j"].forEach(function (name) {
      sliders[name].setMax(Math.max(m - 1, 0));
      sliders[name].input.disabled = m === 0;
      v[name] = Number(sliders[name].input.value);
    });
    var span = v.d * (v.k - 1) + 1, top = v.n + 2 * v.p - span;
    formula.innerHTML = "";
    if (m > 0) {
      size.textContent = String(m);
      formula.appendChild(document.createTextNode(
        "output size = floor((n + 2p − d(k−1) − 1) / s) + 1\n" +
        "            = floor((" + v.n + " + 2·" + v.p + " − " + v.d + "·(" +
        v.k + "−1) − 1) / " + v.s + ") + 1 = floor(" + top + "/" + v.s +
        ") + 1 = "));
      formula.appendChild(size);
      formula.appendChild(document.createTextNode(
        "   (output " + m + "×" + m + ")"));
    } else {
      size.textContent = "none";
      formula.appendChild(document.createTextNode("output size: "));
      formula.appendChild(size);
      formula.appendChild(document.createTextNode(
        ". No output: the kernel spans d(k−1) + 1 = " + span +
        " cells but the padded input has only n + 2p = " + (v.n + 2 * v.p) +
        ". Use a smaller kernel or dilation, or more padding."));
    }
    // The cells output (i, j) reads, in unpadded coordinates.
    var rows = [], cols = [];
    if (m > 0) {
      for (var a = 0; a < v.k; a++) {
        rows.push(v.i * v.s - v.p + a * v.d);
        cols.push(v.j * v.s - v.p + a * v.d);
      }
    }
    var padCount = 0;
    rows.forEach(function (r) {
      cols.forEach(function (c) {
        if (r < 0 || r >= v.n || c < 0 || c >= v.n) padCount += 1;
      });
    });
    reads.textContent = m > 0
      ? "output (" + v.i + ", " + v.j + ") reads rows " + rows.join(", ") +
        " and columns " + cols.join(", ") + ": " + v.k * v.k + " cells, " +
        padCount + " of them padding zeros"
      : "no output cell to select";

    var size2 = v.n + 2 * v.p, labels = [];
    for (var t = -v.p; t < v.n + v.p; t++) labels.push(t);
    inputGrid.caption.textContent = "padded input, " + size2 + "×" + size2 +
      " (grey: padding; orange: read by output (" + v.i + ", " + v.j + "))";
    inputGrid.render(size2, size2, function (r, c) {
      var ur = r - v.p, uc = c - v.p;
      var pad = ur < 0 || ur >= v.n || uc < 0 || uc >= v.n;
      var read = rows.indexOf(ur) >= 0 && cols.indexOf(uc) >= 0;
      var start = m > 0 && r % v.s === 0 && c % v.s === 0 &&
        r / v.s < m && c / v.s < m;
      return {
        text: start ? "•" : "",
        state: (pad ? "pad" : "input") + (read ? " read" : "") +
          (start ? " start" : ""),
        bg: read ? (pad ? "#f6c08f" : "#e8711a") : (pad ? "#d9d9d9" : "#fff"),
        label: "input (" + ur + ", " + uc + ")" + (pad ? ", padding" : "") +
          (read ? ", read" : ""),
      };
    }, null, labels, labels);
    var outLabels = [];
    for (var o = 0; o < m; o++) outLabels.push(o);
    outputGrid.caption.textContent = m > 0
      ? "output, " + m + "×" + m + " (click a cell)" : "output: none";
    outputGrid.render(m, m, function (r, c) {
      var sel = r === v.i && c === v.j;
      return {
        text: sel ? "●" : "",
        state: sel ? "selected" : "",
        bg: sel ? "#e8711a" : "#fff",
        label: "output (" + r + ", " + c + ")" + (sel ? ", selected" : ""),
      };
    }, select, outLabels, outLabels);
  }
  update();
});
