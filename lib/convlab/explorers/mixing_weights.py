"""Chapter 23's explorer: the weights ``alpha_ij`` of the six operators.

Every operator of :mod:`convlab.attention` is ``y_i = sum_j alpha_ij * v_j``
(``v_j = x_j`` for the two convolutions, ``W_v x_j`` for the others). The
page gets what ``convlab`` computes from the chapter's input and weights
(the queries ``q_i = W_q x_i``, keys ``k_j = W_k x_j``, the relative table,
the depthwise kernel and ``z = depthwise_conv(x, w)``) and forms
``alpha_ij`` for the clicked pixel ``i`` with the chapter's formulas (the
numbers are shipped to 7 significant digits, so the page's weights agree
with these to about 1e-6 relative):

========================== ============================================
depthwise conv             ``w[c, i - j]`` for ``j in L(i)``
self-attention             ``softmax_j(l_ij)``
post-norm                  ``softmax_j(l_ij) + w[i - j]``
pre-norm                   ``softmax_j(l_ij + w[i - j])``
attention-mod. conv        ``softmax_{j in L(i)}(l_ij) * w[c, i - j]``
conv-mod. attention        ``softmax_c(z_i)[c]`` at ``j = i``, else 0
========================== ============================================

with ``l_ij = q_i . k_j / sqrt(d)``. :func:`operator_weights` computes the
same weights in Python with :mod:`convlab.attention` (the tests check that
``sum_j alpha_ij * v_j`` is each operator's output, and that the page shows
these numbers).
"""

from __future__ import annotations

import math

import numpy as np
import torch

from .. import attention as A
from . import show

__all__ = [
    "OPERATORS",
    "CHANNEL_WISE",
    "mixing_weights_data",
    "operator_weights",
    "show_mixing_weights",
]

# The chapter's names, in its order.
OPERATORS = (
    "depthwise conv",
    "self-attention",
    "post-norm",
    "pre-norm",
    "attention-mod. conv",
    "conv-mod. attention",
)
# Operators whose weight is a vector (one number per channel).
CHANNEL_WISE = (
    "depthwise conv",
    "attention-mod. conv",
    "conv-mod. attention",
)


def _checked(x, w, wq, wk, table, func):
    """Validate through convlab (its messages), then the explorer's own
    limits: one image, queries and keys given."""
    if not isinstance(x, torch.Tensor) or x.ndim != 4 or x.shape[0] != 1:
        shape = tuple(x.shape) if isinstance(x, torch.Tensor) else None
        raise ValueError(
            f"{func}: x must be one image, a tensor of shape (1, C, H, W); "
            f"got {type(x).__name__} of shape {shape}."
        )
    if wq is None or wk is None:
        raise ValueError(f"{func}: give the projections wq and wk.")
    _, _, h, w_ = x.shape
    A.depthwise_conv(x, w)  # checks w: (C, k, k), k odd
    A.attention_matrix(x, wq, wk)  # checks wq, wk: (d, C)
    A.relative_bias(table, h, w_)  # checks table: (2H - 1, 2W - 1)
    return x.to(torch.float64)


def _pixel(pixel, h, w_, func):
    if (
        not isinstance(pixel, (tuple, list))
        or len(pixel) != 2
        or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in pixel
        )
    ):
        raise ValueError(
            f"{func}: pixel must be a pair (row, column) of ints, "
            f"got {pixel!r}."
        )
    r, c = pixel
    if not (0 <= r < h and 0 <= c < w_):
        raise ValueError(
            f"{func}: pixel {pixel!r} is outside the {h}x{w_} image."
        )
    return r, c


def _digits(a, significant=7):
    """``a`` (a tensor) as an array rounded to ``significant`` digits, so
    that the stored output does not depend on the last bits of a BLAS."""
    a = a.detach().to(torch.float64).numpy()
    return np.vectorize(lambda v: float(f"{v:.{significant}g}"))(a)


def _queries_keys(x, wq, wk):
    t = x[0].flatten(1).T  # (n, C): row j is x_j
    return t @ wq.T.to(x.dtype), t @ wk.T.to(x.dtype)


def operator_weights(x, w, wq, wk, table, pixel):
    """``alpha_ij`` for pixel ``i = (r, c)`` and every pixel ``j``.

    Returns a dict: operator name -> float64 tensor of shape ``(C, H, W)``
    for the channel-wise operators (:data:`CHANNEL_WISE`) and ``(H, W)``
    for the others (one weight shared by the channels).
    """
    func = "operator_weights"
    x = _checked(x, w, wq, wk, table, func)
    _, C, H, W = x.shape
    r, c = _pixel(pixel, H, W, func)
    i, k = r * W + c, w.shape[-1]
    q, kk = _queries_keys(x, wq, wk)
    logits = q @ kk.T / math.sqrt(q.shape[-1])  # (n, n)
    B = A.relative_bias(table.to(x.dtype), H, W)
    attn = A.attention_matrix(x, wq, wk)[0]
    local = A.local_window_mask(H, W, k)[i].reshape(H, W)
    # w[c, i - j] for every j: offsets (r - rj, c - cj) inside the window
    kernel = torch.zeros(C, H, W, dtype=x.dtype)
    for rj in range(max(0, r - k // 2), min(H, r + k // 2 + 1)):
        for cj in range(max(0, c - k // 2), min(W, c + k // 2 + 1)):
            kernel[:, rj, cj] = w[:, k // 2 + r - rj, k // 2 + c - cj]
    windowed = A.attention_matrix(x, wq, wk, window=k)[0, i].reshape(H, W)
    channel = A.stable_softmax(A.depthwise_conv(x, w), dim=1)[0, :, r, c]
    own = torch.zeros(C, H, W, dtype=x.dtype)
    own[:, r, c] = channel
    weights = {
        "depthwise conv": kernel * local,
        "self-attention": attn[i].reshape(H, W),
        "post-norm": (attn[i] + B[i]).reshape(H, W),
        "pre-norm": A.stable_softmax(logits[i] + B[i], dim=0).reshape(H, W),
        "attention-mod. conv": windowed * kernel,
        "conv-mod. attention": own,
    }
    return {name: weights[name] for name in OPERATORS}


def mixing_weights_data(x, w, wq, wk, table, *, pixel=None, channels=None):
    """The explorer's data for the chapter's input ``x`` (shape
    ``(1, C, H, W)``) and weights; ``pixel`` is selected first (default:
    the centre); ``channels`` names the ``C`` channels."""
    func = "mixing_weights_data"
    x = _checked(x, w, wq, wk, table, func)
    _, C, H, W = x.shape
    pixel = (H // 2, W // 2) if pixel is None else pixel
    _pixel(pixel, H, W, func)
    channels = (
        [f"channel {c}" for c in range(C)]
        if channels is None
        else list(channels)
    )
    if len(channels) != C or not all(isinstance(s, str) for s in channels):
        raise ValueError(
            f"{func}: channels must be {C} names, one per channel of x."
        )
    q, kk = _queries_keys(x, wq, wk)
    z = A.depthwise_conv(x, w)[0].flatten(1).T  # (n, C)
    first = x[0, 0]
    return {
        "H": H,
        "W": W,
        "C": C,
        "k": w.shape[-1],
        "channels": channels,
        "operators": list(OPERATORS),
        "channel_wise": list(CHANNEL_WISE),
        "q": _digits(q),
        "k_": _digits(kk),
        "scale": 1 / math.sqrt(q.shape[-1]),
        "table": _digits(table),
        "w": _digits(w),
        "z": _digits(z),
        "image": _digits(
            (first - first.min()) / (first.max() - first.min()), 3
        ),
        "pixel": list(pixel),
    }


def show_mixing_weights(x, w, wq, wk, table, **kwargs):
    """The explorer, ready to display (the last expression of a cell)."""
    return show(
        "mixing_weights",
        mixing_weights_data(x, w, wq, wk, table, **kwargs),
        title="The weights of the six operators for one pixel",
    )
