"""Checkers for Part I, chapter 3, "Properties you can test".

prop-circular-by-hand    a circular convolution of period 4, computed by hand
prop-fft-length          the length to zero-pad to for linear convolution through the FFT
prop-separate-kernel     factor a rank-1 kernel as outer(u, v) (any valid scaling is accepted)
prop-shift-equivariance  write is_shift_equivariant(op, x, s) -> bool
"""

from __future__ import annotations

import numpy as np

from ..fourier import circular_conv1d
from ..ops import conv1d
from .compare import as_numbers, compare_array, compare_number, describe
from .feedback import CODE_NOTE, correct, wrong
from .registry import register

# --- prop-circular-by-hand ---------------------------------------------------
# x = [1, 2, 3, 4] and k = [2, 1], zero-padded to period N = 4:
# y[t] = sum_m x[m] k[(t - m) mod 4] = 2 x[t] + x[t - 1 mod 4].
CIRC_X = np.array([1.0, 2.0, 3.0, 4.0])
CIRC_K = np.array([2.0, 1.0])


def _circular_answer():
    return circular_conv1d(CIRC_X, CIRC_K)  # [6, 5, 8, 11]


def _circular_mistakes():
    full = conv1d(CIRC_X, CIRC_K)  # [2, 5, 8, 11, 4]
    no_flip = 2 * CIRC_X + np.roll(
        CIRC_X, -1
    )  # circular cross-correlation: 2 x[t] + x[t + 1]
    return [
        (
            full[:4],
            "you dropped the last value of the linear convolution instead of wrapping it around: "
            "in circular convolution y[4] lands on y[0] (index 4 mod 4 = 0).",
        ),
        (
            full,
            "that is the linear ('full') convolution, with 5 values. With period 4 there are only 4 outputs: "
            "fold the last one back onto y[0].",
        ),
        (
            no_flip,
            "you slid the kernel without flipping it (a circular cross-correlation, 2 x[t] + x[t+1]). "
            "Convolution uses k[(t - m) mod 4], so y[t] = 2 x[t] + x[t-1].",
        ),
        (
            np.roll(_circular_answer(), 1),
            "your values are right but shifted one place: y[0] = 2 x[0] + x[3].",
        ),
    ]


@register(
    "prop-circular-by-hand",
    reference=lambda: [6, 5, 8, 11],
    planted=[
        (lambda: [2, 5, 8, 11], "wrapping it around"),
        (lambda: [2, 5, 8, 11, 4], "linear ('full') convolution"),
        (lambda: [4, 7, 10, 9], "without flipping"),
        (lambda: [11, 6, 5, 8], "shifted one place"),
        (lambda: [6, 5, 8], "the shape is (3,)"),
    ],
)
def check_circular_by_hand(answer):
    return compare_array(
        answer,
        _circular_answer(),
        _circular_mistakes(),
        what="a list of 4 numbers, y[0] to y[3]",
    )


# --- prop-fft-length ---------------------------------------------------------
# an input of n = 100 samples and a kernel of n_k = 7 taps
FFT_N, FFT_N_K = 100, 7


@register(
    "prop-fft-length",
    reference=lambda: FFT_N + FFT_N_K - 1,
    planted=[
        (lambda: FFT_N, "wrap around"),
        (lambda: FFT_N + FFT_N_K, "one more than needed"),
        (lambda: 128, "power of two"),
        (lambda: FFT_N - FFT_N_K + 1, "'valid'"),
        (lambda: 105.5, "whole number"),
    ],
)
def check_fft_length(answer):
    return compare_number(
        answer,
        FFT_N + FFT_N_K - 1,
        [
            (
                FFT_N,
                "with no padding the FFT computes a circular convolution of period 100: the last 6 values "
                "of the linear result wrap around onto the first 6.",
            ),
            (
                FFT_N + FFT_N_K,
                "that works (the extra sample is a zero) but it is one more than needed: the full "
                "result has n + n_k - 1 values.",
            ),
            (
                128,
                "a power of two also works and can make the FFT faster, but the question asks for the smallest "
                "length that avoids wrap-around: the number of values of the full result.",
            ),
            (
                FFT_N - FFT_N_K + 1,
                "that is the length of the 'valid' output; the padding must leave room for the "
                "whole 'full' result.",
            ),
            (
                FFT_N - 1,
                "too short by one: the full result has n + n_k - 1 values and all must fit in one period.",
            ),
        ],
        rtol=0,
        atol=1e-9,
        whole="a length is a whole number of samples",
    )


# --- prop-separate-kernel ----------------------------------------------------
# Sobel for horizontal edges: a vertical derivative (column) times a horizontal smoothing (row).
SEP_U, SEP_V = np.array([1.0, 0.0, -1.0]), np.array([1.0, 2.0, 1.0])
SEP_K = np.outer(SEP_U, SEP_V)  # [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]


@register(
    "prop-separate-kernel",
    reference=lambda: [[2, 0, -2], [0.5, 1, 0.5]],
    planted=[
        (lambda: [[1, 2, 1], [1, 0, -1]], "swapped"),
        (lambda: [[1, 0, -1], [1, 2, 1], [0, 0, 0]], "two rows"),
        (lambda: [[1, 0, -1], [2, 4, 2]], "scaled by 2"),
        (lambda: [[-1, 0, 1], [1, 2, 1]], "sign"),
        (lambda: [[1, 1, 1], [1, 1, 1]], "not equal"),
    ],
)
def check_separate_kernel(answer):
    arr, problem = as_numbers(
        answer, "a pair [u, v] of two lists with 3 numbers each"
    )
    if problem is not None:
        return problem
    if arr.shape != (2, 3):
        return wrong(
            f"give two rows, [u, v], each with 3 numbers (shape (2, 3)); your answer has shape {arr.shape}."
        )
    u, v = arr
    K = np.outer(u, v)
    if np.allclose(K, SEP_K, atol=1e-9):
        return correct(
            "outer(u, v) reproduces the kernel. (Any (c u, v / c) with c != 0 is equally right.)"
        )
    if np.allclose(K, SEP_K.T, atol=1e-9):
        return wrong(
            "outer(u, v) gives the transposed kernel: you swapped u and v. u is the column "
            "(it runs down the rows), v is the row."
        )
    if np.allclose(K, -SEP_K, atol=1e-9):
        return wrong(
            "outer(u, v) is the kernel with the wrong sign: change the sign of u or of v."
        )
    scale = np.sum(K * SEP_K) / np.sum(
        SEP_K * SEP_K
    )  # least-squares factor c with K ~ c * SEP_K
    if abs(scale) > 1e-12 and np.allclose(K, scale * SEP_K, atol=1e-9):
        return wrong(
            f"outer(u, v) has the right pattern but is scaled by {scale:.4g}: divide u (or v) by {scale:.4g}."
        )
    return wrong(
        "outer(u, v) is not equal to the kernel. Row i of the kernel must be u[i] times v: "
        f"with your answer, row 0 is {np.array2string(K[0], precision=4, separator=', ')}."
    )


# --- prop-shift-equivariance -------------------------------------------------
def _reference_tester(op, x, s):
    return bool(np.allclose(op(np.roll(x, s)), np.roll(op(x), s)))


def _invariance_tester(
    op, x, s
):  # a typical mistake: tests invariance instead
    return bool(np.allclose(op(np.roll(x, s)), op(x)))


def _wrong_direction_tester(
    op, x, s
):  # a typical mistake: shifts the output back
    return bool(np.allclose(op(np.roll(x, s)), np.roll(op(x), -s)))


def _exact_equality_tester(
    op, x, s
):  # a typical mistake: == on floating-point results
    return bool(np.array_equal(op(np.roll(x, s)), np.roll(op(x), s)))


def _cases():
    """(description, op, x, s, why) with ops whose equivariance is known; ``why`` explains the answer."""
    rng = np.random.default_rng(3)
    x = rng.normal(size=10)
    k = rng.normal(size=10)
    k_short = np.array([1.0, -2.0, 0.5])

    def fft_circular(
        v,
    ):  # circular convolution through the FFT: equivariant, with round-off
        return np.fft.ifft(np.fft.fft(v) * np.fft.fft(k)).real

    ramp = np.arange(10.0)
    return [
        (
            "circular convolution through the FFT, s = 3",
            fft_circular,
            x,
            3,
            "circular convolution commutes with circular shifts (up to round-off).",
        ),
        (
            "squaring every sample, s = 2",
            np.square,
            x,
            2,
            "a sample-by-sample operation does the same thing everywhere, so it commutes with shifts.",
        ),
        (
            "conv1d(x, k, 'same') with zero padding, s = 2",
            lambda v: conv1d(v, k_short, "same"),
            x,
            2,
            "the samples that np.roll wraps around now meet zero padding, so outputs near the ends change.",
        ),
        (
            "multiplying by the ramp 0, 1, ..., 9, s = 1",
            lambda v: v * ramp,
            x,
            1,
            "the weight depends on the position, so a shifted input is weighted differently.",
        ),
        (
            "reversing the signal, s = 3",
            lambda v: v[::-1].copy(),
            x,
            3,
            "reversing turns a shift to the right into a shift to the left.",
        ),
        (
            "replacing every sample by the sum, s = 4",
            lambda v: np.full_like(v, v.sum()),
            x,
            4,
            "the sum does not change when x is rolled, and a constant output is unchanged by rolling too.",
        ),
        (
            "circular convolution through the FFT, s = -4",
            fft_circular,
            x,
            -4,
            "circular convolution commutes with circular shifts, in either direction.",
        ),
    ]


_TESTER_MISTAKES = [
    (
        _invariance_tester,
        "your function tests invariance (op(shifted x) == op(x)), not equivariance: the "
        "output should move with the input, op(shifted x) == shifted op(x).",
    ),
    (
        _wrong_direction_tester,
        "you shift the output the other way (by -s). Equivariance compares "
        "op(np.roll(x, s)) with np.roll(op(x), s), the same s.",
    ),
    (
        _exact_equality_tester,
        "you compare with exact equality; the FFT route differs from the exact result by "
        "round-off (about 1e-16), so use np.allclose.",
    ),
]


def _tester_reference():
    return _reference_tester


@register(
    "prop-shift-equivariance",
    reference=_tester_reference,
    planted=[
        (lambda: _invariance_tester, "invariance"),
        (lambda: _wrong_direction_tester, "other way"),
        (lambda: _exact_equality_tester, "np.allclose"),
        (lambda: lambda op, x, s: True, "meet zero padding"),
        (lambda: lambda op, x, s: False, "commutes with circular shifts"),
        (lambda: lambda op, x, s: "yes", "True or False"),
        (lambda: lambda op, x, s: None, "no answer yet"),
    ],
)
def check_shift_equivariance(func):
    if func is None:
        return wrong(
            "no answer yet (the function is None). Define is_shift_equivariant(op, x, s) and pass it in.",
            CODE_NOTE,
        )
    if not callable(func):
        return wrong(
            f"this exercise wants a function, but you gave {describe(func)}. "
            "Pass the function itself, without calling it."
        )
    cases = _cases()
    answers = []
    for description, op, x, s, _ in cases:
        try:
            result = func(op, x.copy(), s)
        except Exception as exc:  # the learner's code may fail in any way
            return wrong(
                f"your function raised {type(exc).__name__}: {exc} for the operation '{description}'."
            )
        if result is None:
            return wrong(
                f"no answer yet: your function returns None (for '{description}'). Compare the two "
                "orders and return True or False (if you did, look for a missing return statement).",
                CODE_NOTE,
            )
        if not isinstance(result, (bool, np.bool_)):
            return wrong(
                f"your function should return True or False, but it returned {describe(result)} "
                f"for '{description}'. (np.allclose returns a boolean.)"
            )
        answers.append(bool(result))
    expected = [_reference_tester(op, x, s) for _, op, x, s, _ in cases]
    if answers == expected:
        return correct(
            f"your function classifies all {len(cases)} test operations correctly."
        )
    for mistake, message in _TESTER_MISTAKES:
        if answers == [mistake(op, x, s) for _, op, x, s, _ in cases]:
            return wrong(message)
    first = next(
        i for i, (a, e) in enumerate(zip(answers, expected)) if a != e
    )
    description, why = cases[first][0], cases[first][4]
    return wrong(
        f"for the operation '{description}' your function says {answers[first]}, "
        f"but the right answer is {expected[first]}: {why}"
    )
