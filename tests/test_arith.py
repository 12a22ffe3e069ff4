"""Output-size arithmetic against the shapes PyTorch actually produces."""

import re

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlab.arith import (
    conv_output_size,
    conv_transpose_output_size,
    effective_kernel_size,
    pool_output_size,
)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 20),
    k=st.integers(1, 6),
    s=st.integers(1, 4),
    p=st.integers(0, 3),
    d=st.integers(1, 3),
)
def test_conv_output_size_matches_torch(n, k, s, p, d):
    x, w = torch.zeros(1, 1, n, 1), torch.zeros(1, 1, k, 1)
    if d * (k - 1) + 1 > n + 2 * p:
        with pytest.raises(ValueError, match="no output"):
            conv_output_size(n, k, s, p, d)
        with pytest.raises(RuntimeError):
            F.conv2d(x, w, stride=(s, 1), padding=(p, 0), dilation=(d, 1))
        return
    assert (
        conv_output_size(n, k, s, p, d)
        == F.conv2d(
            x, w, stride=(s, 1), padding=(p, 0), dilation=(d, 1)
        ).shape[2]
    )


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 20),
    k=st.integers(1, 6),
    s=st.one_of(st.none(), st.integers(1, 4)),
    p=st.integers(0, 3),
    ceil_mode=st.booleans(),
)
def test_pool_output_size_matches_torch(n, k, s, p, ceil_mode):
    x = torch.zeros(1, 1, n, 1)
    kw = dict(
        kernel_size=(k, 1),
        stride=None if s is None else (s, 1),
        padding=(p, 0),
        ceil_mode=ceil_mode,
    )
    try:  # PyTorch is the oracle: where it refuses the setting, ours must refuse it too
        expected = F.max_pool2d(x, **kw).shape[2]
    except RuntimeError:
        with pytest.raises(ValueError):
            pool_output_size(n, k, s, p, ceil_mode=ceil_mode)
        return
    assert pool_output_size(n, k, s, p, ceil_mode=ceil_mode) == expected
    assert F.avg_pool2d(x, **kw).shape[2] == expected


def test_effective_kernel_size():
    assert [effective_kernel_size(3, d) for d in (1, 2, 4)] == [3, 5, 9]


def test_no_output_message():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "the kernel spans d*(k-1)+1 = 7 cells but the padded input has "
            "only n + 2p = 5"
        ),
    ):
        conv_output_size(5, 4, d=2)


@pytest.mark.parametrize(
    "kwargs,exc,fragment",
    [
        (dict(n=0, k=1), ValueError, "n must be at least 1, got 0"),
        (dict(n=5, k=0), ValueError, "k must be at least 1, got 0"),
        (dict(n=5, k=3, s=0), ValueError, "s must be at least 1, got 0"),
        (
            dict(n=5, k=3, p=-1),
            ValueError,
            "p must be non-negative, got -1",
        ),
        (dict(n=5, k=3, d=0), ValueError, "d must be at least 1, got 0"),
        (dict(n=5.0, k=3), TypeError, "n must be an int, got float 5.0"),
        (dict(n=5, k=True), TypeError, "k must be an int, got bool True"),
    ],
)
def test_conv_output_size_bad_arguments(kwargs, exc, fragment):
    with pytest.raises(
        exc, match=re.escape(f"conv_output_size: {fragment}")
    ):
        conv_output_size(**kwargs)


def test_pool_padding_more_than_half_kernel():
    with pytest.raises(
        ValueError,
        match=re.escape(
            "pool_output_size: padding 2 is more than half the kernel size 3"
        ),
    ):
        pool_output_size(8, 3, p=2)


def test_pool_ceil_mode_must_be_bool():
    with pytest.raises(TypeError, match="ceil_mode must be True or False"):
        pool_output_size(8, 2, ceil_mode=1)


@settings(max_examples=300, deadline=None)
@given(
    n=st.integers(1, 12),
    k=st.integers(1, 5),
    s=st.integers(1, 4),
    p=st.integers(0, 3),
    op=st.integers(0, 3),
    d=st.integers(1, 3),
)
def test_conv_transpose_output_size_matches_torch(n, k, s, p, op, d):
    x, w = torch.zeros(1, 1, n, 1), torch.zeros(1, 1, k, 1)
    try:  # PyTorch is the oracle: where it refuses the setting, ours must refuse it too
        expected = F.conv_transpose2d(
            x,
            w,
            stride=(s, 1),
            padding=(p, 0),
            output_padding=(op, 0),
            dilation=(d, 1),
        ).shape[2]
    except RuntimeError:
        with pytest.raises(ValueError):
            conv_transpose_output_size(n, k, s, p, op, d)
        return
    assert conv_transpose_output_size(n, k, s, p, op, d) == expected


def test_conv_transpose_output_padding_message():
    with pytest.raises(
        ValueError,
        match="output_padding must be smaller than the stride or the dilation",
    ):
        conv_transpose_output_size(5, 3, s=2, output_padding=2)
