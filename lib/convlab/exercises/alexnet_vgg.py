"""Checkers for chapter 15, "AlexNet and VGG".

Exercise ids:

* ``vgg-conv-params``      parameters of ``nn.Conv2d(128, 256, 3)`` (with bias)
* ``vgg-stack-vs-large``   ``[three 3x3 layers, one 7x7 layer]`` parameters for C = 256, no bias
* ``vgg-receptive-field``  receptive field of VGG's first two blocks (conv conv pool conv conv pool)
* ``vgg-dropout``          the value of a surviving activation 3.0 after ``nn.Dropout(p=0.25)`` in training
* ``vgg-write-block``      a function ``make_vgg_block(in_channels, out_channels, num_convs)`` returning a module
"""

from __future__ import annotations

from ..arith import receptive_field
from .compare import compare_array, compare_number, describe
from .builders import builder_problem, call_builder, run_module
from .feedback import Feedback, correct, wrong
from .registry import register


# ------------------------------------------------------------ one convolution
C_IN, C_OUT, K = 128, 256, 3
CONV_PARAMS = C_OUT * C_IN * K * K + C_OUT  # 295,168


@register(
    "vgg-conv-params",
    reference=lambda: CONV_PARAMS,
    planted=[
        (lambda: CONV_PARAMS - C_OUT, "bias"),
        (lambda: C_OUT * C_IN * K + C_OUT, "3 x 3"),
        (lambda: C_IN * K * K + 1, "every one of the 256"),
    ],
)
def check_conv_params(answer):
    """Parameters of nn.Conv2d(128, 256, kernel_size=3) with its bias."""
    return compare_number(
        answer,
        CONV_PARAMS,
        [
            (
                CONV_PARAMS - C_OUT,
                "you counted the weights only; each of the 256 output channels also has a bias.",
            ),
            (
                C_OUT * C_IN * K + C_OUT,
                "a 3x3 kernel has 3 x 3 = 9 weights per input channel, not 3.",
            ),
            (
                C_IN * K * K + 1,
                "that is one filter (128 x 3 x 3 weights + 1 bias); every one of the 256 output channels "
                "has its own.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ stack against one large kernel
C = 256
STACK = [3 * 9 * C * C, 49 * C * C]  # [1,769,472, 3,211,264]


@register(
    "vgg-stack-vs-large",
    reference=lambda: STACK,
    planted=[
        (lambda: STACK[::-1], "order"),
        (lambda: [9 * C * C, 49 * C * C], "three layers"),
        (lambda: [3 * (9 * C * C + C), 49 * C * C + C], "no biases"),
        (lambda: [27 * C, 49 * C], "C^2"),
    ],
)
def check_stack_vs_large(answer):
    """[parameters of three 3x3 convolutions C -> C, parameters of one 7x7 convolution C -> C], C = 256, no bias."""
    return compare_array(
        answer,
        STACK,
        [
            (
                STACK[::-1],
                "right numbers, wrong order: give [three 3x3 layers, one 7x7 layer].",
            ),
            (
                [9 * C * C, 49 * C * C],
                "9 C^2 is one 3x3 layer; the stack has three layers.",
            ),
            (
                [3 * (9 * C * C + C), 49 * C * C + C],
                "you added biases; the exercise counts weights only (no biases).",
            ),
            (
                [27 * C, 49 * C],
                "each layer maps C channels to C channels: a k x k layer has k^2 C^2 weights, not k^2 C.",
            ),
        ],
        shape_hints={
            (1,): "give two numbers: [three 3x3 layers, one 7x7 layer]."
        },
        what="a list [three 3x3 layers, one 7x7 layer]",
        atol=0.5,
        rtol=0,
    )


# ------------------------------------------------------------ receptive field of two VGG blocks
TWO_BLOCKS = [
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (2, 2),
    (3, 1, 1, 1),
    (3, 1, 1, 1),
    (2, 2),
]
RF = receptive_field(TWO_BLOCKS).size  # 16
RF_NO_LAST_POOL = receptive_field(TWO_BLOCKS[:-1]).size  # 14
RF_NO_JUMP = 1 + sum(
    k - 1 for k, *_ in TWO_BLOCKS
)  # 11: the stride ignored


@register(
    "vgg-receptive-field",
    reference=lambda: RF,
    planted=[
        (lambda: RF_NO_LAST_POOL, "last 2x2 pooling"),
        (lambda: RF_NO_JUMP, "stride"),
        (lambda: 9, "do not add kernel sizes"),
    ],
)
def check_receptive_field(answer):
    """Receptive field (pixels along one axis) of conv3-conv3-pool2-conv3-conv3-pool2."""
    return compare_number(
        answer,
        RF,
        [
            (
                RF_NO_LAST_POOL,
                "that is the field of the fourth convolution; the last 2x2 pooling adds one more step "
                "of the (doubled) jump, 2 pixels.",
            ),
            (
                RF_NO_JUMP,
                "after the first pooling neighbouring outputs are 2 input pixels apart, so each later "
                "3x3 convolution widens the field by 2 x 2 = 4 pixels, not 2: use the stride (the jump).",
            ),
            (
                9,
                "fields do not add kernel sizes: each layer adds (k - 1) times the current jump, starting from 1.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ dropout
P, A = 0.25, 3.0
KEPT = A / (1 - P)  # 4.0


@register(
    "vgg-dropout",
    reference=lambda: KEPT,
    planted=[
        (lambda: A, "scales"),
        (lambda: A * (1 - P), "divides"),
        (lambda: A / P, "keep probability"),
        (lambda: 0.0, "survives"),
    ],
)
def check_dropout(answer):
    """Value of a surviving activation 3.0 after nn.Dropout(p=0.25) in training mode."""
    return compare_number(
        answer,
        KEPT,
        [
            (
                A,
                "in training mode PyTorch scales the survivors, so that the expected value stays 3.0.",
            ),
            (
                A * (1 - P),
                "multiplying by 1 - p is the old test-time rule; PyTorch divides the survivors by 1 - p "
                "during training instead.",
            ),
            (
                A * P,
                "p = 0.25 is the probability of dropping; survivors are divided by 1 - p, not multiplied by p.",
            ),
            (
                A / P,
                "divide by the keep probability 1 - p = 0.75, not by the drop probability p.",
            ),
            (
                0.0,
                "the question is about an activation that survives (is not zeroed).",
            ),
        ],
    )


# ------------------------------------------------------------ write a VGG block
BLOCK_CASES = [(3, 8, 1), (4, 6, 2), (2, 5, 3)]


def _reference_block(in_channels, out_channels, num_convs):
    from ..models.vgg import vgg_block

    return vgg_block(in_channels, out_channels, num_convs)


def _variant_block(
    in_channels,
    out_channels,
    num_convs,
    kernel=3,
    padding=1,
    relu=True,
    pool=True,
):
    import torch.nn as nn

    layers = []
    for i in range(num_convs):
        layers.append(
            nn.Conv2d(
                in_channels if i == 0 else out_channels,
                out_channels,
                kernel,
                padding=padding,
            )
        )
        if relu:
            layers.append(nn.ReLU())
    if pool:
        layers.append(nn.MaxPool2d(2))
    return nn.Sequential(*layers)


def _n_params(module):
    return sum(p.numel() for p in module.parameters())


@register(
    "vgg-write-block",
    reference=lambda: _reference_block,
    planted=[
        (
            lambda: lambda i, o, n: _variant_block(i, o, n, padding=0),
            "padding",
        ),
        (
            lambda: lambda i, o, n: _variant_block(i, o, n, pool=False),
            "pooling",
        ),
        (
            lambda: (
                lambda i, o, n: _variant_block(i, o, n, kernel=5, padding=2)
            ),
            "parameters",
        ),
        (
            lambda: lambda i, o, n: _variant_block(i, o, n, relu=False),
            "relu",
        ),
        (lambda: lambda i, o, n: _variant_block(i, o, 1), "parameters"),
        (lambda: _reference_block(3, 8, 1), "wants a function"),
    ],
)
def check_write_block(answer):
    """make_vgg_block(in_channels, out_channels, num_convs) -> nn.Module: num_convs x (3x3 conv pad 1, ReLU),
    then 2x2 max pooling stride 2."""
    import torch

    problem = builder_problem(answer, "make_vgg_block")
    if problem is not None:
        return problem
    for case in BLOCK_CASES:
        c_in, c_out, n = case
        block = call_builder(
            answer,
            "make_vgg_block",
            case,
            returns="the nn.Sequential you built",
        )
        if isinstance(block, Feedback):
            return block
        x = torch.randn(
            2, c_in, 12, 12, generator=torch.Generator().manual_seed(0)
        )
        y = run_module(block, x, f"the block of make_vgg_block{case}")
        if isinstance(y, Feedback):
            return y
        if not isinstance(y, torch.Tensor):
            return wrong(
                f"the block returned {describe(y)} instead of a tensor."
            )
        expected_shape = (2, c_out, 6, 6)
        if tuple(y.shape) != expected_shape:
            hint = ""
            if y.ndim == 4 and y.shape[-1] == 12:
                hint = " The size was not halved: end the block with a 2x2 max pooling with stride 2."
            elif y.ndim == 4 and y.shape[-1] < 6:
                hint = " The maps shrank before pooling: give each 3x3 convolution padding=1."
            return wrong(
                f"for make_vgg_block{case} and an input (2, {c_in}, 12, 12) the output has shape "
                f"{tuple(y.shape)}, expected {expected_shape}.{hint}"
            )
        expected_params = _n_params(_reference_block(*case))
        if _n_params(block) != expected_params:
            return wrong(
                f"make_vgg_block{case} has {_n_params(block)} parameters, expected {expected_params}: "
                f"{n} convolutions with 3x3 kernels and biases, the first {c_in} -> {c_out}, the others "
                f"{c_out} -> {c_out}."
            )
        if (y < 0).any():
            return wrong(
                f"make_vgg_block{case} gives negative outputs; put a ReLU after every convolution."
            )
    return correct(
        f"your blocks have the right shapes and parameter counts for all {len(BLOCK_CASES)} cases."
    )
