"""The pooling explorer of chapter 9, run in the page: max or average
pooling of a small fixed image, and which pooled values a one-pixel shift
changes.

The image is ``field[1:, 1:]`` of the ``(n + 1) x (n + 1)`` array
:func:`pool_shift_field` makes; shifted one pixel right it is
``field[1:, :-1]``, one pixel down ``field[:-1, 1:]`` (the new row or
column comes from the field, not from zeros). Controls: window ``k``,
stride ``s``, padding ``p``, ceil mode, max or average
(``count_include_pad=True``, torch's default). ``pool_shift.js``
computes what :func:`convlab.pooling.max_pool2d` /
:func:`~convlab.pooling.avg_pool2d` and
:func:`convlab.arith.pool_output_size` compute (checked in Chromium by
``tests/test_explorers_grid.py``).
"""

from __future__ import annotations

import numpy as np

from ..arith import pool_output_size
from ..validation import as_int
from . import show
from ._checks import in_range

__all__ = [
    "RANGES",
    "pool_shift_field",
    "shifted_images",
    "pool_shift_data",
    "pool_shift_explorer",
]

#: The range of each slider (inclusive).
RANGES = {"k": (1, 4), "s": (1, 4), "p": (0, 2)}
SHIFTS = ("right", "down")
KINDS = ("max", "avg")


def pool_shift_field(n: int = 8, seed: int = 9) -> np.ndarray:
    """An ``(n + 1) x (n + 1)`` array of integers: faint noise 0..3 (fixed
    seed) with a bright plus-shaped feature (9 at its centre, 6 on its arms)
    near the middle: the image and the row and column a shift brings in."""
    n = as_int(n, "n", "pool_shift_field", minimum=4)
    rng = np.random.default_rng(seed)
    field = rng.integers(0, 4, size=(n + 1, n + 1)).astype(float)
    r = c = (n + 1) // 2
    field[r - 1 : r + 2, c] = field[r, c - 1 : c + 2] = 6.0
    field[r, c] = 9.0
    return field


def shifted_images(field, shift: str):
    """``(image, shifted image)`` of ``field``: ``shift`` is ``'right'`` or
    ``'down'`` (by one pixel)."""
    if shift not in SHIFTS:
        raise ValueError(
            f"shifted_images: shift must be one of {SHIFTS}, got {shift!r}."
        )
    field = np.asarray(field, dtype=float)
    image = field[1:, 1:]
    return image, (field[1:, :-1] if shift == "right" else field[:-1, 1:])


def pool_shift_data(
    k=2, s=2, p=0, ceil_mode=False, kind="max", shift="right", n=8
) -> dict:
    """The explorer's starting state and its fixed image; bad settings
    raise ``ValueError``/``TypeError`` saying which control is wrong."""
    func = "pool_shift_explorer"
    values = {
        name: in_range(value, name, RANGES[name], func)
        for name, value in zip("ksp", (k, s, p))
    }
    if not isinstance(ceil_mode, bool):
        raise TypeError(
            f"{func}: ceil_mode must be True or False, got {ceil_mode!r}."
        )
    if kind not in KINDS:
        raise ValueError(
            f"{func}: kind must be 'max' or 'avg', got {kind!r}."
        )
    if shift not in SHIFTS:
        raise ValueError(
            f"{func}: shift must be 'right' or 'down', got {shift!r}."
        )
    n = in_range(n, "n", (4, 10), func)
    # raises when the starting setting has no output (p > k/2, ...)
    size = pool_output_size(
        n, values["k"], values["s"], values["p"], ceil_mode=ceil_mode
    )
    return {
        **values,
        "n": n,
        "size": size,
        "ceil_mode": ceil_mode,
        "kind": kind,
        "shift": shift,
        "field": pool_shift_field(n),
        "ranges": {key: list(r) for key, r in RANGES.items()},
    }


def pool_shift_explorer(
    k=2, s=2, p=0, ceil_mode=False, kind="max", shift="right"
):
    """The explorer as an ``IPython.display.HTML`` object (leave it last in
    a cell)."""
    return show(
        "pool_shift",
        pool_shift_data(k, s, p, ceil_mode, kind, shift),
        title="Pooling a small image, and what a one-pixel shift changes",
    )
