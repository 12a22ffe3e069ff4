"""Pooling ops against torch.nn.functional (float64), and their error messages."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import pooling
from strategies import FINITE
from tolerances import SAME_SUM

pair = lambda lo, hi: st.one_of(
    st.integers(lo, hi), st.tuples(st.integers(lo, hi), st.integers(lo, hi))
)


def as2(v):
    return (v, v) if isinstance(v, int) else v


@st.composite
def pool_case(draw):
    k = draw(pair(1, 4))
    stride = draw(st.one_of(st.none(), pair(1, 3)))
    kh, kw = as2(k)
    padding = draw(
        st.tuples(st.integers(0, kh // 2), st.integers(0, kw // 2))
    )
    h, w = (
        draw(st.integers(max(1, kh - 2 * padding[0]), 9)),
        draw(st.integers(max(1, kw - 2 * padding[1]), 9)),
    )
    x = draw(
        arrays(
            np.float64,
            (draw(st.integers(1, 2)), draw(st.integers(1, 3)), h, w),
            elements=FINITE,
        )
    )
    return x, dict(
        kernel_size=k,
        stride=stride,
        padding=padding,
        ceil_mode=draw(st.booleans()),
    )


@settings(max_examples=300, deadline=None)
@given(pool_case())
def test_max_pool2d_equals_torch(case):
    x, kw = case
    expected = F.max_pool2d(torch.from_numpy(x), **kw).numpy()
    got = pooling.max_pool2d(x, **kw)
    assert got.shape == expected.shape
    np.testing.assert_array_equal(got, expected)


@settings(max_examples=300, deadline=None)
@given(pool_case(), st.booleans())
def test_avg_pool2d_equals_torch(case, count_include_pad):
    x, kw = case
    expected = F.avg_pool2d(
        torch.from_numpy(x), count_include_pad=count_include_pad, **kw
    ).numpy()
    got = pooling.avg_pool2d(x, count_include_pad=count_include_pad, **kw)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **SAME_SUM)


@settings(max_examples=100, deadline=None)
@given(pool_case(), st.integers(1, 7))
def test_avg_pool2d_divisor_override_equals_torch(case, divisor):
    x, kw = case
    expected = F.avg_pool2d(
        torch.from_numpy(x), divisor_override=divisor, **kw
    ).numpy()
    np.testing.assert_allclose(
        pooling.avg_pool2d(x, divisor_override=divisor, **kw),
        expected,
        **SAME_SUM,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 10),
    st.integers(1, 10),
    st.one_of(
        st.integers(1, 6),
        st.tuples(
            st.one_of(st.none(), st.integers(1, 6)), st.integers(1, 6)
        ),
    ),
    st.data(),
)
def test_adaptive_avg_pool2d_equals_torch(h, w, out, data):
    x = data.draw(arrays(np.float64, (2, 2, h, w), elements=FINITE))
    expected = F.adaptive_avg_pool2d(torch.from_numpy(x), out).numpy()
    got = pooling.adaptive_avg_pool2d(x, out)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **SAME_SUM)


def test_unbatched_input_keeps_no_batch_axis():
    x = np.arange(16.0).reshape(1, 4, 4)
    assert pooling.max_pool2d(x, 2).shape == (1, 2, 2)
    assert pooling.avg_pool2d(x, 2).shape == (1, 2, 2)
    assert pooling.adaptive_avg_pool2d(x, 1).shape == (1, 1, 1)


def test_global_average_pooling_is_the_mean():
    x = np.random.default_rng(0).normal(size=(2, 3, 5, 7))
    np.testing.assert_allclose(
        pooling.adaptive_avg_pool2d(x, 1)[:, :, 0, 0], x.mean(axis=(2, 3))
    )


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


x4 = np.zeros((1, 1, 5, 5))


def test_pool_wrong_ndim():
    with raises(
        ValueError,
        "max_pool2d: x must have shape (N, C, H, W), or (C, H, W) for a single image, but it has 2",
    ):
        pooling.max_pool2d(np.zeros((5, 5)), 2)


def test_pool_padding_more_than_half_kernel():
    with raises(
        ValueError,
        "avg_pool2d: padding 2 is more than half the kernel size 2",
    ):
        pooling.avg_pool2d(x4, 2, padding=2)


def test_pool_window_larger_than_input():
    with raises(
        ValueError,
        "max_pool2d: no output: the window spans 7 cells but the padded input has only 5",
    ):
        pooling.max_pool2d(x4, 7)


def test_pool_non_positive_stride():
    with raises(
        ValueError,
        "max_pool2d: stride must be a positive int (at least 1), got 0",
    ):
        pooling.max_pool2d(x4, 2, stride=0)


def test_pool_negative_padding():
    with raises(
        ValueError, "avg_pool2d: padding must be non-negative, got -1"
    ):
        pooling.avg_pool2d(x4, 2, padding=-1)


def test_pool_kernel_must_be_int():
    with raises(
        TypeError, "max_pool2d: kernel_size must be an int, got float 2.5"
    ):
        pooling.max_pool2d(x4, 2.5)


def test_avg_pool_bad_divisor():
    with raises(
        ValueError,
        "avg_pool2d: divisor_override must be a non-zero int, got 0",
    ):
        pooling.avg_pool2d(x4, 2, divisor_override=0)


def test_adaptive_bad_output_size():
    with raises(
        ValueError,
        "adaptive_avg_pool2d: output_size must be a positive int (at least 1), got 0",
    ):
        pooling.adaptive_avg_pool2d(x4, 0)
