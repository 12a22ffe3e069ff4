"""Network in Network (Lin, Chen and Yan, "Network In Network", 2014).

An **mlpconv** layer is a convolution followed by two 1x1 convolutions, each with a ReLU: at every
position a small multilayer perceptron acts on the channel vector the convolution produced, so the
"filter" becomes a non-linear function of its patch. The network ends without fully connected
layers: its last mlpconv layer has one channel per class and **global average pooling** turns
each channel into the logit of its class.

:func:`nin` builds the ImageNet network of the authors' released (Caffe) model: four mlpconv
layers, ``(channels, kernel, stride, padding)`` in :data:`NIN_IMAGENET`, each 1x1 pair having
the same channels as its convolution except the last, ``1024 -> 1024 -> num_classes``; 3x3 max
pooling with stride 2 after the first three and dropout before the fourth. The released model
pools in Caffe's ceil mode (a last, partial window is kept), so a 224x224 image gives maps of
54, 27, 13 and 6 pixels a side (floor mode would give 54, 26, 12, 5). 7,595,176 parameters
with 1000 classes and RGB input. Inputs are NCHW; outputs are logits ``(N, num_classes)``.

``width`` multiplies every channel count except the ``num_classes`` outputs (rounded with
:func:`~convlab.models.arguments.scaled_channels`). ``small_input=True`` makes the first
convolution 3x3 with stride 1 and padding 1 instead of 11x11 with stride 4, for 32x32 images,
and pools in floor mode, as PyTorch does by default (32 -> 15 -> 7 -> 3 after the poolings).
"""

from __future__ import annotations

import torch
from torch import nn

from ..validation import as_int
from .arguments import (
    builder,
    check_block_args,
    check_network_args,
    scaled_channels,
)

__all__ = ["NiN", "nin", "mlpconv", "NIN_IMAGENET"]

# (channels, kernel size, stride, padding) of the four mlpconv layers' first convolutions.
NIN_IMAGENET = (
    (96, 11, 4, 0),
    (256, 5, 1, 2),
    (384, 3, 1, 1),
    (1024, 3, 1, 1),
)


def mlpconv(
    in_channels: int,
    channels: int,
    kernel_size: int,
    stride: int = 1,
    padding: int = 0,
    out_channels: int | None = None,
) -> nn.Sequential:
    """``conv(kernel_size) - ReLU - 1x1 conv - ReLU - 1x1 conv - ReLU``.

    The first two convolutions have ``channels`` outputs, the last ``out_channels`` (default
    ``channels``). Maps ``(N, in_channels, H, W)`` to ``(N, out_channels, H', W')`` with
    ``H' = (H + 2 padding - kernel_size) // stride + 1``.
    """
    func = "mlpconv"
    in_channels, channels, stride = check_block_args(
        func, in_channels, channels, stride
    )
    kernel_size = as_int(kernel_size, "kernel_size", func, minimum=1)
    padding = as_int(padding, "padding", func, minimum=0)
    out_channels = (
        channels
        if out_channels is None
        else as_int(out_channels, "out_channels", func, minimum=1)
    )
    return nn.Sequential(
        nn.Conv2d(
            in_channels,
            channels,
            kernel_size,
            stride=stride,
            padding=padding,
        ),
        nn.ReLU(inplace=True),
        nn.Conv2d(channels, channels, 1),
        nn.ReLU(inplace=True),
        nn.Conv2d(channels, out_channels, 1),
        nn.ReLU(inplace=True),
    )


class NiN(nn.Module):
    """Four :func:`mlpconv` layers with max pooling between them, global average pooling at the end.

    See the module docstring for the layout, ``width`` and ``small_input``.
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_channels: int = 3,
        width: float = 1.0,
        small_input: bool = False,
        dropout: float = 0.5,
    ):
        super().__init__()
        func = "nin"
        num_classes, in_channels, width, dropout = check_network_args(
            func, num_classes, in_channels, width, dropout
        )
        layers, c_in = [], in_channels
        for i, (c, k, s, p) in enumerate(NIN_IMAGENET):
            if i == 0 and small_input:
                k, s, p = 3, 1, 1
            c = scaled_channels(c, width)
            last = i == len(NIN_IMAGENET) - 1
            if last:
                layers.append(nn.Dropout(dropout))
            layers.append(
                mlpconv(
                    c_in,
                    c,
                    k,
                    s,
                    p,
                    out_channels=num_classes if last else None,
                )
            )
            if not last:
                # Caffe's ceil mode in the released ImageNet model
                layers.append(
                    nn.MaxPool2d(3, stride=2, ceil_mode=not small_input)
                )
            c_in = c
        self.features = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.flatten(self.pool(self.features(x)), 1)


nin = builder(
    NiN,
    "nin",
    """Network in Network, ImageNet layout; 7,595,176 parameters at full
    size. Takes the arguments of :class:`NiN`.""",
)
