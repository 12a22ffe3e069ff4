"""convlab.filters: kernel conventions and signs, gradients, the sample photograph."""

import re

import numpy as np
import pytest
import scipy.ndimage as ndi
from hypothesis import given, settings, strategies as st

from convlab import filters, ops, separable


def test_sobel_and_prewitt_are_smoothing_times_difference():
    np.testing.assert_array_equal(
        filters.SOBEL_X, np.outer([1, 2, 1], [-1, 0, 1])
    )
    np.testing.assert_array_equal(
        filters.SOBEL_Y, np.outer([-1, 0, 1], [1, 2, 1])
    )
    np.testing.assert_array_equal(
        filters.PREWITT_X, np.outer([1, 1, 1], [-1, 0, 1])
    )
    np.testing.assert_array_equal(filters.PREWITT_Y, filters.PREWITT_X.T)
    for name in ("sobel_x", "sobel_y", "prewitt_x", "prewitt_y"):
        assert separable.kernel_rank(filters.KERNELS[name]) == 1, name
    assert separable.kernel_rank(filters.LAPLACIAN_4) == 2


def test_kernels_are_read_only():
    with pytest.raises(ValueError):
        filters.SOBEL_X[0, 0] = 5.0


@settings(max_examples=100, deadline=None)
@given(
    slope_x=st.floats(-5, 5),
    slope_y=st.floats(-5, 5),
    offset=st.floats(-3, 3),
    h=st.integers(3, 8),
    w=st.integers(3, 8),
)
def test_gradient_of_a_linear_ramp_is_constant(
    slope_x, slope_y, offset, h, w
):
    i, j = np.mgrid[0:h, 0:w]
    X = (
        offset + slope_x * j + slope_y * i
    )  # x = column (right), y = row (down)
    for op, scale in (("sobel", 8), ("prewitt", 6)):
        for mode in ("valid", "same"):
            gx, gy = filters.gradient_components(X, op, mode)
            inner = (
                (slice(None), slice(None))
                if mode == "valid"
                else (slice(1, -1), slice(1, -1))
            )
            np.testing.assert_allclose(
                gx[inner], scale * slope_x, atol=1e-9
            )
            np.testing.assert_allclose(
                gy[inner], scale * slope_y, atol=1e-9
            )
    mag, direction = filters.gradient(X)
    np.testing.assert_allclose(
        mag, 8 * np.hypot(slope_x, slope_y), atol=1e-9
    )
    if np.hypot(slope_x, slope_y) > 1e-3:
        np.testing.assert_allclose(
            np.cos(direction - np.arctan2(slope_y, slope_x)), 1.0, atol=1e-9
        )


def test_direction_points_to_brighter_side():
    i, j = np.mgrid[0:5, 0:5].astype(float)
    right, down = filters.gradient(j)[1], filters.gradient(i)[1]
    np.testing.assert_allclose(right, 0.0)
    np.testing.assert_allclose(down, np.pi / 2)
    np.testing.assert_allclose(filters.gradient(-j)[1], np.pi)


def test_laplacian_responses():
    i, j = np.mgrid[0:5, 0:6].astype(float)
    np.testing.assert_allclose(
        ops.corr2d(3 * j + 2 * i, filters.LAPLACIAN_4), 0.0, atol=1e-12
    )
    np.testing.assert_allclose(ops.corr2d(j**2, filters.LAPLACIAN_4), 2.0)
    np.testing.assert_allclose(
        ops.corr2d(j**2 + i**2, filters.LAPLACIAN_8), 12.0
    )


def test_scipy_sobel_matches_and_convolve_flips_the_sign():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(7, 9))
    gx = ops.corr2d(X, filters.SOBEL_X)
    np.testing.assert_allclose(
        ndi.sobel(X, axis=1)[1:-1, 1:-1], gx
    )  # scipy correlates along axis 1
    np.testing.assert_allclose(
        ndi.sobel(X, axis=0)[1:-1, 1:-1], ops.corr2d(X, filters.SOBEL_Y)
    )
    np.testing.assert_allclose(
        ndi.correlate(X, filters.SOBEL_X)[1:-1, 1:-1], gx
    )
    np.testing.assert_allclose(
        ndi.convolve(X, filters.SOBEL_X)[1:-1, 1:-1], -gx
    )  # the flip negates it


def test_same_mode_has_no_false_edge_at_a_constant_border():
    gx, gy = filters.gradient_components(np.ones((5, 6)), mode="same")
    assert gx.shape == (5, 6) and np.all(gx == 0) and np.all(gy == 0)


def test_load_sample_image_range_and_sizes():
    full = filters.load_sample_image()
    assert full.shape == (600, 512) and full.dtype == np.float64
    assert 0.0 <= full.min() and full.max() <= 1.0
    assert filters.load_sample_image(size=150).shape == (150, 128)
    small = filters.load_sample_image(size=(150, 128))
    assert (
        small.shape == (150, 128)
        and 0.0 <= small.min()
        and small.max() <= 1.0
    )
    np.testing.assert_allclose(
        small.mean(), full.mean(), atol=1e-3
    )  # box averaging keeps the mean
    np.testing.assert_allclose(small[0, 0], full[:4, :4].mean(), atol=1e-5)
    assert "grace_hopper.jpg" in filters.sample_image_names()
    assert filters.load_sample_image("logo2.png", size=20).shape[0] == 20


# ------------------------------------------------------------------ bad input
def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_gradient_rejects_colour_image():
    with raises(
        ValueError,
        "gradient_components: image must have shape (height, width): one grayscale channel",
    ):
        filters.gradient(np.zeros((5, 5, 3)))


def test_gradient_rejects_tiny_image():
    with raises(
        ValueError,
        "gradient_components: the image (2, 5) is smaller than the 3x3 kernels",
    ):
        filters.gradient(np.zeros((2, 5)))


def test_gradient_rejects_unknown_operator():
    with raises(
        ValueError,
        "gradient_components: operator must be one of ('sobel', 'prewitt'), got 'canny'",
    ):
        filters.gradient(np.zeros((5, 5)), operator="canny")


def test_gradient_rejects_unknown_mode():
    with raises(
        ValueError,
        "gradient_components: mode must be one of ('valid', 'same'), got 'full'",
    ):
        filters.gradient_components(np.zeros((5, 5)), mode="full")


def test_gradient_rejects_text():
    with raises(
        TypeError, "gradient_components: image must hold real numbers"
    ):
        filters.gradient(np.array([["a"] * 3] * 3))


def test_load_unknown_image():
    with raises(
        ValueError,
        "load_sample_image: no sample image called 'lena.png'; choose one of",
    ):
        filters.load_sample_image("lena.png")


def test_load_with_bad_size():
    with raises(
        ValueError,
        "load_sample_image: size must be a positive int (at least 1), got 0",
    ):
        filters.load_sample_image(size=0)


def test_load_with_float_size():
    with raises(
        TypeError, "load_sample_image: size must be an int, got float 1.5"
    ):
        filters.load_sample_image(size=1.5)
