"""Checkers for chapter 28, "Depth or width".

Exercise ids:

* ``dw-wrn-block-params``     the parameters of ``WideBlock(64, 128, stride=2)`` (BN and projection included)
* ``dw-grouped-bottleneck``   the parameters of a grouped bottleneck, 512 channels in and out,
  32 paths of 8 channels (ResNeXt-50's second stage; BN included)
* ``dw-wrn-depth``            the depth of a Wide ResNet with 18 blocks in all
* ``dw-matching-width``       the widening factor k of the WRN-10-k closest in parameters to WRN-40-2

Every reference answer is counted from the library's modules (``count_params``), not typed in.
"""

from __future__ import annotations

import torch

from ..cost import count_params
from ..models import wide_resnet
from ..models.resnet import Bottleneck
from ..models.wide_resnet import WideBlock
from .compare import compare_number
from .registry import register


def _meta_params(build) -> int:
    """Parameters of ``build()`` built on the meta device (nothing is
    allocated or drawn)."""
    with torch.device("meta"):
        return count_params(build())


# ------------------------------------------------- exercise 1: a WRN block
# The block that opens the second group of WRN-16-4: 64 -> 128, stride 2.
A1, C1 = 64, 128
BLOCK_PARAMS = _meta_params(lambda: WideBlock(A1, C1, stride=2))
_BLOCK_BN = 2 * A1 + 2 * C1
_BLOCK_PROJ = A1 * C1
BLOCK_NO_PROJECTION = BLOCK_PARAMS - _BLOCK_PROJ
BLOCK_NO_BN = BLOCK_PARAMS - _BLOCK_BN
BLOCK_3X3_PROJECTION = BLOCK_PARAMS + 8 * _BLOCK_PROJ
BLOCK_BOTH_A_TO_C = BLOCK_PARAMS - 9 * C1 * C1 + 9 * A1 * C1


@register(
    "dw-wrn-block-params",
    reference=lambda: BLOCK_PARAMS,
    planted=[
        (lambda: BLOCK_NO_PROJECTION, "projection"),
        (lambda: BLOCK_NO_BN, "batch normalisation"),
        (lambda: BLOCK_3X3_PROJECTION, "1x1"),
        (lambda: BLOCK_BOTH_A_TO_C, "c to c"),
        (lambda: None, "no answer yet"),
    ],
)
def check_wrn_block_params(answer):
    """Parameters of WideBlock(64, 128, stride=2), exactly."""
    return compare_number(
        answer,
        BLOCK_PARAMS,
        diagnoses=[
            (
                BLOCK_NO_PROJECTION,
                "you left out the projection: the block changes the "
                "number of channels and the resolution, so its shortcut "
                "is a 1x1 convolution from a to c channels (a c weights).",
            ),
            (
                BLOCK_NO_BN,
                "you left out batch normalisation: each BN has 2 "
                "parameters per channel (2a before the first convolution,"
                " 2c before the second).",
            ),
            (
                BLOCK_3X3_PROJECTION,
                "the projection is a 1x1 convolution, a c weights, not "
                "a 3x3 one.",
            ),
            (
                BLOCK_BOTH_A_TO_C,
                "only the first 3x3 convolution maps a to c channels; the "
                "second maps c to c (9 c^2 weights).",
            ),
        ],
        rtol=0,
        atol=0,
        whole="a number of parameters is a whole number",
    )


# -------------------------------------- exercise 2: a grouped bottleneck
# ResNeXt-50's second stage: 512 channels in and out, inner width
# D = C w = 32 * 8 = 256 (Bottleneck(512, 128, groups=32, base_width=4)).
M2, CARD2, W2 = 512, 32, 8
D2 = CARD2 * W2
GROUPED_PARAMS = _meta_params(
    lambda: Bottleneck(M2, M2 // 4, groups=CARD2, base_width=4)
)
_GROUPED_3X3 = 9 * D2 * D2 // CARD2
GROUPED_UNGROUPED = GROUPED_PARAMS - _GROUPED_3X3 + 9 * D2 * D2
GROUPED_TWICE = GROUPED_PARAMS - _GROUPED_3X3 + 9 * D2 * D2 // CARD2**2
GROUPED_READS_C = GROUPED_PARAMS - _GROUPED_3X3 + 9 * D2 * CARD2
GROUPED_NO_BN = GROUPED_PARAMS - (2 * D2 + 2 * D2 + 2 * M2)


@register(
    "dw-grouped-bottleneck",
    reference=lambda: GROUPED_PARAMS,
    planted=[
        (lambda: GROUPED_UNGROUPED, "not grouped"),
        (lambda: GROUPED_TWICE, "divided by C twice"),
        (lambda: GROUPED_READS_C, "reads w"),
        (lambda: GROUPED_NO_BN, "batch normalisation"),
        (lambda: None, "no answer yet"),
    ],
)
def check_grouped_bottleneck(answer):
    """Parameters of the grouped bottleneck 512 -> 256 (32 x 8) -> 512."""
    return compare_number(
        answer,
        GROUPED_PARAMS,
        diagnoses=[
            (
                GROUPED_UNGROUPED,
                "that counts the 3x3 convolution as not grouped (9 D^2); "
                "with C groups each filter reads only its path's w "
                "channels: 9 D^2 / C.",
            ),
            (
                GROUPED_TWICE,
                "the 3x3 convolution was divided by C twice: it has D "
                "filters of 9 w weights each, 9 D w = 9 D^2 / C.",
            ),
            (
                GROUPED_READS_C,
                "each filter of the grouped convolution reads w channels "
                "(its own path's), not C: it has 9 w weights.",
            ),
            (
                GROUPED_NO_BN,
                "you left out batch normalisation: 2 parameters per "
                "channel after each of the three convolutions (2D, 2D "
                "and 2 m_out).",
            ),
        ],
        rtol=0,
        atol=0,
        whole="a number of parameters is a whole number",
    )


# --------------------------------------- exercise 3: depth from blocks
TOTAL_BLOCKS = 18
N3 = TOTAL_BLOCKS // 3
DEPTH = 6 * N3 + 4
with torch.device("meta"):  # the library agrees: 3 groups of N3 blocks
    assert 3 * wide_resnet(DEPTH, 1).blocks_per_group == TOTAL_BLOCKS
DEPTH_N_IS_TOTAL = 6 * TOTAL_BLOCKS + 4
DEPTH_BLOCK_CONVS = 2 * TOTAL_BLOCKS
DEPTH_NO_PROJECTIONS = 2 * TOTAL_BLOCKS + 2
DEPTH_ONE_CONV = TOTAL_BLOCKS + 4


@register(
    "dw-wrn-depth",
    reference=lambda: DEPTH,
    planted=[
        (lambda: DEPTH_N_IS_TOTAL, "per group"),
        (lambda: DEPTH_BLOCK_CONVS, "stem"),
        (lambda: DEPTH_NO_PROJECTIONS, "projections"),
        (lambda: DEPTH_ONE_CONV, "two 3x3"),
        (lambda: None, "no answer yet"),
    ],
)
def check_wrn_depth(answer):
    """d = 6n + 4 with n = 18 / 3 blocks per group."""
    return compare_number(
        answer,
        DEPTH,
        diagnoses=[
            (
                DEPTH_N_IS_TOTAL,
                "n in d = 6n + 4 is the number of blocks per group; the "
                "18 blocks are spread over three groups.",
            ),
            (
                DEPTH_BLOCK_CONVS,
                "that counts only the blocks' convolutions; the depth "
                "also counts the stem, the classifier and the two strided"
                " projections.",
            ),
            (
                DEPTH_NO_PROJECTIONS,
                "the stem and the classifier are there; the convention "
                "also counts the two strided 1x1 projections (+2).",
            ),
            (
                DEPTH_ONE_CONV,
                "a Wide ResNet block has two 3x3 convolutions, not one.",
            ),
        ],
        rtol=0,
        atol=0,
        whole="a depth is a whole number of layers",
    )


# ------------------------------------ exercise 4: the matching width
BUDGET = _meta_params(lambda: wide_resnet(40, 2))
K_RANGE = range(1, 21)
_WRN10 = {k: _meta_params(lambda k=k: wide_resnet(10, k)) for k in K_RANGE}
K_MATCH = min(K_RANGE, key=lambda k: abs(_WRN10[k] - BUDGET))
K_LINEAR = 2 * 6  # k scaled with the number of blocks (6 -> 1)
K_AT_LEAST = min(k for k in K_RANGE if _WRN10[k] >= BUDGET)
K_SAME = 2


def _relative(k):
    return f"{100 * (_WRN10[k] / BUDGET - 1):+.0f} %"


@register(
    "dw-matching-width",
    reference=lambda: K_MATCH,
    planted=[
        (lambda: K_LINEAR, "square"),
        (lambda: K_SAME, "same k"),
        (lambda: K_AT_LEAST, "closer")
        if K_AT_LEAST != K_MATCH
        else (lambda: K_MATCH + 1, "closer"),
        (lambda: K_MATCH - 1, "closer"),
        (lambda: 4.9, "whole number"),
        (lambda: None, "no answer yet"),
    ],
)
def check_matching_width(answer):
    """The integer k whose WRN-10-k (b = 16, 3 -> 10) is closest in
    parameters to WRN-40-2."""
    diagnoses = [
        (
            K_LINEAR,
            "the parameters grow with the square of the width but only "
            "linearly with the blocks: 6 times fewer blocks need about "
            "sqrt(6) times the width, not 6 times.",
        ),
        (
            K_SAME,
            "with the same k the shallow network has far fewer "
            f"parameters ({_relative(K_SAME)}): widen it to make up for "
            "the blocks it lost.",
        ),
    ]
    above = K_AT_LEAST if K_AT_LEAST != K_MATCH else K_MATCH + 1
    for k in (K_MATCH - 1, above):
        diagnoses.append(
            (
                k,
                f"WRN-10-{k} is {_relative(k)} from the budget; "
                "another k comes closer (compare both neighbours).",
            )
        )
    return compare_number(
        answer,
        K_MATCH,
        diagnoses=diagnoses,
        rtol=0,
        atol=0,
        whole="k is a whole number (the library's widen is an integer)",
    )
