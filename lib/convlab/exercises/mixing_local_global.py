"""Checkers for chapter 23, "Mixing local and global: six operators".

Exercise ids:

* ``mix-table-shape``     shape of the global relative table of a 5x7 image
* ``mix-window-sizes``    |L(i)| for a 3x3 window at a corner, an edge and the interior of a 6x6 image
* ``mix-attention-macs``  multiply-adds of global self-attention, 16x16 pixels, C = d = C_v = 8
* ``mix-write-pre-norm``  a function ``pre_norm(X, B)``: softmax(X X^T / sqrt(C) + B) X, stable
"""

from __future__ import annotations

import numpy as np
import torch

from .. import attention, cost
from .compare import compare_array, compare_function, compare_number
from .feedback import wrong
from .pixel_attention import softmax_rows
from .registry import register

# ------------------------------------------------------------ the relative table
HT, WT = 5, 7
TABLE = [2 * HT - 1, 2 * WT - 1]  # [9, 13]


@register(
    "mix-table-shape",
    reference=lambda: TABLE,
    planted=[
        (lambda: [HT, WT], "offset"),
        (lambda: [2 * HT, 2 * WT], "2H - 1"),
        (lambda: [HT * WT, HT * WT], "n x n"),
        (lambda: [TABLE[1], TABLE[0]], "rows"),
    ],
)
def check_table_shape(answer):
    """[rows, columns] of the (2H-1, 2W-1) table of a global relative kernel, H=5, W=7."""
    n = HT * WT
    return compare_array(
        answer,
        TABLE,
        [
            (
                [HT, WT],
                "one weight per offset, not per pixel: row offsets r_i - r_j run from -(H-1) to H-1.",
            ),
            (
                [2 * HT, 2 * WT],
                "count the offsets again: from -(H-1) to H-1 there are 2H - 1 values (zero included once).",
            ),
            (
                [n, n],
                "that is the n x n matrix B[i, j] = w[i - j] that the table expands to; the table itself has one "
                "entry per offset.",
            ),
            (
                TABLE[::-1],
                "rows first: the row offset has 2H - 1 values, the column offset 2W - 1.",
            ),
        ],
        shape_hints={(1,): "give two numbers: [rows, columns]."},
        what="a list [rows, columns]",
    )


# ------------------------------------------------------------ window sizes
SIDE, KW = 6, 3
_mask = attention.local_window_mask(SIDE, SIDE, KW)
WINDOW_SIZES = [
    int(_mask[0].sum()),
    int(_mask[2].sum()),
    int(_mask[2 * SIDE + 2].sum()),
]  # [4, 6, 9]


@register(
    "mix-window-sizes",
    reference=lambda: WINDOW_SIZES,
    planted=[
        (lambda: [9, 9, 9], "outside the image"),
        (lambda: WINDOW_SIZES[::-1], "order"),
        (lambda: [3, 5, 8], "itself"),
    ],
)
def check_window_sizes(answer):
    """[|L(corner)|, |L(edge)|, |L(interior)|] for a 3x3 window on a 6x6 image."""
    return compare_array(
        answer,
        WINDOW_SIZES,
        [
            (
                [9, 9, 9],
                "L(i) holds only pixels of the image: pixels outside the image do not exist, so a corner's "
                "window is cut to 2x2.",
            ),
            (
                WINDOW_SIZES[::-1],
                "right numbers, wrong order: give [corner, edge, interior].",
            ),
            (
                [w - 1 for w in WINDOW_SIZES],
                "pixel i itself belongs to its window L(i).",
            ),
        ],
        shape_hints={
            (1,): "give three numbers: [corner, edge, interior].",
            (2,): "give three numbers: [corner, edge, interior].",
        },
        what="a list of three counts",
    )


# ------------------------------------------------------------ cost of attention
HM, CM = 16, 8
NM = HM * HM
MACS = cost.attention_macs(HM, HM, CM)


@register(
    "mix-attention-macs",
    reference=lambda: MACS,
    planted=[
        (lambda: 2 * NM * NM * CM, "projections"),
        (lambda: NM * CM * 3 * CM, "n^2"),
        (lambda: NM * CM * 3 * CM + 2 * NM * CM * CM, "pixel pairs"),
        (lambda: "many", "number"),
    ],
)
def check_attention_macs(answer):
    """Multiply-adds of global self-attention on 16x16 pixels with C = d = C_v = 8."""
    return compare_number(
        answer,
        MACS,
        [
            (
                2 * NM * NM * CM,
                "you counted the logits and the weighted sum (n^2 d + n^2 C_v); add the three projections "
                "W_q x, W_k x, W_v x, n C (2d + C_v) multiply-adds.",
            ),
            (
                NM * CM * 3 * CM,
                "that is only the projections; the logits q_i . k_j and the weighted sum run over all n^2 "
                "pairs of pixels.",
            ),
            (
                NM * CM * 3 * CM + 2 * NM * CM * CM,
                "the logits and the weighted sum run over all pixel pairs (i, j): "
                "n^2 d and n^2 C_v, with n = 256, not n d and n C_v.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ write pre-norm attention
def _pre_norm(X, B):
    X, B = np.asarray(X, float), np.asarray(B, float)
    return softmax_rows(X @ X.T / np.sqrt(X.shape[1]) + B) @ X


def _post_norm(X, B):
    X, B = np.asarray(X, float), np.asarray(B, float)
    return (softmax_rows(X @ X.T / np.sqrt(X.shape[1])) + B) @ X


def _no_scale(X, B):
    X = np.asarray(X, float)
    return _pre_norm(X * np.sqrt(np.sqrt(X.shape[1])), B) / np.sqrt(
        np.sqrt(X.shape[1])
    )


def _naive(X, B):
    X, B = np.asarray(X, float), np.asarray(B, float)
    with np.errstate(over="ignore", invalid="ignore"):
        a = np.exp(X @ X.T / np.sqrt(X.shape[1]) + B)
        return (a / a.sum(axis=1, keepdims=True)) @ X


def _cases():
    rng = np.random.default_rng(23)
    x1, b1 = rng.normal(size=(4, 2)), rng.normal(size=(4, 4))
    x2 = rng.normal(size=(6, 3))
    b2 = attention.relative_bias(
        torch.tensor(rng.normal(size=(3, 5))), 2, 3
    ).numpy()
    return [
        (x1, b1),
        (x2, b2),
        (np.zeros((3, 2)), np.array([[0.0, 1, 2], [1, 0, 1], [2, 1, 0]])),
        (40 * x1, b1),
    ]  # logits of several thousand: exp overflows unless the maximum is subtracted


CASES = _cases()


@register(
    "mix-write-pre-norm",
    reference=lambda: _pre_norm,
    planted=[
        (lambda: _post_norm, "after the softmax"),
        (lambda: _no_scale, "sqrt(C)"),
        (lambda: _naive, "maximum"),
        (lambda: lambda X, B: None, "return"),
    ],
)
def check_write_pre_norm(answer):
    """A function pre_norm(X, B) -> (n, C): softmax_j(x_i . x_j / sqrt(C) + B[i, j]) x_j."""
    verdict = compare_function(
        answer,
        CASES,
        _pre_norm,
        diagnoses=[
            (
                _post_norm,
                "you added B after the softmax (post-normalisation); pre-normalisation adds it to the logits.",
            ),
            (
                _no_scale,
                "divide the logits x_i . x_j by sqrt(C) before adding B.",
            ),
        ],
    )
    if not verdict.ok and "NaN or infinity" in verdict.message:
        return wrong(
            verdict.message
            + " Large logits overflow exp(): subtract each row's maximum before "
            "exponentiating (it does not change the softmax)."
        )
    return verdict
