"""Four ways to compute a convolutional layer, and the matrix behind it.

Every function here computes the same thing as ``convlab.ops.conv2d`` and
``torch.nn.functional.conv2d``: a 2-D *cross-correlation* (the kernel is not
flipped) of an input ``x`` of shape NCHW ``(N, C_in, H, W)`` (or ``(C_in, H, W)``
for one image, then the result has no batch axis either) with weights OIHW
``(C_out, C_in // groups, kH, kW)``, plus an optional bias ``(C_out,)``:

    y[n, o, i, j] = b[o] + sum_{c, a, b} x_pad[n, c, s*i + d*a, s*j + d*b] w[o, c, a, b]

(``s`` stride, ``d`` dilation, ``x_pad`` the zero-padded input; ``c`` runs over
the input channels of ``o``'s group).

* :func:`im2col` copies every receptive field into a column: ``(N, C*kH*kW, H_out*W_out)``.
* :func:`conv2d_im2col` is then one matrix product ``w.reshape(C_out, -1) @ cols``.
* :func:`conv2d_fft` multiplies spectra: a convolution with the *flipped* kernel,
  zero-padded so that nothing wraps around, then cropped (and subsampled for stride).
* :func:`conv2d_winograd` uses Winograd's F(2x2, 3x3): 16 instead of 36
  multiplications per 2x2 output tile; 3x3 kernels, stride 1, dilation 1 only.
* :func:`conv_matrix` builds the dense matrix ``K`` with ``K @ x.ravel() == y.ravel()``.

All of them compute in the input's float precision (integers become float64).
"""

from __future__ import annotations

import time

import numpy as np

from .dense import MAX_DENSE_ENTRIES
from .validation import as_float_array, as_int, as_pair, check_ndim

__all__ = [
    "im2col",
    "conv2d_im2col",
    "conv2d_fft",
    "conv2d_winograd",
    "conv_matrix",
    "WINOGRAD_BT",
    "WINOGRAD_G",
    "WINOGRAD_AT",
    "winograd_f23",
    "winograd_f2x2_3x3",
    "multiplication_counts",
    "im2col_bytes",
    "direct_multiplications",
    "fft_multiplications",
    "median_time",
    "benchmark_layer",
    "BENCH_METHODS",
]


# --------------------------------------------------------------------------- arguments
def _padding(padding, kernel_hw, dilation, stride, func):
    """((top, bottom), (left, right)) from an int, a pair, 'valid' or 'same': ``ops.conv2d``'s rule."""
    from .ops import (
        _conv2d_padding,
    )  # imported here because ops re-exports this module's functions

    try:
        return _conv2d_padding(padding, kernel_hw, dilation, stride)
    except (
        TypeError,
        ValueError,
    ) as exc:  # name the function the learner called, not conv2d
        raise type(exc)(
            str(exc).replace("conv2d:", f"{func}:", 1)
        ) from None


def _check_input(x, func):
    x = as_float_array(x, "x", func)
    check_ndim(
        x,
        (3, 4),
        "x",
        func,
        "(N, C, H, W), or (C, H, W) for a single image",
    )
    if min(x.shape) == 0:
        raise ValueError(f"{func}: the input x is empty (shape {x.shape}).")
    return x


def _check_conv(x, w, b, stride, padding, dilation, groups, func):
    """Validate like ``ops.conv2d``; return the batched input and the layer geometry."""
    x = _check_input(x, func)
    w = as_float_array(w, "w", func)
    check_ndim(w, 4, "w", func, "(C_out, C_in // groups, kH, kW)")
    unbatched = x.ndim == 3
    x = x[None] if unbatched else x
    groups = as_int(groups, "groups", func, minimum=1)
    c_in, c_out, c_in_g = x.shape[1], w.shape[0], w.shape[1]
    if min(w.shape) == 0:
        raise ValueError(
            f"{func}: the weights w are empty (shape {w.shape})."
        )
    if c_in % groups or c_out % groups:
        raise ValueError(
            f"{func}: groups={groups} must divide both the {c_in} input channels "
            f"and the {c_out} output channels (w.shape[0])."
        )
    if c_in_g * groups != c_in:
        raise ValueError(
            f"{func}: channel mismatch: the input has {c_in} channels, so with groups={groups} the "
            f"weights need shape (C_out, {c_in // groups}, kH, kW), but w.shape[1] is {c_in_g}."
        )
    stride = as_pair(stride, "stride", func, minimum=1)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    pads = _padding(padding, w.shape[2:], dilation, stride, func)
    if b is not None:
        b = as_float_array(b, "b", func)
        if b.shape != (c_out,):
            raise ValueError(
                f"{func}: bias b must have shape ({c_out},), one value per output channel, got {b.shape}."
            )
    geometry = _geometry(
        x.shape[2:], w.shape[2:], stride, pads, dilation, func
    )
    return x, w, b, unbatched, groups, geometry


def _geometry(hw, kernel_hw, stride, pads, dilation, func):
    (pt, pb), (pl, pr) = pads
    hp, wp = hw[0] + pt + pb, hw[1] + pl + pr
    span = [d * (k - 1) + 1 for k, d in zip(kernel_hw, dilation)]
    if span[0] > hp or span[1] > wp:
        raise ValueError(
            f"{func}: the kernel covers {span[0]}x{span[1]} pixels (kernel {tuple(kernel_hw)}, "
            f"dilation {dilation}) but the padded input is only {hp}x{wp}; "
            "use a smaller kernel or dilation, or more padding."
        )
    out_hw = (
        (hp - span[0]) // stride[0] + 1,
        (wp - span[1]) // stride[1] + 1,
    )
    return {
        "pads": pads,
        "stride": stride,
        "dilation": dilation,
        "out_hw": out_hw,
        "span": tuple(span),
    }


def _finish(out, b, unbatched):
    if b is not None:
        out = out + b[None, :, None, None]
    return out[0] if unbatched else out


# --------------------------------------------------------------------------- im2col
def _columns(x, kernel_hw, geo):
    """Columns of a batched, validated input: (N, C*kH*kW, H_out*W_out), rows ordered (c, a, b)."""
    (pt, pb), (pl, pr) = geo["pads"]
    (sh, sw), (dh, dw), (ho, wo) = (
        geo["stride"],
        geo["dilation"],
        geo["out_hw"],
    )
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    n, c = x.shape[:2]
    kh, kw = kernel_hw
    cols = np.empty((n, c, kh, kw, ho, wo), dtype=x.dtype)
    for a in range(
        kh
    ):  # one kernel tap (a, b) at a time: the pixels it reads for every output
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
    x = _check_input(x, func)
    kernel_hw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    stride = as_pair(stride, "stride", func, minimum=1)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    pads = _padding(padding, kernel_hw, dilation, stride, func)
    unbatched = x.ndim == 3
    xb = x[None] if unbatched else x
    cols = _columns(
        xb,
        kernel_hw,
        _geometry(xb.shape[2:], kernel_hw, stride, pads, dilation, func),
    )
    return cols[0] if unbatched else cols


def im2col_bytes(c_in: int, kernel_size, out_hw, itemsize: int = 8) -> int:
    """Bytes of the im2col matrix of one image: ``C_in*kH*kW * H_out*W_out * itemsize``."""
    func = "im2col_bytes"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    ho, wo = as_pair(out_hw, "out_hw", func, minimum=1)
    return (
        c_in
        * kh
        * kw
        * ho
        * wo
        * as_int(itemsize, "itemsize", func, minimum=1)
    )


def conv2d_im2col(
    x, w, b=None, stride=1, padding=0, dilation=1, groups: int = 1
) -> np.ndarray:
    """``conv2d`` as one matrix product per group: ``w.reshape(C_out, -1) @ im2col(x)``.

    Same arguments, shapes and result as ``convlab.ops.conv2d`` (torch semantics,
    cross-correlation, NCHW input, OIHW weights).
    """
    x, w, b, unbatched, g, geo = _check_conv(
        x, w, b, stride, padding, dilation, groups, "conv2d_im2col"
    )
    n, c_out = x.shape[0], w.shape[0]
    cols = _columns(x, w.shape[2:], geo)  # (N, C*kH*kW, L)
    cols = cols.reshape(
        n, g, -1, cols.shape[-1]
    )  # the rows of group g are contiguous
    w_mat = w.reshape(g, c_out // g, -1)  # (G, C_out/G, C/G*kH*kW)
    out = np.matmul(w_mat[None], cols)  # (N, G, C_out/G, L)
    return _finish(out.reshape(n, c_out, *geo["out_hw"]), b, unbatched)


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
    x, w, b, unbatched, g, geo = _check_conv(
        x, w, b, stride, padding, dilation, groups, "conv2d_fft"
    )
    (pt, pb), (pl, pr) = geo["pads"]
    (dh, dw), (sh, sw), (ho, wo) = (
        geo["dilation"],
        geo["stride"],
        geo["out_hw"],
    )
    span_h, span_w = geo["span"]
    xp = np.pad(x, ((0, 0), (0, 0), (pt, pb), (pl, pr)))
    wd = np.zeros(w.shape[:2] + geo["span"], dtype=w.dtype)
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
        out.astype(np.result_type(x, w), copy=False), b, unbatched
    )


# --------------------------------------------------------------------------- Winograd
# F(2, 3): two outputs of a 3-tap correlation from a 4-sample tile d and kernel g,
#   y = AT @ ((G @ g) * (BT @ d)),  y[0] = d0 g0 + d1 g1 + d2 g2,  y[1] = d1 g0 + d2 g1 + d3 g2,
# with 4 multiplications instead of 6 (Winograd 1980; for CNNs: Lavin & Gray 2016).
WINOGRAD_BT = np.array(
    [
        [1.0, 0.0, -1.0, 0.0],
        [0.0, 1.0, 1.0, 0.0],
        [0.0, -1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0, -1.0],
    ]
)
WINOGRAD_G = np.array(
    [[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]]
)
WINOGRAD_AT = np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]])


def winograd_f23(d, g) -> np.ndarray:
    """1-D F(2, 3): the two correlation outputs of a length-4 tile ``d`` with a
    length-3 kernel ``g``, ``AT @ ((G @ g) * (BT @ d))`` (4 multiplications)."""
    func = "winograd_f23"
    d, g = as_float_array(d, "d", func), as_float_array(g, "g", func)
    if d.shape != (4,) or g.shape != (3,):
        raise ValueError(
            f"{func}: needs a tile d of shape (4,) and a kernel g of shape (3,), "
            f"got {d.shape} and {g.shape}."
        )
    return WINOGRAD_AT @ ((WINOGRAD_G @ g) * (WINOGRAD_BT @ d))


def winograd_f2x2_3x3(d, g) -> np.ndarray:
    """2-D F(2x2, 3x3) on one tile: the 2x2 correlation outputs of a 4x4 tile ``d`` with a 3x3 kernel ``g``,

    ``AT [(G g GT) * (BT d B)] A``: F(2, 3) applied along the rows and then along the
    columns; the ``*`` is 16 element-wise multiplications (36 for the direct 2x2x9).
    """
    func = "winograd_f2x2_3x3"
    d, g = as_float_array(d, "d", func), as_float_array(g, "g", func)
    if d.shape != (4, 4) or g.shape != (3, 3):
        raise ValueError(
            f"{func}: needs a tile d of shape (4, 4) and a kernel g of shape (3, 3), "
            f"got {d.shape} and {g.shape}."
        )
    U = WINOGRAD_G @ g @ WINOGRAD_G.T  # transformed kernel (4, 4)
    V = WINOGRAD_BT @ d @ WINOGRAD_BT.T  # transformed tile (4, 4)
    return WINOGRAD_AT @ (U * V) @ WINOGRAD_AT.T


def _bt_along(d, axis):
    """``BT @ d`` along ``axis`` (length 4): only additions and subtractions."""
    d0, d1, d2, d3 = (np.take(d, i, axis=axis) for i in range(4))
    return np.stack([d0 - d2, d1 + d2, d2 - d1, d1 - d3], axis=axis)


def _at_along(m, axis):
    """``AT @ m`` along ``axis`` (length 4 -> 2): only additions and subtractions."""
    m0, m1, m2, m3 = (np.take(m, i, axis=axis) for i in range(4))
    return np.stack([m0 + m1 + m2, m1 - m2 - m3], axis=axis)


def conv2d_winograd(x, w, b=None, padding=0) -> np.ndarray:
    """``conv2d`` of 3x3 kernels with Winograd's F(2x2, 3x3): stride 1, dilation 1, groups 1.

    x : ``(N, C_in, H, W)`` or ``(C_in, H, W)``; w : ``(C_out, C_in, 3, 3)``; b : ``(C_out,)`` or None;
    padding as in ``conv2d`` (int, pair, 'same' or 'valid').
    The output is cut into 2x2 tiles; tile ``(t, u)`` reads the 4x4 input tile ``d`` at
    ``(2t, 2u)`` (neighbouring tiles overlap by 2) and computes
    ``AT [sum_c (G g_oc GT) * (BT d_c B)] A``. The data and output transforms are
    written as the additions they are; for each of the 16 positions of the
    transformed tile, the products summed over channels form a matrix product
    ``(tiles x C_in) @ (C_in x C_out)``: 16 matrix products in all.
    Odd output sizes are handled by padding the last tile with zeros and cropping.
    """
    func = "conv2d_winograd"
    w_arr = as_float_array(w, "w", func)
    check_ndim(w_arr, 4, "w", func, "(C_out, C_in, 3, 3)")
    if w_arr.shape[2:] != (3, 3):
        raise ValueError(
            f"{func}: F(2x2, 3x3) needs 3x3 kernels, got {w_arr.shape[2]}x{w_arr.shape[3]}; "
            "use conv2d_im2col or conv2d_fft for other sizes."
        )
    x, w, b, unbatched, _, geo = _check_conv(
        x, w_arr, b, 1, padding, 1, 1, func
    )
    (pt, pb), (pl, pr) = geo["pads"]
    ho, wo = geo["out_hw"]
    n, c_in = x.shape[:2]
    c_out = w.shape[0]
    dtype = np.result_type(x, w)
    th, tw = -(-ho // 2), -(-wo // 2)  # number of 2x2 output tiles (ceil)
    xp = np.pad(
        x, ((0, 0), (0, 0), (pt, pb + 2 * th - ho), (pl, pr + 2 * tw - wo))
    )
    d = np.lib.stride_tricks.sliding_window_view(xp, (4, 4), axis=(2, 3))[
        :, :, ::2, ::2
    ]  # (N, C, th, tw, 4, 4)
    V = _bt_along(_bt_along(d, 4), 5)  # BT d B for every tile and channel
    U = (WINOGRAD_G @ w @ WINOGRAD_G.T).astype(
        dtype
    )  # G g GT: (C_out, C_in, 4, 4), once per layer
    V = np.ascontiguousarray(V.transpose(4, 5, 0, 2, 3, 1)).reshape(
        16, n * th * tw, c_in
    )
    U = np.ascontiguousarray(U.transpose(2, 3, 1, 0)).reshape(
        16, c_in, c_out
    )
    M = np.matmul(V, U).reshape(
        4, 4, n, th, tw, c_out
    )  # the 16 products per tile, summed over C_in
    Y = _at_along(_at_along(M, 0), 1)  # AT M A: (2, 2, N, th, tw, C_out)
    out = Y.transpose(2, 5, 3, 0, 4, 1).reshape(n, c_out, 2 * th, 2 * tw)[
        :, :, :ho, :wo
    ]
    return _finish(out.astype(dtype, copy=False), b, unbatched)


def multiplication_counts(out_hw, c_in: int = 1, c_out: int = 1) -> dict:
    """Multiplications of a 3x3, stride-1 layer on one image of output size ``out_hw``.

    ``direct``: 9 per output pixel and (input, output) channel pair.
    ``winograd``: 16 per 2x2 output tile and channel pair, with ``ceil(H_out/2) * ceil(W_out/2)``
    tiles. The kernel transform is computed once per layer, and the data and output
    transforms multiply only by 0, +-1 and +-1/2 (additions and halvings), so neither is counted.
    Returns ``{"direct", "winograd", "tiles"}`` (Python ints).
    """
    func = "multiplication_counts"
    ho, wo = as_pair(out_hw, "out_hw", func, minimum=1)
    pairs = as_int(c_in, "c_in", func, minimum=1) * as_int(
        c_out, "c_out", func, minimum=1
    )
    tiles = -(-ho // 2) * -(-wo // 2)
    return {
        "direct": 9 * ho * wo * pairs,
        "winograd": 16 * tiles * pairs,
        "tiles": tiles,
    }


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
    w = as_float_array(w, "w", func)
    check_ndim(w, 4, "w", func, "(C_out, C_in // groups, kH, kW)")
    h, wd = as_pair(input_hw, "input_hw", func, minimum=1)
    groups = as_int(groups, "groups", func, minimum=1)
    c_out, c_g = w.shape[:2]
    numbers = np.arange(1, c_g * groups * h * wd + 1, dtype=float).reshape(
        1, c_g * groups, h, wd
    )
    _, w, _, _, g, geo = _check_conv(
        numbers, w, None, stride, padding, dilation, groups, func
    )
    n_out, n_in = c_out * geo["out_hw"][0] * geo["out_hw"][1], numbers.size
    if n_out * n_in > MAX_DENSE_ENTRIES:
        raise ValueError(
            f"{func}: the matrix would have {n_out:,} x {n_in:,} = {n_out * n_in:,} entries "
            f"(more than {MAX_DENSE_ENTRIES:,}); use a small example. "
            "Avoiding this matrix is what convolution is for."
        )
    reads = (
        _columns(numbers, w.shape[2:], geo)[0].astype(np.int64) - 1
    )  # (C*kH*kW, L): pixel read, -1 = padding
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


# --------------------------------------------------------------------------- costs and timings
def fft_multiplications(
    c_in: int, c_out: int, input_hw, kernel_size
) -> int:
    """Real multiplications of :func:`conv2d_fft` for one image, stride 1, no padding, by a simple model.

    The transform size is ``F = (H + kH - 1) x (W + kW - 1)``. A real FFT of ``F`` points is counted
    as ``F/2 * log2(F)`` complex multiplications of 4 real ones each (radix 2, half the work of a
    complex FFT): ``2 F log2 F``. There are ``c_in`` input, ``c_in*c_out`` kernel and ``c_out`` inverse
    transforms, and ``c_in*c_out`` products of half spectra (``F/2`` complex numbers, 4 real
    multiplications each). A model, not a measurement: it shows how the cost grows, not the time.
    """
    func = "fft_multiplications"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = as_int(c_out, "c_out", func, minimum=1)
    h, w = as_pair(input_hw, "input_hw", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    f = (h + kh - 1) * (w + kw - 1)
    transform = 2 * f * np.log2(f)
    return int(
        round(
            (c_in + c_in * c_out + c_out) * transform
            + c_in * c_out * 4 * (f / 2)
        )
    )


def direct_multiplications(
    c_in: int, c_out: int, input_hw, kernel_size
) -> int:
    """Multiplications of a direct (or im2col) convolution of one image, stride 1, no padding:
    ``c_in * c_out * kH * kW * H_out * W_out``."""
    func = "direct_multiplications"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = as_int(c_out, "c_out", func, minimum=1)
    h, w = as_pair(input_hw, "input_hw", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    if kh > h or kw > w:
        raise ValueError(
            f"{func}: the kernel {kh}x{kw} is larger than the input {h}x{w}."
        )
    return c_in * c_out * kh * kw * (h - kh + 1) * (w - kw + 1)


def median_time(fn, repeats: int = 3) -> float:
    """Median wall-clock seconds of ``repeats`` calls of ``fn()`` (after one untimed warm-up call),
    measured with ``time.perf_counter``."""
    repeats = as_int(repeats, "repeats", "median_time", minimum=1)
    if not callable(fn):
        raise TypeError(
            f"median_time: fn must be a function to call, got {type(fn).__name__}."
        )
    fn()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return float(np.median(times))


BENCH_METHODS = ("torch", "direct", "im2col", "fft", "winograd")


def benchmark_layer(
    c_in: int,
    size: int,
    kernel_size: int,
    c_out: int | None = None,
    repeats: int = 3,
    methods=BENCH_METHODS,
    seed: int = 0,
    threads: int | None = 1,
) -> dict:
    """Time one 'same'-padded float32 layer (batch 1) with every method; returns seconds per method.

    ``torch`` is ``torch.nn.functional.conv2d``; ``direct`` is ``convlab.ops.conv2d`` (a loop over the
    kernel taps); the others are this module's functions. ``winograd`` is timed for 3x3 kernels only.
    Each entry is the median of ``repeats`` calls (:func:`median_time`); timings vary between runs.
    ``threads`` limits both PyTorch and NumPy's BLAS to that many threads while timing (default 1:
    the same single core for everyone, and steadier numbers on a busy machine); ``None`` leaves them.
    """
    import torch  # imported here: the rest of the module needs only NumPy
    from threadpoolctl import threadpool_limits

    from .ops import conv2d

    func = "benchmark_layer"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = (
        c_in if c_out is None else as_int(c_out, "c_out", func, minimum=1)
    )
    size = as_int(size, "size", func, minimum=1)
    k = as_int(kernel_size, "kernel_size", func, minimum=1)
    if k % 2 == 0:
        raise ValueError(
            f"{func}: use an odd kernel size (symmetric 'same' padding), got {k}."
        )
    unknown = set(methods) - set(BENCH_METHODS)
    if unknown:
        raise ValueError(
            f"{func}: unknown method(s) {sorted(unknown)}; choose from {BENCH_METHODS}."
        )
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, c_in, size, size), dtype=np.float32)
    w = rng.standard_normal((c_out, c_in, k, k), dtype=np.float32)
    xt, wt, p = torch.from_numpy(x), torch.from_numpy(w), k // 2
    calls = {
        "torch": lambda: torch.nn.functional.conv2d(xt, wt, padding=p),
        "direct": lambda: conv2d(x, w, padding=p),
        "im2col": lambda: conv2d_im2col(x, w, padding=p),
        "fft": lambda: conv2d_fft(x, w, padding=p),
        "winograd": lambda: conv2d_winograd(x, w, padding=p),
    }
    if threads is not None:
        threads = as_int(threads, "threads", func, minimum=1)
    before = torch.get_num_threads()
    try:
        with torch.no_grad(), threadpool_limits(limits=threads):
            if threads is not None:
                torch.set_num_threads(threads)
            return {
                m: median_time(calls[m], repeats)
                for m in methods
                if m != "winograd" or k == 3
            }
    finally:
        torch.set_num_threads(before)
