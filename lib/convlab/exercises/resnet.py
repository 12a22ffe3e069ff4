"""Checkers for chapter 17, "Batch normalisation and ResNet".

Exercise ids:

* ``resnet-bn-by-hand``         training-mode BN of the one-channel batch BN_X with gamma=2, beta=1, eps=0
* ``resnet-running-stats``      ``[running_mean, running_var]`` after that batch (momentum 0.1, from 0 and 1)
* ``resnet-bottleneck-params``  the parameters of ``Bottleneck(256, 64)`` (stride 1), BN included
* ``resnet-write-batchnorm``    a function ``my_batch_norm(x, gamma, beta, eps)`` (training mode, NCHW)
"""

from __future__ import annotations

import numpy as np

from ..batchnorm import batch_norm
from .compare import compare_array, compare_function, compare_number
from .registry import register

# ------------------------------------------------------------ BN by hand
BN_X = np.array(
    [1.0, 3.0, 5.0, 7.0]
)  # N = 4 values of one channel (H = W = 1)
BN_GAMMA, BN_BETA = 2.0, 1.0


def _normalise(x, var):
    return (x - x.mean()) / np.sqrt(var)


BN_Y = (
    BN_GAMMA * _normalise(BN_X, BN_X.var()) + BN_BETA
)  # biased variance 5
BN_UNBIASED = BN_GAMMA * _normalise(BN_X, BN_X.var(ddof=1)) + BN_BETA
BN_NO_AFFINE = _normalise(BN_X, BN_X.var())
BN_SWAPPED = BN_BETA * _normalise(BN_X, BN_X.var()) + BN_GAMMA
BN_STD_NOT_SQRT = BN_GAMMA * (BN_X - BN_X.mean()) / BN_X.var() + BN_BETA


@register(
    "resnet-bn-by-hand",
    reference=lambda: BN_Y.tolist(),
    planted=[
        (lambda: BN_UNBIASED.tolist(), "biased"),
        (lambda: BN_NO_AFFINE.tolist(), "gamma"),
        (lambda: BN_SWAPPED.tolist(), "swapped"),
        (lambda: BN_STD_NOT_SQRT.tolist(), "square root"),
        (lambda: BN_Y[:2].tolist(), "four"),
    ],
)
def check_bn_by_hand(answer):
    """Training-mode batch norm of [1, 3, 5, 7] (one channel) with gamma = 2, beta = 1, eps = 0."""
    return compare_array(
        answer,
        BN_Y,
        [
            (
                BN_UNBIASED,
                "you divided the variance by m - 1 = 3. Batch normalisation normalises with the biased "
                "variance (divide by m = 4); only the running estimate stores the unbiased one.",
            ),
            (
                BN_NO_AFFINE,
                "that is the normalised x_hat; now apply the learned scale and shift: gamma * x_hat + beta.",
            ),
            (
                BN_SWAPPED,
                "gamma and beta are swapped: y = gamma * x_hat + beta with gamma = 2 (scale), beta = 1 (shift).",
            ),
            (
                BN_STD_NOT_SQRT,
                "you divided by the variance; divide by the standard deviation, the square root of "
                "the variance (plus eps).",
            ),
        ],
        atol=1e-3,
        rtol=1e-3,
        shape_hints={
            (2,): "give all four outputs, one per value of the batch.",
            (1,): "give all four outputs, one per value of the batch.",
        },
        what="a list of four numbers",
    )


# ---------------------------------------------------------- running stats
M_BN = BN_X.size
RUNNING = [
    0.1 * BN_X.mean(),
    0.9 * 1.0 + 0.1 * BN_X.var(ddof=1),
]  # [0.4, 1.5667]


@register(
    "resnet-running-stats",
    reference=lambda: RUNNING,
    planted=[
        (lambda: [0.4, 0.9 + 0.1 * BN_X.var()], "unbiased"),
        (
            lambda: [0.9 * BN_X.mean(), 0.1 + 0.9 * BN_X.var(ddof=1)],
            "momentum",
        ),
        (lambda: [BN_X.mean(), BN_X.var(ddof=1)], "running"),
        (lambda: [0.4], "two numbers"),
    ],
)
def check_running_stats(answer):
    """[running_mean, running_var] after one training batch BN_X, momentum 0.1, starting from 0 and 1."""
    return compare_array(
        answer,
        RUNNING,
        [
            (
                [0.4, 0.9 + 0.1 * BN_X.var()],
                "the mean is right; for running_var PyTorch uses the unbiased variance of "
                "the batch, sum of squares / (m - 1) = 20/3, not / m.",
            ),
            (
                [0.9 * BN_X.mean(), 0.1 + 0.9 * BN_X.var(ddof=1)],
                "momentum is the weight of the *new* batch statistic: "
                "new = (1 - momentum) * old + momentum * batch.",
            ),
            (
                [BN_X.mean(), BN_X.var(ddof=1)],
                "those are the batch statistics; the running estimates move only a "
                "fraction (momentum = 0.1) of the way from their old values (0 and 1).",
            ),
            (
                [BN_X.mean(), BN_X.var()],
                "those are the batch statistics; the running estimates move only a fraction "
                "(momentum = 0.1) of the way from their old values (0 and 1).",
            ),
        ],
        atol=1e-3,
        rtol=1e-3,
        shape_hints={
            (1,): "give two numbers: [running_mean, running_var]."
        },
        what="a list [running_mean, running_var]",
    )


# ------------------------------------------------------ bottleneck params
C_IN, WIDTH = 256, 64
BOTTLENECK_WEIGHTS = (
    C_IN * WIDTH + 9 * WIDTH**2 + WIDTH * 4 * WIDTH
)  # 69,632
BOTTLENECK = BOTTLENECK_WEIGHTS + 2 * (WIDTH + WIDTH + 4 * WIDTH)  # 70,400
WITH_PROJECTION = BOTTLENECK + C_IN * 4 * WIDTH + 2 * 4 * WIDTH  # 136,448


@register(
    "resnet-bottleneck-params",
    reference=lambda: BOTTLENECK,
    planted=[
        (lambda: BOTTLENECK_WEIGHTS, "batch normalisation"),
        (lambda: WITH_PROJECTION, "identity"),
        (lambda: BOTTLENECK + WIDTH + WIDTH + 4 * WIDTH, "bias"),
        (lambda: 2.25 * C_IN**2, "2.25"),
        (lambda: 1, "not it"),
    ],
)
def check_bottleneck_params(answer):
    """Parameters of Bottleneck(256, 64, stride=1): 1x1 256->64, 3x3 64->64, 1x1 64->256, three BNs."""
    return compare_number(
        answer,
        BOTTLENECK,
        [
            (
                BOTTLENECK_WEIGHTS,
                "those are the convolution weights only; add the batch normalisation parameters, "
                "2 per channel of each BN (64 + 64 + 256 channels).",
            ),
            (
                WITH_PROJECTION,
                "input (256) and output (4 * 64 = 256) shapes agree and the stride is 1, so the shortcut is "
                "the identity, with no parameters; you added a projection.",
            ),
            (
                BOTTLENECK + 6 * WIDTH,
                "the convolutions have no bias: each is followed by BN, whose shift beta replaces it.",
            ),
            (
                2.25 * C_IN**2,
                "2.25 C^2 = 9 (C/4) C counts one 3x3 convolution from C/4 to C channels, not the "
                "bottleneck: count its three convolutions, 17/16 C^2 weights, then add BN.",
            ),
        ],
        rtol=1e-9,
    )


# ------------------------------------------------------ write batch norm
def _reference_bn(x, gamma, beta, eps):
    C = np.asarray(x).shape[1]
    return batch_norm(
        x, gamma, beta, np.zeros(C), np.ones(C), training=True, eps=eps
    )[0]


def _per_sample_bn(x, gamma, beta, eps):
    x = np.asarray(x, float)
    mu, var = (
        x.mean(axis=(1, 2, 3), keepdims=True),
        x.var(axis=(1, 2, 3), keepdims=True),
    )
    return (
        gamma[None, :, None, None] * (x - mu) / np.sqrt(var + eps)
        + beta[None, :, None, None]
    )


def _whole_batch_bn(x, gamma, beta, eps):
    x = np.asarray(x, float)
    return (
        gamma[None, :, None, None] * (x - x.mean()) / np.sqrt(x.var() + eps)
        + beta[None, :, None, None]
    )


def _unbiased_bn(x, gamma, beta, eps):
    x = np.asarray(x, float)
    mu, var = (
        x.mean(axis=(0, 2, 3), keepdims=True),
        x.var(axis=(0, 2, 3), ddof=1, keepdims=True),
    )
    return (
        gamma[None, :, None, None] * (x - mu) / np.sqrt(var + eps)
        + beta[None, :, None, None]
    )


def _spatial_only_bn(x, gamma, beta, eps):
    x = np.asarray(x, float)
    mu, var = (
        x.mean(axis=(2, 3), keepdims=True),
        x.var(axis=(2, 3), keepdims=True),
    )
    return (
        gamma[None, :, None, None] * (x - mu) / np.sqrt(var + eps)
        + beta[None, :, None, None]
    )


_rng = np.random.default_rng(17)
BN_CASES = [
    (
        np.arange(16.0).reshape(2, 2, 2, 2),
        np.array([1.0, 2.0]),
        np.array([0.0, -1.0]),
        1e-5,
    ),
    (
        _rng.normal(size=(3, 2, 2, 2)).round(2),
        np.array([0.5, 1.5]),
        np.array([1.0, 0.0]),
        1e-5,
    ),
    (
        _rng.normal(size=(2, 3, 1, 2)).round(2) * 10,
        np.ones(3),
        np.zeros(3),
        1e-3,
    ),
]


@register(
    "resnet-write-batchnorm",
    reference=lambda: _reference_bn,
    planted=[
        (lambda: _per_sample_bn, "each image"),
        (lambda: _whole_batch_bn, "every channel"),
        (lambda: _unbiased_bn, "m - 1"),
        (lambda: _spatial_only_bn, "over the batch"),
        (lambda: lambda x, gamma, beta, eps: np.asarray(x), "differ"),
    ],
)
def check_write_batchnorm(answer):
    """my_batch_norm(x, gamma, beta, eps): training-mode BN of an (N, C, H, W) array, per-channel gamma, beta."""
    return compare_function(
        answer,
        BN_CASES,
        _reference_bn,
        diagnoses=[
            (
                _per_sample_bn,
                "you normalised each image over its channels and positions (that is layer "
                "normalisation); batch norm normalises each channel over N, H and W.",
            ),
            (
                _whole_batch_bn,
                "you used one mean and variance for the whole array; batch norm computes them for "
                "every channel separately, over axes (0, 2, 3).",
            ),
            (
                _unbiased_bn,
                "you used the unbiased variance (divide by m - 1); normalisation uses the biased one "
                "(np.var's default, divide by m = N*H*W).",
            ),
            (
                _spatial_only_bn,
                "you normalised each image's channel over H and W only; batch norm also averages "
                "over the batch (axis 0): axes (0, 2, 3).",
            ),
        ],
        atol=1e-6,
        rtol=1e-6,
    )
