"""Checkers for chapter 13, "A zoo of convolutions".

Exercise ids:

* ``zoo-grouped-params``    weights of a 3x3 conv, 96 -> 192 channels, groups = 8, with bias
* ``zoo-kernel-rank``       the rank of three kernels, as a list ``[r1, r2, r3]``
* ``zoo-gridding``          pixels of the 17x17 receptive field of two 3x3 dilation-4 layers never read
* ``zoo-bilinear``          a bilinear sample of a 2x2 patch at (0.3, 0.6), by hand
* ``zoo-write-bilinear``    a function ``bilinear(img, y, x)`` with zeros outside the image
"""

from __future__ import annotations

import numpy as np
import torch

from ..channels import conv2d_parameter_count
from ..deformable import bilinear_sample
from ..separable import kernel_rank
from .compare import compare_array, compare_function, compare_number
from .registry import register

# --------------------------------------------------------- grouped params
C_IN, C_OUT, K, GROUPS = 96, 192, 3, 8
GROUPED = conv2d_parameter_count(
    C_IN, C_OUT, K, bias=True, groups=GROUPS
)  # 20,928
GROUPED_MISTAKES = {
    "no groups": conv2d_parameter_count(
        C_IN, C_OUT, K, bias=True
    ),  # 166,080
    "groups twice": C_OUT * C_IN * K * K // GROUPS**2 + C_OUT,  # 2,784
    "no bias": conv2d_parameter_count(
        C_IN, C_OUT, K, bias=False, groups=GROUPS
    ),  # 20,736
    "bias per group": conv2d_parameter_count(
        C_IN, C_OUT, K, bias=False, groups=GROUPS
    )
    + GROUPS,
}


@register(
    "zoo-grouped-params",
    reference=lambda: GROUPED,
    planted=[
        (lambda: GROUPED_MISTAKES["no groups"], "ignores the groups"),
        (lambda: GROUPED_MISTAKES["groups twice"], "once"),
        (lambda: GROUPED_MISTAKES["no bias"], "bias"),
        (
            lambda: GROUPED_MISTAKES["bias per group"],
            "every output channel",
        ),
        (lambda: 12345, "not it"),
    ],
)
def check_grouped_params(answer):
    """Learnable parameters of nn.Conv2d(96, 192, 3, groups=8) (with bias)."""
    return compare_number(
        answer,
        GROUPED,
        [
            (
                GROUPED_MISTAKES["no groups"],
                "that count ignores the groups: each output channel sees only "
                "C_in / g = 12 input channels, so the weights are C_out * (C_in/g) * k^2.",
            ),
            (
                GROUPED_MISTAKES["groups twice"],
                "you divided by the number of groups twice; the weights are divided by g "
                "once: C_out * (C_in / g) * k^2.",
            ),
            (
                GROUPED_MISTAKES["no bias"],
                "those are the weights; the layer also has one bias per output channel (192).",
            ),
            (
                GROUPED_MISTAKES["bias per group"],
                "the bias is per output channel, not per group: every output channel "
                "has one, so add 192.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ---------------------------------------------------------- kernel ranks
RANK_KERNELS = [
    np.array(
        [[1.0, 2.0, 1.0], [2.0, 4.0, 2.0], [1.0, 2.0, 1.0]]
    ),  # Gaussian-like: outer([1,2,1], [1,2,1])
    np.array(
        [[0.0, 1.0, 0.0], [1.0, 1.0, 1.0], [0.0, 1.0, 0.0]]
    ),  # a plus sign
    np.array(
        [[2.0, -1.0, 3.0], [4.0, -2.0, 6.0], [-2.0, 1.0, -3.0]]
    ),  # rows are multiples of [2, -1, 3]
]
RANKS = [kernel_rank(K) for K in RANK_KERNELS]  # [1, 2, 1]


@register(
    "zoo-kernel-rank",
    reference=lambda: RANKS,
    planted=[
        (lambda: [1, 3, 1], "second"),
        (lambda: [1, 2, 3], "third"),
        (lambda: [3, 2, 1], "first"),
        (lambda: [1, 2], "three numbers"),
    ],
)
def check_kernel_rank(answer):
    """Ranks of the three kernels A, B, C of the exercise notebook."""
    return compare_array(
        answer,
        RANKS,
        [
            (
                [1, 3, 1],
                "the second kernel (the plus sign) has only two different rows, [0, 1, 0] and [1, 1, 1], so its "
                "rank is 2: it is a sum of two separable kernels, not one.",
            ),
            (
                [1, 2, 3],
                "look at the rows of the third kernel: the second is 2 times the first and the third is -1 times "
                "it, so it is rank 1 (separable).",
            ),
            (
                [3, 2, 1],
                "the first kernel is outer([1, 2, 1], [1, 2, 1]): every row is a multiple of [1, 2, 1], rank 1.",
            ),
            (
                [2, 2, 1],
                "the first kernel is outer([1, 2, 1], [1, 2, 1]): every row is a multiple of [1, 2, 1], rank 1.",
            ),
        ],
        shape_hints={
            (2,): "Give three numbers, one rank per kernel.",
            (1,): "Give three numbers, one rank per kernel.",
        },
        what="a list of three ranks",
        atol=0,
        rtol=0,
    )


# -------------------------------------------------------------- gridding
# Two 3x3 layers with dilation 4: taps move by multiples of 4, so the receptive field is 1 + 2*4*2 = 17 wide and
# the pixels read are those whose row and column offsets from the centre are multiples of 4: 5 x 5 = 25.
GRID_D, GRID_LAYERS = 4, 2
GRID_SPAN = 1 + GRID_LAYERS * GRID_D * 2  # 17
GRID_READ = (GRID_LAYERS * 2 + 1) ** 2  # 25
GRID_NEVER = GRID_SPAN**2 - GRID_READ  # 264


@register(
    "zoo-gridding",
    reference=lambda: GRID_NEVER,
    planted=[
        (lambda: GRID_READ, "read"),
        (lambda: 9 * 9 - GRID_READ, "17"),
        (lambda: GRID_SPAN**2, "all 289"),
        (lambda: GRID_SPAN**2 - 9, "two layers"),
    ],
)
def check_gridding(answer):
    """Pixels of the receptive field of two stacked 3x3 layers with dilation 4 that one output never reads."""
    return compare_number(
        answer,
        GRID_NEVER,
        [
            (
                GRID_READ,
                "25 is the number of pixels the output does read (offsets -8, -4, 0, 4, 8 in each direction); "
                "the question asks for those it never reads.",
            ),
            (
                9 * 9 - GRID_READ,
                "the receptive field is wider than 9: each layer adds d(k-1) = 8, so it is "
                "1 + 8 + 8 = 17 pixels across.",
            ),
            (
                GRID_SPAN**2,
                "all 289 pixels are in the field, but not all are read: offsets are sums of multiples of 4.",
            ),
            (
                GRID_SPAN**2 - 9,
                "one layer reads 9 pixels, but two layers read more: the sums of two tap offsets "
                "(-8, -4, 0, 4, 8 per axis).",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# -------------------------------------------------------------- bilinear
PATCH = np.array([[2.0, 6.0], [10.0, 4.0]])
POINT = (0.3, 0.6)  # (row, column)


def _bilinear_reference(img, y, x) -> float:
    img = np.asarray(img, dtype=float)
    t = torch.from_numpy(img)[None, None]
    return float(
        bilinear_sample(
            t,
            torch.tensor([[float(y)]], dtype=torch.float64),
            torch.tensor([[float(x)]], dtype=torch.float64),
        )[0, 0, 0]
    )


BILINEAR = _bilinear_reference(
    PATCH, *POINT
)  # 0.28*2 + 0.42*6 + 0.12*10 + 0.18*4 = 5.0


@register(
    "zoo-bilinear",
    reference=lambda: BILINEAR,
    planted=[
        (lambda: _bilinear_reference(PATCH, POINT[1], POINT[0]), "swapped"),
        (lambda: PATCH.mean(), "mean"),
        (
            lambda: (
                0.7 * 0.4 * 4
                + 0.7 * 0.6 * 10
                + 0.3 * 0.4 * 6
                + 0.3 * 0.6 * 2
            ),
            "weights",
        ),
        (lambda: 2.0, "top-left"),
        (lambda: 6.0, "nearest"),
    ],
)
def check_bilinear(answer):
    """The bilinear value of PATCH at row 0.3, column 0.6."""
    return compare_number(
        answer,
        BILINEAR,
        [
            (
                _bilinear_reference(PATCH, POINT[1], POINT[0]),
                "you swapped row and column: y = 0.3 is the row "
                "(down), x = 0.6 the column (right).",
            ),
            (
                PATCH.mean(),
                "that is the mean of the four pixels, the value at (0.5, 0.5); weight each pixel by how "
                "close the point is to it.",
            ),
            (
                0.7 * 0.4 * 4
                + 0.7 * 0.6 * 10
                + 0.3 * 0.4 * 6
                + 0.3 * 0.6 * 2,
                "the weights are attached to the wrong pixels: the pixel nearest the point, [0, 1], gets the largest "
                "weight (1 - 0.3)(0.6).",
            ),
            (
                2.0,
                "that is the top-left pixel; bilinear interpolation mixes all four neighbours.",
            ),
            (
                6.0,
                "that is the nearest pixel (rounding the position); bilinear interpolation mixes all four "
                "neighbours.",
            ),
        ],
        rtol=0,
        atol=1e-6,
    )


# ------------------------------------------------------- write bilinear
_IMG = np.array(
    [[1.0, 2.0, 0.0, -1.0], [3.0, -2.0, 5.0, 4.0], [0.5, 1.5, -3.0, 2.0]]
)
BILINEAR_CASES = [
    (_IMG, 0.0, 0.0),
    (_IMG, 1.0, 2.0),
    (_IMG, 0.25, 1.5),
    (_IMG, 1.7, 0.2),
    (_IMG, 2.0, 3.0),
    (_IMG, 1.5, 3.5),
    (_IMG, -0.5, 1.0),
    (_IMG, 2.5, -0.25),
    (_IMG, -3.0, 1.0),
    (_IMG, 0.5, 7.0),
]


def _clamped(img, y, x):
    """A common mistake: clamping the position to the image instead of reading zeros outside."""
    h, w = np.shape(img)
    return _bilinear_reference(
        img, min(max(y, 0), h - 1), min(max(x, 0), w - 1)
    )


def _nearest(img, y, x):
    h, w = np.shape(img)
    r, c = int(np.floor(y + 0.5)), int(np.floor(x + 0.5))
    return float(img[r, c]) if 0 <= r < h and 0 <= c < w else 0.0


@register(
    "zoo-write-bilinear",
    reference=lambda: _bilinear_reference,
    planted=[
        (lambda: _clamped, "zero"),
        (lambda: _nearest, "nearest"),
        (
            lambda: (
                lambda img, y, x: (
                    _bilinear_reference(img, x, y) if max(x, y) < 3 else 0.0
                )
            ),
            "differ",
        ),
        (lambda: lambda img, y, x: None, "return"),
        (lambda: 5.0, "wants a function"),
    ],
)
def check_write_bilinear(answer):
    """A function bilinear(img, y, x) for a 2-D array img and one real point (y row, x column)."""
    return compare_function(
        answer,
        BILINEAR_CASES,
        _bilinear_reference,
        diagnoses=[
            (
                _clamped,
                "outside the image the value must be zero (pixels beyond the border count as 0), not the "
                "nearest border value: do not clamp the position, skip the neighbours that lie outside.",
            ),
            (
                _nearest,
                "that is nearest-neighbour sampling; bilinear interpolation weights the four neighbours by "
                "(1-ty)(1-tx), (1-ty)tx, ty(1-tx), ty tx.",
            ),
        ],
        atol=1e-9,
        rtol=1e-9,
    )
