"""Shape arithmetic for convolution and pooling layers.

All sizes are along one spatial axis (apply once for height, once for width).
``n`` input size, ``k`` kernel size, ``s`` stride, ``p`` padding added on *each*
side, ``d`` dilation. The formulas are those of ``torch.nn.functional.conv2d``
and ``max_pool2d`` / ``avg_pool2d``; the tests check them against PyTorch.
"""
from __future__ import annotations

import math

from .validation import as_int

__all__ = ["conv_output_size", "pool_output_size", "effective_kernel_size"]


def effective_kernel_size(k: int, d: int = 1) -> int:
    """Number of input cells a dilated kernel spans: ``d*(k - 1) + 1``."""
    k = as_int(k, "k", "effective_kernel_size", minimum=1)
    d = as_int(d, "d", "effective_kernel_size", minimum=1)
    return d * (k - 1) + 1


def conv_output_size(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """Output size of a convolution: ``floor((n + 2p - d(k-1) - 1) / s) + 1``.

    Raises ``ValueError`` when the setting produces no output (the dilated
    kernel is larger than the padded input).
    """
    func = "conv_output_size"
    n, k = as_int(n, "n", func, minimum=1), as_int(k, "k", func, minimum=1)
    s, p, d = as_int(s, "s", func, minimum=1), as_int(p, "p", func, minimum=0), as_int(d, "d", func, minimum=1)
    span = d * (k - 1) + 1
    if span > n + 2 * p:
        raise ValueError(
            f"{func}: no output: the kernel spans d*(k-1)+1 = {span} cells but the padded input has only "
            f"n + 2p = {n + 2 * p}. Use a smaller kernel or dilation, or more padding."
        )
    return (n + 2 * p - span) // s + 1


def pool_output_size(n: int, k: int, s: int | None = None, p: int = 0, d: int = 1, ceil_mode: bool = False) -> int:
    """Output size of max/avg pooling, as PyTorch computes it.

    ``s`` defaults to ``k`` (non-overlapping windows). With ``ceil_mode`` the
    division rounds up, so a last, partial window is kept, except when it
    would start in the right-hand padding. PyTorch also requires ``p <= k/2``.
    """
    return _pool_output_size(n, k, s, p, d, ceil_mode, "pool_output_size")


def _pool_output_size(n, k, s, p, d, ceil_mode, func):
    n, k = as_int(n, "n", func, minimum=1), as_int(k, "k", func, minimum=1)
    s = k if s is None else as_int(s, "s", func, minimum=1)
    p, d = as_int(p, "p", func, minimum=0), as_int(d, "d", func, minimum=1)
    if not isinstance(ceil_mode, bool):
        raise TypeError(f"{func}: ceil_mode must be True or False, got {ceil_mode!r}.")
    if 2 * p > k:
        raise ValueError(f"{func}: padding {p} is more than half the kernel size {k}; a window could then "
                         "lie entirely in the padding, so PyTorch forbids it.")
    span = d * (k - 1) + 1
    rounded = math.ceil if ceil_mode else math.floor
    out = rounded((n + 2 * p - span) / s) + 1
    if ceil_mode and (out - 1) * s >= n + p:  # the last window would start inside the right padding
        out -= 1
    if out < 1:
        raise ValueError(f"{func}: no output: the window spans {span} cells but the padded input has only {n + 2 * p}.")
    return out
