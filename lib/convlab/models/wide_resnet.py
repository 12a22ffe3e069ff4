"""Wide residual networks (Zagoruyko and Komodakis, "Wide Residual
Networks", 2016).

WRN-d-k is a CIFAR-style residual network of depth ``d`` and widening factor
``k``: a 3x3 convolution with ``b = 16`` channels, three groups of
``n = (d - 4) / 6`` pre-activation blocks with ``bk``, ``2bk`` and ``4bk``
channels (16k, 32k and 64k; the second and third groups start with stride
2), then BN - ReLU - global average pooling - linear. The base width ``b``
(``base``, 16 in the paper) is a parameter so that small versions can be
trained in seconds on 8x8 images. A block computes

    y = x' + conv3x3(dropout(relu(bn(conv3x3_s(relu(bn(x)))))))

where ``x'`` is ``x`` itself when the shape is kept and a 1x1 convolution
(stride ``s``) of ``relu(bn(x))`` when it changes. Convolutions have no bias
(each is followed by batch normalisation); ``d = 6n + 4`` counts the
convolutions on the main path (``6n``), the stem, the classifier and the two
1x1 projections of the strided groups. Inputs are NCHW tensors (32x32 for
CIFAR); outputs are logits ``(N, num_classes)``.
"""

from __future__ import annotations

import torch
from torch import nn

from ..validation import as_int
from . import init
from .arguments import (
    builder,
    check_block_args,
    check_dropout,
    check_network_args,
)

__all__ = ["WideBlock", "WideResNet", "wide_resnet"]


class WideBlock(nn.Module):
    """A pre-activation basic block: BN - ReLU - conv3x3 (stride) - BN -
    ReLU - dropout - conv3x3, plus the shortcut (see the module docstring).
    ``x`` ``(N, in_channels, H, W)`` -> ``(N, channels, ceil(H/s), ...)``."""

    def __init__(
        self,
        in_channels: int,
        channels: int,
        stride: int = 1,
        dropout: float = 0.0,
    ):
        super().__init__()
        func = "WideBlock"
        in_channels, channels, stride = check_block_args(
            func, in_channels, channels, stride
        )
        dropout = check_dropout(dropout, func)
        self.bn1 = nn.BatchNorm2d(in_channels)
        self.conv1 = nn.Conv2d(
            in_channels, channels, 3, stride, padding=1, bias=False
        )
        self.bn2 = nn.BatchNorm2d(channels)
        self.dropout = nn.Dropout(dropout)
        self.conv2 = nn.Conv2d(channels, channels, 3, padding=1, bias=False)
        self.projection = None
        if stride != 1 or in_channels != channels:
            self.projection = nn.Conv2d(
                in_channels, channels, 1, stride, bias=False
            )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        a = torch.relu(self.bn1(x))
        out = self.conv1(a)
        out = self.conv2(self.dropout(torch.relu(self.bn2(out))))
        shortcut = x if self.projection is None else self.projection(a)
        return out + shortcut


class WideResNet(nn.Module):
    """WRN-``depth``-``widen``: see the module docstring.

    ``depth`` must be ``6n + 4`` (10, 16, 22, 28, 40, ...); ``widen`` (k)
    multiplies the group widths ``base``, ``2 base``, ``4 base`` (16, 32, 64
    by default; the stem has ``base`` channels); ``dropout`` sits between
    the two convolutions of every block.
    """

    def __init__(
        self,
        depth: int = 28,
        widen: int = 10,
        num_classes: int = 10,
        in_channels: int = 3,
        dropout: float = 0.0,
        base: int = 16,
    ):
        super().__init__()
        func = "WideResNet"
        depth = as_int(depth, "depth", func, minimum=10)
        widen = as_int(widen, "widen", func, minimum=1)
        num_classes, in_channels, dropout = check_network_args(
            func, num_classes, in_channels, dropout=dropout
        )
        base = as_int(base, "base", func, minimum=1)
        if (depth - 4) % 6:
            raise ValueError(
                f"{func}: depth must be 6n + 4 (10, 16, 22, 28, 40, ...), "
                f"got {depth}."
            )
        n = (depth - 4) // 6
        widths = [base * widen, 2 * base * widen, 4 * base * widen]
        self.stem = nn.Conv2d(in_channels, base, 3, padding=1, bias=False)
        groups, channels_in = [], base
        for i, channels in enumerate(widths):
            blocks = []
            for j in range(n):
                stride = 2 if (i > 0 and j == 0) else 1
                blocks.append(
                    WideBlock(channels_in, channels, stride, dropout)
                )
                channels_in = channels
            groups.append(nn.Sequential(*blocks))
        self.groups = nn.Sequential(*groups)
        self.bn = nn.BatchNorm2d(channels_in)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels_in, num_classes)
        self.blocks_per_group = n
        self.widths = widths
        self.base = base
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(
                    m.weight, mode="fan_out", nonlinearity="relu"
                )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = torch.relu(self.bn(self.groups(self.stem(x))))
        return self.fc(torch.flatten(self.pool(out), 1))


wide_resnet = builder(
    WideResNet,
    "wide_resnet",
    """WRN-depth-widen; WRN-28-10 for CIFAR-10 has 36,479,194 parameters.
    ``base`` (16 in the paper) is the stem's width and the first group's
    width before widening (see :class:`WideResNet`).""",
)
