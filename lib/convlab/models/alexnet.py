"""AlexNet (Krizhevsky, Sutskever and Hinton, "ImageNet Classification with Deep Convolutional
Neural Networks", 2012), in two forms.

* ``variant="single"`` (the default) is the common single-tower form of the reference code
  (torchvision), whose channel widths come from the one-GPU layer configuration of Krizhevsky's
  cuda-convnet2: five convolutions with 64, 192, 384, 256, 256 channels (the 2014 "One weird
  trick" paper gives 64, 192, 384, 384, 256), no local response normalisation, 61,100,840
  parameters at full size.
* ``variant="2012"`` is the two-GPU network of the paper: 96, 256, 384, 384, 256 channels, the
  second, fourth and fifth convolutions split into two groups (each half sees only the half of
  the channels that lived on its GPU), local response normalisation after the first two ReLUs
  (the paper's k = 2, n = 5, alpha = 1e-4, beta = 0.75; PyTorch divides its ``alpha`` by n, so
  the module is ``LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)``);
  60,965,224 parameters. Its first convolution has no padding, so the 55x55 maps of the paper
  need a 227x227 input (the paper says 224).

Both: ReLU after every convolution and hidden linear layer, overlapping 3x3 max pooling with
stride 2, a classifier ``dropout - 4096 - ReLU - dropout - 4096 - ReLU - num_classes`` that reads
a 6x6 map (an adaptive average pooling to 6x6 makes any input size work; at the design size it
changes nothing). Inputs are NCHW; outputs are logits ``(N, num_classes)``.

``width`` multiplies every channel count and the 4096 hidden units, each rounded by
:func:`scaled_channels` (to a multiple of 2 for the grouped 2012 variant, which splits channels
in halves). ``small_input=True`` replaces the 11x11 stride-4 first convolution by a 3x3 stride-1
one and lets the classifier read a 3x3 map, for 32x32 images (32 -> 15 -> 7 -> 3 after the three
poolings).
"""

from __future__ import annotations

import torch
from torch import nn

from .arguments import (
    builder,
    check_network_args,
    check_width,
    scaled_channels,
)

__all__ = [
    "AlexNet",
    "alexnet",
    "scaled_channels",
    "check_width",
    "ALEXNET_CHANNELS",
]

# Channels of the five convolutions and units of the two hidden linear layers.
ALEXNET_CHANNELS = {
    "single": ((64, 192, 384, 256, 256), 4096),
    "2012": ((96, 256, 384, 384, 256), 4096),
}


class AlexNet(nn.Module):
    """``features`` (convolutions, ReLUs, poolings) -> adaptive average pool -> ``classifier``.

    See the module docstring for the two variants and the meaning of ``width`` and ``small_input``.
    """

    def __init__(
        self,
        num_classes: int = 1000,
        in_channels: int = 3,
        width: float = 1.0,
        variant: str = "single",
        dropout: float = 0.5,
        small_input: bool = False,
    ):
        super().__init__()
        func = "alexnet"
        num_classes, in_channels, width, dropout = check_network_args(
            func, num_classes, in_channels, width, dropout
        )
        if variant not in ALEXNET_CHANNELS:
            raise ValueError(
                f"{func}: variant must be 'single' (the common single-tower network) or '2012' "
                f"(the paper's two-GPU network), got {variant!r}."
            )
        grouped = variant == "2012"
        convs, hidden = ALEXNET_CHANNELS[variant]
        c1, c2, c3, c4, c5 = (
            scaled_channels(c, width, 2 if grouped else 1) for c in convs
        )
        hidden = scaled_channels(hidden, width)
        groups = 2 if grouped else 1
        if small_input:
            first = nn.Conv2d(in_channels, c1, 3, stride=1, padding=1)
        else:
            first = nn.Conv2d(
                in_channels, c1, 11, stride=4, padding=0 if grouped else 2
            )
        lrn = (
            (
                lambda: [
                    # the paper's alpha = 1e-4 times n = 5: torch divides by n
                    nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2.0)
                ]
            )
            if grouped
            else (lambda: [])
        )
        self.features = nn.Sequential(
            first,
            nn.ReLU(inplace=True),
            *lrn(),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(c1, c2, 5, padding=2, groups=groups),
            nn.ReLU(inplace=True),
            *lrn(),
            nn.MaxPool2d(3, stride=2),
            nn.Conv2d(c2, c3, 3, padding=1),
            nn.ReLU(inplace=True),
            nn.Conv2d(c3, c4, 3, padding=1, groups=groups),
            nn.ReLU(inplace=True),
            nn.Conv2d(c4, c5, 3, padding=1, groups=groups),
            nn.ReLU(inplace=True),
            nn.MaxPool2d(3, stride=2),
        )
        side = 3 if small_input else 6
        self.pool = nn.AdaptiveAvgPool2d(side)
        self.classifier = nn.Sequential(
            nn.Dropout(dropout),
            nn.Linear(c5 * side * side, hidden),
            nn.ReLU(inplace=True),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(inplace=True),
            nn.Linear(hidden, num_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.classifier(
            torch.flatten(self.pool(self.features(x)), 1)
        )


alexnet = builder(
    AlexNet,
    "alexnet",
    """AlexNet; 61,100,840 parameters at full size (``variant="single"``),
    60,965,224 for ``"2012"``. Takes the arguments of :class:`AlexNet`.""",
)
