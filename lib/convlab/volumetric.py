"""3-D convolution: kernels that slide over depth, height and width.

Video (time x height x width) and volumetric scans (depth x height x width)
are 3-D signals with channels. Layout NCDHW for inputs ``x``
``(N, C_in, D, H, W)`` and OIDHW for weights ``w`` ``(C_out, C_in, kD, kH, kW)``,
as ``torch.nn.functional.conv3d``; like it (and like every deep-learning
"convolution"), :func:`conv3d` computes a cross-correlation: the kernel is not
flipped. Output size along each axis is ``floor((n + 2p - d (k - 1) - 1) / s) + 1``.
"""

from __future__ import annotations

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .arith import conv_output_size
from .validation import (
    as_bias,
    as_float_array,
    as_int,
    as_tuple,
    check_ndim,
)

__all__ = ["conv3d", "conv3d_parameter_count"]


def conv3d(x, w, b=None, stride=1, padding=0, dilation=1) -> np.ndarray:
    """3-D cross-correlation of ``x`` ``(N, C_in, D, H, W)`` with ``w``
    ``(C_out, C_in, kD, kH, kW)`` (+ bias ``b`` ``(C_out,)``), zero padding
    on both sides of every axis; returns ``(N, C_out, D', H', W')``.

    ``y[n, o, t, i, j] = b[o] + sum_{c, a, p, q} w[o, c, a, p, q]
    x[n, c, t s + a d - pad, i s + p d - pad, j s + q d - pad]``.
    """
    func = "conv3d"
    x = as_float_array(x, "x", func)
    w = as_float_array(w, "w", func)
    check_ndim(x, 5, "x", func, "(N, C_in, D, H, W)")
    check_ndim(w, 5, "w", func, "(C_out, C_in, kD, kH, kW)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(
            f"{func}: x has {x.shape[1]} channels but w expects "
            f"{w.shape[1]} (w.shape[1] must equal x.shape[1])."
        )
    s = as_tuple(stride, 3, "stride", func, minimum=1)
    p = as_tuple(padding, 3, "padding", func, minimum=0)
    d = as_tuple(dilation, 3, "dilation", func, minimum=1)
    b = as_bias(b, w.shape[0], func)
    k = w.shape[2:]
    try:
        out = [
            conv_output_size(n, kk, ss, pp, dd)
            for n, kk, ss, pp, dd in zip(x.shape[2:], k, s, p, d)
        ]
    except ValueError as exc:
        raise ValueError(f"{func}: no output for these sizes ({exc}).")
    xp = np.pad(x, [(0, 0), (0, 0)] + [(q, q) for q in p])
    span = [dd * (kk - 1) + 1 for kk, dd in zip(k, d)]
    win = sliding_window_view(xp, span, axis=(2, 3, 4))
    win = win[..., :: d[0], :: d[1], :: d[2]]  # the dilated taps
    win = win[
        :, :, :: s[0], :: s[1], :: s[2]
    ]  # (N, C, D', H', W', kD, kH, kW)
    win = win[:, :, : out[0], : out[1], : out[2]]
    y = np.einsum("ncdhwabe,ocabe->nodhw", win, w, optimize=True)
    if b is not None:
        y = y + b[None, :, None, None, None]
    return y


def conv3d_parameter_count(
    c_in: int, c_out: int, k, bias: bool = True
) -> int:
    """Weights ``C_out C_in kD kH kW`` (+ ``C_out`` biases) of a 3-D layer."""
    func = "conv3d_parameter_count"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = as_int(c_out, "c_out", func, minimum=1)
    kd, kh, kw = as_tuple(k, 3, "k", func, minimum=1)
    return c_out * c_in * kd * kh * kw + (c_out if bias else 0)
