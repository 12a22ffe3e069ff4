"""Checkers for chapter 27, "Searching for an architecture".

Exercise ids: ``nas-mixed-output``, ``nas-expected-latency``,
``nas-derive-genotype``, ``nas-count-architectures``.
"""

from __future__ import annotations

import numpy as np

from .. import nas
from .compare import compare_array, compare_number
from .feedback import Feedback
from .registry import register

# Exercise 1: one edge's mixed output. Three candidates (skip, a max pool,
# a convolution) applied to the same 4-pixel input; alpha for each.
OPS1 = ("skip", "max_pool_3x3", "conv_3x3")
ALPHA1 = np.array([1.0, 0.0, 2.0])
OUTPUTS1 = np.array(
    [
        [1.0, -2.0, 3.0, 0.0],  # skip: the input itself
        [1.0, 3.0, 3.0, 3.0],  # 3-wide max pool, "same" padding
        [-1.0, 2.0, -2.0, 4.0],  # a convolution's output
    ]
)
MIXED1 = nas.mix(ALPHA1, OUTPUTS1)
MIXED1_RAW = ALPHA1 @ OUTPUTS1  # alpha used as weights, no softmax
MIXED1_NORMALISED = (ALPHA1 / ALPHA1.sum()) @ OUTPUTS1  # alpha / sum alpha
MIXED1_MEAN = OUTPUTS1.mean(axis=0)  # every operation weighted 1/K
MIXED1_ARGMAX = OUTPUTS1[int(np.argmax(ALPHA1))]  # the derived choice


@register(
    "nas-mixed-output",
    reference=lambda: MIXED1,
    planted=[
        (lambda: MIXED1_RAW, "softmax"),
        (lambda: MIXED1_NORMALISED, "exponential"),
        (lambda: MIXED1_MEAN, "uniform"),
        (lambda: MIXED1_ARGMAX, "derived"),
        (lambda: MIXED1[:2], "one value per pixel"),
        (lambda: None, "no answer yet"),
    ],
)
def check_mixed_output(answer):
    """sum_k softmax(ALPHA1)_k OUTPUTS1[k], four numbers."""
    return compare_array(
        answer,
        MIXED1,
        diagnoses=[
            (
                MIXED1_RAW,
                "you weighted the outputs by alpha itself; the weights "
                "are softmax(alpha): exponentials, divided by their sum.",
            ),
            (
                MIXED1_NORMALISED,
                "you divided alpha by its sum; the softmax takes the "
                "exponential of each alpha first, then divides by the sum "
                "of the exponentials.",
            ),
            (
                MIXED1_MEAN,
                "that is the uniform mixture, every operation weighted "
                "1/K, as at the start of a search (alpha = 0); use this "
                "alpha's softmax.",
            ),
            (
                MIXED1_ARGMAX,
                "that is the output of the operation with the largest "
                "alpha alone, what the derived cell would compute; the "
                "relaxed edge mixes all three.",
            ),
        ],
        atol=1e-3,
        rtol=1e-3,
        shape_hints={
            (3,): "one value per pixel (4 numbers): the mixture has the "
            "shape of one operation's output, not one value per "
            "operation.",
            (2,): "one value per pixel (4 numbers).",
        },
        what="the mixed output, 4 numbers",
    )


# Exercise 2: the expected latency of a relaxed cell.
OPS2 = ("zero", "skip", "conv_3x3", "conv_5x5")
LATENCY2 = np.array([0.0, 1.0, 40.0, 100.0])  # microseconds, per op
ALPHA2 = np.array(
    [
        [0.0, 0.5, 1.0, 2.0],
        [1.0, 2.0, 0.0, 0.0],
        [0.0, 0.0, 1.5, 0.5],
    ]
)
EXPECTED2 = nas.expected_cost(ALPHA2, LATENCY2)
EXPECTED2_DERIVED = float(
    sum(LATENCY2[OPS2.index(g)] for g in nas.derive_genotype(ALPHA2, OPS2))
)
EXPECTED2_MEAN_EDGE = EXPECTED2 / len(ALPHA2)
EXPECTED2_RAW = float((ALPHA2 @ LATENCY2).sum())
EXPECTED2_UNIFORM = float(len(ALPHA2) * LATENCY2.mean())


@register(
    "nas-expected-latency",
    reference=lambda: EXPECTED2,
    planted=[
        (lambda: EXPECTED2_DERIVED, "derived"),
        (lambda: EXPECTED2_MEAN_EDGE, "sum over the edges"),
        (lambda: EXPECTED2_RAW, "softmax"),
        (lambda: EXPECTED2_UNIFORM, "uniform"),
        (lambda: None, "no answer yet"),
    ],
)
def check_expected_latency(answer):
    """sum_e softmax(ALPHA2[e]) . LATENCY2, in microseconds."""
    return compare_number(
        answer,
        EXPECTED2,
        diagnoses=[
            (
                EXPECTED2_DERIVED,
                "that is the latency of the derived cell (the largest "
                "alpha per edge); the expected latency weights every "
                "operation by its softmax(alpha).",
            ),
            (
                EXPECTED2_MEAN_EDGE,
                "that is the average over the edges; the cell runs every "
                "edge, so take the sum over the edges.",
            ),
            (
                EXPECTED2_RAW,
                "you weighted the latencies by alpha itself; the weights "
                "are softmax(alpha) of each edge (row).",
            ),
            (
                EXPECTED2_UNIFORM,
                "that is the expected latency with every alpha = 0 "
                "(uniform weights); use the table's alpha.",
            ),
        ],
        rtol=1e-3,
    )


# Exercise 3: the derived genotype from an alpha table (indices into OPS).
ALPHA3 = np.array(
    [
        [2.1, 0.3, -0.5, 1.2, 0.8, 1.9],
        [0.1, 1.4, 0.2, 1.1, -0.3, 0.0],
        [0.4, -1.0, 0.9, 0.2, 1.3, 0.7],
        [1.6, 0.5, 0.1, -0.2, 0.4, -0.9],
    ]
)
GENOTYPE3 = np.array(
    [nas.OPS.index(g) for g in nas.derive_genotype(ALPHA3)]
)
GENOTYPE3_WITH_ZERO = ALPHA3.argmax(axis=1)
GENOTYPE3_ARGMIN = ALPHA3.argmin(axis=1)
GENOTYPE3_NO_ZERO_COLUMN = ALPHA3[:, 1:].argmax(axis=1)  # off by one


@register(
    "nas-derive-genotype",
    reference=lambda: GENOTYPE3,
    planted=[
        (lambda: GENOTYPE3_WITH_ZERO, "zero"),
        (lambda: GENOTYPE3_ARGMIN, "largest"),
        (lambda: GENOTYPE3_NO_ZERO_COLUMN, "column"),
        (lambda: ALPHA3.argmax(axis=0), "one index per edge"),
        (lambda: None, "no answer yet"),
    ],
)
def check_derive_genotype(answer):
    """Per row of ALPHA3, the index (into OPS) of the largest alpha except
    zero's."""
    if isinstance(answer, (list, tuple)) and any(
        isinstance(a, str) for a in answer
    ):
        return Feedback(
            False,
            "give the operations as indices into nas.OPS (whole numbers, "
            "0 = zero, 1 = skip, ..., 5 = conv_5x5), not as names; "
            "nas.OPS.index(name) turns a name into its index.",
        )
    return compare_array(
        answer,
        GENOTYPE3,
        diagnoses=[
            (
                GENOTYPE3_WITH_ZERO,
                "you let 'zero' (index 0) win; the derived cell never "
                "keeps zero: take the largest alpha among the other five.",
            ),
            (
                GENOTYPE3_ARGMIN,
                "those are the smallest alphas; the derived cell keeps "
                "the largest alpha of each edge (other than zero's).",
            ),
            (
                GENOTYPE3_NO_ZERO_COLUMN,
                "you dropped the zero column and then counted from 0 "
                "again: add 1 so that the indices still point into OPS "
                "(0 = zero, ..., 5 = conv_5x5).",
            ),
        ],
        atol=0,
        rtol=0,
        shape_hints={
            (6,): "one index per edge (row of the table, 4 edges), not "
            "one per operation (column).",
        },
        what="one operation index per edge (4 whole numbers)",
    )


# Exercise 4: the number of architectures of a 3-node cell.
NODES4 = 3
COUNT4 = nas.count_architectures(NODES4)  # 5 ** 6
EDGES4 = len(nas.cell_edges(NODES4))
K4 = len(nas.OPS)


@register(
    "nas-count-architectures",
    reference=lambda: COUNT4,
    planted=[
        (lambda: K4**EDGES4, "zero"),
        (lambda: (K4 - 1) * EDGES4, "multiply"),
        (lambda: EDGES4 ** (K4 - 1), "exponent"),
        (lambda: (K4 - 1) ** NODES4, "edges"),
        (lambda: None, "no answer yet"),
    ],
)
def check_count_architectures(answer):
    """(K - 1) ** E with E = 6 edges for 3 nodes, K = 6 operations."""
    return compare_number(
        answer,
        COUNT4,
        diagnoses=[
            (
                K4**EDGES4,
                "that counts 'zero' as a choice; the derived cell never "
                "keeps zero, so each edge has K - 1 choices.",
            ),
            (
                (K4 - 1) * EDGES4,
                "the edges choose independently: multiply the numbers of "
                "choices (a power), don't add them up.",
            ),
            (
                EDGES4 ** (K4 - 1),
                "base and exponent are swapped: (choices per edge) to the "
                "power (number of edges).",
            ),
            (
                (K4 - 1) ** NODES4,
                "the exponent is the number of edges, not of nodes: node "
                "i has an edge from every earlier node, input included.",
            ),
        ],
        rtol=0,
        whole="a number of architectures is a whole number",
    )
