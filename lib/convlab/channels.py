"""Convolutions with several input and output channels, written to be read.

Conventions (those of PyTorch and of ``convlab.ops.conv2d``)
-------------------------------------------------------------
* Images are ``(C, H, W)``, batches ``(N, C, H, W)`` ("NCHW"); weights are
  ``(O, C, kh, kw)`` ("OIHW"): ``O`` output channels, each with one
  ``(kh, kw)`` kernel per input channel.
* Every "convolution" here is a *cross-correlation* (the kernel is not
  flipped), in "valid" mode (no padding, stride 1).

The functions spell out the two rules of multi-channel convolution:
input channels are **summed** (:func:`corr2d_multi_in`), output channels are
**stacked** (:func:`corr2d_multi_in_out`). :func:`conv1x1` is the 1x1 case as
a matrix product over channels. The counting helpers give the number of
learnable parameters and of multiply-adds of a ``Conv2d`` layer.
"""

from __future__ import annotations

import numpy as np

from . import ops
from .validation import (
    IMAGE_LAYOUT,
    as_bias,
    as_float_array,
    as_int,
    as_pair,
    check_ndim,
)

__all__ = [
    "corr2d_multi_in",
    "corr2d_multi_in_out",
    "conv1x1",
    "conv2d_parameter_count",
    "conv2d_multiply_adds",
    "to_nhwc",
    "to_nchw",
]


def corr2d_multi_in(X, K) -> np.ndarray:
    """``Y = sum_c corr2d(X[c], K[c])`` for an image ``X`` of shape ``(C, h, w)``
    and a kernel ``K`` of shape ``(C, kh, kw)``; ``Y`` has shape
    ``(h - kh + 1, w - kw + 1)``: one output channel."""
    func = "corr2d_multi_in"
    X = as_float_array(X, "X", func)
    K = as_float_array(K, "K", func)
    check_ndim(X, 3, "X", func, "(C, height, width)")
    check_ndim(
        K,
        3,
        "K",
        func,
        "(C, kernel height, kernel width), one kernel per input channel",
    )
    if X.shape[0] != K.shape[0]:
        raise ValueError(
            f"{func}: X has {X.shape[0]} channels but K has {K.shape[0]} kernels; "
            "a multi-input kernel needs exactly one (kh, kw) slice per input channel."
        )
    if X.shape[0] == 0:
        raise ValueError(
            f"{func}: X has no channels (shape {X.shape}); it needs at least one."
        )
    return sum(ops.corr2d(X_c, K_c) for X_c, K_c in zip(X, K))


def corr2d_multi_in_out(X, K) -> np.ndarray:
    """Stack one :func:`corr2d_multi_in` per output channel.

    ``X`` has shape ``(C, h, w)``, ``K`` shape ``(O, C, kh, kw)``; the result
    has shape ``(O, h - kh + 1, w - kw + 1)`` and equals
    ``ops.conv2d(X, K)``.
    """
    func = "corr2d_multi_in_out"
    K = as_float_array(K, "K", func)
    check_ndim(K, 4, "K", func, "(O, C, kernel height, kernel width)")
    return np.stack([corr2d_multi_in(X, K_o) for K_o in K])


def conv1x1(x, w, b=None) -> np.ndarray:
    """A 1x1 convolution as a matrix product over channels at every pixel.

    ``x``: ``(N, C, H, W)`` or ``(C, H, W)``; ``w``: ``(O, C)`` or the
    equivalent ``(O, C, 1, 1)`` conv weights; ``b``: optional ``(O,)``.
    Returns ``y[n, o, i, j] = sum_c w[o, c] x[n, c, i, j] + b[o]``, of shape
    ``(N, O, H, W)`` (or ``(O, H, W)``): the same dense layer applied to the
    channel vector of every pixel.
    """
    func = "conv1x1"
    x = as_float_array(x, "x", func)
    w = as_float_array(w, "w", func)
    check_ndim(x, (3, 4), "x", func, IMAGE_LAYOUT)
    check_ndim(
        w, (2, 4), "w", func, "(O, C), or (O, C, 1, 1) as conv weights"
    )
    if w.ndim == 4:
        if w.shape[2:] != (1, 1):
            raise ValueError(
                f"{func}: conv weights must have a 1x1 kernel, shape (O, C, 1, 1), got {w.shape}."
            )
        w = w[:, :, 0, 0]
    c_in = x.shape[-3]
    if w.shape[1] != c_in:
        raise ValueError(
            f"{func}: x has {c_in} channels but w has shape {w.shape}; "
            f"w needs one column per input channel, shape (O, {c_in})."
        )
    b = as_bias(b, w.shape[0], func)
    y = np.einsum("oc,...chw->...ohw", w, x)
    if b is not None:
        y = y + b[:, None, None]
    return y


def _layer_sizes(in_channels, out_channels, kernel_size, groups, func):
    c_in = as_int(in_channels, "in_channels", func, minimum=1)
    c_out = as_int(out_channels, "out_channels", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    g = as_int(groups, "groups", func, minimum=1)
    if c_in % g or c_out % g:
        raise ValueError(
            f"{func}: groups={g} must divide both in_channels={c_in} and out_channels={c_out}."
        )
    return c_in, c_out, kh, kw, g


def conv2d_parameter_count(
    in_channels: int,
    out_channels: int,
    kernel_size,
    bias: bool = True,
    groups: int = 1,
) -> int:
    """Learnable parameters of ``torch.nn.Conv2d`` with these arguments:
    ``O * (C / groups) * kh * kw`` weights, plus ``O`` biases if ``bias``."""
    func = "conv2d_parameter_count"
    c_in, c_out, kh, kw, g = _layer_sizes(
        in_channels, out_channels, kernel_size, groups, func
    )
    if not isinstance(bias, bool):
        raise TypeError(
            f"{func}: bias must be True or False, got {bias!r}."
        )
    return c_out * (c_in // g) * kh * kw + (c_out if bias else 0)


def conv2d_multiply_adds(
    in_channels: int,
    out_channels: int,
    kernel_size,
    output_size,
    groups: int = 1,
) -> int:
    """Multiply-adds of one image through a conv layer:
    ``O * (C / groups) * kh * kw * H_out * W_out`` (one per weight per output
    pixel; the bias adds are not counted). ``output_size`` is ``(H_out, W_out)``
    or an int for a square output. A FLOP count is usually twice this."""
    func = "conv2d_multiply_adds"
    c_in, c_out, kh, kw, g = _layer_sizes(
        in_channels, out_channels, kernel_size, groups, func
    )
    h_out, w_out = as_pair(output_size, "output_size", func, minimum=1)
    return c_out * (c_in // g) * kh * kw * h_out * w_out


def to_nhwc(x) -> np.ndarray:
    """``(N, C, H, W) -> (N, H, W, C)``: move the channel axis last (a transpose view)."""
    x = np.asarray(x)
    check_ndim(x, 4, "x", "to_nhwc", "(N, C, H, W)")
    return x.transpose(0, 2, 3, 1)


def to_nchw(x) -> np.ndarray:
    """``(N, H, W, C) -> (N, C, H, W)``: the inverse of :func:`to_nhwc`."""
    x = np.asarray(x)
    check_ndim(x, 4, "x", "to_nchw", "(N, H, W, C)")
    return x.transpose(0, 3, 1, 2)
