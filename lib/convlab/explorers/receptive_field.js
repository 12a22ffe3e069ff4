// The receptive field of a stack of 1 to 4 layers (no padding), along one
// axis: the recurrence of convlab.arith.receptive_field,
// r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}, j_l = j_{l-1} s_l, and the cells
// themselves, found by following the chosen output down the stack.
ConvlabExplorers.register("receptive_field", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el;
  var R = data.ranges, MAXL = R.layers[1];
  var v = {n: data.n, L: data.layers.length, o: data.o, layers: []};
  for (var l = 0; l < MAXL; l++) {
    var given = data.layers[l] || data.spare;
    v.layers.push({k: given[0], s: given[1], d: given[2]});
  }

  var controls = el("div", {class: "cx-controls"});
  var nSlider = CX.slider({
    label: "input size n", name: "n", min: R.n[0], max: R.n[1], value: v.n,
    onchange: function (x) { v.n = x; update(); },
  });
  var layerSelect = CX.select({
    label: "layers", name: "layers", value: String(v.L),
    options: [1, 2, 3, 4].slice(0, MAXL).map(function (x) {
      return [String(x), String(x)];
    }),
    onchange: function (x) { v.L = Number(x); update(); },
  });
  var oSlider = CX.slider({
    label: "output cell", name: "o", min: 0, max: 0, value: 0,
    onchange: function (x) { v.o = x; update(); },
  });
  controls.appendChild(nSlider);
  controls.appendChild(layerSelect);
  controls.appendChild(oSlider);
  root.appendChild(controls);
  var rows = [];
  v.layers.forEach(function (layer, idx) {
    var row = el("div", {class: "cx-controls", "data-role": "layer-" + (idx + 1)},
                 el("span", {}, "layer " + (idx + 1) + ":"));
    [["k", "kernel k"], ["s", "stride s"], ["d", "dilation d"]].forEach(
      function (c) {
        row.appendChild(CX.slider({
          label: c[1] + (idx + 1), name: c[0] + (idx + 1),
          min: R[c[0]][0], max: R[c[0]][1], value: layer[c[0]],
          onchange: function (x) { layer[c[0]] = x; update(); },
        }));
      });
    rows.push(row);
    root.appendChild(row);
  });
  var formula = el("div", {class: "cx-readout", "data-role": "formula"});
  var cellsLine = el("div", {class: "cx-readout", "data-role": "cells-line"});
  var stack = el("div", {class: "cx-stack"});
  root.appendChild(formula);
  root.appendChild(cellsLine);
  root.appendChild(stack);
  var grids = [];
  for (var g = 0; g <= MAXL; g++) {
    grids.push(CX.cellGrid({role: g === 0 ? "input-row" : "layer-row-" + g,
                            size: 1.6}));
    grids[g].style.display = "block";
  }
  for (var g2 = MAXL; g2 >= 0; g2--) stack.appendChild(grids[g2]);

  function range(a, b) {
    var out = [];
    for (var t = a; t < b; t++) out.push(t);
    return out;
  }

  function update() {
    var layers = v.layers.slice(0, v.L);
    rows.forEach(function (row, idx) {
      row.style.display = idx >= v.L ? "none" : "";
    });
    // sizes along the stack (valid convolutions: no padding)
    var sizes = [v.n], problem = null;
    layers.forEach(function (ly, idx) {
      if (problem) return;
      var span = ly.d * (ly.k - 1) + 1, before = sizes[sizes.length - 1];
      if (span > before) {
        problem = "layer " + (idx + 1) + " spans d(k−1) + 1 = " + span +
          " cells but its input has only " + before;
        return;
      }
      sizes.push(Math.floor((before - span) / ly.s) + 1);
    });
    // the recurrence, with its terms written out
    var r = 1, jump = 1, terms = [];
    layers.forEach(function (ly) {
      terms.push("(" + ly.k + "−1)·" + ly.d + "·" + jump);
      r += (ly.k - 1) * ly.d * jump;
      jump *= ly.s;
    });
    formula.innerHTML = "";
    formula.appendChild(document.createTextNode(
      "r = 1 + Σ (k_l − 1)·d_l·(s_1⋯s_{l−1}) = 1 + " + terms.join(" + ") +
      " = "));
    formula.appendChild(el("strong", {"data-role": "rf-size"}, String(r)));
    formula.appendChild(document.createTextNode(
      ";  jump between neighbouring outputs s_1⋯s_L = "));
    formula.appendChild(el("strong", {"data-role": "rf-jump"}, String(jump)));

    var m = problem ? 0 : sizes[sizes.length - 1];
    oSlider.setMax(Math.max(m - 1, 0));
    oSlider.input.disabled = m === 0;
    v.o = Number(oSlider.input.value);
    // follow output o down the stack: the cells of each layer it depends on
    var seen = [];
    if (m > 0) {
      var cur = [v.o];
      seen[v.L] = cur;
      for (var l = v.L - 1; l >= 0; l--) {
        var ly = layers[l], next = {};
        cur.forEach(function (t) {
          for (var a = 0; a < ly.k; a++) next[t * ly.s + a * ly.d] = true;
        });
        cur = Object.keys(next).map(Number).sort(function (x, y) {
          return x - y;
        });
        seen[l] = cur;
      }
    }
    cellsLine.innerHTML = "";
    if (m > 0) {
      var cells = seen[0], first = cells[0], last = cells[cells.length - 1];
      var holes = [];
      for (var t = first; t <= last; t++) {
        if (cells.indexOf(t) < 0) holes.push(t);
      }
      cellsLine.appendChild(document.createTextNode(
        "output " + v.o + " of layer " + v.L + " depends on input cells " +
        first + ".." + last + " (from o·jump = " + v.o + "·" + jump +
        "): "));
      cellsLine.appendChild(el("strong", {"data-role": "rf-count"},
                               String(cells.length)));
      cellsLine.appendChild(document.createTextNode(
        " of the " + (last - first + 1) + " cells in the span" +
        (holes.length ? "; holes at " + holes.join(", ") : ", no holes")));
    } else {
      cellsLine.appendChild(document.createTextNode("no output: " + problem +
        ". Use a larger input or fewer, smaller layers."));
    }
    grids.forEach(function (gr, lev) {
      gr.style.display = lev > v.L ? "none" : "block";
    });
    for (var lev = v.L; lev >= 0; lev--) {
      var size = lev < sizes.length ? sizes[lev] : 0;
      var mark = seen[lev] || [];
      var grid = grids[lev];
      grid.caption.textContent = (lev === 0 ? "input" : "layer " + lev +
        " output") + ", " + size + " cells" +
        (lev === v.L && size ? " (click one)" : "");
      grid.render(1, size, (function (marked, level) {
        return function (rr, c) {
          var hit = marked.indexOf(c) >= 0;
          return {
            text: String(c),
            state: hit ? (level === v.L ? "selected" : "field") : "",
            bg: hit ? (level === 0 ? "#e8711a" : "#f6c08f") : "#fff",
            label: (level === 0 ? "input" : "layer " + level) + " cell " + c +
              (hit ? ", in the field" : ""),
          };
        };
      })(mark, lev), lev === v.L ? function (rr, c) {
        v.o = c; oSlider.set(c); update();
      } : null);
    }
  }
  update();
});
