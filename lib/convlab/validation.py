"""Argument checking shared by every ``convlab`` function.

Each helper either returns a cleaned-up value or raises ``TypeError`` (the
argument has the wrong kind) or ``ValueError`` (right kind, impossible value)
with a message that names the function, the argument and what was expected, so
that a learner who passes the wrong thing is told how to fix it.
"""

from __future__ import annotations

import numbers

import numpy as np

__all__ = ["as_float_array", "as_int", "as_pair", "check_ndim"]


def as_float_array(value, name: str, func: str) -> np.ndarray:
    """Return ``value`` as a real floating NumPy array.

    Integer, boolean and list inputs become float64; float16/32/64 arrays keep
    their dtype. Complex, object and string inputs are rejected.
    """
    if value is None:
        raise TypeError(
            f"{func}: {name} is None; pass an array of numbers."
        )
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists, for example
        raise TypeError(
            f"{func}: {name} could not be read as an array ({exc})."
        ) from None
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind == "c":
        raise TypeError(
            f"{func}: {name} is complex; only real-valued arrays are supported."
        )
    raise TypeError(
        f"{func}: {name} must hold real numbers, got an array of dtype {arr.dtype}."
    )


def check_ndim(
    arr: np.ndarray, ndims, name: str, func: str, layout: str
) -> None:
    """Raise ``ValueError`` unless ``arr.ndim`` is one of ``ndims``.

    ``layout`` describes the expected shape, e.g. ``"(N, C, H, W)"``.
    """
    if isinstance(ndims, int):
        ndims = (ndims,)
    if arr.ndim not in ndims:
        raise ValueError(
            f"{func}: {name} must have shape {layout}, but it has {arr.ndim} "
            f"dimension{'s' if arr.ndim != 1 else ''} (shape {arr.shape})."
        )


def _as_int(value, name: str, func: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{func}: {name} must be an int, got {type(value).__name__} {value!r}."
        )
    return int(value)


def as_int(value, name: str, func: str, minimum: int | None = None) -> int:
    """Return ``value`` as an int, raising ``TypeError`` for non-integers (bool
    included) and ``ValueError`` when it is below ``minimum``."""
    v = _as_int(value, name, func)
    if minimum is not None and v < minimum:
        kind = "non-negative" if minimum == 0 else f"at least {minimum}"
        raise ValueError(f"{func}: {name} must be {kind}, got {v}.")
    return v


def as_pair(value, name: str, func: str, minimum: int) -> tuple[int, int]:
    """Turn an int or a pair of ints into ``(height, width)`` values.

    Raises ``TypeError`` for anything else and ``ValueError`` when a value is
    below ``minimum`` (1 for stride and dilation, 0 for padding).
    """
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(
                f"{func}: {name} must be an int or a pair (height, width), got {len(value)} values {tuple(value)!r}."
            )
        pair = (
            _as_int(value[0], name, func),
            _as_int(value[1], name, func),
        )
    else:
        v = _as_int(value, name, func)
        pair = (v, v)
    if min(pair) < minimum:
        if minimum == 0:
            raise ValueError(
                f"{func}: {name} must be non-negative, got {value!r}."
            )
        raise ValueError(
            f"{func}: {name} must be a positive int (at least {minimum}), got {value!r}."
        )
    return pair
