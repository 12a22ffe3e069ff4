"""Convolution and cross-correlation in NumPy, written to be read.

Conventions
-----------
* ``conv1d`` is the true convolution of signal processing: the kernel is
  flipped, ``y[n] = sum_m x[m] k[n - m]``. It equals ``np.convolve``.
* ``corr1d`` slides the kernel without flipping it,
  ``y[n] = sum_m x[n + m] k[m]``. It equals ``np.correlate``.
* ``corr2d`` and ``conv2d`` are *cross-correlations*, as in every deep-learning
  library: ``conv2d`` has exactly the semantics of
  ``torch.nn.functional.conv2d``. Arrays are NCHW (batch, channels, height,
  width) and weights OIHW (out channels, in channels per group, kernel height,
  kernel width).
* Integer and boolean inputs are computed in float64; floating inputs keep their
  precision (float32 in, float32 out).
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, as_int, as_pair, check_ndim

__all__ = ["conv1d", "corr1d", "corr2d", "conv2d", "MODES"]

MODES = ("full", "same", "valid")


def _check_1d(x, k, mode, func):
    x = as_float_array(x, "x", func)
    k = as_float_array(k, "k", func)
    check_ndim(x, 1, "x", func, "(n,)")
    check_ndim(k, 1, "k", func, "(n,)")
    for name, arr in (("x", x), ("k", k)):
        if arr.size == 0:
            raise ValueError(
                f"{func}: {name} is empty; it needs at least one element."
            )
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(
            f"{func}: mode must be one of {MODES}, got {mode!r}."
        )
    return x, k


def _crop(full, n, m, mode):
    """Cut the 'same' or 'valid' part out of a full result of length n + m - 1."""
    short, long = min(n, m), max(n, m)
    if mode == "full":
        return full
    if mode == "same":  # length max(n, m), centred as NumPy centres it
        start = (short - 1) // 2
        return full[start : start + long]
    return full[
        short - 1 : long
    ]  # valid: only positions where the two overlap fully


def conv1d(x, k, mode: str = "full") -> np.ndarray:
    """True 1-D convolution ``y[n] = sum_m x[m] k[n - m]`` (the kernel is flipped).

    Parameters
    ----------
    x, k : 1-D arrays of lengths ``n`` and ``m`` (either may be the longer one).
    mode : ``"full"`` (length ``n + m - 1``), ``"same"`` (length ``max(n, m)``)
        or ``"valid"`` (length ``max(n, m) - min(n, m) + 1``).

    Returns the same array as ``np.convolve(x, k, mode)``.
    """
    x, k = _check_1d(x, k, mode, "conv1d")
    n, m = len(x), len(k)
    full = np.zeros(n + m - 1, dtype=np.result_type(x, k))
    for j, k_j in enumerate(
        k
    ):  # every kernel tap adds a shifted, scaled copy of x
        full[j : j + n] += k_j * x
    return _crop(full, n, m, mode)


def corr1d(x, k, mode: str = "full") -> np.ndarray:
    """1-D cross-correlation ``y[n] = sum_m x[n + m] k[m]`` (no flip).

    Same signature and output lengths as :func:`conv1d`; returns the same array
    as ``np.correlate(x, k, mode)``. It is a convolution with the reversed
    kernel, ``corr1d(x, k) == conv1d(x, k[::-1])``.
    """
    x, k = _check_1d(x, k, mode, "corr1d")
    if len(k) > len(x):
        # corr(x, k)[t] == corr(k, x)[-t]: NumPy computes this case with the
        # roles swapped and the result reversed, which also fixes where "same"
        # is centred. We follow it so that the two always agree.
        return corr1d(k, x, mode)[::-1].copy()
    return conv1d(x, k[::-1], mode)


def corr2d(X, K) -> np.ndarray:
    """2-D cross-correlation of one channel, 'valid' mode.

    ``Y[i, j] = sum_{a, b} X[i + a, j + b] K[a, b]`` for an ``(h, w)`` image
    ``X`` and a ``(kh, kw)`` kernel ``K``; ``Y`` has shape
    ``(h - kh + 1, w - kw + 1)``. The kernel is not flipped.
    """
    X = as_float_array(X, "X", "corr2d")
    K = as_float_array(K, "K", "corr2d")
    check_ndim(X, 2, "X", "corr2d", "(height, width)")
    check_ndim(K, 2, "K", "corr2d", "(height, width)")
    if K.shape[0] > X.shape[0] or K.shape[1] > X.shape[1]:
        raise ValueError(
            f"corr2d: the kernel {K.shape} does not fit inside the image {X.shape}; "
            "'valid' cross-correlation needs kernel height <= image height and kernel width <= image width."
        )
    return conv2d(X[None, None], K[None, None])[0, 0]


def _conv2d_padding(padding, kernel_hw, dilation, stride):
    """Return ((top, bottom), (left, right)) padding, accepting torch's forms."""
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0), (0, 0)
        if padding == "same":
            if stride != (1, 1):
                raise ValueError(
                    "conv2d: padding='same' is only supported with stride 1 (as in PyTorch)."
                )
            pads = []
            for k, d in zip(kernel_hw, dilation):
                total = (
                    d * (k - 1)
                )  # an even total splits evenly; an odd one puts the extra row/column last
                pads.append((total // 2, total - total // 2))
            return tuple(pads)
        raise ValueError(
            f"conv2d: padding must be an int, a pair, 'same' or 'valid', got {padding!r}."
        )
    ph, pw = as_pair(padding, "padding", "conv2d", minimum=0)
    return (ph, ph), (pw, pw)


def conv2d(
    x, w, b=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """2-D cross-correlation with the semantics of ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array of shape ``(N, C_in, H, W)``, or ``(C_in, H, W)`` for one image
        (then the result has no batch axis either).
    w : weights of shape ``(C_out, C_in // groups, kH, kW)``.
    b : optional bias of shape ``(C_out,)``.
    stride, dilation : int or ``(height, width)`` pair, at least 1.
    padding : int or pair (zeros added on both sides), or ``"valid"`` (no
        padding) or ``"same"`` (output as large as the input; stride 1 only).
    groups : the input and output channels are split into this many groups and
        group ``g`` of the output sees only group ``g`` of the input.

    Returns an array of shape ``(N, C_out, H_out, W_out)`` with
    ``H_out = floor((H + pad_top + pad_bottom - dilation*(kH - 1) - 1) / stride) + 1``
    and likewise for ``W_out``.
    """
    func = "conv2d"
    x = as_float_array(x, "x", func)
    w = as_float_array(w, "w", func)
    check_ndim(
        x,
        (3, 4),
        "x",
        func,
        "(N, C, H, W), or (C, H, W) for a single image",
    )
    check_ndim(w, 4, "w", func, "(C_out, C_in // groups, kH, kW)")
    unbatched = x.ndim == 3
    if unbatched:
        x = x[None]
    groups = as_int(groups, "groups", func, minimum=1)
    n, c_in, h, wd = x.shape
    c_out, c_in_g, kh, kw = w.shape
    if c_in % groups:
        raise ValueError(
            f"{func}: groups={groups} does not divide the {c_in} input channels."
        )
    if c_out % groups:
        raise ValueError(
            f"{func}: groups={groups} does not divide the {c_out} output channels (w.shape[0])."
        )
    if c_in_g * groups != c_in:
        raise ValueError(
            f"{func}: channel mismatch: the input has {c_in} channels, so with groups={groups} the weights "
            f"need shape (C_out, {c_in // groups}, kH, kW), but w.shape[1] is {c_in_g}."
        )
    if min(w.shape) == 0 or min(x.shape) == 0:
        raise ValueError(
            f"{func}: empty input {x.shape} or weights {w.shape}."
        )
    stride = as_pair(stride, "stride", func, minimum=1)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    (pt, pb), (pl, pr) = _conv2d_padding(
        padding, (kh, kw), dilation, stride
    )
    if b is not None:
        b = as_float_array(b, "b", func)
        if b.shape != (c_out,):
            raise ValueError(
                f"{func}: bias b must have shape ({c_out},), one value per output channel, got {b.shape}."
            )

    span_h, span_w = dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1
    hp, wp = h + pt + pb, wd + pl + pr
    if span_h > hp or span_w > wp:
        raise ValueError(
            f"{func}: the kernel covers {span_h}x{span_w} pixels (kernel {kh}x{kw}, dilation {dilation}) but the "
            f"padded input is only {hp}x{wp}; use a smaller kernel or dilation, or more padding."
        )
    h_out = (hp - span_h) // stride[0] + 1
    w_out = (wp - span_w) // stride[1] + 1

    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    xg = xp.reshape(n, groups, c_in // groups, hp, wp)
    wg = w.reshape(groups, c_out // groups, c_in_g, kh, kw)
    out = np.zeros(
        (n, groups, c_out // groups, h_out, w_out),
        dtype=np.result_type(x, w),
    )
    for i in range(
        kh
    ):  # one kernel tap at a time: a strided window of the input ...
        for j in range(kw):
            rows = slice(
                i * dilation[0],
                i * dilation[0] + stride[0] * (h_out - 1) + 1,
                stride[0],
            )
            cols = slice(
                j * dilation[1],
                j * dilation[1] + stride[1] * (w_out - 1) + 1,
                stride[1],
            )
            # ... times that tap's (C_out, C_in) weights, summed over input channels
            out += np.einsum(
                "ngchw,goc->ngohw",
                xg[:, :, :, rows, cols],
                wg[:, :, :, i, j],
            )
    out = out.reshape(n, c_out, h_out, w_out)
    if b is not None:
        out = out + b[None, :, None, None]
    return out[0] if unbatched else out


# Pooling lives in its own module; it is part of the ops namespace too.
from .pooling import adaptive_avg_pool2d, avg_pool2d, max_pool2d  # noqa: E402

__all__ += ["max_pool2d", "avg_pool2d", "adaptive_avg_pool2d"]

# Part III: the fast algorithms (chapter 11), the transposed convolution (chapter 12) and deformable
# convolution (chapter 13) live in their own modules and are part of the ops namespace too.
from .fast_conv import (  # noqa: E402
    conv2d_kn2col,
    conv2d_fft,
    conv2d_im2col,
    conv2d_winograd,
    conv_matrix,
    im2col,
)  # noqa: E402
from .deformable import deform_conv2d  # noqa: E402
from .transposed import conv_transpose2d, pixel_shuffle, pixel_unshuffle  # noqa: E402

__all__ += [
    "im2col",
    "conv2d_im2col",
    "conv2d_kn2col",
    "conv2d_fft",
    "conv2d_winograd",
    "conv_matrix",
    "deform_conv2d",
    "conv_transpose2d",
    "pixel_shuffle",
    "pixel_unshuffle",
]
