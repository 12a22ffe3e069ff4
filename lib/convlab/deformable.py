"""Deformable convolution: a convolution whose taps are moved by learned offsets.

An ordinary ``kH x kW`` convolution reads, for output pixel ``(i, j)``, the input at the regular grid

    p_k = (i * s_h - pad_h + a * d_h,  j * s_w - pad_w + b * d_w),   tap k = a * kW + b,

(``s`` stride, ``pad`` padding, ``d`` dilation). A *deformable* convolution (Dai et al., 2017) adds an offset
``(dy, dx)`` to every tap of every output pixel and reads the input at ``p_k + (dy, dx)``. Offsets are real
numbers, so the input is read between pixels by **bilinear interpolation**; the input is zero outside the
image (which is also what zero padding means).

Conventions (those of ``torchvision.ops.deform_conv2d``, one offset group, no modulation mask)
--------------------------------------------------------------------------------------------
* ``x`` is ``(N, C_in, H, W)``, ``w`` is ``(C_out, C_in, kH, kW)`` (OIHW, no groups), ``b`` is ``(C_out,)``.
* ``offset`` is ``(N, 2 * kH * kW, H_out, W_out)``: channel ``2k`` is the **row (y) offset** of tap
  ``k = a * kW + b`` and channel ``2k + 1`` its **column (x) offset**, both in pixels.
* Like every "convolution" in deep learning it is a cross-correlation (the kernel is not flipped), and
  with all offsets zero it equals ``torch.nn.functional.conv2d(x, w, b, stride, padding, dilation)``.

The code is PyTorch, so gradients with respect to ``x``, ``offset`` and ``w`` come from autograd.
"""

from __future__ import annotations

import numpy as np
import torch

from .arith import conv_output_size
from .validation import as_pair, check_ndim, check_shape

__all__ = ["bilinear_sample", "sampling_locations", "deform_conv2d"]


def _as_tensor(value, name: str, func: str) -> torch.Tensor:
    """A real floating tensor (integers and booleans become float64)."""
    if value is None:
        raise TypeError(
            f"{func}: {name} is None; pass an array or tensor of numbers."
        )
    if not isinstance(value, torch.Tensor):
        try:
            value = torch.as_tensor(np.asarray(value))
        except (TypeError, ValueError, RuntimeError) as exc:
            raise TypeError(
                f"{func}: {name} could not be read as an array of numbers ({exc})."
            ) from None
    if value.is_complex():
        raise TypeError(
            f"{func}: {name} is complex; only real-valued inputs are supported."
        )
    if not value.is_floating_point():
        value = value.to(torch.float64)
    return value


def bilinear_sample(img, y, x) -> torch.Tensor:
    """Read ``img`` at real-valued positions by bilinear interpolation, with zeros outside the image.

    ``img`` is ``(N, C, H, W)``; ``y`` (rows) and ``x`` (columns) have the same shape ``(N, ...)``.
    Returns ``(N, C, ...)``. With ``y0 = floor(y)``, ``ty = y - y0`` (and likewise for ``x``),

        value = (1-ty)(1-tx) img[y0, x0] + (1-ty) tx img[y0, x0+1] + ty (1-tx) img[y0+1, x0] + ty tx img[y0+1, x0+1],

    where a corner outside the image counts as 0. At integer positions this is ``img[y, x]`` exactly.
    """
    func = "bilinear_sample"
    img, y, x = (
        _as_tensor(img, "img", func),
        _as_tensor(y, "y", func),
        _as_tensor(x, "x", func),
    )
    check_ndim(img, 4, "img", func, "(N, C, H, W)")
    if y.shape != x.shape or y.ndim < 1 or y.shape[0] != img.shape[0]:
        raise ValueError(
            f"{func}: y and x must have the same shape (N, ...) with N = {img.shape[0]} images, "
            f"got y {tuple(y.shape)} and x {tuple(x.shape)}."
        )
    n, c, h, w = img.shape
    y0, x0 = torch.floor(y), torch.floor(x)
    ty, tx = (
        y - y0,
        x - x0,
    )  # fractional parts in [0, 1): the interpolation weights
    flat = img.reshape(n, c, h * w)
    out = 0
    for dy, wy in (
        (0, 1 - ty),
        (1, ty),
    ):  # the four neighbouring pixels and their weights
        for dx, wx in ((0, 1 - tx), (1, tx)):
            rows, cols = (y0 + dy).long(), (x0 + dx).long()
            inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
            index = (
                (rows.clamp(0, h - 1) * w + cols.clamp(0, w - 1))
                .reshape(n, 1, -1)
                .expand(n, c, -1)
            )
            values = torch.gather(flat, 2, index).reshape(
                n, c, *y.shape[1:]
            )
            out = out + (wy * wx * inside).unsqueeze(1) * values
    return out


def _regular_grid(h_out, w_out, kh, kw, stride, padding, dilation, dtype):
    """Rows and columns ``(kH*kW, H_out, W_out)`` of the taps of an ordinary convolution."""
    a, b = torch.meshgrid(torch.arange(kh), torch.arange(kw), indexing="ij")
    i, j = torch.meshgrid(
        torch.arange(h_out), torch.arange(w_out), indexing="ij"
    )
    rows = i * stride[0] - padding[0] + a.reshape(-1, 1, 1) * dilation[0]
    cols = j * stride[1] - padding[1] + b.reshape(-1, 1, 1) * dilation[1]
    return rows.to(dtype), cols.to(dtype)


def sampling_locations(
    offset, kernel_size, stride=1, padding=0, dilation=1
) -> torch.Tensor:
    """Where a deformable convolution reads the input.

    ``offset`` is ``(N, 2*kH*kW, H_out, W_out)`` (layout as in :func:`deform_conv2d`). Returns a tensor of shape
    ``(N, kH*kW, 2, H_out, W_out)``: for every tap ``k`` the row (index 0) and column (index 1) of the point it
    samples, i.e. the regular grid of the ordinary convolution plus the offsets.
    """
    func = "sampling_locations"
    offset = _as_tensor(offset, "offset", func)
    check_ndim(offset, 4, "offset", func, "(N, 2*kH*kW, H_out, W_out)")
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    stride = as_pair(stride, "stride", func, minimum=1)
    padding = as_pair(padding, "padding", func, minimum=0)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    n, two_k, h_out, w_out = offset.shape
    if two_k != 2 * kh * kw:
        raise ValueError(
            f"{func}: a {kh}x{kw} kernel has {kh * kw} taps, so offset needs 2*{kh * kw} = "
            f"{2 * kh * kw} channels (a row and a column offset per tap), got {two_k}."
        )
    rows, cols = _regular_grid(
        h_out, w_out, kh, kw, stride, padding, dilation, offset.dtype
    )
    off = offset.reshape(n, kh * kw, 2, h_out, w_out)
    return torch.stack([rows + off[:, :, 0], cols + off[:, :, 1]], dim=2)


def deform_conv2d(
    x, offset, w, b=None, stride=1, padding=0, dilation=1, mask=None
):
    """Deformable 2-D convolution (cross-correlation), with the semantics of ``torchvision.ops.deform_conv2d``.

    Parameters
    ----------
    x : ``(N, C_in, H, W)`` input.
    offset : ``(N, 2*kH*kW, H_out, W_out)``; channel ``2k`` is the row (y) offset and ``2k + 1`` the column (x)
        offset of tap ``k = a*kW + b`` at each output pixel. ``H_out, W_out`` are the output size of the
        ordinary convolution with the same stride, padding and dilation.
    w : ``(C_out, C_in, kH, kW)`` weights (no groups); ``b`` : optional ``(C_out,)`` bias.
    stride, padding, dilation : int or ``(height, width)`` pair, as in ``conv2d`` (padding is zeros).
    mask : optional ``(N, kH*kW, H_out, W_out)`` modulation of DCNv2 (Zhu et al., 2019): channel ``k``
        multiplies the sample of tap ``k`` at each output pixel. Like the offsets it is predicted per tap
        *and* per output position (usually by the same convolution, through a sigmoid), so it is not a
        weight of the kernel. ``None`` is deformable convolution v1 (all ones).

    Output pixel ``(i, j)`` is ``sum_{c, k} w[o, c, k] * x_c(p_k + offset_k)`` (+ ``b[o]``), where ``p_k`` is the
    ordinary tap position and ``x_c(.)`` bilinear interpolation with zeros outside the image
    (:func:`bilinear_sample`). Returns ``(N, C_out, H_out, W_out)``: a torch tensor when ``x`` is one, else a
    NumPy array. All-zero offsets give exactly ``torch.nn.functional.conv2d``.
    """
    func = "deform_conv2d"
    return_numpy = not isinstance(x, torch.Tensor)
    x, offset, w = (
        _as_tensor(x, "x", func),
        _as_tensor(offset, "offset", func),
        _as_tensor(w, "w", func),
    )
    check_ndim(x, 4, "x", func, "(N, C_in, H, W)")
    check_ndim(w, 4, "w", func, "(C_out, C_in, kH, kW)")
    check_ndim(offset, 4, "offset", func, "(N, 2*kH*kW, H_out, W_out)")
    n, c_in, h, wd = x.shape
    c_out, c_w, kh, kw = w.shape
    for name, t in (("the input x is", x), ("the weights w are", w)):
        if min(t.shape) == 0:
            raise ValueError(
                f"{func}: {name} empty (shape {tuple(t.shape)})."
            )
    if c_w != c_in:
        raise ValueError(
            f"{func}: the input has {c_in} channels but w.shape[1] is {c_w}; w must be "
            f"(C_out, {c_in}, kH, kW) (groups are not supported)."
        )
    stride = as_pair(stride, "stride", func, minimum=1)
    padding = as_pair(padding, "padding", func, minimum=0)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    try:
        h_out = conv_output_size(h, kh, stride[0], padding[0], dilation[0])
        w_out = conv_output_size(wd, kw, stride[1], padding[1], dilation[1])
    except ValueError as exc:
        raise ValueError(
            f"{func}: no output for input {h}x{wd} and kernel {kh}x{kw} with these settings "
            f"({exc})."
        ) from None
    taps = kh * kw
    if offset.shape[1] != 2 * taps:
        more = (
            " Several offset groups (a multiple of that) are not supported: use one group."
            if offset.shape[1] % (2 * taps) == 0
            else ""
        )
        raise ValueError(
            f"{func}: a {kh}x{kw} kernel has {taps} taps, so offset needs 2*{taps} = {2 * taps} "
            f"channels (channel 2k: row offset of tap k, 2k+1: column offset), got "
            f"{offset.shape[1]}.{more}"
        )
    if offset.shape[0] != n or tuple(offset.shape[2:]) != (h_out, w_out):
        raise ValueError(
            f"{func}: offset must have shape (N, 2*kH*kW, H_out, W_out) = {(n, 2 * taps, h_out, w_out)} "
            f"(one offset pair per tap and output pixel), got {tuple(offset.shape)}."
        )
    if b is not None:
        b = _as_tensor(b, "b", func)
        what = ("bias b", "one value per output channel")
        check_shape(b.shape, (c_out,), what, func)
    if mask is not None:
        mask = _as_tensor(mask, "mask", func)
        if tuple(mask.shape) != (n, taps, h_out, w_out):
            raise ValueError(
                f"{func}: mask must have shape (N, kH*kW, H_out, W_out) = "
                f"{(n, taps, h_out, w_out)} (one factor per tap and output "
                f"pixel), got {tuple(mask.shape)}."
            )
    dtype = torch.promote_types(
        torch.promote_types(x.dtype, offset.dtype), w.dtype
    )
    x, offset, w = x.to(dtype), offset.to(dtype), w.to(dtype)

    where = sampling_locations(
        offset, (kh, kw), stride, padding, dilation
    )  # (N, K, 2, H_out, W_out)
    cols = bilinear_sample(
        x, where[:, :, 0], where[:, :, 1]
    )  # (N, C_in, K, H_out, W_out)
    if mask is not None:
        cols = cols * mask.to(dtype)[:, None]
    out = torch.einsum(
        "nckhw,ock->nohw", cols, w.reshape(c_out, c_in, taps)
    )  # sum over channels and taps
    if b is not None:
        out = out + b.to(dtype).reshape(1, c_out, 1, 1)
    return out.detach().numpy() if return_numpy else out
