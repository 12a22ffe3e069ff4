"""Checkers for chapter 20, "Comparing the architectures".

Exercise ids:

* ``compare-conv-macs``     MACs of VGG-16's first convolution (3 -> 64, 3x3, padding 1) at 224x224
* ``compare-fc-params``     parameters of VGG-16's first fully connected layer (512 x 7 x 7 -> 4096)
* ``compare-layer-cost``    a function ``conv_cost(c_in, c_out, k, size, stride, padding, groups)``
                            returning ``[params, macs]`` of a square convolution with bias
* ``compare-dot-length``    MACs per output value of a 3x3 depthwise and of a 1x1 convolution on 64 channels
* ``compare-two-se``        two standard errors (percentage points) of a 95.0 % accuracy on 450 test images
"""

from __future__ import annotations

import math

from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------ the first convolution of VGG-16
C_IN, C_OUT, K, SIZE = 3, 64, 3, 224
CONV_MACS = C_OUT * SIZE * SIZE * C_IN * K * K  # 86,704,128
CONV_FLOPS = 2 * CONV_MACS
CONV_NO_PAD = (
    C_OUT * (SIZE - 2) * (SIZE - 2) * C_IN * K * K
)  # 'valid' output 222 x 222
CONV_WITH_BIAS = (
    CONV_MACS + C_OUT * SIZE * SIZE
)  # bias additions counted as MACs
CONV_NO_C_IN = C_OUT * SIZE * SIZE * K * K  # forgot the input channels


@register(
    "compare-conv-macs",
    reference=lambda: CONV_MACS,
    planted=[
        (lambda: CONV_FLOPS, "FLOPs"),
        (lambda: CONV_NO_PAD, "222"),
        (lambda: CONV_WITH_BIAS, "bias"),
        (lambda: CONV_NO_C_IN, "input channels"),
    ],
)
def check_conv_macs(answer):
    """MACs of a 3x3 convolution 3 -> 64 channels, padding 1, on a 224 x 224 image."""
    return compare_number(
        answer,
        CONV_MACS,
        [
            (
                CONV_FLOPS,
                "that is twice the answer: you counted FLOPs (a multiplication and an addition each). "
                "A multiply-accumulate (MAC) is the pair, counted once.",
            ),
            (
                CONV_NO_PAD,
                "you used a 222 x 222 output; with padding 1 a 3x3 convolution keeps the size, 224 x 224.",
            ),
            (
                CONV_WITH_BIAS,
                "close: the bias additions are not multiply-accumulates, and the papers' counts leave "
                "them out. Count C_out * H * W * C_in * k * k.",
            ),
            (
                CONV_NO_C_IN,
                "each output value is a sum over the 3 input channels too: C_in * k * k products per output.",
            ),
        ],
        rtol=1e-9,
        atol=0.5,
    )


# ---------------------------------------------------------- the first fully connected layer of VGG-16
FC_IN, FC_OUT = 512 * 7 * 7, 4096
FC_PARAMS = FC_IN * FC_OUT + FC_OUT  # 102,764,544
FC_NO_BIAS = FC_IN * FC_OUT
FC_GAP = 512 * FC_OUT + FC_OUT  # as if the map were pooled to 1 x 1
FC_NO_CHANNELS = 7 * 7 * FC_OUT + FC_OUT


@register(
    "compare-fc-params",
    reference=lambda: FC_PARAMS,
    planted=[
        (lambda: FC_NO_BIAS, "bias"),
        (lambda: FC_GAP, "7 x 7"),
        (lambda: FC_NO_CHANNELS, "512 channels"),
    ],
)
def check_fc_params(answer):
    """Parameters of Linear(512 * 7 * 7 -> 4096) with bias."""
    return compare_number(
        answer,
        FC_PARAMS,
        [
            (
                FC_NO_BIAS,
                "those are the weights only (and also the layer's MACs per image); add the 4096 biases.",
            ),
            (
                FC_GAP,
                "VGG flattens the whole 512 x 7 x 7 map, it does not average it away: the input has 25,088 values.",
            ),
            (
                FC_NO_CHANNELS,
                "the flattened input has all 512 channels of the 7 x 7 map: 512 * 7 * 7 = 25,088 values.",
            ),
        ],
        rtol=1e-9,
        atol=0.5,
    )


# ------------------------------------------------------------------------ a layer's cost as a function
def _conv_cost(c_in, c_out, k, size, stride=1, padding=0, groups=1):
    out = (size + 2 * padding - k) // stride + 1
    params = c_out * (c_in // groups) * k * k + c_out
    macs = c_out * out * out * (c_in // groups) * k * k
    return [params, macs]


def _flops(*args):
    params, macs = _conv_cost(*args)
    return [params, 2 * macs]


def _no_bias(c_in, c_out, k, size, stride=1, padding=0, groups=1):
    params, macs = _conv_cost(c_in, c_out, k, size, stride, padding, groups)
    return [params - c_out, macs]


def _no_stride(c_in, c_out, k, size, stride=1, padding=0, groups=1):
    return _conv_cost(c_in, c_out, k, size, 1, padding, groups)


def _no_groups(c_in, c_out, k, size, stride=1, padding=0, groups=1):
    return _conv_cost(c_in, c_out, k, size, stride, padding, 1)


LAYER_CASES = [
    (3, 64, 3, 224, 1, 1, 1),  # VGG's first layer
    (3, 64, 11, 224, 4, 2, 1),  # AlexNet's first layer
    (64, 128, 1, 56, 1, 0, 1),  # a 1x1 convolution
    (32, 32, 3, 112, 2, 1, 32),  # a depthwise layer with stride 2
    (96, 256, 5, 27, 1, 2, 2),  # AlexNet-2012's grouped second layer
    (16, 8, 3, 9, 2, 0, 1),
]


@register(
    "compare-layer-cost",
    reference=lambda: _conv_cost,
    planted=[
        (lambda: _flops, "FLOPs"),
        (lambda: _no_bias, "bias"),
        (lambda: _no_stride, "stride"),
        (lambda: _no_groups, "groups"),
        (lambda: lambda *args: 1 / 0, "ZeroDivisionError"),
        (lambda: [1, 2], "wants a function"),
    ],
)
def check_layer_cost(answer):
    """A function conv_cost(c_in, c_out, k, size, stride, padding, groups) -> [params, macs] (with bias)."""
    return compare_function(
        answer,
        LAYER_CASES,
        _conv_cost,
        diagnoses=[
            (
                _flops,
                "the MACs are twice too many: that counts FLOPs. One multiply-accumulate = one product "
                "added into a sum.",
            ),
            (
                _no_bias,
                "the parameters are short by c_out: each output channel has a bias.",
            ),
            (
                _no_stride,
                "the output size must use the stride: (size + 2 padding - k) // stride + 1.",
            ),
            (
                _no_groups,
                "with groups g each filter sees only c_in / g input channels: both the weights and the "
                "MACs are divided by g.",
            ),
        ],
        rtol=1e-9,
        atol=0.5,
    )


# --------------------------------------------------------------- MACs per output value (dot-product length)
CHANNELS = 64
DOT = [
    9,
    CHANNELS,
]  # 3x3 depthwise: 9 products per output; 1x1 on 64 channels: 64


@register(
    "compare-dot-length",
    reference=lambda: DOT,
    planted=[
        (lambda: [9 * CHANNELS, CHANNELS], "depthwise"),
        (lambda: [CHANNELS, 9], "order"),
        (lambda: [9, 1], "1x1"),
        (lambda: [9], "two numbers"),
    ],
)
def check_dot_length(answer):
    """[MACs per output value of a 3x3 depthwise conv, of a 1x1 conv] on 64 input channels."""
    return compare_array(
        answer,
        DOT,
        [
            (
                [9 * CHANNELS, CHANNELS],
                "a depthwise filter sees one channel only: 3 x 3 = 9 products per output, "
                "not 9 x 64 (that is a standard 3x3 convolution).",
            ),
            (
                [CHANNELS, 9],
                "right numbers, wrong order: give [depthwise, 1x1].",
            ),
            (
                [9, 1],
                "a 1x1 convolution has one weight per input channel for each output: 64 products per output value.",
            ),
        ],
        shape_hints={(1,): "Give two numbers: [depthwise, 1x1]."},
        rtol=1e-9,
        atol=1e-9,
        what="a list [depthwise, 1x1]",
    )


# ---------------------------------------------------------------------- what 450 test images can resolve
P, N_TEST, N_TRAIN = 0.95, 450, 1347
TWO_SE = 100 * 2 * math.sqrt(P * (1 - P) / N_TEST)  # 2.05 percentage points


@register(
    "compare-two-se",
    reference=lambda: TWO_SE,
    planted=[
        (lambda: TWO_SE / 2, "one standard error"),
        (lambda: 100 * 2 * P * (1 - P) / N_TEST, "square root"),
        (lambda: 100 * 2 * math.sqrt(P * (1 - P) / N_TRAIN), "test set"),
        (lambda: TWO_SE / 100, "percentage points"),
    ],
)
def check_two_se(answer):
    """Two standard errors, in percentage points, of an accuracy of 95.0 % measured on 450 test images."""
    return compare_number(
        answer,
        TWO_SE,
        [
            (
                TWO_SE / 2,
                "that is one standard error, sqrt(p (1 - p) / n); the exercise asks for two.",
            ),
            (
                100 * 2 * P * (1 - P) / N_TEST,
                "p (1 - p) / n is the variance of the measured accuracy; its standard "
                "error is the square root.",
            ),
            (
                100 * 2 * math.sqrt(P * (1 - P) / N_TRAIN),
                "n is the number of images the accuracy is measured on: the "
                "450 of the test set, not the 1,347 training images.",
            ),
            (
                TWO_SE / 100,
                "right, as a fraction; the exercise asks for percentage points (multiply by 100).",
            ),
        ],
        rtol=2e-3,
    )
