"""convlab.deformable: deformable convolution and bilinear sampling, against torch.nn.functional.conv2d (float64)."""

import re

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlab.deformable import (
    bilinear_sample,
    deform_conv2d,
    sampling_locations,
)
from tolerances import SAME_SUM, THROUGH_TRANSFORM

pair = lambda lo, hi: st.one_of(
    st.integers(lo, hi), st.tuples(st.integers(lo, hi), st.integers(lo, hi))
)


def as2(v):
    return (v, v) if isinstance(v, int) else tuple(v)


@st.composite
def conv_case(draw):
    """A random float64 layer (x, w, b) with stride, padding and dilation that has an output."""
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    stride, dilation = draw(pair(1, 3)), draw(pair(1, 2))
    ph, pw = draw(st.integers(0, 2)), draw(st.integers(0, 2))
    dh, dw = as2(dilation)
    h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 8))
    w = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 8))
    n, c_in, c_out = (
        draw(st.integers(1, 2)),
        draw(st.integers(1, 3)),
        draw(st.integers(1, 3)),
    )
    g = torch.Generator().manual_seed(draw(st.integers(0, 2**31 - 1)))
    x = torch.randn(n, c_in, h, w, generator=g, dtype=torch.float64)
    weight = torch.randn(
        c_out, c_in, kh, kw, generator=g, dtype=torch.float64
    )
    bias = draw(
        st.one_of(
            st.none(),
            st.just(torch.randn(c_out, generator=g, dtype=torch.float64)),
        )
    )
    return (
        x,
        weight,
        bias,
        dict(stride=stride, padding=(ph, pw), dilation=dilation),
    )


def zero_offset(x, w, out):
    return torch.zeros(
        x.shape[0],
        2 * w.shape[2] * w.shape[3],
        *out.shape[2:],
        dtype=x.dtype,
    )


@settings(max_examples=150, deadline=None)
@given(conv_case())
def test_zero_offsets_equal_conv2d(case):
    x, w, b, kw = case
    expected = F.conv2d(x, w, b, **kw)
    got = deform_conv2d(x, zero_offset(x, w, expected), w, b, **kw)
    assert got.shape == expected.shape
    torch.testing.assert_close(got, expected, **SAME_SUM)


def shifted(x, dy, dx):
    """x'[r, c] = x[r + dy, c + dx], zero where that is outside the image."""
    h, w = x.shape[-2:]
    big = F.pad(x, (abs(dx), abs(dx), abs(dy), abs(dy)))
    return big[
        ...,
        abs(dy) + dy : abs(dy) + dy + h,
        abs(dx) + dx : abs(dx) + dx + w,
    ]


@settings(max_examples=100, deadline=None)
@given(conv_case(), st.integers(-3, 3), st.integers(-3, 3))
def test_a_constant_integer_offset_is_a_conv_of_the_shifted_input(
    case, dy, dx
):
    x, w, b, kw = case
    ph, pw = kw["padding"]
    padded = F.pad(
        x, (pw, pw, ph, ph)
    )  # shift the padded input: the padding ring moves too
    expected = F.conv2d(
        shifted(padded, dy, dx),
        w,
        b,
        stride=kw["stride"],
        dilation=kw["dilation"],
    )
    offset = zero_offset(x, w, expected)
    offset[:, 0::2], offset[:, 1::2] = (
        dy,
        dx,
    )  # every tap moves by (dy, dx): rows, then columns
    torch.testing.assert_close(
        deform_conv2d(x, offset, w, b, **kw),
        expected,
        **SAME_SUM,
    )


@pytest.mark.parametrize("k", [2, 3, 4])
def test_offsets_that_spread_the_taps_reproduce_dilation_2(k):
    torch.manual_seed(0)
    x, w = (
        torch.randn(2, 3, 11, 12, dtype=torch.float64),
        torch.randn(4, 3, k, k, dtype=torch.float64),
    )
    dilated = F.conv2d(x, w, dilation=2)
    offset = torch.zeros(
        2, 2 * k * k, 11 - k + 1, 12 - k + 1, dtype=torch.float64
    )
    a, b = np.divmod(
        np.arange(k * k), k
    )  # tap k = a * kW + b sits at (a, b); dilation 2 at (2a, 2b)
    offset[:, 0::2] = torch.tensor(a, dtype=torch.float64)[:, None, None]
    offset[:, 1::2] = torch.tensor(b, dtype=torch.float64)[:, None, None]
    got = deform_conv2d(x, offset, w)
    h, wd = dilated.shape[2:]
    torch.testing.assert_close(got[:, :, :h, :wd], dilated, **SAME_SUM)


def test_centred_spread_with_padding_is_same_dilated_conv():
    torch.manual_seed(1)
    x, w = (
        torch.randn(1, 2, 9, 9, dtype=torch.float64),
        torch.randn(3, 2, 3, 3, dtype=torch.float64),
    )
    a, b = np.divmod(np.arange(9), 3)
    offset = torch.zeros(1, 18, 9, 9, dtype=torch.float64)
    offset[:, 0::2] = torch.tensor(a - 1.0)[
        :, None, None
    ]  # tap (a, b) moves from (a-1, b-1) to 2(a-1, b-1)
    offset[:, 1::2] = torch.tensor(b - 1.0)[:, None, None]
    torch.testing.assert_close(
        deform_conv2d(x, offset, w, padding=1),
        F.conv2d(x, w, padding=2, dilation=2),
        **SAME_SUM,
    )


def test_a_fractional_offset_by_hand():
    img = torch.tensor(
        [[[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]]]],
        dtype=torch.float64,
    )
    w = torch.ones(1, 1, 1, 1, dtype=torch.float64)
    offset = torch.zeros(1, 2, 3, 3, dtype=torch.float64)
    offset[0, 0, 0, 0], offset[0, 1, 0, 0] = (
        0.25,
        0.5,
    )  # output (0, 0) reads the point (0.25, 0.5)
    # (1-.25)(1-.5)*1 + (1-.25)(.5)*2 + (.25)(1-.5)*4 + (.25)(.5)*5 = 0.375 + 0.75 + 0.5 + 0.625 = 2.25
    assert deform_conv2d(img, offset, w)[
        0, 0, 0, 0
    ].item() == pytest.approx(2.25, abs=1e-15)
    # on this linear image the value is 1 + 3*y + x at the point (y, x): 1 + 0.75 + 0.5 = 2.25
    offset[0, 0, 2, 2], offset[0, 1, 2, 2] = (
        -0.5,
        0.0,
    )  # from (2, 2) to (1.5, 2): between 6 and 9
    assert deform_conv2d(img, offset, w)[
        0, 0, 2, 2
    ].item() == pytest.approx(7.5, abs=1e-15)


@settings(max_examples=60, deadline=None)
@given(conv_case(), st.floats(0, 1), st.integers(0, 2**31 - 1))
def test_along_one_axis_the_output_is_linear_in_a_fractional_offset(
    case, t, seed
):
    """Moving each tap by t pixels down or right (0 <= t <= 1) mixes the t = 0 and t = 1 outputs linearly."""
    x, w, b, kw = case
    out0 = F.conv2d(x, w, None, **kw)
    taps = w.shape[2] * w.shape[3]
    g = torch.Generator().manual_seed(seed)
    axis = torch.randint(
        0, 3, (taps,), generator=g
    )  # per tap: 0 stays, 1 moves down, 2 moves right
    base = zero_offset(x, w, out0)
    base[:, 0::2] = (axis == 1).to(torch.float64)[None, :, None, None]
    base[:, 1::2] = (axis == 2).to(torch.float64)[None, :, None, None]
    at = lambda s: deform_conv2d(x, s * base, w, None, **kw)
    torch.testing.assert_close(
        at(t), (1 - t) * at(0.0) + t * at(1.0), **THROUGH_TRANSFORM
    )


def test_along_a_diagonal_bilinear_is_not_linear():
    """Bilinear is linear along each axis, not jointly: half-way along a diagonal is not the mean of the ends."""
    img = torch.tensor([[[[1.0, 0.0], [0.0, 0.0]]]], dtype=torch.float64)
    at = lambda t: bilinear_sample(
        img, torch.tensor([[t]]), torch.tensor([[t]])
    )[0, 0, 0].item()
    assert (at(0.0), at(1.0), at(0.5)) == (
        1.0,
        0.0,
        0.25,
    )  # (1 - t)^2, not 1 - t


def test_outside_the_image_is_zero():
    x = torch.ones(1, 1, 4, 4, dtype=torch.float64)
    w = torch.ones(1, 1, 1, 1, dtype=torch.float64)
    offset = torch.zeros(1, 2, 4, 4, dtype=torch.float64)
    offset[:, 0] = -10.0  # every sample far above the image
    assert deform_conv2d(x, offset, w).abs().max().item() == 0
    offset[:, 0] = 0.0
    offset[
        :, 1
    ] = -0.5  # half a pixel to the left: column 0 is half outside
    out = deform_conv2d(x, offset, w)[0, 0]
    assert out[:, 0].tolist() == [0.5] * 4 and out[:, 1:].eq(1).all()


def test_gradcheck_with_respect_to_offsets_input_and_weights():
    torch.manual_seed(0)
    x = torch.randn(1, 2, 5, 5, dtype=torch.float64, requires_grad=True)
    w = torch.randn(2, 2, 3, 3, dtype=torch.float64, requires_grad=True)
    # fractional offsets away from integers, where bilinear interpolation is differentiable
    offset = (
        torch.rand(1, 18, 5, 5, dtype=torch.float64) * 0.8
        + 0.1
        + torch.randint(-2, 2, (1, 18, 5, 5))
    )
    offset.requires_grad_(True)
    assert torch.autograd.gradcheck(
        lambda o, x, w: deform_conv2d(x, o, w, padding=1), (offset, x, w)
    )
    out = deform_conv2d(x, offset, w, padding=1).sum()
    (grad,) = torch.autograd.grad(out, offset)
    assert grad.abs().sum() > 0


def test_sampling_locations_is_the_grid_plus_the_offsets():
    offset = torch.zeros(1, 18, 2, 2, dtype=torch.float64)
    offset[0, 2 * 4, 1, 1], offset[0, 2 * 4 + 1, 1, 1] = (
        0.5,
        -1.5,
    )  # centre tap (k = 4) of output (1, 1)
    where = sampling_locations(offset, 3, stride=2, padding=1)
    assert where.shape == (1, 9, 2, 2, 2)
    assert where[0, 0, :, 0, 0].tolist() == [
        -1,
        -1,
    ]  # top-left tap of output (0, 0)
    assert where[0, 4, :, 1, 1].tolist() == [
        2 + 0.5,
        2 - 1.5,
    ]  # centre of output (1, 1) is (2, 2)


def test_bilinear_sample_at_integer_points_reads_the_pixels():
    img = torch.arange(12.0, dtype=torch.float64).reshape(1, 1, 3, 4)
    y, x = torch.tensor([[0.0, 2.0, 1.0]]), torch.tensor([[0.0, 3.0, 2.0]])
    assert bilinear_sample(img, y, x)[0, 0].tolist() == [0.0, 11.0, 6.0]


def test_numpy_in_numpy_out():
    x, w = np.ones((1, 1, 3, 3)), np.ones((1, 1, 2, 2))
    out = deform_conv2d(x, np.zeros((1, 8, 2, 2)), w)
    assert isinstance(out, np.ndarray) and out.tolist() == [
        [[[4.0, 4.0], [4.0, 4.0]]]
    ]


@pytest.mark.parametrize(
    "offset_shape,fragment",
    [
        ((1, 9, 3, 3), "needs 2*9 = 18 channels"),
        ((1, 36, 3, 3), "offset groups"),
        ((1, 18, 5, 5), "(1, 18, 3, 3)"),
        ((2, 18, 3, 3), "(1, 18, 3, 3)"),
        ((18, 3, 3), "must have shape (N, 2*kH*kW, H_out, W_out)"),
    ],
)
def test_bad_offset_shapes_are_explained(offset_shape, fragment):
    x, w = torch.zeros(1, 2, 5, 5), torch.zeros(1, 2, 3, 3)
    with pytest.raises(ValueError, match=re.escape(fragment)):
        deform_conv2d(x, torch.zeros(offset_shape), w)


@pytest.mark.parametrize(
    "args,error,fragment",
    [
        (
            (
                torch.zeros(2, 5, 5),
                torch.zeros(1, 18, 3, 3),
                torch.zeros(1, 2, 3, 3),
            ),
            ValueError,
            "x must have shape",
        ),
        (
            (
                torch.zeros(1, 2, 5, 5),
                torch.zeros(1, 18, 3, 3),
                torch.zeros(1, 1, 3, 3),
            ),
            ValueError,
            "groups are not",
        ),
        (
            (
                torch.zeros(1, 2, 2, 2),
                torch.zeros(1, 18, 1, 1),
                torch.zeros(1, 2, 3, 3),
            ),
            ValueError,
            "no output",
        ),
        (
            (None, torch.zeros(1, 18, 3, 3), torch.zeros(1, 2, 3, 3)),
            TypeError,
            "x is None",
        ),
        (
            (torch.zeros(1, 2, 5, 5), "abc", torch.zeros(1, 2, 3, 3)),
            TypeError,
            "offset",
        ),
    ],
)
def test_bad_arguments_are_explained(args, error, fragment):
    with pytest.raises(error, match=re.escape(fragment)):
        deform_conv2d(*args)


def test_bad_bias_and_stride_are_explained():
    x, off, w = (
        torch.zeros(1, 2, 5, 5),
        torch.zeros(1, 18, 3, 3),
        torch.zeros(4, 2, 3, 3),
    )
    with pytest.raises(
        ValueError, match=re.escape("bias b must have shape (4,)")
    ):
        deform_conv2d(x, off, w, b=torch.zeros(3))
    with pytest.raises(ValueError, match="stride must be a positive int"):
        deform_conv2d(x, off, w, stride=0)
    with pytest.raises(ValueError, match=re.escape("same shape (N, ...)")):
        bilinear_sample(x, torch.zeros(1, 3), torch.zeros(1, 4))
