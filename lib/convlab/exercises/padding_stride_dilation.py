"""Checkers for chapter 7, "Padding, stride and dilation".

Exercise ids:

* ``psd-output-size``       output size for n=20, k=5, s=2, p=4, d=3 (one number)
* ``psd-same-padding``      "same" padding for k = 3, 5, 7 with dilation 3 (a list)
* ``psd-dilated-kernel``    the ordinary kernel equal to a 2x2 kernel with dilation 2
* ``psd-write-output-size`` a function ``out_size(n, k, s, p, d)``
* ``psd-receptive-field``   receptive field of three stacked 3x3 layers with dilations 1, 2, 3
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------- output size
N, K, S, P, D = 20, 5, 2, 4, 3
SPAN = D * (K - 1) + 1  # 13
MISTAKES = {
    "one side": (N + P - SPAN) // S + 1,  # 6: p instead of 2p
    "span": (N + 2 * P - K) // S + 1,  # 12: k instead of d(k-1)+1
    "+1": (N + 2 * P - SPAN) // S,  # 7: forgot the +1
    "round": -(-(N + 2 * P - SPAN) // S) + 1,  # 9: rounded up
    "stride": N + 2 * P - SPAN + 1,  # 16: ignored the stride
}


@register(
    "psd-output-size",
    reference=lambda: conv_output_size(N, K, S, P, D),
    planted=[
        (lambda: MISTAKES["one side"], "each side"),
        (lambda: MISTAKES["span"], "spans"),
        (lambda: MISTAKES["+1"], "add 1"),
        (lambda: MISTAKES["round"], "round"),
        (lambda: MISTAKES["stride"], "stride"),
        (lambda: 7.5, "not it"),
    ],
)
def check_output_size(answer):
    """Output size for n=20, k=5, s=2, p=4, d=3: floor((20 + 8 - 13) / 2) + 1 = 8."""
    return compare_number(
        answer,
        conv_output_size(N, K, S, P, D),
        [
            (
                MISTAKES["one side"],
                "padding p is added on each side, so the padded input has n + 2p cells, not n + p.",
            ),
            (
                MISTAKES["span"],
                "with dilation d the kernel spans d(k-1)+1 = 13 cells, not k = 5.",
            ),
            (
                MISTAKES["+1"],
                "you counted the steps between windows, not the windows: add 1 for the first window "
                "(the one starting at 0).",
            ),
            (
                MISTAKES["round"],
                "you rounded up; a last window that does not fit is dropped, so round down (floor).",
            ),
            (
                MISTAKES["stride"],
                "that is the size with stride 1; with stride s only every s-th window start is used.",
            ),
        ],
        rtol=0,
        atol=1e-9,
    )


# ------------------------------------------------------------ same padding
KS, D_SAME = [3, 5, 7], 3
SAME = [D_SAME * (k - 1) // 2 for k in KS]  # [3, 6, 9]


@register(
    "psd-same-padding",
    reference=lambda: SAME,
    planted=[
        (lambda: [k // 2 for k in KS], "dilation"),
        (lambda: [D_SAME * (k - 1) for k in KS], "both sides"),
        (lambda: [D_SAME * k // 2 for k in KS], "d(k-1)"),
        (lambda: [3, 6], "three numbers"),
    ],
)
def check_same_padding(answer):
    """Padding p per side with output size = input size, stride 1, dilation 3, for k = 3, 5, 7."""
    return compare_array(
        answer,
        SAME,
        [
            (
                [k // 2 for k in KS],
                "k // 2 ignores the dilation: the kernel spans d(k-1)+1 cells, so p = d(k-1)/2.",
            ),
            (
                [D_SAME * (k - 1) for k in KS],
                "d(k-1) is the total padding; it is split between both sides, "
                "so each side gets d(k-1)/2.",
            ),
            (
                [D_SAME * k // 2 for k in KS],
                "the span of a dilated kernel is d(k-1)+1, not d*k; "
                "with stride 1 the output is n + 2p - d(k-1), so p = d(k-1)/2.",
            ),
        ],
        shape_hints={
            (1,): "Give three numbers, one per kernel size.",
            (2,): "Give three numbers, one per kernel size.",
        },
        what="a list of three paddings",
    )


# --------------------------------------------------------- dilated kernel
W2 = np.array([[1.0, 2.0], [3.0, 4.0]])
W2_DILATED = np.array([[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 4.0]])


@register(
    "psd-dilated-kernel",
    reference=lambda: W2_DILATED.tolist(),
    planted=[
        (
            lambda: [
                [1, 0, 0, 2],
                [0, 0, 0, 0],
                [0, 0, 0, 0],
                [3, 0, 0, 4],
            ],
            "d - 1 = 1",
        ),
        (lambda: W2_DILATED.T.tolist(), "transposed"),
        (lambda: [[1, 0, 2], [3, 0, 4]], "rows"),
        (lambda: [[0, 0, 0], [0, 0, 0], [0, 0, 0]], "differ"),
    ],
)
def check_dilated_kernel(answer):
    """The 3x3 kernel with zeros that equals [[1, 2], [3, 4]] with dilation 2."""
    return compare_array(
        answer,
        W2_DILATED,
        [
            (
                W2_DILATED.T,
                "your kernel is transposed: the first row of the dilated kernel is the first row of w "
                "with a zero between its taps.",
            ),
        ],
        shape_hints={
            (
                4,
                4,
            ): "with dilation d, d - 1 = 1 zero goes between neighbouring taps: the span is "
            "d(k-1)+1 = 3, not 4.",
            (2, 3): "zeros go between rows too: the dilated kernel is 3x3.",
        },
        what="a 3x3 nested list",
    )


# ------------------------------------------------------ write output size
CASES = [
    (7, 3, 1, 0, 1),
    (7, 3, 2, 1, 1),
    (9, 3, 2, 2, 3),
    (32, 5, 2, 1, 1),
    (10, 3, 3, 0, 2),
    (28, 4, 1, 0, 1),
    (1, 1, 1, 0, 1),
    (11, 2, 4, 1, 2),
]


def _reference_size(n, k, s, p, d):
    return conv_output_size(int(n), int(k), int(s), int(p), int(d))


@register(
    "psd-write-output-size",
    reference=lambda: (
        lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) // s + 1
    ),
    planted=[
        (
            lambda: (
                lambda n, k, s, p, d: (
                    -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1
                )
            ),
            "floor",
        ),
        (
            lambda: lambda n, k, s, p, d: (n + 2 * p - k) // s + 1,
            "dilation",
        ),
        (
            lambda: (
                lambda n, k, s, p, d: (n + p - d * (k - 1) - 1) // s + 1
            ),
            "2p",
        ),
        (
            lambda: (
                lambda n, k, s, p, d: (n + 2 * p - d * (k - 1) - 1) / s + 1
            ),
            "differ",
        ),
        (lambda: lambda n, k, s, p, d: None, "return"),
        (lambda: 8, "wants a function"),
    ],
)
def check_write_output_size(answer):
    """A function out_size(n, k, s, p, d) returning the output size (an int)."""
    return compare_function(
        answer,
        CASES,
        _reference_size,
        diagnoses=[
            (
                lambda n, k, s, p, d: (
                    -(-(n + 2 * p - d * (k - 1) - 1) // s) + 1
                ),
                "you round up; use floor division (//): an incomplete last window is dropped.",
            ),
            (
                lambda n, k, s, p, d: (n + 2 * p - k) // s + 1,
                "the dilation is missing: a dilated kernel spans d(k-1)+1 cells.",
            ),
            (
                lambda n, k, s, p, d: (n + p - d * (k - 1) - 1) // s + 1,
                "padding is added on both sides: use n + 2p.",
            ),
        ],
        atol=0,
        rtol=0,
    )


# ------------------------------------------------------- receptive field
DILATIONS = [1, 2, 3]
RF = 1 + sum(d * (3 - 1) for d in DILATIONS)  # 13


@register(
    "psd-receptive-field",
    reference=lambda: RF,
    planted=[
        (lambda: 7, "ordinary"),
        (lambda: 1 + 3 * 2 * 3, "do not multiply"),
        (lambda: 3 + 5 + 7, "overlap"),
    ],
)
def check_receptive_field(answer):
    """Receptive field (one axis) of three stacked 3x3 stride-1 layers with dilations 1, 2, 3."""
    return compare_number(
        answer,
        RF,
        [
            (
                7,
                "7 is the receptive field of three ordinary 3x3 layers; here layer l adds d_l(k-1) cells.",
            ),
            (
                1 + 3 * 2 * 3,
                "the spans do not multiply: each stride-1 layer adds d(k-1) = 2d cells to the field.",
            ),
            (
                3 + 5 + 7,
                "you added the spans 3, 5, 7; neighbouring layers overlap: start from 1 and add d(k-1) "
                "per layer.",
            ),
        ],
        rtol=0,
        atol=1e-9,
    )
