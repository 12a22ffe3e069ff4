"""convlab.transposed against PyTorch (float64): the transposed convolution, the backward pass of
conv2d, the autograd wrapper, pixel shuffle and the tap counts of the checkerboard artefact."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlab import ops
from convlab.arith import conv_output_size, conv_transpose_output_size
from convlab.fast_conv import conv_matrix
from convlab.transposed import (
    conv2d_autograd,
    conv2d_backward,
    conv_transpose2d,
    insert_zeros,
    pixel_shuffle,
    pixel_unshuffle,
    tap_counts,
)
from tolerances import FLOAT32, SAME_SUM, THROUGH_TRANSFORM

T = torch.from_numpy


@st.composite
def transposed_settings(draw):
    """A random conv_transpose2d call that torch accepts (x, w, b, keyword arguments)."""
    groups = draw(st.integers(1, 3))
    c_in, c_out = (
        groups * draw(st.integers(1, 2)),
        groups * draw(st.integers(1, 2)),
    )
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    h, wd = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dilation = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    output_padding = tuple(
        draw(st.integers(0, max(s, d) - 1))
        for s, d in zip(stride, dilation)
    )
    full = [
        (n - 1) * s + d * (k - 1) + 1 + op
        for n, s, d, k, op in zip(
            (h, wd), stride, dilation, (kh, kw), output_padding
        )
    ]
    padding = tuple(
        draw(st.integers(0, (f - 1) // 2)) for f in full
    )  # leaves at least one output pixel
    seed = draw(st.integers(0, 2**16))
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(draw(st.integers(1, 2)), c_in, h, wd))
    w = rng.normal(size=(c_in, c_out // groups, kh, kw))
    b = rng.normal(size=c_out) if draw(st.booleans()) else None
    kwargs = dict(
        stride=stride,
        padding=padding,
        output_padding=output_padding,
        dilation=dilation,
        groups=groups,
    )
    return x, w, b, kwargs


@settings(max_examples=150, deadline=None)
@given(transposed_settings())
def test_conv_transpose2d_equals_torch(setting):
    x, w, b, kw = setting
    expected = F.conv_transpose2d(
        T(x), T(w), None if b is None else T(b), **kw
    ).numpy()
    got = conv_transpose2d(x, w, b, **kw)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **THROUGH_TRANSFORM)
    sizes = [
        conv_transpose_output_size(n, k, s, p, op, d)
        for n, k, s, p, op, d in zip(
            x.shape[2:],
            w.shape[2:],
            kw["stride"],
            kw["padding"],
            kw["output_padding"],
            kw["dilation"],
        )
    ]
    assert list(got.shape[2:]) == sizes


def test_conv_transpose2d_single_image_and_float32():
    rng = np.random.default_rng(1)
    x, w = (
        rng.normal(size=(2, 4, 4)).astype(np.float32),
        rng.normal(size=(2, 3, 3, 3)).astype(np.float32),
    )
    got = conv_transpose2d(x, w, stride=2)
    assert got.dtype == np.float32 and got.shape == (3, 9, 9)
    np.testing.assert_allclose(
        got,
        F.conv_transpose2d(T(x), T(w), stride=2).numpy(),
        **FLOAT32,
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (
            dict(stride=2, output_padding=2),
            "output_padding (height) must be smaller than the stride or the dilation",
        ),
        (dict(padding=5), "no output"),
        (dict(groups=2), "does not divide the 3 input channels"),
    ],
)
def test_conv_transpose2d_refuses_what_torch_refuses(kwargs, message):
    x, w = np.zeros((1, 3, 3, 3)), np.zeros((3, 1, 3, 3))
    with pytest.raises(RuntimeError):
        F.conv_transpose2d(T(x), T(w), **kwargs)
    with pytest.raises(
        ValueError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        conv_transpose2d(x, w, **kwargs)


def test_conv_transpose2d_errors():
    x = np.zeros((1, 2, 3, 3))
    with pytest.raises(RuntimeError):
        F.conv_transpose2d(
            T(x), torch.zeros(3, 1, 3, 3, dtype=torch.float64)
        )
    with pytest.raises(ValueError, match="input channels first"):
        conv_transpose2d(x, np.zeros((3, 1, 3, 3)))
    with pytest.raises(ValueError, match=r"bias b must have shape \(4,\)"):
        conv_transpose2d(
            x, np.zeros((2, 2, 3, 3)), b=np.zeros(2), groups=2
        )  # 2 groups x 2 = 4 outputs
    with pytest.raises(ValueError, match="must have shape"):
        conv_transpose2d(np.zeros((3, 3)), np.zeros((1, 1, 2, 2)))
    with pytest.raises(TypeError, match="padding must be an int"):
        conv_transpose2d(x, np.zeros((2, 1, 3, 3)), padding="same")
    with pytest.raises(TypeError, match="groups must be an int"):
        conv_transpose2d(x, np.zeros((2, 1, 3, 3)), groups=1.0)
    with pytest.raises(ValueError, match="stride must be a positive int"):
        conv_transpose2d(x, np.zeros((2, 1, 3, 3)), stride=0)
    with pytest.raises(ValueError, match="empty"):
        conv_transpose2d(np.zeros((1, 2, 0, 3)), np.zeros((2, 1, 3, 3)))
    with pytest.raises(TypeError, match="complex"):
        conv_transpose2d(x + 0j, np.zeros((2, 1, 3, 3)))


@settings(max_examples=60, deadline=None)
@given(
    n=st.integers(1, 5),
    k=st.integers(1, 4),
    s=st.integers(1, 3),
    d=st.integers(1, 2),
    seed=st.integers(0, 999),
)
def test_conv_transpose2d_is_full_correlation_of_zero_inserted_input_with_flipped_kernel(
    n, k, s, d, seed
):
    rng = np.random.default_rng(seed)
    y, w = rng.normal(size=(1, 2, n, n)), rng.normal(size=(2, 3, k, k))
    w_conv = w[:, :, ::-1, ::-1].transpose(
        1, 0, 2, 3
    )  # (C_out, C_in) of the equivalent conv2d
    via_conv = ops.conv2d(
        insert_zeros(y, s), w_conv, padding=d * (k - 1), dilation=d
    )
    np.testing.assert_allclose(
        conv_transpose2d(y, w, stride=s, dilation=d),
        via_conv,
        **THROUGH_TRANSFORM,
    )


def test_insert_zeros():
    y = np.arange(1.0, 7.0).reshape(2, 3)
    np.testing.assert_array_equal(
        insert_zeros(y, (2, 1)), [[1, 2, 3], [0, 0, 0], [4, 5, 6]]
    )
    assert insert_zeros(np.ones((4, 1, 3)), 3).shape == (4, 1, 7)
    with pytest.raises(ValueError, match="at least 2 dimensions"):
        insert_zeros(np.ones(3), 2)


# ------------------------------------------------------------------ backward pass
@st.composite
def conv_settings(draw):
    groups = draw(st.integers(1, 2))
    c_in, c_out = (
        groups * draw(st.integers(1, 2)),
        groups * draw(st.integers(1, 2)),
    )
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    dilation = (draw(st.integers(1, 2)), draw(st.integers(1, 2)))
    if draw(st.booleans()):
        stride, padding = (1, 1), draw(st.sampled_from(["same", "valid"]))
    else:
        stride, padding = (
            (draw(st.integers(1, 3)), draw(st.integers(1, 3))),
            (draw(st.integers(0, 2)), draw(st.integers(0, 2))),
        )
    pads = (0, 0) if isinstance(padding, str) else padding
    h = draw(
        st.integers(max(1, dilation[0] * (kh - 1) + 1 - 2 * pads[0]), 7)
    )
    wd = draw(
        st.integers(max(1, dilation[1] * (kw - 1) + 1 - 2 * pads[1]), 7)
    )
    rng = np.random.default_rng(draw(st.integers(0, 2**16)))
    x = rng.normal(size=(draw(st.integers(1, 2)), c_in, h, wd))
    w = rng.normal(size=(c_out, c_in // groups, kh, kw))
    return (
        x,
        w,
        dict(
            stride=stride, padding=padding, dilation=dilation, groups=groups
        ),
        rng,
    )


@settings(max_examples=120, deadline=None)
@given(conv_settings())
def test_conv2d_backward_equals_autograd(setting):
    x, w, kw, rng = setting
    xt, wt = T(x).requires_grad_(), T(w).requires_grad_()
    bt = torch.zeros(w.shape[0], dtype=torch.float64, requires_grad=True)
    y = F.conv2d(xt, wt, bt, **kw)
    g = rng.normal(size=tuple(y.shape))
    y.backward(T(g))
    grad_x, grad_w, grad_b = conv2d_backward(x, w, g, **kw)
    for ours, theirs in (
        (grad_x, xt.grad),
        (grad_w, wt.grad),
        (grad_b, bt.grad),
    ):
        assert ours.shape == tuple(theirs.shape)
        np.testing.assert_allclose(
            ours, theirs.numpy(), **THROUGH_TRANSFORM
        )


def output_padding_for(n, m, k, s, p, d):
    """The output_padding that makes a transposed convolution map size m back to the conv's input size n
    (it restores the rows the last window did not reach), or None if none is allowed."""
    for op in range(max(s, d)):
        if (m - 1) * s - 2 * p + d * (k - 1) + op + 1 == n:
            return op
    return None


@settings(max_examples=60, deadline=None)
@given(conv_settings())
def test_input_gradient_is_a_transposed_convolution_and_the_adjoint(
    setting,
):
    x, w, kw, rng = setting
    if isinstance(kw["padding"], str):
        return
    y = ops.conv2d(x, w, **kw)
    g = rng.normal(size=y.shape)
    op = tuple(
        output_padding_for(*a)
        for a in zip(
            x.shape[2:],
            y.shape[2:],
            w.shape[2:],
            kw["stride"],
            kw["padding"],
            kw["dilation"],
        )
    )
    if None in op:
        return  # torch's transposed convolution cannot reach this size; conv2d_backward still can
    kt = conv_transpose2d(
        g,
        w,
        None,
        kw["stride"],
        kw["padding"],
        op,
        kw["dilation"],
        kw["groups"],
    )
    np.testing.assert_allclose(
        kt, conv2d_backward(x, w, g, **kw)[0], **THROUGH_TRANSFORM
    )
    assert np.isclose(
        np.vdot(y, g), np.vdot(x, kt), **THROUGH_TRANSFORM
    )  # <K x, g> == <x, K^T g>


@pytest.mark.parametrize(
    "stride, padding, dilation",
    [(1, 0, 1), (2, 1, 1), ((1, 2), (0, 1), (2, 1)), (3, 2, 1)],
)
def test_conv_transpose2d_is_multiplication_by_the_transposed_conv_matrix(
    stride, padding, dilation
):
    rng = np.random.default_rng(2)
    w = rng.normal(size=(3, 2, 3, 3))
    K = conv_matrix(w, (7, 8), stride, padding, dilation)
    y_shape = ops.conv2d(
        np.zeros((2, 7, 8)), w, None, stride, padding, dilation
    ).shape
    g = rng.normal(size=y_shape)
    s, p, d = (
        v if isinstance(v, tuple) else (v, v)
        for v in (stride, padding, dilation)
    )
    op = tuple(
        output_padding_for(n, m, 3, *spd)
        for n, m, *spd in zip((7, 8), y_shape[1:], s, p, d)
    )
    np.testing.assert_allclose(
        conv_transpose2d(g, w, None, stride, padding, op, dilation).ravel(),
        K.T @ g.ravel(),
        **SAME_SUM,
    )


def test_conv2d_backward_errors():
    x, w = np.zeros((1, 2, 5, 5)), np.zeros((3, 2, 3, 3))
    with pytest.raises(
        ValueError,
        match=r"grad_out must have the shape of the forward output \(1, 3, 3, 3\)",
    ):
        conv2d_backward(x, w, np.zeros((1, 3, 5, 5)))
    with pytest.raises(
        ValueError,
        match="conv2d_backward: padding='same' is only supported with stride 1",
    ):
        conv2d_backward(
            x, w, np.zeros((1, 3, 3, 3)), stride=2, padding="same"
        )
    with pytest.raises(ValueError, match="grad_out must have shape"):
        conv2d_backward(x, w, np.zeros((3, 3, 3)))
    gx, gw, gb = conv2d_backward(x[0], w, np.ones((3, 3, 3)))
    assert (
        gx.shape == (2, 5, 5)
        and gw.shape == w.shape
        and gb.tolist() == [9, 9, 9]
    )


# ------------------------------------------------------------------ autograd wrapper
@pytest.mark.parametrize(
    "kw",
    [
        dict(),
        dict(stride=2, padding=1),
        dict(padding="same", dilation=2),
        dict(stride=(2, 1), padding=(1, 0), groups=2),
    ],
)
def test_conv2d_autograd_passes_gradcheck(kw):
    torch.manual_seed(0)
    x = torch.randn(2, 4, 6, 5, dtype=torch.float64, requires_grad=True)
    w = torch.randn(
        4,
        4 // kw.get("groups", 1),
        3,
        3,
        dtype=torch.float64,
        requires_grad=True,
    )
    b = torch.randn(4, dtype=torch.float64, requires_grad=True)
    assert torch.autograd.gradcheck(
        lambda x, w, b: conv2d_autograd(x, w, b, **kw), (x, w, b)
    )
    y = conv2d_autograd(x, w, b, **kw)
    assert torch.allclose(y, F.conv2d(x, w, b, **kw), **SAME_SUM)


def test_conv2d_autograd_without_bias_and_errors():
    x = torch.randn(1, 1, 4, 4, dtype=torch.float64, requires_grad=True)
    w = torch.randn(1, 1, 2, 2, dtype=torch.float64)
    conv2d_autograd(x, w).sum().backward()
    expected = torch.autograd.grad(F.conv2d(x, w).sum(), x)[0]
    assert torch.allclose(x.grad, expected) and w.grad is None
    with pytest.raises(TypeError, match="must be a torch.Tensor"):
        conv2d_autograd(x.detach().numpy(), w)
    with pytest.raises(TypeError, match="same dtype"):
        conv2d_autograd(x, w.float())
    with pytest.raises(TypeError, match="floating-point"):
        conv2d_autograd(x, w.long())


# ------------------------------------------------------------------ pixel shuffle
@settings(max_examples=60, deadline=None)
@given(
    lead=st.lists(st.integers(1, 2), max_size=2),
    c=st.integers(1, 3),
    r=st.integers(1, 3),
    h=st.integers(1, 4),
    w=st.integers(1, 4),
    seed=st.integers(0, 999),
)
def test_pixel_shuffle_and_unshuffle_equal_torch(lead, c, r, h, w, seed):
    x = np.random.default_rng(seed).normal(size=(*lead, c * r * r, h, w))
    y = pixel_shuffle(x, r)
    np.testing.assert_array_equal(y, F.pixel_shuffle(T(x), r).numpy())
    np.testing.assert_array_equal(
        pixel_unshuffle(y, r), F.pixel_unshuffle(T(y), r).numpy()
    )
    np.testing.assert_array_equal(pixel_unshuffle(y, r), x)


def test_pixel_shuffle_errors():
    with pytest.raises(RuntimeError):
        F.pixel_shuffle(torch.zeros(1, 3, 2, 2), 2)
    with pytest.raises(
        ValueError, match="divisible by upscale_factor\\*\\*2 = 4"
    ):
        pixel_shuffle(np.zeros((1, 3, 2, 2)), 2)
    with pytest.raises(
        ValueError, match="divisible by downscale_factor = 2"
    ):
        pixel_unshuffle(np.zeros((1, 1, 3, 4)), 2)
    with pytest.raises(ValueError, match="at least 3 dimensions"):
        pixel_shuffle(np.zeros((4, 4)), 2)
    with pytest.raises(
        ValueError, match="upscale_factor must be at least 1"
    ):
        pixel_shuffle(np.zeros((1, 4, 2, 2)), 0)
    with pytest.raises(TypeError, match="upscale_factor must be an int"):
        pixel_shuffle(np.zeros((1, 4, 2, 2)), 2.0)


# ------------------------------------------------------------------ tap counts
@settings(max_examples=80, deadline=None)
@given(
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    k=st.integers(1, 5),
    s=st.integers(1, 3),
    d=st.integers(1, 2),
    p=st.integers(0, 1),
    data=st.data(),
)
def test_tap_counts_equal_transposed_conv_of_ones(h, w, k, s, d, p, data):
    op = data.draw(st.integers(0, max(s, d) - 1))
    try:
        counts = tap_counts((h, w), k, s, p, op, d)
    except ValueError:
        with pytest.raises(RuntimeError):
            F.conv_transpose2d(
                torch.ones(1, 1, h, w),
                torch.ones(1, 1, k, k),
                stride=s,
                padding=p,
                output_padding=op,
                dilation=d,
            )
        return
    ones = conv_transpose2d(
        np.ones((1, 1, h, w)), np.ones((1, 1, k, k)), None, s, p, op, d
    )[0, 0]
    assert counts.dtype.kind == "i"
    np.testing.assert_array_equal(counts, ones)


@pytest.mark.parametrize("k", range(1, 8))
@pytest.mark.parametrize("s", range(1, 5))
def test_interior_counts_are_even_exactly_when_the_stride_divides_the_kernel(
    k, s
):
    counts = tap_counts(12, k, s)[0]
    interior = counts[
        k:-k
    ]  # away from the borders, where fewer pixels reach
    assert (len(set(interior.tolist())) == 1) == (k % s == 0)
    if k % s == 0:
        assert interior[0] == k // s


def test_tap_counts_errors():
    with pytest.raises(
        ValueError, match="tap_counts: output_padding must be smaller"
    ):
        tap_counts(4, 3, 2, output_padding=2)
    with pytest.raises(ValueError, match="tap_counts: no output"):
        tap_counts(2, 1, 1, padding=3)
    with pytest.raises(TypeError, match="kernel_size must be an int"):
        tap_counts(4, "3")


def test_sizes_agree_with_conv_output_size():
    # the transposed convolution maps conv's output size back to (one of) its input sizes
    for n in range(3, 12):
        m = conv_output_size(n, 3, 2, 1)
        back = conv_transpose_output_size(m, 3, 2, 1)
        assert (
            back in (n, n - 1)
            and conv_transpose_output_size(
                m, 3, 2, 1, output_padding=n - back
            )
            == n
        )
