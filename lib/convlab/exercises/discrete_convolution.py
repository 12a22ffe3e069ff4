"""Checkers for chapter 2, "Discrete convolution and cross-correlation"."""

from __future__ import annotations

import numpy as np

from .. import ops
from .compare import compare_array, compare_function
from .registry import register

# Exercise 1: a 1-D convolution by hand.
X1 = np.array([2.0, -1.0, 3.0])
K1 = np.array([1.0, 2.0])


@register(
    "dc-conv-by-hand",
    reference=lambda: ops.conv1d(X1, K1, "full"),
    planted=[
        (lambda: ops.corr1d(X1, K1, "full"), "flip"),
        (lambda: ops.conv1d(X1, K1, "valid"), "valid"),
        (lambda: ops.conv1d(X1, K1, "same"), "same"),
        (lambda: [2, 3, 1, 7], "index 3"),
        (lambda: None, "no answer yet"),
    ],
)
def check_conv_by_hand(answer):
    """The full convolution of x = [2, -1, 3] with k = [1, 2]."""
    return compare_array(
        answer,
        ops.conv1d(X1, K1, "full"),
        diagnoses=[
            (
                ops.corr1d(X1, K1, "full"),
                "that is the cross-correlation: convolution flips the kernel, "
                "so y[t] = sum_m x[m] k[t - m].",
            ),
            (
                ops.conv1d(X1, K1, "valid"),
                "that is the 'valid' part only; the exercise asks for 'full', "
                "every shift where kernel and input overlap (length n + n_k - 1).",
            ),
            (
                ops.conv1d(X1, K1, "same"),
                "that is the 'same' part only; the exercise asks for 'full' "
                "(length n + n_k - 1 = 4).",
            ),
        ],
        shape_hints={
            (3,): "Full mode has n + n_k - 1 = 4 outputs.",
            (2,): "Full mode has n + n_k - 1 = 4 outputs.",
        },
    )


# Exercise 2: a 2-D cross-correlation by hand.
X2 = np.array([[1.0, 0.0, 2.0], [0.0, 1.0, 0.0], [3.0, 0.0, 1.0]])
K2 = np.array([[1.0, -1.0], [0.0, 2.0]])


@register(
    "dc-corr2d-by-hand",
    reference=lambda: ops.corr2d(X2, K2),
    planted=[
        (lambda: ops.corr2d(X2, K2[::-1, ::-1]), "rotated"),
        (lambda: ops.corr2d(X2, K2).T, "transposed"),
        (lambda: ops.corr2d(X2, K2).ravel(), "shape"),
        (lambda: "19, 25", "text"),
    ],
)
def check_corr2d_by_hand(answer):
    """Valid 2-D cross-correlation of the 3x3 X2 with the 2x2 K2 (a 2x2 result)."""
    Y = ops.corr2d(X2, K2)
    return compare_array(
        answer,
        Y,
        diagnoses=[
            (
                ops.corr2d(X2, K2[::-1, ::-1]),
                "you rotated (flipped) the kernel: that is the 2-D convolution. "
                "Cross-correlation uses K as it is.",
            ),
            (
                Y.T,
                "your result is transposed: Y[i, j] uses the window starting at row i, column j.",
            ),
        ],
        shape_hints={
            (4,): "Write the 2x2 result as a nested list [[a, b], [c, d]].",
            (
                4,
                4,
            ): "That is the size of 'full' mode; valid mode gives (3 - 2 + 1) x (3 - 2 + 1).",
        },
    )


# Exercise 3: output lengths of the three modes.
N3, NK3 = 10, 4


@register(
    "dc-mode-lengths",
    reference=lambda: [N3 + NK3 - 1, N3, N3 - NK3 + 1],
    planted=[
        (lambda: [N3 + NK3, N3, N3 - NK3], "off by one"),
        (lambda: [N3 - NK3 + 1, N3, N3 + NK3 - 1], "order"),
        (lambda: [13, 10], "three numbers"),
    ],
)
def check_mode_lengths(answer):
    """[full, same, valid] output lengths for n = 10, n_k = 4."""
    expected = [N3 + NK3 - 1, N3, N3 - NK3 + 1]
    return compare_array(
        answer,
        expected,
        diagnoses=[
            (
                [N3 + NK3, N3, N3 - NK3],
                "each of full and valid is off by one: count the kernel positions, "
                "e.g. valid has n - n_k + 1 (the first and last positions both count).",
            ),
            (
                expected[::-1],
                "right numbers, wrong order: give [full, same, valid].",
            ),
        ],
        shape_hints={
            (2,): "Give three numbers: [full, same, valid].",
            (1,): "Give three numbers: [full, same, valid].",
        },
        what="a list [full, same, valid] of three lengths",
    )


# Exercise 4: write conv1d (full mode) yourself.
CASES_1D = [
    (np.array([1.0, 2.0, 3.0]), np.array([0.0, 1.0, 0.5])),
    (np.array([2.0, -1.0, 3.0, 0.5]), np.array([1.0, 2.0])),
    (np.array([1.0, 0.0, 0.0, 0.0, 2.0]), np.array([1.0, -1.0, 3.0])),
    (np.array([4.0]), np.array([1.0, 2.0, 3.0])),
]


def _valid_only(x, k):
    return ops.conv1d(x, k, "valid")


@register(
    "dc-write-conv1d",
    reference=lambda: lambda x, k: np.convolve(x, k),
    planted=[
        (lambda: lambda x, k: np.correlate(x, k, "full"), "flip"),
        (lambda: _valid_only, "valid"),
        (lambda: lambda x, k: list(np.convolve(x, k)) + [0], "shape"),
        (lambda: lambda x, k: 1 / 0, "ZeroDivisionError"),
        (lambda: lambda x, k: None, "return statement"),
        (
            lambda: np.convolve(CASES_1D[0][0], CASES_1D[0][1]),
            "wants a function",
        ),
    ],
)
def check_write_conv1d(answer):
    """A function my_conv1d(x, k) returning the full convolution."""
    return compare_function(
        answer,
        CASES_1D,
        lambda x, k: ops.conv1d(x, k, "full"),
        diagnoses=[
            (
                lambda x, k: ops.corr1d(x, k, "full"),
                "this is cross-correlation: flip the kernel (k[t - m]).",
            ),
            (
                lambda x, k: ops.conv1d(x, k, "valid"),
                "this is only the 'valid' part; return every t where "
                "kernel and input overlap (length n + n_k - 1).",
            ),
        ],
    )


# Exercise 5: write corr2d yourself.
CASES_2D = [
    (np.arange(9.0).reshape(3, 3), np.array([[0.0, 1.0], [2.0, 3.0]])),
    (np.arange(20.0).reshape(4, 5) % 3, np.array([[1.0, -1.0]])),
    (np.eye(4), np.array([[1.0], [2.0], [-1.0]])),
]


@register(
    "dc-write-corr2d",
    reference=lambda: ops.corr2d,
    planted=[
        (
            lambda: lambda X, K: ops.corr2d(X, np.asarray(K)[::-1, ::-1]),
            "rotated",
        ),
        (lambda: lambda X, K: ops.corr2d(X, K)[:-1], "shape"),
        (lambda: lambda X, K: X[0, 0], "shape"),
    ],
)
def check_write_corr2d(answer):
    """A function my_corr2d(X, K) returning the valid 2-D cross-correlation."""
    return compare_function(
        answer,
        CASES_2D,
        ops.corr2d,
        diagnoses=[
            (
                lambda X, K: ops.corr2d(X, K[::-1, ::-1]),
                "you rotated the kernel (that is convolution); cross-correlation uses K as it is.",
            )
        ],
    )
