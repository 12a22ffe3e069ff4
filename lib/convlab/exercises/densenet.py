"""Checkers for chapter 18, "DenseNet".

Exercise ids:

* ``dense-block-channels``   ``[block output, transition output]`` for c0 = 24, k = 12, L = 6, theta = 0.5
* ``dense-layer-params``     the parameters of ``DenseLayer(128, 32)`` (bn_size 4), BN included
* ``dense-widest-input``     channels read by the last layer of DenseNet-121's third dense block
* ``dense-write-bookkeeping`` a function ``bookkeeping(c0, k, block_config, theta)`` -> (in, out) pairs
"""

from __future__ import annotations

import math

import numpy as np

from ..models.densenet import densenet_channels
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------ block channels
C0, K, L, THETA = 24, 12, 6, 0.5
BLOCK_OUT = C0 + L * K  # 96
CHANNELS = [BLOCK_OUT, math.floor(THETA * BLOCK_OUT)]  # [96, 48]


@register(
    "dense-block-channels",
    reference=lambda: CHANNELS,
    planted=[
        (lambda: [BLOCK_OUT, BLOCK_OUT], "compression"),
        (lambda: [L * K, L * K // 2], "input"),
        (lambda: [C0 + (L - 1) * K, (C0 + (L - 1) * K) // 2], "last layer"),
        (lambda: [BLOCK_OUT // 2, BLOCK_OUT], "order"),
        (lambda: [96], "two numbers"),
    ],
)
def check_block_channels(answer):
    """[channels leaving the block, channels leaving the transition] for c0 = 24, k = 12, L = 6, theta = 0.5."""
    return compare_array(
        answer,
        CHANNELS,
        [
            (
                [BLOCK_OUT, BLOCK_OUT],
                "the block is right; the transition's 1x1 convolution keeps only "
                "floor(theta * c) channels (compression theta = 0.5).",
            ),
            (
                [L * K, L * K // 2],
                "the block also passes its own input on: its output is the concatenation of the "
                "24 input channels and the 6 * 12 new ones.",
            ),
            (
                [C0 + (L - 1) * K, (C0 + (L - 1) * K) // 2],
                "that is what the last layer reads, c0 + (L - 1) k; the block "
                "outputs that plus the last layer's own k channels.",
            ),
            (
                [BLOCK_OUT // 2, BLOCK_OUT],
                "right numbers, wrong order: [block output, transition output].",
            ),
        ],
        shape_hints={
            (1,): "give two numbers: [block output, transition output]."
        },
        what="a list [block output, transition output]",
    )


# ------------------------------------------------------------ layer params
C_READ, GROWTH = 128, 32
LAYER_WEIGHTS = C_READ * 4 * GROWTH + 9 * 4 * GROWTH * GROWTH  # 53,248
LAYER = LAYER_WEIGHTS + 2 * C_READ + 2 * 4 * GROWTH  # 53,760
NO_BOTTLENECK = 2 * C_READ + 9 * C_READ * GROWTH  # 37,120


@register(
    "dense-layer-params",
    reference=lambda: LAYER,
    planted=[
        (lambda: LAYER_WEIGHTS, "batch normalisation"),
        (lambda: NO_BOTTLENECK, "bottleneck"),
        (lambda: LAYER + 4 * GROWTH + GROWTH, "bias"),
        (lambda: LAYER - 2 * 4 * GROWTH, "second"),
        (lambda: 7, "not it"),
    ],
)
def check_layer_params(answer):
    """Parameters of DenseLayer(128, 32): BN(128) - 1x1 conv 128 -> 128 - BN(128) - 3x3 conv 128 -> 32."""
    return compare_number(
        answer,
        LAYER,
        [
            (
                LAYER_WEIGHTS,
                "those are the convolution weights; add the two batch normalisations, 2 parameters per channel they "
                "normalise (128 before the 1x1 convolution, 4k = 128 before the 3x3).",
            ),
            (
                NO_BOTTLENECK,
                "that is a layer without the bottleneck (BN-ReLU-3x3 conv straight to k channels); the "
                "DenseNet-BC layer first maps the 128 channels to 4k = 128 with a 1x1 convolution.",
            ),
            (
                LAYER + 5 * GROWTH,
                "the convolutions have no bias: each is followed, here or in the next layer, by BN.",
            ),
            (
                LAYER - 2 * 4 * GROWTH,
                "you have one BN; there is a second one, on the 4k = 128 channels between the two "
                "convolutions.",
            ),
        ],
        rtol=1e-9,
    )


# ------------------------------------------------------------ widest input
BLOCK3_IN = densenet_channels()[4][0]  # 256
WIDEST = BLOCK3_IN + (24 - 1) * 32  # 992


@register(
    "dense-widest-input",
    reference=lambda: WIDEST,
    planted=[
        (lambda: BLOCK3_IN + 24 * 32, "output"),
        (lambda: 23 * 32, "input"),
        (lambda: 512 + 23 * 32, "transition"),
        (lambda: BLOCK3_IN, "first layer"),
    ],
)
def check_widest_input(answer):
    """Channels read by the last (24th) layer of dense block 3 of DenseNet-121."""
    return compare_number(
        answer,
        WIDEST,
        [
            (
                BLOCK3_IN + 24 * 32,
                "1024 is the block's output, which includes the last layer's own 32 channels; the "
                "last layer reads everything before it: c0 + 23 k.",
            ),
            (
                23 * 32,
                "add the channels that enter the block (256): the block passes its input on to every layer.",
            ),
            (
                512 + 23 * 32,
                "block 3 starts after transition 2, which halves block 2's 512 channels to 256.",
            ),
            (
                BLOCK3_IN,
                "256 is what the first layer of block 3 reads; every layer adds k = 32 for the next.",
            ),
        ],
        rtol=1e-9,
    )


# -------------------------------------------------------- write bookkeeping
def _reference(c0, k, block_config, theta):
    return np.array(
        densenet_channels(
            tuple(int(n) for n in block_config),
            int(k),
            int(c0),
            float(theta),
        )
    )


def _round_not_floor(c0, k, block_config, theta):
    rows, c = [], int(c0)
    for i, n in enumerate(block_config):
        rows.append((c, c + int(n) * int(k)))
        c += int(n) * int(k)
        if i < len(block_config) - 1:
            rows.append((c, round(theta * c + 1e-9)))
            c = rows[-1][1]
    return np.array(rows)


def _no_compression(c0, k, block_config, theta):
    return _reference(c0, k, block_config, 1.0)


def _transition_after_last(c0, k, block_config, theta):
    rows = _reference(c0, k, block_config, theta).tolist()
    return np.array(rows + [[rows[-1][1], math.floor(theta * rows[-1][1])]])


BOOK_CASES = [
    (64, 32, (6, 12, 24, 16), 0.5),
    (16, 8, (2, 4, 6, 4), 0.5),
    (5, 3, (2, 2, 1), 0.5),
    (24, 12, (16, 16, 16), 0.5),
    (7, 5, (1, 2), 0.7),
]
_SHAPES = {
    (
        2 * len(cfg),
        2,
    ): "one row too many: there is no transition after the last dense block."
    for _, _, cfg, _ in BOOK_CASES
}


@register(
    "dense-write-bookkeeping",
    reference=lambda: _reference,
    planted=[
        (lambda: _round_not_floor, "floor"),
        (lambda: _no_compression, "compression"),
        (lambda: _transition_after_last, "last dense block"),
        (
            lambda: (
                lambda c0, k, block_config, theta: (
                    [(c0, c0)] * (2 * len(block_config) - 1)
                )
            ),
            "differ",
        ),
        (lambda: 42, "wants a function"),
    ],
)
def check_write_bookkeeping(answer):
    """bookkeeping(c0, k, block_config, theta): (entering, leaving) channels of each block and transition."""
    return compare_function(
        answer,
        BOOK_CASES,
        _reference,
        diagnoses=[
            (
                _round_not_floor,
                "a transition keeps floor(theta * c) channels (rounded down, as int(theta * c)); you "
                "rounded to the nearest integer.",
            ),
            (
                _no_compression,
                "the transitions must apply the compression: their 1x1 convolution "
                "maps c to floor(theta * c) channels.",
            ),
        ],
        shape_hints=_SHAPES,
    )
