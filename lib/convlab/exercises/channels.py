"""Checkers for chapter 8, "Multiple input and output channels"."""

from __future__ import annotations

import numpy as np

from .. import channels, ops
from .compare import compare_array, compare_function, compare_number
from .registry import register

# Exercise 1: a two-channel cross-correlation by hand.
X1 = np.array(
    [[[1.0, 0.0, 2.0], [3.0, 1.0, 0.0]], [[0.0, 2.0, 1.0], [1.0, 0.0, 1.0]]]
)
K1 = np.array([[[1.0, -1.0]], [[2.0, 1.0]]])
PER_CHANNEL1 = np.stack([ops.corr2d(X1[c], K1[c]) for c in range(2)])
Y1 = channels.corr2d_multi_in(X1, K1)  # [[3, 3], [4, 2]]


@register(
    "chan-multi-in-by-hand",
    reference=lambda: Y1.tolist(),
    planted=[
        (lambda: PER_CHANNEL1, "add"),
        (lambda: PER_CHANNEL1[0], "only channel 0"),
        (lambda: PER_CHANNEL1[1], "only channel 1"),
        (lambda: channels.corr2d_multi_in(X1, K1[:, :, ::-1]), "flipped"),
        (lambda: None, "no answer yet"),
    ],
)
def check_multi_in_by_hand(answer):
    """Y = corr2d(X1[0], K1[0]) + corr2d(X1[1], K1[1]), a 2x2 array."""
    return compare_array(
        answer,
        Y1,
        diagnoses=[
            (
                PER_CHANNEL1[0],
                "that is only channel 0's result; add channel 1's result to it.",
            ),
            (
                PER_CHANNEL1[1],
                "that is only channel 1's result; add channel 0's result to it.",
            ),
            (
                channels.corr2d_multi_in(X1, K1[:, :, ::-1]),
                "you flipped the kernels (that is convolution); "
                "the layer cross-correlates, K as it is.",
            ),
        ],
        shape_hints={
            (
                2,
                2,
                2,
            ): "You kept the two per-channel results apart; add them: one kernel with two "
            "slices gives ONE output channel.",
            (4,): "Write the 2x2 result as a nested list [[a, b], [c, d]].",
        },
        what="a 2x2 array",
    )


# Exercise 2: parameters of Conv2d(3, 64, kernel_size=5).
C2, O2, K2 = 3, 64, 5
PARAMS2 = channels.conv2d_parameter_count(C2, O2, K2)  # 4864


@register(
    "chan-param-count",
    reference=lambda: PARAMS2,
    planted=[
        (lambda: O2 * C2 * K2 * K2, "bias"),
        (lambda: O2 * K2 * K2 + O2, "input channels"),
        (lambda: C2 * K2 * K2 + 1, "one per output channel"),
        (lambda: O2 * C2 * K2 * K2 + C2, "one bias per output channel"),
        (lambda: "4864", "you gave str"),
    ],
)
def check_param_count(answer):
    """O*C*kh*kw + O for torch.nn.Conv2d(3, 64, 5)."""
    return compare_number(
        answer,
        PARAMS2,
        diagnoses=[
            (
                O2 * C2 * K2 * K2,
                "you counted the weights only; each of the 64 output channels also has a bias.",
            ),
            (
                O2 * K2 * K2 + O2,
                "each kernel has one 5x5 slice per input channel: multiply by the 3 input channels.",
            ),
            (
                C2 * K2 * K2 + 1,
                "that is one kernel and its bias; the layer has 64 of them (one per output channel).",
            ),
            (
                O2 * C2 * K2 * K2 + C2,
                "there is one bias per output channel (64), not per input channel.",
            ),
        ],
        rtol=1e-9,
    )


# Exercise 3: multiply-adds of that kind of layer on a 32x32 RGB image, no padding.
H3 = 32
K3 = 3
OUT3 = H3 - K3 + 1  # 30
MACS3 = channels.conv2d_multiply_adds(C2, O2, K3, OUT3)  # 1,555,200


@register(
    "chan-multiply-adds",
    reference=lambda: MACS3,
    planted=[
        (lambda: channels.conv2d_multiply_adds(C2, O2, K3, H3), "output"),
        (lambda: 2 * MACS3, "FLOP count"),
        (lambda: O2 * K3 * K3 * OUT3 * OUT3, "input channels"),
        (lambda: C2 * K3 * K3 * OUT3 * OUT3, "one output channel"),
    ],
)
def check_multiply_adds(answer):
    """O*C*kh*kw*H_out*W_out for Conv2d(3, 64, 3) on a 3x32x32 image without padding."""
    return compare_number(
        answer,
        MACS3,
        diagnoses=[
            (
                channels.conv2d_multiply_adds(C2, O2, K3, H3),
                "without padding the output is 30x30, not 32x32: "
                "count output pixels, 32 - 3 + 1 per side.",
            ),
            (
                2 * MACS3,
                "that is the FLOP count (a multiply and an add each); the exercise counts multiply-adds.",
            ),
            (
                O2 * K3 * K3 * OUT3 * OUT3,
                "each output value sums over all 3 input channels: multiply by C = 3.",
            ),
            (
                C2 * K3 * K3 * OUT3 * OUT3,
                "that is one output channel; there are 64.",
            ),
        ],
        rtol=1e-9,
    )


# Exercise 4: write a 1x1 convolution.
_rng = np.random.default_rng(8)
CASES_1X1 = [
    (
        np.arange(6.0).reshape(2, 1, 3),
        np.array([[1.0, 2.0], [0.0, -1.0]]),
    ),  # square w: catches w[c, o]
    (_rng.normal(size=(3, 4, 5)), _rng.normal(size=(3, 3))),
    (
        np.arange(12.0).reshape(3, 2, 2),
        np.array([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]),
    ),
    (_rng.normal(size=(1, 3, 2)), _rng.normal(size=(4, 1))),
]


def _transposed_weights(x, w):
    """The mistake of reading w as (C, O); only possible to make (and to detect) when w is square."""
    x, w = np.asarray(x, float), np.asarray(w, float)
    if w.shape[0] != w.shape[1]:
        return np.full((w.shape[0],) + x.shape[1:], np.nan)
    return np.einsum("co,chw->ohw", w, x)


@register(
    "chan-conv1x1",
    reference=lambda: channels.conv1x1,
    planted=[
        (lambda: _transposed_weights, "w[o, c]"),
        (
            lambda: lambda x, w: np.asarray(x).sum(axis=0, keepdims=True),
            "shape",
        ),
        (lambda: lambda x, w: None, "return statement"),
        (lambda: lambda x, w: 1 / 0, "ZeroDivisionError"),
    ],
)
def check_conv1x1(answer):
    """A function my_conv1x1(x, w): x (C, H, W), w (O, C) -> (O, H, W)."""
    return compare_function(
        answer,
        CASES_1X1,
        channels.conv1x1,
        diagnoses=[
            (
                _transposed_weights,
                "you used w[c, o] where the layer uses w[o, c]: row o of w holds the weights of output channel o.",
            )
        ],
        atol=1e-9,
        rtol=1e-9,
    )


# Exercise 5: a depthwise layer.
C5, K5 = 32, 3
PARAMS5 = channels.conv2d_parameter_count(C5, C5, K5, groups=C5)  # 320


@register(
    "chan-depthwise-params",
    reference=lambda: PARAMS5,
    planted=[
        (lambda: channels.conv2d_parameter_count(C5, C5, K5), "groups"),
        (lambda: C5 * K5 * K5, "bias"),
        (lambda: K5 * K5 + 1, "32 output channels"),
    ],
)
def check_depthwise_params(answer):
    """Parameters of torch.nn.Conv2d(32, 32, 3, groups=32)."""
    return compare_number(
        answer,
        PARAMS5,
        diagnoses=[
            (
                channels.conv2d_parameter_count(C5, C5, K5),
                "that is the ordinary layer (groups=1); with groups=32 "
                "each kernel has only one 3x3 slice (C/groups = 1).",
            ),
            (
                C5 * K5 * K5,
                "you counted the weights only; there is still one bias per output channel.",
            ),
            (
                K5 * K5 + 1,
                "that is one channel's kernel and bias; there are 32 output channels.",
            ),
        ],
        rtol=1e-9,
    )
