"""Checkers for chapter 22, "Self-attention over pixels".

Exercise ids:

* ``pix-attention-weights``  a function ``attention_weights(Q, K)``: the ``(n_q, n_k)`` matrix
  ``softmax_j(q_i . k_j / sqrt(d))``, stable for large logits
* ``pix-unshuffle``          where the output of each original pixel lands when the pixels are shuffled
* ``pix-nonlocal-params``    parameters of ``NonLocalBlock(256)`` (C' = 128)
* ``pix-crossover-side``     smallest square image on which attention (d = C_v = C/2) costs more than a 3x3 conv
* ``pix-attention-memory``   bytes of the attention matrices of a batch, several heads, float32
"""

from __future__ import annotations

import numpy as np

from .. import cost
from .compare import compare_array, compare_function, compare_number
from .feedback import wrong
from .registry import register


# ------------------------------------------------------------ write the attention weights
def softmax_rows(logits):
    """Row-wise softmax of a NumPy matrix, the row maximum subtracted
    first (the reference of the checkers of chapters 22 and 23)."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _weights(Q, K):
    Q, K = np.asarray(Q, float), np.asarray(K, float)
    return softmax_rows(Q @ K.T / np.sqrt(Q.shape[1]))


def _over_queries(Q, K):
    """Normalised over i (down each column) instead of over j."""
    Q, K = np.asarray(Q, float), np.asarray(K, float)
    return softmax_rows((Q @ K.T / np.sqrt(Q.shape[1])).T).T


def _no_scale(Q, K):
    Q, K = np.asarray(Q, float), np.asarray(K, float)
    return softmax_rows(Q @ K.T)


def _scale_d(Q, K):
    Q, K = np.asarray(Q, float), np.asarray(K, float)
    return softmax_rows(Q @ K.T / Q.shape[1])


def _transposed(Q, K):
    return _weights(Q, K).T


def _naive(Q, K):
    Q, K = np.asarray(Q, float), np.asarray(K, float)
    with np.errstate(over="ignore", invalid="ignore"):
        e = np.exp(Q @ K.T / np.sqrt(Q.shape[1]))
        return e / e.sum(axis=1, keepdims=True)


def _weight_cases():
    rng = np.random.default_rng(22)
    q1, k1 = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    q2, k2 = (
        rng.normal(size=(3, 4)),
        rng.normal(size=(5, 4)),
    )  # 3 queries, 5 keys: a (3, 5) matrix
    return [
        (q1, k1),
        (q2, k2),
        (np.zeros((2, 3)), rng.normal(size=(3, 3))),
        (60 * q1, 60 * k1),
    ]  # logits of several thousand: exp overflows unless the maximum is subtracted


WEIGHT_CASES = _weight_cases()


@register(
    "pix-attention-weights",
    reference=lambda: _weights,
    planted=[
        (lambda: _over_queries, "over the keys j"),
        (lambda: _no_scale, "sqrt(d)"),
        (lambda: _scale_d, "square root"),
        (lambda: _naive, "maximum"),
        (lambda: _transposed, "one row per query"),
        (lambda: lambda Q, K: None, "return"),
    ],
)
def check_attention_weights(answer):
    """A function attention_weights(Q, K) -> (n_q, n_k): A[i, j] = softmax_j(q_i . k_j / sqrt(d))."""
    verdict = compare_function(
        answer,
        WEIGHT_CASES,
        _weights,
        diagnoses=[
            (
                _over_queries,
                "each row i must sum to one: the softmax runs over the keys j (axis=1), for each query i; "
                "you normalised over the queries i (axis=0).",
            ),
            (
                _no_scale,
                "divide the logits q_i . k_j by sqrt(d), d = Q.shape[1], before the softmax.",
            ),
            (
                _scale_d,
                "the scale is 1 / sqrt(d), the square root of d, not 1 / d.",
            ),
            (
                _transposed,
                "you returned the transpose: A has one row per query and one column per key, "
                "A[i, j] = softmax over j of q_i . k_j / sqrt(d).",
            ),
        ],
    )
    if not verdict.ok and "NaN or infinity" in verdict.message:
        return wrong(
            verdict.message
            + " Large logits overflow exp(): subtract each row's maximum before "
            "exponentiating (it does not change the softmax)."
        )
    if not verdict.ok and "but it should be" in verdict.message:
        return wrong(
            verdict.message
            + " The result has one row per query and one column per key: "
            "shape (len(Q), len(K))."
        )
    return verdict


# ------------------------------------------------------------ where do the outputs go?
PERM = [
    4,
    0,
    5,
    1,
    3,
    2,
]  # position p of the shuffled image holds original pixel PERM[p]
WHERE = [
    int(p) for p in np.argsort(PERM)
]  # WHERE[i]: the position of original pixel i, [1, 3, 5, 4, 0, 2]


@register(
    "pix-unshuffle",
    reference=lambda: WHERE,
    planted=[
        (lambda: PERM, "inverse"),
        (lambda: list(range(6)), "move"),
        (lambda: [w + 1 for w in WHERE], "from 0"),
    ],
)
def check_unshuffle(answer):
    """[position in the output of the shuffled image of original pixel i, for i = 0..5]."""
    return compare_array(
        answer,
        WHERE,
        [
            (
                PERM,
                "that list says which original pixel sits at each position of the shuffled image; the question asks "
                "the reverse, where each original pixel went: the inverse permutation (np.argsort(perm)).",
            ),
            (
                list(range(6)),
                "the outputs do not stay in place: y(shuffled x) = shuffled y(x), so each output moves with "
                "its pixel.",
            ),
            (
                [w + 1 for w in WHERE],
                "positions are counted from 0, as Python indexes.",
            ),
        ],
        shape_hints={
            (1,): "give six positions, one per original pixel 0..5."
        },
        what="a list of six positions",
    )


# ------------------------------------------------------------ parameters of a non-local block
CNL = 256
CI = CNL // 2
NL_PARAMS = 4 * CNL * CI + 3 * CI + CNL  # 131,712


@register(
    "pix-nonlocal-params",
    reference=lambda: NL_PARAMS,
    planted=[
        (lambda: 4 * CNL * CI, "bias"),
        (lambda: 3 * (CNL * CI + CI), "W_z"),
        (lambda: 4 * CNL * CNL + 4 * CNL, "C' = C / 2"),
        (lambda: NL_PARAMS + 196**2, "computed"),
    ],
)
def check_nonlocal_params(answer):
    """Parameters of a non-local block with C = 256, C' = 128 (1x1 convolutions with biases)."""
    return compare_number(
        answer,
        NL_PARAMS,
        [
            (
                4 * CNL * CI,
                "you counted the weights only; every 1x1 convolution also has a bias per output channel: "
                "C' each for theta, phi, g and C for W_z.",
            ),
            (
                3 * (CNL * CI + CI),
                "that is theta, phi and g; add the output convolution W_z, C' -> C with bias "
                "(C' C + C parameters).",
            ),
            (
                4 * CNL * CNL + 4 * CNL,
                "theta, phi and g map to C' = C / 2 = 128 channels, not to C, and W_z maps back "
                "from C' to C.",
            ),
            (
                NL_PARAMS + 196**2,
                "the attention matrix is computed from the input at every forward pass, not learned: "
                "it holds no parameters.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ where attention overtakes a 3x3 convolution
CX, DX = 64, 32  # C channels; d = C_v = C / 2


def _smallest_side(cost_att, cost_conv):
    return next(s for s in range(1, 1000) if cost_att(s) > cost_conv(s))


CROSS_SIDE = _smallest_side(
    lambda s: cost.attention_macs(s, s, CX, d=DX, c_v=DX),
    lambda s: 9 * s * s * CX * CX,
)  # 22
_SIDE_SAME_D = _smallest_side(
    lambda s: cost.attention_macs(s, s, CX),
    lambda s: 9 * s * s * CX * CX,
)  # 14
_SIDE_NO_PROJ = _smallest_side(
    lambda s: (s * s) ** 2 * 2 * DX, lambda s: 9 * s * s * CX * CX
)  # 25
# the costs are equal where n^2 (d + C_v) + n C (2d + C_v) = 9 n C^2, i.e. at n = C (9C - 2d - C_v) / (d + C_v)
_N_STAR = CX * (9 * CX - 3 * DX) // (2 * DX)  # 480


@register(
    "pix-crossover-side",
    reference=lambda: CROSS_SIDE,
    planted=[
        (lambda: _SIDE_SAME_D, "C / 2"),
        (lambda: _SIDE_NO_PROJ, "projections"),
        (lambda: _N_STAR + 1, "side"),
        (lambda: _N_STAR, "pixels"),
        (lambda: CROSS_SIDE - 1, "round the square root up"),
    ],
)
def check_crossover_side(answer):
    """Smallest side s of a square image on which self-attention (C = 64, d = C_v = 32) needs more
    multiply-adds than a 3x3 convolution from C to C channels."""
    return compare_number(
        answer,
        CROSS_SIDE,
        [
            (
                _SIDE_SAME_D,
                "that is the crossover for d = C_v = C (n > 3C); here d = C_v = C / 2 = 32, which makes the "
                "n^2 terms cheaper and moves the crossover to larger images.",
            ),
            (
                _SIDE_NO_PROJ,
                "the projections q = W_q x, k = W_k x, v = W_v x count too: n C (2d + C_v) multiply-adds.",
            ),
            (
                _N_STAR + 1,
                "n is the number of pixels, s * s, not the side s: the n^2 terms grow with the fourth power of "
                "the side.",
            ),
            (
                _N_STAR,
                "480 is the number of pixels where the two costs are equal; the question asks the side of the "
                "smallest square image with more pixels than that.",
            ),
            (
                CROSS_SIDE - 1,
                f"at {CROSS_SIDE - 1}x{CROSS_SIDE - 1} the image has {(CROSS_SIDE - 1) ** 2} pixels, fewer "
                f"than the crossover: round the square root up.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ memory of the attention matrices
BATCH, HEADS, SIDE_MEM = 8, 2, 56
N_MEM = SIDE_MEM * SIDE_MEM
MEMORY = BATCH * HEADS * N_MEM**2 * 4  # 629,407,744 bytes


@register(
    "pix-attention-memory",
    reference=lambda: MEMORY,
    planted=[
        (lambda: BATCH * HEADS * N_MEM * 4, "n^2"),
        (lambda: MEMORY * 2, "4 bytes"),
        (lambda: MEMORY // HEADS, "head"),
        (lambda: MEMORY // BATCH, "batch"),
        (lambda: MEMORY * 8, "bits"),
    ],
)
def check_attention_memory(answer):
    """Bytes of the float32 attention matrices of a batch of 8 images of 56x56 pixels, 2 heads."""
    return compare_number(
        answer,
        MEMORY,
        [
            (
                BATCH * HEADS * N_MEM * 4,
                "the attention matrix of one image and one head is n x n: n^2 = 3136^2 entries, "
                "not n.",
            ),
            (MEMORY * 2, "a float32 number takes 4 bytes (8 is float64)."),
            (
                MEMORY // HEADS,
                "each head has its own n x n matrix: multiply by the 2 heads.",
            ),
            (
                MEMORY // BATCH,
                "each of the 8 images of the batch has its own matrices.",
            ),
            (
                MEMORY * 8,
                "that is in bits; the question asks bytes (8 bits each).",
            ),
        ],
        rtol=0,
        atol=0.5,
    )
