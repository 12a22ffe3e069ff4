"""Max, average and adaptive average pooling in NumPy, NCHW.

The functions have the semantics (arguments, defaults, output sizes, padding
rules) of the PyTorch functions of the same name in ``torch.nn.functional``;
the tests compare them with PyTorch. They are also available as
``convlab.ops.max_pool2d`` etc.
"""

from __future__ import annotations

import math

import numpy as np

from .arith import _pool_output_size
from .validation import as_float_array, as_pair, check_ndim

__all__ = ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"]


def _setup(x, kernel_size, stride, padding, ceil_mode, func):
    x = as_float_array(x, "x", func)
    check_ndim(
        x,
        (3, 4),
        "x",
        func,
        "(N, C, H, W), or (C, H, W) for a single image",
    )
    k = as_pair(kernel_size, "kernel_size", func, minimum=1)
    s = k if stride is None else as_pair(stride, "stride", func, minimum=1)
    p = as_pair(padding, "padding", func, minimum=0)
    if not isinstance(ceil_mode, bool):
        raise TypeError(
            f"{func}: ceil_mode must be True or False, got {ceil_mode!r}."
        )
    unbatched = x.ndim == 3
    x4 = x[None] if unbatched else x
    out = tuple(
        _pool_output_size(n, kk, ss, pp, 1, ceil_mode, func)
        for n, kk, ss, pp in zip(x4.shape[2:], k, s, p)
    )
    return x4, unbatched, k, s, p, out


def _padded(x4, k, s, p, out, fill):
    """Pad so that every window of the output grid lies inside the array."""
    h, w = x4.shape[2:]
    extra = [
        max(0, (o - 1) * ss + kk - (n + 2 * pp))
        for o, ss, kk, n, pp in zip(out, s, k, (h, w), p)
    ]
    return np.pad(
        x4,
        ((0, 0), (0, 0), (p[0], p[0] + extra[0]), (p[1], p[1] + extra[1])),
        constant_values=fill,
    )


def _windows(xp, k, s, out):
    """Yield, for every tap (i, j) of the window, the (N, C, H_out, W_out) array it reads."""
    for i in range(k[0]):
        for j in range(k[1]):
            yield xp[
                :,
                :,
                i : i + s[0] * (out[0] - 1) + 1 : s[0],
                j : j + s[1] * (out[1] - 1) + 1 : s[1],
            ]


def max_pool2d(
    x, kernel_size, stride=None, padding=0, ceil_mode: bool = False
) -> np.ndarray:
    """Maximum over each ``kernel_size`` window, like ``torch.nn.functional.max_pool2d``.

    ``x`` is ``(N, C, H, W)`` or ``(C, H, W)``; ``stride`` defaults to
    ``kernel_size``; padding (at most half the kernel) counts as -infinity, so
    it never wins. Output ``(N, C, H_out, W_out)`` with sizes from
    :func:`convlab.arith.pool_output_size`.
    """
    x4, unbatched, k, s, p, out = _setup(
        x, kernel_size, stride, padding, ceil_mode, "max_pool2d"
    )
    xp = _padded(x4, k, s, p, out, fill=-np.inf)
    y = np.full(x4.shape[:2] + out, -np.inf, dtype=x4.dtype)
    for window in _windows(xp, k, s, out):
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
    x4, unbatched, k, s, p, out = _setup(
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


def adaptive_avg_pool2d(x, output_size) -> np.ndarray:
    """Average pooling to a fixed output size, like ``torch.nn.functional.adaptive_avg_pool2d``.

    Output cell ``i`` (along an axis of input size ``n`` and output size ``m``)
    averages input cells ``floor(i*n/m)`` to ``ceil((i+1)*n/m) - 1``; windows may
    differ in size and overlap. ``output_size`` is an int or a pair; ``None`` in
    a pair keeps that axis's input size. ``output_size=1`` is global average pooling.
    """
    func = "adaptive_avg_pool2d"
    x = as_float_array(x, "x", func)
    check_ndim(
        x,
        (3, 4),
        "x",
        func,
        "(N, C, H, W), or (C, H, W) for a single image",
    )
    unbatched = x.ndim == 3
    x4 = x[None] if unbatched else x
    h, w = x4.shape[2:]
    if isinstance(output_size, (tuple, list)) and len(output_size) == 2:
        output_size = tuple(
            n if m is None else m for m, n in zip(output_size, (h, w))
        )
    oh, ow = as_pair(output_size, "output_size", func, minimum=1)
    y = np.empty(x4.shape[:2] + (oh, ow), dtype=x4.dtype)
    for i in range(oh):
        r0, r1 = (i * h) // oh, math.ceil((i + 1) * h / oh)
        for j in range(ow):
            c0, c1 = (j * w) // ow, math.ceil((j + 1) * w / ow)
            y[:, :, i, j] = x4[:, :, r0:r1, c0:c1].mean(axis=(2, 3))
    return y[0] if unbatched else y
