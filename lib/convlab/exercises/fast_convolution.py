"""Checkers for chapter 11, "Computing convolution fast".

Exercise ids:

* ``fast-im2col-shape``        shape of im2col for a 3x32x32 image, 5x5 kernel, padding 2 (a pair)
* ``fast-write-im2col``        a function ``im2col_1ch(X, k)``: columns of one channel, stride 1, no padding
* ``fast-winograd-count``      multiplications of F(2x2, 3x3) for a 32 -> 64 channel layer, 27x27 output
* ``fast-fft-size``            transform size (one side) so that the FFT gives the full linear correlation
* ``fast-conv-matrix-shape``   shape of the convolution matrix of a strided, padded multi-channel layer
* ``fast-winograd-f43``        the matrices (AT, G, BT) of F(4, 3), from the points 0, +-1, +-2, infinity
"""

from __future__ import annotations

import numpy as np

from ..arith import conv_output_size
from ..conv_algorithms import im2col
from ..conv_costs import multiplication_counts
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------- im2col shape
C, H, K, P = 3, 32, 5, 2
H_OUT = conv_output_size(H, K, 1, P)  # 32
IM2COL_SHAPE = [C * K * K, H_OUT * H_OUT]  # [75, 1024]
NO_PAD = conv_output_size(H, K, 1, 0)  # 28


@register(
    "fast-im2col-shape",
    reference=lambda: IM2COL_SHAPE,
    planted=[
        (lambda: IM2COL_SHAPE[::-1], "transposed"),
        (lambda: [K * K, H_OUT * H_OUT], "channel"),
        (lambda: [C * K * K, NO_PAD * NO_PAD], "padding"),
        (lambda: [C, K * K, H_OUT * H_OUT], "two numbers"),
        (lambda: [C * K * K, H * H + 1], "differ"),
    ],
)
def check_im2col_shape(answer):
    """Shape (rows, columns) of im2col for x of shape (3, 32, 32), a 5x5 kernel, padding 2, stride 1."""
    return compare_array(
        answer,
        IM2COL_SHAPE,
        [
            (
                IM2COL_SHAPE[::-1],
                "rows and columns are transposed: there is one column per output pixel and one row "
                "per (channel, kernel row, kernel column).",
            ),
            (
                [K * K, H_OUT * H_OUT],
                "a column holds the window in every input channel: C k^2 = 3 * 25 rows, "
                "not k^2 (missing the channel factor).",
            ),
            (
                [C * K * K, NO_PAD * NO_PAD],
                "with padding 2 the output stays 32 x 32, so there are 1024 columns; "
                "28 x 28 is the size without padding.",
            ),
        ],
        shape_hints={
            (
                3,
            ): "Give two numbers, (rows, columns): im2col returns a matrix (for one image).",
            (1,): "Give two numbers, (rows, columns).",
        },
        what="a pair (rows, columns)",
        atol=0,
        rtol=0,
    )


# ------------------------------------------------------------- write im2col
IM2COL_CASES = [
    (np.arange(16.0).reshape(4, 4), 3),
    (np.arange(30.0).reshape(5, 6), 2),
    (np.arange(12.0).reshape(3, 4) ** 2, 1),
    (np.arange(7.0).reshape(1, 7), 1),
    (np.arange(49.0).reshape(7, 7) % 5, 4),
]


def _reference_im2col(X, k):
    return im2col(np.asarray(X, dtype=float)[None], int(k))


def _windows_column_major(X, k):
    """Each window flattened column by column (a common slip)."""
    cols = _reference_im2col(X, k)
    k = int(k)
    return cols.reshape(k, k, -1).transpose(1, 0, 2).reshape(k * k, -1)


def _outputs_column_major(X, k):
    """Output pixels visited column by column."""
    cols = _reference_im2col(X, k)
    h_out, w_out = X.shape[0] - int(k) + 1, X.shape[1] - int(k) + 1
    return (
        cols.reshape(-1, h_out, w_out)
        .transpose(0, 2, 1)
        .reshape(cols.shape[0], -1)
    )


def _solution_im2col(X, k):
    h_out, w_out = X.shape[0] - k + 1, X.shape[1] - k + 1
    cols = np.empty((k * k, h_out * w_out))
    for i in range(h_out):
        for j in range(w_out):
            cols[:, i * w_out + j] = X[i : i + k, j : j + k].ravel()
    return cols


@register(
    "fast-write-im2col",
    reference=lambda: _solution_im2col,
    planted=[
        (lambda: lambda X, k: _reference_im2col(X, k).T, "transposed"),
        (lambda: _windows_column_major, "row by row"),
        (lambda: _outputs_column_major, "row-major"),
        (lambda: lambda X, k: None, "return"),
        (lambda: np.zeros((9, 4)), "wants a function"),
    ],
)
def check_write_im2col(answer):
    """A function im2col_1ch(X, k) -> (k*k, H_out*W_out) array of windows, stride 1, no padding."""
    return compare_function(
        answer,
        IM2COL_CASES,
        _reference_im2col,
        diagnoses=[
            (
                lambda X, k: _reference_im2col(X, k).T,
                "your matrix is transposed: one *column* per output pixel, "
                "one row per kernel tap (shape (k*k, H_out*W_out)).",
            ),
            (
                _windows_column_major,
                "each window must be read row by row (window.ravel()), in the order of "
                "w.reshape(-1); you read it column by column.",
            ),
            (
                _outputs_column_major,
                "the columns must follow the output pixels in row-major order: column "
                "i * W_out + j belongs to output (i, j).",
            ),
        ],
        atol=1e-9,
        rtol=1e-9,
    )


# --------------------------------------------------------- Winograd count
CI, CO, OUT = 32, 64, 27
WINO = multiplication_counts((OUT, OUT), CI, CO)  # tiles ceil(27/2)^2 = 196
TILES_FLOOR = (OUT // 2) ** 2


@register(
    "fast-winograd-count",
    reference=lambda: WINO["winograd"],
    planted=[
        (lambda: WINO["direct"], "direct"),
        (lambda: 16 * OUT * OUT * CI * CO, "per 2x2 tile"),
        (lambda: 16 * TILES_FLOOR * CI * CO, "round up"),
        (lambda: 16 * WINO["tiles"], "channel"),
        (lambda: 4 * WINO["tiles"] * CI * CO, "16"),
    ],
)
def check_winograd_count(answer):
    """Multiplications of F(2x2, 3x3) for 32 input, 64 output channels and a 27x27 output (one image)."""
    return compare_number(
        answer,
        WINO["winograd"],
        [
            (
                WINO["direct"],
                "that is the direct count, 9 per output pixel and channel pair; Winograd needs "
                "16 per 2x2 tile.",
            ),
            (
                16 * OUT * OUT * CI * CO,
                "16 multiplications per output *pixel* is more than direct; they are per 2x2 "
                "tile (4 outputs).",
            ),
            (
                16 * TILES_FLOOR * CI * CO,
                "27 is odd: the last row and column of tiles is needed too, so there are "
                "ceil(27/2)^2 = 196 tiles; round up.",
            ),
            (
                16 * WINO["tiles"],
                "each tile is computed for every (input channel, output channel) pair: multiply "
                "by 32 * 64.",
            ),
            (
                4 * WINO["tiles"] * CI * CO,
                "4 is the 1-D F(2, 3) count; the 2-D tile has a 4x4 element-wise product: 16.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------- FFT size
N_IMG, K_FFT = 100, 9
FFT_SIZE = N_IMG + K_FFT - 1  # 108


@register(
    "fast-fft-size",
    reference=lambda: FFT_SIZE,
    planted=[
        (lambda: N_IMG, "wrap around"),
        (lambda: N_IMG - K_FFT + 1, "valid"),
        (lambda: N_IMG + K_FFT, "smallest"),
        (lambda: N_IMG + 2 * K_FFT, "not it"),
    ],
)
def check_fft_size(answer):
    """Smallest transform size per side so that the circular result equals the full linear correlation."""
    return compare_number(
        answer,
        FFT_SIZE,
        [
            (
                N_IMG,
                "with the image size the last k - 1 values of the correlation wrap around onto the first ones; "
                "the full result has n + k - 1 values per side.",
            ),
            (
                N_IMG - K_FFT + 1,
                "that is the size of the 'valid' output; the transform must hold the whole linear "
                "result, n + k - 1 per side.",
            ),
            (
                N_IMG + K_FFT,
                "that works but is not the smallest: n + k - 1 suffices.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------ conv matrix shape
MC_IN, MC_OUT, MH, MK, MS, MP = 3, 8, 10, 3, 2, 1
M_OUT = conv_output_size(MH, MK, MS, MP)  # 5
MATRIX_SHAPE = [MC_OUT * M_OUT * M_OUT, MC_IN * MH * MH]  # [200, 300]
M_NO_PAD = conv_output_size(MH, MK, MS, 0)  # 4
M_NO_STRIDE = conv_output_size(MH, MK, 1, MP)  # 10


@register(
    "fast-conv-matrix-shape",
    reference=lambda: MATRIX_SHAPE,
    planted=[
        (lambda: MATRIX_SHAPE[::-1], "transposed"),
        (lambda: [MC_OUT * M_NO_STRIDE**2, MC_IN * MH * MH], "stride"),
        (lambda: [MC_OUT * M_NO_PAD**2, MC_IN * MH * MH], "padding"),
        (lambda: [M_OUT * M_OUT, MH * MH], "every channel"),
        (lambda: [MC_OUT * M_OUT * M_OUT, MC_IN * (MH + 2) ** 2], "padded"),
    ],
)
def check_conv_matrix_shape(answer):
    """Shape of K with K @ x.ravel() == conv2d(x).ravel(): 3 -> 8 channels, 10x10, k=3, stride 2, padding 1."""
    return compare_array(
        answer,
        MATRIX_SHAPE,
        [
            (
                MATRIX_SHAPE[::-1],
                "transposed: K maps the input vector (length C_in H W) to the output vector, so it "
                "has one *row* per output value.",
            ),
            (
                [MC_OUT * M_NO_STRIDE**2, MC_IN * MH * MH],
                "with stride 2 the output is 5 x 5, not 10 x 10: "
                "floor((10 + 2 - 3) / 2) + 1 = 5.",
            ),
            (
                [MC_OUT * M_NO_PAD**2, MC_IN * MH * MH],
                "padding 1 is part of the layer: the output is 5 x 5 "
                "(4 x 4 would be without padding).",
            ),
            (
                [M_OUT * M_OUT, MH * MH],
                "the vectors hold every channel: C_out H_out W_out rows, C_in H W columns.",
            ),
            (
                [MC_OUT * M_OUT * M_OUT, MC_IN * (MH + 2) ** 2],
                "the padding zeros are not inputs: K multiplies the "
                "unpadded image, C_in H W = 300 columns.",
            ),
        ],
        shape_hints={
            (1,): "Give two numbers, (rows, columns).",
            (3,): "Give two numbers, (rows, columns).",
        },
        what="a pair (rows, columns)",
        atol=0,
        rtol=0,
    )


# ----------------------------------------------------- build F(4, 3)
# Self-contained: the imports this checker needs beyond the module's.
from ..winograd import (  # noqa: E402
    WINOGRAD_AT,
    WINOGRAD_BT,
    WINOGRAD_G,
    toom_cook,
)
from .compare import as_numbers, describe  # noqa: E402
from .feedback import correct, wrong  # noqa: E402

F43_POINTS = (0, 1, -1, 2, -2)  # and infinity
F43 = toom_cook(4, 3, F43_POINTS)  # (AT (4, 6), G (6, 3), BT (6, 6))
F43_SHAPES = ((4, 6), (6, 3), (6, 6))


def _f43_bilinear(at, g, bt):
    """T[i, j] = AT @ ((G @ e_j) * (BT @ e_i)): the outputs for the tile
    d = e_i and the kernel g = e_j, (6, 3, 4). Equal tables, equal maps."""
    return np.einsum("ok,kj,ki->ijo", at, g, bt)


def _correlation_table(flip=False, reverse=False):
    table = np.zeros((6, 3, 4))
    for i in range(6):
        for j in range(3):
            kernel = np.eye(3)[j][::-1] if flip else np.eye(3)[j]
            y = np.correlate(np.eye(6)[i], kernel, "valid")
            table[i, j] = y[::-1] if reverse else y
    return table


def _f43_without_denominators():
    """Lagrange denominators forgotten: G = the plain evaluation matrix."""
    at, _, bt = F43
    pts = list(F43_POINTS)
    e_r = np.array([[p**e for e in range(3)] for p in pts] + [[0, 0, 1]])
    return at, e_r.astype(float), bt


def _f43_descending_powers():
    """Vandermonde rows written p^2, p, 1: the kernel is read backwards."""
    at, g, bt = F43
    return at, g[:, ::-1], bt


F43_CORRELATION = _correlation_table()


@register(
    "fast-winograd-f43",
    reference=lambda: F43,
    planted=[
        (lambda: (WINOGRAD_AT, WINOGRAD_G, WINOGRAD_BT), "F(2, 3)"),
        (lambda: (F43[0].T, F43[1], F43[2].T), "AT"),
        (_f43_descending_powers, "convolution"),
        (lambda: (F43[0][::-1], F43[1], F43[2]), "reverse order"),
        (_f43_without_denominators, "denominators"),
        (lambda: F43[1], "three matrices"),
        (
            lambda: (F43[0], F43[1], F43[2] + np.eye(6) * 0.5),
            "not the correlation",
        ),
    ],
)
def check_winograd_f43(answer):
    """The matrices (AT, G, BT) of F(4, 3): AT @ ((G @ g) * (BT @ d)) is the
    correlation of a 6-sample tile d with a 3-tap kernel g (4 outputs)."""
    if answer is None:
        return wrong(
            "no answer yet (the answer is None). Replace None with the "
            "three matrices (AT, G, BT)."
        )
    if (
        isinstance(answer, np.ndarray)
        or not isinstance(answer, (tuple, list))
        or len(answer) != 3
    ):
        return wrong(
            f"give three matrices (AT, G, BT) as a tuple; you gave "
            f"{describe(answer)}."
        )
    mats = []
    for name, value in zip(("AT", "G", "BT"), answer):
        arr, problem = as_numbers(value, f"the matrix {name}")
        if problem is not None:
            return wrong(f"{name}: {problem.message}")
        mats.append(arr)
    shapes = tuple(m.shape for m in mats)
    if shapes == ((2, 4), (4, 3), (4, 4)):
        return wrong(
            "those are the shapes of F(2, 3) (4 products for 2 outputs); "
            "F(4, 3) multiplies n = 4 + 3 - 1 = 6 values: AT is 4 x 6, "
            "G is 6 x 3, BT is 6 x 6."
        )
    if shapes == ((6, 4), (6, 3), (6, 6)):
        return wrong(
            "give AT (4 x 6, one row per output), not A: AT's rows are the "
            "powers p^0 .. p^3 of the points (the transposed E_4)."
        )
    if shapes != F43_SHAPES:
        return wrong(
            f"the shapes are {shapes}, but F(4, 3) needs AT (4, 6), "
            "G (6, 3) and BT (6, 6): 6 points (0, 1, -1, 2, -2 and "
            "infinity), 3 kernel taps, 4 outputs."
        )
    table = _f43_bilinear(*mats)
    if np.allclose(table, F43_CORRELATION, rtol=0, atol=1e-9):
        return correct(
            "AT((G g) * (BT d)) is the correlation for every basis tile "
            "and kernel: 6 products for 4 outputs (12 directly)."
        )
    if np.allclose(table, _correlation_table(flip=True), atol=1e-9):
        return wrong(
            "your matrices compute a convolution (the kernel read "
            "backwards): G's columns are the powers p^0, p^1, p^2 of the "
            "points in increasing order, with the row [0, 0, 1] at infinity."
        )
    if np.allclose(table, _correlation_table(reverse=True), atol=1e-9):
        return wrong(
            "the four outputs come out in reverse order: AT's rows are "
            "the powers p^0, p^1, p^2, p^3 (increasing), one per output."
        )
    if np.allclose(
        table, _f43_bilinear(*_f43_without_denominators()), atol=1e-9
    ):
        return wrong(
            "the Lagrange denominators are missing: divide row j of G by "
            "D_j = prod over i != j of (p_j - p_i) (BT keeps the integer "
            "coefficients of prod over i != j of (x - p_i))."
        )
    i, j = np.argwhere(
        ~np.isclose(table, F43_CORRELATION, rtol=0, atol=1e-9).all(axis=2)
    )[0]
    return wrong(
        "AT((G g) * (BT d)) is not the correlation: for the tile d = e_"
        f"{i} and the kernel g = e_{j} it gives "
        f"{np.round(table[i, j], 4).tolist()} instead of "
        f"{F43_CORRELATION[i, j].tolist()}. Check each step of the "
        "construction against the chapter's F(2, 3)."
    )
