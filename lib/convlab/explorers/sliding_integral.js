// Chapter 1: flip, shift, multiply, integrate. Data from sliding_integral.py:
// per pair, f on the midpoint grid tau_j = lo + (j + 1/2) step and g on the
// grid where every t_n - tau_j falls (g[n * ratio - j + N - 1]). The value is
// the midpoint sum of convlab.continuous.convolve_integral:
// (f*g)(t_n) ~ step * sum_j f(tau_j) g(t_n - tau_j).
ConvlabExplorers.register("sliding_integral", function (root, data) {
  "use strict";
  var CX = ConvlabExplorers, el = CX.el, svg = CX.svg, fmt = CX.format;
  var W = 640, H = 400, L = 46, R = 12;
  var TOP = [18, 190], BOT = [232, 370];  // y ranges of the two panels
  var pair, values, n = 0;

  function integrand(p, k) {  // f(tau_j) g(t_k - tau_j), j = 0..N-1
    var N = p.f.length, out = new Array(N);
    for (var j = 0; j < N; j++) out[j] = p.f[j] * p.g[k * p.ratio - j + N - 1];
    return out;
  }
  function integral(p, k) {
    var prod = integrand(p, k), s = 0;
    for (var j = 0; j < prod.length; j++) s += prod[j];
    return p.step * s;
  }
  function tOf(k) { return pair.lo + k * pair.t_step; }
  function count() { return pair.exact.length; }

  var choose = CX.select({
    label: "signals", name: "pair",
    options: data.pairs.map(function (p, i) {
      return [String(i), "f = " + p.f_label + ", g = " + p.g_label];
    }),
    value: "0",
    onchange: function (v) { setPair(Number(v), tOf(n)); },
  });
  var slide = CX.slider({
    label: "shift t", name: "t", min: data.pairs[0].lo,
    max: data.pairs[0].hi, step: data.pairs[0].t_step, value: data.t,
    onchange: function (v) { n = index(v); draw(); },
  });
  var tText = el("span", {"data-role": "t"});
  var valText = el("span", {"data-role": "value"});
  var exactText = el("span", {"data-role": "exact"});
  var gridText = el("span", {"data-role": "grid"});
  var readout = el("div", {class: "cx-readout", "data-role": "readout",
                           "aria-live": "polite"}, [
    "t = ", tText, ":  (f*g)(t) \u2248 \u0394\u03c4 \u03a3\u2c7c f(\u03c4\u2c7c) " +
    "g(t \u2212 \u03c4\u2c7c) = ", valText, "   exact: ", exactText, "\n",
    gridText,
  ]);
  var plot = svg("svg", {viewBox: "0 0 " + W + " " + H, width: W,
                         "data-role": "plot", role: "img"});
  root.appendChild(el("div", {class: "cx-controls"}, [choose, slide]));
  root.appendChild(readout);
  root.appendChild(plot);

  function index(v) {
    var k = Math.round((v - pair.lo) / pair.t_step);
    return Math.max(0, Math.min(count() - 1, k));
  }
  function setPair(i, t) {
    pair = data.pairs[i];
    values = [];
    for (var k = 0; k < count(); k++) values.push(integral(pair, k));
    slide.input.min = pair.lo;
    slide.input.max = pair.hi;
    slide.input.step = pair.t_step;
    n = index(Math.max(pair.lo, Math.min(pair.hi, t)));
    slide.set(tOf(n));
    draw();
  }

  // A panel maps data (x, y) to the SVG; its domains are kept as data-*
  // attributes so that a test can read the drawing back as numbers.
  function panel(ys, xd, yd, name) {
    var sx = function (x) { return L + (x - xd[0]) / (xd[1] - xd[0]) * (W - L - R); };
    var sy = function (y) { return ys[1] - (y - yd[0]) / (yd[1] - yd[0]) * (ys[1] - ys[0]); };
    var g = svg("g", {"data-role": name, "data-x-domain": xd.join(","),
      "data-x-range": [L, W - R].join(","), "data-y-domain": yd.join(","),
      "data-y-range": [ys[1], ys[0]].join(",")});
    g.appendChild(svg("line", {x1: L, x2: W - R, y1: sy(0), y2: sy(0),
                               stroke: "#888", "stroke-width": 1}));
    for (var x = Math.ceil(xd[0]); x <= xd[1]; x++) {
      g.appendChild(svg("line", {x1: sx(x), x2: sx(x), y1: sy(0), y2: sy(0) + 4,
                                 stroke: "#888"}));
      g.appendChild(svg("text", {x: sx(x), y: ys[1] + 16, "text-anchor": "middle",
                                 "font-size": 11, fill: "#333"}, String(x)));
    }
    [yd[0], yd[1]].forEach(function (y) {
      g.appendChild(svg("text", {x: L - 6, y: sy(y) + 4, "text-anchor": "end",
                                 "font-size": 11, fill: "#333"}, fmt(y, 2)));
    });
    g.sx = sx; g.sy = sy;
    return g;
  }
  function pts(g, xs, ys) {
    return xs.map(function (x, i) {
      return g.sx(x).toFixed(2) + "," + g.sy(ys[i]).toFixed(2);
    }).join(" ");
  }
  function line(g, xs, ys, attrs) {
    attrs.points = pts(g, xs, ys);
    attrs.fill = "none";
    return svg("polyline", attrs);
  }
  function label(x, y, text, colour) {
    return svg("text", {x: x, y: y, "font-size": 12, fill: colour}, text);
  }
  function maxOf(a) { return a.reduce(function (m, v) { return Math.max(m, v); }, 0); }
  function minOf(a) { return a.reduce(function (m, v) { return Math.min(m, v); }, 0); }

  function draw() {
    var p = pair, N = p.f.length, t = tOf(n), k;
    var tau = [], gt = [], prod = integrand(p, n), times = [];
    for (var j = 0; j < N; j++) {
      tau.push(p.lo + (j + 0.5) * p.step);
      gt.push(p.g[n * p.ratio - j + N - 1]);
    }
    for (k = 0; k < count(); k++) times.push(tOf(k));
    var top = panel(TOP, [p.lo, p.hi],
                    [Math.min(minOf(p.f), minOf(p.g)),
                     1.1 * Math.max(maxOf(p.f), maxOf(p.g))], "panel-top");
    var area = pts(top, [tau[0]].concat(tau, [tau[N - 1]]),
                   [0].concat(prod, [0]));
    top.appendChild(svg("polygon", {points: area, fill: "#2ca02c",
      "fill-opacity": 0.45, stroke: "none", "data-role": "product"}));
    top.appendChild(line(top, tau, p.f, {stroke: "#1f77b4", "stroke-width": 2,
                                         "data-role": "f"}));
    top.appendChild(line(top, tau, gt, {stroke: "#ff7f0e", "stroke-width": 2,
                                        "data-role": "g-shifted"}));
    top.appendChild(label(L + 6, TOP[0] + 4, "f(\u03c4)", "#1f77b4"));
    top.appendChild(label(L + 46, TOP[0] + 4, "g(t \u2212 \u03c4)", "#ff7f0e"));
    top.appendChild(label(L + 126, TOP[0] + 4,
      "product f(\u03c4) g(t \u2212 \u03c4): its area is (f*g)(t)", "#2ca02c"));
    top.appendChild(label(W - R - 10, TOP[1] + 30, "\u03c4", "#333"));
    var bot = panel(BOT, [p.lo, p.hi],
                    [Math.min(minOf(p.exact), minOf(values)),
                     1.15 * Math.max(maxOf(p.exact), maxOf(values))],
                    "panel-output");
    bot.appendChild(line(bot, times, p.exact, {stroke: "#999",
      "stroke-dasharray": "3 3", "stroke-width": 1.5, "data-role": "exact-curve"}));
    bot.appendChild(line(bot, times.slice(0, n + 1), values.slice(0, n + 1),
      {stroke: "#2ca02c", "stroke-width": 2.5, "data-role": "traced"}));
    bot.appendChild(svg("circle", {cx: bot.sx(t), cy: bot.sy(values[n]), r: 5,
      fill: "#d62728", "data-role": "marker"}));
    bot.appendChild(label(L + 6, BOT[0] - 4,
      "(f*g)(t) traced so far; dashed: exact", "#2ca02c"));
    bot.appendChild(label(W - R - 10, BOT[1] + 30, "t", "#333"));
    plot.textContent = "";
    plot.appendChild(top);
    plot.appendChild(bot);
    plot.setAttribute("aria-label", "f, the flipped and shifted g and " +
      "their product at t = " + fmt(t, 3) + "; below, the output so far.");
    tText.textContent = fmt(t, 3);
    valText.textContent = fmt(values[n]);
    valText.dataset.value = String(values[n]);
    exactText.textContent = fmt(p.exact[n]);
    exactText.dataset.value = String(p.exact[n]);
    gridText.textContent = "midpoint rule: N = " + N + " slices of \u0394\u03c4 = " +
      fmt(p.step) + " on [" + fmt(p.lo) + ", " + fmt(p.hi) + "]";
    root.dataset.t = String(t);
    root.dataset.pair = p.key;
  }

  setPair(0, data.t);
});
