"""convlab.fourier: circular convolution, FFT convolution and frequency responses,
checked against their definitions, np.convolve and np.fft (float64)."""

import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import fourier, ops
from strategies import FINITE
from tolerances import SAME_SUM, THROUGH_TRANSFORM


def vectors(min_size=1, max_size=16):
    return st.integers(min_size, max_size).flatmap(
        lambda n: arrays(np.float64, n, elements=FINITE)
    )


@st.composite
def signal_and_shorter_kernel(draw):
    x = draw(vectors())
    k = draw(vectors(1, len(x)))
    return x, k


@settings(max_examples=200, deadline=None)
@given(signal_and_shorter_kernel())
def test_circular_conv1d_matches_its_definition(xk):
    x, k = xk
    n_period = len(x)
    kp = np.concatenate([k, np.zeros(n_period - len(k))])
    by_definition = [
        sum(x[m] * kp[(n - m) % n_period] for m in range(n_period))
        for n in range(n_period)
    ]
    np.testing.assert_allclose(
        fourier.circular_conv1d(x, k), by_definition, **SAME_SUM
    )


@settings(max_examples=200, deadline=None)
@given(signal_and_shorter_kernel())
def test_convolution_theorem_for_circular_convolution(xk):
    x, k = xk
    y = fourier.circular_conv1d(x, k)
    np.testing.assert_allclose(
        np.fft.fft(y),
        np.fft.fft(x) * np.fft.fft(k, len(x)),
        **THROUGH_TRANSFORM,
    )


@settings(max_examples=200, deadline=None)
@given(signal_and_shorter_kernel())
def test_circular_is_full_linear_convolution_wrapped_around(xk):
    x, k = xk
    full = ops.conv1d(x, k, "full")
    wrapped = full[: len(x)].copy()
    wrapped[: len(full) - len(x)] += full[
        len(x) :
    ]  # the tail folds back onto the start
    np.testing.assert_allclose(
        fourier.circular_conv1d(x, k), wrapped, **SAME_SUM
    )


@settings(max_examples=200, deadline=None)
@given(x=vectors(), k=vectors())
def test_conv1d_fft_equals_np_convolve_and_conv1d(x, k):
    got = fourier.conv1d_fft(x, k)
    assert got.shape == (len(x) + len(k) - 1,)
    np.testing.assert_allclose(
        got, np.convolve(x, k, "full"), **THROUGH_TRANSFORM
    )
    np.testing.assert_allclose(
        got, ops.conv1d(x, k, "full"), **THROUGH_TRANSFORM
    )


@settings(max_examples=100, deadline=None)
@given(signal_and_shorter_kernel(), st.integers(-20, 20))
def test_circular_convolution_is_exactly_shift_equivariant(xk, s):
    x, k = xk
    np.testing.assert_allclose(
        fourier.circular_conv1d(np.roll(x, s), k),
        np.roll(fourier.circular_conv1d(x, k), s),
        **SAME_SUM,
    )


@settings(max_examples=100, deadline=None)
@given(k=vectors(1, 12), half=st.integers(6, 20))
def test_frequency_response_samples_the_dft(k, half):
    # With N = 2 * half, the grid w = pi f / half = 2 pi f / N holds the DFT frequencies
    # f = 0 ... N/2, where the DTFT equals the N-point DFT of the zero-padded kernel.
    n_fft = 2 * half
    omega, H = fourier.frequency_response(k, half + 1)
    np.testing.assert_allclose(
        omega, 2 * np.pi * np.arange(half + 1) / n_fft, rtol=1e-12
    )
    np.testing.assert_allclose(
        H, np.fft.fft(k, n_fft)[: half + 1], **THROUGH_TRANSFORM
    )


@settings(max_examples=100, deadline=None)
@given(k=vectors(1, 12))
def test_frequency_response_at_zero_and_pi(k):
    omega, H = fourier.frequency_response(k, 9)
    assert omega[0] == 0 and omega[-1] == pytest.approx(np.pi)
    signs = (-1.0) ** np.arange(len(k))
    np.testing.assert_allclose(H[0], k.sum(), **SAME_SUM)
    np.testing.assert_allclose(
        H[-1], np.sum(signs * k), **THROUGH_TRANSFORM
    )


@settings(max_examples=100, deadline=None)
@given(k=vectors(1, 8), j=st.integers(0, 32))
def test_a_cosine_comes_out_scaled_by_abs_H_and_shifted_by_angle_H(k, j):
    omega, H = fourier.frequency_response(k, 33)
    w0, H0 = omega[j], H[j]
    n = np.arange(40)
    y = ops.conv1d(
        np.cos(w0 * n), k, "valid"
    )  # only outputs that see a full window
    n_valid = n[len(k) - 1 :]
    np.testing.assert_allclose(
        y,
        np.abs(H0) * np.cos(w0 * n_valid + np.angle(H0)),
        **THROUGH_TRANSFORM,
    )


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_circular_conv1d_rejects_a_kernel_longer_than_the_period():
    with raises(
        ValueError,
        "circular_conv1d: the kernel has 5 taps but the period is len(x) = 3",
    ):
        fourier.circular_conv1d([1, 2, 3], [1, 1, 1, 1, 1])


def test_circular_conv1d_rejects_2d_input():
    with raises(
        ValueError,
        "circular_conv1d: x must have shape (n,), but it has 2 dimensions",
    ):
        fourier.circular_conv1d(np.zeros((2, 2)), [1.0])


def test_circular_conv1d_rejects_empty_kernel():
    with raises(ValueError, "circular_conv1d: k is empty"):
        fourier.circular_conv1d([1.0, 2.0], [])


def test_conv1d_fft_rejects_none():
    with raises(TypeError, "conv1d_fft: x is None"):
        fourier.conv1d_fft(None, [1.0])


def test_conv1d_fft_rejects_complex_kernel():
    with raises(TypeError, "conv1d_fft: k is complex"):
        fourier.conv1d_fft([1.0, 2.0], np.array([1j]))


def test_frequency_response_rejects_float_n_points():
    with raises(
        TypeError,
        "frequency_response: n_points must be an int, got float 10.5",
    ):
        fourier.frequency_response([1.0], 10.5)


def test_frequency_response_rejects_bool_n_points():
    with raises(
        TypeError,
        "frequency_response: n_points must be an int, got bool True",
    ):
        fourier.frequency_response([1.0], True)


def test_frequency_response_rejects_too_few_points():
    with raises(
        ValueError, "frequency_response: n_points must be at least 2"
    ):
        fourier.frequency_response([1.0], 1)


def test_frequency_response_rejects_text_kernel():
    with raises(TypeError, "frequency_response: k must hold real numbers"):
        fourier.frequency_response(np.array(["a", "b"]))
