"""Every bad input to convlab.ops gets a clear error that says what is wrong."""

import re

import numpy as np
import pytest

from convlab import ops

x4 = np.zeros((1, 4, 6, 6))
w4 = np.zeros((2, 4, 3, 3))


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_conv1d_rejects_2d_input():
    with raises(
        ValueError,
        "conv1d: x must have shape (n,), but it has 2 dimensions",
    ):
        ops.conv1d(np.zeros((2, 2)), [1.0])


def test_conv1d_rejects_empty_kernel():
    with raises(ValueError, "conv1d: k is empty"):
        ops.conv1d([1.0, 2.0], [])


def test_conv1d_rejects_unknown_mode():
    with raises(
        ValueError,
        "conv1d: mode must be one of ('full', 'same', 'valid'), got 'circular'",
    ):
        ops.conv1d([1.0], [1.0], mode="circular")


def test_corr1d_rejects_text():
    with raises(TypeError, "corr1d: x must hold real numbers"):
        ops.corr1d(np.array(["a", "b"]), [1.0])


def test_complex_input_is_rejected():
    with raises(TypeError, "conv1d: k is complex"):
        ops.conv1d([1.0, 2.0], np.array([1j]))


def test_none_input_is_rejected():
    with raises(TypeError, "conv2d: x is None"):
        ops.conv2d(None, w4)


def test_corr2d_rejects_kernel_larger_than_image():
    with raises(
        ValueError,
        "corr2d: the kernel (3, 1) does not fit inside the image (2, 5)",
    ):
        ops.corr2d(np.zeros((2, 5)), np.zeros((3, 1)))


def test_corr2d_rejects_batched_input():
    with raises(
        ValueError,
        "corr2d: X must have shape (height, width), but it has 4 dimensions",
    ):
        ops.corr2d(x4, np.zeros((2, 2)))


def test_conv2d_wrong_input_ndim():
    with raises(
        ValueError,
        "conv2d: x must have shape (N, C, H, W), or (C, H, W) for a single image, "
        "but it has 2 dimensions (shape (6, 6))",
    ):
        ops.conv2d(np.zeros((6, 6)), w4)


def test_conv2d_wrong_weight_ndim():
    with raises(
        ValueError,
        "conv2d: w must have shape (C_out, C_in // groups, kH, kW), but it has 2 dimensions",
    ):
        ops.conv2d(x4, np.zeros((3, 3)))


def test_conv2d_channel_mismatch():
    with raises(
        ValueError,
        "channel mismatch: the input has 4 channels, so with groups=1 the weights need "
        "shape (C_out, 4, kH, kW), but w.shape[1] is 3",
    ):
        ops.conv2d(x4, np.zeros((2, 3, 3, 3)))


def test_conv2d_groups_must_divide_input_channels():
    with raises(
        ValueError, "conv2d: groups=3 does not divide the 4 input channels"
    ):
        ops.conv2d(x4, np.zeros((3, 1, 3, 3)), groups=3)


def test_conv2d_groups_must_divide_output_channels():
    with raises(
        ValueError, "conv2d: groups=2 does not divide the 3 output channels"
    ):
        ops.conv2d(x4, np.zeros((3, 2, 3, 3)), groups=2)


def test_conv2d_groups_must_be_positive():
    with raises(ValueError, "conv2d: groups must be at least 1, got 0"):
        ops.conv2d(x4, w4, groups=0)


def test_conv2d_groups_must_be_int():
    with raises(TypeError, "conv2d: groups must be an int, got float 2.0"):
        ops.conv2d(x4, w4, groups=2.0)


def test_conv2d_kernel_larger_than_padded_input():
    with raises(
        ValueError,
        "conv2d: the kernel covers 7x7 pixels (kernel 4x4, dilation (2, 2)) but the padded "
        "input is only 6x6",
    ):
        ops.conv2d(x4, np.zeros((2, 4, 4, 4)), dilation=2)


@pytest.mark.parametrize("name", ["stride", "dilation"])
@pytest.mark.parametrize("value", [0, -1, (1, 0)])
def test_conv2d_stride_and_dilation_must_be_positive(name, value):
    with raises(
        ValueError,
        f"conv2d: {name} must be a positive int (at least 1), got {value!r}",
    ):
        ops.conv2d(x4, w4, **{name: value})


@pytest.mark.parametrize("value", [-1, (0, -2)])
def test_conv2d_padding_must_be_non_negative(value):
    with raises(
        ValueError, f"conv2d: padding must be non-negative, got {value!r}"
    ):
        ops.conv2d(x4, w4, padding=value)


def test_conv2d_pair_must_have_two_values():
    with raises(
        ValueError,
        "conv2d: stride must be an int or a pair (height, width), got 3 values (1, 1, 1)",
    ):
        ops.conv2d(x4, w4, stride=(1, 1, 1))


def test_conv2d_stride_must_be_int():
    with raises(TypeError, "conv2d: stride must be an int, got float 1.5"):
        ops.conv2d(x4, w4, stride=1.5)


def test_conv2d_same_padding_needs_stride_one():
    with raises(
        ValueError, "conv2d: padding='same' is only supported with stride 1"
    ):
        ops.conv2d(x4, w4, stride=2, padding="same")


def test_conv2d_unknown_padding_string():
    with raises(
        ValueError,
        "conv2d: padding must be an int, a pair, 'same' or 'valid', got 'full'",
    ):
        ops.conv2d(x4, w4, padding="full")


def test_conv2d_bias_shape():
    with raises(
        ValueError,
        "conv2d: bias b must have shape (2,), one value per output channel, got (4,)",
    ):
        ops.conv2d(x4, w4, b=np.zeros(4))
