"""Figures the lessons share: small arrays drawn as annotated grids.

Every function draws on a Matplotlib ``Axes`` it is given (or a new one) and
returns that ``Axes``, so a lesson can combine several in one figure.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.patches import Rectangle

__all__ = ["show_grid", "show_grids"]


def show_grid(
    A,
    ax=None,
    title: str = "",
    highlight=None,
    fmt: str = "{:g}",
    cmap: str = "Blues",
    highlight_color: str = "tab:orange",
):
    """Draw a 1-D or 2-D array as a grid of cells with their values written in.

    ``highlight`` is ``(row, col, height, width)`` (for 1-D arrays ``(col, width)``)
    and outlines that block of cells, e.g. the window a kernel reads.
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
    span = np.abs(A).max() or 1.0
    ax.imshow(A, cmap=cmap, vmin=-span if A.min() < 0 else 0, vmax=span)
    mid = (A.max() + A.min()) / 2
    for (i, j), v in np.ndenumerate(A):
        ax.text(
            j,
            i,
            fmt.format(v),
            ha="center",
            va="center",
            fontsize=10,
            color="white"
            if (A.min() >= 0 and v > mid and v > 0)
            else "black",
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
    arrays, titles, highlights=None, fmt: str = "{:g}", figsize=None
):
    """Draw several arrays side by side (e.g. input, kernel, output); returns the figure."""
    highlights = highlights or [None] * len(arrays)
    widths = [np.atleast_2d(a).shape[1] for a in arrays]
    fig, axes = plt.subplots(
        1,
        len(arrays),
        figsize=figsize or (0.55 * sum(widths) + 1.2 * len(arrays), 2.4),
        gridspec_kw={"width_ratios": widths},
    )
    for ax, a, t, h in zip(np.atleast_1d(axes), arrays, titles, highlights):
        show_grid(a, ax=ax, title=t, highlight=h, fmt=fmt)
    fig.tight_layout()
    return fig
