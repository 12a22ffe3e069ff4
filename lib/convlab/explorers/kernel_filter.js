// Chapter 5: pick or type a 3x3 kernel K and see Y = X * K (cross-correlation,
// 'valid', as convlab.ops.corr2d): Y[i, j] = sum_ab X[i + a, j + b] K[a, b].
// Data from kernel_filter.py: the photo as 8-bit pixels (X = pixels / 255).
ConvlabExplorers.register("kernel_filter", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el, svg = CX.svg, fmt = CX.format;
  var h = data.height, w = data.width, oh = h - 2, ow = w - 2;
  var X = data.pixels.map(function (p) { return p / 255; });
  var named = {};
  data.kernels.forEach(function (k) { named[k[0]] = k[2].slice(); });
  var K = named[data.kernel].slice(), Y = new Float64Array(oh * ow);
  var lo = 0, hi = 0, scale = 1, probe = [Math.floor(oh / 2), Math.floor(ow / 2)];
  // RdBu reversed: blue below zero, white at zero, red above.
  var RDBU = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
              "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"].map(function (c) {
    return [1, 3, 5].map(function (i) { return parseInt(c.substr(i, 2), 16); });
  });
  function colour(v) {  // v in [-1, 1]
    var p = (Math.max(-1, Math.min(1, v)) + 1) / 2 * 10, i = Math.min(9, Math.floor(p)), f = p - i;
    return RDBU[i].map(function (a, c) { return Math.round(a + f * (RDBU[i + 1][c] - a)); });
  }

  var choose = CX.select({
    label: "kernel", name: "kernel",
    options: data.kernels.map(function (k) { return [k[0], k[1]]; })
      .concat([["custom", "custom (typed)"]]),
    value: data.kernel,
    onchange: function (v) {
      if (v === "custom") return;
      K = named[v].slice();
      showKernel();
      update();
    },
  });
  var cells = [], grid = el("div", {class: "cx-kgrid", role: "group",
                                     "aria-label": "the nine numbers of K"});
  for (var a = 0; a < 3; a++) {
    for (var b = 0; b < 3; b++) {
      (function (idx, a, b) {
        var id = CX.uid("cx-k");
        var input = el("input", {type: "text", inputmode: "decimal", id: id,
          size: 5, "aria-label": "K[" + a + ", " + b + "]",
          "data-control": "k" + a + b});
        input.addEventListener("input", function () {
          var v = input.value.trim() === "" ? NaN : Number(input.value);
          if (!isFinite(v)) {
            input.setAttribute("aria-invalid", "true");
            note.textContent = "K[" + a + ", " + b + "] = \"" + input.value +
              "\" is not a number: the previous value " + fmt(K[idx]) + " is kept.";
            return;
          }
          input.removeAttribute("aria-invalid");
          note.textContent = "";
          K[idx] = v;
          choose.input.value = "custom";
          update();
        });
        cells.push(input);
        grid.appendChild(input);
      })(a * 3 + b, a, b);
    }
  }
  var note = el("div", {class: "cx-note", "data-role": "note", "aria-live": "polite"});
  var photo = el("canvas", {width: w, height: h, "data-role": "image",
    role: "img", "aria-label": "the photo X, " + h + " by " + w + " pixels"});
  var out = el("canvas", {width: ow, height: oh, "data-role": "output"});
  var outBox = el("div", {class: "cx-kbox", "data-role": "output-box"}, out);
  var legend = svg("svg", {viewBox: "0 0 200 30", width: 200, "aria-hidden": "true"});
  var minText = el("span", {"data-role": "min"});
  var maxText = el("span", {"data-role": "max"});
  var probeText = el("span", {"data-role": "probe"});
  var readout = el("div", {class: "cx-readout", "data-role": "readout", "aria-live": "polite"}, [
    "Y = X \u22c6 K (cross-correlation, 'valid'): " + oh + " \u00d7 " + ow +
    " pixels, min ", minText, ", max ", maxText, "\n", probeText,
  ]);
  var style = el("style", {}, ".cx-kgrid{display:grid;grid-template-columns:repeat(3,4.2em);gap:2px;}" +
    ".cx-kgrid input{width:4em;font-variant-numeric:tabular-nums;text-align:right;}" +
    ".cx-kgrid input[aria-invalid]{outline:2px solid #d62728;}" +
    ".cx-kpics{display:flex;flex-wrap:wrap;gap:.8em;align-items:flex-start;}" +
    ".cx-kpics figure{margin:0;}.cx-kpics figcaption{font-size:.85em;}" +
    ".cx-kpics canvas{image-rendering:pixelated;display:block;}" +
    ".cx-kbox{display:inline-block;cursor:crosshair;line-height:0;}.cx-note{color:#b00;font-size:.9em;}");
  root.appendChild(style);
  root.appendChild(el("div", {class: "cx-controls"}, [
    choose, el("div", {class: "cx-control"}, [el("span", {}, "K ="), grid]),
  ]));
  root.appendChild(note);
  root.appendChild(readout);
  var zoom = Math.max(1, Math.min(3, 300 / w));  // two images side by side
  photo.style.width = (w * zoom) + "px";
  out.style.width = (ow * zoom) + "px";
  root.appendChild(el("div", {class: "cx-kpics"}, [
    el("figure", {}, [photo, el("figcaption", {}, "X: the photo (gray)")]),
    el("figure", {}, [outBox, el("figcaption", {}, [
      "Y = X \u22c6 K (click a pixel to read it)", el("br"), legend])]),
  ]));
  var picker = CX.gridPicker(outBox, {
    rows: oh, cols: ow, value: probe, label: "output pixel to read",
    onselect: function (r, c) { probe = [r, c]; showProbe(); },
  });

  function drawPhoto() {
    var ctx = photo.getContext("2d"), img = ctx.createImageData(w, h);
    for (var i = 0; i < h * w; i++) {
      var g = data.pixels[i];
      img.data.set([g, g, g, 255], 4 * i);
    }
    ctx.putImageData(img, 0, 0);
  }
  function showKernel() {
    cells.forEach(function (c, i) {
      c.value = fmt(K[i]);
      c.removeAttribute("aria-invalid");
    });
    note.textContent = "";
  }
  function filter() {
    lo = Infinity; hi = -Infinity;
    for (var i = 0; i < oh; i++) {
      for (var j = 0; j < ow; j++) {
        var s = 0;
        for (var a = 0; a < 3; a++) {
          for (var b = 0; b < 3; b++) s += X[(i + a) * w + j + b] * K[a * 3 + b];
        }
        Y[i * ow + j] = s;
        if (s < lo) lo = s;
        if (s > hi) hi = s;
      }
    }
  }
  function drawOutput() {
    scale = Math.max(Math.abs(lo), Math.abs(hi)) || 1;
    var ctx = out.getContext("2d"), img = ctx.createImageData(ow, oh);
    for (var i = 0; i < oh * ow; i++) {
      img.data.set(colour(Y[i] / scale).concat([255]), 4 * i);
    }
    ctx.putImageData(img, 0, 0);
    legend.textContent = "";
    for (var k = 0; k <= 40; k++) {
      var c = colour(k / 20 - 1);
      legend.appendChild(svg("rect", {x: 10 + k * 4.5, y: 0, width: 5, height: 12,
        fill: "rgb(" + c.join(",") + ")"}));
    }
    [[10, "\u2212" + fmt(scale, 3)], [100, "0"], [190, fmt(scale, 3)]].forEach(function (t) {
      legend.appendChild(svg("text", {x: t[0], y: 26, "font-size": 10,
        "text-anchor": "middle", fill: "#333"}, t[1]));
    });
    out.setAttribute("aria-label", "Y = X cross-correlated with K; blue " +
      "negative, white zero, red positive; scale \u00b1" + fmt(scale, 3));
  }
  function showProbe() {
    var v = Y[probe[0] * ow + probe[1]];
    probeText.textContent = "Y[" + probe[0] + ", " + probe[1] + "] = " + fmt(v) +
      "  (colour scale \u00b1" + fmt(scale, 3) + ": blue < 0 < red)";
    probeText.dataset.row = probe[0];
    probeText.dataset.col = probe[1];
    probeText.dataset.value = String(v);
  }
  function update() {
    filter();
    drawOutput();
    minText.textContent = fmt(lo);
    minText.dataset.value = String(lo);
    maxText.textContent = fmt(hi);
    maxText.dataset.value = String(hi);
    root.dataset.kernel = K.join(",");
    showProbe();
  }
  drawPhoto();
  showKernel();
  update();
  picker.select(probe[0], probe[1], true);
});
