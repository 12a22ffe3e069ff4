// Chapter 23: click a pixel i and see alpha_ij, its weight for every pixel j,
// under the six operators (y_i = sum_j alpha_ij v_j). Data from
// mixing_weights.py: queries q, keys k_, the relative table, the depthwise
// kernel w and z = depthwise_conv(x, w), as convlab computes them.
ConvlabExplorers.register("mixing_weights", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el, svg = CX.svg, fmt = CX.format;
  var H = data.H, W = data.W, C = data.C, k = data.k, half = Math.floor(k / 2);
  var n = H * W, CELL = 13, channel = 0, pixel = data.pixel.slice();
  var RDBU = ["#053061", "#2166ac", "#4393c3", "#92c5de", "#d1e5f0", "#f7f7f7",
              "#fddbc7", "#f4a582", "#d6604d", "#b2182b", "#67001f"].map(function (c) {
    return [1, 3, 5].map(function (i) { return parseInt(c.substr(i, 2), 16); });
  });
  function colour(v) {  // v in [-1, 1]: blue, white at 0, red
    var p = (Math.max(-1, Math.min(1, v)) + 1) / 2 * 10, i = Math.min(9, Math.floor(p)), f = p - i;
    return "rgb(" + RDBU[i].map(function (a, c) {
      return Math.round(a + f * (RDBU[i + 1][c] - a));
    }).join(",") + ")";
  }
  function softmax(l) {  // subtract the maximum first, as stable_softmax does
    var m = -Infinity, s = 0, out = [];
    l.forEach(function (v) { if (v > m) m = v; });
    l.forEach(function (v) { var e = Math.exp(v - m); out.push(e); s += e; });
    return out.map(function (e) { return e / s; });
  }
  function inWindow(i, j) {
    return Math.abs(Math.floor(i / W) - Math.floor(j / W)) <= half &&
           Math.abs(i % W - j % W) <= half;
  }
  function rel(i, j) {  // global relative weight w[i - j] = table[H-1+dr][W-1+dc]
    return data.table[H - 1 + Math.floor(i / W) - Math.floor(j / W)][W - 1 + i % W - j % W];
  }
  function kern(c, i, j) {  // local kernel w[c, i - j], for j in L(i)
    return data.w[c][half + Math.floor(i / W) - Math.floor(j / W)][half + i % W - j % W];
  }
  // alpha_ij for every j (an array of n numbers) under each operator, at channel c.
  function weights(i, c) {
    var logits = [], j, d;
    for (j = 0; j < n; j++) {
      var s = 0;
      for (d = 0; d < data.q[i].length; d++) s += data.q[i][d] * data.k_[j][d];
      logits.push(s * data.scale);
    }
    var sa = softmax(logits);
    var biased = softmax(logits.map(function (l, j) { return l + rel(i, j); }));
    var win = [], local = [];
    for (j = 0; j < n; j++) if (inWindow(i, j)) { win.push(j); local.push(logits[j]); }
    var aw = softmax(local), amc = new Array(n).fill(0), dw = new Array(n).fill(0);
    win.forEach(function (j, m) { dw[j] = kern(c, i, j); amc[j] = aw[m] * kern(c, i, j); });
    var cma = new Array(n).fill(0);
    cma[i] = softmax(data.z[i])[c];
    return {
      "depthwise conv": dw,
      "self-attention": sa,
      "post-norm": sa.map(function (a, j) { return a + rel(i, j); }),
      "pre-norm": biased,
      "attention-mod. conv": amc,
      "conv-mod. attention": cma,
    };
  }

  var chooser = CX.select({
    label: "channel c", name: "channel",
    options: data.channels.map(function (name, c) { return [String(c), c + ": " + name]; }),
    value: "0",
    onchange: function (v) { channel = Number(v); update(); },
  });
  var pickBox = el("div", {class: "cx-mwpick", "data-role": "picker"});
  var img = svg("svg", {viewBox: "0 0 " + W + " " + H, width: W * 16, height: H * 16,
                        "aria-hidden": "true", preserveAspectRatio: "none"});
  for (var p = 0; p < n; p++) {
    var g = Math.round(255 * data.image[Math.floor(p / W)][p % W]);
    img.appendChild(svg("rect", {x: p % W, y: Math.floor(p / W), width: 1.02, height: 1.02,
                                 fill: "rgb(" + g + "," + g + "," + g + ")"}));
  }
  pickBox.appendChild(img);
  var where = el("span", {"data-role": "pixel"});
  var cursorText = el("span", {"data-role": "cursor"});
  var readout = el("div", {class: "cx-readout", "aria-live": "polite", "data-role": "readout"}, [
    "pixel i = ", where, "   ", cursorText]);
  var grid = el("div", {class: "cx-mwgrid"});
  var style = el("style", {}, ".cx-mwgrid{display:grid;grid-template-columns:" +
    "repeat(auto-fill,minmax(" + (W * CELL + 20) + "px,1fr));gap:.6em .8em;}" +
    ".cx-mwgrid figure{margin:0;}.cx-mwgrid figcaption{font-size:.8em;line-height:1.3;" +
    "white-space:pre-wrap;font-variant-numeric:tabular-nums;}" +
    ".cx-mwgrid figcaption b{font-size:1.05em;}" +
    ".cx-mwpick{display:inline-block;line-height:0;cursor:crosshair;}" +
    ".cx-mwtop{display:flex;flex-wrap:wrap;gap:1em;align-items:flex-end;margin-bottom:.5em;}");
  root.appendChild(style);
  root.appendChild(el("div", {class: "cx-mwtop"}, [
    el("figure", {style: "margin:0"}, [pickBox, el("figcaption", {style: "font-size:.8em"},
      "input (intensity): click or use the keys")]),
    el("div", {}, [el("div", {class: "cx-controls"}, chooser), readout,
      el("p", {style: "font-size:.85em;margin:.3em 0;max-width:34em"},
        "Each map shows \u03b1\u1d62\u2c7c, the weight pixel i gives pixel j in " +
        "y\u1d62 = \u03a3\u2c7c \u03b1\u1d62\u2c7c v\u2c7c (blue negative, white 0, red " +
        "positive; each map on its own scale \u00b1max|\u03b1|). The channel applies " +
        "to the operators whose weights differ per channel.")]),
  ]));
  root.appendChild(grid);

  var panels = data.operators.map(function (name) {
    var map = svg("svg", {viewBox: "0 0 " + W * CELL + " " + H * CELL,
                          width: W * CELL, height: H * CELL, role: "img"});
    var rects = [];
    for (var j = 0; j < n; j++) {
      var r = svg("rect", {x: (j % W) * CELL, y: Math.floor(j / W) * CELL,
                           width: CELL, height: CELL, "data-j": j});
      rects.push(r);
      map.appendChild(r);
    }
    var frame = svg("rect", {width: CELL, height: CELL, fill: "none", stroke: "#111",
                             "stroke-width": 2, "data-role": "selected"});
    map.appendChild(frame);
    map.addEventListener("click", function (e) {
      var b = map.getBoundingClientRect();
      picker.select(Math.floor((e.clientY - b.top) / b.height * H),
                    Math.floor((e.clientX - b.left) / b.width * W));
    });
    var caption = el("figcaption", {});
    var fig = el("figure", {"data-role": "operator", "data-op": name}, [map, caption]);
    grid.appendChild(fig);
    return {name: name, map: map, rects: rects, frame: frame, caption: caption, fig: fig};
  });

  var picker = CX.gridPicker(pickBox, {
    rows: H, cols: W, value: pixel, label: "pixel i of the input",
    onselect: function (r, c) { pixel = [r, c]; update(); },
    onmove: function (r, c) {
      cursorText.textContent = "(keyboard cursor at row " + r + ", column " + c +
        ": Enter selects)";
    },
  });

  function update() {
    var i = pixel[0] * W + pixel[1], all = weights(i, channel);
    where.textContent = "(row " + pixel[0] + ", column " + pixel[1] + "), number " + i;
    root.dataset.pixel = pixel.join(",");
    root.dataset.channel = channel;
    panels.forEach(function (P) {
      var a = all[P.name], top = 0, arg = 0, nz = 0, sum = 0;
      a.forEach(function (v, j) {
        if (Math.abs(v) > Math.abs(top)) { top = v; arg = j; }
        if (v !== 0) nz += 1;
        sum += v;
      });
      var s = Math.abs(top) || 1;
      a.forEach(function (v, j) {
        P.rects[j].setAttribute("fill", v === 0 ? "#f7f7f7" : colour(v / s));
        P.rects[j].setAttribute("data-w", String(v));
      });
      P.frame.setAttribute("x", pixel[1] * CELL);
      P.frame.setAttribute("y", pixel[0] * CELL);
      var perChannel = data.channel_wise.indexOf(P.name) >= 0;
      P.caption.textContent = "";
      P.caption.appendChild(el("b", {}, P.name));
      P.caption.appendChild(el("span", {}, perChannel ? " (channel " + channel + ")" : " (all channels)"));
      P.caption.appendChild(el("br"));
      P.caption.appendChild(el("span", {}, "max |\u03b1| = "));
      P.caption.appendChild(el("span", {"data-role": "max", "data-value": String(top)}, fmt(top, 3)));
      P.caption.appendChild(el("span", {}, " at (" + Math.floor(arg / W) + ", " + arg % W + ")"));
      P.caption.appendChild(el("br"));
      P.caption.appendChild(el("span", {"data-role": "nonzero", "data-value": nz},
        nz + " of " + n + " weights \u2260 0"));
      P.caption.appendChild(el("span", {}, ", \u03a3 = "));
      P.caption.appendChild(el("span", {"data-role": "sum", "data-value": String(sum)}, fmt(sum, 3)));
      P.map.setAttribute("aria-label", P.name + ": weights of pixel " + i +
        "; largest " + fmt(top, 3) + "; " + nz + " of " + n + " non-zero");
    });
  }
  update();
});
