"""convlab.dense: the dense layer with tied, local weights is conv2d; parameter counts match PyTorch."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import dense, ops
from strategies import FINITE
from tolerances import THROUGH_TRANSFORM


@st.composite
def image_kernel_padding(draw):
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    ph, pw = draw(st.integers(0, 3)), draw(st.integers(0, 3))
    h = draw(st.integers(max(1, kh - 2 * ph), 7))
    w = draw(st.integers(max(1, kw - 2 * pw), 7))
    X = draw(arrays(np.float64, (h, w), elements=FINITE))
    K = draw(arrays(np.float64, (kh, kw), elements=FINITE))
    return X, K, (ph, pw)


@settings(max_examples=200, deadline=None)
@given(image_kernel_padding())
def test_dense_matrix_times_image_is_conv2d(case):
    X, K, padding = case
    M = dense.conv_as_dense_matrix(K, X.shape, padding)
    Y = ops.conv2d(X[None, None], K[None, None], padding=padding)[0, 0]
    assert M.shape == (Y.size, X.size)
    np.testing.assert_allclose(
        M @ X.ravel(), Y.ravel(), **THROUGH_TRANSFORM
    )
    Y_torch = F.conv2d(
        torch.from_numpy(X)[None, None],
        torch.from_numpy(K)[None, None],
        padding=padding,
    )[0, 0]
    np.testing.assert_allclose(
        M @ X.ravel(), Y_torch.numpy().ravel(), **THROUGH_TRANSFORM
    )


@settings(max_examples=100, deadline=None)
@given(image_kernel_padding())
def test_weight_tensor_entries_are_kernel_entries_at_the_offset(case):
    X, K, (ph, pw) = case
    W = dense.conv_as_weight_tensor(K, X.shape, (ph, pw))
    kh, kw = K.shape
    for i, j, k, l in np.ndindex(*W.shape):
        a, b = k - i + ph, l - j + pw
        expected = K[a, b] if 0 <= a < kh and 0 <= b < kw else 0.0
        assert W[i, j, k, l] == expected
    np.testing.assert_allclose(
        np.einsum("ijkl,kl->ij", W, X),
        ops.conv2d(X[None, None], K[None, None], padding=(ph, pw))[0, 0],
        atol=1e-9,
    )


def test_padding_delta_keeps_the_size_and_padding_zero_gives_the_interior():
    rng = np.random.default_rng(0)
    X, V = rng.normal(size=(6, 7)), rng.normal(size=(5, 5))  # Delta = 2
    same = dense.conv_as_dense_matrix(V, X.shape, padding=2) @ X.ravel()
    valid = dense.conv_as_dense_matrix(V, X.shape, padding=0) @ X.ravel()
    assert same.shape == (42,) and valid.shape == (2 * 3,)
    np.testing.assert_allclose(
        same.reshape(6, 7)[2:-2, 2:-2], valid.reshape(2, 3)
    )


def test_dense_layer_in_torch_equals_conv_layer():
    torch.manual_seed(0)
    conv = torch.nn.Conv2d(1, 1, 3, padding=1, dtype=torch.float64)
    h, w = 5, 4
    linear = torch.nn.Linear(h * w, h * w, dtype=torch.float64)
    K = conv.weight.detach().numpy()[0, 0]
    with torch.no_grad():
        linear.weight.copy_(
            torch.from_numpy(dense.conv_as_dense_matrix(K, (h, w), 1))
        )
        linear.bias.fill_(conv.bias.item())
    x = torch.randn(3, 1, h, w, dtype=torch.float64)
    torch.testing.assert_close(
        linear(x.reshape(3, -1)).reshape(3, 1, h, w), conv(x)
    )


def n_params(module):
    return sum(p.numel() for p in module.parameters())


@settings(max_examples=40, deadline=None)
@given(
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    k=st.integers(1, 3),
    bias=st.booleans(),
)
def test_param_counts_agree_with_torch_layers(h, w, c_in, c_out, k, bias):
    kh, kw = min(k, 2 * h - 1), min(k, 2 * w - 1)
    counts = dense.dense_vs_conv_param_counts(
        (h, w), (kh, kw), c_in, c_out, bias=bias
    )
    assert counts["fully connected"] == n_params(
        torch.nn.Linear(h * w * c_in, h * w * c_out, bias=bias)
    )
    # translation invariance alone: a kernel that reaches every offset, -(H-1)..(H-1)
    big = torch.nn.Conv2d(
        c_in,
        c_out,
        (2 * h - 1, 2 * w - 1),
        padding=(h - 1, w - 1),
        bias=bias,
    )
    assert big(torch.zeros(1, c_in, h, w)).shape == (1, c_out, h, w)
    assert counts["translation invariant"] == n_params(big)
    assert counts["translation invariant + local"] == n_params(
        torch.nn.Conv2d(c_in, c_out, (kh, kw), bias=bias)
    )


def test_param_counts_for_a_megapixel_image():
    counts = dense.dense_vs_conv_param_counts(1000, 3)
    assert counts == {
        "fully connected": 10**12 + 10**6,
        "translation invariant": 1999**2 + 1,
        "translation invariant + local": 10,
    }


def test_translation_invariance_without_locality_is_still_conv2d():
    rng = np.random.default_rng(1)
    X, V = (
        rng.normal(size=(4, 5)),
        rng.normal(size=(7, 9)),
    )  # every offset of a 4x5 image
    M = dense.conv_as_dense_matrix(V, X.shape, padding=(3, 4))
    assert (
        M.shape == (20, 20) and np.count_nonzero(M) == 20 * 20
    )  # no weight is forced to zero
    np.testing.assert_allclose(
        M @ X.ravel(),
        ops.conv2d(X[None, None], V[None, None], padding=(3, 4)).ravel(),
    )


# ------------------------------------------------------------------ bad input
def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_kernel_must_be_2d():
    with raises(
        ValueError,
        "conv_as_dense_matrix: kernel must have shape (kernel height, kernel width), "
        "but it has 1 dimension",
    ):
        dense.conv_as_dense_matrix([1.0, 2.0], (3, 3))


def test_empty_kernel():
    with raises(ValueError, "conv_as_weight_tensor: the kernel is empty"):
        dense.conv_as_weight_tensor(np.zeros((0, 2)), (3, 3))


def test_kernel_none():
    with raises(TypeError, "conv_as_dense_matrix: kernel is None"):
        dense.conv_as_dense_matrix(None, (3, 3))


def test_image_size_must_be_positive():
    with raises(
        ValueError,
        "conv_as_dense_matrix: image_hw must be a positive int (at least 1), got (0, 3)",
    ):
        dense.conv_as_dense_matrix(np.ones((1, 1)), (0, 3))


def test_image_size_must_be_ints():
    with raises(
        TypeError,
        "conv_as_dense_matrix: image_hw must be an int, got float 3.5",
    ):
        dense.conv_as_dense_matrix(np.ones((1, 1)), (3.5, 3))


def test_negative_padding():
    with raises(
        ValueError,
        "conv_as_dense_matrix: padding must be non-negative, got -1",
    ):
        dense.conv_as_dense_matrix(np.ones((3, 3)), (5, 5), padding=-1)


def test_kernel_larger_than_padded_image():
    with raises(
        ValueError,
        "conv_as_dense_matrix: the kernel (5, 5) does not fit inside the padded image (4, 4)",
    ):
        dense.conv_as_dense_matrix(np.ones((5, 5)), (2, 2), padding=1)


def test_huge_image_is_refused():
    with raises(
        ValueError,
        "the dense weights for a 224x224 image would have 2,517,630,976 entries",
    ):
        dense.conv_as_dense_matrix(np.ones((3, 3)), (224, 224), padding=1)


def test_counts_reject_zero_channels():
    with raises(
        ValueError,
        "dense_vs_conv_param_counts: in_channels and out_channels must be at least 1, got 0 and 1",
    ):
        dense.dense_vs_conv_param_counts((4, 4), 3, in_channels=0)


def test_counts_reject_float_channels():
    with raises(
        TypeError,
        "dense_vs_conv_param_counts: out_channels must be an int, got float 2.0",
    ):
        dense.dense_vs_conv_param_counts((4, 4), 3, out_channels=2.0)


def test_counts_reject_non_bool_bias():
    with raises(
        TypeError,
        "dense_vs_conv_param_counts: bias must be True or False, got 1",
    ):
        dense.dense_vs_conv_param_counts((4, 4), 3, bias=1)


def test_counts_reject_kernel_larger_than_any_offset():
    with raises(
        ValueError,
        "dense_vs_conv_param_counts: a 9x3 kernel reaches further than any offset inside a 4x4 image",
    ):
        dense.dense_vs_conv_param_counts((4, 4), (9, 3))
