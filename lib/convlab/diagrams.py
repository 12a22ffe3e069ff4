"""Diagrams of layers and blocks, drawn from the modules they depict.

Every function here reads its numbers (channels, kernel sizes, strides,
shapes) from a ``torch.nn`` module of :mod:`convlab.models` or from a
configuration table of the library, never from numbers typed into the
drawing: change a
model's configuration and its diagram changes with it. Each returns a
Matplotlib ``Figure``; :func:`figure_text` lists the text it shows (the
tests compare it with the modules).

* :func:`weight_stack`: the ``(O, C, kh, kw)`` weights of a ``Conv2d``, as
  ``O`` kernels of ``C`` slices, each kernel making one output channel;
* :func:`conv1x1`: a 1x1 convolution as one ``O x C`` matrix applied to the
  channel vector of every pixel;
* :func:`transposed_stamping`: a transposed convolution as stamps of the
  kernel, one per input pixel, added where they overlap;
* :func:`inception_block`: a GoogLeNet Inception block from
  ``INCEPTION_TABLE``;
* :func:`residual_blocks`: ResNet's basic and bottleneck blocks;
* :func:`grouped_bottlenecks`: ResNet's bottleneck beside ResNeXt's grouped
  one;
* :func:`wide_blocks`: two pre-activation blocks of a Wide ResNet;
* :func:`dense_block`: a DenseNet dense block and what each layer reads;
* :func:`mobilenet_blocks`: MobileNet V1's depthwise-separable block and
  V2's inverted residual;
* :func:`hybrid_stages`: the stages of the ConvNet, the hybrid and the ViT
  of :mod:`convlab.models.hybrid`, with the shape after each.

Figures are at most 6.8 inches wide (the book's column at 1280 px) with
text of 9 points or more, drawn on white (the book shows figures on a light
card, also in dark mode).
"""

from __future__ import annotations

import importlib
import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.patches import Circle, FancyBboxPatch, Rectangle
from torch import nn

__all__ = [
    "weight_stack",
    "conv1x1",
    "transposed_stamping",
    "inception_block",
    "residual_blocks",
    "grouped_bottlenecks",
    "wide_blocks",
    "dense_block",
    "mobilenet_blocks",
    "hybrid_stages",
    "figure_text",
    "conv_label",
    "MAX_WIDTH",
    "MIN_FONT",
]

MAX_WIDTH = 6.8  # inches: the book's text column at 1280 px and 100 dpi
MIN_FONT = 9  # points
FONT = 10
INK = "#222222"
FILL = {
    "data": "#eeeeee",
    "conv": "#cfe2f3",
    "depthwise": "#d9d2e9",
    "pool": "#d9ead3",
    "attention": "#fce5cd",
    "head": "#f4f4f4",
    "add": "#fff2cc",
}
KERNEL_COLORS = plt.get_cmap("tab10").colors


# ------------------------------------------------------------------ reading
def _quiet_rng():
    """Build modules without consuming PyTorch's global random numbers, so
    that drawing a diagram does not change what a lesson computes next."""
    return torch.random.fork_rng(devices=[])


def _model(name):
    """The module ``convlab.models.<name>`` (``convlab.models.googlenet`` is
    also a function's name, hence the import by name), read at call time so
    that a changed configuration table shows in the next diagram."""
    return importlib.import_module(f"convlab.models.{name}")


def figure_text(fig) -> list[str]:
    """Every non-empty text string drawn on ``fig`` (titles included)."""
    texts = [t.get_text() for t in fig.findobj(plt.Text)]
    return [t for t in texts if t.strip()]


def _check_module(obj, cls, name, func):
    if not isinstance(obj, cls):
        raise TypeError(
            f"{func}: {name} must be a {cls.__name__} module, "
            f"got {type(obj).__name__}."
        )
    return obj


def conv_label(conv: nn.Conv2d) -> str:
    """``'3x3 conv 64→128, stride 2'`` (``'depthwise'`` when every
    channel has its own filter; a second line ``'32 groups of 4'`` for
    another grouped convolution), read from the layer."""
    kh, kw = conv.kernel_size
    depthwise = conv.groups > 1 and conv.groups == conv.in_channels
    if depthwise:
        text = f"{kh}×{kw} depthwise, {conv.out_channels}"
    else:
        text = f"{kh}×{kw} conv {conv.in_channels}→{conv.out_channels}"
    if conv.stride[0] > 1:
        text += f", stride {conv.stride[0]}"
    if conv.groups > 1 and not depthwise:
        text += (
            f"\n{conv.groups} groups of {conv.in_channels // conv.groups}"
        )
    return text


_AFTER = {
    nn.BatchNorm2d: "BN",
    nn.ReLU: "ReLU",
    nn.ReLU6: "ReLU6",
    nn.LayerNorm: "LN",
    nn.GELU: "GELU",
}


def _leaves(module):
    kids = list(module.children())
    if not kids:
        return [module]
    return [leaf for kid in kids for leaf in _leaves(kid)]


def _steps(module) -> list[dict]:
    """The convolutions and poolings of ``module`` in order, each with the
    normalisations and activations before (``pre``) and after (``post``)
    it. A module that starts with one (pre-activation, as in DenseNet) puts
    each with the layer that follows it, otherwise with the one before."""
    leaves = _leaves(module)
    pre_activation = bool(leaves) and type(leaves[0]) in _AFTER
    steps, pending = [], []
    for leaf in leaves:
        name = _AFTER.get(type(leaf))
        if name is not None:
            if pre_activation or not steps:
                pending.append(name)
            else:
                steps[-1]["post"].append(name)
        elif isinstance(leaf, (nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d)):
            steps.append({"layer": leaf, "pre": pending, "post": []})
            pending = []
    return steps


def _step_text(step) -> str:
    layer = step["layer"]
    if isinstance(layer, nn.Conv2d):
        main = conv_label(layer)
    else:
        k = layer.kernel_size
        k = k if isinstance(k, int) else k[0]
        s = (
            layer.stride
            if isinstance(layer.stride, int)
            else layer.stride[0]
        )
        kind = "max" if isinstance(layer, nn.MaxPool2d) else "avg"
        main = f"{k}×{k} {kind} pool, stride {s}"
    lines = []
    if step["pre"]:
        lines.append(", ".join(step["pre"]))
    lines.append(main)
    if step["post"]:
        lines.append(", ".join(step["post"]))
    return "\n".join(lines)


def _kind(layer) -> str:
    if isinstance(layer, nn.Conv2d):
        depthwise = layer.groups > 1 and layer.groups == layer.in_channels
        return "depthwise" if depthwise else "conv"
    return "pool"


# ------------------------------------------------------------------ drawing
def _canvas(width, height):
    """A white figure whose data coordinates are inches."""
    if width > MAX_WIDTH + 1e-9:
        raise ValueError(f"diagram {width} in wide > {MAX_WIDTH} in")
    fig = plt.figure(figsize=(width, height), facecolor="white")
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_xlim(0, width)
    ax.set_ylim(0, height)
    ax.set_axis_off()
    return fig, ax


def _box(ax, cx, cy, w, h, text, kind="conv", size=FONT, **kw):
    ax.add_patch(
        FancyBboxPatch(
            (cx - w / 2, cy - h / 2),
            w,
            h,
            boxstyle="round,pad=0,rounding_size=0.06",
            facecolor=FILL[kind],
            edgecolor=INK,
            linewidth=1.0,
        )
    )
    ax.text(
        cx,
        cy,
        text,
        ha="center",
        va="center",
        fontsize=size,
        color=INK,
        **kw,
    )


def _arrow(ax, start, end, color=INK, **kw):
    ax.annotate(
        "",
        xy=end,
        xytext=start,
        arrowprops=dict(
            arrowstyle="-|>",
            color=color,
            lw=1.1,
            shrinkA=0,
            shrinkB=0,
            mutation_scale=11,
            **kw,
        ),
    )


def _plane_stack(ax, x, y, n, w, h, colors, grid=None, step=0.09):
    """``n`` planes of ``w x h`` inches, the front one's lower-left corner
    at ``(x, y)``, each further back shifted by ``step`` up and right."""
    for i in reversed(range(n)):
        x0, y0 = x + i * step, y + i * step
        color = colors[i % len(colors)]
        ax.add_patch(
            Rectangle(
                (x0, y0), w, h, facecolor=color, edgecolor=INK, lw=0.8
            )
        )
        if grid is not None and i == 0:
            rows, cols = grid
            for r in range(1, rows):
                ax.plot(
                    [x0, x0 + w], [y0 + r * h / rows] * 2, color=INK, lw=0.4
                )
            for c in range(1, cols):
                ax.plot(
                    [x0 + c * w / cols] * 2, [y0, y0 + h], color=INK, lw=0.4
                )


def _light(rgb, amount=0.55):
    return tuple(1 - amount * (1 - np.asarray(rgb)))


# ----------------------------------------------- chapter 8: channel stacks
def weight_stack(layer: nn.Conv2d, input_size=None):
    """The weights of ``layer`` (shape ``(O, C, kh, kw)``) as ``O`` kernels,
    each a stack of ``C`` slices of ``kh x kw``, and kernel ``o`` making
    output channel ``o``. With ``input_size = (H, W)`` the input
    ``(C, H, W)`` and the output ``(O, H', W')`` (from running the layer)
    are labelled."""
    layer = _check_module(layer, nn.Conv2d, "layer", "weight_stack")
    O, C, kh, kw = layer.weight.shape
    shown = min(O, 8)
    fig, ax = _canvas(6.8, 3.3)
    # the input
    _plane_stack(ax, 0.25, 1.1, min(C, 6), 1.0, 1.0, ["#dddddd"])
    in_text = f"input X\n(C, H, W)\nC = {C}"
    out_hw = None
    if input_size is not None:
        H, W = input_size
        with torch.no_grad():
            out_hw = tuple(layer(torch.zeros(1, C, H, W)).shape[-2:])
        in_text = f"input X\n(C, H, W)\n= ({C}, {H}, {W})"
    ax.text(0.75, 0.95, in_text, ha="center", va="top", fontsize=FONT)
    # the kernels: up to 8, four per row
    cell = min(0.13, 0.55 / max(kh, kw))
    kx0, ky0 = 2.05, 2.05
    for o in range(shown):
        r, c = divmod(o, 4)
        x, y = kx0 + c * 0.78, ky0 - r * 1.05
        base = KERNEL_COLORS[o % 10]
        _plane_stack(
            ax,
            x,
            y,
            min(C, 6),
            kw * cell,
            kh * cell,
            [_light(base)],
            grid=(kh, kw),
            step=0.07,
        )
        ax.text(
            x + kw * cell / 2,
            y - 0.06,
            f"W[{o}]",
            ha="center",
            va="top",
            fontsize=MIN_FONT,
        )
    more = f" (first {shown} drawn)" if shown < O else ""
    ax.text(
        kx0 + 1.5,
        3.2,
        f"weights W: (O, C, kh, kw) = ({O}, {C}, {kh}, {kw})",
        ha="center",
        va="top",
        fontsize=FONT,
    )
    ax.text(
        kx0 + 1.5,
        0.45,
        f"{O} kernels{more}, each {C} slices of {kh}×{kw}:\n"
        f"one slice per input channel",
        ha="center",
        va="center",
        fontsize=MIN_FONT,
    )
    # the output
    _plane_stack(
        ax,
        5.45,
        1.1,
        shown,
        0.8,
        0.8,
        [_light(KERNEL_COLORS[o % 10]) for o in range(shown)],
        step=0.075,
    )
    out_text = f"output Y\n(O, H', W')\nO = {O}"
    if out_hw is not None:
        out_text = (
            f"output Y\n(O, H', W')\n= ({O}, {out_hw[0]}, {out_hw[1]})"
        )
    ax.text(6.0, 0.95, out_text, ha="center", va="top", fontsize=FONT)
    _arrow(ax, (1.55, 1.7), (1.95, 1.7))
    _arrow(ax, (5.1, 1.7), (5.4, 1.7))
    return fig


def conv1x1(layer: nn.Conv2d, grid=(4, 5), pixel=(1, 2)):
    """A 1x1 convolution ``C -> O`` (read from ``layer``) at one pixel: the
    ``C`` values of pixel ``(i, j)`` times the ``O x C`` matrix ``W`` give
    the ``O`` values of the output at ``(i, j)``; every pixel uses the same
    ``W``. ``grid`` is the drawn ``H x W``; ``pixel``, the highlighted
    one."""
    layer = _check_module(layer, nn.Conv2d, "layer", "conv1x1")
    if tuple(layer.kernel_size) != (1, 1):
        raise ValueError(
            f"conv1x1: the layer's kernel is {tuple(layer.kernel_size)}, "
            "not (1, 1)."
        )
    O, C = layer.out_channels, layer.in_channels
    rows, cols = grid
    i, j = pixel
    fig, ax = _canvas(6.8, 2.9)
    cell = 0.22
    sc, so = min(C, 8), min(O, 8)

    def stack(x, n, color, label):
        w, h = cols * cell, rows * cell
        _plane_stack(ax, x, 0.9, n, w, h, [color], grid=grid, step=0.08)
        ax.add_patch(
            Rectangle(
                (x + j * cell, 0.9 + (rows - 1 - i) * cell),
                cell,
                cell,
                facecolor="tab:orange",
                edgecolor=INK,
                lw=1.0,
            )
        )
        ax.text(
            x + w / 2, 0.75, label, ha="center", va="top", fontsize=FONT
        )

    stack(0.15, sc, "#dddddd", f"input: {C} channels\n{rows}×{cols} pixels")
    # the vector, the matrix, the result
    v = 0.2
    top = 2.45
    xv = 2.25

    def vector(x, n, label):
        """A column of ``n`` cells of side ``v`` below ``top``, labelled."""
        for c in range(n):
            ax.add_patch(
                Rectangle(
                    (x, top - (c + 1) * v),
                    v,
                    v,
                    fc="#ffd8a8",
                    ec=INK,
                    lw=0.8,
                )
            )
        ax.text(
            x + v / 2,
            top + 0.05,
            label,
            ha="center",
            va="bottom",
            fontsize=MIN_FONT,
        )

    vector(xv, sc, f"x[:, i, j]\n{C}")
    xm = 2.95
    for o in range(so):
        for c in range(sc):
            ax.add_patch(
                Rectangle(
                    (xm + c * v, top - (o + 1) * v),
                    v,
                    v,
                    fc=FILL["conv"],
                    ec=INK,
                    lw=0.6,
                )
            )
    ax.text(
        xm + sc * v / 2,
        top + 0.05,
        f"W: {O}×{C}",
        ha="center",
        va="bottom",
        fontsize=MIN_FONT,
    )
    ax.text(
        xm - 0.12,
        top - sc * v / 2,
        "·",
        ha="center",
        va="center",
        fontsize=14,
    )
    ax.text(xm - 0.35, top - sc * v / 2, "", fontsize=FONT)
    xo = xm + sc * v + 0.4
    ax.text(
        xo - 0.2,
        top - so * v / 2,
        "=",
        ha="center",
        va="center",
        fontsize=14,
    )
    vector(xo, so, f"y[:, i, j]\n{O}")
    ax.text(
        (xv + xo + v) / 2,
        0.55,
        "the same W at every pixel:\n"
        f"{O * C} weights + {O if layer.bias is not None else 0} biases",
        ha="center",
        va="center",
        fontsize=MIN_FONT,
    )
    stack(
        xo + 0.6,
        so,
        "#cfe2f3",
        f"output: {O} channels\n{rows}×{cols} pixels",
    )
    _arrow(
        ax, (0.2 + cols * cell + sc * 0.08 + 0.05, 1.6), (xv - 0.08, 1.9)
    )
    _arrow(ax, (xo + v + 0.08, 1.9), (xo + 0.55, 1.6))
    return fig


# --------------------------------------------- chapter 12: stamping kernels
def transposed_stamping(x=None, w=None, stride: int = 2):
    """A one-channel transposed convolution drawn as stamps: input pixel
    ``x[h, v]`` adds ``x[h, v] * w`` to the output at ``(h s, v s)``;
    overlapping stamps add. The sum is computed by
    :func:`convlab.transposed.conv_transpose2d` and checked against the
    stamps. Defaults: ``x = [[1, 2], [3, 4]]``, ``w`` a 3x3 of ones."""
    from .transposed import conv_transpose2d

    x = np.array([[1, 2], [3, 4]], float) if x is None else np.asarray(x)
    w = np.ones((3, 3)) if w is None else np.asarray(w, float)
    if x.ndim != 2 or w.ndim != 2:
        raise ValueError(
            "transposed_stamping: x and w must be 2-D arrays (one channel)."
        )
    if x.size > 4:
        raise ValueError(
            "transposed_stamping draws one stamp per input pixel; give at "
            f"most 4 pixels, got {x.shape}."
        )
    y = conv_transpose2d(x[None, None], w[None, None], stride=stride)[0, 0]
    stamps = []
    for (h, v), value in np.ndenumerate(x):
        s = np.full(y.shape, np.nan)
        kh, kw = w.shape
        s[h * stride : h * stride + kh, v * stride : v * stride + kw] = (
            value * w
        )
        stamps.append(((h, v), s))
    total = sum(np.nan_to_num(s) for _, s in stamps)
    assert np.allclose(total, y), "stamps do not add up to conv_transpose2d"
    fig, ax = _canvas(6.8, 3.9)
    colors = [KERNEL_COLORS[i] for i in (0, 1, 2, 4)]
    fmt = lambda v: f"{v:g}"

    def grid(x0, y0, A, cell, color_of, title):
        rows, cols = A.shape
        for (r, c), value in np.ndenumerate(A):
            fc = color_of(r, c)
            ax.add_patch(
                Rectangle(
                    (x0 + c * cell, y0 + (rows - 1 - r) * cell),
                    cell,
                    cell,
                    fc=fc,
                    ec=INK if fc != "white" else "#bbbbbb",
                    lw=0.6,
                )
            )
            if not np.isnan(value):
                ax.text(
                    x0 + (c + 0.5) * cell,
                    y0 + (rows - 0.5 - r) * cell,
                    fmt(value),
                    ha="center",
                    va="center",
                    fontsize=MIN_FONT,
                )
        ax.text(
            x0 + cols * cell / 2,
            y0 + rows * cell + 0.06,
            title,
            ha="center",
            va="bottom",
            fontsize=MIN_FONT,
        )

    cell_small = 0.26
    k = 0
    lookup = {}
    for (h, v), _ in stamps:
        lookup[(h, v)] = _light(colors[k], 0.6)
        k += 1
    grid(0.15, 2.55, x, cell_small, lambda r, c: lookup[(r, c)], "input x")
    grid(1.1, 2.55, w, cell_small, lambda r, c: "#eeeeee", "kernel w")
    ax.text(
        0.15,
        2.2,
        f"stride {stride}: pixel (h, v) stamps x[h, v]·w\n"
        f"at (h·{stride}, v·{stride}) of the output",
        ha="left",
        va="top",
        fontsize=MIN_FONT,
    )
    # overlap counts decide the colour of the sum
    counts = sum((~np.isnan(s)).astype(int) for _, s in stamps)
    cell_out = min(0.3, 1.7 / max(y.shape))
    grid(
        4.6,
        1.95,
        y,
        cell_out,
        lambda r, c: ["white", "#eeeeee", "#bbbbbb", "#999999", "#777777"][
            min(counts[r, c], 4)
        ],
        f"output y = sum of the stamps\n{y.shape[0]}×{y.shape[1]}, "
        "darker where stamps overlap",
    )
    cell_stamp = min(0.2, 1.25 / max(y.shape))
    for k, ((h, v), s) in enumerate(stamps):
        x0 = 0.15 + k * 1.6 * (4 / max(4, len(stamps)))
        color = lookup[(h, v)]
        grid(
            x0,
            0.12,
            s,
            cell_stamp,
            lambda r, c, s=s, color=color: (
                "white" if np.isnan(s[r, c]) else color
            ),
            f"x[{h},{v}]·w",
        )
        if k < len(stamps) - 1:
            ax.text(
                x0 + y.shape[1] * cell_stamp + 0.13,
                0.12 + y.shape[0] * cell_stamp / 2,
                "+",
                ha="center",
                va="center",
                fontsize=14,
            )
    return fig


# --------------------------------------------- chapter 16: Inception block
def inception_block(name: str = "3a", table=None):
    """The Inception block ``name`` of ``table`` (default: the paper's
    table, :data:`convlab.models.googlenet.INCEPTION_TABLE`), built as
    :class:`~convlab.models.googlenet.Inception` with the input channels the
    network gives it, and drawn from that module: four branches, each box a
    layer with its channels, and the concatenation."""
    googlenet = _model("googlenet")

    table = googlenet.INCEPTION_TABLE if table is None else table
    if name not in table:
        raise ValueError(
            f"inception_block: no block {name!r}; the blocks are "
            f"{list(table)}."
        )
    c_in = googlenet.inception_in_channels(table)[name]
    with _quiet_rng():
        block = googlenet.Inception(c_in, *table[name])
    branches = [
        block.branch1,
        block.branch3,
        block.branch5,
        block.branch_pool,
    ]
    fig, ax = _canvas(6.8, 4.1)
    xs = [0.9, 2.55, 4.2, 5.85]
    bw, bh = 1.55, 0.5
    _box(
        ax,
        3.4,
        3.75,
        3.4,
        0.42,
        f"input: {block.in_channels} channels",
        "data",
    )
    outs = []
    for x, branch in zip(xs, branches):
        steps = _steps(branch)
        ys = [2.75, 1.8] if len(steps) == 2 else [1.8]
        _arrow(ax, (3.4 + (x - 3.4) * 0.5, 3.54), (x, ys[0] + bh / 2))
        for k, (y, step) in enumerate(zip(ys, steps)):
            _box(
                ax,
                x,
                y,
                bw,
                bh,
                _step_text(step)
                .replace(", stride 1", "")
                .replace(" pool", " pool\nstride 1"),
                _kind(step["layer"]),
                size=MIN_FONT,
            )
            if k:
                _arrow(ax, (x, ys[k - 1] - bh / 2), (x, y + bh / 2))
        last = steps[-1]["layer"]
        outs.append(last.out_channels)
        _arrow(ax, (x, 1.8 - bh / 2), (x, 0.75))
    total = sum(outs)
    assert total == block.out_channels
    _box(
        ax,
        3.4,
        0.5,
        6.3,
        0.46,
        "concatenate along channels: "
        + " + ".join(str(c) for c in outs)
        + f" = {total} channels",
        "data",
    )
    return fig


# ------------------------------------------------------ chapter 17: ResNet
def _channel_width(c, cmax, lo=1.45, hi=2.05):
    return lo + (hi - lo) * c / cmax


def _layer_column(ax, cx, top, title, title_x, steps):
    """A column of boxes centred at ``cx``: ``title`` (centred at
    ``title_x``), the input ``x`` at height ``top``, then one box per step of
    ``steps`` (width growing with its channels), joined by arrows. Returns
    ``(c_in, cmax, y)``: the input channels, the widest channel count and the
    height of the last box's bottom edge."""
    c_in = steps[0]["layer"].in_channels
    cmax = max([c_in] + [s["layer"].out_channels for s in steps])
    ax.text(
        title_x,
        top + 0.35,
        title,
        ha="center",
        va="center",
        fontsize=FONT,
        weight="bold",
    )
    _box(
        ax,
        cx,
        top,
        _channel_width(c_in, cmax),
        0.34,
        f"x: {c_in} channels",
        "data",
    )
    y = top - 0.17
    bh, gap = 0.58, 0.3
    for step in steps:
        layer = step["layer"]
        yc = y - gap - bh / 2
        _arrow(ax, (cx, y), (cx, yc + bh / 2))
        _box(
            ax,
            cx,
            yc,
            _channel_width(layer.out_channels, cmax),
            bh,
            _step_text(step),
            _kind(layer),
            size=MIN_FONT,
        )
        y = yc - bh / 2
    return c_in, cmax, y


def _block_panel(ax, x0, block, title, residual_path, relu_after=True):
    """One residual-style block in a 3.4-inch-wide column starting at
    ``x0``: the input, the layers (box width growing with the channels),
    the shortcut (identity or its layers) and the sum."""
    steps = _steps(
        block.layers if hasattr(block, "layers") else block.block
    )
    cx = x0 + 1.25
    top = 4.3
    c_in, cmax, y = _layer_column(ax, cx, top, title, cx + 0.3, steps)
    c_out = steps[-1]["layer"].out_channels
    projection = None
    if not isinstance(residual_path, nn.Identity):
        (sstep,) = _steps(residual_path)
        projection = (
            _projection_text(sstep["layer"])
            + "\n"
            + ", ".join(sstep["post"]),
            0.9,
        )
    out = ("ReLU → " if relu_after else "") + f"y: {c_out} channels"
    _shortcut_and_sum(
        ax,
        cx,
        x0 + 2.85,
        y,
        y - 0.38,
        (cx + _channel_width(c_in, cmax) / 2, top),
        projection,
        (_channel_width(c_out, cmax), out),
    )
    return c_in, c_out


def _projection_text(conv) -> str:
    """The label of a 1x1 projection shortcut's box."""
    return (
        f"1×1 conv\n{conv.in_channels}→{conv.out_channels}\n"
        f"stride {conv.stride[0]}"
    )


def _shortcut_and_sum(ax, cx, sx, y, ysum, leave, projection, out):
    """The end of a residual block drawn in a column at ``cx``: an arrow
    from the last layer (bottom at ``y``) down to the sum node at height
    ``ysum``; the shortcut, which leaves the input at the point ``leave``,
    runs right to ``sx`` and down to the sum, labelled "identity"
    (``projection`` None) or through the box of a projection (``(text,
    height)``); then the output box, ``out = (width, text)``."""
    xl, yl = leave
    _arrow(ax, (cx, y), (cx, ysum + 0.14))
    ax.add_patch(Circle((cx, ysum), 0.14, fc=FILL["add"], ec=INK, lw=1.0))
    ax.text(cx, ysum, "+", ha="center", va="center", fontsize=12)
    if projection is None:
        ax.plot([xl, sx, sx], [yl, yl, ysum], color=INK, lw=1.1)
        ax.text(
            sx + 0.06,
            (yl + ysum) / 2,
            "identity",
            rotation=90,
            ha="left",
            va="center",
            fontsize=MIN_FONT,
        )
    else:
        text, h = projection
        ymid = (yl + ysum) / 2
        ax.plot([xl, sx, sx], [yl, yl, ymid + h / 2], color=INK, lw=1.1)
        _box(ax, sx, ymid, 0.95, h, text, "conv", size=MIN_FONT)
        ax.plot([sx, sx], [ymid - h / 2, ysum], color=INK, lw=1.1)
    _arrow(ax, (sx, ysum), (cx + 0.14, ysum))
    yr = ysum - 0.5
    _arrow(ax, (cx, ysum - 0.14), (cx, yr + 0.17))
    _box(ax, cx, yr, out[0], 0.34, out[1], "data")


def residual_blocks(basic=None, bottleneck=None):
    """ResNet's two blocks side by side, read from the modules: ``basic``, a
    :class:`~convlab.models.resnet.BasicBlock` (default: the first block of
    ResNet-18's second stage, 64 -> 128 channels with stride 2 and a
    projection shortcut), and ``bottleneck``, a
    :class:`~convlab.models.resnet.Bottleneck` (default: a block of
    ResNet-50's first stage, 256 -> 64 -> 256 with the identity)."""
    resnet = _model("resnet")

    with _quiet_rng():
        if basic is None:
            basic = resnet.BasicBlock(64, 128, stride=2)
        if bottleneck is None:
            w = 64
            bottleneck = resnet.Bottleneck(
                resnet.Bottleneck.expansion * w, w
            )
    _check_module(basic, resnet.BasicBlock, "basic", "residual_blocks")
    _check_module(
        bottleneck, resnet.Bottleneck, "bottleneck", "residual_blocks"
    )
    fig, ax = _canvas(6.8, 4.85)
    for x0, block, title in (
        (0.0, basic, "basic block"),
        (3.4, bottleneck, "bottleneck block"),
    ):
        if block.shortcut is None:
            raise ValueError(
                "residual_blocks: the block has no shortcut "
                "(residual=False)."
            )
        _block_panel(ax, x0, block, title, block.shortcut)
    return fig


def grouped_bottlenecks(plain=None, grouped=None):
    """ResNet's bottleneck and ResNeXt's grouped bottleneck side by side,
    read from the modules: ``plain`` and ``grouped`` are
    :class:`~convlab.models.resnet.Bottleneck` blocks (defaults: ResNet-50's
    first-stage block, 256 -> 64 -> 256, and ResNeXt-50 32x4d's, 256 -> 128
    in 32 groups of 4 -> 256). Each panel's title gives the block's
    cardinality x path width and its number of parameters."""
    resnet = _model("resnet")
    with _quiet_rng():
        if plain is None:
            plain = resnet.Bottleneck(256, 64)
        if grouped is None:
            grouped = resnet.Bottleneck(256, 64, groups=32, base_width=4)
    fig, ax = _canvas(6.8, 4.85)
    for x0, name, block in (
        (0.0, "plain", plain),
        (3.4, "grouped", grouped),
    ):
        _check_module(block, resnet.Bottleneck, name, "grouped_bottlenecks")
        if block.shortcut is None:
            raise ValueError(
                "grouped_bottlenecks: the block has no shortcut "
                "(residual=False)."
            )
        conv3 = [
            m
            for m in block.modules()
            if isinstance(m, nn.Conv2d) and m.kernel_size != (1, 1)
        ][0]
        C = conv3.groups
        params = sum(p.numel() for p in block.parameters())
        title = f"{C}×{conv3.in_channels // C}d: {params:,} parameters"
        _block_panel(ax, x0, block, title, block.shortcut)
    return fig


def _wide_panel(ax, x0, block):
    """One pre-activation Wide ResNet block in a 3.4-inch column at
    ``x0``: BN-ReLU, 3x3, BN-ReLU(-dropout), 3x3, the shortcut (identity
    from ``x``, or a 1x1 projection of the activated input) and the sum,
    with no ReLU after it."""
    conv1, conv2, proj = block.conv1, block.conv2, block.projection
    a, c = conv1.in_channels, conv2.out_channels
    params = sum(p.numel() for p in block.parameters())
    cx, sx, top = x0 + 1.25, x0 + 2.85, 3.9
    ax.text(
        cx + 0.3,
        top + 0.35,
        f"{a}→{c}: {params:,} parameters",
        ha="center",
        va="center",
        fontsize=FONT,
        weight="bold",
    )
    _box(ax, cx, top, 1.7, 0.34, f"x: {a} channels", "data")
    p = block.dropout.p
    rows = [
        ("BN, ReLU", "head", 0.3, 1.7),
        (conv_label(conv1), "conv", 0.42, 2.0),
        (
            "BN, ReLU" + (f", dropout {p:g}" if p > 0 else ""),
            "head",
            0.3,
            1.7,
        ),
        (conv_label(conv2), "conv", 0.42, 2.0),
    ]
    y, centres = top - 0.17, []
    for text, kind, h, w in rows:
        yc = y - 0.26 - h / 2
        _arrow(ax, (cx, y), (cx, yc + h / 2))
        _box(ax, cx, yc, w, h, text, kind, size=MIN_FONT)
        centres.append(yc)
        y = yc - h / 2
    # the projection reads the activated input, after BN-ReLU
    _shortcut_and_sum(
        ax,
        cx,
        sx,
        y,
        y - 0.4,
        (cx + 0.85, top if proj is None else centres[0]),
        None if proj is None else (_projection_text(proj), 0.8),
        (1.7, f"y: {c} channels"),
    )


def wide_blocks(first=None, second=None):
    """Two pre-activation blocks of a Wide ResNet side by side, read from
    the :class:`~convlab.models.wide_resnet.WideBlock` modules (defaults:
    the first two blocks of WRN-28-10, 16 -> 160 with a projection and
    160 -> 160 with the identity). Each title gives the block's channels
    and parameters."""
    wrn = _model("wide_resnet")
    with _quiet_rng():
        if first is None:
            first = wrn.WideBlock(16, 160)
        if second is None:
            second = wrn.WideBlock(160, 160)
    fig, ax = _canvas(6.8, 4.45)
    for x0, name, block in ((0.0, "first", first), (3.4, "second", second)):
        _check_module(block, wrn.WideBlock, name, "wide_blocks")
        _wide_panel(ax, x0, block)
    return fig


# ---------------------------------------------------- chapter 18: DenseNet
def dense_block(block=None):
    """A :class:`~convlab.models.densenet.DenseBlock` (default: 3 layers,
    4 input channels, growth rate 2, chapter 18's example): the feature maps
    ``x_0 ... x_L`` as bars of their channels, every layer ``H_l`` fed by
    all earlier maps, and the block's output, their concatenation."""
    densenet = _model("densenet")

    if block is None:
        with _quiet_rng():
            block = densenet.DenseBlock(3, 4, 2)
    _check_module(block, densenet.DenseBlock, "block", "dense_block")
    layers = list(block.layers)
    if len(layers) > 5:
        raise ValueError(
            "dense_block draws blocks of at most 5 layers, "
            f"got {len(layers)}."
        )
    convs = [[s["layer"] for s in _steps(layer)] for layer in layers]
    c0 = convs[0][0].in_channels
    k = convs[0][-1].out_channels
    news = [c0] + [c[-1].out_channels for c in convs]
    L = len(layers)
    fig, ax = _canvas(6.8, 3.3)
    unit = min(0.14, 1.0 / max(news))
    spacing = 6.0 / (L + 0.5)
    xs = [0.45 + i * spacing for i in range(L + 1)]
    base = 1.25
    for i, (x, c) in enumerate(zip(xs, news)):
        color = _light(KERNEL_COLORS[i % 10], 0.6)
        ax.add_patch(
            Rectangle(
                (x - 0.14, base), 0.28, c * unit, fc=color, ec=INK, lw=0.8
            )
        )
        ax.text(
            x,
            base - 0.08,
            f"x{i}\n{c} ch",
            ha="center",
            va="top",
            fontsize=MIN_FONT,
        )
    for l, (layer_convs, x) in enumerate(zip(convs, xs[1:]), start=1):
        hx = x - spacing / 2
        reads = layer_convs[0].in_channels
        _box(
            ax,
            hx,
            2.75,
            0.95,
            0.5,
            f"H{l}\nreads {reads}",
            "conv",
            size=MIN_FONT,
        )
        for j in range(l):
            ax.annotate(
                "",
                xy=(hx - 0.2 + 0.4 * j / max(1, l - 1), 2.5),
                xytext=(xs[j], base + news[j] * unit + 0.02),
                arrowprops=dict(
                    arrowstyle="-|>",
                    color=INK,
                    lw=0.8,
                    mutation_scale=8,
                    shrinkA=0,
                    shrinkB=0,
                    connectionstyle="arc3,rad=-0.15",
                ),
            )
        _arrow(ax, (hx + 0.25, 2.5), (x, base + news[l] * unit + 0.03))
    a = convs[0][0]
    bottleneck_width = a.out_channels
    ax.text(
        3.4,
        0.62,
        f"each H: BN, ReLU, 1×1 conv (reads → {bottleneck_width}), "
        f"BN, ReLU, 3×3 conv ({bottleneck_width} → {k})",
        ha="center",
        va="center",
        fontsize=MIN_FONT,
    )
    out = c0 + L * k
    assert out == block.out_channels
    ax.text(
        3.4,
        0.22,
        "block output: ["
        + ", ".join(f"x{i}" for i in range(L + 1))
        + "] = "
        + " + ".join(str(c) for c in news)
        + f" = {out} channels",
        ha="center",
        va="center",
        fontsize=FONT,
    )
    return fig


# --------------------------------------------------- chapter 19: MobileNet
def mobilenet_blocks(separable=None, inverted=None):
    """MobileNet's two blocks side by side, read from the modules:
    ``separable``, a :class:`~convlab.models.mobilenet.DepthwiseSeparable`
    (default: the first block of ``mobilenet_v1()``), and ``inverted``, an
    :class:`~convlab.models.mobilenet.InvertedResidual` (default: the first
    block of ``mobilenet_v2()`` with a residual connection). Box widths grow
    with the channels: V1 widens at the pointwise layer, V2 is thin - wide -
    thin."""
    mobilenet = _model("mobilenet")

    with _quiet_rng():
        if separable is None:
            separable = mobilenet.mobilenet_v1().blocks[0]
        if inverted is None:
            inverted = next(
                b for b in mobilenet.mobilenet_v2().blocks if b.residual
            )
    _check_module(
        separable,
        mobilenet.DepthwiseSeparable,
        "separable",
        "mobilenet_blocks",
    )
    _check_module(
        inverted, mobilenet.InvertedResidual, "inverted", "mobilenet_blocks"
    )
    fig, ax = _canvas(6.8, 4.85)
    # V1: a plain chain
    steps = _steps(separable)
    cx = 1.25
    _, cmax, y = _layer_column(
        ax, cx, 4.3, "V1: depthwise-separable", cx, steps
    )
    c_out = steps[-1]["layer"].out_channels
    _arrow(ax, (cx, y), (cx, y - 0.3 + 0.17 - 0.17))
    _box(
        ax,
        cx,
        y - 0.47,
        _channel_width(c_out, cmax),
        0.34,
        f"y: {c_out} channels",
        "data",
    )
    # V2: an inverted residual
    if not inverted.residual:
        raise ValueError(
            "mobilenet_blocks: give an inverted residual block that adds "
            "its "
            "input (stride 1, as many input as output channels)."
        )
    _block_panel(
        ax,
        3.4,
        inverted,
        "V2: inverted residual",
        nn.Identity(),
        relu_after=False,
    )
    return fig


# ----------------------------------------------- chapter 24: hybrid stages
def _units(model):
    """``(module, label, kind)`` for each stage of one of the three models
    of :mod:`convlab.models.hybrid`, in order."""
    hybrid, resnet = _model("hybrid"), _model("resnet")

    def block_label(b):
        conv = b.layers[0]
        s = conv.stride[0]
        return (
            f"residual\n{conv.in_channels}→{b.layers[-2].out_channels}"
            + (f"\nstride {s}" if s > 1 else "")
        )

    def transformer(stage_blocks):
        out = []
        for b in stage_blocks:
            out.append(
                (
                    b,
                    f"transformer\nD = {b.attn.dim}\n{b.attn.heads} heads",
                    "attention",
                )
            )
        return out

    def token_head():
        """The head of the models that end on tokens: LN, mean, linear."""
        return (
            model.fc,
            f"LN, token\nmean, linear\n{model.fc.in_features}→"
            f"{model.fc.out_features}",
            "head",
        )

    if isinstance(model, (hybrid.ConvNet, hybrid.HybridNet)):
        conv_stages = model.features[0]
        stem = conv_stages[0]
        kh, kw = stem.kernel_size
        units = [
            (
                conv_stages[2],
                f"stem\n{kh}×{kw} conv\n"
                f"{stem.in_channels}→{stem.out_channels}",
                "conv",
            )
        ]
        units += [
            (m, block_label(m), "conv")
            for m in conv_stages
            if isinstance(m, resnet.BasicBlock)
        ]
        last = model.features[1]
        if isinstance(model, hybrid.ConvNet):
            units.append((last, block_label(last), "conv"))
            units.append(
                (
                    model.fc,
                    f"average\npool, linear\n{model.fc.in_features}→"
                    f"{model.fc.out_features}",
                    "head",
                )
            )
        else:
            m = last.merge
            p = m.patch_size
            units.append(
                (
                    m,
                    f"{p}×{p} patch\nmerge\n"
                    f"{m.proj.in_channels}→{m.proj.out_channels}",
                    "attention",
                )
            )
            units += transformer(last.blocks)
            units.append(token_head())
        return units
    if isinstance(model, hybrid.VisionTransformer):
        p = model.patches.patch_size
        units = [
            (
                model.patches,
                f"{p}×{p} patches\n{model.patches.proj.in_channels}→"
                f"{model.patches.proj.out_channels}\n+ position",
                "attention",
            )
        ]
        units += transformer(model.blocks)
        units.append(token_head())
        return units
    raise TypeError(
        "hybrid_stages: each model must be a ConvNet, HybridNet or "
        f"VisionTransformer of convlab.models.hybrid, got "
        f"{type(model).__name__}."
    )


def _shape_text(shape):
    if len(shape) == 4:
        return f"{shape[1]}×{shape[2]}×{shape[3]}"
    if len(shape) == 3:
        return f"{shape[1]}×{shape[2]} tokens"
    return f"{shape[-1]} logits"


def hybrid_stages(models=None, image_size: int = 16):
    """The stages of the models of :mod:`convlab.models.hybrid` (default:
    ``ConvNet()``, ``HybridNet()`` and ``VisionTransformer()`` with their
    default sizes), one row each: a box per stage (blue: convolution,
    orange: attention) and, under it, the shape it outputs, measured by
    running a blank ``image_size x image_size`` image through the model."""
    hybrid = _model("hybrid")

    if models is None:
        with _quiet_rng():
            models = {
                "ConvNet": hybrid.ConvNet(),
                "HybridNet": hybrid.HybridNet(image_size),
                "ViT": hybrid.VisionTransformer(image_size),
            }
    if not isinstance(models, dict) or not models:
        raise TypeError(
            "hybrid_stages: models must be a dict {name: model}, "
            f"got {type(models).__name__}."
        )
    rows = []
    for name, model in models.items():
        units = _units(model)
        shapes = {}
        hooks = [
            m.register_forward_hook(
                lambda mod, inp, out, i=i: shapes.__setitem__(
                    i, tuple(out.shape)
                )
            )
            for i, (m, _, _) in enumerate(units)
        ]
        training = model.training
        try:
            with torch.no_grad():
                model.eval()(
                    torch.zeros(
                        1, model.in_channels, image_size, image_size
                    )
                )
        finally:
            model.train(training)
            for h in hooks:
                h.remove()
        rows.append((name, units, [shapes[i] for i in range(len(units))]))
    n_cols = max(len(u) for _, u, _ in rows)
    height = 0.45 + 1.1 * len(rows)
    fig, ax = _canvas(6.8, height)
    label_w = 0.85
    col = (6.8 - label_w - 0.05) / n_cols
    bw = col - 0.1
    for r, (name, units, shapes) in enumerate(rows):
        y = height - 0.75 - r * 1.1
        ax.text(
            0.05,
            y,
            name,
            ha="left",
            va="center",
            fontsize=FONT,
            weight="bold",
        )
        for c, ((_, label, kind), shape) in enumerate(zip(units, shapes)):
            x = label_w + col * (c + 0.5)
            _box(ax, x, y, bw, 0.62, label, kind, size=MIN_FONT)
            ax.text(
                x,
                y - 0.36,
                _shape_text(shape),
                ha="center",
                va="top",
                fontsize=MIN_FONT,
                color="#333333",
            )
            if c:
                _arrow(ax, (x - col + bw / 2, y), (x - bw / 2, y))
    ax.text(
        6.75,
        height - 0.12,
        f"input: 1×{image_size}×{image_size}; under each box: its output",
        ha="right",
        va="top",
        fontsize=MIN_FONT,
    )
    return fig
