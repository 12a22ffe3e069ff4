"""Three small image classifiers for one controlled comparison (chapter 24): convolution, attention, both.

All three take NCHW images ``x`` of shape ``(N, in_channels, S, S)`` and return logits
``(N, num_classes)``; all three end the same way (global average over positions, one linear
layer), so they differ in how they mix information between pixels.

* :class:`ConvNet`, a small ResNet: a ``3x3`` stem and three stages of one
  :class:`~convlab.models.resnet.BasicBlock` each, at resolutions ``S``, ``S/2`` and ``S/4``
  (channels ``widths = (C1, C2, C3)``).
* :class:`HybridNet`, CoAtNet-style ("C-C-T"): the *same* stem and first two stages, then a
  transformer stage at ``S/4``. The transformer stage starts with a ``2x2`` stride-2 convolution
  (a patch merging, ``C2 -> D``) and runs ``depth`` pre-norm :class:`TransformerBlock` s whose
  attention has CoAtNet's relative position bias ``softmax_j(q_i . k_j / sqrt(d) + w[i - j])``,
  one table ``w`` of shape ``(2H - 1, 2W - 1)`` per head (chapter 23's pre-normalisation operator).
* :class:`VisionTransformer`, a small ViT: the image cut into ``p x p`` patches, each mapped
  linearly to ``D`` features (:class:`PatchEmbedding`), plus a *learned absolute* positional
  embedding, then ``depth`` transformer blocks without relative bias, a final layer norm, the mean
  over the tokens and a linear classifier (mean pooling instead of a class token).

Tokens are stored ``(N, n, D)``: ``n = H * W`` positions numbered row by row, as in
:mod:`convlab.attention`. A transformer block with ``D`` features and MLP ratio ``r`` has
``(4 + 2 r) D^2 + (6 + r) D`` parameters (two layer norms ``4D``, a bias-free ``qkv``
projection ``3 D^2``, the output projection ``D^2 + D``, the MLP ``2 r D^2 + r D + D``), plus
``heads (2H - 1)(2W - 1)`` with relative bias. Its attention costs ``4 n D^2 + 2 n^2 D``
multiply-adds per image (projections, logits, weighted sum), the MLP ``2 r n D^2``.
"""

from __future__ import annotations

import math
import numbers

import torch
from torch import nn

from ..attention import relative_bias, stable_softmax
from ..tensor_checks import check_image_batch
from ..validation import as_int, as_int_tuple
from . import init
from .resnet import BasicBlock, _conv_bn

__all__ = [
    "MultiHeadSelfAttention",
    "TransformerBlock",
    "PatchEmbedding",
    "TransformerStage",
    "ConvNet",
    "HybridNet",
    "VisionTransformer",
    "tokens_of",
    "image_of",
]


# ----------------------------------------------------------------------------- checks
def _check_grid(grid, func):
    if grid is None:
        return None
    return as_int_tuple(
        grid, "grid", func, 2, what="None or a pair (H, W) of positive ints"
    )


def _check_heads(dim, heads, func):
    dim = as_int(dim, "dim", func, minimum=1)
    heads = as_int(heads, "heads", func, minimum=1)
    if dim % heads:
        raise ValueError(
            f"{func}: dim = {dim} is not divisible by heads = {heads}; every head gets "
            f"dim / heads features, so choose heads among the divisors of {dim}."
        )
    return dim, heads


def _check_ratio(mlp_ratio, func):
    if isinstance(mlp_ratio, bool) or not isinstance(
        mlp_ratio, numbers.Integral
    ):
        raise TypeError(
            f"{func}: mlp_ratio must be an int (the MLP's hidden width is mlp_ratio * dim), "
            f"got {mlp_ratio!r}."
        )
    return as_int(mlp_ratio, "mlp_ratio", func, minimum=1)


def _check_widths(widths, func):
    return as_int_tuple(
        widths,
        "widths",
        func,
        3,
        what="three channel counts (C1, C2, C3), one per stage",
    )


def _check_tokens(t, dim, func):
    if not isinstance(t, torch.Tensor):
        raise TypeError(
            f"{func}: the input must be a torch tensor of tokens (N, n, D), got {type(t).__name__}."
        )
    if t.ndim != 3 or t.shape[-1] != dim:
        raise ValueError(
            f"{func}: the input must have shape (N, n, D) with D = {dim}, got {tuple(t.shape)}."
        )


def _check_images(x, channels, size, func):
    """x must be (N, channels, size, size); size None accepts any H, W."""
    check_image_batch(x, func)
    if x.shape[1] != channels:
        raise ValueError(
            f"{func}: the model was built for {channels} input channel(s), but x has "
            f"{x.shape[1]} (shape {tuple(x.shape)})."
        )
    if size is not None and tuple(x.shape[-2:]) != (size, size):
        raise ValueError(
            f"{func}: the model was built for {size}x{size} images (its positional parameters "
            f"depend on the image size), but x is {x.shape[-2]}x{x.shape[-1]}."
        )


def _check_image_size(image_size, divisor, reason, func):
    image_size = as_int(image_size, "image_size", func, minimum=1)
    if image_size % divisor:
        raise ValueError(
            f"{func}: image_size = {image_size} is not divisible by {divisor} ({reason})."
        )
    return image_size


def tokens_of(x: torch.Tensor) -> torch.Tensor:
    """``(N, C, H, W) -> (N, H W, C)``: one token per pixel, pixels numbered row by row."""
    return x.flatten(2).transpose(1, 2)


def image_of(t: torch.Tensor, h: int, w: int) -> torch.Tensor:
    """``(N, H W, C) -> (N, C, H, W)``, the inverse of :func:`tokens_of`."""
    return t.transpose(1, 2).reshape(t.shape[0], t.shape[2], h, w)


# ----------------------------------------------------------------------------- attention pieces
class MultiHeadSelfAttention(nn.Module):
    """Multi-head self-attention on tokens ``(N, n, D) -> (N, n, D)``.

    ``q, k, v = t W_qkv`` (one bias-free ``D -> 3D`` projection), split into ``heads`` heads of
    ``d = D / heads`` features; head ``m`` computes ``a^m_ij = softmax_j(q^m_i . k^m_j / sqrt(d) + B_m[i, j])``
    and ``y^m_i = sum_j a^m_ij v^m_j``; the heads are concatenated and projected, ``W_o [y^1; ...] + b_o``
    (``D -> D``). Multiply-adds per image: ``4 n D^2 + 2 n^2 D``, whatever the number of heads.

    ``grid=None``: no position term (``B_m = 0``); the operator then does not know where a token is.
    ``grid=(H, W)``: the tokens are the ``H x W`` pixels of a map, row by row, and ``B_m[i, j] =
    w_m[i - j]`` is a learned relative bias, one table of shape ``(2H - 1, 2W - 1)`` per head
    (initialised to zero), expanded by :func:`convlab.attention.relative_bias`: CoAtNet's relative
    attention, chapter 23's ``pre_norm_attention`` per head. Parameters ``4 D^2 + D`` (+ the tables).
    """

    def __init__(self, dim: int, heads: int, grid=None):
        super().__init__()
        func = "MultiHeadSelfAttention"
        self.dim, self.heads = _check_heads(dim, heads, func)
        self.grid = _check_grid(grid, func)
        self.head_dim = self.dim // self.heads
        self.qkv = nn.Linear(self.dim, 3 * self.dim, bias=False)
        self.proj = nn.Linear(self.dim, self.dim)
        self.tables = None
        if self.grid is not None:
            h, w = self.grid
            self.tables = nn.Parameter(
                torch.zeros(self.heads, 2 * h - 1, 2 * w - 1)
            )

    def bias(self) -> torch.Tensor | None:
        """The relative biases ``(heads, n, n)``, or None without a grid."""
        if self.tables is None:
            return None
        h, w = self.grid
        return torch.stack(
            [relative_bias(table, h, w) for table in self.tables]
        )

    def attention_weights(self, t: torch.Tensor) -> torch.Tensor:
        """The attention matrices ``a`` of shape ``(N, heads, n, n)``; every row sums to one."""
        q, k, _ = self._qkv(t)
        return self._weights(q, k)

    def _qkv(self, t):
        _check_tokens(t, self.dim, "MultiHeadSelfAttention")
        n_img, n, _ = t.shape
        if self.grid is not None and n != self.grid[0] * self.grid[1]:
            raise ValueError(
                f"MultiHeadSelfAttention: built for a {self.grid[0]}x{self.grid[1]} grid "
                f"({self.grid[0] * self.grid[1]} tokens), got {n} tokens."
            )
        qkv = (
            self.qkv(t)
            .reshape(n_img, n, 3, self.heads, self.head_dim)
            .permute(2, 0, 3, 1, 4)
        )
        return qkv[0], qkv[1], qkv[2]  # each (N, heads, n, d)

    def _weights(self, q, k):
        logits = (q @ k.transpose(-2, -1)) / math.sqrt(
            self.head_dim
        )  # (N, heads, n, n)
        b = self.bias()
        if b is not None:
            logits = logits + b
        return stable_softmax(logits, dim=-1)

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        q, k, v = self._qkv(t)
        y = self._weights(q, k) @ v  # (N, heads, n, d)
        y = y.transpose(1, 2).reshape(t.shape[0], t.shape[1], self.dim)
        return self.proj(y)


class TransformerBlock(nn.Module):
    """A pre-norm transformer block on tokens ``(N, n, D) -> (N, n, D)``:

    ``t = t + MHSA(LN(t))``, then ``t = t + MLP(LN(t))`` with ``MLP = Linear(D, r D) - GELU -
    Linear(r D, D)``. Each sub-layer adds a correction to the residual stream (as in a ResNet), and
    the layer norm sits *before* it (pre-norm, as in ViT and CoAtNet). ``grid`` as in
    :class:`MultiHeadSelfAttention`. Parameters ``(4 + 2 r) D^2 + (6 + r) D`` (+ the relative tables).
    """

    def __init__(self, dim: int, heads: int, mlp_ratio: int = 4, grid=None):
        super().__init__()
        func = "TransformerBlock"
        dim, heads = _check_heads(dim, heads, func)
        hidden = _check_ratio(mlp_ratio, func) * dim
        self.norm1 = nn.LayerNorm(dim)
        self.attn = MultiHeadSelfAttention(dim, heads, grid)
        self.norm2 = nn.LayerNorm(dim)
        self.mlp = nn.Sequential(
            nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, dim)
        )

    def forward(self, t: torch.Tensor) -> torch.Tensor:
        t = t + self.attn(self.norm1(t))
        return t + self.mlp(self.norm2(t))


class PatchEmbedding(nn.Module):
    """Cut ``(N, C, H, W)`` into non-overlapping ``p x p`` patches and map each linearly to ``D``
    features: ``(N, D, H / p, W / p)``. It is a convolution with kernel ``p`` and stride ``p`` (the
    same linear map for every patch): ``C p^2 D + D`` parameters. ``H`` and ``W`` must be multiples of ``p``."""

    def __init__(self, in_channels: int, dim: int, patch_size: int):
        super().__init__()
        func = "PatchEmbedding"
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        dim = as_int(dim, "dim", func, minimum=1)
        self.patch_size = as_int(patch_size, "patch_size", func, minimum=1)
        self.proj = nn.Conv2d(
            in_channels, dim, self.patch_size, stride=self.patch_size
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x, self.proj.in_channels, None, "PatchEmbedding")
        p = self.patch_size
        if x.shape[-2] % p or x.shape[-1] % p:
            raise ValueError(
                f"PatchEmbedding: the image ({x.shape[-2]}x{x.shape[-1]}) is not a whole number of "
                f"{p}x{p} patches; its height and width must be multiples of {p}."
            )
        return self.proj(x)


class TransformerStage(nn.Module):
    """A transformer stage on a feature map, CoAtNet-style: ``(N, C, H, W) -> (N, D, H/2, W/2)``.

    A ``2x2`` stride-2 :class:`PatchEmbedding` (patch merging: it halves the resolution and maps
    ``C -> D`` channels), then ``depth`` :class:`TransformerBlock` s with relative position bias on
    the ``H/2 x W/2`` grid, the tokens being the pixels of the map. ``H`` and ``W`` are fixed at
    construction (``grid_in = (H, W)``, both even) because the relative tables depend on them.
    """

    def __init__(
        self,
        in_channels: int,
        dim: int,
        heads: int,
        depth: int,
        grid_in,
        mlp_ratio: int = 4,
    ):
        super().__init__()
        func = "TransformerStage"
        grid_in = _check_grid(grid_in, func)
        if grid_in is None:
            raise TypeError(
                f"{func}: grid_in must be the input map's size (H, W), not None."
            )
        if grid_in[0] % 2 or grid_in[1] % 2:
            raise ValueError(
                f"{func}: the input map {grid_in[0]}x{grid_in[1]} must have an even height and width "
                "(the patch merging halves them)."
            )
        depth = as_int(depth, "depth", func, minimum=1)
        self.grid_in = grid_in
        self.grid = (grid_in[0] // 2, grid_in[1] // 2)
        self.merge = PatchEmbedding(in_channels, dim, 2)
        self.blocks = nn.Sequential(
            *[
                TransformerBlock(dim, heads, mlp_ratio, self.grid)
                for _ in range(depth)
            ]
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if (
            isinstance(x, torch.Tensor)
            and x.ndim == 4
            and tuple(x.shape[-2:]) != self.grid_in
        ):
            raise ValueError(
                f"TransformerStage: built for {self.grid_in[0]}x{self.grid_in[1]} maps, got "
                f"{x.shape[-2]}x{x.shape[-1]}."
            )
        y = self.merge(x)
        h, w = y.shape[-2:]
        return image_of(self.blocks(tokens_of(y)), h, w)


# ----------------------------------------------------------------------------- the three models
def _conv_stages(in_channels, c1, c2):
    """Stem (3x3 conv - BN - ReLU, ``in_channels -> C1``), a BasicBlock at full resolution, a
    BasicBlock with stride 2 (``C1 -> C2``): ``(N, in, S, S) -> (N, C2, ceil(S/2), ceil(S/2))``."""
    return nn.Sequential(
        *_conv_bn(in_channels, c1, 3),
        nn.ReLU(inplace=True),
        BasicBlock(c1, c1),
        BasicBlock(c1, c2, stride=2),
    )


def _init_convs(module):
    """The initialisation of ResNet's reference code for every 3x3/1x1 convolution of ``module``."""
    for m in module.modules():
        if isinstance(m, nn.Conv2d):
            init.kaiming_normal_(
                m.weight, mode="fan_out", nonlinearity="relu"
            )


class ConvNet(nn.Module):
    """A small ResNet: ``(N, in_channels, S, S) -> (N, num_classes)``.

    ``stem`` (3x3 conv, ``C1``) at ``S x S``; ``stages``: a BasicBlock ``C1 -> C1`` at ``S``, one
    ``C1 -> C2`` with stride 2 at ``S/2``, one ``C2 -> C3`` with stride 2 at ``S/4`` (sizes rounded
    up); global average pooling; ``Linear(C3, num_classes)``. Works for any image size. With the
    defaults (widths 8, 16, 32; one channel; 4 classes) it has 19,612 parameters.
    """

    def __init__(
        self, num_classes: int = 4, in_channels: int = 1, widths=(8, 16, 32)
    ):
        super().__init__()
        func = "ConvNet"
        num_classes = as_int(num_classes, "num_classes", func, minimum=1)
        self.in_channels = as_int(
            in_channels, "in_channels", func, minimum=1
        )
        c1, c2, c3 = _check_widths(widths, func)
        self.features = nn.Sequential(
            _conv_stages(self.in_channels, c1, c2),
            BasicBlock(c2, c3, stride=2),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c3, num_classes)
        _init_convs(self)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x, self.in_channels, None, "ConvNet")
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


class HybridNet(nn.Module):
    """CoAtNet-style hybrid: ``(N, in_channels, S, S) -> (N, num_classes)``, ``S`` a multiple of 4.

    The stem and first two stages of :class:`ConvNet` (convolution where the resolution is high:
    ``S`` and ``S/2``), then a :class:`TransformerStage` (``C2 -> D = C3``, ``depth`` blocks,
    ``heads`` heads, relative position bias) on the ``S/4 x S/4`` map, a layer norm of each token,
    the mean over the tokens and ``Linear(C3, num_classes)``. With the defaults (16x16 images,
    widths 8, 16, 32, one block of 2 heads, MLP ratio 4) it has 19,934 parameters.
    """

    def __init__(
        self,
        image_size: int = 16,
        num_classes: int = 4,
        in_channels: int = 1,
        widths=(8, 16, 32),
        depth: int = 1,
        heads: int = 2,
        mlp_ratio: int = 4,
    ):
        super().__init__()
        func = "HybridNet"
        self.image_size = _check_image_size(
            image_size, 4, "two stages halve the resolution exactly", func
        )
        num_classes = as_int(num_classes, "num_classes", func, minimum=1)
        self.in_channels = as_int(
            in_channels, "in_channels", func, minimum=1
        )
        c1, c2, c3 = _check_widths(widths, func)
        _check_heads(c3, heads, func)
        half = self.image_size // 2
        self.features = nn.Sequential(
            _conv_stages(self.in_channels, c1, c2),
            TransformerStage(c2, c3, heads, depth, (half, half), mlp_ratio),
        )
        self.norm = nn.LayerNorm(c3)
        self.fc = nn.Linear(c3, num_classes)
        _init_convs(self.features[0])

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(x, self.in_channels, self.image_size, "HybridNet")
        t = tokens_of(self.features(x))  # (N, n, C3), n = (S/4)^2
        return self.fc(self.norm(t).mean(dim=1))


class VisionTransformer(nn.Module):
    """A small ViT: ``(N, in_channels, S, S) -> (N, num_classes)``, ``S`` a multiple of ``patch_size``.

    ``t = PatchEmbedding(x) + pos``: ``n = (S / p)^2`` tokens of ``D`` features, ``pos`` a learned
    ``(1, n, D)`` absolute positional embedding (initialised with standard deviation 0.02); then
    ``depth`` :class:`TransformerBlock` s (no relative bias), a layer norm, the mean over the tokens
    and ``Linear(D, num_classes)``. Without ``pos`` the model could not tell where a patch is.
    With the defaults (16x16 images, 4x4 patches, D = 28, 2 blocks of 2 heads) it has 20,472 parameters.
    """

    def __init__(
        self,
        image_size: int = 16,
        patch_size: int = 4,
        num_classes: int = 4,
        in_channels: int = 1,
        dim: int = 28,
        depth: int = 2,
        heads: int = 2,
        mlp_ratio: int = 4,
    ):
        super().__init__()
        func = "VisionTransformer"
        patch_size = as_int(patch_size, "patch_size", func, minimum=1)
        self.image_size = _check_image_size(
            image_size,
            patch_size,
            f"the image must be a whole number of {patch_size}x{patch_size} patches",
            func,
        )
        num_classes = as_int(num_classes, "num_classes", func, minimum=1)
        self.in_channels = as_int(
            in_channels, "in_channels", func, minimum=1
        )
        dim, heads = _check_heads(dim, heads, func)
        depth = as_int(depth, "depth", func, minimum=1)
        self.grid = (self.image_size // patch_size,) * 2
        self.patches = PatchEmbedding(self.in_channels, dim, patch_size)
        self.pos = nn.Parameter(
            init.normal_(
                torch.empty(1, self.grid[0] * self.grid[1], dim), 0.0, 0.02
            )
        )
        self.blocks = nn.Sequential(
            *[TransformerBlock(dim, heads, mlp_ratio) for _ in range(depth)]
        )
        self.norm = nn.LayerNorm(dim)
        self.fc = nn.Linear(dim, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_images(
            x, self.in_channels, self.image_size, "VisionTransformer"
        )
        t = tokens_of(self.patches(x)) + self.pos  # (N, n, D)
        return self.fc(self.norm(self.blocks(t)).mean(dim=1))
