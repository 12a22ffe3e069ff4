"""VGG networks (Simonyan and Zisserman, "Very Deep Convolutional Networks for Large-Scale Image
Recognition", 2015).

A VGG network is five **blocks**; block ``b`` is ``n_b`` convolutions ``3x3, padding 1, ReLU``
with ``STAGE_CHANNELS[b]`` channels, followed by a 2x2 max pooling with stride 2 that halves the
resolution (224 -> 7 after five blocks). The configurations of the paper's Table 1 differ only in
the numbers of convolutions per block, :data:`VGG_CONFIGS`: A (VGG-11), B (VGG-13), D (VGG-16)
and E (VGG-19). The classifier is ``4096 - ReLU - dropout - 4096 - ReLU - dropout -
num_classes`` on the flattened 512x7x7 map (an adaptive average pooling to 7x7 in front lets any
input size through and does nothing at 224x224), as in the paper and the reference code.

``width`` multiplies every channel count and the 4096 hidden units (rounded with
:func:`~convlab.models.arguments.scaled_channels`). ``small_input=True`` lets the classifier read
the 1x1 map that five poolings leave of a 32x32 image instead of a 7x7 one.
``batch_norm=True`` inserts batch normalisation after every convolution (the later "VGG-BN"
variant); the default is the published network. Inputs are NCHW; outputs are logits.

Weights are initialised as in the reference code (He-normal convolutions, ``N(0, 0.01)`` linear
layers, zero biases): with PyTorch's default initialisation the signal shrinks layer after layer
and a VGG without batch normalisation does not start learning.
"""

from __future__ import annotations

from functools import partial

import torch
from torch import nn

from ..validation import as_int, as_int_tuple
from . import init
from .arguments import builder, check_network_args, scaled_channels

__all__ = [
    "VGG",
    "vgg",
    "vgg11",
    "vgg16",
    "vgg_block",
    "VGG_CONFIGS",
    "STAGE_CHANNELS",
]

STAGE_CHANNELS = (64, 128, 256, 512, 512)
# Convolutions per block, Table 1 of the paper (configurations A, B, D, E).
VGG_CONFIGS = {
    11: (1, 1, 2, 2, 2),
    13: (2, 2, 2, 2, 2),
    16: (2, 2, 3, 3, 3),
    19: (2, 2, 4, 4, 4),
}


def vgg_block(
    in_channels: int,
    out_channels: int,
    num_convs: int,
    batch_norm: bool = False,
) -> nn.Sequential:
    """``num_convs`` times (3x3 conv, padding 1 [, BN], ReLU), then 2x2 max pooling with stride 2.

    Maps ``(N, in_channels, H, W)`` to ``(N, out_channels, H // 2, W // 2)``.
    """
    func = "vgg_block"
    in_channels = as_int(in_channels, "in_channels", func, minimum=1)
    out_channels = as_int(out_channels, "out_channels", func, minimum=1)
    num_convs = as_int(num_convs, "num_convs", func, minimum=1)
    layers = []
    for i in range(num_convs):
        layers.append(
            nn.Conv2d(
                in_channels if i == 0 else out_channels,
                out_channels,
                3,
                padding=1,
            )
        )
        if batch_norm:
            layers.append(nn.BatchNorm2d(out_channels))
        layers.append(nn.ReLU(inplace=True))
    layers.append(nn.MaxPool2d(2, stride=2))
    return nn.Sequential(*layers)


class VGG(nn.Module):
    """Five :func:`vgg_block` stages, adaptive average pooling, a three-layer classifier.

    ``convs_per_block`` is a row of :data:`VGG_CONFIGS`; see the module docstring for the rest.
    """

    def __init__(
        self,
        convs_per_block,
        num_classes: int = 1000,
        in_channels: int = 3,
        width: float = 1.0,
        small_input: bool = False,
        batch_norm: bool = False,
        dropout: float = 0.5,
    ):
        super().__init__()
        func = "VGG"
        counts = as_int_tuple(
            convs_per_block,
            "convs_per_block",
            func,
            len(STAGE_CHANNELS),
            what="the number of convolutions of each of the five blocks, "
            "e.g. (1, 1, 2, 2, 2) for VGG-11",
        )
        num_classes, in_channels, width, dropout = check_network_args(
            func, num_classes, in_channels, width, dropout
        )
        blocks, c_in = [], in_channels
        for n, c in zip(counts, STAGE_CHANNELS):
            c_out = scaled_channels(c, width)
            blocks.append(vgg_block(c_in, c_out, n, batch_norm))
            c_in = c_out
        self.features = nn.Sequential(*blocks)
        side = 1 if small_input else 7
        hidden = scaled_channels(4096, width)
        self.pool = nn.AdaptiveAvgPool2d(side)
        self.classifier = nn.Sequential(
            nn.Linear(c_in * side * side, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, num_classes),
        )
        for m in self.modules():  # the initialisation of the reference code
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(
                    m.weight, mode="fan_out", nonlinearity="relu"
                )
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.Linear):
                init.normal_(m.weight, 0.0, 0.01)
                nn.init.zeros_(m.bias)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(
            torch.flatten(self.pool(self.features(x)), 1)
        )


def vgg(
    depth: int,
    num_classes: int = 1000,
    in_channels: int = 3,
    width: float = 1.0,
    small_input: bool = False,
    batch_norm: bool = False,
    dropout: float = 0.5,
) -> VGG:
    """VGG-``depth`` for ``depth`` in 11, 13, 16, 19 (weight layers: convolutions + 3 linear)."""
    if isinstance(depth, bool) or depth not in VGG_CONFIGS:
        raise ValueError(
            f"vgg: depth must be one of {sorted(VGG_CONFIGS)} (the paper's configurations A, B, D, E), "
            f"got {depth!r}."
        )
    return VGG(
        VGG_CONFIGS[depth],
        num_classes,
        in_channels,
        width,
        small_input,
        batch_norm,
        dropout,
    )


vgg11 = builder(
    partial(vgg, 11),
    "vgg11",
    """VGG-11 (configuration A); 132,863,336 parameters at full size.
    Takes the arguments of :func:`vgg` but ``depth``.""",
)
vgg16 = builder(
    partial(vgg, 16),
    "vgg16",
    """VGG-16 (configuration D); 138,357,544 parameters at full size.
    Takes the arguments of :func:`vgg` but ``depth``.""",
)
