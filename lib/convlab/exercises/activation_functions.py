"""Checkers for chapter 25, "Activation functions"."""

from __future__ import annotations

import math

import numpy as np

from .. import activations as act
from .compare import compare_function, compare_number
from .registry import register

# Exercise 1: GELU(1) = 1 * Phi(1).
GELU_1 = float(act.activation("gelu", 1.0))  # 0.841345
GELU_1_TANH = 0.5 * (
    1 + math.tanh(math.sqrt(2 / math.pi) * (1 + 0.044715))
)  # 0.841192, the tanh formula
SILU_1 = float(act.activation("silu", 1.0))  # 0.731059


@register(
    "act-gelu-at-1",
    reference=lambda: GELU_1,
    planted=[
        (lambda: SILU_1, "SiLU"),
        (lambda: 1.0, "ReLU"),
        (lambda: GELU_1_TANH, "tanh"),
        (lambda: None, "no answer yet"),
    ],
)
def check_gelu_at_1(answer):
    """GELU(1) = 1 * Phi(1), to 4 significant digits."""
    return compare_number(
        answer,
        GELU_1,
        diagnoses=[
            (
                SILU_1,
                "that is SiLU(1) = 1 * sigmoid(1); GELU weights z by the "
                "normal CDF Phi(z), not by the sigmoid.",
            ),
            (
                1.0,
                "that is ReLU(1); GELU multiplies z by Phi(z) < 1, so "
                "GELU(1) is a little less than 1.",
            ),
            (
                GELU_1_TANH,
                "that is the tanh approximation of GELU; the exact GELU "
                "uses Phi(1) = (1 + erf(1 / sqrt 2)) / 2.",
            ),
        ],
        rtol=5e-5,
    )


# Exercise 2: the slope of ELU (alpha = 1) at z = -2.
ELU_SLOPE = float(act.derivative("elu", -2.0))  # e^-2 = 0.135335


@register(
    "act-elu-slope",
    reference=lambda: ELU_SLOPE,
    planted=[
        (lambda: float(act.activation("elu", -2.0)), "value"),
        (lambda: 0.0, "ReLU"),
        (lambda: 1.0, "exponential side"),
        (lambda: None, "no answer yet"),
    ],
)
def check_elu_slope(answer):
    """ELU'(-2) with alpha = 1: alpha * e^(-2)."""
    return compare_number(
        answer,
        ELU_SLOPE,
        diagnoses=[
            (
                float(act.activation("elu", -2.0)),
                "that is the value ELU(-2) = e^-2 - 1, not its slope; "
                "differentiate alpha (e^z - 1).",
            ),
            (
                0.0,
                "that is ReLU's slope for z < 0; ELU keeps a slope "
                "alpha e^z there.",
            ),
            (
                1.0,
                "that is the slope for z > 0; at z = -2 ELU is on its "
                "exponential side.",
            ),
        ],
        rtol=5e-5,
    )


# Exercise 3: write SiLU's derivative.
SILU_CASES = [
    (np.array([-3.0, -1.0, 0.5, 2.0]),),
    (np.linspace(-6.0, 6.0, 25),),
    (np.array([0.0]),),
]


def _sigmoid(z):
    return 1 / (1 + np.exp(-np.asarray(z, float)))


def _silu_grad_no_product_rule(z):
    return _sigmoid(z)


def _silu_grad_sigmoid_slope(z):
    s = _sigmoid(z)
    return np.asarray(z, float) * s * (1 - s)


@register(
    "act-write-silu-grad",
    reference=lambda: lambda z: act.derivative("silu", z),
    planted=[
        (lambda: _silu_grad_no_product_rule, "product rule"),
        (lambda: _silu_grad_sigmoid_slope, "first term"),
        (lambda: lambda z: act.activation("silu", z), "SiLU itself"),
        (lambda: None, "no answer yet"),
    ],
)
def check_write_silu_grad(answer):
    """silu_grad(z) = sigma(z) (1 + z (1 - sigma(z))), element-wise."""
    return compare_function(
        answer,
        SILU_CASES,
        lambda z: act.derivative("silu", z),
        diagnoses=[
            (
                _silu_grad_no_product_rule,
                "you returned sigma(z): SiLU is a product, z * sigma(z); "
                "the product rule adds z * sigma'(z).",
            ),
            (
                _silu_grad_sigmoid_slope,
                "you kept only z * sigma'(z); the product rule also gives "
                "the first term, sigma(z) * 1.",
            ),
            (
                lambda z: act.activation("silu", z),
                "that is SiLU itself, z sigma(z), not its derivative.",
            ),
        ],
        atol=1e-9,
        rtol=1e-9,
    )


# Exercise 4: count the dead units in a matrix of pre-activations.
rng = np.random.default_rng(25)
Z4 = rng.normal(size=(6, 8)) + np.array([0, -3, 1, -4, 0, 0, -5, 2.0])
Z4[:, 3] = -np.abs(Z4[:, 3])  # never positive
Z4[2, 6] = 0.0  # zero is not positive either
Z4[:, 6] = np.minimum(Z4[:, 6], 0.0)
DEAD4 = int((Z4.max(axis=0) <= 0).sum())
DEAD4_STRICT = int((Z4.max(axis=0) < 0).sum())
DEAD4_ROWS = int((Z4.max(axis=1) <= 0).sum())
DEAD4_ENTRIES = int((Z4 <= 0).sum())


@register(
    "act-count-dead",
    reference=lambda: DEAD4,
    planted=[
        (lambda: DEAD4_ENTRIES, "entries"),
        (lambda: None, "no answer yet"),
    ]
    + ([(lambda: DEAD4_ROWS, "examples")] if DEAD4_ROWS != DEAD4 else [])
    + (
        [(lambda: DEAD4_STRICT, "exactly 0")]
        if DEAD4_STRICT != DEAD4
        else []
    ),
)
def check_count_dead(answer):
    """The number of columns (units) of Z4 that are never > 0."""
    diagnoses = [
        (
            DEAD4_ENTRIES,
            "that counts the entries z <= 0; a unit is dead when it is "
            "not positive for any example: count columns whose maximum "
            "is <= 0.",
        )
    ]
    if DEAD4_ROWS != DEAD4:
        diagnoses.append(
            (
                DEAD4_ROWS,
                "you counted rows (examples); the units are the columns.",
            )
        )
    if DEAD4_STRICT != DEAD4:
        diagnoses.append(
            (
                DEAD4_STRICT,
                "a unit whose largest pre-activation is exactly 0 is dead "
                "too: ReLU's slope at 0 is 0 (use <= 0).",
            )
        )
    return compare_number(answer, DEAD4, diagnoses=diagnoses, rtol=0)
