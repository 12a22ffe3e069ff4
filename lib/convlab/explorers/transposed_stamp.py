"""The transposed-convolution explorer of chapter 12, run in the page.

A fixed 4x4 input ``x`` of small integers and, for each kernel size ``k``,
the binomial kernel ``outer(c, c)`` with ``c`` the ``k``-th row of Pascal's
triangle (1; 1 1; 1 2 1; 1 3 3 1). Every input cell stamps its value times
the kernel into the output, ``s`` cells after its neighbour; ``p`` crops the
border. The page shows the output values, the number of taps that land on
each output cell (the uneven counts behind checkerboards), and the stamp of
the input cell one clicks. ``transposed_stamp.js`` computes what
:func:`convlab.transposed.conv_transpose2d` and
:func:`convlab.transposed.tap_counts` compute
(``tests/test_explorers_grid.py`` checks it in Chromium against them and
torch's ``conv_transpose2d``).
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_transpose_output_size
from . import show
from ._checks import in_range

__all__ = [
    "RANGES",
    "INPUT",
    "binomial_kernel",
    "transposed_stamp_data",
    "transposed_stamp_explorer",
]

#: The range of each slider (inclusive).
RANGES = {"k": (1, 4), "s": (1, 3), "p": (0, 2)}
#: The fixed input.
INPUT = np.array(
    [[1, 0, 2, 1], [0, 3, 1, 0], [2, 1, 0, 1], [1, 0, 1, 2]], dtype=float
)


def binomial_kernel(k: int) -> np.ndarray:
    """The ``k x k`` kernel ``outer(c, c)``, ``c`` the binomial
    coefficients ``C(k-1, 0..k-1)``: [[1]], [[1, 1], [1, 1]],
    [[1, 2, 1], [2, 4, 2], [1, 2, 1]], ..."""
    k = in_range(k, "k", RANGES["k"], "binomial_kernel")
    c = np.array([1.0])
    for _ in range(k - 1):
        c = np.convolve(c, [1.0, 1.0])
    return np.outer(c, c)


def transposed_stamp_data(k=3, s=2, p=0, select=(1, 1), ones=False) -> dict:
    """The explorer's starting state, input and kernels; a value outside
    its control's range, or a setting with no output, raises ``ValueError``.
    """
    func = "transposed_stamp_explorer"
    values = {
        name: in_range(value, name, RANGES[name], func)
        for name, value in zip("ksp", (k, s, p))
    }
    n = INPUT.shape[0]
    if not (isinstance(select, (tuple, list)) and len(select) == 2):
        raise ValueError(
            f"{func}: select must be an input cell (a, b), got {select!r}."
        )
    a, b = (in_range(v, "select", (0, n - 1), func) for v in select)
    if not isinstance(ones, bool):
        raise TypeError(
            f"{func}: ones must be True or False, got {ones!r}."
        )
    size = conv_transpose_output_size(
        n, values["k"], values["s"], values["p"]
    )
    kernels = {
        str(kk): binomial_kernel(kk)
        for kk in range(RANGES["k"][0], RANGES["k"][1] + 1)
    }
    return {
        **values,
        "a": a,
        "b": b,
        "ones": ones,
        "size": size,
        "x": INPUT,
        "kernels": kernels,
        "ranges": {key: list(r) for key, r in RANGES.items()},
    }


def transposed_stamp_explorer(k=3, s=2, p=0, select=(1, 1), ones=False):
    """The explorer as an ``IPython.display.HTML`` object (leave it last in
    a cell)."""
    return show(
        "transposed_stamp",
        transposed_stamp_data(k, s, p, select, ones),
        title="The transposed convolution: every input cell stamps the "
        "kernel",
    )
