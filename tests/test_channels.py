"""convlab.channels: summing input channels and stacking output channels is
conv2d; a 1x1 convolution is a matmul over channels; the counts match PyTorch;
bad arguments get clear errors."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import channels, ops
from strategies import finite
from tolerances import SAME_SUM, THROUGH_TRANSFORM


@st.composite
def multi_channel(draw):
    c, o = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(kh, 6)), draw(st.integers(kw, 6))
    X = draw(arrays(np.float64, (c, h, w), elements=finite(5)))
    K = draw(arrays(np.float64, (o, c, kh, kw), elements=finite(5)))
    return X, K


@settings(max_examples=100, deadline=None)
@given(multi_channel())
def test_multi_in_out_equals_conv2d_and_torch(XK):
    X, K = XK
    Y = channels.corr2d_multi_in_out(X, K)
    np.testing.assert_allclose(Y, ops.conv2d(X, K), **SAME_SUM)
    np.testing.assert_allclose(
        Y,
        F.conv2d(torch.from_numpy(X)[None], torch.from_numpy(K))[0].numpy(),
        **THROUGH_TRANSFORM,
    )
    np.testing.assert_allclose(
        channels.corr2d_multi_in(X, K[0]), Y[0], **SAME_SUM
    )


@settings(max_examples=100, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(1, 5),
    st.integers(0, 1000),
)
def test_conv1x1_is_conv2d_with_1x1_weights_and_torch(n, c, o, h, w, seed):
    rng = np.random.default_rng(seed)
    x, W, b = (
        rng.normal(size=(n, c, h, w)),
        rng.normal(size=(o, c)),
        rng.normal(size=o),
    )
    y = channels.conv1x1(x, W, b)
    np.testing.assert_allclose(
        y, ops.conv2d(x, W[:, :, None, None], b), **SAME_SUM
    )
    expected = F.conv2d(
        torch.from_numpy(x),
        torch.from_numpy(W[:, :, None, None]),
        torch.from_numpy(b),
    ).numpy()
    np.testing.assert_allclose(y, expected, **THROUGH_TRANSFORM)
    # the same dense layer on every pixel: a matmul on the (C, N*H*W) matrix of channel vectors
    cols = channels.to_nhwc(x).reshape(-1, c)
    np.testing.assert_allclose(
        channels.to_nhwc(y).reshape(-1, o),
        cols @ W.T + b,
        **SAME_SUM,
    )
    np.testing.assert_allclose(
        channels.conv1x1(x[0], W[:, :, None, None]),
        ops.conv2d(x[0], W[:, :, None, None]),
        **SAME_SUM,
    )


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 5),
    st.integers(1, 5),
    st.booleans(),
)
def test_parameter_count_matches_torch(g, per_group, k, m, bias):
    c_in, c_out = g * per_group, g * m
    layer = torch.nn.Conv2d(c_in, c_out, (k, k + 1), groups=g, bias=bias)
    assert channels.conv2d_parameter_count(
        c_in, c_out, (k, k + 1), bias, g
    ) == sum(p.numel() for p in layer.parameters())


@settings(max_examples=30, deadline=None)
@given(
    st.integers(1, 3),
    st.integers(1, 2),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(4, 8),
)
def test_multiply_adds_match_torch_flop_counter(g, per_group, m, k, size):
    from torch.utils.flop_counter import FlopCounterMode

    c_in, c_out = g * per_group, g * m
    x = torch.zeros(1, c_in, size, size + 1)
    layer = torch.nn.Conv2d(c_in, c_out, k, groups=g, bias=False)
    with FlopCounterMode(display=False) as counter:
        out = layer(x)
    macs = channels.conv2d_multiply_adds(
        c_in, c_out, k, tuple(out.shape[2:]), groups=g
    )
    assert 2 * macs == counter.get_total_flops()


def test_layout_round_trip():
    x = np.arange(2 * 3 * 4 * 5).reshape(2, 3, 4, 5)
    assert channels.to_nhwc(x).shape == (2, 4, 5, 3)
    assert np.array_equal(channels.to_nchw(channels.to_nhwc(x)), x)
    assert channels.to_nhwc(x)[1, 2, 3, 0] == x[1, 0, 2, 3]


# ---- bad input: one test per case, each checks the message ----


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_multi_in_rejects_channel_mismatch():
    with raises(
        ValueError, "corr2d_multi_in: X has 2 channels but K has 3 kernels"
    ):
        channels.corr2d_multi_in(np.ones((2, 4, 4)), np.ones((3, 2, 2)))


def test_multi_in_rejects_2d_image():
    with raises(
        ValueError,
        "corr2d_multi_in: X must have shape (C, height, width), but it has 2 dimensions",
    ):
        channels.corr2d_multi_in(np.ones((4, 4)), np.ones((1, 2, 2)))


def test_multi_in_rejects_no_channels():
    with raises(ValueError, "corr2d_multi_in: X has no channels"):
        channels.corr2d_multi_in(np.ones((0, 4, 4)), np.ones((0, 2, 2)))


def test_multi_in_out_rejects_3d_kernel():
    with raises(
        ValueError,
        "corr2d_multi_in_out: K must have shape (O, C, kernel height, kernel width)",
    ):
        channels.corr2d_multi_in_out(np.ones((2, 4, 4)), np.ones((2, 2, 2)))


def test_conv1x1_rejects_channel_mismatch():
    with raises(
        ValueError, "conv1x1: x has 3 channels but w has shape (4, 2)"
    ):
        channels.conv1x1(np.ones((1, 3, 2, 2)), np.ones((4, 2)))


def test_conv1x1_rejects_larger_kernel():
    with raises(ValueError, "conv1x1: conv weights must have a 1x1 kernel"):
        channels.conv1x1(np.ones((1, 3, 4, 4)), np.ones((4, 3, 3, 3)))


def test_conv1x1_rejects_bad_bias():
    with raises(ValueError, "conv1x1: bias b must have shape (4,)"):
        channels.conv1x1(
            np.ones((1, 3, 2, 2)), np.ones((4, 3)), b=np.ones(3)
        )


def test_parameter_count_rejects_groups_that_do_not_divide():
    with raises(
        ValueError,
        "conv2d_parameter_count: groups=2 must divide both in_channels=3 and out_channels=4",
    ):
        channels.conv2d_parameter_count(3, 4, 3, groups=2)


def test_parameter_count_rejects_zero_channels():
    with raises(
        ValueError,
        "conv2d_parameter_count: in_channels must be at least 1, got 0",
    ):
        channels.conv2d_parameter_count(0, 4, 3)


def test_parameter_count_rejects_float_kernel():
    with raises(
        TypeError,
        "conv2d_parameter_count: kernel_size must be an int, got float",
    ):
        channels.conv2d_parameter_count(3, 4, 3.0)


def test_parameter_count_rejects_non_boolean_bias():
    with raises(
        TypeError, "conv2d_parameter_count: bias must be True or False"
    ):
        channels.conv2d_parameter_count(3, 4, 3, bias=1)


def test_multiply_adds_rejects_bad_output_size():
    with raises(
        ValueError,
        "conv2d_multiply_adds: output_size must be an int or a pair (height, width), got 3 values",
    ):
        channels.conv2d_multiply_adds(3, 4, 3, (2, 2, 2))


def test_to_nhwc_rejects_3d():
    with raises(
        ValueError,
        "to_nhwc: x must have shape (N, C, H, W), but it has 3 dimensions",
    ):
        channels.to_nhwc(np.ones((3, 4, 4)))
