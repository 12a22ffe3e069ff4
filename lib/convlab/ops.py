"""Convolution and cross-correlation in NumPy, written to be read.

Conventions
-----------
* ``conv1d`` is the true convolution of signal processing: the kernel is
  flipped, ``y[t] = sum_m x[m] k[t - m]``. It equals ``np.convolve``.
* ``corr1d`` slides the kernel without flipping it,
  ``y[t] = sum_m x[t + m] k[m]``. It equals ``np.correlate`` given the same
  ``mode`` (but its default mode is ``"full"``, NumPy's is ``"valid"``).
* ``corr2d`` (cross-correlation, no flip) and ``convolve2d`` (true
  convolution, kernel flipped) take one 2-D image and one 2-D kernel and equal
  ``scipy.signal.correlate2d`` and ``scipy.signal.convolve2d``.
* ``conv2d`` is a *cross-correlation*, as in every deep-learning library: it
  has exactly the semantics of ``torch.nn.functional.conv2d`` (plus the
  ``padding_mode`` of ``torch.nn.Conv2d``). Arrays are NCHW (batch, channels,
  height, width) and weights OIHW (out channels, in channels per group,
  kernel height, kernel width).
* Integer and boolean inputs are computed in float64; floating inputs keep
  their precision (float32 in, float32 out).

Pooling is in :mod:`convlab.pooling`, the fast algorithms in
:mod:`convlab.conv_algorithms` and :mod:`convlab.winograd`, the transposed
convolution in :mod:`convlab.transposed`, deformable convolution in
:mod:`convlab.deformable`.
"""

from __future__ import annotations

import numpy as np

from .validation import (
    as_float_array,
    check_conv_args,
    check_ndim,
    check_padding_mode,
)

__all__ = ["conv1d", "corr1d", "corr2d", "convolve2d", "conv2d", "MODES"]

MODES = ("full", "same", "valid")


def _check_mode(mode, func):
    if not isinstance(mode, str) or mode not in MODES:
        raise ValueError(
            f"{func}: mode must be one of {MODES}, got {mode!r}."
        )


def _check_pair(x, k, names, ndim, layout, mode, func):
    """Two non-empty real arrays of ``ndim`` dimensions and a known mode."""
    out = []
    for name, arr in zip(names, (x, k)):
        arr = as_float_array(arr, name, func)
        check_ndim(arr, ndim, name, func, layout)
        if arr.size == 0:
            raise ValueError(
                f"{func}: {name} is empty (shape {arr.shape}); it needs at "
                "least one element."
            )
        out.append(arr)
    _check_mode(mode, func)
    return out


def _crop(full, n, n_k, mode):
    """The 'same' or 'valid' part of a full result of length n + n_k - 1."""
    short, long = min(n, n_k), max(n, n_k)
    if mode == "full":
        return full
    if mode == "same":  # length max(n, n_k), centred as NumPy centres it
        start = (short - 1) // 2
        return full[start : start + long]
    # valid: only the positions where the two overlap fully
    return full[short - 1 : long]


def conv1d(x, k, mode: str = "full") -> np.ndarray:
    """True 1-D convolution ``y[t] = sum_m x[m] k[t - m]`` (kernel flipped).

    Parameters
    ----------
    x, k : 1-D arrays of lengths ``n`` and ``n_k`` (either may be longer).
    mode : ``"full"`` (length ``n + n_k - 1``), ``"same"`` (length
        ``max(n, n_k)``) or ``"valid"`` (length
        ``max(n, n_k) - min(n, n_k) + 1``).

    Returns the same array as ``np.convolve(x, k, mode)``.
    """
    x, k = _check_pair(x, k, "xk", 1, "(n,)", mode, "conv1d")
    n, n_k = len(x), len(k)
    y = np.zeros(n + n_k - 1, dtype=np.result_type(x, k))
    # tap j adds x shifted by j and scaled by k[j]: y[t] += x[t - j] k[j]
    for j, k_j in enumerate(k):
        y[j : j + n] += k_j * x
    return _crop(y, n, n_k, mode)


def corr1d(x, k, mode: str = "full") -> np.ndarray:
    """1-D cross-correlation ``y[t] = sum_m x[t + m] k[m]`` (no flip).

    Same signature and output lengths as :func:`conv1d`; returns the same
    array as ``np.correlate(x, k, mode)``. It is a convolution with the
    reversed kernel, ``corr1d(x, k) == conv1d(x, k[::-1])``.

    The default mode is ``"full"``, as for :func:`conv1d` and
    ``np.convolve``; ``np.correlate``'s default is ``"valid"``, so without
    a ``mode`` the two give different lengths:

    >>> import numpy as np
    >>> x, k = [1.0, 2.0, 3.0, 4.0], [1.0, 0.0, -1.0]
    >>> corr1d(x, k).tolist(), np.correlate(x, k).tolist()
    ([-1.0, -2.0, -2.0, -2.0, 3.0, 4.0], [-2.0, -2.0])
    >>> corr1d(x, k, "valid").tolist()
    [-2.0, -2.0]
    """
    x, k = _check_pair(x, k, "xk", 1, "(n,)", mode, "corr1d")
    if len(k) > len(x):
        # corr(x, k)[t] == corr(k, x)[-t]: NumPy computes this case with the
        # roles swapped and the result reversed, which also fixes where
        # "same" is centred. We follow it so that the two always agree.
        return corr1d(k, x, mode)[::-1].copy()
    return conv1d(x, k[::-1], mode)


def _plane(X, K, mode, func):
    """Check a single-channel image, kernel and mode of a 2-D function."""
    X, K = _check_pair(X, K, "XK", 2, "(height, width)", mode, func)
    fits = all(k <= n for k, n in zip(K.shape, X.shape))
    holds = all(k >= n for k, n in zip(K.shape, X.shape))
    if mode == "valid" and not (fits or holds):
        raise ValueError(
            f"{func}: the kernel {K.shape} does not fit inside the image "
            f"{X.shape}; 'valid' mode needs kernel height <= image height "
            "and kernel width <= image width (or the image inside the "
            f"kernel, as SciPy allows). Use mode='full' or 'same'."
        )
    return X, K


def _crop2d(full, x_hw, k_hw, mode, start_same):
    """The 'same' or 'valid' block of a full 2-D result."""
    if mode == "full":
        return full
    if mode == "same":  # the image's size, placed as SciPy places it
        return full[
            tuple(
                slice(start_same(k), start_same(k) + n)
                for n, k in zip(x_hw, k_hw)
            )
        ]
    return full[
        tuple(slice(min(n, k) - 1, max(n, k)) for n, k in zip(x_hw, k_hw))
    ]


def corr2d(X, K, mode: str = "valid") -> np.ndarray:
    """2-D cross-correlation of one channel (the kernel is *not* flipped).

    ``Y[i, j] = sum_{a, b} X[i + a, j + b] K[a, b]`` for an ``(h, w)`` image
    ``X`` and a ``(kh, kw)`` kernel ``K``. ``mode`` is

    * ``"valid"`` (the default, what deep learning calls a convolution with
      no padding): shape ``(h - kh + 1, w - kw + 1)``;
    * ``"full"``: every overlap, shape ``(h + kh - 1, w + kw - 1)``;
    * ``"same"``: shape ``(h, w)``, the block of ``"full"`` that starts at
      ``(kh // 2, kw // 2)`` (for an even kernel, one more row/column of
      zero padding on top/left than at the bottom/right).

    Equals ``scipy.signal.correlate2d(X, K, mode)`` (whose default mode is
    ``"full"``). :func:`convolve2d` is the true convolution.
    """
    X, K = _plane(X, K, mode, "corr2d")
    (kh, kw) = K.shape
    full = conv2d(X[None, None], K[None, None], padding=(kh - 1, kw - 1))
    return _crop2d(full[0, 0], X.shape, K.shape, mode, lambda k: k // 2)


def convolve2d(X, K, mode: str = "full") -> np.ndarray:
    """True 2-D convolution of one channel: the kernel is flipped,
    ``Y[i, j] = sum_{a, b} X[a, b] K[i - a, j - b]``.

    Equals ``scipy.signal.convolve2d(X, K, mode)`` (same default,
    ``"full"``): ``"full"`` has shape ``(h + kh - 1, w + kw - 1)``,
    ``"same"`` shape ``(h, w)`` (the block of ``"full"`` that starts at
    ``((kh - 1) // 2, (kw - 1) // 2)``), ``"valid"`` shape
    ``(h - kh + 1, w - kw + 1)``. It is :func:`corr2d` with the kernel
    rotated by 180 degrees, ``corr2d(X, K[::-1, ::-1], "full")``.
    """
    X, K = _plane(X, K, mode, "convolve2d")
    (kh, kw) = K.shape
    flipped = K[::-1, ::-1][None, None]
    full = conv2d(X[None, None], flipped, padding=(kh - 1, kw - 1))
    return _crop2d(
        full[0, 0], X.shape, K.shape, mode, lambda k: (k - 1) // 2
    )


_NP_PAD_MODE = {
    "reflect": "reflect",
    "replicate": "edge",
    "circular": "wrap",
}


def conv2d(
    x,
    w,
    b=None,
    stride=1,
    padding=0,
    dilation=1,
    groups: int = 1,
    padding_mode: str = "zeros",
) -> np.ndarray:
    """2-D cross-correlation with the semantics of
    ``torch.nn.functional.conv2d``.

    Parameters
    ----------
    x : array of shape ``(N, C_in, H, W)``, or ``(C_in, H, W)`` for one image
        (then the result has no batch axis either).
    w : weights of shape ``(C_out, C_in // groups, kH, kW)``.
    b : optional bias of shape ``(C_out,)``.
    stride, dilation : int or ``(height, width)`` pair, at least 1.
    padding : int or pair (added on both sides), or ``"valid"`` (no
        padding) or ``"same"`` (output as large as the input; stride 1 only).
    groups : the input and output channels are split into this many groups
        and group ``g`` of the output sees only group ``g`` of the input.
    padding_mode : what the padding holds, as ``torch.nn.Conv2d``'s argument:
        ``"zeros"``, ``"reflect"`` (mirrored, border pixel not repeated),
        ``"replicate"`` (the border pixel repeated) or ``"circular"`` (the
        opposite side, as if the image were periodic).

    Returns an array of shape ``(N, C_out, H_out, W_out)`` with
    ``H_out = floor((H + pad_top + pad_bottom - dilation*(kH - 1) - 1)
    / stride) + 1`` and likewise for ``W_out``.
    """
    a = check_conv_args(
        x, w, b, stride, padding, dilation, groups, "conv2d"
    )
    x, w, (sh, sw), (dh, dw), g = a.x, a.w, a.stride, a.dilation, a.groups
    if padding_mode != "zeros":
        check_padding_mode(padding_mode, a.pads, x.shape[2:], "conv2d")
    n, c_in = x.shape[:2]
    c_out, c_in_g, kh, kw = w.shape
    (h_out, w_out) = a.out_hw

    pad = ((0, 0), (0, 0)) + a.pads
    xp = np.pad(x, pad, mode=_NP_PAD_MODE.get(padding_mode, "constant"))
    xg = xp.reshape(n, g, c_in_g, *xp.shape[2:])
    wg = w.reshape(g, c_out // g, c_in_g, kh, kw)
    out = np.zeros((n, g, c_out // g, h_out, w_out), np.result_type(x, w))
    # one kernel tap at a time: a strided window of the input ...
    for i in range(kh):
        for j in range(kw):
            rows = slice(i * dh, i * dh + sh * (h_out - 1) + 1, sh)
            cols = slice(j * dw, j * dw + sw * (w_out - 1) + 1, sw)
            # ... times that tap's (C_out, C_in) weights, summed over C_in
            out += np.einsum(
                "ngchw,goc->ngohw", xg[..., rows, cols], wg[..., i, j]
            )
    out = out.reshape(n, c_out, h_out, w_out)
    if a.b is not None:
        out = out + a.b[None, :, None, None]
    return out[0] if a.unbatched else out
