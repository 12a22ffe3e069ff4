"""Densely connected networks (Huang, Liu, van der Maaten and Weinberger, "Densely Connected
Convolutional Networks", 2017), in the "DenseNet-BC" form of the paper's ImageNet models.

Inside a **dense block** layer ``l`` sees the concatenation of the block's input and of every
earlier layer's output, ``x_l = H_l([x_0, x_1, ..., x_{l-1}])``, and adds ``k`` new channels
(the **growth rate**): after ``L`` layers a block that received ``c_0`` channels holds
``c_0 + L k``. Each ``H_l`` is a bottleneck ``BN - ReLU - 1x1 conv (bn_size * k) - BN - ReLU -
3x3 conv (k)`` (pre-activation: normalisation and ReLU come *before* each convolution, so the
convolutions have no bias).

Between blocks a **transition** ``BN - ReLU - 1x1 conv - 2x2 average pool (stride 2)`` halves the
resolution and compresses the channels ``c -> floor(theta c)`` (``theta`` = ``compression``).

DenseNet-121: growth rate 32, ``bn_size`` 4, ``theta`` = 0.5, blocks of ``(6, 12, 24, 16)`` layers,
a 64-channel ImageNet stem (7x7 conv stride 2, BN, ReLU, 3x3 max pool stride 2), and a final
BN - ReLU - global average pooling - linear classifier. Inputs are NCHW; outputs are logits.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..validation import (
    as_fraction,
    as_int,
    as_int_tuple,
    as_positive_number,
)
from . import init

__all__ = [
    "DenseLayer",
    "DenseBlock",
    "Transition",
    "DenseNet",
    "densenet121",
    "densenet_channels",
]


def _bn_relu_conv(
    in_channels: int, out_channels: int, kernel_size: int
) -> list[nn.Module]:
    return [
        nn.BatchNorm2d(in_channels),
        nn.ReLU(inplace=True),
        nn.Conv2d(
            in_channels,
            out_channels,
            kernel_size,
            padding=kernel_size // 2,
            bias=False,
        ),
    ]


class DenseLayer(nn.Module):
    """``H_l``: BN - ReLU - 1x1 conv to ``bn_size * growth_rate`` - BN - ReLU - 3x3 conv to
    ``growth_rate``. Maps ``(N, in_channels, H, W)`` to the ``(N, growth_rate, H, W)`` *new*
    channels only; :class:`DenseBlock` does the concatenation."""

    def __init__(
        self, in_channels: int, growth_rate: int, bn_size: int = 4
    ):
        super().__init__()
        func = "DenseLayer"
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        growth_rate = as_int(growth_rate, "growth_rate", func, minimum=1)
        bn_size = as_int(bn_size, "bn_size", func, minimum=1)
        self.layers = nn.Sequential(
            *_bn_relu_conv(in_channels, bn_size * growth_rate, 1),
            *_bn_relu_conv(bn_size * growth_rate, growth_rate, 3),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


class DenseBlock(nn.Module):
    """``num_layers`` dense layers; layer ``l`` (0-based) reads ``in_channels + l * growth_rate``
    channels. Maps ``(N, in_channels, H, W)`` to ``(N, in_channels + num_layers * growth_rate, H, W)``:
    the input followed by every layer's new channels, in order."""

    def __init__(
        self,
        num_layers: int,
        in_channels: int,
        growth_rate: int,
        bn_size: int = 4,
    ):
        super().__init__()
        func = "DenseBlock"
        num_layers = as_int(num_layers, "num_layers", func, minimum=1)
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        growth_rate = as_int(growth_rate, "growth_rate", func, minimum=1)
        self.layers = nn.ModuleList(
            DenseLayer(in_channels + l * growth_rate, growth_rate, bn_size)
            for l in range(num_layers)
        )
        self.out_channels = in_channels + num_layers * growth_rate

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        features = [x]
        for layer in self.layers:
            features.append(layer(torch.cat(features, dim=1)))
        return torch.cat(features, dim=1)


class Transition(nn.Module):
    """BN - ReLU - 1x1 conv ``in_channels -> out_channels`` - 2x2 average pool with stride 2:
    ``(N, in_channels, H, W) -> (N, out_channels, H // 2, W // 2)``."""

    def __init__(self, in_channels: int, out_channels: int):
        super().__init__()
        func = "Transition"
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        out_channels = as_int(out_channels, "out_channels", func, minimum=1)
        self.layers = nn.Sequential(
            *_bn_relu_conv(in_channels, out_channels, 1),
            nn.AvgPool2d(2, stride=2),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


def _check_config(
    block_config, growth_rate, init_channels, bn_size, compression, func
):
    block_config = as_int_tuple(
        block_config,
        "block_config",
        func,
        what="a non-empty tuple of layer counts, one per dense block, "
        "e.g. (6, 12, 24, 16)",
    )
    growth_rate = as_int(growth_rate, "growth_rate", func, minimum=1)
    init_channels = as_int(init_channels, "init_channels", func, minimum=1)
    bn_size = as_int(bn_size, "bn_size", func, minimum=1)
    compression = as_fraction(
        compression,
        "compression",
        func,
        "left-open",
        note="theta: a transition keeps floor(theta * c) of its c channels",
    )
    return (
        block_config,
        growth_rate,
        init_channels,
        bn_size,
        float(compression),
    )


def densenet_channels(
    block_config=(6, 12, 24, 16),
    growth_rate: int = 32,
    init_channels: int = 64,
    compression: float = 0.5,
) -> list[tuple[int, int]]:
    """The channel bookkeeping of a DenseNet: ``(entering, leaving)`` for every dense block and then
    every transition, in network order. A block adds ``num_layers * growth_rate`` channels; a
    transition keeps ``floor(compression * c)``; the last block has no transition."""
    block_config, growth_rate, init_channels, _, compression = (
        _check_config(
            block_config,
            growth_rate,
            init_channels,
            1,
            compression,
            "densenet_channels",
        )
    )
    rows, c = [], init_channels
    for i, num_layers in enumerate(block_config):
        rows.append((c, c + num_layers * growth_rate))
        c += num_layers * growth_rate
        if i < len(block_config) - 1:
            rows.append((c, math.floor(compression * c)))
            c = rows[-1][1]
            if c < 1:
                raise ValueError(
                    f"densenet_channels: compression {compression} leaves no channel after block {i + 1}."
                )
    return rows


class DenseNet(nn.Module):
    """Stem, dense blocks separated by transitions, final BN - ReLU, global average pooling, linear.

    Parameters
    ----------
    block_config : layers per dense block, ``(6, 12, 24, 16)`` for DenseNet-121.
    growth_rate : ``k``, the channels each dense layer adds (32 for DenseNet-121).
    init_channels : channels of the stem convolution (``2 k`` = 64 in the paper).
    bn_size : the bottleneck width as a multiple of ``k`` (4: the 1x1 convolution outputs ``4 k``).
    compression : ``theta`` of the transitions (0.5).
    num_classes, in_channels : classifier outputs, image channels.
    small_input : replace the ImageNet stem (7x7 conv stride 2, BN, ReLU, 3x3 max pool stride 2)
        by a 3x3 conv with stride 1 followed by BN and ReLU, for 32x32 images.

    Each transition halves the resolution: with the ImageNet stem and four blocks, 224 -> 56 -> 7;
    with ``small_input`` and four blocks 32 -> 4.
    """

    def __init__(
        self,
        block_config=(6, 12, 24, 16),
        growth_rate: int = 32,
        init_channels: int = 64,
        bn_size: int = 4,
        compression: float = 0.5,
        num_classes: int = 1000,
        in_channels: int = 3,
        small_input: bool = False,
    ):
        super().__init__()
        func = type(self).__name__
        block_config, growth_rate, init_channels, bn_size, compression = (
            _check_config(
                block_config,
                growth_rate,
                init_channels,
                bn_size,
                compression,
                func,
            )
        )
        num_classes = as_int(num_classes, "num_classes", func, minimum=1)
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        conv = nn.Conv2d(
            in_channels,
            init_channels,
            3 if small_input else 7,
            stride=1 if small_input else 2,
            padding=1 if small_input else 3,
            bias=False,
        )
        stem = [conv, nn.BatchNorm2d(init_channels), nn.ReLU(inplace=True)]
        if not small_input:
            stem.append(nn.MaxPool2d(3, stride=2, padding=1))
        self.stem = nn.Sequential(*stem)
        body, rows = (
            [],
            densenet_channels(
                block_config, growth_rate, init_channels, compression
            ),
        )
        for i, num_layers in enumerate(block_config):
            c_in, c_out = rows[2 * i]
            body.append(DenseBlock(num_layers, c_in, growth_rate, bn_size))
            if i < len(block_config) - 1:
                body.append(Transition(*rows[2 * i + 1]))
        self.body = nn.Sequential(*body)
        self.out_channels = rows[-1][1]
        self.head = nn.Sequential(
            nn.BatchNorm2d(self.out_channels),
            nn.ReLU(inplace=True),
            nn.AdaptiveAvgPool2d(1),
            nn.Flatten(),
            nn.Linear(self.out_channels, num_classes),
        )
        for m in self.modules():  # the initialisation of the reference code
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(m.weight)
            elif isinstance(m, nn.Linear):
                nn.init.zeros_(m.bias)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature maps before the final BN - ReLU - pooling, ``(N, out_channels, H', W')``."""
        return self.body(self.stem(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.features(x))


def densenet121(
    num_classes: int = 1000,
    in_channels: int = 3,
    width: float = 1.0,
    growth_rate: int | None = None,
    block_config=(6, 12, 24, 16),
    small_input: bool = False,
) -> DenseNet:
    """DenseNet-121 (7,978,856 parameters at full size: 1000 classes, RGB).

    ``width`` scales the growth rate and the stem together, ``k = max(1, round(32 width))`` and
    ``init_channels = 2 k`` (the paper's ratio); ``growth_rate`` sets ``k`` directly instead
    (give one or the other). ``block_config`` may be shortened for small experiments (the name then
    no longer counts the layers: DenseNet-121 is ``(6, 12, 24, 16)``, 120 convolutions + 1 linear).
    """
    func = "densenet121"
    width = as_positive_number(
        width, "width", func, note="a multiplier of the growth rate"
    )
    if growth_rate is None:
        growth_rate = max(1, round(32 * width))
    elif width != 1.0:
        raise ValueError(
            f"{func}: give either width or growth_rate, not both (got width={width}, "
            f"growth_rate={growth_rate})."
        )
    growth_rate = as_int(growth_rate, "growth_rate", func, minimum=1)
    return DenseNet(
        block_config,
        growth_rate,
        2 * growth_rate,
        4,
        0.5,
        num_classes,
        in_channels,
        small_input,
    )
