"""Figures the lessons share, drawn for the book's column.

The book shows a figure at most about 690 px wide (its column at a 1280 px
window); Jupyter's inline backend draws 100 px per inch, so a figure wider
than :data:`COLUMN_INCHES` is shrunk, and its text with it (a 13 in figure
shows 10 pt labels about 7 px tall). :func:`use_book_style` sets fonts that
read well at that size, and :func:`panels` lays out several panels in rows
that fit the column instead of one wide row.

Arrays drawn as grids (:func:`show_grid`, :func:`show_grids`) use colours
that say what the numbers are (:func:`grid_colours`): a diverging map centred
on zero for signed values (blue positive, red negative, white zero), a grey
map for non-negative values (0 black, the largest value white, so a binary
image looks like one), and each cell's number written in black or white,
whichever contrasts more with that cell.

Every function draws on Matplotlib objects it is given (or new ones) and
returns them, so a lesson can combine several in one figure.
"""

from __future__ import annotations

import math

import matplotlib as mpl
import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

__all__ = [
    "COLUMN_INCHES",
    "BOOK_STYLE",
    "use_book_style",
    "panels",
    "grid_colours",
    "show_grid",
    "show_grids",
]

#: Width of the book's content column in inches at the inline backend's
#: 100 dpi (about 690 px at 1280 px).
COLUMN_INCHES = 6.9

#: Matplotlib settings for figures shown in the book's column.
BOOK_STYLE = {
    "figure.figsize": (COLUMN_INCHES, 3.2),
    "figure.dpi": 100,
    "font.size": 10,
    "axes.titlesize": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "figure.titlesize": 11,
}


def use_book_style() -> None:
    """Apply :data:`BOOK_STYLE` to Matplotlib (for the rest of the session)."""
    mpl.rcParams.update(BOOK_STYLE)


def panels(
    n: int,
    ncols: int | None = None,
    height: float = 2.6,
    width: float = COLUMN_INCHES,
    min_panel: float = 2.2,
    **subplot_kw,
):
    """A figure of ``n`` panels in rows that fit the column: ``(fig, axes)``.

    ``ncols`` defaults to as many panels of at least ``min_panel`` inches as
    fit ``width``; ``height`` is the height of one row in inches. ``axes`` is
    a flat array of ``n`` axes (spare cells of the last row are removed).
    Extra keyword arguments go to ``plt.subplots`` (e.g. ``sharey=True``).
    """
    n = int(n)
    if n < 1:
        raise ValueError(f"panels: n must be at least 1, got {n}.")
    if ncols is None:
        ncols = max(1, min(n, int(width // min_panel)))
    nrows = math.ceil(n / ncols)
    fig, axes = plt.subplots(
        nrows,
        ncols,
        figsize=(width, height * nrows),
        squeeze=False,
        layout="constrained",
        **subplot_kw,
    )
    flat = axes.ravel()
    for ax in flat[n:]:
        ax.remove()
    return fig, flat[:n]


def grid_colours(A, vmin=None, vmax=None):
    """Colours for drawing the 2-D array ``A``: ``(cmap, norm, text)``.

    Signed values (``A.min() < 0``) get the diverging ``RdBu`` map centred on
    zero (red negative, blue positive, white zero); non-negative values the
    ``gray`` map from 0 (black) to ``vmax`` (white, default ``A.max()``).
    ``text`` is an array of ``"black"``/``"white"``, per cell the colour of
    its number with the larger contrast against the cell's colour.
    """
    A = np.asarray(A, dtype=float)
    if vmin is None and vmax is None and A.size and A.min() < 0:
        span = float(np.abs(A).max()) or 1.0
        cmap, norm = plt.get_cmap("RdBu"), mpl.colors.Normalize(-span, span)
    else:
        lo = 0.0 if vmin is None else float(vmin)
        hi = float(A.max()) if vmax is None and A.size else vmax
        if hi is None or hi <= lo:
            hi = lo + 1.0
        cmap, norm = plt.get_cmap("gray"), mpl.colors.Normalize(lo, hi)
    rgb = cmap(norm(A))[..., :3]
    # WCAG relative luminance; black text wins where the cell is light.
    lin = np.where(
        rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4
    )
    lum = lin @ np.array([0.2126, 0.7152, 0.0722])
    black = (lum + 0.05) / 0.05
    white = 1.05 / (lum + 0.05)
    text = np.where(black >= white, "black", "white")
    return cmap, norm, text


def show_grid(
    A,
    ax=None,
    title: str = "",
    highlight=None,
    fmt: str = "{:g}",
    vmin=None,
    vmax=None,
    highlight_color: str = "tab:orange",
    fontsize: float = 10,
):
    """Draw a 1-D or 2-D array as a grid of cells with their values written in.

    Colours follow :func:`grid_colours` (signed: red-white-blue around zero;
    non-negative: black to white); ``vmin``/``vmax`` fix the grey range (e.g.
    ``vmax=1`` for images in [0, 1]). ``highlight`` is ``(row, col, height,
    width)`` (for 1-D arrays ``(col, width)``) and outlines that block of
    cells, e.g. the window a kernel reads. Returns the ``Axes``.
    """
    A = np.asarray(A, dtype=float)
    if A.ndim == 1:
        A = A[None, :]
        if highlight is not None:
            highlight = (0, highlight[0], 1, highlight[1])
    if A.ndim != 2:
        raise ValueError(
            f"show_grid draws 1-D or 2-D arrays, got shape {A.shape}."
        )
    if ax is None:
        _, ax = plt.subplots(
            figsize=(0.5 * A.shape[1] + 0.6, 0.5 * A.shape[0] + 0.6)
        )
    cmap, norm, text = grid_colours(A, vmin=vmin, vmax=vmax)
    ax.imshow(A, cmap=cmap, norm=norm)
    for (i, j), v in np.ndenumerate(A):
        ax.text(
            j,
            i,
            fmt.format(v),
            ha="center",
            va="center",
            fontsize=fontsize,
            color=text[i, j],
        )
    ax.set_xticks(np.arange(-0.5, A.shape[1]), minor=True)
    ax.set_yticks(np.arange(-0.5, A.shape[0]), minor=True)
    ax.grid(which="minor", color="grey", linewidth=0.8)
    ax.tick_params(
        which="both", length=0, labelbottom=False, labelleft=False
    )
    if highlight is not None:
        r, c, h, w = highlight
        ax.add_patch(
            Rectangle(
                (c - 0.5, r - 0.5),
                w,
                h,
                fill=False,
                edgecolor=highlight_color,
                linewidth=3,
            )
        )
    ax.set_title(title, fontsize=10)
    return ax


def show_grids(
    arrays,
    titles,
    highlights=None,
    fmt: str = "{:g}",
    figsize=None,
    width: float = COLUMN_INCHES,
    vmin=None,
    vmax=None,
):
    """Draw several arrays as grids (e.g. input, kernel, output); returns the figure.

    They go side by side while they fit ``width`` inches (the column), and
    wrap onto further rows otherwise; cells are at most half an inch.
    """
    arrays = [np.atleast_2d(np.asarray(a, dtype=float)) for a in arrays]
    highlights = highlights or [None] * len(arrays)
    widths = [a.shape[1] for a in arrays]
    gap = 0.35  # inches between panels
    cell = min(0.5, (width - gap * (len(arrays) - 1)) / max(sum(widths), 1))
    cell = max(cell, 0.3)
    rows, row, used = [], [], 0.0
    for k, w in enumerate(widths):
        need = w * cell + (gap if row else 0)
        if row and used + need > width:
            rows.append(row)
            row, used = [], 0.0
            need = w * cell
        row.append(k)
        used += need
    rows.append(row)
    heights = [
        max(arrays[k].shape[0] for k in r) * cell + 0.45 for r in rows
    ]
    if figsize is None:
        fig_w = max(
            sum(widths[k] for k in r) * cell + gap * (len(r) - 1) + 0.2
            for r in rows
        )
        figsize = (min(fig_w, width), sum(heights))
    fig = plt.figure(figsize=figsize, layout="constrained")
    outer = fig.add_gridspec(len(rows), 1, height_ratios=heights)
    for r, ks in enumerate(rows):
        inner = outer[r].subgridspec(
            1, len(ks), width_ratios=[widths[k] for k in ks]
        )
        for slot, k in enumerate(ks):
            show_grid(
                arrays[k],
                ax=fig.add_subplot(inner[slot]),
                title=titles[k],
                highlight=highlights[k],
                fmt=fmt,
                vmin=vmin,
                vmax=vmax,
            )
    return fig
