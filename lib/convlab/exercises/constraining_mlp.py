"""Checkers for chapter 4, "Constraining the MLP".

Exercise ids:

* ``mlp-dense-params``      parameters of a fully connected layer, 32x32 image -> 32x32 hidden (with biases)
* ``mlp-invariant-params``  parameters after translation invariance only (one weight per offset, one bias)
* ``mlp-local-params``      parameters after locality with Delta = 2 (and one bias)
* ``mlp-weight-entry``      one entry W[i, j, k, l] of the tied weight tensor of a 3x3 kernel
* ``mlp-dense-matrix``      a function building the (h*w, h*w) matrix of a 3x3 cross-correlation, padding 1
"""

from __future__ import annotations

import numpy as np

from ..dense import conv_as_dense_matrix, dense_vs_conv_param_counts
from .compare import compare_function, compare_number
from .registry import register

SIDE = 32
_COUNTS = dense_vs_conv_param_counts(SIDE, 5)  # Delta = 2: a 5x5 kernel
DENSE, INVARIANT, LOCAL = (
    _COUNTS[k]
    for k in (
        "fully connected",
        "translation invariant",
        "translation invariant + local",
    )
)


# ------------------------------------------------------------ dense layer
@register(
    "mlp-dense-params",
    reference=lambda: DENSE,
    planted=[
        (lambda: SIDE**4, "bias"),
        (lambda: SIDE**2 * 2, "every output"),
        (lambda: LOCAL, "fully connected"),
    ],
)
def check_dense_params(answer):
    """(h w)^2 + h w for h = w = 32."""
    n = SIDE * SIDE
    return compare_number(
        answer,
        DENSE,
        [
            (
                n * n,
                "that is the number of weights W[i,j,k,l]; each hidden unit also has its own bias U[i,j].",
            ),
            (
                2 * n,
                "every output pixel has a weight for every input pixel: multiply the two counts, don't add them.",
            ),
            (
                n * n + 1,
                "a fully connected layer has a bias for each of the 1024 hidden units, not a single one.",
            ),
            (
                LOCAL,
                "that is the count of the convolutional layer; the question asks about the fully connected one.",
            ),
        ],
        rtol=1e-9,
    )


# ---------------------------------------------------- translation invariance
@register(
    "mlp-invariant-params",
    reference=lambda: INVARIANT,
    planted=[
        (lambda: SIDE**2 + 1, "negative"),
        (lambda: (2 * SIDE - 1) ** 2, "bias"),
        (lambda: (2 * SIDE + 1) ** 2 + 1, "off by"),
    ],
)
def check_invariant_params(answer):
    """(2h - 1)(2w - 1) + 1 for h = w = 32."""
    return compare_number(
        answer,
        INVARIANT,
        [
            (
                SIDE**2 + 1,
                "the offsets a = k - i run over negative values too: from -(h - 1) to h - 1, "
                "that is 2h - 1 values per axis.",
            ),
            (
                (2 * SIDE - 1) ** 2,
                "right number of weights; add the single shared bias u.",
            ),
            (
                (2 * SIDE + 1) ** 2 + 1,
                "off by one: offsets from -(h - 1) to h - 1 are 2h - 1 values, not 2h + 1.",
            ),
            (
                (2 * SIDE) ** 2 + 1,
                "off by one: offsets from -(h - 1) to h - 1 are 2h - 1 values, not 2h.",
            ),
            (
                DENSE,
                "that is the fully connected count; translation invariance makes the weights independent of (i, j).",
            ),
        ],
        rtol=1e-9,
    )


# ---------------------------------------------------------------- locality
@register(
    "mlp-local-params",
    reference=lambda: LOCAL,
    planted=[
        (lambda: 25, "bias"),
        (lambda: 17, "2Δ + 1"),
        (lambda: 10, "Δ = 2"),
    ],
)
def check_local_params(answer):
    """(2 Delta + 1)^2 + 1 for Delta = 2."""
    return compare_number(
        answer,
        LOCAL,
        [
            (
                25,
                "right number of weights (a 5x5 kernel); add the shared bias u.",
            ),
            (
                17,
                "offsets from -Δ to Δ are 2Δ + 1 = 5 values per axis (zero counts too), so 5 x 5 weights.",
            ),
            (
                16,
                "offsets from -Δ to Δ are 2Δ + 1 = 5 values per axis (zero counts too), so 5 x 5 weights.",
            ),
            (10, "that is the count for Δ = 1 (a 3x3 kernel); here Δ = 2."),
            (
                LOCAL - 1 + SIDE * SIDE,
                "after translation invariance there is one bias u for all pixels, "
                "not one per pixel.",
            ),
        ],
        rtol=1e-9,
    )


# ------------------------------------------------------- one tied weight
KERNEL_3 = np.arange(1.0, 10.0).reshape(
    3, 3
)  # K[a + 1, b + 1] = V[a, b], Delta = 1
IMAGE_HW = (5, 5)
ENTRY = (2, 3, 3, 2)  # W[i, j, k, l]: output (2, 3), input (3, 2)


def _entry(kernel):
    W = conv_as_dense_matrix(kernel, IMAGE_HW, padding=1).reshape(
        *IMAGE_HW, *IMAGE_HW
    )
    return float(W[ENTRY])


@register(
    "mlp-weight-entry",
    reference=lambda: _entry(KERNEL_3),
    planted=[
        (lambda: _entry(KERNEL_3[::-1, ::-1]), "flip"),
        (lambda: float(KERNEL_3[1, -1]), "K[a + Δ, b + Δ]"),
        (lambda: 0.0, "reaches"),
    ],
)
def check_weight_entry(answer):
    """W[2, 3, 3, 2] = V[k - i, l - j] = V[1, -1] = K[2, 0] = 7."""
    i, j, k, l = ENTRY
    return compare_number(
        answer,
        _entry(KERNEL_3),
        [
            (
                _entry(KERNEL_3[::-1, ::-1]),
                "that is the entry of the flipped kernel (a true convolution); the layer "
                "cross-correlates: W[i,j,k,l] = V[k - i, l - j] with K[a + Δ, b + Δ] = V[a, b].",
            ),
            (
                float(KERNEL_3[k - i, l - j]),
                "you used the offset (a, b) = (1, -1) directly as an array index; the array "
                "stores V[a, b] at K[a + Δ, b + Δ].",
            ),
            (
                0.0,
                "input (3, 2) is one row below and one column left of output (2, 3), so the 3x3 kernel reaches it.",
            ),
        ],
        rtol=1e-9,
    )


# ------------------------------------------------------ the whole matrix
CASES = [
    (np.arange(1.0, 10.0).reshape(3, 3), 3, 4),
    (np.array([[0.0, 1.0, 0.0], [2.0, -1.0, 3.0], [0.0, 0.5, 0.0]]), 4, 3),
    (np.array([[1.0, -2.0, 0.5], [0.0, 4.0, -1.0], [2.0, 0.0, 3.0]]), 2, 5),
]


def _reference(K, h, w):
    return conv_as_dense_matrix(K, (h, w), padding=1)


def _wrapping(K, h, w):
    """A wrong answer: the window wraps around the border instead of reading zeros."""
    M = np.zeros((h * w, h * w))
    for i, j, a, b in np.ndindex(h, w, 3, 3):
        M[i * w + j, ((i + a - 1) % h) * w + (j + b - 1) % w] += K[a][b]
    return M


@register(
    "mlp-dense-matrix",
    reference=lambda: _reference,
    planted=[
        (
            lambda: (
                lambda K, h, w: _reference(np.asarray(K)[::-1, ::-1], h, w)
            ),
            "flip",
        ),
        (lambda: lambda K, h, w: _reference(K, h, w).T, "transpose"),
        (lambda: _wrapping, "wraps around"),
        (
            lambda: (
                lambda K, h, w: conv_as_dense_matrix(K, (h, w), padding=0)
            ),
            "padding 1",
        ),
        (lambda: lambda K, h, w: None, "return statement"),
    ],
)
def check_dense_matrix(answer):
    """A function dense_matrix(K, h, w) -> (h*w, h*w) array M with M @ X.ravel() == conv2d(X, K, padding=1).ravel()."""
    return compare_function(
        answer,
        CASES,
        _reference,
        diagnoses=[
            (
                lambda K, h, w: _reference(K[::-1, ::-1], h, w),
                "you flipped the kernel (a true convolution), which gives the transpose of M; row i*w + j must hold "
                "the weights of output pixel (i, j): W[i,j,i+a,j+b] = K[a + 1, b + 1].",
            ),
            (
                _wrapping,
                "your window wraps around the border (periodic padding); inputs outside the image are zeros, "
                "so they get no weight.",
            ),
        ],
        shape_hints={
            (
                2,
                12,
            ): "with padding 1 every output pixel exists: M needs h*w rows, not (h - 2)*(w - 2)."
        },
    )
