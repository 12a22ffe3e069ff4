"""Checkers for chapter 6, "Learning a kernel"."""

from __future__ import annotations

import numpy as np

from .. import kernel_fit, ops
from .compare import compare_array, compare_function, compare_number
from .registry import register

# Exercises 1-2: the window matrix and the gradient of a small problem.
X1 = np.array([[1.0, 2.0, 0.0], [0.0, 1.0, 3.0]])
K_TRUE = np.array([[1.0, -1.0]])
Y1 = ops.corr2d(X1, K_TRUE).ravel()  # [-1, 2, -1, -2]
A1 = kernel_fit.window_matrix(
    X1, (1, 2)
)  # [[1, 2], [2, 0], [0, 1], [1, 3]]
A1_COLUMN_MAJOR = np.array(
    [X1[i, j : j + 2] for j in range(2) for i in range(2)]
)
W1 = np.array([0.5, 0.5])


@register(
    "learn-window-matrix",
    reference=lambda: A1.tolist(),
    planted=[
        (lambda: A1[:, ::-1], "swapped"),
        (lambda: A1_COLUMN_MAJOR, "order of the rows"),
        (lambda: kernel_fit.window_matrix(X1, (1, 2), bias=True), "bias"),
        (lambda: A1.T, "one row per output pixel"),
        (lambda: None, "no answer yet"),
    ],
)
def check_window_matrix(answer):
    """The window matrix A of X1 for a 1x2 kernel: A @ w == corr2d(X1, w).ravel()."""
    return compare_array(
        answer,
        A1,
        diagnoses=[
            (
                A1[:, ::-1],
                "the two columns are swapped: column 1 holds the pixel that multiplies w1 = K[0, 0], "
                "the left pixel X[i, j] of each window.",
            ),
            (
                A1_COLUMN_MAJOR,
                "right windows, wrong order of the rows: row r must match Y.ravel(), which runs "
                "along the first row of Y first (row-major): (0,0), (0,1), (1,0), (1,1).",
            ),
        ],
        shape_hints={
            (
                4,
                3,
            ): "There is no bias here: one column per kernel weight, so 2 columns.",
            (
                2,
                4,
            ): "Write one row per output pixel (4 rows) and one column per weight (2 columns).",
            (
                8,
            ): "Write A as a nested list of 4 rows, each [left pixel, right pixel].",
        },
        what="a 4x2 matrix (a nested list of 4 rows)",
    )


G1 = kernel_fit.gradient(A1, Y1, W1, "sum")  # 2 A^T (A w - y) = [9, 37]


@register(
    "learn-gradient",
    reference=lambda: G1.tolist(),
    planted=[
        (lambda: G1 / 2, "factor 2"),
        (lambda: G1 / len(Y1), "mean"),
        (lambda: -G1, "sign"),
        (lambda: "9, 37", "text"),
    ],
)
def check_gradient(answer):
    """Gradient of the sum-of-squares loss at w = [0.5, 0.5]."""
    return compare_array(
        answer,
        G1,
        diagnoses=[
            (
                G1 / 2,
                "you are missing the factor 2: the derivative of r² is 2r, so grad L = 2 Aᵀ(A w - y).",
            ),
            (
                G1 / len(Y1),
                "that is the gradient of the *mean* of the squared errors (divided by N = 4); "
                "the exercise uses the sum.",
            ),
            (
                -G1,
                "the sign is flipped: grad L = 2 Aᵀ(A w - y) with the prediction first; it points uphill, and "
                "the step subtracts it.",
            ),
        ],
        shape_hints={
            (
                4,
            ): "That has one value per output pixel (the residual?); the gradient has one per weight: 2."
        },
        what="a list [dL/dw1, dL/dw2]",
    )


# Exercise 3: one gradient-descent step as a function.
def _step(A, y, w, lr):
    A, y, w = (
        np.asarray(A, float),
        np.asarray(y, float),
        np.asarray(w, float),
    )
    return w - lr * 2 * A.T @ (A @ w - y)


_rng = np.random.default_rng(6)
CASES_STEP = [
    (A1, Y1, W1, 0.05),
    (
        kernel_fit.window_matrix(_rng.normal(size=(4, 5)), (2, 2)),
        _rng.normal(size=12),
        _rng.normal(size=4),
        0.01,
    ),
    (
        kernel_fit.window_matrix(np.eye(3), (1, 2), bias=True),
        np.arange(6.0),
        np.array([1.0, -1.0, 0.5]),
        0.1,
    ),
]


@register(
    "learn-gd-step",
    reference=lambda: _step,
    planted=[
        (
            lambda: lambda A, y, w, lr: w + lr * 2 * A.T @ (A @ w - y),
            "uphill",
        ),
        (
            lambda: (
                lambda A, y, w, lr: w - lr * 2 * A.T @ (A @ w - y) / len(y)
            ),
            "mean",
        ),
        (
            lambda: lambda A, y, w, lr: w - lr * A.T @ (A @ w - y),
            "factor 2",
        ),
        (lambda: lambda A, y, w, lr: None, "return statement"),
        (lambda: _step(*CASES_STEP[0]), "wants a function"),
    ],
)
def check_gd_step(answer):
    """A function gd_step(A, y, w, lr) returning w - lr * grad of the sum-of-squares loss."""
    return compare_function(
        answer,
        CASES_STEP,
        _step,
        diagnoses=[
            (
                lambda A, y, w, lr: w + lr * 2 * A.T @ (A @ w - y),
                "your step goes uphill: subtract lr times the gradient.",
            ),
            (
                lambda A, y, w, lr: w - lr * 2 * A.T @ (A @ w - y) / len(y),
                "you used the gradient of the mean loss; the exercise uses the sum (no division by N).",
            ),
            (
                lambda A, y, w, lr: w - lr * A.T @ (A @ w - y),
                "the factor 2 of the gradient 2 Aᵀ(A w - y) is missing.",
            ),
        ],
        atol=1e-9,
        rtol=1e-9,
    )


# Exercise 4: the critical step size of a 5x6 image with a 3x2 black block.
X4 = np.ones((5, 6))
X4[1:4, 1:3] = 0
A4 = kernel_fit.window_matrix(X4, (1, 2))
LAM4 = np.linalg.eigvalsh(kernel_fit.hessian(A4))  # [6, 70]
CRIT4 = kernel_fit.critical_step_size(A4)  # 2/70


@register(
    "learn-critical-step",
    reference=lambda: CRIT4,
    planted=[
        (lambda: 1 / LAM4[-1], "2/λ"),
        (lambda: 2 / np.linalg.eigvalsh(A4.T @ A4)[-1], "Hessian"),
        (lambda: kernel_fit.critical_step_size(A4, "mean"), "mean"),
        (
            lambda: kernel_fit.critical_step_size(
                kernel_fit.window_matrix(X4, (1, 2), bias=True)
            ),
            "bias",
        ),
        (lambda: 2 / LAM4[0], "largest"),
        (lambda: [CRIT4, CRIT4], "single number"),
    ],
)
def check_critical_step(answer):
    """Critical step 2/λ_max(2 AᵀA) of the sum-of-squares loss, no bias."""
    return compare_number(
        answer,
        CRIT4,
        diagnoses=[
            (
                1 / LAM4[-1],
                "the limit is 2/λ_max, not 1/λ_max: the error factor 1 - ηλ must stay above -1.",
            ),
            (
                2 / np.linalg.eigvalsh(A4.T @ A4)[-1],
                "you used the eigenvalue of AᵀA; the Hessian of the sum "
                "of squares is 2 AᵀA, twice as large.",
            ),
            (
                kernel_fit.critical_step_size(A4, "mean"),
                "that is the critical step of the mean loss "
                "(N = 25 times larger); the exercise uses the sum.",
            ),
            (
                kernel_fit.critical_step_size(
                    kernel_fit.window_matrix(X4, (1, 2), bias=True)
                ),
                "that is the value with a bias column; the layer here has no bias.",
            ),
            (
                2 / LAM4[0],
                "you used the smallest eigenvalue; the step must be safe for the largest one.",
            ),
        ],
        rtol=5e-3,
    )
