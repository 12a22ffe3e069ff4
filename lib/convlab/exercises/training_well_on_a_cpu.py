"""Checkers for chapter 26, "Training well on a CPU".

Exercise ids: ``tcpu-f16-limits``, ``tcpu-underflow-share``, ``tcpu-soften``,
``tcpu-kd-loss``.
"""

from __future__ import annotations

import numpy as np
import torch

from .. import distillation as kd
from .. import precision as prec
from .compare import compare_array, compare_number
from .registry import register

# Exercise 1: float16's smallest positive normal and subnormal numbers.
F16 = prec.float_format(torch.float16)
BF16 = prec.float_format(torch.bfloat16)
F16_LIMITS = [F16.smallest_normal, F16.smallest_subnormal]  # 2^-14, 2^-24
F16_SWAPPED = F16_LIMITS[::-1]
F16_NO_ONE = [2.0**-15, 2.0**-25]  # 2^-b instead of 2^(1-b)
F16_EPS = [F16.eps, F16.eps * F16.smallest_normal]
BF16_LIMITS = [BF16.smallest_normal, BF16.smallest_subnormal]


@register(
    "tcpu-f16-limits",
    reference=lambda: list(F16_LIMITS),
    planted=[
        (lambda: list(F16_SWAPPED), "swapped"),
        (lambda: list(F16_NO_ONE), "1 - b"),
        (lambda: list(F16_EPS), "epsilon"),
        (lambda: list(BF16_LIMITS), "bfloat16"),
        (lambda: F16.smallest_normal, "two numbers"),
        (lambda: None, "no answer yet"),
    ],
)
def check_f16_limits(answer):
    """[smallest positive normal, smallest positive subnormal] of float16."""
    return compare_array(
        answer,
        F16_LIMITS,
        diagnoses=[
            (
                F16_SWAPPED,
                "the two numbers are swapped: the normal one comes first, "
                "and it is the larger one.",
            ),
            (
                F16_NO_ONE,
                "both are half the right value: the smallest normal "
                "exponent is 1 - b (with b = 15), not -b.",
            ),
            (
                F16_EPS,
                "the first number is float16's epsilon 2^-10, the gap "
                "after 1, not the smallest normal number 2^(1 - b).",
            ),
            (
                BF16_LIMITS,
                "those are bfloat16's limits (8 exponent bits, b = 127); "
                "float16 has 5 exponent bits, b = 15.",
            ),
        ],
        atol=0.0,
        rtol=1e-3,
        shape_hints={
            (): "give two numbers, [smallest normal, smallest subnormal]."
        },
        what="two numbers [smallest normal, smallest subnormal]",
    )


# Exercise 2: the share of gradient entries flushed to zero at scale S.
_rng = np.random.default_rng(26)
G2 = _rng.choice([-1.0, 1.0], 400) * 10.0 ** _rng.uniform(-12, -3, 400)
S2 = 2.0**8
SHARE2 = prec.underflow_fraction(G2, torch.float16, S2)
SHARE2_UNSCALED = prec.underflow_fraction(G2, torch.float16)
_scaled = np.abs(G2) * S2
SHARE2_BELOW_SUB = float(np.mean(_scaled < F16.smallest_subnormal))
SHARE2_BELOW_NORMAL = float(np.mean(_scaled < F16.smallest_normal))
COUNT2 = int(round(SHARE2 * G2.size))


def _share_planted():
    planted = [
        (lambda: SHARE2_UNSCALED, "scale"),
        (lambda: SHARE2_BELOW_NORMAL, "subnormal"),
        (lambda: 100 * SHARE2, "percent"),
        (lambda: None, "no answer yet"),
    ]
    if abs(SHARE2_BELOW_SUB - SHARE2) > 1e-9:
        planted.append((lambda: SHARE2_BELOW_SUB, "half"))
    return planted


@register(
    "tcpu-underflow-share",
    reference=lambda: SHARE2,
    planted=_share_planted(),
)
def check_underflow_share(answer):
    """Share of the entries of G2 that a float16 cast of S2 * G2 turns into 0."""
    diagnoses = [
        (
            SHARE2_UNSCALED,
            "that is the share without the loss scale; multiply the "
            "gradients by S = 2^8 before casting.",
        ),
        (
            SHARE2_BELOW_NORMAL,
            "that counts everything below the smallest *normal* number; "
            "subnormal numbers are not zero, they only keep fewer bits.",
        ),
        (
            100 * SHARE2,
            "that looks like a percentage; give the share as a fraction "
            "between 0 and 1.",
        ),
    ]
    if abs(SHARE2_BELOW_SUB - SHARE2) > 1e-9:
        diagnoses.append(
            (
                SHARE2_BELOW_SUB,
                "a cast rounds to the nearest float16: only numbers below "
                "half the smallest subnormal become 0.",
            )
        )
    return compare_number(answer, SHARE2, diagnoses=diagnoses, rtol=1e-6)


# Exercise 3: softened probabilities at temperature T.
LOGITS3 = np.array([4.0, 1.0, 0.0, -2.0])
T3 = 4.0


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


SOFT3 = kd.soften(torch.tensor(LOGITS3), T3).numpy()
SOFT3_T1 = _softmax(LOGITS3)
SOFT3_TIMES = _softmax(LOGITS3 * T3)
SOFT3_NO_EXP = (LOGITS3 / T3) / (LOGITS3 / T3).sum()


@register(
    "tcpu-soften",
    reference=lambda: SOFT3.copy(),
    planted=[
        (lambda: SOFT3_T1.copy(), "T = 1"),
        (lambda: SOFT3_TIMES.copy(), "divide"),
        (lambda: SOFT3_NO_EXP.copy(), "exponentiates"),
        (lambda: SOFT3[:2].copy(), "four"),
        (lambda: None, "no answer yet"),
    ],
)
def check_soften(answer):
    """softmax(LOGITS3 / T3), four probabilities."""
    return compare_array(
        answer,
        SOFT3,
        diagnoses=[
            (
                SOFT3_T1,
                "that is the ordinary softmax (T = 1); divide the logits "
                "by T = 4 first.",
            ),
            (
                SOFT3_TIMES,
                "you multiplied the logits by T; softening divides them by "
                "T, which makes the distribution flatter, not sharper.",
            ),
            (
                SOFT3_NO_EXP,
                "a softmax exponentiates before normalising: "
                "exp(z_k / T) / sum_j exp(z_j / T).",
            ),
        ],
        atol=1e-4,
        rtol=1e-3,
        shape_hints={
            (2,): "give all four probabilities, one per class.",
            (): "give all four probabilities, one per class.",
        },
        what="four probabilities",
    )


# Exercise 4: the distillation loss of one example.
Z4 = np.array([2.0, 0.5, -1.0])  # student logits
V4 = np.array([3.0, 2.0, -2.0])  # teacher logits
Y4, T4, ALPHA4 = 0, 2.0, 0.5


def _loss(
    z, v, t=T4, alpha=ALPHA4, square=True, reverse=False, soft_ce=False
):
    q = _softmax(np.asarray(z) / t)
    p = _softmax(np.asarray(v) / t)
    if soft_ce:
        soft = -(p * np.log(q)).sum()
    elif reverse:
        soft = (q * (np.log(q) - np.log(p))).sum()
    else:
        soft = (p * (np.log(p) - np.log(q))).sum()
    hard = -np.log(_softmax(np.asarray(z))[Y4])
    factor = t * t if square else 1.0
    return float(alpha * factor * soft + (1 - alpha) * hard)


KD4 = float(
    kd.distillation_loss(
        torch.tensor(Z4[None]),
        torch.tensor(V4[None]),
        torch.tensor([Y4]),
        T4,
        ALPHA4,
    )
)
KD4_NO_T2 = _loss(Z4, V4, square=False)
KD4_REVERSED = _loss(Z4, V4, reverse=True)
KD4_SOFT_CE = _loss(Z4, V4, soft_ce=True)
KD4_HARD_ONLY = _loss(Z4, V4, alpha=0.0)


@register(
    "tcpu-kd-loss",
    reference=lambda: KD4,
    planted=[
        (lambda: KD4_NO_T2, "T^2"),
        (lambda: KD4_REVERSED, "wrong way round"),
        (lambda: KD4_SOFT_CE, "entropy"),
        (lambda: KD4_HARD_ONLY, "soft term"),
        (lambda: None, "no answer yet"),
    ],
)
def check_kd_loss(answer):
    """alpha T^2 KL(p_T(V4) || p_T(Z4)) + (1 - alpha) CE(Z4, Y4)."""
    return compare_number(
        answer,
        KD4,
        diagnoses=[
            (
                KD4_NO_T2,
                "the soft term is missing its factor T^2 = 4 (it keeps "
                "the soft gradients' size independent of T).",
            ),
            (
                KD4_REVERSED,
                "the KL divergence is the wrong way round: the teacher's "
                "p_T(v) is the distribution that weights the log ratio, "
                "KL(p || q) = sum p log(p / q).",
            ),
            (
                KD4_SOFT_CE,
                "that uses the cross-entropy with the soft targets, which "
                "exceeds the KL divergence by the teacher's entropy; "
                "subtract sum p log p (or use KL directly).",
            ),
            (
                KD4_HARD_ONLY,
                "that is only the hard-label cross-entropy; add the soft "
                "term alpha T^2 KL with alpha = 0.5.",
            ),
        ],
        rtol=1e-4,
    )
