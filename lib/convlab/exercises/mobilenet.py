"""Checkers for chapter 19, "MobileNet".

Exercise ids:

* ``mobile-block-cost``     [separable MACs, standard MACs] of a 3x3 block 256 -> 512 channels at 14x14 output
* ``mobile-width-macs``     MACs of MobileNet V1 at width 0.5 from A and B (alpha A + alpha^2 B)
* ``mobile-resolution``     MACs of MobileNet V1 at 192x192 (rho^2 law, classifier fixed)
* ``mobile-v2-block``       a function ``v2_block_macs(c_in, c_out, h, w, t, s)``
* ``mobile-residual``       which V2 blocks (1-based) have a residual connection
"""

from __future__ import annotations

from fractions import Fraction

from ..models.mobilenet import MOBILENET_V2_SETTINGS, MOBILENET_V2_STEM
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ----------------------------------------------------------- block cost
C_IN, C_OUT, HW = 256, 512, 14
SEPARABLE = 9 * C_IN * HW * HW + C_IN * C_OUT * HW * HW  # 26,141,696
STANDARD = 9 * C_IN * C_OUT * HW * HW  # 231,211,008


@register(
    "mobile-block-cost",
    reference=lambda: [SEPARABLE, STANDARD],
    planted=[
        (lambda: [STANDARD, SEPARABLE], "order"),
        (lambda: [9 * C_IN + C_IN * C_OUT, 9 * C_IN * C_OUT], "weights"),
        (lambda: [SEPARABLE * 4, STANDARD * 4], "28"),
        (lambda: [SEPARABLE], "two numbers"),
    ],
)
def check_block_cost(answer):
    """[MACs of the separable block, MACs of a standard 3x3 conv] for 256 -> 512 channels, 14x14 output."""
    return compare_array(
        answer,
        [SEPARABLE, STANDARD],
        [
            (
                [STANDARD, SEPARABLE],
                "right numbers, wrong order: give [separable, standard].",
            ),
            (
                [9 * C_IN + C_IN * C_OUT, 9 * C_IN * C_OUT],
                "those are the weights; multiply-adds count each weight once "
                "per output position (14 x 14 of them).",
            ),
            (
                [SEPARABLE * 4, STANDARD * 4],
                "you used the 28x28 input size; the stride-2 layer's output is 14x14, and "
                "the MACs count output positions.",
            ),
        ],
        shape_hints={(1,): "Give two numbers: [separable, standard]."},
        rtol=1e-9,
        atol=0.5,
        what="a list [separable MACs, standard MACs]",
    )


# ------------------------------------------------------- width multiplier
A_V1, B_V1 = (
    29_248_000,
    539_492_352,
)  # stem + depthwise + fc, and pointwise MACs, at alpha = 1
ALPHA = Fraction(1, 2)
WIDTH_MACS = int(ALPHA * A_V1 + ALPHA**2 * B_V1)  # 149,497,088


@register(
    "mobile-width-macs",
    reference=lambda: WIDTH_MACS,
    planted=[
        (lambda: int(ALPHA**2 * (A_V1 + B_V1)), "alpha^2"),
        (lambda: int(ALPHA * (A_V1 + B_V1)), "pointwise"),
        (lambda: int(ALPHA**2 * A_V1 + ALPHA * B_V1), "swapped"),
    ],
)
def check_width_macs(answer):
    """MACs of MobileNet V1 with width 0.5 at 224, given A = 29,248,000 and B = 539,492,352."""
    return compare_number(
        answer,
        WIDTH_MACS,
        [
            (
                int(ALPHA**2 * (A_V1 + B_V1)),
                "that is the pure alpha^2 rule; the stem, the depthwise layers and the "
                "classifier have only one scaled channel count, so they scale by alpha.",
            ),
            (
                int(ALPHA * (A_V1 + B_V1)),
                "the pointwise layers scale both C_in and C_out, so they shrink by alpha^2, "
                "not alpha.",
            ),
            (
                int(ALPHA**2 * A_V1 + ALPHA * B_V1),
                "you swapped the roles: A scales by alpha, B by alpha^2.",
            ),
        ],
        rtol=1e-6,
    )


# ------------------------------------------------------ resolution multiplier
MACS_224, FC_MACS = 568_740_352, 1_024_000
RHO = Fraction(192, 224)
RES_MACS = int(RHO**2 * (MACS_224 - FC_MACS) + FC_MACS)  # 418,121,728


@register(
    "mobile-resolution",
    reference=lambda: RES_MACS,
    planted=[
        (lambda: int(RHO**2 * MACS_224), "classifier"),
        (lambda: int(RHO * MACS_224), "area"),
        (lambda: MACS_224, "do not change"),
    ],
)
def check_resolution(answer):
    """MACs of MobileNet V1 (width 1) at 192x192, given 568,740,352 at 224 and 1,024,000 in the classifier."""
    return compare_number(
        answer,
        RES_MACS,
        [
            (
                int(RHO**2 * MACS_224),
                "close, but the classifier sees a 1024-vector after global pooling whatever the "
                "image size: its 1,024,000 MACs do not scale.",
            ),
            (
                int(RHO * MACS_224),
                "the cost of a convolution is proportional to the output *area*, so it scales by "
                "rho^2, not rho.",
            ),
            (
                MACS_224,
                "the parameters do not change with the resolution, but the multiply-adds do.",
            ),
        ],
        rtol=1e-6,
    )


# ------------------------------------------------------------ V2 block cost
def _v2_block_macs(c_in, c_out, h, w, t, s):
    h2, w2 = -(-h // s), -(-w // s)
    expansion = t * c_in * c_in * h * w if t != 1 else 0
    return expansion + 9 * t * c_in * h2 * w2 + t * c_in * c_out * h2 * w2


V2_CASES = [
    (24, 24, 56, 56, 6, 1),
    (16, 24, 112, 112, 6, 2),
    (32, 16, 112, 112, 1, 1),
    (96, 160, 14, 14, 6, 2),
    (160, 320, 7, 7, 6, 1),
    (8, 8, 5, 5, 4, 1),
]


def _no_skip_for_t1(
    c_in, c_out, h, w, t, s
):  # counts an expansion layer even when t = 1
    return (t * c_in * c_in * h * w if t == 1 else 0) + _v2_block_macs(
        c_in, c_out, h, w, t, s
    )


def _stride_ignored(c_in, c_out, h, w, t, s):
    return _v2_block_macs(c_in, c_out, h, w, t, 1)


@register(
    "mobile-v2-block",
    reference=lambda: _v2_block_macs,
    planted=[
        (lambda: _no_skip_for_t1, "t = 1"),
        (lambda: _stride_ignored, "stride"),
        (
            lambda: lambda c_in, c_out, h, w, t, s: 1 / 0,
            "ZeroDivisionError",
        ),
        (lambda: 42, "wants a function"),
    ],
)
def check_v2_block(answer):
    """A function v2_block_macs(c_in, c_out, h, w, t, s): MACs of one inverted residual block (h, w = input size)."""
    return compare_function(
        answer,
        V2_CASES,
        _v2_block_macs,
        diagnoses=[
            (
                _no_skip_for_t1,
                "when t = 1 the block has no expansion layer (the depthwise layer reads the input "
                "directly): drop that term.",
            ),
            (
                _stride_ignored,
                "the depthwise layer has stride s, so it and the projection work on the (h/s) x (w/s) "
                "output.",
            ),
        ],
        rtol=1e-9,
        atol=0.5,
    )


# ---------------------------------------------------------- residual blocks
def _residual_blocks(stride_only=False):
    found, c_in, index = [], MOBILENET_V2_STEM, 0
    for t, c, n, s in MOBILENET_V2_SETTINGS:
        for i in range(n):
            index += 1
            stride = s if i == 0 else 1
            if stride == 1 and (c_in == c or stride_only):
                found.append(index)
            c_in = c
    return found


RESIDUAL = _residual_blocks()  # [3, 5, 6, 8, 9, 10, 12, 13, 15, 16]


@register(
    "mobile-residual",
    reference=lambda: RESIDUAL,
    planted=[
        (lambda: _residual_blocks(stride_only=True), "channel"),
        (lambda: list(range(1, 18)), "stride-2"),
        (lambda: [i - 1 for i in RESIDUAL], "from 1, not 0"),
    ],
)
def check_residual(answer):
    """The 1-based indices of the MobileNet V2 blocks (1..17) that add their input."""
    return compare_array(
        answer,
        RESIDUAL,
        [
            (
                _residual_blocks(stride_only=True),
                "blocks 1, 11 and 17 have stride 1 but change the channel count "
                "(32 -> 16, 64 -> 96, 160 -> 320), so their input cannot be added.",
            ),
            (
                list(range(1, 18)),
                "not every block: a stride-2 block halves the map and the first block of each row "
                "changes the channel count; in both cases the input has another shape than the output.",
            ),
            ([i - 1 for i in RESIDUAL], "count the blocks from 1, not 0."),
        ],
        what="a list of block indices",
    )
