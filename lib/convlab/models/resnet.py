"""Residual networks (He, Zhang, Ren and Sun, "Deep Residual Learning for Image Recognition", 2016).

A residual block computes ``relu(F(x) + shortcut(x))``: the layers ``F`` learn a *correction* to
their input, and the shortcut carries the input (or, when the shape changes, a 1x1 projection of
it) past them. Two kinds of block:

* :class:`BasicBlock` (ResNet-18/34): ``3x3 conv - BN - ReLU - 3x3 conv - BN``, output channels
  ``= channels``;
* :class:`Bottleneck` (ResNet-50/101/152): ``1x1 conv (reduce to channels) - BN - ReLU - 3x3 conv -
  BN - ReLU - 1x1 conv (expand to 4 * channels) - BN``. The stride sits on the 3x3 convolution,
  the common "v1.5" form of torchvision and most reference code (the original paper put it on the
  first 1x1 convolution; the parameter count is the same, the computation is not).

Every convolution is followed by batch normalisation, so no convolution has a bias. The shortcut
is the identity when input and output shapes agree and a ``1x1 conv (stride s) - BN`` projection
otherwise (the paper's "option B").

Inputs are NCHW tensors; the networks return logits ``(N, num_classes)``. With
``residual=False`` the same constructors build the *plain* network of the paper's experiments:
identical layers without the shortcuts (no projections either), for comparisons.
"""

from __future__ import annotations

from functools import partial

import torch
from torch import nn

from ..timing import limited_threads
from ..validation import as_int, as_int_tuple
from . import init
from .arguments import (
    builder,
    check_block_args,
    check_network_args,
    scaled_channels,
)

__all__ = [
    "BasicBlock",
    "Bottleneck",
    "ResNet",
    "resnet18",
    "resnet34",
    "resnet50",
    "resnext50_32x4d",
    "scaled_channels",
    "block_stack",
    "conv_gradient_norms",
]


def _conv_bn(
    in_channels: int, out_channels: int, kernel_size: int, stride: int = 1
) -> list[nn.Module]:
    """A ``kernel_size`` convolution with 'same' padding and no bias, then batch normalisation."""
    conv = nn.Conv2d(
        in_channels,
        out_channels,
        kernel_size,
        stride=stride,
        padding=kernel_size // 2,
        bias=False,
    )
    return [conv, nn.BatchNorm2d(out_channels)]


def _shortcut(
    in_channels: int, out_channels: int, stride: int, residual: bool
) -> nn.Module | None:
    """Identity when shapes agree, else a strided 1x1 projection with BN; None for a plain block."""
    if not residual:
        return None
    if stride == 1 and in_channels == out_channels:
        return nn.Identity()
    return nn.Sequential(*_conv_bn(in_channels, out_channels, 1, stride))


class _ResidualBlock(nn.Module):
    """What both blocks share: the checks of the arguments they have in
    common, and ``forward``, which computes ``relu(layers(x) +
    shortcut(x))``, or ``relu(layers(x))`` without a shortcut (plain)."""

    def _check_args(self, in_channels, channels, stride, residual):
        """Set ``self.residual``; return the checked ``in_channels``,
        ``channels`` and ``stride`` (ints >= 1)."""
        self.residual = bool(residual)
        return check_block_args(
            type(self).__name__, in_channels, channels, stride
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        out = self.layers(x)
        if self.shortcut is not None:
            out = out + self.shortcut(x)
        return torch.relu(out)


class BasicBlock(_ResidualBlock):
    """``y = relu(bn(conv3x3(relu(bn(conv3x3_s(x))))) + shortcut(x))``.

    ``x`` has shape ``(N, in_channels, H, W)``; ``y`` has shape ``(N, channels, H', W')`` with
    ``H' = ceil(H / stride)``. ``residual=False`` drops the shortcut (a block of a plain network).
    """

    expansion = 1

    def __init__(
        self,
        in_channels: int,
        channels: int,
        stride: int = 1,
        residual: bool = True,
    ):
        super().__init__()
        in_channels, channels, stride = self._check_args(
            in_channels, channels, stride, residual
        )
        self.layers = nn.Sequential(
            *_conv_bn(in_channels, channels, 3, stride),
            nn.ReLU(inplace=True),
            *_conv_bn(channels, channels, 3),
        )
        self.shortcut = _shortcut(
            in_channels, channels, stride, self.residual
        )


class Bottleneck(_ResidualBlock):
    """``y = relu(F(x) + shortcut(x))`` with ``F = 1x1 (reduce) - 3x3 (stride) - 1x1 (expand)``.

    ``x`` has shape ``(N, in_channels, H, W)``; the inner convolutions have
    ``D = channels * base_width / 64 * groups`` channels (``channels`` for a
    ResNet, where ``groups = 1`` and ``base_width = 64``) and ``y`` has
    ``expansion * channels`` (4 by default) channels and size ``ceil(H / stride)``.
    The stride is on the 3x3 convolution (ResNet "v1.5"). With ``groups > 1``
    the 3x3 convolution is grouped: ResNeXt's block (Xie et al., 2017), whose
    ``groups`` paths of ``base_width`` channels each are the "cardinality".
    """

    expansion = 4

    def __init__(
        self,
        in_channels: int,
        channels: int,
        stride: int = 1,
        residual: bool = True,
        groups: int = 1,
        base_width: int = 64,
    ):
        super().__init__()
        func = type(self).__name__
        in_channels, channels, stride = self._check_args(
            in_channels, channels, stride, residual
        )
        groups = as_int(groups, "groups", func, minimum=1)
        base_width = as_int(base_width, "base_width", func, minimum=1)
        inner = int(channels * base_width / 64) * groups
        if inner == 0:
            raise ValueError(
                f"{func}: channels * base_width / 64 = {channels} * "
                f"{base_width} / 64 leaves no channel per group of the 3x3 "
                "convolution; give more channels (a larger width)."
            )
        out_channels = self.expansion * channels
        grouped = nn.Conv2d(
            inner, inner, 3, stride, padding=1, groups=groups, bias=False
        )
        self.layers = nn.Sequential(
            *_conv_bn(in_channels, inner, 1),
            nn.ReLU(inplace=True),
            grouped,
            nn.BatchNorm2d(inner),
            nn.ReLU(inplace=True),
            *_conv_bn(inner, out_channels, 1),
        )
        self.shortcut = _shortcut(
            in_channels, out_channels, stride, self.residual
        )


class ResNet(nn.Module):
    """A stem, four stages of residual blocks, global average pooling and a linear classifier.

    Parameters
    ----------
    block : BasicBlock or Bottleneck (the class).
    layers : four block counts, e.g. ``(2, 2, 2, 2)`` for ResNet-18.
    num_classes, in_channels : the classifier's outputs and the image channels.
    width : multiplies every channel count (64, 128, 256, 512 and the stem's 64), rounded with
        :func:`scaled_channels`; 1.0 is the published network.
    small_input : replace the ImageNet stem (7x7 conv stride 2, then 3x3 max pool stride 2: a 4x
        reduction) by a 3x3 conv with stride 1 and no pooling, for 32x32 images.
    residual : False builds the plain network (same layers, no shortcuts).
    groups, base_width : with Bottleneck blocks, the ResNeXt form: grouped 3x3
        convolutions of ``groups`` paths, ``base_width`` channels each in the
        first stage (see :class:`Bottleneck`); ``(1, 64)`` is ResNet.

    Stage ``i`` (0-based) halves the resolution except stage 0; with the ImageNet stem a 224x224
    input ends at 7x7, with ``small_input`` a 32x32 input ends at 4x4.
    """

    def __init__(
        self,
        block,
        layers,
        num_classes: int = 1000,
        in_channels: int = 3,
        width: float = 1.0,
        small_input: bool = False,
        residual: bool = True,
        groups: int = 1,
        base_width: int = 64,
    ):
        super().__init__()
        func = type(self).__name__
        if block not in (BasicBlock, Bottleneck):
            raise TypeError(
                f"{func}: block must be BasicBlock or Bottleneck, got {block!r}."
            )
        layers = as_int_tuple(
            layers,
            "layers",
            func,
            4,
            what="four block counts, one per stage, e.g. (2, 2, 2, 2)",
        )
        num_classes, in_channels, width = check_network_args(
            func, num_classes, in_channels, width
        )
        stem = scaled_channels(64, width)
        if small_input:
            self.stem = nn.Sequential(
                *_conv_bn(in_channels, stem, 3), nn.ReLU(inplace=True)
            )
        else:
            self.stem = nn.Sequential(
                *_conv_bn(in_channels, stem, 7, stride=2),
                nn.ReLU(inplace=True),
                nn.MaxPool2d(3, stride=2, padding=1),
            )
        extra = {}
        if (groups, base_width) != (1, 64):
            if block is not Bottleneck:
                raise ValueError(
                    f"{func}: groups and base_width (ResNeXt) need "
                    "Bottleneck blocks."
                )
            extra = {"groups": groups, "base_width": base_width}
        stages, channels_in = [], stem
        for i, n_blocks in enumerate(layers):
            channels = scaled_channels(64 * 2**i, width)
            blocks = []
            for j in range(n_blocks):
                stride = 2 if (i > 0 and j == 0) else 1
                blocks.append(
                    block(
                        channels_in,
                        channels,
                        stride,
                        residual=residual,
                        **extra,
                    )
                )
                channels_in = channels * block.expansion
            stages.append(nn.Sequential(*blocks))
        self.stages = nn.Sequential(*stages)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(channels_in, num_classes)
        self.out_channels = channels_in
        for m in self.modules():  # the initialisation of the reference code
            if isinstance(m, nn.Conv2d):
                init.kaiming_normal_(
                    m.weight, mode="fan_out", nonlinearity="relu"
                )

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """The feature maps before pooling, ``(N, out_channels, H', W')``."""
        return self.stages(self.stem(x))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc(torch.flatten(self.pool(self.features(x)), 1))


# The named networks: block, blocks per stage, fixed arguments of ResNet.
RESNET_CONFIGS = {
    "resnet18": (BasicBlock, (2, 2, 2, 2), {}),
    "resnet34": (BasicBlock, (3, 4, 6, 3), {}),
    "resnet50": (Bottleneck, (3, 4, 6, 3), {}),
    "resnext50_32x4d": (
        Bottleneck,
        (3, 4, 6, 3),
        {"groups": 32, "base_width": 4},
    ),
}
_DOCS = {
    "resnet18": "ResNet-18: basic blocks ``(2, 2, 2, 2)``; 11,689,512 "
    "parameters at full size (1000 classes, RGB).",
    "resnet34": "ResNet-34: basic blocks ``(3, 4, 6, 3)``; 21,797,672 "
    "parameters at full size.",
    "resnet50": 'ResNet-50 ("v1.5", stride on the 3x3 convolution): '
    "bottleneck blocks ``(3, 4, 6, 3)``; 25,557,032 parameters at full size.",
    "resnext50_32x4d": "ResNeXt-50 (32x4d; Xie et al., 2017): ResNet-50's "
    "layout with grouped bottlenecks, 32 paths of 4 channels in the first "
    "stage (inner widths 128, 256, 512, 1024); 25,028,904 parameters at "
    "full size.",
}
_BUILDERS = {
    name: builder(
        partial(ResNet, block, layers, **fixed),
        name,
        _DOCS[name] + " Takes the remaining arguments of :class:`ResNet`.",
    )
    for name, (block, layers, fixed) in RESNET_CONFIGS.items()
}
resnet18 = _BUILDERS["resnet18"]
resnet34 = _BUILDERS["resnet34"]
resnet50 = _BUILDERS["resnet50"]
resnext50_32x4d = _BUILDERS["resnext50_32x4d"]


def block_stack(
    num_blocks: int,
    channels: int = 16,
    in_channels: int = 1,
    num_classes: int = 10,
    residual: bool = True,
) -> nn.Sequential:
    """A deep network at constant width and resolution for depth experiments:
    ``3x3 conv - BN - ReLU``, then ``num_blocks`` :class:`BasicBlock` s of ``channels`` channels
    (identity shortcuts, or none with ``residual=False``), global average pooling and a linear
    classifier. It has ``2 * num_blocks + 2`` weighted layers; the plain and the residual version
    have exactly the same parameters. Convolutions are initialised as in :class:`ResNet`."""
    func = "block_stack"
    num_blocks = as_int(num_blocks, "num_blocks", func, minimum=1)
    channels = as_int(channels, "channels", func, minimum=1)
    in_channels = as_int(in_channels, "in_channels", func, minimum=1)
    num_classes = as_int(num_classes, "num_classes", func, minimum=1)
    model = nn.Sequential(
        *_conv_bn(in_channels, channels, 3),
        nn.ReLU(inplace=True),
        *[
            BasicBlock(channels, channels, residual=residual)
            for _ in range(num_blocks)
        ],
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(channels, num_classes),
    )
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            init.kaiming_normal_(
                m.weight, mode="fan_out", nonlinearity="relu"
            )
    return model


def conv_gradient_norms(
    model: nn.Module, x: torch.Tensor, y: torch.Tensor
) -> list[float]:
    """The Frobenius norm of the gradient of the mean cross-entropy loss with respect to the weight
    of every ``Conv2d`` of ``model``, in the order of ``model.modules()`` (input to output).

    ``x`` ``(N, C, H, W)`` and integer labels ``y`` ``(N,)`` form one batch; the model keeps its mode
    (training mode: BN uses the batch statistics). The computation runs on a copy of the model,
    with one intra-op thread (restored afterwards) so that the result does not depend on the thread
    count; the model itself, its gradients and its BN running estimates are left untouched.
    """
    import copy

    func = "conv_gradient_norms"
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"{func}: model must be a torch.nn.Module, got {type(model).__name__}."
        )
    if not (isinstance(x, torch.Tensor) and x.ndim == 4):
        raise ValueError(
            f"{func}: x must be a tensor of shape (N, C, H, W), got {getattr(x, 'shape', type(x))}."
        )
    if not (isinstance(y, torch.Tensor) and y.shape == (x.shape[0],)):
        raise ValueError(
            f"{func}: y must be a tensor of {x.shape[0]} integer labels, one per image of x."
        )
    twin = copy.deepcopy(model)
    convs = [m for m in twin.modules() if isinstance(m, nn.Conv2d)]
    if not convs:
        raise ValueError(f"{func}: the model has no Conv2d layer.")
    twin.zero_grad()
    with limited_threads(1):
        nn.functional.cross_entropy(twin(x), y).backward()
    return [m.weight.grad.norm().item() for m in convs]
