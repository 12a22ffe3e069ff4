"""A convolutional layer written out as a fully connected (dense) layer.

A dense layer that maps an ``(H, W)`` image ``X`` to an ``(H_out, W_out)``
hidden representation ``Y`` has a fourth-order weight tensor,

    Y[i, j] = U[i, j] + sum_{k, l} W[i, j, k, l] X[k, l].

A single-channel 2-D *cross-correlation* with an ``(kh, kw)`` kernel ``K`` and
zero padding ``(ph, pw)`` (exactly ``convlab.ops.conv2d`` and
``torch.nn.functional.conv2d``) is the special case

    W[i, j, k, l] = K[k - i + ph, l - j + pw]   (zero when that index is outside K),

so every output pixel uses the same kernel (translation invariance) and only
the pixels within the kernel's reach (locality). :func:`conv_as_weight_tensor`
builds that ``W``; :func:`conv_as_dense_matrix` flattens it (row-major, as
``X.ravel()``) into the ``(H_out * W_out, H * W)`` matrix ``M`` with
``M @ X.ravel() == conv2d(X[None, None], K[None, None], padding=(ph, pw)).ravel()``.

:func:`dense_vs_conv_param_counts` counts the parameters of the layers on the
way from the dense layer to the convolution, for images with channels too.
"""

from __future__ import annotations

import numpy as np

from .validation import as_float_array, as_int, as_pair, check_ndim

__all__ = [
    "conv_as_weight_tensor",
    "conv_as_dense_matrix",
    "dense_vs_conv_param_counts",
    "MAX_DENSE_ENTRIES",
]

# Building W is only for small examples: a 224x224 image would need 2.5e9 entries.
MAX_DENSE_ENTRIES = 20_000_000


def _kernel_and_sizes(kernel, image_hw, padding, func):
    K = as_float_array(kernel, "kernel", func)
    check_ndim(K, 2, "kernel", func, "(kernel height, kernel width)")
    if K.size == 0:
        raise ValueError(
            f"{func}: the kernel is empty (shape {K.shape}); it needs at least one row and one column."
        )
    h, w = as_pair(image_hw, "image_hw", func, minimum=1)
    ph, pw = as_pair(padding, "padding", func, minimum=0)
    kh, kw = K.shape
    h_out, w_out = h + 2 * ph - kh + 1, w + 2 * pw - kw + 1
    if h_out < 1 or w_out < 1:
        raise ValueError(
            f"{func}: the kernel {K.shape} does not fit inside the padded image "
            f"({h + 2 * ph}, {w + 2 * pw}) (image {(h, w)}, padding {(ph, pw)}); use a smaller kernel or more padding."
        )
    entries = h_out * w_out * h * w
    if entries > MAX_DENSE_ENTRIES:
        raise ValueError(
            f"{func}: the dense weights for a {h}x{w} image would have {entries:,} entries "
            f"(more than {MAX_DENSE_ENTRIES:,}); use a small image. Avoiding this matrix is what convolution is for."
        )
    return K, (h, w), (ph, pw), (h_out, w_out)


def conv_as_weight_tensor(kernel, image_hw, padding=0) -> np.ndarray:
    """The fourth-order weight tensor ``W`` of a single-channel cross-correlation.

    Parameters
    ----------
    kernel : array of shape ``(kh, kw)``, used without flipping (cross-correlation).
    image_hw : ``(H, W)`` of the input image, or one int for a square image.
    padding : int or ``(ph, pw)``: zeros added on each side, as in ``conv2d``.

    Returns ``W`` of shape ``(H_out, W_out, H, W)`` with
    ``H_out = H + 2 ph - kh + 1`` and ``W_out = W + 2 pw - kw + 1``, such that
    ``np.einsum("ijkl,kl->ij", W, X) == conv2d(X[None, None], kernel[None, None], padding=padding)[0, 0]``.
    ``W[i, j, k, l] = kernel[k - i + ph, l - j + pw]`` where that index exists, else 0.
    """
    return _weight_tensor(
        kernel, image_hw, padding, "conv_as_weight_tensor"
    )


def _weight_tensor(kernel, image_hw, padding, func):
    K, (h, w), (ph, pw), (h_out, w_out) = _kernel_and_sizes(
        kernel, image_hw, padding, func
    )
    kh, kw = K.shape
    W = np.zeros((h_out, w_out, h, w), dtype=K.dtype)
    i, j = np.meshgrid(
        np.arange(h_out), np.arange(w_out), indexing="ij"
    )  # every output pixel
    for a in range(kh):
        for b in range(kw):
            # tap (a, b) connects output (i, j) to input (k, l) = (i + a - ph, j + b - pw),
            # unless that input lies in the zero padding
            k, l = i + a - ph, j + b - pw
            inside = (0 <= k) & (k < h) & (0 <= l) & (l < w)
            W[i[inside], j[inside], k[inside], l[inside]] = K[a, b]
    return W


def conv_as_dense_matrix(kernel, image_hw, padding=0) -> np.ndarray:
    """The weight matrix of the dense layer that computes a single-channel cross-correlation.

    Same arguments as :func:`conv_as_weight_tensor`. Returns ``M`` of shape
    ``(H_out * W_out, H * W)`` (row-major flattening, as ``ravel``) with
    ``M @ X.ravel() == conv2d(X[None, None], kernel[None, None], padding=padding).ravel()``.
    Row ``i * W_out + j`` holds the weights of output pixel ``(i, j)``.
    """
    W = _weight_tensor(kernel, image_hw, padding, "conv_as_dense_matrix")
    h_out, w_out, h, w = W.shape
    return W.reshape(h_out * w_out, h * w)


def dense_vs_conv_param_counts(
    image_hw,
    kernel_size,
    in_channels: int = 1,
    out_channels: int = 1,
    bias: bool = True,
) -> dict:
    """Parameter counts on the way from a dense layer to a convolutional layer.

    The layer maps an image of ``in_channels`` channels and size ``(H, W)`` to a
    hidden representation of ``out_channels`` channels and the *same* size
    ``(H, W)`` (as a convolution with 'same' padding does). Returns a dict
    (Python ints, no overflow) with three entries:

    ``"fully connected"``
        every output value has its own weight for every input value and its
        own bias: ``(H W C_in)(H W C_out) + H W C_out``; this is ``nn.Linear``.
    ``"translation invariant"``
        weights depend only on the offset ``(a, b)`` between output and input
        pixel, which ranges over ``(2H - 1)(2W - 1)`` values; one bias per
        output channel: ``(2H - 1)(2W - 1) C_in C_out + C_out``.
    ``"translation invariant + local"``
        offsets limited to a ``(kh, kw)`` window: ``kh kw C_in C_out + C_out``;
        this is ``nn.Conv2d(C_in, C_out, (kh, kw))``.

    With ``bias=False`` the bias terms are left out.
    """
    func = "dense_vs_conv_param_counts"
    h, w = as_pair(image_hw, "image_hw", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    c_in, c_out = (
        as_int(in_channels, "in_channels", func),
        as_int(out_channels, "out_channels", func),
    )
    if c_in < 1 or c_out < 1:
        raise ValueError(
            f"{func}: in_channels and out_channels must be at least 1, got {c_in} and {c_out}."
        )
    if not isinstance(bias, bool):
        raise TypeError(
            f"{func}: bias must be True or False, got {bias!r}."
        )
    if kh > 2 * h - 1 or kw > 2 * w - 1:
        raise ValueError(
            f"{func}: a {kh}x{kw} kernel reaches further than any offset inside a {h}x{w} image "
            f"(at most {2 * h - 1}x{2 * w - 1})."
        )
    n_in, n_out = h * w * c_in, h * w * c_out
    return {
        "fully connected": n_in * n_out + (n_out if bias else 0),
        "translation invariant": (2 * h - 1) * (2 * w - 1) * c_in * c_out
        + (c_out if bias else 0),
        "translation invariant + local": kh * kw * c_in * c_out
        + (c_out if bias else 0),
    }
