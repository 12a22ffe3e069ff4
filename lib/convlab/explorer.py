"""Which input cells does one output of a convolution read? A picture.

The geometry is that of ``torch.nn.functional.conv2d`` (a cross-correlation)
on a square ``n x n`` input with the same kernel size ``k``, padding ``p``
(zeros added on *each* side), stride ``s`` and dilation ``d`` along both axes.
Output ``(i, j)`` reads the input rows ``i*s - p + a*d`` and columns
``j*s - p + b*d`` for ``a, b = 0 .. k-1``; rows and columns outside
``0 .. n-1`` are padding zeros. Coordinates here are those of the *unpadded*
input, so padding cells have indices ``-p .. -1`` and ``n .. n+p-1``.

:func:`draw_conv_window` draws one setting (the lessons' static figures use
it); the interactive version that runs in the page is
:mod:`convlab.explorers.conv_window`, whose JavaScript is tested against
:func:`window_cells`.
"""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Rectangle

from .arith import conv_output_size
from .validation import as_int

__all__ = [
    "window_indices",
    "window_cells",
    "draw_conv_window",
]

# cell categories of the drawn input grid, and their colours
_PAD, _INPUT, _READ_PAD, _READ_INPUT = 0, 1, 2, 3
_CMAP = ListedColormap(["#d9d9d9", "#ffffff", "#f6c08f", "#e8711a"])


def _check_setting(n, k, p, s, d, func):
    return (
        as_int(n, "n", func, minimum=1),
        as_int(k, "k", func, minimum=1),
        as_int(p, "p", func, minimum=0),
        as_int(s, "s", func, minimum=1),
        as_int(d, "d", func, minimum=1),
    )


def _check_out(out, m, func):
    if isinstance(out, (int, np.integer)) and not isinstance(out, bool):
        out = (int(out), int(out))
    if not (isinstance(out, (tuple, list)) and len(out) == 2):
        raise TypeError(
            f"{func}: out must be an output index (i, j), got {out!r}."
        )
    i, j = (as_int(v, "out", func) for v in out)
    if not (0 <= i < m and 0 <= j < m):
        raise ValueError(
            f"{func}: output index ({i}, {j}) is outside the {m}x{m} output; "
            f"pick i and j between 0 and {m - 1}."
        )
    return i, j


def window_indices(
    i: int, k: int, p: int = 0, s: int = 1, d: int = 1
) -> list[int]:
    """Input indices (along one axis, unpadded coordinates) read by output ``i``:
    ``[i*s - p + a*d for a in range(k)]``. Negative or ``>= n`` means padding."""
    func = "window_indices"
    i = as_int(i, "i", func, minimum=0)
    _, k, p, s, d = _check_setting(1, k, p, s, d, func)
    return [i * s - p + a * d for a in range(k)]


def window_cells(
    n: int, k: int, p: int = 0, s: int = 1, d: int = 1, out=(0, 0)
) -> list[tuple[int, int]]:
    """The ``k*k`` cells ``(row, col)`` that output ``out = (i, j)`` reads, in
    unpadded input coordinates (padding cells included).

    Raises ``ValueError`` if the setting gives no output or ``out`` lies outside it.
    """
    func = "window_cells"
    n, k, p, s, d = _check_setting(n, k, p, s, d, func)
    m = conv_output_size(n, k, s, p, d)
    i, j = _check_out(out, m, func)
    return [
        (r, c)
        for r in window_indices(i, k, p, s, d)
        for c in window_indices(j, k, p, s, d)
    ]


def _input_categories(n, p, cells):
    """An (n+2p, n+2p) array of cell categories (padding / input / read)."""
    grid = np.full((n + 2 * p, n + 2 * p), _PAD)
    grid[p : p + n, p : p + n] = _INPUT
    for r, c in cells:
        grid[r + p, c + p] = (
            _READ_INPUT if grid[r + p, c + p] == _INPUT else _READ_PAD
        )
    return grid


def _grid_lines(ax, size):
    for r in np.arange(-0.5, size[0]):
        ax.axhline(r, color="grey", linewidth=0.6)
    for c in np.arange(-0.5, size[1]):
        ax.axvline(c, color="grey", linewidth=0.6)
    ax.set_xticks([])
    ax.set_yticks([])


def draw_conv_window(
    n: int,
    k: int,
    p: int = 0,
    s: int = 1,
    d: int = 1,
    out=(0, 0),
    axes=None,
):
    """Draw the padded input, the cells that output ``out`` reads, and the output grid.

    Left panel: the ``(n+2p) x (n+2p)`` padded input (grey: padding zeros;
    orange: the ``k x k`` cells output ``out`` reads, pale orange where they are
    padding; blue dots: where every window starts, one per output). Right
    panel: the output grid with ``out`` marked. A setting with no output
    (dilated kernel larger than the padded input) is drawn with the reason
    written in the right panel instead of raising.

    ``axes`` is an optional pair of Matplotlib axes (input, output); by default
    a new figure is made. Returns the figure.
    """
    func = "draw_conv_window"
    n, k, p, s, d = _check_setting(n, k, p, s, d, func)
    if axes is None:
        fig, axes = plt.subplots(
            1, 2, figsize=(8, 4), gridspec_kw={"width_ratios": [3, 2]}
        )
    ax_in, ax_out = axes
    fig = ax_in.figure
    try:
        m = conv_output_size(n, k, s, p, d)
    except ValueError as exc:
        m, problem = (
            0,
            str(exc).replace("conv_output_size: no output: ", ""),
        )
    else:
        problem = None
    cells = window_cells(n, k, p, s, d, out) if m else []
    size = n + 2 * p
    ax_in.imshow(_input_categories(n, p, cells), cmap=_CMAP, vmin=0, vmax=3)
    _grid_lines(ax_in, (size, size))
    ax_in.add_patch(
        Rectangle(
            (p - 0.5, p - 0.5),
            n,
            n,
            fill=False,
            edgecolor="black",
            linewidth=2,
        )
    )
    starts = np.arange(m) * s  # window starts in padded coordinates
    rr, cc = np.meshgrid(starts, starts, indexing="ij")
    ax_in.scatter(cc.ravel(), rr.ravel(), s=18, color="tab:blue", zorder=3)
    ax_in.set_title(
        f"padded input: n={n}, k={k}, p={p}, s={s}, d={d}", fontsize=10
    )
    if problem is None:
        i, j = _check_out(out, m, func)
        span = d * (k - 1) + 1
        ax_in.add_patch(
            Rectangle(
                (j * s - 0.5, i * s - 0.5),
                span,
                span,
                fill=False,
                edgecolor="#b34700",
                linewidth=1.5,
                linestyle="--",
            )
        )
        marks = np.full((m, m), 0.0)
        marks[i, j] = 1.0
        ax_out.imshow(
            marks,
            cmap=ListedColormap(["#ffffff", "#e8711a"]),
            vmin=0,
            vmax=1,
        )
        _grid_lines(ax_out, (m, m))
        ax_out.set_title(
            f"output {m}x{m}; cell ({i}, {j}) marked", fontsize=10
        )
    else:
        ax_out.axis("off")
        ax_out.text(
            0.5,
            0.5,
            "No output:\n" + textwrap.fill(problem, 34),
            ha="center",
            va="center",
            fontsize=9,
            color="#b30000",
            transform=ax_out.transAxes,
        )
        ax_out.set_title("output: none", fontsize=10)
    return fig
