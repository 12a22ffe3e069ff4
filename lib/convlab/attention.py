"""Convolution and attention on an image, in one notation (Part V of the course).

Notation
--------
An input is a torch tensor ``x`` of shape ``(N, C, H, W)`` (NCHW): ``n = H * W``
pixels, each a vector ``x_i`` of ``C`` channels. Pixels are numbered row by row,
``i = r * W + c`` for row ``r`` and column ``c``; the *offset* from pixel ``j`` to
pixel ``i`` is ``i - j = (r_i - r_j, c_i - c_j)``.

* ``L(i)``: the local window of pixel ``i``, the pixels ``j`` of the image with
  ``|r_i - r_j| <= k // 2`` and ``|c_i - c_j| <= k // 2`` (``k`` odd). Near the
  border it holds fewer than ``k * k`` pixels: pixels outside the image do not exist
  (they are not zeros that take part in a softmax).
* ``G``: every pixel of the image (global).
* ``w[i - j]``: a *relative* weight that depends only on the offset. For a local
  operator it is a ``(C, k, k)`` table, ``w[c, k//2 + dr, k//2 + dc]`` for offset
  ``(dr, dc)`` (one weight per channel, as a depthwise kernel); for a global one it is a
  ``(2H - 1, 2W - 1)`` table, ``w[H - 1 + dr, W - 1 + dc]`` (one scalar per offset,
  shared by the channels, as in CoAtNet). :func:`relative_bias` expands a global table
  to the ``(n, n)`` matrix ``B[i, j] = w[i - j]``.
* Content logits: ``l_ij = q_i . k_j * scale`` with ``q_i = W_q x_i``,
  ``k_j = W_k x_j`` (``W_q, W_k`` of shape ``(d, C)``, identity when not given) and
  ``scale = 1 / sqrt(d)`` unless given; values ``v_j = W_v x_j`` (``W_v`` of shape
  ``(C_v, C)``, identity when not given).

The six operators (each returns ``(N, C_out, H, W)``):

========================== ===================================================================
:func:`depthwise_conv`      ``y_i = sum_{j in L(i)} w[i - j] * x_j``  (per channel; a true convolution)
:func:`self_attention`      ``y_i = sum_{j in G} softmax_j(l_ij) v_j``  (``window=k``: ``j in L(i)``)
:func:`post_norm_attention` ``y_i = sum_{j in G} (softmax_j(l_ij) + w[i - j]) v_j``
:func:`pre_norm_attention`  ``y_i = sum_{j in G} softmax_j(l_ij + w[i - j]) v_j``
:func:`attention_modulated_conv` ``y_i = sum_{j in L(i)} A_ij * w[i - j] * x_j``,
                            ``A_ij = softmax over j in L(i) of l_ij``
:func:`conv_modulated_attention` ``y_i = softmax_c(z_i) * v_i``, ``z = depthwise_conv(x, w)``:
                            the attention weights (a distribution over the channels of each
                            pixel) come from a depthwise convolution of the input
========================== ===================================================================

Every softmax subtracts the row maximum first (:func:`stable_softmax`), so large
logits give no overflow. The torch modules :class:`SEBlock`, :class:`CBAM` and
:class:`NonLocalBlock` are the channel, channel-and-spatial and pixel-attention blocks
of the literature. Their cost in multiply-adds is counted by
:func:`convlab.cost.attention_macs`.
"""

from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .tensor_checks import check_image_batch
from .validation import as_int

__all__ = [
    "stable_softmax",
    "local_window_mask",
    "relative_bias",
    "depthwise_conv",
    "self_attention",
    "attention_matrix",
    "post_norm_attention",
    "pre_norm_attention",
    "attention_modulated_conv",
    "conv_modulated_attention",
    "SEBlock",
    "CBAM",
    "NonLocalBlock",
]


# ----------------------------------------------------------------------------- checks
def _check_x(x, func):
    check_image_batch(x, func)
    if not x.is_floating_point():
        raise TypeError(
            f"{func}: x must hold floating-point numbers, got dtype {x.dtype}."
        )
    if min(x.shape) == 0:
        raise ValueError(f"{func}: x is empty (shape {tuple(x.shape)}).")
    return x


def _check_window(k, func):
    k = as_int(k, "the window size (an odd int)", func)
    if k < 1 or k % 2 == 0:
        raise ValueError(
            f"{func}: the window size must be odd and positive (the window is centred on its "
            f"pixel), got {k}."
        )
    return k


def _check_kernel(w, x, func):
    """A local relative table: shape (C, k, k) with k odd."""
    if not isinstance(w, torch.Tensor):
        raise TypeError(
            f"{func}: w must be a torch tensor of shape (C, k, k), got {type(w).__name__}."
        )
    c = x.shape[1]
    if w.ndim != 3 or w.shape[1] != w.shape[2]:
        raise ValueError(
            f"{func}: w must have shape (C, k, k) = ({c}, k, k), one square kernel per channel, "
            f"got shape {tuple(w.shape)}."
        )
    if w.shape[0] != c:
        raise ValueError(
            f"{func}: w has {w.shape[0]} kernels but x has C = {c} channels; a depthwise kernel "
            f"needs one per channel."
        )
    _check_window(w.shape[1], func)
    return w


def _check_table(table, h, w, func):
    """A global relative table: shape (2H-1, 2W-1)."""
    if not isinstance(table, torch.Tensor):
        raise TypeError(
            f"{func}: the relative table must be a torch tensor of shape (2H-1, 2W-1), "
            f"got {type(table).__name__}."
        )
    if tuple(table.shape) != (2 * h - 1, 2 * w - 1):
        raise ValueError(
            f"{func}: the relative table must have shape (2H-1, 2W-1) = ({2 * h - 1}, {2 * w - 1}) "
            f"for a {h}x{w} image (one weight per offset), got {tuple(table.shape)}."
        )
    return table


def _projection(m, c_in, name, func):
    if m is None:
        return None
    if not isinstance(m, torch.Tensor):
        raise TypeError(
            f"{func}: {name} must be a torch tensor of shape (d, C) or None, got {type(m).__name__}."
        )
    if m.ndim != 2 or m.shape[1] != c_in:
        raise ValueError(
            f"{func}: {name} must have shape (d, C) with C = {c_in} (it maps each pixel's {c_in} "
            f"channels to d features), got {tuple(m.shape)}."
        )
    return m


# ----------------------------------------------------------------------------- building blocks
def stable_softmax(
    logits: torch.Tensor, dim: int = -1, mask: torch.Tensor | None = None
) -> torch.Tensor:
    """Softmax along ``dim`` computed as ``exp(l - max l) / sum exp(l - max l)``.

    Subtracting the maximum changes nothing mathematically and keeps every ``exp`` in
    ``(0, 1]``, so logits of any size give no ``inf`` or ``NaN``. ``mask`` (boolean,
    broadcastable to ``logits``) marks the entries that take part; the others get weight 0.
    Every row must keep at least one entry.
    """
    if mask is not None:
        if not mask.any(dim=dim).all():
            raise ValueError(
                "stable_softmax: a row of the mask is empty; every softmax needs at least one entry."
            )
        logits = logits.masked_fill(~mask, float("-inf"))
    shifted = logits - logits.amax(dim=dim, keepdim=True)
    e = torch.exp(shifted)
    return e / e.sum(dim=dim, keepdim=True)


def local_window_mask(h: int, w: int, k: int, device=None) -> torch.Tensor:
    """Boolean ``(n, n)`` matrix, ``n = h * w``: entry ``[i, j]`` says ``j in L(i)``,
    the ``k x k`` window centred on ``i``, clipped to the image."""
    func = "local_window_mask"
    k = _check_window(k, func)
    h = as_int(h, "h", func, minimum=1)
    w = as_int(w, "w", func, minimum=1)
    r = torch.arange(h, device=device).repeat_interleave(w)
    c = torch.arange(w, device=device).repeat(h)
    half = k // 2
    return ((r[:, None] - r[None, :]).abs() <= half) & (
        (c[:, None] - c[None, :]).abs() <= half
    )


def relative_bias(table: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """``(n, n)`` matrix ``B[i, j] = table[H - 1 + r_i - r_j, W - 1 + c_i - c_j]``.

    ``table`` has shape ``(2H - 1, 2W - 1)``: one weight per offset ``i - j``. ``B``
    depends on ``i`` and ``j`` only through their offset (it is block-Toeplitz), which is
    what makes operators built on it translation-equivariant.
    """
    table = _check_table(table, h, w, "relative_bias")
    r = torch.arange(h, device=table.device).repeat_interleave(w)
    c = torch.arange(w, device=table.device).repeat(h)
    return table[
        h - 1 + r[:, None] - r[None, :], w - 1 + c[:, None] - c[None, :]
    ]


def _tokens(x):
    """(N, C, H, W) -> (N, n, C)"""
    return x.flatten(2).transpose(1, 2)


def _image(t, h, w):
    """(N, n, C) -> (N, C, H, W)"""
    return t.transpose(1, 2).reshape(t.shape[0], t.shape[2], h, w)


def _queries_keys(x, wq, wk, scale, func):
    """Queries ``(N, n, d)``, keys ``(N, n, d)`` and the logit scale
    (``1 / sqrt(d)`` unless given) of the pixels of ``x``."""
    c = x.shape[1]
    wq, wk = _projection(wq, c, "wq", func), _projection(wk, c, "wk", func)
    t = _tokens(x)
    q = t if wq is None else t @ wq.T
    k = t if wk is None else t @ wk.T
    if q.shape[-1] != k.shape[-1]:
        raise ValueError(
            f"{func}: queries have {q.shape[-1]} features but keys have {k.shape[-1]}; "
            "wq and wk must map to the same d."
        )
    if scale is None:
        scale = 1.0 / math.sqrt(q.shape[-1])
    return q, k, scale


def _content_logits(x, wq, wk, scale, func):
    q, k, scale = _queries_keys(x, wq, wk, scale, func)
    return (q @ k.transpose(1, 2)) * scale


def _values(x, wv, func):
    wv = _projection(wv, x.shape[1], "wv", func)
    t = _tokens(x)
    return t if wv is None else t @ wv.T


# ----------------------------------------------------------------------------- the six operators
def depthwise_conv(x: torch.Tensor, w: torch.Tensor) -> torch.Tensor:
    """``y_i = sum_{j in L(i)} w[i - j] * x_j``, channel by channel.

    x: ``(N, C, H, W)``; w: ``(C, k, k)``, ``k`` odd, ``w[c, k//2 + dr, k//2 + dc]`` the weight of
    offset ``i - j = (dr, dc)``. Pixels outside the image contribute nothing (zero padding), so
    the output keeps the size ``H x W``. Indexed by ``i - j`` this is a *true* convolution:
    it equals ``F.conv2d(x, w.flip(-1, -2)[:, None], padding=k // 2, groups=C)`` (PyTorch's
    cross-correlation with the flipped kernel).
    """
    func = "depthwise_conv"
    x = _check_x(x, func)
    w = _check_kernel(w, x, func)
    k = w.shape[-1]
    return F.conv2d(
        x,
        w.flip(-1, -2)[:, None].to(x.dtype),
        padding=k // 2,
        groups=x.shape[1],
    )


def self_attention(
    x, wq=None, wk=None, wv=None, scale=None, window=None
) -> torch.Tensor:
    """``y_i = sum_j softmax_j(l_ij) v_j`` over every pixel ``j`` (or, with ``window=k``, over
    ``j in L(i)`` only: masked local self-attention).

    x: ``(N, C, H, W)``; wq, wk: ``(d, C)``; wv: ``(C_v, C)`` (identity when None);
    ``scale`` defaults to ``1/sqrt(d)``. Returns ``(N, C_v, H, W)``. Memory and time grow as
    ``n^2 = (H W)^2``: the ``(n, n)`` attention matrix is formed.
    """
    func = "self_attention"
    a = _attention_weights(x, wq, wk, scale, window, func)
    return _image(a @ _values(x, wv, func), *x.shape[-2:])


def attention_matrix(
    x, wq=None, wk=None, scale=None, window=None
) -> torch.Tensor:
    """The weights of :func:`self_attention`: ``A[b, i, j] = softmax_j(l_ij)``, shape ``(N, n, n)``, ``n = H W``.

    Row ``i`` is the distribution over the pixels ``j`` (numbered row by row, ``j = r W + c``) that
    pixel ``i`` averages: every row sums to one, and with ``window=None`` every entry is positive
    (a softmax is never exactly zero, so every pixel takes part). ``wq``, ``wk``, ``scale`` and
    ``window`` are those of :func:`self_attention`, and ``self_attention(x, wq, wk, wv)`` equals
    ``A @ V`` with ``V`` the ``(N, n, C_v)`` values ``v_j = W_v x_j``. Row ``i`` reshaped to
    ``(H, W)`` is the attention map of pixel ``i``. The matrix takes ``n^2`` numbers per image.
    """
    return _attention_weights(x, wq, wk, scale, window, "attention_matrix")


def _attention_weights(x, wq, wk, scale, window, func):
    """``softmax_j(l_ij)`` over every pixel ``j`` or, with ``window=k``,
    over ``j in L(i)``: ``(N, n, n)``."""
    x = _check_x(x, func)
    h, w_ = x.shape[-2:]
    logits = _content_logits(x, wq, wk, scale, func)
    mask = (
        None
        if window is None
        else local_window_mask(h, w_, window, device=x.device)
    )
    return stable_softmax(logits, dim=-1, mask=mask)


def post_norm_attention(
    x, table, wq=None, wk=None, wv=None, scale=None
) -> torch.Tensor:
    """``y_i = sum_j (softmax_j(l_ij) + w[i - j]) v_j``: attention plus a static relative kernel,
    added *after* the softmax normalisation. ``table``: ``(2H - 1, 2W - 1)``, ``w[i - j] =
    table[H - 1 + dr, W - 1 + dc]``. Shapes as :func:`self_attention`."""
    func = "post_norm_attention"
    x = _check_x(x, func)
    h, w_ = x.shape[-2:]
    bias = relative_bias(table, h, w_).to(x.dtype)
    a = stable_softmax(_content_logits(x, wq, wk, scale, func), dim=-1)
    return _image((a + bias) @ _values(x, wv, func), h, w_)


def pre_norm_attention(
    x, table, wq=None, wk=None, wv=None, scale=None
) -> torch.Tensor:
    """``y_i = sum_j softmax_j(l_ij + w[i - j]) v_j``: the static relative kernel is added to the
    logits *before* the softmax (CoAtNet's relative attention). With zero content logits it is a
    static kernel ``softmax_j(w[i - j])``, normalised over the image. Shapes as :func:`self_attention`."""
    func = "pre_norm_attention"
    x = _check_x(x, func)
    h, w_ = x.shape[-2:]
    bias = relative_bias(table, h, w_).to(x.dtype)
    a = stable_softmax(
        _content_logits(x, wq, wk, scale, func) + bias, dim=-1
    )
    return _image(a @ _values(x, wv, func), h, w_)


def attention_modulated_conv(
    x, w, wq=None, wk=None, scale=None
) -> torch.Tensor:
    """``y_i = sum_{j in L(i)} A_ij * w[i - j] * x_j`` with ``A_ij = softmax_{j in L(i)}(l_ij)``.

    A depthwise convolution (w: ``(C, k, k)``, as :func:`depthwise_conv`) whose weight for each
    neighbour is rescaled by attention computed within the same window. ``A`` sums to one over
    the window, so with constant logits ``A_ij = 1 / |L(i)|`` (``1/k^2`` away from the border).
    Only the ``k^2`` logits of each window are computed (keys and values are gathered with
    ``unfold``), so time and memory grow linearly with the number of pixels ``n``:
    ``n k^2 (d + C)`` multiply-adds besides the projections. Returns ``(N, C, H, W)``.
    """
    func = "attention_modulated_conv"
    x = _check_x(x, func)
    w = _check_kernel(w, x, func)
    n_img, c, h, w_ = x.shape
    k = w.shape[-1]
    q, keys, scale = _queries_keys(x, wq, wk, scale, func)  # (N, n, d)
    n = h * w_

    def windows(
        img,
    ):  # (N, D, H, W) -> (N, n, k*k, D): the k x k window of each pixel
        cols = F.unfold(img, k, padding=k // 2)  # (N, D*k*k, n)
        return cols.view(n_img, -1, k * k, n).permute(0, 3, 2, 1)

    key_win = windows(_image(keys, h, w_))  # (N, n, k*k, d)
    logits = torch.einsum("bid,bipd->bip", q, key_win) * scale
    inside = F.unfold(  # which window positions lie inside the image
        torch.ones(1, 1, h, w_, dtype=x.dtype, device=x.device),
        k,
        padding=k // 2,
    )[0].T.bool()  # (n, k*k)
    a = stable_softmax(logits, dim=-1, mask=inside)  # (N, n, k*k)
    # window position p = (a, b) holds pixel j = i + (a - k//2, b - k//2), so
    # i - j = (k//2 - a, k//2 - b): the kernel tap w[k-1-a, k-1-b]
    taps = w.to(x.dtype).flip(-2, -1).reshape(c, k * k)  # (C, k*k)
    y = torch.einsum("bip,cp,bipc->bic", a, taps, windows(x))
    return _image(y, h, w_)


def conv_modulated_attention(x, w, wv=None) -> torch.Tensor:
    """``y_i = softmax_c(z_i) * v_i`` with ``z = depthwise_conv(x, w)``.

    The attention weights at pixel ``i`` are a distribution over the channels, computed from a
    depthwise convolution (w: ``(C, k, k)``) of the input around ``i``; they rescale the values
    ``v_i = W_v x_i`` (wv: ``(C, C)``, identity when None) channel by channel. Local (the window of
    the convolution), input-adaptive and translation-equivariant. Returns ``(N, C, H, W)``.
    """
    func = "conv_modulated_attention"
    x = _check_x(x, func)
    z = depthwise_conv(x, w)
    if wv is not None:
        wv = _projection(wv, x.shape[1], "wv", func)
        if wv.shape[0] != x.shape[1]:
            raise ValueError(
                f"{func}: wv must have shape (C, C) = ({x.shape[1]}, {x.shape[1]}) so that values and "
                f"attention weights have the same channels, got {tuple(wv.shape)}."
            )
    v = x if wv is None else torch.einsum("dc,nchw->ndhw", wv, x)
    return stable_softmax(z, dim=1) * v


# ----------------------------------------------------------------------------- modules
def _check_channels(channels, reduction, cls):
    channels = as_int(channels, "channels", cls, minimum=1)
    reduction = as_int(reduction, "reduction", cls, minimum=1)
    if channels // reduction < 1:
        raise ValueError(
            f"{cls}: channels // reduction must be at least 1, got {channels} // {reduction} = 0."
        )


class SEBlock(nn.Module):
    """Squeeze-and-excitation (Hu et al. 2018): ``y = x * sigmoid(W2 relu(W1 mean_hw(x)))``.

    ``(N, C, H, W) -> (N, C, H, W)``. W1: ``C -> C // reduction``, W2: back to ``C``, both with
    bias: ``2 C (C // r) + C // r + C`` parameters.
    """

    def __init__(self, channels: int, reduction: int = 16):
        super().__init__()
        _check_channels(channels, reduction, "SEBlock")
        hidden = channels // reduction
        self.fc1, self.fc2 = (
            nn.Linear(channels, hidden),
            nn.Linear(hidden, channels),
        )

    def forward(self, x):
        return x * self._gates(x, "SEBlock")[:, :, None, None]

    def gates(self, x):
        """The channel gates ``s = sigmoid(W2 relu(W1 z + b1) + b2)``, ``z = mean_hw(x)``, for ``x``
        ``(N, C, H, W)``: a tensor ``(N, C)`` with entries between 0 and 1, one per image and channel, so that
        ``self(x) == x * s[:, :, None, None]``. For inspecting what the block does to an input."""
        return self._gates(x, "SEBlock.gates")

    def _gates(self, x, func):
        _check_x(x, func)
        _check_input_channels(x, self.fc1.in_features, func)
        s = x.mean(dim=(2, 3))  # squeeze: (N, C)
        return torch.sigmoid(self.fc2(F.relu(self.fc1(s))))  # excite


def _check_input_channels(x, channels, func):
    if x.shape[1] != channels:
        raise ValueError(
            f"{func}: x has {x.shape[1]} channels (shape {tuple(x.shape)}) but the block was built "
            f"for channels={channels}."
        )


class CBAM(nn.Module):
    """Convolutional block attention module (Woo et al. 2018): channel attention, then spatial.

    Channel: ``sigmoid(MLP(avgpool(x)) + MLP(maxpool(x)))`` with one shared MLP
    ``C -> C // reduction -> C`` (with biases). Spatial: ``sigmoid(conv_kxk([mean_c(x), max_c(x)]))``,
    a ``2 -> 1`` convolution with bias and padding ``k // 2``. ``(N, C, H, W) -> (N, C, H, W)``.
    """

    def __init__(
        self, channels: int, reduction: int = 16, kernel_size: int = 7
    ):
        super().__init__()
        _check_channels(channels, reduction, "CBAM")
        _check_window(kernel_size, "CBAM")
        hidden = channels // reduction
        self.mlp = nn.Sequential(
            nn.Linear(channels, hidden),
            nn.ReLU(),
            nn.Linear(hidden, channels),
        )
        self.spatial = nn.Conv2d(
            2, 1, kernel_size, padding=kernel_size // 2
        )

    def forward(self, x):
        m_c, m_s = self._gates(x, "CBAM")
        return x * m_c[:, :, None, None] * m_s

    def gates(self, x):
        """The two gates CBAM applies to ``x`` ``(N, C, H, W)``: ``(m_c, m_s)`` with the channel gates
        ``m_c = sigmoid(MLP(mean_hw(x)) + MLP(max_hw(x)))`` of shape ``(N, C)`` and the spatial gates
        ``m_s = sigmoid(conv([mean_c(x'), max_c(x')]))`` of shape ``(N, 1, H, W)``, computed from the
        channel-rescaled ``x' = x * m_c``; so ``self(x) == x * m_c[:, :, None, None] * m_s``. Entries lie
        between 0 and 1. For inspecting what the block does to an input."""
        return self._gates(x, "CBAM.gates")

    def _gates(self, x, func):
        _check_x(x, func)
        _check_input_channels(x, self.mlp[0].in_features, func)
        m_c = torch.sigmoid(
            self.mlp(x.mean(dim=(2, 3))) + self.mlp(x.amax(dim=(2, 3)))
        )
        x = x * m_c[:, :, None, None]
        pooled = torch.cat(
            [x.mean(dim=1, keepdim=True), x.amax(dim=1, keepdim=True)],
            dim=1,
        )
        return m_c, torch.sigmoid(self.spatial(pooled))


class NonLocalBlock(nn.Module):
    """Non-local block (Wang et al. 2018), embedded-Gaussian form, as a residual:

    ``y = x + W_z (softmax_j(theta(x)_i . phi(x)_j) g(x)_j)``, with ``theta, phi, g`` 1x1
    convolutions ``C -> inter_channels`` and ``W_z`` a 1x1 convolution back to ``C`` whose weights
    start at zero, so a new block is the identity. ``(N, C, H, W) -> (N, C, H, W)``; the attention
    matrix is ``(H W) x (H W)``. No ``1/sqrt(d)`` scale, as in the paper.
    """

    def __init__(self, channels: int, inter_channels: int | None = None):
        super().__init__()
        func = "NonLocalBlock"
        channels = as_int(channels, "channels", func, minimum=1)
        inter = as_int(
            channels // 2 if inter_channels is None else inter_channels,
            "inter_channels",
            func,
            minimum=1,
        )
        self.theta, self.phi, self.g = (
            nn.Conv2d(channels, inter, 1) for _ in range(3)
        )
        self.w_z = nn.Conv2d(inter, channels, 1)
        nn.init.zeros_(self.w_z.weight)
        nn.init.zeros_(self.w_z.bias)

    def forward(self, x):
        _check_x(x, "NonLocalBlock")
        n, _, h, w = x.shape
        theta, phi, g = (
            _tokens(self.theta(x)),
            _tokens(self.phi(x)),
            _tokens(self.g(x)),
        )
        a = stable_softmax(theta @ phi.transpose(1, 2), dim=-1)  # (N, n, n)
        return x + self.w_z(_image(a @ g, h, w))
