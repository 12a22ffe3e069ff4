"""convlab.separable: rank tests, factoring rank-1 kernels, two-pass filtering."""

import re

import numpy as np
import pytest
from hypothesis import assume, given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import ops, separable
from strategies import FINITE
from tolerances import THROUGH_TRANSFORM

away_from_zero = FINITE.filter(lambda v: abs(v) > 0.1)


def vectors(min_size=1, max_size=6, elements=FINITE):
    return st.integers(min_size, max_size).flatmap(
        lambda n: arrays(np.float64, n, elements=elements)
    )


@settings(max_examples=200, deadline=None)
@given(
    u=vectors(elements=away_from_zero), v=vectors(elements=away_from_zero)
)
def test_separate_recovers_an_outer_product(u, v):
    K = np.outer(u, v)
    assert separable.kernel_rank(K) == 1
    a, b = separable.separate(K)
    assert a.shape == u.shape and b.shape == v.shape
    np.testing.assert_allclose(np.outer(a, b), K, **THROUGH_TRANSFORM)
    np.testing.assert_allclose(
        np.linalg.norm(a), np.linalg.norm(b), rtol=1e-9
    )  # balanced scale


@settings(max_examples=100, deadline=None)
@given(
    st.integers(2, 5).flatmap(
        lambda n: arrays(np.float64, (n, n), elements=FINITE)
    )
)
def test_kernel_rank_agrees_with_numpy(K):
    s = np.linalg.svd(K, compute_uv=False)
    assume(
        s[0] > 0 and all(v > 1e-6 * s[0] or v < 1e-13 * s[0] for v in s)
    )  # no borderline ranks
    assert separable.kernel_rank(K) == np.linalg.matrix_rank(
        K, tol=1e-10 * s[0]
    )


@st.composite
def image_and_factors(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = draw(st.integers(kh, 9)), draw(st.integers(kw, 9))
    X = draw(arrays(np.float64, (h, w), elements=FINITE))
    return (
        X,
        draw(arrays(np.float64, kh, elements=FINITE)),
        draw(arrays(np.float64, kw, elements=FINITE)),
    )


@settings(max_examples=150, deadline=None)
@given(image_and_factors())
def test_two_1d_passes_equal_one_2d_cross_correlation(Xuv):
    X, u, v = Xuv
    np.testing.assert_allclose(
        separable.corr2d_separable(X, u, v),
        ops.corr2d(X, np.outer(u, v)),
        rtol=1e-9,
        atol=1e-8,
    )


def test_known_kernels():
    sobel = np.array([[1, 0, -1], [2, 0, -2], [1, 0, -1]])
    u, v = separable.separate(sobel)
    np.testing.assert_allclose(u / u[0], [1, 2, 1])
    np.testing.assert_allclose(v * u[0], [1, 0, -1], atol=1e-12)
    assert separable.kernel_rank(np.ones((3, 3))) == 1
    assert separable.kernel_rank(np.eye(3)) == 3
    assert separable.kernel_rank(np.zeros((2, 3))) == 0
    u, v = separable.separate(np.zeros((2, 3)))
    assert (
        np.all(u == 0)
        and np.all(v == 0)
        and u.shape == (2,)
        and v.shape == (3,)
    )


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_separate_names_the_rank_of_a_non_separable_kernel():
    with raises(
        ValueError,
        "separate: the kernel has rank 2 (singular values 1, 1), so it is not the outer product",
    ):
        separable.separate(np.eye(2))


def test_separate_rejects_1d_kernel():
    with raises(
        ValueError,
        "separate: K must have shape (kernel height, kernel width), but it has 1 dimension",
    ):
        separable.separate([1.0, 2.0])


def test_separate_rejects_empty_kernel():
    with raises(ValueError, "separate: K is empty (shape (0, 3))"):
        separable.separate(np.zeros((0, 3)))


def test_kernel_rank_rejects_text_tolerance():
    with raises(
        TypeError, "kernel_rank: tol must be a number, got str '1e-3'"
    ):
        separable.kernel_rank(np.eye(2), tol="1e-3")


def test_kernel_rank_rejects_tolerance_out_of_range():
    with raises(
        ValueError,
        "kernel_rank: tol is relative to the largest singular value and must be in [0, 1), got 2",
    ):
        separable.kernel_rank(np.eye(2), tol=2)


def test_corr2d_separable_rejects_a_kernel_larger_than_the_image():
    with raises(
        ValueError,
        "corr2d_separable: the kernel (3, 2) does not fit inside the image (2, 5)",
    ):
        separable.corr2d_separable(np.zeros((2, 5)), [1, 2, 1], [1, -1])


def test_corr2d_separable_rejects_2d_factor():
    with raises(
        ValueError,
        "corr2d_separable: u must have shape (kernel height,), but it has 2 dimensions",
    ):
        separable.corr2d_separable(np.zeros((4, 4)), np.ones((2, 1)), [1.0])


def test_corr2d_separable_rejects_empty_factor():
    with raises(
        ValueError,
        "corr2d_separable: u and v need at least one element each",
    ):
        separable.corr2d_separable(np.zeros((4, 4)), [], [1.0])
