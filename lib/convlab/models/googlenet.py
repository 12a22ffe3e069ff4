"""GoogLeNet (Szegedy et al., "Going Deeper with Convolutions", 2015), without its auxiliary heads.

An **Inception block** runs four branches on the same input and concatenates their outputs along
the channels:

1. a 1x1 convolution (``c1`` channels);
2. a 1x1 *reduction* to ``c3r`` channels, then a 3x3 convolution (``c3``);
3. a 1x1 reduction to ``c5r`` channels, then a 5x5 convolution (``c5``);
4. a 3x3 max pooling with stride 1, then a 1x1 *projection* (``pool_proj``).

Every convolution is followed by a ReLU and padded so that the spatial size is kept; the block
maps ``(N, C, H, W)`` to ``(N, c1 + c3 + c5 + pool_proj, H, W)``. The 1x1 reductions are the
bottleneck that makes the 3x3 and 5x5 convolutions affordable.

The network is :data:`INCEPTION_TABLE` (the paper's Table 1, one row per block) put on a stem
``7x7 conv stride 2 (64) - 3x3 max pool stride 2 - 1x1 conv (64) - 3x3 conv (192) - 3x3 max pool
stride 2``, with 3x3 max pooling (stride 2) after blocks 3b and 4e, global average pooling,
dropout (40 %) and one linear layer. The input channels of each block are the output channels of
the one before, so the table holds only the six numbers of each row. Max poolings round up
(``ceil_mode``), as in the reference code, so a 224x224 input gives maps of 112, 56, 28, 14 and 7.
The local response normalisations of the paper's figure (no parameters) are left out.

``batch_norm=False`` (default) is the paper's network: convolutions with bias, no normalisation.
``batch_norm=True`` puts batch normalisation after every convolution (which then has no bias) as
torchvision does. torchvision's implementation also uses a 3x3 kernel in the "5x5" branch, a known
bug it keeps for its pretrained weights; ``kernel_5x5=3`` reproduces it, so
``googlenet(batch_norm=True, kernel_5x5=3)`` has torchvision's 6,624,904 parameters.

``width`` multiplies every channel count (rounded with
:func:`~convlab.models.arguments.scaled_channels`). ``small_input=True`` makes the first convolution
3x3 with stride 1 and drops the pooling after it, for 32x32 images: the blocks then see 16x16,
8x8 and 4x4 maps. Inputs are NCHW; outputs are logits ``(N, num_classes)``.
"""

from __future__ import annotations

import torch
from torch import nn

from ..validation import as_int
from .arguments import builder, check_network_args, scaled_channels

__all__ = [
    "Inception",
    "GoogLeNet",
    "googlenet",
    "INCEPTION_TABLE",
    "inception_in_channels",
]

# Table 1 of the paper: block -> (#1x1, #3x3 reduce, #3x3, #5x5 reduce, #5x5, pool proj).
INCEPTION_TABLE = {
    "3a": (64, 96, 128, 16, 32, 32),
    "3b": (128, 128, 192, 32, 96, 64),
    "4a": (192, 96, 208, 16, 48, 64),
    "4b": (160, 112, 224, 24, 64, 64),
    "4c": (128, 128, 256, 24, 64, 64),
    "4d": (112, 144, 288, 32, 64, 64),
    "4e": (256, 160, 320, 32, 128, 128),
    "5a": (256, 160, 320, 32, 128, 128),
    "5b": (384, 192, 384, 48, 128, 128),
}
STEM_CHANNELS = (
    64,
    64,
    192,
)  # conv1 (7x7), conv2 (1x1 reduce), conv3 (3x3)
POOL_AFTER = ("3b", "4e")  # 3x3 max pooling, stride 2, after these blocks


def block_out_channels(row) -> int:
    """Output channels of an Inception block: ``#1x1 + #3x3 + #5x5 + pool proj``."""
    c1, _, c3, _, c5, pool_proj = row
    return c1 + c3 + c5 + pool_proj


def inception_in_channels(
    table=None, stem_out: int = STEM_CHANNELS[-1]
) -> dict:
    """The input channels of every block of ``table`` (default :data:`INCEPTION_TABLE`): the stem's
    output for the first, then the previous block's output."""
    table = INCEPTION_TABLE if table is None else table
    result, c = {}, stem_out
    for name, row in table.items():
        result[name] = c
        c = block_out_channels(row)
    return result


def _conv(
    in_channels: int,
    out_channels: int,
    kernel_size: int,
    stride: int = 1,
    batch_norm: bool = False,
) -> nn.Sequential:
    """Convolution ('same' padding for stride 1) [+ BN] + ReLU."""
    layers = [
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            stride=stride,
            padding=kernel_size // 2,
            bias=not batch_norm,
        )
    ]
    if batch_norm:
        layers.append(nn.BatchNorm2d(out_channels, eps=1e-3))
    return nn.Sequential(*layers, nn.ReLU(inplace=True))


class Inception(nn.Module):
    """The four-branch block; see the module docstring. ``out_channels = c1 + c3 + c5 + pool_proj``."""

    def __init__(
        self,
        in_channels: int,
        c1: int,
        c3r: int,
        c3: int,
        c5r: int,
        c5: int,
        pool_proj: int,
        batch_norm: bool = False,
        kernel_5x5: int = 5,
    ):
        super().__init__()
        func = "Inception"
        names = ("in_channels", "c1", "c3r", "c3", "c5r", "c5", "pool_proj")
        in_channels, c1, c3r, c3, c5r, c5, pool_proj = (
            as_int(v, n, func, minimum=1)
            for v, n in zip(
                (in_channels, c1, c3r, c3, c5r, c5, pool_proj), names
            )
        )
        if kernel_5x5 not in (3, 5) or isinstance(kernel_5x5, bool):
            raise ValueError(
                f"{func}: kernel_5x5 must be 5 (the paper) or 3 (torchvision's implementation), "
                f"got {kernel_5x5!r}."
            )
        self.branch1 = _conv(in_channels, c1, 1, batch_norm=batch_norm)
        self.branch3 = nn.Sequential(
            _conv(in_channels, c3r, 1, batch_norm=batch_norm),
            _conv(c3r, c3, 3, batch_norm=batch_norm),
        )
        self.branch5 = nn.Sequential(
            _conv(in_channels, c5r, 1, batch_norm=batch_norm),
            _conv(c5r, c5, kernel_5x5, batch_norm=batch_norm),
        )
        self.branch_pool = nn.Sequential(
            nn.MaxPool2d(3, stride=1, padding=1),
            _conv(in_channels, pool_proj, 1, batch_norm=batch_norm),
        )
        self.in_channels = in_channels
        self.out_channels = c1 + c3 + c5 + pool_proj

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        branches = (
            self.branch1,
            self.branch3,
            self.branch5,
            self.branch_pool,
        )
        return torch.cat([branch(x) for branch in branches], dim=1)


class GoogLeNet(nn.Module):
    """Stem, the nine Inception blocks of :data:`INCEPTION_TABLE`, global average pooling, dropout,
    linear classifier. See the module docstring for the options."""

    def __init__(
        self,
        num_classes: int = 1000,
        in_channels: int = 3,
        width: float = 1.0,
        small_input: bool = False,
        batch_norm: bool = False,
        kernel_5x5: int = 5,
        dropout: float = 0.4,
    ):
        super().__init__()
        func = "googlenet"
        num_classes, in_channels, width, dropout = check_network_args(
            func, num_classes, in_channels, width, dropout
        )
        scale = lambda c: scaled_channels(c, width)
        s1, s2, s3 = (scale(c) for c in STEM_CHANNELS)
        pool = lambda: nn.MaxPool2d(3, stride=2, ceil_mode=True)
        if small_input:
            first = [_conv(in_channels, s1, 3, batch_norm=batch_norm)]
        else:
            first = [
                _conv(in_channels, s1, 7, stride=2, batch_norm=batch_norm),
                pool(),
            ]
        self.stem = nn.Sequential(
            *first,
            _conv(s1, s2, 1, batch_norm=batch_norm),
            _conv(s2, s3, 3, batch_norm=batch_norm),
            pool(),
        )
        blocks, c_in = [], s3
        self.block_names = tuple(INCEPTION_TABLE)
        for name, row in INCEPTION_TABLE.items():
            block = Inception(
                c_in,
                *(scale(c) for c in row),
                batch_norm=batch_norm,
                kernel_5x5=kernel_5x5,
            )
            blocks.append(block)
            if name in POOL_AFTER:
                blocks.append(pool())
            c_in = block.out_channels
        self.blocks = nn.Sequential(*blocks)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(c_in, num_classes)
        self.out_channels = c_in

    def inception(self, name: str) -> Inception:
        """The Inception block called ``name`` ("3a", ..., "5b")."""
        blocks = [m for m in self.blocks if isinstance(m, Inception)]
        if name not in self.block_names:
            raise ValueError(
                f"GoogLeNet.inception: no block {name!r}; the blocks are {list(self.block_names)}."
            )
        return blocks[self.block_names.index(name)]

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.blocks(self.stem(x)))
        return self.fc(self.dropout(torch.flatten(x, 1)))


googlenet = builder(
    GoogLeNet,
    "googlenet",
    """GoogLeNet without auxiliary classifiers (the paper's network by
    default; see the module docstring). Takes the arguments of
    :class:`GoogLeNet`.""",
)
