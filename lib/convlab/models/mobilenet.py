"""MobileNet V1 (Howard et al., 2017) and MobileNet V2 (Sandler et al., 2018), built exactly.

Both are NCHW networks that end in global average pooling and one fully connected layer, so
they accept any input size (224x224 in the papers); they output logits of shape
``(N, num_classes)``. Five stride-2 layers divide the input size by 32 (rounding up), so a
32x32 image ends as a 1x1 map; ``small_input=True`` drops the first stride for such images.

MobileNet V1 (paper, Table 1) is a 3x3 convolution with stride 2 followed by 13
**depthwise-separable** blocks: a 3x3 depthwise convolution (``groups`` = channels, one
filter per channel) then a 1x1 pointwise convolution, each followed by batch normalisation
and ReLU. Convolutions have no bias (the BN after them has one). The table's second-last
depthwise layer is printed with stride 2, but its input and output are both 7x7; like the
reference implementation (TensorFlow-Slim ``mobilenet_v1.py``) it has stride 1 here.

MobileNet V2 (paper, Table 2) stacks **inverted residual** blocks: a 1x1 *expansion* to
``t`` times the channels (ReLU6), a 3x3 depthwise convolution (ReLU6), and a 1x1 *linear*
projection (BN, no activation: the "linear bottleneck"); the input is added back when the
stride is 1 and the channel counts match. The layout follows the reference implementation
(torchvision's ``mobilenet_v2``), whose 1000-class model has 3,504,872 parameters.

Width multiplier ``width`` (the papers' alpha):

* V1 rounds as its reference code does: ``max(8, int(c * width))`` channels.
* V2 rounds every channel count to the nearest multiple of 8 (at least 8, and never more than
  10 % below ``c * width``; see :func:`round_channels`); the last 1x1 layer keeps 1280
  channels when ``width < 1``.

The resolution multiplier (rho) is not a constructor argument: it is the size of the input
image, and global average pooling makes the same network work for every size.
"""

from __future__ import annotations


from torch import nn

from ..validation import as_int, as_positive_number
from .arguments import check_dropout, check_network_args
from . import init

__all__ = [
    "mobilenet_v1",
    "mobilenet_v2",
    "MOBILENET_V1_LAYERS",
    "MOBILENET_V2_SETTINGS",
    "DepthwiseSeparable",
    "InvertedResidual",
    "round_channels",
]

# MobileNet V1, Table 1: after the stem (3x3 conv, 32 channels, stride 2), one
# (output channels of the pointwise conv, stride of the depthwise conv) per separable block.
MOBILENET_V1_STEM = 32
MOBILENET_V1_LAYERS = (
    (64, 1),
    (128, 2),
    (128, 1),
    (256, 2),
    (256, 1),
    (512, 2),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (512, 1),
    (1024, 2),
    (1024, 1),
)

# MobileNet V2, Table 2: rows (t expansion factor, c output channels, n repeats, s stride of
# the first repeat) after the stem (3x3 conv, 32 channels, stride 2); then a 1x1 conv to 1280.
MOBILENET_V2_SETTINGS = (
    (1, 16, 1, 1),
    (6, 24, 2, 2),
    (6, 32, 3, 2),
    (6, 64, 4, 2),
    (6, 96, 3, 1),
    (6, 160, 3, 2),
    (6, 320, 1, 1),
)
MOBILENET_V2_STEM, MOBILENET_V2_LAST = 32, 1280


def round_channels(c: float, divisor: int = 8) -> int:
    """Round a channel count ``c`` to the nearest multiple of ``divisor`` (halves round up),
    at least ``divisor``, adding one more ``divisor`` if rounding lost more than 10 % of ``c``.

    This is the rule of MobileNet V2's reference code (``_make_divisible``); e.g. with
    divisor 8: 32 * 0.35 = 11.2 -> 16 (8 would lose 29 %), 24 * 0.5 = 12 -> 16, 320 * 0.75 = 240.
    """
    c = as_positive_number(c, "c", "round_channels", note="a channel count")
    divisor = as_int(divisor, "divisor", "round_channels", minimum=1)
    rounded = max(divisor, int(c + divisor / 2) // divisor * divisor)
    if rounded < 0.9 * c:
        rounded += divisor
    return rounded


def _conv_bn(
    c_in: int,
    c_out: int,
    k: int,
    stride: int = 1,
    groups: int = 1,
    activation=nn.ReLU,
):
    """k x k convolution (padding k // 2, no bias) + BatchNorm (+ activation unless None)."""
    layers = [
        nn.Conv2d(
            c_in, c_out, k, stride, k // 2, groups=groups, bias=False
        ),
        nn.BatchNorm2d(c_out),
    ]
    if activation is not None:
        layers.append(activation(inplace=True))
    return nn.Sequential(*layers)


class DepthwiseSeparable(nn.Module):
    """MobileNet V1 block: 3x3 depthwise conv (stride ``stride``) -> BN -> ReLU, then
    1x1 pointwise conv ``c_in -> c_out`` -> BN -> ReLU. ``(N, c_in, H, W) -> (N, c_out, H', W')``.

    Its weights: ``9 c_in`` (depthwise) + ``c_in c_out`` (pointwise), against ``9 c_in c_out``
    for a standard 3x3 convolution.
    """

    def __init__(self, c_in: int, c_out: int, stride: int = 1):
        super().__init__()
        self.depthwise = _conv_bn(c_in, c_in, 3, stride, groups=c_in)
        self.pointwise = _conv_bn(c_in, c_out, 1)

    def forward(self, x):
        return self.pointwise(self.depthwise(x))


class InvertedResidual(nn.Module):
    """MobileNet V2 block, ``(N, c_in, H, W) -> (N, c_out, H', W')``:

    1x1 expansion ``c_in -> t c_in`` -> BN -> ReLU6 (omitted when ``t = 1``),
    3x3 depthwise (stride ``stride``) -> BN -> ReLU6,
    1x1 linear projection ``t c_in -> c_out`` -> BN (no activation),
    plus the input itself when ``stride == 1`` and ``c_in == c_out`` (``self.residual``).
    """

    def __init__(self, c_in: int, c_out: int, stride: int, t: int):
        super().__init__()
        hidden = int(round(c_in * t))
        self.residual = stride == 1 and c_in == c_out
        layers = (
            []
            if t == 1
            else [_conv_bn(c_in, hidden, 1, activation=nn.ReLU6)]
        )
        layers += [
            _conv_bn(
                hidden,
                hidden,
                3,
                stride,
                groups=hidden,
                activation=nn.ReLU6,
            ),
            _conv_bn(hidden, c_out, 1, activation=None),
        ]
        self.block = nn.Sequential(*layers)

    def forward(self, x):
        return x + self.block(x) if self.residual else self.block(x)


def _check_common(func, num_classes, in_channels, width, small_input):
    num_classes, in_channels, width = check_network_args(
        func, num_classes, in_channels, width
    )
    if not isinstance(small_input, bool):
        raise TypeError(
            f"{func}: small_input must be True or False, got {small_input!r}."
        )
    return num_classes, in_channels, width


def _init_weights(model: nn.Module) -> None:
    """The reference initialisation: He (fan-out) for convolutions, BN as identity,
    N(0, 0.01) for the classifier, zero biases."""
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            init.kaiming_normal_(m.weight, mode="fan_out")
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.ones_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.Linear):
            init.normal_(m.weight, 0, 0.01)
            nn.init.zeros_(m.bias)


def mobilenet_v1(
    num_classes: int = 1000,
    in_channels: int = 3,
    width: float = 1.0,
    small_input: bool = False,
) -> nn.Sequential:
    """MobileNet V1 of Howard et al. (2017), Table 1, as an ``nn.Sequential``:
    ``stem`` (3x3 conv stride 2, BN, ReLU), ``blocks`` (13 :class:`DepthwiseSeparable`),
    ``pool`` (global average), ``flatten`` and ``fc`` (``Linear(1024 width -> num_classes)``).

    ``width`` is the width multiplier alpha (channels ``max(8, int(c * width))``).
    ``small_input=True`` gives the stem stride 1, for 32x32 images (the last feature map is then
    2x2 instead of 1x1); the default is the published design (224x224 -> 7x7).
    """
    num_classes, in_channels, width = _check_common(
        "mobilenet_v1", num_classes, in_channels, width, small_input
    )
    channels = lambda c: max(8, int(c * width))
    c = channels(MOBILENET_V1_STEM)
    stem = _conv_bn(in_channels, c, 3, 1 if small_input else 2)
    blocks = []
    for c_out, stride in MOBILENET_V1_LAYERS:
        blocks.append(DepthwiseSeparable(c, channels(c_out), stride))
        c = channels(c_out)
    model = nn.Sequential()
    model.add_module("stem", stem)
    model.add_module("blocks", nn.Sequential(*blocks))
    model.add_module("pool", nn.AdaptiveAvgPool2d(1))
    model.add_module("flatten", nn.Flatten())
    model.add_module("fc", nn.Linear(c, num_classes))
    _init_weights(model)
    return model


def mobilenet_v2(
    num_classes: int = 1000,
    in_channels: int = 3,
    width: float = 1.0,
    small_input: bool = False,
    dropout: float = 0.2,
) -> nn.Sequential:
    """MobileNet V2 of Sandler et al. (2018), Table 2, laid out as torchvision's
    ``mobilenet_v2``, as an ``nn.Sequential``: ``stem`` (3x3 conv stride 2, BN, ReLU6),
    ``blocks`` (17 :class:`InvertedResidual` from :data:`MOBILENET_V2_SETTINGS`), ``head``
    (1x1 conv to 1280 channels, BN, ReLU6), ``pool``, ``flatten``, ``dropout`` and ``fc``.

    ``width`` multiplies every channel count, rounded by :func:`round_channels` (multiples of 8);
    the head has ``round_channels(1280 * max(1, width))`` channels. ``small_input=True`` gives the
    stem stride 1, for 32x32 images. ``dropout`` is the probability before the classifier
    (0.2 as in the reference code).
    """
    num_classes, in_channels, width = _check_common(
        "mobilenet_v2", num_classes, in_channels, width, small_input
    )
    dropout = check_dropout(dropout, "mobilenet_v2")
    c = round_channels(MOBILENET_V2_STEM * width)
    stem = _conv_bn(
        in_channels, c, 3, 1 if small_input else 2, activation=nn.ReLU6
    )
    blocks = []
    for t, c_row, n, s in MOBILENET_V2_SETTINGS:
        c_out = round_channels(c_row * width)
        for i in range(n):
            blocks.append(InvertedResidual(c, c_out, s if i == 0 else 1, t))
            c = c_out
    last = round_channels(MOBILENET_V2_LAST * max(1.0, width))
    model = nn.Sequential()
    model.add_module("stem", stem)
    model.add_module("blocks", nn.Sequential(*blocks))
    model.add_module("head", _conv_bn(c, last, 1, activation=nn.ReLU6))
    model.add_module("pool", nn.AdaptiveAvgPool2d(1))
    model.add_module("flatten", nn.Flatten())
    model.add_module("dropout", nn.Dropout(float(dropout)))
    model.add_module("fc", nn.Linear(last, num_classes))
    _init_weights(model)
    return model
