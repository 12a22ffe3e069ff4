"""Checkers for chapter 5, "Edge detection".

Exercise ids:

* ``edge-step-response``      corr2d of a small image with K = [[1, -1]]
* ``edge-horizontal-kernel``  the 2x1 kernel that gives +1 where the image turns dark going down
* ``edge-sobel-ramp``         the SOBEL_X response on the ramp X[i, j] = 3 j
* ``edge-gradient``           [magnitude, direction in degrees] of the Sobel gradient at the centre of a patch
* ``edge-sobel-factors``      [u, v] with SOBEL_Y = outer(u, v) (any scaling of the pair is accepted)
"""

from __future__ import annotations

import math

import numpy as np

from .. import ops
from ..filters import SOBEL_X, SOBEL_Y
from .compare import as_numbers, compare_array, compare_number
from .feedback import correct, wrong
from .registry import register

# ----------------------------------------------------- [1, -1] by hand
X1 = np.array(
    [
        [0.0, 0.0, 1.0, 1.0, 0.5],
        [0.0, 1.0, 1.0, 0.0, 0.0],
        [1.0, 1.0, 1.0, 1.0, 1.0],
    ]
)
K1 = np.array([[1.0, -1.0]])


@register(
    "edge-step-response",
    reference=lambda: ops.corr2d(X1, K1),
    planted=[
        (lambda: ops.corr2d(X1, -K1), "sign"),
        (lambda: ops.corr2d(X1, K1).T, "transposed"),
        (lambda: ops.corr2d(X1.T, K1.T), "transposed"),
        (lambda: ops.corr2d(X1, K1)[:, :3], "shape"),
    ],
)
def check_step_response(answer):
    """Y[i, j] = X1[i, j] - X1[i, j + 1], shape (3, 4)."""
    Y = ops.corr2d(X1, K1)
    return compare_array(
        answer,
        Y,
        diagnoses=[
            (
                -Y,
                "every sign is flipped: you computed X[i, j+1] - X[i, j] (a convolution, which flips the kernel). "
                "Cross-correlation with [1, -1] gives X[i, j] - X[i, j+1].",
            ),
        ],
        shape_hints={
            (
                4,
                3,
            ): "your result is transposed: Y has as many rows as X (3) and one column fewer (4).",
            (
                3,
                5,
            ): "valid mode: a 1x2 kernel fits at 4 positions in a row of 5 pixels, so Y is 3x4.",
            (
                3,
                3,
            ): "valid mode: a 1x2 kernel fits at 4 positions in a row of 5 pixels (5 - 2 + 1), so Y is 3x4.",
            (12,): "write Y as a nested list of 3 rows of 4 numbers.",
        },
    )


# ------------------------------------------------- a horizontal-edge kernel
K_H = np.array([[1.0], [-1.0]])


@register(
    "edge-horizontal-kernel",
    reference=lambda: K_H,
    planted=[
        (lambda: [[1, -1]], "vertical"),
        (lambda: [[-1], [1]], "sign"),
        (lambda: [1, -1], "nested list"),
    ],
)
def check_horizontal_kernel(answer):
    """The 2x1 kernel [[1], [-1]]: Y[i, j] = X[i, j] - X[i + 1, j]."""
    return compare_array(
        answer,
        K_H,
        diagnoses=[
            (
                [[-1.0], [1.0]],
                "right shape, wrong sign: this gives X[i+1, j] - X[i, j], which is +1 where the image "
                "turns *bright* going down.",
            ),
        ],
        shape_hints={
            (
                1,
                2,
            ): "a 1x2 kernel compares left and right neighbours, so it finds vertical edges; "
            "a horizontal edge needs a kernel with 2 rows and 1 column.",
            (
                2,
            ): "write the 2x1 kernel as a nested list with two rows: [[a], [b]].",
        },
        what="a 2x1 kernel [[a], [b]]",
    )


# ----------------------------------------------------------- Sobel on a ramp
SLOPE = 3.0


@register(
    "edge-sobel-ramp",
    reference=lambda: 8 * SLOPE,
    planted=[
        (lambda: 2 * SLOPE, "smoothing"),
        (lambda: -8 * SLOPE, "flip"),
        (lambda: SLOPE, "8 times"),
        (lambda: 0.0, "grows to the right"),
    ],
)
def check_sobel_ramp(answer):
    """SOBEL_X on X[i, j] = 3 j: (1 + 2 + 1) * (3 (j + 1) - 3 (j - 1)) = 24 everywhere."""
    return compare_number(
        answer,
        8 * SLOPE,
        [
            (
                2 * SLOPE,
                "that is one row of the kernel, [-1, 0, 1]; the Sobel kernel adds three rows with the smoothing "
                "weights 1, 2, 1.",
            ),
            (
                4 * SLOPE,
                "the central difference X[j+1] - X[j-1] spans two columns: it is 2 x slope per row, times 1 + 2 + 1.",
            ),
            (
                6 * SLOPE,
                "that is the Prewitt response (weights 1, 1, 1); Sobel weights the middle row by 2.",
            ),
            (
                -8 * SLOPE,
                "right size, wrong sign: you flipped the kernel (a true convolution). As a cross-correlation "
                "kernel, SOBEL_X is positive where the image grows to the right.",
            ),
            (
                SLOPE,
                "that is the slope itself; the Sobel kernel measures 8 times the slope.",
            ),
            (
                0.0,
                "the ramp grows to the right, and SOBEL_X measures exactly that direction; SOBEL_Y would give 0.",
            ),
        ],
        rtol=1e-9,
    )


# ------------------------------------------------ gradient at one pixel
_i, _j = np.mgrid[0:3, 0:3].astype(float)
PATCH = _i + 2 * _j  # brightness grows 2 per column and 1 per row
GX = float(ops.corr2d(PATCH, SOBEL_X)[0, 0])  # 16
GY = float(ops.corr2d(PATCH, SOBEL_Y)[0, 0])  # 8
EXPECTED = [math.hypot(GX, GY), math.degrees(math.atan2(GY, GX))]


@register(
    "edge-gradient",
    reference=lambda: EXPECTED,
    planted=[
        (
            lambda: [math.hypot(GX, GY), math.degrees(math.atan2(GX, GY))],
            "atan2(G_y, G_x)",
        ),
        (lambda: [math.hypot(GX, GY), math.atan2(GY, GX)], "radians"),
        (lambda: [GX + GY, EXPECTED[1]], "square root"),
        (lambda: [math.hypot(GX, GY), -EXPECTED[1]], "downwards"),
    ],
)
def check_gradient(answer):
    """[magnitude, direction in degrees] of the Sobel gradient at the centre of PATCH."""
    arr, problem = as_numbers(
        answer, "a list [magnitude, angle in degrees]"
    )
    if problem is not None:
        return problem
    if arr.shape != (2,):
        return wrong(
            f"give two numbers, [magnitude, angle in degrees]; you gave an array of shape {arr.shape}."
        )
    mag, ang = float(arr[0]), float(arr[1])
    mag_ok = math.isclose(mag, EXPECTED[0], rel_tol=1e-3)
    ang_ok = math.isclose(ang, EXPECTED[1], abs_tol=0.05)
    if mag_ok and ang_ok:
        return correct(
            f"G_x = {GX:g}, G_y = {GY:g}: magnitude {EXPECTED[0]:.3f}, direction {EXPECTED[1]:.2f}°."
        )
    messages = []
    if not mag_ok:
        if math.isclose(mag, GX + GY, rel_tol=1e-3) or math.isclose(
            mag, GX**2 + GY**2, rel_tol=1e-3
        ):
            messages.append(
                "the magnitude is the square root of G_x² + G_y², not a plain sum."
            )
        elif math.isclose(mag, math.hypot(GX, GY) / 8, rel_tol=1e-3):
            messages.append(
                "the magnitude is sqrt(G_x² + G_y²) of the raw Sobel responses; do not divide by 8 here."
            )
        else:
            messages.append(
                f"the magnitude {mag:.4g} is not right: compute G_x and G_y with SOBEL_X and SOBEL_Y first."
            )
    if not ang_ok:
        if math.isclose(
            ang, math.degrees(math.atan2(GX, GY)), abs_tol=0.05
        ):
            messages.append(
                "the angle has its arguments swapped: the direction is atan2(G_y, G_x), y first."
            )
        elif math.isclose(ang, math.atan2(GY, GX), abs_tol=1e-3):
            messages.append(
                "the angle is in radians; the exercise asks for degrees."
            )
        elif math.isclose(ang, -EXPECTED[1], abs_tol=0.05):
            messages.append(
                "the angle has the wrong sign: rows count downwards, and G_y > 0 here (brighter below), "
                "so the angle is positive."
            )
        else:
            messages.append(
                f"the angle {ang:.4g}° is not right: it is atan2(G_y, G_x) in degrees."
            )
    return wrong(" Also, ".join(messages))


# ------------------------------------------------------- Sobel as a product
@register(
    "edge-sobel-factors",
    reference=lambda: [[-1, 0, 1], [1, 2, 1]],
    planted=[
        (lambda: [[1, 2, 1], [-1, 0, 1]], "SOBEL_X"),
        (lambda: [[1, 0, -1], [1, 2, 1]], "sign"),
        (lambda: [-1, 0, 1, 1, 2, 1], "two rows"),
    ],
)
def check_sobel_factors(answer):
    """[u, v] with np.outer(u, v) == SOBEL_Y; (c u, v / c) is accepted for any c != 0."""
    arr, problem = as_numbers(
        answer, "a list [u, v] of two 3-element lists"
    )
    if problem is not None:
        return problem
    if arr.shape != (2, 3):
        return wrong(
            f"give two rows of three numbers, [u, v] = [[u0, u1, u2], [v0, v1, v2]]; "
            f"your answer has shape {arr.shape}."
        )
    product = np.outer(arr[0], arr[1])
    if np.allclose(product, SOBEL_Y):
        return correct(
            "np.outer(u, v) is SOBEL_Y: u differentiates down the rows, v smooths along them."
        )
    if np.allclose(product, SOBEL_X):
        return wrong(
            "np.outer(u, v) gives SOBEL_X: u is the column (it runs down the rows) and v the row. Swap them."
        )
    if np.allclose(product, -SOBEL_Y):
        return wrong(
            "np.outer(u, v) is -SOBEL_Y: right factors, wrong sign. SOBEL_Y is positive where the image "
            "grows downwards, so u must read the row below minus the row above, e.g. u = [-1, 0, 1], v = [1, 2, 1]."
        )
    return wrong(
        f"np.outer(u, v) = {product.tolist()} is not SOBEL_Y = {SOBEL_Y.tolist()}. "
        "One factor is a central difference, the other the smoothing [1, 2, 1]."
    )
