"""Checkers for chapter 16, "Network in Network and GoogLeNet".

Exercise ids:

* ``inception-1x1-params``     parameters of ``nn.Conv2d(256, 64, kernel_size=1)`` (with bias)
* ``inception-gap-saving``     parameters of flatten + linear vs GAP + linear on a 1024x7x7 map, 1000 classes
* ``inception-out-channels``   output channels of Inception block (4b) from its Table 1 row
* ``inception-bottleneck-macs`` ``[direct, reduced]`` MACs of block (4a)'s 5x5 branch on 14x14 maps
* ``inception-write-block``    a function ``make_inception(in_channels, c1, c3r, c3, c5r, c5, pool_proj)``
"""

from __future__ import annotations

from ..models.googlenet import INCEPTION_TABLE, inception_in_channels
from .compare import compare_array, compare_number, describe
from .builders import builder_problem, call_builder, run_module
from .feedback import Feedback, correct, wrong
from .registry import register

# ------------------------------------------------------------ a 1x1 convolution
ONE_BY_ONE = 64 * 256 + 64  # 16,448


@register(
    "inception-1x1-params",
    reference=lambda: ONE_BY_ONE,
    planted=[
        (lambda: 64 * 256, "bias"),
        (lambda: 256 + 1, "every one of the 64"),
        (lambda: 64 * 256 * 9 + 64, "1 x 1"),
    ],
)
def check_1x1_params(answer):
    """Parameters of nn.Conv2d(256, 64, kernel_size=1) with its bias."""
    return compare_number(
        answer,
        ONE_BY_ONE,
        [
            (
                64 * 256,
                "you counted the weights; each of the 64 output channels also has a bias.",
            ),
            (
                256 + 1,
                "that is one output channel (256 weights + 1 bias); every one of the 64 output channels has its own.",
            ),
            (
                64 * 256 * 9 + 64,
                "that would be a 3x3 kernel; a 1 x 1 kernel has one weight per input channel.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ global average pooling saving
C, H, W, K = 1024, 7, 7, 1000
HEADS = [C * H * W * K + K, C * K + K]  # [50,177,000, 1,025,000]


@register(
    "inception-gap-saving",
    reference=lambda: HEADS,
    planted=[
        (lambda: HEADS[::-1], "order"),
        (lambda: [C * H * W * K, C * K], "bias"),
        (lambda: [C * H * W * K + K, K], "GAP has no parameters"),
        (lambda: [C * H * K + K, C * K + K], "H x W"),
    ],
)
def check_gap_saving(answer):
    """[flatten + Linear(C*H*W, K), GAP + Linear(C, K)] parameters for C=1024, H=W=7, K=1000."""
    return compare_array(
        answer,
        HEADS,
        [
            (
                HEADS[::-1],
                "right numbers, wrong order: give [flatten + linear, GAP + linear].",
            ),
            (
                [C * H * W * K, C * K],
                "both linear layers have a bias of K = 1000 numbers; add it.",
            ),
            (
                [C * H * W * K + K, K],
                "GAP has no parameters, but the linear layer after it has C K + K.",
            ),
            (
                [C * H * K + K, C * K + K],
                "flattening a C x H x W map gives C H W = 1024 x 7 x 7 inputs: multiply by "
                "both H and W.",
            ),
        ],
        shape_hints={
            (1,): "give two numbers: [flatten + linear, GAP + linear]."
        },
        what="a list [flatten + linear, GAP + linear]",
        atol=0.5,
        rtol=0,
    )


# ------------------------------------------------------------ output channels of (4b)
ROW_4B = INCEPTION_TABLE["4b"]  # (160, 112, 224, 24, 64, 64)
OUT_4B = ROW_4B[0] + ROW_4B[2] + ROW_4B[4] + ROW_4B[5]  # 512


@register(
    "inception-out-channels",
    reference=lambda: OUT_4B,
    planted=[
        (lambda: sum(ROW_4B), "reductions"),
        (lambda: OUT_4B - ROW_4B[5], "fourth branch"),
        (
            lambda: OUT_4B - ROW_4B[5] + inception_in_channels()["4b"],
            "projection",
        ),
    ],
)
def check_out_channels(answer):
    """Output channels of block (4b): #1x1 + #3x3 + #5x5 + pool proj."""
    return compare_number(
        answer,
        OUT_4B,
        [
            (
                sum(ROW_4B),
                "the reductions (#3x3 reduce, #5x5 reduce) are inner layers of their branches; only the last "
                "layer of each branch reaches the concatenation.",
            ),
            (
                OUT_4B - ROW_4B[5],
                "you left out the fourth branch (max pooling, then a 1x1 projection to 64 channels).",
            ),
            (
                OUT_4B - ROW_4B[5] + inception_in_channels()["4b"],
                "the pooling branch ends with a 1x1 projection to 64 channels; it does not pass all input channels on.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ bottleneck saving on (4a)
C_IN_4A = inception_in_channels()["4a"]  # 480
_, _, _, R5, C5, _ = INCEPTION_TABLE["4a"]  # 5x5 reduce 16, 5x5 48
HW = 14 * 14
DIRECT = HW * C5 * C_IN_4A * 25  # 112,896,000
REDUCED = HW * (R5 * C_IN_4A + C5 * R5 * 25)  # 5,268,480
MACS = [DIRECT, REDUCED]


@register(
    "inception-bottleneck-macs",
    reference=lambda: MACS,
    planted=[
        (
            lambda: [C5 * C_IN_4A * 25, R5 * C_IN_4A + C5 * R5 * 25],
            "14 x 14",
        ),
        (lambda: [DIRECT, HW * C5 * R5 * 25], "reduction itself"),
        (lambda: MACS[::-1], "order"),
        (lambda: [DIRECT, HW * (R5 * C_IN_4A + C5 * R5 * 5)], "5 x 5 = 25"),
    ],
)
def check_bottleneck_macs(answer):
    """[MACs of a direct 5x5 conv 480 -> 48, MACs of 1x1 480 -> 16 then 5x5 16 -> 48], on 14x14 maps."""
    return compare_array(
        answer,
        MACS,
        [
            (
                [C5 * C_IN_4A * 25, R5 * C_IN_4A + C5 * R5 * 25],
                "those are the MACs for one output position; the "
                "maps are 14 x 14, so multiply by 196.",
            ),
            (
                [DIRECT, HW * C5 * R5 * 25],
                "the reduction itself costs MACs too: 196 x 480 x 16 for the 1x1 layer.",
            ),
            (
                MACS[::-1],
                "right numbers, wrong order: give [direct, with the reduction].",
            ),
            (
                [DIRECT, HW * (R5 * C_IN_4A + C5 * R5 * 5)],
                "a 5x5 kernel has 5 x 5 = 25 weights per input channel.",
            ),
        ],
        shape_hints={
            (1,): "give two numbers: [direct, with the reduction]."
        },
        what="a list [direct, with the reduction]",
        atol=0.5,
        rtol=0,
    )


# ------------------------------------------------------------ write an Inception block
BLOCK_CASES = [(6, 2, 3, 4, 2, 3, 1), (5, 1, 2, 2, 1, 2, 3)]


def _reference_inception(in_channels, c1, c3r, c3, c5r, c5, pool_proj):
    from ..models.googlenet import Inception

    return Inception(in_channels, c1, c3r, c3, c5r, c5, pool_proj)


def _variant(
    in_channels,
    c1,
    c3r,
    c3,
    c5r,
    c5,
    pool_proj,
    reduce=True,
    pool_proj_on=True,
    pad=True,
):
    """A wrong Inception block for the planted answers."""
    import torch
    import torch.nn as nn

    def conv(i, o, k):
        return nn.Sequential(
            nn.Conv2d(i, o, k, padding=k // 2 if pad else 0), nn.ReLU()
        )

    class Block(nn.Module):
        def __init__(self):
            super().__init__()
            self.b1 = conv(in_channels, c1, 1)
            self.b3 = (
                nn.Sequential(conv(in_channels, c3r, 1), conv(c3r, c3, 3))
                if reduce
                else conv(in_channels, c3, 3)
            )
            self.b5 = (
                nn.Sequential(conv(in_channels, c5r, 1), conv(c5r, c5, 5))
                if reduce
                else conv(in_channels, c5, 5)
            )
            self.pool = nn.MaxPool2d(3, stride=1, padding=1)
            self.bp = (
                conv(in_channels, pool_proj, 1)
                if pool_proj_on
                else nn.Identity()
            )

        def forward(self, x):
            return torch.cat(
                [self.b1(x), self.b3(x), self.b5(x), self.bp(self.pool(x))],
                1,
            )

    return Block()


def _n_params(module):
    return sum(p.numel() for p in module.parameters())


def _concat_hint(exc: Exception) -> str:
    if "Sizes of tensors must match" in str(exc):
        return (
            " The branches give maps of different sizes, so they cannot be concatenated: keep the size "
            "with padding 1 for the 3x3 convolution and the pooling, padding 2 for the 5x5."
        )
    return ""


@register(
    "inception-write-block",
    reference=lambda: _reference_inception,
    planted=[
        (lambda: lambda *a: _variant(*a, reduce=False), "parameters"),
        (lambda: lambda *a: _variant(*a, pool_proj_on=False), "channels"),
        (lambda: lambda *a: _variant(*a, pad=False), "padding"),
        (lambda: lambda *a: None, "returned none"),
        (lambda: _reference_inception(*BLOCK_CASES[0]), "wants a function"),
    ],
)
def check_write_block(answer):
    """make_inception(in_channels, c1, c3r, c3, c5r, c5, pool_proj) -> nn.Module, the four-branch block."""
    import torch

    problem = builder_problem(answer, "make_inception")
    if problem is not None:
        return problem
    for case in BLOCK_CASES:
        c_in, c1, _, c3, _, c5, cp = case
        block = call_builder(answer, "make_inception", case)
        if isinstance(block, Feedback):
            return block
        x = torch.randn(
            2, c_in, 9, 9, generator=torch.Generator().manual_seed(0)
        )
        y = run_module(
            block,
            x,
            f"the block of make_inception{case}",
            hint=_concat_hint,
        )
        if isinstance(y, Feedback):
            return y
        if not isinstance(y, torch.Tensor) or y.ndim != 4:
            return wrong(
                f"the block returned {describe(y)} instead of a 4-D tensor (N, C, H, W)."
            )
        expected = (2, c1 + c3 + c5 + cp, 9, 9)
        if tuple(y.shape[-2:]) != (9, 9):
            return wrong(
                f"for make_inception{case} the output is {tuple(y.shape)}: the branches must keep the "
                "9x9 size (padding 1 for the 3x3 convolution and the pooling, padding 2 for the 5x5), "
                "or they cannot be concatenated."
            )
        if tuple(y.shape) != expected:
            return wrong(
                f"for make_inception{case} the output has {y.shape[1]} channels, expected "
                f"c1 + c3 + c5 + pool_proj = {expected[1]}: concatenate the last layer of each branch, "
                "and end the pooling branch with a 1x1 projection to pool_proj channels."
            )
        want = _n_params(_reference_inception(*case))
        if _n_params(block) != want:
            return wrong(
                f"make_inception{case} has {_n_params(block)} parameters, expected {want}: 1x1 (c1); "
                "1x1 reduction to c3r then 3x3 to c3; 1x1 reduction to c5r then 5x5 to c5; pooling then "
                "1x1 to pool_proj, every convolution with a bias."
            )
        if (y < 0).any():
            return wrong(
                f"make_inception{case} gives negative outputs; put a ReLU after every convolution."
            )
    return correct(
        f"your block has the right shape and parameter count in all {len(BLOCK_CASES)} cases."
    )
