"""The convolutional layer computed by lowering it to matrix products, and by the FFT.

Every function here computes the same thing as ``convlab.ops.conv2d`` and
``torch.nn.functional.conv2d``: a 2-D *cross-correlation* (the kernel is not
flipped) of an input ``x`` of shape NCHW ``(N, C_in, H, W)`` (or
``(C_in, H, W)`` for one image, then the result has no batch axis either)
with weights OIHW ``(C_out, C_in // groups, kH, kW)``, plus an optional bias
``(C_out,)``:

    y[n, o, i, j] = b[o] + sum_{c, a, b} x_pad[n, c, s*i + d*a, s*j + d*b]
                                         * w[o, c, a, b]

(``s`` stride, ``d`` dilation, ``x_pad`` the zero-padded input; ``c`` runs
over the input channels of ``o``'s group).

* :func:`im2col` copies every receptive field into a column:
  ``(N, C*kH*kW, H_out*W_out)``; :func:`conv2d_im2col` is then one matrix
  product ``w.reshape(C_out, -1) @ cols``.
* :func:`conv2d_kn2col` ("kernel to column") makes no copies of the input:
  ``kH*kW`` 1x1 convolutions (:func:`kn2col_product`, the matrix product of
  one kernel slice ``w[:, :, a, b]`` with the whole padded input), each
  shifted by its tap and added into the output.
* :func:`conv2d_fft` multiplies spectra: a convolution with the *flipped*
  kernel, zero-padded so that nothing wraps around, then cropped.
* :func:`conv_matrix` builds the dense matrix ``K`` with
  ``K @ x.ravel() == y.ravel()``.

Winograd's algorithm is in :mod:`convlab.winograd`, the cost models and the
benchmark in :mod:`convlab.conv_costs`; :mod:`convlab.fast_conv` gathers them.
All of them compute in the input's float precision (integers become float64).
"""

from __future__ import annotations

import numpy as np

from .dense import MAX_DENSE_ENTRIES
from .validation import (
    as_image_batch,
    as_int,
    as_pair,
    as_weights,
    check_conv_args,
    conv_geometry,
    conv_padding,
)

__all__ = [
    "im2col",
    "conv2d_im2col",
    "kn2col_product",
    "conv2d_kn2col",
    "conv2d_fft",
    "conv_matrix",
]


def _finish(out, b, unbatched):
    if b is not None:
        out = out + b[None, :, None, None]
    return out[0] if unbatched else out


def _pad(x, pads):
    """Zero-pad the two spatial axes of a batched input by ``pads``."""
    return np.pad(x, ((0, 0), (0, 0)) + tuple(pads))


# --------------------------------------------------------------------------- im2col
def _columns(x, kernel_hw, pads, stride, dilation, out_hw):
    """Columns of a batched, checked input: (N, C*kH*kW, H_out*W_out),
    rows ordered (c, a, b)."""
    (sh, sw), (dh, dw), (ho, wo) = stride, dilation, out_hw
    xp = _pad(x, pads)
    n, c = x.shape[:2]
    kh, kw = kernel_hw
    cols = np.empty((n, c, kh, kw, ho, wo), dtype=x.dtype)
    # one kernel tap (a, b) at a time: the pixels it reads for every output
    for a in range(kh):
        for b in range(kw):
            cols[:, :, a, b] = xp[
                :,
                :,
                a * dh : a * dh + sh * (ho - 1) + 1 : sh,
                b * dw : b * dw + sw * (wo - 1) + 1 : sw,
            ]
    return cols.reshape(n, c * kh * kw, ho * wo)


def im2col(x, kernel_size, stride=1, padding=0, dilation=1) -> np.ndarray:
    """Copy every receptive field of ``x`` into one column.

    Parameters
    ----------
    x : ``(N, C, H, W)`` or ``(C, H, W)``.
    kernel_size : int or ``(kH, kW)``; stride, padding, dilation as in ``conv2d``.

    Returns ``cols`` of shape ``(N, C*kH*kW, H_out*W_out)`` (no ``N`` axis for a
    3-D input). Column ``i*W_out + j`` holds the window that output pixel
    ``(i, j)`` reads; row ``(c*kH + a)*kW + b`` is channel ``c``, tap ``(a, b)``,
    the order of ``w.reshape(C_out, -1)`` for OIHW weights.
    """
    func = "im2col"
    x, unbatched = as_image_batch(x, func)
    kernel_hw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    stride = as_pair(stride, "stride", func, minimum=1)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    pads = conv_padding(padding, kernel_hw, dilation, stride, func)
    out_hw, _ = conv_geometry(
        x.shape[2:], kernel_hw, stride, pads, dilation, func
    )
    cols = _columns(x, kernel_hw, pads, stride, dilation, out_hw)
    return cols[0] if unbatched else cols


def conv2d_im2col(
    x, w, b=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """``conv2d`` as one matrix product per group: ``w.reshape(C_out, -1) @ im2col(x)``.

    Same arguments, shapes and result as ``convlab.ops.conv2d`` (torch semantics,
    cross-correlation, NCHW input, OIHW weights).
    """
    a = check_conv_args(
        x, w, b, stride, padding, dilation, groups, "conv2d_im2col"
    )
    x, w, g = a.x, a.w, a.groups
    n, c_out = x.shape[0], w.shape[0]
    # (N, C*kH*kW, L), the rows of group g contiguous
    cols = _columns(x, w.shape[2:], a.pads, a.stride, a.dilation, a.out_hw)
    cols = cols.reshape(n, g, -1, cols.shape[-1])
    w_mat = w.reshape(g, c_out // g, -1)  # (G, C_out/G, C/G*kH*kW)
    out = np.matmul(w_mat[None], cols)  # (N, G, C_out/G, L)
    return _finish(out.reshape(n, c_out, *a.out_hw), a.b, a.unbatched)


# --------------------------------------------------------------------------- kn2col
def _kn2col_tap(xp, w, g, tap):
    """One 1x1 convolution of the padded batched input ``xp`` (N, C, Hp, Wp)
    with the kernel slice ``w[:, :, a, b]``: (N, C_out, Hp, Wp)."""
    n, c, hp, wp = xp.shape
    c_out = w.shape[0]
    # contiguous, so that matmul hands it to BLAS
    w_tap = np.ascontiguousarray(w[:, :, tap[0], tap[1]])
    w_tap = w_tap.reshape(g, c_out // g, c // g)
    prod = np.matmul(w_tap[None], xp.reshape(n, g, c // g, hp * wp))
    return prod.reshape(n, c_out, hp, wp)


def kn2col_product(
    x, w, tap, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """The intermediate array of kn2col for kernel tap ``tap = (a, b)``.

    The 1x1 convolution of the *whole* zero-padded input with the slice
    ``w[:, :, a, b]``: for each group one matrix product
    ``(C_out/G x C_in/G) @ (C_in/G x H_p*W_p)``. Returns
    ``(N, C_out, H_p, W_p)`` (no ``N`` axis for a 3-D input); the layer's
    output gets its block that starts at ``(a*d_h, b*d_w)``, every
    ``s``-th row and column. Arguments as in ``conv2d``.
    """
    func = "kn2col_product"
    c = check_conv_args(x, w, None, stride, padding, dilation, groups, func)
    kh, kw = c.w.shape[2:]
    a, b = as_pair(tap, "tap", func, minimum=0)
    if a >= kh or b >= kw:
        raise ValueError(
            f"{func}: tap {(a, b)} is outside the {kh}x{kw} kernel; "
            f"use 0 <= a < {kh} and 0 <= b < {kw}."
        )
    prod = _kn2col_tap(_pad(c.x, c.pads), c.w, c.groups, (a, b))
    return prod[0] if c.unbatched else prod


def conv2d_kn2col(
    x, w, b=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """``conv2d`` as ``kH*kW`` shifted 1x1 convolutions ("kernel to column").

    Same arguments, shapes and result as ``convlab.ops.conv2d`` (torch
    semantics, cross-correlation, NCHW input, OIHW weights). For every tap
    ``(a, b)`` the whole padded input is multiplied by ``w[:, :, a, b]``
    (:func:`kn2col_product`, ``(N, C_out, H_p, W_p)``) and the block the tap
    contributes, shifted by ``(a*d_h, b*d_w)`` and strided, is added to the
    output. No im2col matrix: the largest temporary is one product, about
    ``C_out/(C_in k^2)`` times the size of im2col's columns; the price is
    multiplying the border pixels too (``H_p W_p`` instead of
    ``H_out W_out`` per tap) and ``kH*kW`` smaller matrix products.
    """
    c = check_conv_args(
        x, w, b, stride, padding, dilation, groups, "conv2d_kn2col"
    )
    (sh, sw), (dh, dw), (ho, wo) = c.stride, c.dilation, c.out_hw
    xp = _pad(c.x, c.pads)
    dtype = np.result_type(c.x, c.w)
    out = np.zeros((c.x.shape[0], c.w.shape[0], ho, wo), dtype=dtype)
    for a in range(c.w.shape[2]):
        for b in range(c.w.shape[3]):
            prod = _kn2col_tap(xp, c.w, c.groups, (a, b))
            out += prod[
                :,
                :,
                a * dh : a * dh + sh * (ho - 1) + 1 : sh,
                b * dw : b * dw + sw * (wo - 1) + 1 : sw,
            ]
    return _finish(out, c.b, c.unbatched)


# --------------------------------------------------------------------------- FFT
def conv2d_fft(
    x, w, b=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """``conv2d`` through the FFT (same arguments and result as ``ops.conv2d``).

    The FFT computes *convolutions*, so the (dilated) kernel is flipped to get
    the cross-correlation. Input and kernel are zero-padded to the full linear
    size ``(H_p + span_h - 1, W_p + span_w - 1)`` (``H_p`` the padded input height,
    ``span = d(k-1)+1``) so that the circular convolution the DFT computes has
    nothing to wrap around and equals the linear ('full') one; the layer's output is
    the block that starts at ``(span_h - 1, span_w - 1)``.
    A stride keeps every ``s``-th output of the stride-1 result. The spectra are
    complex128 (NumPy's FFT), so float32 inputs are computed in double precision.
    """
    c = check_conv_args(
        x, w, b, stride, padding, dilation, groups, "conv2d_fft"
    )
    x, w, g = c.x, c.w, c.groups
    (dh, dw), (sh, sw), (ho, wo) = c.dilation, c.stride, c.out_hw
    span_h, span_w = c.span
    xp = _pad(x, c.pads)
    wd = np.zeros(w.shape[:2] + c.span, dtype=w.dtype)
    wd[:, :, ::dh, ::dw] = w  # the dilated kernel: zeros between taps
    shape = (
        xp.shape[2] + span_h - 1,
        xp.shape[3] + span_w - 1,
    )  # full linear size: no wrap-around
    X = np.fft.rfft2(xp, s=shape)  # rfft2(., s) zero-pads to `shape`
    Wf = np.fft.rfft2(
        wd[:, :, ::-1, ::-1], s=shape
    )  # flipped kernel: correlation
    n, (c_out, c_g) = x.shape[0], w.shape[:2]
    X = X.reshape(n, g, c_g, *X.shape[2:])  # input channels of each group
    Wf = Wf.reshape(g, c_out // g, c_g, *Wf.shape[2:])
    Y = np.einsum(
        "ngcuv,gocuv->ngouv", X, Wf
    )  # at every frequency: sum over input channels
    full = np.fft.irfft2(
        Y.reshape(n, c_out, *Y.shape[3:]), s=shape
    )  # (N, C_out, *shape)
    out = full[
        :,
        :,
        span_h - 1 : span_h - 1 + sh * (ho - 1) + 1 : sh,
        span_w - 1 : span_w - 1 + sw * (wo - 1) + 1 : sw,
    ]
    return _finish(
        out.astype(np.result_type(x, w), copy=False), c.b, c.unbatched
    )


# --------------------------------------------------------------------------- the matrix
def conv_matrix(
    w, input_hw, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """The dense matrix ``K`` of a multi-channel ``conv2d`` (no bias).

    w : OIHW weights ``(C_out, C_in // groups, kH, kW)``; input_hw : ``(H, W)`` or an int;
    stride, padding, dilation, groups as in ``conv2d``.
    Returns ``K`` of shape ``(C_out*H_out*W_out, C_in*H*W)`` with
    ``K @ x.ravel() == conv2d(x, w, ...).ravel()`` for any ``x`` of shape ``(C_in, H, W)``
    (row-major ``ravel``, i.e. CHW order).

    It is im2col read backwards: im2col of the image of pixel *numbers* tells, for
    output pixel ``l`` and weight ``r = (c, a, b)``, which input pixel is read (or that
    it is padding). Row ``(o, l)`` of ``K`` holds ``w[o].ravel()[r]`` in those columns.
    For one channel, stride 1 and symmetric padding this is the matrix of
    ``convlab.dense.conv_as_dense_matrix`` (chapter 4), which builds it from the
    weight tensor ``W[i, j, k, l]`` instead; the tests check that the two agree.
    """
    func = "conv_matrix"
    w = as_weights(w, func)
    h, wd = as_pair(input_hw, "input_hw", func, minimum=1)
    groups = as_int(groups, "groups", func, minimum=1)
    c_out, c_g = w.shape[:2]
    numbers = np.arange(1, c_g * groups * h * wd + 1, dtype=float).reshape(
        1, c_g * groups, h, wd
    )
    c = check_conv_args(
        numbers, w, None, stride, padding, dilation, groups, func
    )
    g = c.groups
    n_out, n_in = c_out * c.out_hw[0] * c.out_hw[1], numbers.size
    if n_out * n_in > MAX_DENSE_ENTRIES:
        raise ValueError(
            f"{func}: the matrix would have {n_out:,} x {n_in:,} = {n_out * n_in:,} entries "
            f"(more than {MAX_DENSE_ENTRIES:,}); use a small example. "
            "Avoiding this matrix is what convolution is for."
        )
    # (C*kH*kW, L): the pixel each weight reads, -1 for padding
    cols = _columns(
        numbers, w.shape[2:], c.pads, c.stride, c.dilation, c.out_hw
    )
    reads = cols[0].astype(np.int64) - 1
    L = reads.shape[1]
    reads = reads.reshape(g, 1, -1, L)  # the rows of group g
    taps = w.reshape(g, c_out // g, -1, 1)  # (G, C_out/G, C/G*kH*kW, 1)
    rows = np.arange(c_out).reshape(g, c_out // g, 1, 1) * L + np.arange(
        L
    )  # row index (o, l)
    rows, cols, vals = np.broadcast_arrays(rows, reads, taps)
    inside = cols >= 0
    K = np.zeros((n_out, n_in), dtype=w.dtype)
    K[rows[inside], cols[inside]] = vals[
        inside
    ]  # each (o, l) reads each input pixel at most once
    return K
