"""Argument checks shared by the Python side of the grid explorers."""

from __future__ import annotations

from ..validation import as_int


def in_range(value, name: str, bounds, func: str) -> int:
    """``value`` as an int within ``bounds = (lo, hi)`` (the range of the
    explorer's control), or a ``TypeError``/``ValueError`` that says so."""
    lo, hi = bounds
    v = as_int(value, name, func)
    if not lo <= v <= hi:
        raise ValueError(
            f"{func}: {name} must be between {lo} and {hi} (the range of "
            f"its control), got {v}."
        )
    return v
