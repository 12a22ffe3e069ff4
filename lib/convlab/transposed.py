"""The backward pass of a convolution, the transposed convolution and pixel shuffle.

Conventions (as in :func:`convlab.ops.conv2d` and PyTorch): arrays are NCHW, the
forward layer is a *cross-correlation* with weights ``w`` of shape
``(C_out, C_in // groups, kH, kW)``.

* :func:`conv_transpose2d` has exactly the semantics of
  ``torch.nn.functional.conv_transpose2d``: its weights have shape
  ``(C_in, C_out // groups, kH, kW)``, so the weights of a ``conv2d`` from
  ``C`` to ``C'`` channels are the weights of a ``conv_transpose2d`` from ``C'``
  back to ``C`` channels. Every input pixel *scatters* a copy of the kernel,
  scaled by its value, into the output, at a spacing of ``stride``; overlaps add.
  It is the adjoint (the matrix transpose) of ``conv2d``, not its inverse.
* :func:`conv2d_backward` returns the gradients of a loss with respect to the
  input, weights and bias of ``conv2d``, given the gradient with respect to its
  output: ``grad_x`` is a transposed convolution of ``grad_out``, ``grad_w`` a
  cross-correlation of ``x`` with ``grad_out``, ``grad_b`` a sum.
* :class:`Conv2dFunction` (and :func:`conv2d_autograd`) wraps the NumPy forward
  and backward as a ``torch.autograd.Function``.
* :func:`pixel_shuffle` / :func:`pixel_unshuffle` rearrange ``(N, C r^2, H, W)``
  into ``(N, C, H r, W r)`` and back, as ``torch.nn.functional.pixel_shuffle``.
* :func:`tap_counts` counts how many (input pixel, kernel tap) pairs land on
  each output pixel of a transposed convolution: uneven counts are the
  checkerboard artefact.
"""

from __future__ import annotations

import numpy as np
import torch

from .arith import conv_transpose_output_size
from .ops import conv2d
from .validation import (
    as_bias,
    as_float_array,
    as_image_batch,
    as_int,
    as_pair,
    as_weights,
    check_conv_args,
    check_groups,
    check_ndim,
)

__all__ = [
    "conv_transpose2d",
    "conv2d_backward",
    "Conv2dFunction",
    "conv2d_autograd",
    "insert_zeros",
    "pixel_shuffle",
    "pixel_unshuffle",
    "tap_counts",
]


def _tap(i, j, dilation, stride, hw):
    """The (rows, cols) slices of tap (i, j) on the padded grid: where it
    reads (forward) or writes (transposed) for an ``hw`` grid of windows,
    starting at ``dilation * (i, j)``, every ``stride`` cells."""
    return tuple(
        slice(t * d, t * d + s * (n - 1) + 1, s)
        for t, d, s, n in zip((i, j), dilation, stride, hw)
    )


def _scatter(g, w, stride, dilation, groups, full_hw):
    """Scatter every pixel of ``g`` (N, C_in, H, W) with the kernel ``w`` (C_in, C_out/groups, kH, kW)
    into a zero array of spatial size ``full_hw``: pixel (h, x) and tap (i, j) land on
    (h*stride + i*dilation, x*stride + j*dilation). Returns (N, C_out, *full_hw)."""
    n, c_in, h, wd = g.shape
    _, c_out_g, kh, kw = w.shape
    gg = g.reshape(n, groups, c_in // groups, h, wd)
    wg = w.reshape(groups, c_in // groups, c_out_g, kh, kw)
    out = np.zeros(
        (n, groups, c_out_g) + tuple(full_hw), dtype=np.result_type(g, w)
    )
    for i in range(kh):
        for j in range(kw):
            rows, cols = _tap(i, j, dilation, stride, (h, wd))
            out[:, :, :, rows, cols] += np.einsum(
                "ngchw,gco->ngohw", gg, wg[:, :, :, i, j]
            )
    return out.reshape(n, groups * c_out_g, *full_hw)


def conv_transpose2d(
    x,
    w,
    b=None,
    stride=1,
    padding=0,
    output_padding=0,
    dilation=1,
    groups: int = 1,
) -> np.ndarray:
    """Transposed 2-D convolution with the semantics of ``torch.nn.functional.conv_transpose2d``.

    Parameters
    ----------
    x : array ``(N, C_in, H, W)``, or ``(C_in, H, W)`` for one image.
    w : weights ``(C_in, C_out // groups, kH, kW)`` (note: *input* channels first).
    b : optional bias ``(C_out,)``.
    stride, dilation : int or (height, width) pair, at least 1.
    padding : int or pair: crops ``padding`` rows/columns from each side of the full result
        (the ``padding`` of the convolution this one is the transpose of).
    output_padding : int or pair, smaller than the stride or the dilation: keeps that many
        extra rows/columns at the bottom/right (it picks one of the input sizes that a strided
        convolution maps to the same output size).
    groups : channels are split into this many independent groups.

    Returns ``(N, C_out, H_out, W_out)`` with
    ``H_out = (H - 1)*stride - 2*padding + dilation*(kH - 1) + output_padding + 1``.
    """
    func = "conv_transpose2d"
    x, unbatched = as_image_batch(
        x, func, "(N, C_in, H, W), or (C_in, H, W) for a single image"
    )
    w = as_weights(w, func, "(C_in, C_out // groups, kH, kW)")
    c_in = x.shape[1]
    groups = check_groups(groups, c_in, None, func)
    if w.shape[0] != c_in:
        raise ValueError(
            f"{func}: channel mismatch: the input has {c_in} channels, so "
            f"the weights need shape ({c_in}, C_out // groups, kH, kW) "
            f"(input channels first), but w.shape[0] is {w.shape[0]}."
        )
    stride = as_pair(stride, "stride", func, minimum=1)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    padding = as_pair(padding, "padding", func, minimum=0)
    output_padding = as_pair(
        output_padding, "output_padding", func, minimum=0
    )
    for axis, op, st, d in zip(
        ("height", "width"), output_padding, stride, dilation
    ):
        if op >= st and op >= d:
            raise ValueError(
                f"{func}: output_padding ({axis}) must be smaller than the stride or the dilation, "
                f"got output_padding={op}, stride={st}, dilation={d}."
            )
    b = as_bias(b, w.shape[1] * groups, func)
    full = [
        (n - 1) * s + d * (k - 1) + 1
        for n, s, d, k in zip(x.shape[2:], stride, dilation, w.shape[2:])
    ]
    size = [
        f - 2 * p + op for f, p, op in zip(full, padding, output_padding)
    ]
    if min(size) < 1:
        raise ValueError(
            f"{func}: no output: cropping padding={padding} from each side of the {full[0]}x{full[1]} "
            f"full result leaves nothing (output would be {size[0]}x{size[1]}); use less padding."
        )
    # output_padding rows lie beyond the full result: allocate them (zeros) before cropping.
    out = _scatter(
        x,
        w,
        stride,
        dilation,
        groups,
        [f + op for f, op in zip(full, output_padding)],
    )
    out = out[
        :,
        :,
        padding[0] : padding[0] + size[0],
        padding[1] : padding[1] + size[1],
    ]
    if b is not None:
        out = out + b[None, :, None, None]
    return out[0] if unbatched else out


def insert_zeros(y, stride) -> np.ndarray:
    """Put ``stride - 1`` zeros between neighbouring pixels of the last two axes of ``y``
    (``(..., H, W)`` becomes ``(..., (H-1)*s_h + 1, (W-1)*s_w + 1)``): the "dilated" gradient
    of a strided convolution."""
    func = "insert_zeros"
    y = as_float_array(y, "y", func)
    if y.ndim < 2:
        raise ValueError(
            f"{func}: y must have at least 2 dimensions (..., H, W), got shape {y.shape}."
        )
    s = as_pair(stride, "stride", func, minimum=1)
    h, wd = y.shape[-2:]
    out = np.zeros(
        y.shape[:-2] + ((h - 1) * s[0] + 1, (wd - 1) * s[1] + 1),
        dtype=y.dtype,
    )
    out[..., :: s[0], :: s[1]] = y
    return out


def conv2d_backward(
    x, w, grad_out, stride=1, padding=0, dilation=1, groups: int = 1
):
    """Gradients of ``y = conv2d(x, w, b, stride, padding, dilation, groups)``.

    Given ``grad_out = dL/dy`` of shape ``(N, C_out, H_out, W_out)`` (the shape of the forward output),
    returns ``(grad_x, grad_w, grad_b)`` with the shapes of ``x`` ``(N, C_in, H, W)``, ``w``
    ``(C_out, C_in // groups, kH, kW)`` and the bias ``(C_out,)``. With ``x_p`` the zero-padded input,

    * ``grad_x``: ``conv_transpose2d(grad_out, w, stride=stride, dilation=dilation, groups=groups)``
      onto the padded grid (every output gradient scatters the kernel back onto the window it read),
      cropped to the real pixels;
    * ``grad_w[o, c, i, j] = sum_{n, h, v} grad_out[n, o, h, v] * x_p[n, c', h*s + i*d, v*s + j*d]``
      (``c'`` the input channel of group ``o // (C_out/groups)``): a cross-correlation of ``x_p``
      with ``grad_out``;
    * ``grad_b[o] = sum_{n, h, v} grad_out[n, o, h, v]``.

    ``padding`` may be an int, a pair, ``"valid"`` or ``"same"``, as for ``conv2d``; a single image
    (3-D ``x`` and ``grad_out``) is accepted too.
    """
    func = "conv2d_backward"
    c = check_conv_args(x, w, None, stride, padding, dilation, groups, func)
    x, w, stride, dilation, groups = (
        c.x,
        c.w,
        c.stride,
        c.dilation,
        c.groups,
    )
    grad_out = as_float_array(grad_out, "grad_out", func)
    check_ndim(
        grad_out,
        3 if c.unbatched else 4,
        "grad_out",
        func,
        "(C_out, H_out, W_out), like x without a batch axis"
        if c.unbatched
        else "(N, C_out, H_out, W_out)",
    )
    expected = (x.shape[0], w.shape[0], *c.out_hw)
    if grad_out.shape != expected[c.unbatched :]:
        raise ValueError(
            f"{func}: grad_out must have the shape of the forward output "
            f"{expected[c.unbatched :]}, got {grad_out.shape}."
        )
    grad_out = grad_out.reshape(expected)
    n, c_in, h, wd = x.shape
    c_out, c_in_g, kh, kw = w.shape
    (pt, pb), (pl, pr) = c.pads
    hp, wp = h + pt + pb, wd + pl + pr
    # dL/dx_p: the conv weights (C_out, C_in/groups, ...) read as transposed-conv weights
    # (C_in_t = C_out, C_out_t/groups = C_in/groups, ...) scatter grad_out onto the padded grid.
    grad_x = _scatter(grad_out, w, stride, dilation, groups, (hp, wp))[
        :, :, pt : pt + h, pl : pl + wd
    ]
    # dL/dw: one tap at a time, the strided window of x_p that this tap read, times grad_out.
    xg = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr))).reshape(
        n, groups, c_in_g, hp, wp
    )
    gg = grad_out.reshape(n, groups, c_out // groups, *grad_out.shape[2:])
    h_out, w_out = grad_out.shape[2:]
    grad_w = np.zeros(
        (groups, c_out // groups, c_in_g, kh, kw),
        dtype=np.result_type(x, grad_out),
    )
    for i in range(kh):
        for j in range(kw):
            rows, cols = _tap(i, j, dilation, stride, (h_out, w_out))
            grad_w[..., i, j] = np.einsum(
                "ngohw,ngchw->goc", gg, xg[:, :, :, rows, cols]
            )
    grad_b = grad_out.sum(axis=(0, 2, 3))
    return (
        (grad_x[0] if c.unbatched else grad_x),
        grad_w.reshape(w.shape),
        grad_b,
    )


class Conv2dFunction(torch.autograd.Function):
    """``conv2d`` as a ``torch.autograd.Function``: forward by :func:`convlab.ops.conv2d` (NumPy),
    backward by :func:`conv2d_backward`. Use it through :func:`conv2d_autograd`."""

    @staticmethod
    def forward(ctx, x, w, b, stride, padding, dilation, groups):
        ctx.save_for_backward(x, w)
        ctx.conf = (stride, padding, dilation, groups)
        y = conv2d(
            x.detach().numpy(),
            w.detach().numpy(),
            None if b is None else b.detach().numpy(),
            stride,
            padding,
            dilation,
            groups,
        )
        return torch.from_numpy(np.ascontiguousarray(y))

    @staticmethod
    def backward(ctx, grad_y):
        x, w = ctx.saved_tensors
        grad_x, grad_w, grad_b = conv2d_backward(
            x.detach().numpy(),
            w.detach().numpy(),
            grad_y.detach().numpy(),
            *ctx.conf,
        )
        as_tensor = lambda a, like: torch.from_numpy(
            np.ascontiguousarray(a)
        ).to(like.dtype)
        gx = as_tensor(grad_x, x) if ctx.needs_input_grad[0] else None
        gw = as_tensor(grad_w, w) if ctx.needs_input_grad[1] else None
        gb = as_tensor(grad_b, grad_y) if ctx.needs_input_grad[2] else None
        return gx, gw, gb, None, None, None, None


def conv2d_autograd(
    x, w, b=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> torch.Tensor:
    """``torch.nn.functional.conv2d`` computed by convlab's NumPy forward and backward passes.

    ``x``, ``w`` (and ``b``) are CPU tensors of the same floating dtype; the result has a
    ``grad_fn`` whenever one of them requires a gradient, so ``loss.backward()`` works through it.
    """
    func = "conv2d_autograd"
    tensors = {"x": x, "w": w} if b is None else {"x": x, "w": w, "b": b}
    for name, t in tensors.items():
        if not isinstance(t, torch.Tensor):
            raise TypeError(
                f"{func}: {name} must be a torch.Tensor, got {type(t).__name__}; "
                "use convlab.ops.conv2d for NumPy arrays."
            )
        if not t.is_floating_point() or t.device.type != "cpu":
            raise TypeError(
                f"{func}: {name} must be a floating-point CPU tensor, got {t.dtype} on {t.device}."
            )
    if len({t.dtype for t in tensors.values()}) > 1:
        raise TypeError(
            f"{func}: x, w and b must have the same dtype, got "
            + ", ".join(f"{name} {t.dtype}" for name, t in tensors.items())
            + "."
        )
    return Conv2dFunction.apply(x, w, b, stride, padding, dilation, groups)


def _shuffle_args(x, r, func, name="upscale_factor"):
    x = as_float_array(x, "x", func)
    if x.ndim < 3:
        raise ValueError(
            f"{func}: x must have shape (..., C, H, W) with at least 3 dimensions, got shape {x.shape}."
        )
    return x, as_int(r, name, func, minimum=1)


def pixel_shuffle(x, upscale_factor: int) -> np.ndarray:
    """Rearrange ``(..., C r^2, H, W)`` into ``(..., C, H r, W r)``, as ``torch.nn.functional.pixel_shuffle``:
    ``out[..., c, h*r + i, v*r + j] = x[..., c*r^2 + i*r + j, h, v]``. Channel ``c*r^2 + i*r + j`` holds
    the pixels at offset ``(i, j)`` of every ``r x r`` block of output channel ``c``."""
    func = "pixel_shuffle"
    x, r = _shuffle_args(x, upscale_factor, func)
    *lead, c, h, wd = x.shape
    if c % (r * r):
        raise ValueError(
            f"{func}: the {c} channels must be divisible by upscale_factor**2 = {r * r} "
            f"(each output channel takes r^2 input channels)."
        )
    lo = len(lead)
    y = x.reshape(*lead, c // (r * r), r, r, h, wd)  # (..., C, i, j, H, W)
    y = y.transpose(
        *range(lo), lo, lo + 3, lo + 1, lo + 4, lo + 2
    )  # (..., C, H, i, W, j)
    return y.reshape(*lead, c // (r * r), h * r, wd * r)


def pixel_unshuffle(x, downscale_factor: int) -> np.ndarray:
    """The inverse of :func:`pixel_shuffle`: ``(..., C, H r, W r)`` to ``(..., C r^2, H, W)``, as
    ``torch.nn.functional.pixel_unshuffle``."""
    func = "pixel_unshuffle"
    x, r = _shuffle_args(x, downscale_factor, func, "downscale_factor")
    *lead, c, hr, wr = x.shape
    if hr % r or wr % r:
        raise ValueError(
            f"{func}: the height {hr} and width {wr} must both be divisible by downscale_factor = {r}."
        )
    lo = len(lead)
    y = x.reshape(*lead, c, hr // r, r, wr // r, r)  # (..., C, H, i, W, j)
    y = y.transpose(
        *range(lo), lo, lo + 2, lo + 4, lo + 1, lo + 3
    )  # (..., C, i, j, H, W)
    return y.reshape(*lead, c * r * r, hr // r, wr // r)


def tap_counts(
    input_hw, kernel_size, stride=1, padding=0, output_padding=0, dilation=1
) -> np.ndarray:
    """How many (input pixel, kernel tap) pairs land on each output pixel of a transposed convolution.

    ``input_hw`` and ``kernel_size`` are ints or ``(height, width)`` pairs; the other arguments are those
    of :func:`conv_transpose2d` (ints or pairs). Input pixel ``h`` and tap ``i`` land on output row
    ``h*stride + i*dilation - padding``. Returns an int array of the output's shape ``(H_out, W_out)``
    (sizes from :func:`convlab.arith.conv_transpose_output_size`). It equals ``conv_transpose2d`` of an
    all-ones input with an all-ones kernel: where the counts are uneven, a constant input gives an uneven
    output (the checkerboard artefact).
    """
    func = "tap_counts"
    sizes = [
        as_pair(v, name, func, minimum=m)
        for v, name, m in (
            (input_hw, "input_hw", 1),
            (kernel_size, "kernel_size", 1),
            (stride, "stride", 1),
            (padding, "padding", 0),
            (output_padding, "output_padding", 0),
            (dilation, "dilation", 1),
        )
    ]
    per_axis = []
    for n, k, s, p, op, d in zip(
        *sizes
    ):  # one axis at a time: height, then width
        try:
            n_out = conv_transpose_output_size(n, k, s, p, op, d)
        except ValueError as exc:
            raise ValueError(
                str(exc).replace(
                    "conv_transpose_output_size:", f"{func}:", 1
                )
            ) from None
        counts = np.zeros(n_out, dtype=int)
        for i in range(k):
            targets = np.arange(n) * s + i * d - p
            counts[targets[(targets >= 0) & (targets < n_out)]] += (
                1  # targets are distinct for one tap
            )
        per_axis.append(counts)
    return np.outer(
        per_axis[0], per_axis[1]
    )  # taps and pixels pair up independently along the two axes
