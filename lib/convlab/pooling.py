"""Max, average and adaptive (max and average) pooling in NumPy, NCHW.

The functions have the semantics (arguments, defaults, output sizes, padding
rules) of the PyTorch functions of the same name in ``torch.nn.functional``;
the tests compare them with PyTorch.
"""

from __future__ import annotations

import math

import numpy as np

from .arith import _pool_output_size
from .validation import as_image_batch, as_pair

__all__ = [
    "max_pool2d",
    "avg_pool2d",
    "adaptive_avg_pool2d",
    "adaptive_max_pool2d",
]


def _setup(x, kernel_size, stride, padding, ceil_mode, func, dilation=1):
    x4, unbatched = as_image_batch(x, func)
    k = as_pair(kernel_size, "kernel_size", func, minimum=1)
    s = k if stride is None else as_pair(stride, "stride", func, minimum=1)
    p = as_pair(padding, "padding", func, minimum=0)
    d = as_pair(dilation, "dilation", func, minimum=1)
    out = tuple(
        _pool_output_size(n, kk, ss, pp, dd, ceil_mode, func)
        for n, kk, ss, pp, dd in zip(x4.shape[2:], k, s, p, d)
    )
    return x4, unbatched, k, s, p, d, out


def _padded(x4, k, s, p, out, fill, d=(1, 1)):
    """Pad so that every window of the output grid lies inside the array."""
    h, w = x4.shape[2:]
    extra = [
        max(0, (o - 1) * ss + dd * (kk - 1) + 1 - (n + 2 * pp))
        for o, ss, kk, dd, n, pp in zip(out, s, k, d, (h, w), p)
    ]
    return np.pad(
        x4,
        ((0, 0), (0, 0), (p[0], p[0] + extra[0]), (p[1], p[1] + extra[1])),
        constant_values=fill,
    )


def _windows(xp, k, s, out, d=(1, 1)):
    """Yield, for every tap (i, j) of the window, the (N, C, H_out, W_out)
    array it reads (tap (i, j) sits d*(i, j) from the window's corner)."""
    for i in range(0, d[0] * k[0], d[0]):
        for j in range(0, d[1] * k[1], d[1]):
            yield xp[
                :,
                :,
                i : i + s[0] * (out[0] - 1) + 1 : s[0],
                j : j + s[1] * (out[1] - 1) + 1 : s[1],
            ]


def max_pool2d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    dilation=1,
    ceil_mode: bool = False,
) -> np.ndarray:
    """Maximum over each window, like ``torch.nn.functional.max_pool2d``
    (same argument order: ``kernel_size, stride, padding, dilation,
    ceil_mode``).

    ``x`` is ``(N, C, H, W)`` or ``(C, H, W)``; ``stride`` defaults to
    ``kernel_size``; padding (at most half the kernel) counts as -infinity,
    so it never wins; ``dilation`` spaces the ``kernel_size`` taps of a
    window ``dilation`` cells apart (a window spans ``d*(k-1)+1`` cells).
    Output ``(N, C, H_out, W_out)`` with sizes from
    :func:`convlab.arith.pool_output_size`.
    """
    x4, unbatched, k, s, p, d, out = _setup(
        x, kernel_size, stride, padding, ceil_mode, "max_pool2d", dilation
    )
    xp = _padded(x4, k, s, p, out, -np.inf, d)
    y = np.full(x4.shape[:2] + out, -np.inf, dtype=x4.dtype)
    for window in _windows(xp, k, s, out, d):
        np.maximum(y, window, out=y)
    return y[0] if unbatched else y


def _avg_divisors(n, k, s, p, out, count_include_pad):
    """Per-output divisor along one axis, following PyTorch's rule: windows are
    clipped to the padded input; padding counts only if ``count_include_pad``."""
    starts = np.arange(out) * s - p
    ends = np.minimum(starts + k, n + p)
    if count_include_pad:
        return ends - starts
    return np.minimum(ends, n) - np.maximum(starts, 0)


def avg_pool2d(
    x,
    kernel_size,
    stride=None,
    padding=0,
    ceil_mode: bool = False,
    count_include_pad: bool = True,
    divisor_override=None,
) -> np.ndarray:
    """Mean over each ``kernel_size`` window, like ``torch.nn.functional.avg_pool2d``.

    Zero padding is counted in the mean when ``count_include_pad`` (the
    default); ``divisor_override`` replaces the divisor by a fixed number.
    """
    func = "avg_pool2d"
    x4, unbatched, k, s, p, _, out = _setup(
        x, kernel_size, stride, padding, ceil_mode, func
    )
    if not isinstance(count_include_pad, bool):
        raise TypeError(
            f"{func}: count_include_pad must be True or False, got {count_include_pad!r}."
        )
    xp = _padded(x4, k, s, p, out, fill=0.0)
    total = sum(_windows(xp, k, s, out))
    if divisor_override is not None:
        if (
            isinstance(divisor_override, bool)
            or not isinstance(divisor_override, int)
            or divisor_override == 0
        ):
            raise ValueError(
                f"{func}: divisor_override must be a non-zero int, got {divisor_override!r}."
            )
        y = total / divisor_override
    else:
        dh = _avg_divisors(
            x4.shape[2], k[0], s[0], p[0], out[0], count_include_pad
        )
        dw = _avg_divisors(
            x4.shape[3], k[1], s[1], p[1], out[1], count_include_pad
        )
        y = total / np.outer(dh, dw)
    y = y.astype(x4.dtype, copy=False)
    return y[0] if unbatched else y


def _adaptive_windows(x, output_size, func):
    """The batched input, whether it was one image, and the (rows, cols)
    slices of every output cell of an adaptive pooling."""
    x4, unbatched = as_image_batch(x, func)
    h, w = x4.shape[2:]
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = tuple(
            n if m is None else m for m, n in zip(output_size, (h, w))
        )
    oh, ow = as_pair(output_size, "output_size", func, minimum=1)
    # cell i of m along an axis of n reads floor(i n/m) .. ceil((i+1) n/m)-1
    spans = [
        [slice(i * n // m, math.ceil((i + 1) * n / m)) for i in range(m)]
        for n, m in ((h, oh), (w, ow))
    ]
    return x4, unbatched, spans


def adaptive_avg_pool2d(x, output_size) -> np.ndarray:
    """Average pooling to a fixed output size, like
    ``torch.nn.functional.adaptive_avg_pool2d``.

    Output cell ``i`` (along an axis of input size ``n`` and output size
    ``m``) averages input cells ``floor(i*n/m)`` to ``ceil((i+1)*n/m) - 1``;
    windows may differ in size and overlap. ``output_size`` is an int or a
    pair; ``None`` in a pair keeps that axis's input size.
    ``output_size=1`` is global average pooling.
    """
    x4, unbatched, (rows, cols) = _adaptive_windows(
        x, output_size, "adaptive_avg_pool2d"
    )
    y = np.empty(x4.shape[:2] + (len(rows), len(cols)), dtype=x4.dtype)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            y[:, :, i, j] = x4[:, :, r, c].mean(axis=(2, 3))
    return y[0] if unbatched else y


def adaptive_max_pool2d(x, output_size, return_indices: bool = False):
    """Max pooling to a fixed output size, like
    ``torch.nn.functional.adaptive_max_pool2d``: the windows of
    :func:`adaptive_avg_pool2d`, the maximum instead of the mean.

    With ``return_indices=True`` also returns, as torch does, where each
    maximum is: an int64 array of the output's shape holding the flat index
    ``row * W + col`` into the input's ``(H, W)`` plane (the first maximum
    of the window, in row-major order, when several cells tie).
    """
    func = "adaptive_max_pool2d"
    if not isinstance(return_indices, bool):
        raise TypeError(
            f"{func}: return_indices must be True or False, "
            f"got {return_indices!r}."
        )
    x4, unbatched, (rows, cols) = _adaptive_windows(x, output_size, func)
    shape = x4.shape[:2] + (len(rows), len(cols))
    y = np.empty(shape, dtype=x4.dtype)
    where = np.empty(shape, dtype=np.int64)
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            window = x4[:, :, r, c]
            width = window.shape[3]
            flat = window.reshape(*shape[:2], -1)
            k = flat.argmax(axis=2)  # first maximum, row-major
            y[:, :, i, j] = np.take_along_axis(flat, k[..., None], 2)[
                ..., 0
            ]
            where[:, :, i, j] = (r.start + k // width) * x4.shape[3] + (
                c.start + k % width
            )
    if unbatched:
        y, where = y[0], where[0]
    return (y, where) if return_indices else y
