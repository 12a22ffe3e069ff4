"""Checkers for chapter 1, "Continuous convolution".

Exercise ids:

* ``cc-box-box-value``   the value of ``(box_2 * box_1)(0.8)`` (boxes of height 1, widths 2 and 1)
* ``cc-support-width``   the width of the support of ``box_3 * box_2``
* ``cc-gaussian-sigma``  the standard deviation of ``N(0, 0.5^2) * N(0, 1.2^2)``
* ``cc-area``            the area under ``box_2 * gaussian`` (normal density)
* ``cc-riemann``         a function ``riemann_box_decay(t, step)``: the midpoint
  Riemann sum of ``(box * decay)(t)`` over the box's support
"""

from __future__ import annotations

import math

import numpy as np

from ..continuous import box, box_conv_box, decay
from .compare import compare_function, compare_number
from .registry import register

# ----------------------------------------------------------------- box * box
A, B, T = 2.0, 1.0, 0.8  # widths of the two boxes and the time t


def _box_box_value():
    return float(box_conv_box(T, A, B))  # 0.7


@register(
    "cc-box-box-value",
    reference=_box_box_value,
    planted=[
        (lambda: 1 - abs(T), "unit triangle"),
        (lambda: A + B - abs(T), "half"),
        (lambda: min(A, B), "flat top"),
    ],
)
def check_box_box_value(answer):
    return compare_number(
        answer,
        _box_box_value(),
        [
            (
                1 - abs(T),
                "1 - |t| is the unit triangle, the convolution of two boxes of width 1; "
                "here the widths are 2 and 1, so the overlap is longer.",
            ),
            (
                A + B - abs(T),
                "the output starts to fall at |t| = |a - b| / 2 and reaches 0 at |t| = (a + b) / 2: "
                "use half of a + b, i.e. (a + b) / 2 - |t|.",
            ),
            (
                min(A, B),
                "min(a, b) is the height of the flat top, which only lasts while |t| <= |a - b| / 2 = 0.5; "
                "at t = 0.8 the boxes overlap less.",
            ),
            (
                A * B,
                "the overlap of the two boxes is a length, not a product of widths: slide the flipped box "
                "to t and measure how long both are 1.",
            ),
        ],
    )


# --------------------------------------------------------------- the support
WA, WB = 3.0, 2.0


@register(
    "cc-support-width",
    reference=lambda: WA + WB,
    planted=[
        (lambda: max(WA, WB), "wider"),
        (lambda: abs(WA - WB), "flat top"),
        (lambda: (WA + WB) / 2, "half"),
    ],
)
def check_support_width(answer):
    return compare_number(
        answer,
        WA + WB,
        [
            (
                max(WA, WB),
                "the output is wider than either box: it is non-zero as long as the shifted box still "
                "touches the other, from t = -(a + b) / 2 to t = (a + b) / 2.",
            ),
            (
                abs(WA - WB),
                "|a - b| is the width of the flat top (where the small box lies inside the big one); "
                "the support is where they overlap at all.",
            ),
            (
                (WA + WB) / 2,
                "(a + b) / 2 is half of the support: it runs from -(a + b) / 2 to +(a + b) / 2.",
            ),
            (
                WA * WB,
                "widths add under convolution, they do not multiply.",
            ),
        ],
    )


# ------------------------------------------------------- Gaussian * Gaussian
S1, S2 = 0.5, 1.2


@register(
    "cc-gaussian-sigma",
    reference=lambda: math.hypot(S1, S2),
    planted=[
        (lambda: S1 + S2, "standard deviations"),
        (lambda: S1**2 + S2**2, "variance"),
    ],
)
def check_gaussian_sigma(answer):
    return compare_number(
        answer,
        math.hypot(S1, S2),
        [
            (
                S1 + S2,
                "you added the standard deviations; it is the variances that add: sigma^2 = sigma_f^2 + sigma_g^2.",
            ),
            (
                S1**2 + S2**2,
                "that is the variance sigma^2; the question asks for the standard deviation sigma, "
                "its square root.",
            ),
            (S1 * S2, "sigmas do not multiply; the variances add."),
            (
                math.sqrt(S1 * S2),
                "sigmas do not multiply; the variances add.",
            ),
        ],
    )


# --------------------------------------------------------------------- areas
AREA_BOX = 2.0  # area of box(t, 2); the normal density has area 1


@register(
    "cc-area",
    reference=lambda: AREA_BOX * 1.0,
    planted=[
        (lambda: AREA_BOX + 1.0, "multiply"),
        (lambda: 1.0, "box"),
    ],
)
def check_area(answer):
    return compare_number(
        answer,
        AREA_BOX * 1.0,
        [
            (
                AREA_BOX + 1.0,
                "areas multiply under convolution: the integral of f * g is (integral of f) "
                "times (integral of g).",
            ),
            (
                1.0,
                "the Gaussian has area 1, but the box of width 2 and height 1 has area 2; "
                "the areas multiply.",
            ),
            (
                0.5,
                "the box has height 1 and width 2, so its area is 2, not 1/2.",
            ),
        ],
    )


# ----------------------------------------------------------- a Riemann sum
def riemann_box_decay(t, step):
    """Reference: step * sum_j box(tau_j) decay(t - tau_j), tau_j = -1/2 + (j + 1/2) step."""
    n = round(1.0 / step)
    tau = -0.5 + (np.arange(n) + 0.5) * step
    return step * np.sum(box(tau) * decay(t - tau))


def _no_step(t, step):
    return riemann_box_decay(t, step) / step


def _left_points(t, step):
    tau = -0.5 + np.arange(round(1.0 / step)) * step
    return step * np.sum(box(tau) * decay(t - tau))


def _not_flipped(t, step):
    tau = -0.5 + (np.arange(round(1.0 / step)) + 0.5) * step
    return step * np.sum(box(tau) * decay(tau - t))


RIEMANN_CASES = [(0.25, 0.1), (1.0, 0.05), (-0.2, 0.125), (2.0, 0.25)]


@register(
    "cc-riemann",
    reference=lambda: riemann_box_decay,
    planted=[
        (lambda: _no_step, "step"),
        (lambda: _left_points, "midpoint"),
        (lambda: _not_flipped, "flip"),
        (lambda: lambda t, step: np.full(3, 0.5), "shape"),
        (lambda: lambda t, step: None, "no answer yet"),
    ],
)
def check_riemann(func):
    return compare_function(
        func,
        RIEMANN_CASES,
        riemann_box_decay,
        [
            (
                _no_step,
                "the sum is missing the factor step (the width of each slice, d tau): "
                "a Riemann sum adds up areas of thin rectangles, height times width.",
            ),
            (
                _left_points,
                "you used the left end of each slice; the exercise asks for the midpoints "
                "tau_j = -1/2 + (j + 1/2) * step.",
            ),
            (
                _not_flipped,
                "you computed decay(tau - t); convolution needs g flipped and shifted, decay(t - tau) "
                "(decay(tau - t) gives the cross-correlation).",
            ),
        ],
        atol=1e-9,
        rtol=1e-9,
    )
