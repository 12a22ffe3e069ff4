"""Checkers for chapter 12, "Gradients and the transposed convolution".

Exercise ids:

* ``tconv-output-size``    output sizes ``[output_padding=0, output_padding=1]`` of a transposed
                           convolution with n=6, k=4, s=3, p=2
* ``tconv-grad-w``         dL/dW of a 2x2 cross-correlation of a 3x3 image, given dL/dY
* ``tconv-grad-x``         dL/dX of the same layer
* ``tconv-write-1d``       a function ``my_conv_transpose1d(y, w, s)`` (no padding)
* ``tconv-checkerboard``   which (k, s) pairs give uneven tap counts
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_transpose_output_size
from ..transposed import conv2d_backward, conv_transpose2d, tap_counts
from .compare import as_numbers, compare_array, compare_function
from .registry import register

# ------------------------------------------------------------ output size
N, K, S, P = 6, 4, 3, 2
SIZES = [
    conv_transpose_output_size(N, K, S, P),
    conv_transpose_output_size(N, K, S, P, output_padding=1),
]  # [15, 16]
SIZE_MISTAKES = {
    "n*s": [N * S, N * S + 1],  # 18: "stride s multiplies the size"
    "no padding": [
        (N - 1) * S + K,
        (N - 1) * S + K + 1,
    ],  # 19: padding not removed
    "p once": [
        (N - 1) * S - P + K,
        (N - 1) * S - P + K + 1,
    ],  # 17: padding removed on one side
    "+1": [
        (N - 1) * S - 2 * P + K - 1,
        (N - 1) * S - 2 * P + K,
    ],  # 14: forgot the + 1
    "conv": [(N + 2 * P - K) // S + 1] * 2,  # 3: the convolution's formula
}


@register(
    "tconv-output-size",
    reference=lambda: SIZES,
    planted=[
        (lambda: SIZE_MISTAKES["n*s"], "kernel"),
        (lambda: SIZE_MISTAKES["no padding"], "crops"),
        (lambda: SIZE_MISTAKES["p once"], "each side"),
        (lambda: SIZE_MISTAKES["+1"], "+ 1"),
        (lambda: SIZE_MISTAKES["conv"], "shrinks"),
        (lambda: [SIZES[0], SIZES[0]], "output_padding"),
        (lambda: [15], "two numbers"),
    ],
)
def check_output_size(answer):
    """[size with output_padding=0, size with output_padding=1] for n=6, k=4, s=3, p=2, d=1."""
    return compare_array(
        answer,
        SIZES,
        [
            (
                SIZE_MISTAKES["n*s"],
                "n*s ignores the kernel: the n inputs are placed s apart (the first and last "
                "(n-1)s apart), and each one spreads a kernel of k cells: (n-1)s + k before cropping.",
            ),
            (
                SIZE_MISTAKES["no padding"],
                "that is the full result (n-1)s + k; padding p crops p cells from each side, "
                "so subtract 2p.",
            ),
            (
                SIZE_MISTAKES["p once"],
                "padding crops p cells from each side: subtract 2p, not p.",
            ),
            (
                SIZE_MISTAKES["+1"],
                "you dropped the + 1: (n-1)s - 2p + d(k-1) + 1, where d(k-1) + 1 = k is the span "
                "of the kernel.",
            ),
            (
                SIZE_MISTAKES["conv"],
                "that is the size of a convolution, which shrinks; the transposed convolution "
                "goes the other way: (n-1)s - 2p + d(k-1) + output_padding + 1.",
            ),
            (
                [SIZES[0], SIZES[0]],
                "output_padding = 1 adds one row at the bottom (one column at the right), so the "
                "second size is one larger.",
            ),
        ],
        shape_hints={
            (1,): "Give two numbers: [output_padding=0, output_padding=1]."
        },
        what="a list of two sizes [output_padding=0, output_padding=1]",
    )


# ------------------------------------------------------------- gradients by hand
X = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0], [2.0, 1.0, 1.0]])
W = np.array([[1.0, -1.0], [2.0, 0.0]])
G = np.array(
    [[1.0, 0.0], [-1.0, 2.0]]
)  # dL/dY for Y = corr2d(X, W), a 2x2 output


def _grads(X, W, G):
    grad_x, grad_w, _ = conv2d_backward(
        X[None, None], W[None, None], G[None, None]
    )
    return grad_x[0, 0], grad_w[0, 0]


GRAD_X, GRAD_W = _grads(X, W, G)
_, GRAD_W_FLIPPED_G = _grads(
    X, W, G[::-1, ::-1]
)  # a true convolution of X with G
GRAD_X_UNFLIPPED = _grads(X, W[::-1, ::-1], G)[
    0
]  # G spread with the kernel rotated by 180 degrees


@register(
    "tconv-grad-w",
    reference=lambda: GRAD_W.tolist(),
    planted=[
        (lambda: GRAD_W_FLIPPED_G.tolist(), "flipped"),
        (lambda: GRAD_W.T.tolist(), "transposed"),
        (lambda: G.tolist(), "dL/dY itself"),
        (lambda: [[1, 2], [3, 4], [5, 6]], "shape"),
    ],
)
def check_grad_w(answer):
    """dL/dW (2x2) for Y = corr2d(X, W) and the given dL/dY = G."""
    return compare_array(
        answer,
        GRAD_W,
        [
            (
                GRAD_W_FLIPPED_G,
                "you flipped G: dL/dW[i, j] = sum_{h, v} G[h, v] X[h + i, v + j] slides G over X "
                "without flipping (a cross-correlation, like the forward pass).",
            ),
            (
                GRAD_W.T,
                "your result is transposed: entry [i, j] pairs G with the window of X shifted down by i and "
                "right by j.",
            ),
            (
                G,
                "that is dL/dY itself; each weight W[i, j] touched four pixels of X, so its gradient sums "
                "G[h, v] X[h + i, v + j] over the four outputs (h, v).",
            ),
        ],
        shape_hints={(3, 3): "dL/dW has the shape of W (2x2), not of X."},
        what="a 2x2 nested list",
    )


@register(
    "tconv-grad-x",
    reference=lambda: GRAD_X.tolist(),
    planted=[
        (lambda: GRAD_X_UNFLIPPED.tolist(), "rotated"),
        (lambda: GRAD_X.T.tolist(), "transposed"),
        (lambda: GRAD_W.tolist(), "shape of X"),
        (lambda: np.ones((3, 3)).tolist(), "entries differ"),
    ],
)
def check_grad_x(answer):
    """dL/dX (3x3) for Y = corr2d(X, W) and the given dL/dY = G."""
    return compare_array(
        answer,
        GRAD_X,
        [
            (
                GRAD_X_UNFLIPPED,
                "you used the kernel rotated by 180 degrees: output (h, v) read X[h + i, v + j] with "
                "weight W[i, j], so it sends G[h, v] W[i, j] back to exactly that pixel. Scatter W as it "
                "is (equivalently: full cross-correlation of G with the rotated W).",
            ),
            (
                GRAD_X.T,
                "your result is transposed: G[h, v] W[i, j] goes to row h + i and column v + j.",
            ),
        ],
        shape_hints={
            (
                2,
                2,
            ): "dL/dX has the shape of X (3x3): every input pixel gets a gradient, "
            "and the corners get one term each."
        },
        what="a 3x3 nested list",
    )


# ------------------------------------------------------------- write the 1-D transposed convolution
def _reference_1d(y, w, s):
    y, w = np.asarray(y, float), np.asarray(w, float)
    return conv_transpose2d(
        y[None, None, None], w[None, None, None], stride=(1, int(s))
    )[0, 0, 0]


CASES_1D = [
    (np.array([1.0, 2.0, 3.0]), np.array([1.0, -1.0]), 1),
    (np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0]), 2),
    (np.array([2.0, -1.0]), np.array([1.0, 0.0, 4.0]), 3),
    (np.array([0.5, 1.0, -2.0, 3.0]), np.array([3.0]), 2),
    (np.array([1.0]), np.array([1.0, 2.0, 4.0, 8.0]), 2),
    (np.array([1.0, -3.0, 2.0, 5.0]), np.array([2.0, 1.0, -1.0]), 2),
]


@register(
    "tconv-write-1d",
    reference=lambda: _reference_1d,
    planted=[
        (
            lambda: (
                lambda y, w, s: _reference_1d(y, np.asarray(w)[::-1], s)
            ),
            "flipped",
        ),
        (lambda: lambda y, w, s: np.convolve(y, w), "shape"),
        (lambda: lambda y, w, s: None, "return"),
        (lambda: lambda y, w, s: y[5], "IndexError"),
        (lambda: [1.0, 2.0], "wants a function"),
    ],
)
def check_write_1d(answer):
    """A function my_conv_transpose1d(y, w, s): out[h*s + i] += y[h] * w[i], length (n-1)s + k."""
    return compare_function(
        answer,
        CASES_1D,
        _reference_1d,
        diagnoses=[
            (
                lambda y, w, s: _reference_1d(y, np.asarray(w)[::-1], s),
                "your kernel is flipped: y[h] adds y[h] * w[i] at position h*s + i, with w in its original order.",
            ),
        ],
        atol=1e-9,
        rtol=1e-9,
    )


# ------------------------------------------------------------- checkerboards
PAIRS = [(2, 2), (3, 2), (4, 2), (3, 3), (5, 2), (4, 3), (6, 3), (1, 2)]


def _uneven(k, s):
    interior = tap_counts(16, k, s)[0][k:-k]
    return len(set(interior.tolist())) > 1


UNEVEN = sorted(
    p for p in PAIRS if _uneven(*p)
)  # [(1, 2), (3, 2), (4, 3), (5, 2)]
OVERLAP_RULE = sorted(
    p for p in PAIRS if p[1] < p[0] - 1
)  # the "overlap when s < k - 1" rule
ODD_KERNELS = sorted(p for p in PAIRS if p[0] % 2 == 1)


def _sorted_pairs(answer):
    arr, problem = as_numbers(answer, "a list of [k, s] pairs")
    if problem is not None or arr.ndim != 2 or arr.shape[1] != 2:
        return answer
    return sorted(map(tuple, arr.tolist()))


@register(
    "tconv-checkerboard",
    reference=lambda: UNEVEN,
    planted=[
        (lambda: UNEVEN[1:], "holes"),
        (lambda: OVERLAP_RULE, "divide"),
        (lambda: ODD_KERNELS, "odd"),
        (lambda: [[3, 2], [5, 2]], "shape is (2, 2)"),
        (lambda: [3, 2], "pairs"),
    ],
)
def check_checkerboard(answer):
    """The (k, s) pairs from PAIRS whose transposed convolution gives uneven tap counts inside the output."""
    return compare_array(
        _sorted_pairs(answer),
        UNEVEN,
        [
            (
                UNEVEN[1:],
                "you missed (1, 2): with k < s the kernels do not even touch, and the output has holes "
                "(counts 1, 0, 1, 0, ...), the worst checkerboard of all.",
            ),
            (
                OVERLAP_RULE,
                "that is the rule 'kernels overlap when s < k - 1'; overlap is not the point, evenness is: "
                "the counts are even exactly when s divides k.",
            ),
            (
                ODD_KERNELS,
                "an odd kernel is not the criterion: (3, 3) is even (every output gets one tap) and "
                "(4, 3) is not. The counts are even exactly when s divides k.",
            ),
        ],
        shape_hints={
            (
                2,
            ): "give a list of pairs, e.g. [[3, 2], [5, 2]], even if only one pair qualifies."
        },
        what="a list of [k, s] pairs",
    )
