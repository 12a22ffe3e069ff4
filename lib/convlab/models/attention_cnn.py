"""A small CNN with optional channel (SE) or channel-and-spatial (CBAM) attention, for chapter 21.

The network is a stack of stages, then global average pooling and a linear classifier::

    stage s:  conv 3x3 (padding 1, no bias) - BN - ReLU - [attention] - [max pool 2x2]

Stage ``s`` has ``channels[s]`` output channels; every stage but the last halves the
resolution with a 2x2 max pooling. ``attention`` chooses what sits after the ReLU of every
stage: nothing (``None``, the plain network), a :class:`convlab.attention.SEBlock` (``"se"``) or
a :class:`convlab.attention.CBAM` (``"cbam"``), each with the same ``reduction`` ``r`` (hidden
width ``C // r``). The three variants have exactly the same convolutions, normalisations and
classifier, so a comparison between them measures the attention blocks alone.

Inputs are NCHW tensors ``(N, in_channels, H, W)`` with ``H, W >= 2 ** (len(channels) - 1)``;
outputs are logits ``(N, num_classes)``. Convolutions are cross-correlations (PyTorch's).
"""

from __future__ import annotations

import numbers

import torch
from torch import nn

from ..attention import CBAM, SEBlock
from ..validation import as_int, as_int_tuple
from ..tensor_checks import shape_or_type

__all__ = ["AttentionCNN", "attention_cnn", "ATTENTION_KINDS"]

#: Values accepted by the ``attention`` argument.
ATTENTION_KINDS = (None, "se", "cbam")


class AttentionCNN(nn.Module):
    """Conv stages with optional SE / CBAM blocks, global average pooling and a linear classifier.

    Parameters
    ----------
    channels : output channels of each stage, e.g. ``(16, 32, 64)`` (at least one stage).
    num_classes, in_channels : classifier outputs and image channels.
    attention : ``None``, ``"se"`` or ``"cbam"`` (see the module docstring).
    reduction : the ``r`` of the attention blocks; every stage needs ``channels[s] // r >= 1``.
    kernel_size : the spatial convolution of CBAM (odd); ignored for ``None`` and ``"se"``.

    Attributes
    ----------
    stages : ``nn.Sequential`` of the stages (each an ``nn.Sequential``).
    attention_blocks : the SE / CBAM modules in stage order (empty for the plain network).
    """

    def __init__(
        self,
        channels=(16, 32, 64),
        num_classes: int = 4,
        in_channels: int = 1,
        attention: str | None = None,
        reduction: int = 4,
        kernel_size: int = 7,
    ):
        super().__init__()
        func = "AttentionCNN"
        channels = as_int_tuple(
            channels,
            "channels",
            func,
            what="a non-empty tuple of ints, one per stage, "
            "e.g. (16, 32, 64)",
        )
        num_classes = as_int(num_classes, "num_classes", func, minimum=1)
        in_channels = as_int(in_channels, "in_channels", func, minimum=1)
        if attention not in ATTENTION_KINDS:
            raise ValueError(
                f"{func}: attention must be None (plain), 'se' or 'cbam', got {attention!r}."
            )
        reduction = as_int(reduction, "reduction", func, minimum=1)
        if attention is not None:
            too_thin = [c for c in channels if c // reduction < 1]
            if too_thin:
                raise ValueError(
                    f"{func}: reduction {reduction} leaves no hidden unit for a stage of {too_thin[0]} "
                    f"channels ({too_thin[0]} // {reduction} = 0); use a smaller reduction."
                )
        if attention == "cbam":
            if isinstance(kernel_size, bool) or not isinstance(
                kernel_size, numbers.Integral
            ):
                raise TypeError(
                    f"{func}: kernel_size must be an odd int, got {kernel_size!r}."
                )
            if kernel_size < 1 or kernel_size % 2 == 0:
                raise ValueError(
                    f"{func}: kernel_size must be odd and positive, got {kernel_size}."
                )
        self.attention = attention
        self.channels = channels
        stages, blocks, c_in = [], [], in_channels
        for s, c in enumerate(channels):
            layers = [
                nn.Conv2d(c_in, c, 3, padding=1, bias=False),
                nn.BatchNorm2d(c),
                nn.ReLU(inplace=True),
            ]
            if attention == "se":
                blocks.append(SEBlock(c, reduction))
            elif attention == "cbam":
                blocks.append(CBAM(c, reduction, kernel_size))
            if attention is not None:
                layers.append(blocks[-1])
            if s < len(channels) - 1:
                layers.append(nn.MaxPool2d(2))
            stages.append(nn.Sequential(*layers))
            c_in = c
        self.stages = nn.Sequential(*stages)
        self.attention_blocks = blocks
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c_in, num_classes)
        self._min_size = 2 ** (len(channels) - 1)

    def _check_input(self, x, func):
        if not isinstance(x, torch.Tensor) or x.ndim != 4:
            shape = shape_or_type(x)
            raise ValueError(
                f"{func}: x must be a batch of images of shape (N, C, H, W), got {shape}."
            )
        expected = self.stages[0][0].in_channels
        if x.shape[1] != expected:
            raise ValueError(
                f"{func}: the network expects {expected} input channel(s), got x with {x.shape[1]} "
                f"(shape {tuple(x.shape)})."
            )
        if min(x.shape[-2:]) < self._min_size:
            raise ValueError(
                f"{func}: images must be at least {self._min_size}x{self._min_size} for "
                f"{len(self.channels)} stages (each but the last halves the size), got "
                f"{tuple(x.shape[-2:])}."
            )

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The last stage's feature map, ``(N, channels[-1], H / 2**(S-1), W / 2**(S-1))`` for ``S`` stages
        (sizes rounded down at every halving)."""
        self._check_input(x, "AttentionCNN")
        return self.stages(x)

    def attention_inputs(self, x: torch.Tensor) -> list[torch.Tensor]:
        """The feature maps that enter the attention blocks for a batch ``x``: one tensor per stage,
        ``(N, channels[s], H / 2**s, W / 2**s)``, the output of stage ``s``'s ReLU (what its SE / CBAM block
        rescales). For the plain network these are the same maps, the places where a block would sit.
        Pass them to ``block.gates(...)`` (:class:`convlab.attention.SEBlock`, :class:`convlab.attention.CBAM`)
        to see the gates the trained blocks compute."""
        self._check_input(x, "AttentionCNN.attention_inputs")
        out = []
        for stage in self.stages:
            out.append(stage[:3](x))  # conv - BN - ReLU
            x = stage(x)
        return out

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Logits ``(N, num_classes)`` for a batch ``x`` ``(N, in_channels, H, W)``."""
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


def attention_cnn(
    attention: str | None = None,
    channels=(16, 32, 64),
    num_classes: int = 4,
    in_channels: int = 1,
    reduction: int = 4,
    kernel_size: int = 7,
) -> AttentionCNN:
    """The small CNN of chapter 21: ``attention=None`` (plain), ``"se"`` or ``"cbam"``; see :class:`AttentionCNN`.

    With the defaults (three stages of 16, 32, 64 channels, 4 classes, 1 input channel, ``r = 4``) the
    plain network has 23,668 parameters; SE adds ``sum_s 2 C_s (C_s / r) + C_s / r + C_s`` = 2,828 and
    CBAM adds the same plus ``2 k^2 + 1 = 99`` per stage (``k = 7``), 3,125 in all.
    """
    return AttentionCNN(
        channels,
        num_classes,
        in_channels,
        attention,
        reduction,
        kernel_size,
    )
