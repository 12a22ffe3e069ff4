"""The padding / stride / dilation explorer of chapter 7, run in the page.

Sliders for ``n, k, p, s, d`` (one square input, the same setting along both
axes) and the output cell ``(i, j)``; the page draws the padded input with
the cells output ``(i, j)`` reads, the output grid, and the output size
``floor((n + 2p - d(k-1) - 1)/s) + 1`` with the numbers filled in (or why
there is no output). ``conv_window.js`` computes what
:func:`convlab.arith.conv_output_size` and
:func:`convlab.explorer.window_cells` compute
(``tests/test_explorers_grid.py`` checks it in Chromium);
:func:`convlab.explorer.draw_conv_window` draws the same picture as a static
figure.
"""

from __future__ import annotations

from ..arith import conv_output_size
from ..explorer import window_cells
from . import show
from ._checks import in_range

__all__ = ["RANGES", "conv_window_data", "conv_window_explorer"]

#: The range of each slider (inclusive).
RANGES = {"n": (1, 12), "k": (1, 5), "p": (0, 3), "s": (1, 4), "d": (1, 3)}


def conv_window_data(n=7, k=3, p=1, s=2, d=1, out=(0, 0)) -> dict:
    """The explorer's starting state: the setting, the output cell and the
    slider ranges. The setting must have an output and ``out`` must lie in
    it (``ValueError`` otherwise, from :func:`window_cells`)."""
    func = "conv_window_explorer"
    values = {
        name: in_range(value, name, RANGES[name], func)
        for name, value in zip("nkpsd", (n, k, p, s, d))
    }
    cells = window_cells(**values, out=out)  # checks out and the setting
    i, j = (int(v) for v in ((out, out) if isinstance(out, int) else out))
    size = conv_output_size(
        values["n"], values["k"], values["s"], values["p"], values["d"]
    )
    return {
        **values,
        "i": i,
        "j": j,
        "size": size,
        "cells": cells,
        "ranges": {key: list(r) for key, r in RANGES.items()},
    }


def conv_window_explorer(n=7, k=3, p=1, s=2, d=1, out=(0, 0)):
    """The explorer as an ``IPython.display.HTML`` object (leave it last in
    a cell): it runs in the book's page and, once the cell is run, in
    JupyterLab."""
    return show(
        "conv_window",
        conv_window_data(n, k, p, s, d, out),
        title="Padding, stride and dilation: which cells one output reads",
    )
