"""Property tests: every op in convlab.ops against NumPy / PyTorch (float64)."""

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import ops
from strategies import FINITE
from tolerances import SAME_SUM


def vectors(min_size=1, max_size=12):
    return st.integers(min_size, max_size).flatmap(
        lambda n: arrays(np.float64, n, elements=FINITE)
    )


@settings(max_examples=200, deadline=None)
@given(x=vectors(), k=vectors(), mode=st.sampled_from(ops.MODES))
def test_conv1d_equals_np_convolve(x, k, mode):
    np.testing.assert_allclose(
        ops.conv1d(x, k, mode),
        np.convolve(x, k, mode),
        **SAME_SUM,
    )


@settings(max_examples=200, deadline=None)
@given(x=vectors(), k=vectors(), mode=st.sampled_from(ops.MODES))
def test_corr1d_equals_np_correlate(x, k, mode):
    np.testing.assert_allclose(
        ops.corr1d(x, k, mode),
        np.correlate(x, k, mode),
        **SAME_SUM,
    )


@settings(max_examples=100, deadline=None)
@given(x=vectors(), k=vectors())
def test_corr1d_is_conv1d_with_reversed_kernel(x, k):
    np.testing.assert_allclose(
        ops.corr1d(x, k), ops.conv1d(x, k[::-1]), **SAME_SUM
    )


@st.composite
def image_and_kernel(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, w = draw(st.integers(kh, 9)), draw(st.integers(kw, 9))
    X = draw(arrays(np.float64, (h, w), elements=FINITE))
    K = draw(arrays(np.float64, (kh, kw), elements=FINITE))
    return X, K


@settings(max_examples=150, deadline=None)
@given(image_and_kernel())
def test_corr2d_equals_torch_and_its_definition(XK):
    X, K = XK
    expected = F.conv2d(
        torch.from_numpy(X)[None, None], torch.from_numpy(K)[None, None]
    )[0, 0].numpy()
    got = ops.corr2d(X, K)
    np.testing.assert_allclose(got, expected, **SAME_SUM)
    kh, kw = (
        K.shape
    )  # the definition Y[i, j] = sum_ab X[i+a, j+b] K[a, b], written as plainly as possible
    by_definition = np.array(
        [
            [
                np.sum(X[i : i + kh, j : j + kw] * K)
                for j in range(got.shape[1])
            ]
            for i in range(got.shape[0])
        ]
    )
    np.testing.assert_allclose(got, by_definition, **SAME_SUM)


pairs = st.one_of(
    st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))
)


@st.composite
def conv2d_case(draw):
    groups = draw(st.integers(1, 3))
    c_in, c_out = (
        groups * draw(st.integers(1, 2)),
        groups * draw(st.integers(1, 2)),
    )
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride, dilation = draw(pairs), draw(pairs)
    padding = draw(
        st.one_of(
            st.integers(0, 2),
            st.tuples(st.integers(0, 2), st.integers(0, 2)),
            st.just("valid"),
            st.just("same"),
        )
    )
    if padding == "same":
        stride = 1
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    ph, pw = (
        {"same": (0, 0), "valid": (0, 0)}.get(padding, padding)
        if isinstance(padding, str)
        else ((padding, padding) if isinstance(padding, int) else padding)
    )
    min_h, min_w = (
        max(1, dh * (kh - 1) + 1 - 2 * ph),
        max(1, dw * (kw - 1) + 1 - 2 * pw),
    )
    h, w = (
        draw(st.integers(min_h, min_h + 6)),
        draw(st.integers(min_w, min_w + 6)),
    )
    n = draw(st.integers(1, 2))
    x = draw(arrays(np.float64, (n, c_in, h, w), elements=FINITE))
    wt = draw(
        arrays(np.float64, (c_out, c_in // groups, kh, kw), elements=FINITE)
    )
    b = draw(
        st.one_of(st.none(), arrays(np.float64, (c_out,), elements=FINITE))
    )
    return (
        x,
        wt,
        b,
        dict(
            stride=stride, padding=padding, dilation=dilation, groups=groups
        ),
    )


@settings(max_examples=300, deadline=None)
@given(conv2d_case())
def test_conv2d_equals_torch(case):
    x, w, b, kw = case
    tb = None if b is None else torch.from_numpy(b)
    expected = F.conv2d(
        torch.from_numpy(x), torch.from_numpy(w), tb, **kw
    ).numpy()
    got = ops.conv2d(x, w, b, **kw)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-9)


@settings(max_examples=50, deadline=None)
@given(conv2d_case())
def test_conv2d_unbatched_input_matches_torch(case):
    x, w, b, kw = case
    expected = F.conv2d(
        torch.from_numpy(x[0]), torch.from_numpy(w), None, **kw
    ).numpy()
    got = ops.conv2d(x[0], w, None, **kw)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, rtol=1e-11, atol=1e-9)


def test_dtypes_follow_the_inputs():
    assert (
        ops.conv1d([1, 2, 3], [1, 1]).dtype == np.float64
    )  # ints are computed in float64
    x32 = np.ones((1, 1, 4, 4), np.float32)
    assert (
        ops.conv2d(x32, np.ones((1, 1, 2, 2), np.float32)).dtype
        == np.float32
    )
    assert ops.corr2d([[1, 2], [3, 4]], [[1]]).dtype == np.float64


def test_worked_example_from_the_course():
    # The 2-D example of chapter 2: 3x3 input 0..8 and kernel [[0, 1], [2, 3]].
    X = np.arange(9.0).reshape(3, 3)
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    np.testing.assert_array_equal(
        ops.corr2d(X, K), [[19.0, 25.0], [37.0, 43.0]]
    )
