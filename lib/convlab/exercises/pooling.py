"""Checkers for chapter 9, "Pooling".

Exercise ids:

* ``pool-by-hand``         2x2 max pooling (default stride) of a 4x4 array
* ``pool-avg-padding``     avg_pool2d(PAD_X, 2, padding=1) with the default count_include_pad=True
* ``pool-output-size``     ``[floor, ceil_mode]`` output sizes for n=8, k=3, s=2
* ``pool-adaptive-windows`` the windows ``[start, end)`` of adaptive pooling 7 -> 3
* ``pool-write-maxpool``   a function ``my_max_pool2d(X, k)`` (stride k, no padding)
"""

from __future__ import annotations

import numpy as np

from .. import pooling
from ..arith import pool_output_size
from .compare import compare_array, compare_function
from .registry import register

# ------------------------------------------------------------ by hand
X4 = np.array(
    [
        [1.0, 3.0, 2.0, 0.0],
        [4.0, 0.0, 1.0, 5.0],
        [2.0, 6.0, 0.0, 1.0],
        [1.0, 2.0, 3.0, 2.0],
    ]
)
_max = lambda x, **kw: pooling.max_pool2d(x[None], 2, **kw)[0]


@register(
    "pool-by-hand",
    reference=lambda: _max(X4).tolist(),
    planted=[
        (lambda: _max(X4, stride=1).tolist(), "stride"),
        (lambda: pooling.avg_pool2d(X4[None], 2)[0].tolist(), "average"),
        (lambda: _max(X4).T.tolist(), "transposed"),
        (lambda: [[4, 5, 6, 3]], "shape"),
    ],
)
def check_by_hand(answer):
    """max_pool2d(X4, 2): 2x2 windows, stride 2 (the default)."""
    return compare_array(
        answer,
        _max(X4),
        [
            (
                pooling.avg_pool2d(X4[None], 2)[0],
                "those are the averages of the windows; max pooling keeps the largest value.",
            ),
            (
                _max(X4).T,
                "your result is transposed: output [i, j] summarises rows 2i, 2i+1 and columns 2j, 2j+1.",
            ),
        ],
        shape_hints={
            (
                3,
                3,
            ): "a 3x3 result means stride 1; the stride of a pooling layer defaults to the "
            "kernel size, so the 2x2 windows do not overlap and the output is 2x2.",
            (1, 4): "write the 2x2 result as [[a, b], [c, d]].",
        },
        what="a 2x2 nested list",
    )


# ---------------------------------------------------- average with padding
PAD_X = np.array([[8.0, 4.0, 2.0], [4.0, 2.0, 6.0], [2.0, 6.0, 4.0]])
_avg = lambda **kw: pooling.avg_pool2d(PAD_X[None], 2, padding=1, **kw)[0]


@register(
    "pool-avg-padding",
    reference=lambda: _avg().tolist(),
    planted=[
        (
            lambda: _avg(count_include_pad=False).tolist(),
            "count_include_pad",
        ),
        (
            lambda: pooling.max_pool2d(PAD_X[None], 2, padding=1)[
                0
            ].tolist(),
            "maxima",
        ),
        (lambda: pooling.avg_pool2d(PAD_X[None], 2)[0].tolist(), "padding"),
    ],
)
def check_avg_padding(answer):
    """avg_pool2d(PAD_X, 2, padding=1) with the default count_include_pad=True (2x2 result)."""
    return compare_array(
        answer,
        _avg(),
        [
            (
                _avg(count_include_pad=False),
                "you divided by the number of real cells; by default "
                "(count_include_pad=True) the padding zeros count, so every window divides by 4.",
            ),
            (
                pooling.max_pool2d(PAD_X[None], 2, padding=1)[0],
                "those are maxima; the exercise asks for averages.",
            ),
        ],
        shape_hints={
            (
                1,
                1,
            ): "with padding 1 the padded input is 5x5: floor((3 + 2 - 2)/2) + 1 = 2 outputs per axis.",
            (2,): "write the 2x2 result as [[a, b], [c, d]].",
        },
        what="a 2x2 nested list",
    )


# ------------------------------------------------------------ output size
NP, KP, SP = 8, 3, 2
SIZES = [
    pool_output_size(NP, KP, SP),
    pool_output_size(NP, KP, SP, ceil_mode=True),
]  # [3, 4]


@register(
    "pool-output-size",
    reference=lambda: SIZES,
    planted=[
        (lambda: SIZES[::-1], "order"),
        (lambda: [SIZES[0], SIZES[0]], "ceil_mode"),
        (lambda: [NP - KP + 1, NP - KP + 1], "stride"),
        (lambda: [3], "two numbers"),
    ],
)
def check_output_size(answer):
    """[size without ceil_mode, size with ceil_mode] for n=8, k=3, s=2, p=0."""
    return compare_array(
        answer,
        SIZES,
        [
            (
                SIZES[::-1],
                "right numbers, wrong order: give [floor, ceil_mode].",
            ),
            (
                [SIZES[0], SIZES[0]],
                "with ceil_mode the division (8 - 3)/2 = 2.5 rounds up, keeping a last window that "
                "starts at 6 and hangs over the end.",
            ),
            (
                [NP - KP + 1] * 2,
                "that is the size with stride 1; here the windows start 2 apart.",
            ),
        ],
        shape_hints={
            (1,): "Give two numbers: [floor, ceil_mode].",
            (3,): "Give two numbers: [floor, ceil_mode].",
        },
        what="a list [floor, ceil_mode] of two sizes",
    )


# ---------------------------------------------------- adaptive windows
NA, MA = 7, 3
WINDOWS = [
    [i * NA // MA, -(-(i + 1) * NA // MA)] for i in range(MA)
]  # [[0, 3], [2, 5], [4, 7]]


@register(
    "pool-adaptive-windows",
    reference=lambda: WINDOWS,
    planted=[
        (
            lambda: [[i * NA // MA, (i + 1) * NA // MA] for i in range(MA)],
            "ceil",
        ),
        (lambda: [[a, b - 1] for a, b in WINDOWS], "exclusive"),
        (lambda: [[0, 1], [1, 2], [2, 3]], "differ"),
        (lambda: [0, 2, 4], "shape"),
    ],
)
def check_adaptive_windows(answer):
    """Adaptive average pooling 7 -> 3: each window as [start, end) with end exclusive."""
    return compare_array(
        answer,
        WINDOWS,
        [
            (
                [[i * NA // MA, (i + 1) * NA // MA] for i in range(MA)],
                "the end of window i is ceil((i+1) n / m), rounded up, so that "
                "windows may overlap; you rounded it down.",
            ),
            (
                [[a, b - 1] for a, b in WINDOWS],
                "you gave the last cell of each window; write the end as exclusive "
                "(one past the last cell), like Python's range.",
            ),
        ],
        shape_hints={
            (
                3,
            ): "give each window as a pair [start, end]: [[s0, e0], [s1, e1], [s2, e2]]."
        },
        what="a list of three [start, end] pairs",
    )


# ----------------------------------------------------- write max pooling
CASES = [
    (np.arange(16.0).reshape(4, 4), 2),
    (X4, 2),
    (np.arange(36.0).reshape(6, 6) % 7, 3),
    (np.array([[3.0, -1.0, 2.0, 5.0, 0.0]] * 3), 2),
    (-np.arange(12.0).reshape(3, 4), 1),
]


@register(
    "pool-write-maxpool",
    reference=lambda: (
        lambda X, k: pooling.max_pool2d(np.asarray(X)[None], k)[0]
    ),
    planted=[
        (
            lambda: (
                lambda X, k: pooling.max_pool2d(
                    np.asarray(X)[None], k, stride=1
                )[0]
            ),
            "stride",
        ),
        (
            lambda: (
                lambda X, k: pooling.avg_pool2d(np.asarray(X)[None], k)[0]
            ),
            "average",
        ),
        (lambda: lambda X, k: 1 / 0, "ZeroDivisionError"),
        (lambda: lambda X, k: None, "return"),
        (lambda: _max(X4), "wants a function"),
    ],
)
def check_write_maxpool(answer):
    """A function my_max_pool2d(X, k): max over k x k windows with stride k, no padding (floor)."""
    return compare_function(
        answer,
        CASES,
        lambda X, k: pooling.max_pool2d(X[None], k)[0],
        diagnoses=[
            (
                lambda X, k: pooling.max_pool2d(X[None], k, stride=1)[0],
                "your windows move by 1; pooling uses stride k (non-overlapping windows).",
            ),
            (
                lambda X, k: pooling.avg_pool2d(X[None], k)[0],
                "you averaged; take the maximum of each window.",
            ),
        ],
    )
