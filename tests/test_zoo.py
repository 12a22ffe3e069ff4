"""convlab.zoo: grouped and depthwise-separable layers as ordinary convolutions, rank-1 approximation,
measured input dependence."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlab import ops, separable
from tolerances import SAME_SUM, THROUGH_TRANSFORM
from convlab.zoo import (
    depthwise_separable_weight,
    expand_grouped_weight,
    input_dependence,
    rank1_approximation,
)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(1, 3),
    st.integers(0, 2**31 - 1),
)
def test_grouped_conv_equals_conv_with_block_diagonal_weights(
    groups, c_in_g, c_out_g, k, seed
):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(2, groups * c_in_g, 6, 5))
    w = rng.normal(size=(groups * c_out_g, c_in_g, k, k))
    full = expand_grouped_weight(w, groups)
    assert full.shape == (groups * c_out_g, groups * c_in_g, k, k)
    np.testing.assert_allclose(
        ops.conv2d(x, full),
        ops.conv2d(x, w, groups=groups),
        **SAME_SUM,
    )
    mixing = np.abs(full).sum(axis=(2, 3)) > 0
    block = np.kron(np.eye(groups), np.ones((c_out_g, c_in_g))) > 0
    assert not (
        mixing & ~block
    ).any()  # nothing outside the diagonal blocks


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 4),
    st.integers(1, 4),
    st.integers(1, 3),
    st.integers(0, 2**31 - 1),
)
def test_depthwise_then_pointwise_is_one_factorised_conv(c, c_out, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(1, c, 7, 7))
    d, p = rng.normal(size=(c, 1, k, k)), rng.normal(size=(c_out, c, 1, 1))
    two_steps = ops.conv2d(ops.conv2d(x, d, groups=c), p)
    np.testing.assert_allclose(
        ops.conv2d(x, depthwise_separable_weight(d, p)),
        two_steps,
        **THROUGH_TRANSFORM,
    )
    np.testing.assert_allclose(
        depthwise_separable_weight(d, p[:, :, 0, 0]),
        depthwise_separable_weight(d, p),
    )


@settings(max_examples=100, deadline=None)
@given(st.integers(1, 5), st.integers(1, 5), st.integers(0, 2**31 - 1))
def test_rank1_approximation_error_is_given_by_the_singular_values(
    kh, kw, seed
):
    K = np.random.default_rng(seed).normal(size=(kh, kw))
    s = np.linalg.svd(K, compute_uv=False)
    approx = rank1_approximation(K)
    assert separable.kernel_rank(approx) <= 1
    np.testing.assert_allclose(
        np.linalg.norm(K - approx, 2), s[1] if len(s) > 1 else 0, atol=1e-10
    )
    np.testing.assert_allclose(
        np.linalg.norm(K - approx), np.sqrt(np.sum(s[1:] ** 2)), atol=1e-10
    )


def test_rank1_approximation_beats_random_rank1_kernels():
    rng = np.random.default_rng(0)
    K = rng.normal(size=(3, 3))
    best = np.linalg.norm(K - rank1_approximation(K))
    u, v = separable.separate(rank1_approximation(K))
    others = [
        np.linalg.norm(
            K
            - np.outer(
                u + 0.1 * rng.normal(size=3), v + 0.1 * rng.normal(size=3)
            )
        )
        for _ in range(200)
    ]
    assert best < min(others)


def test_rank1_approximation_of_a_rank1_kernel_is_itself():
    sobel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    np.testing.assert_allclose(
        rank1_approximation(sobel), sobel, atol=1e-12
    )


def test_input_dependence_of_stacked_dilated_layers():
    ones = torch.ones(1, 1, 3, 3, dtype=torch.float64)
    f = lambda x: F.conv2d(F.conv2d(x, ones, dilation=2), ones, dilation=2)
    dep = input_dependence(f, (1, 1, 9, 9), (0, 0, 0, 0))
    assert dep.shape == (9, 9)
    seen = dep != 0
    assert (
        seen[::2, ::2].all()
        and not seen[1::2].any()
        and not seen[:, 1::2].any()
    )
    assert dep[4, 4] == 9  # paths through the centre: 3 rows x 3 columns
    plain = input_dependence(
        lambda x: F.conv2d(x, ones), (1, 1, 5, 5), (0, 0, 1, 1)
    )
    assert (plain != 0).sum() == 9


@pytest.mark.parametrize(
    "call,error,fragment",
    [
        (
            lambda: expand_grouped_weight(np.zeros((3, 1, 3, 3)), 2),
            ValueError,
            "does not divide the 3 output",
        ),
        (
            lambda: expand_grouped_weight(np.zeros((3, 3)), 1),
            ValueError,
            "must have shape",
        ),
        (
            lambda: expand_grouped_weight(np.zeros((2, 1, 3, 3)), 0),
            ValueError,
            "at least 1",
        ),
        (
            lambda: depthwise_separable_weight(
                np.zeros((3, 2, 3, 3)), np.zeros((4, 3))
            ),
            ValueError,
            "(C, 1, kH, kW)",
        ),
        (
            lambda: depthwise_separable_weight(
                np.zeros((3, 1, 3, 3)), np.zeros((4, 2))
            ),
            ValueError,
            "(C_out, 3)",
        ),
        (
            lambda: depthwise_separable_weight(
                np.zeros((3, 1, 3, 3)), np.zeros((4, 3, 3, 3))
            ),
            ValueError,
            "1x1",
        ),
        (
            lambda: rank1_approximation(np.zeros(3)),
            ValueError,
            "must have shape",
        ),
        (
            lambda: input_dependence(3, (1, 1, 4, 4), (0, 0, 0, 0)),
            TypeError,
            "must be a function",
        ),
        (
            lambda: input_dependence(lambda x: x, (4, 4), (0, 0)),
            ValueError,
            "(N, C, H, W)",
        ),
        (
            lambda: input_dependence(
                lambda x: x, (1, 1, 4, 4), (0, 0, 9, 9)
            ),
            ValueError,
            "does not pick one element",
        ),
    ],
)
def test_errors_are_explained(call, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        call()
