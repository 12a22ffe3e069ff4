"""convlab.fast_conv: im2col, FFT, Winograd and the convolution matrix all equal torch's conv2d (float64)."""

import re
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import dense, fast_conv as fc, ops
from strategies import FINITE
from tolerances import SAME_SUM, THROUGH_TRANSFORM


def torch_conv(x, w, b=None, **kw):
    """The oracle: torch's conv2d on float64 NumPy arrays (quiet about lopsided 'same' padding)."""
    t = lambda a: (
        None if a is None else torch.from_numpy(np.ascontiguousarray(a))
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return F.conv2d(t(x), t(w), t(b), **kw).numpy()


@st.composite
def conv_settings(draw, max_groups=3):
    """A random layer that torch accepts: shapes, groups, stride, padding (int, pair or string), dilation."""
    groups = draw(st.integers(1, max_groups))
    c_in, c_out = (
        groups * draw(st.integers(1, 3)),
        groups * draw(st.integers(1, 2)),
    )
    kh, kw = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    stride = draw(
        st.one_of(
            st.integers(1, 3),
            st.tuples(st.integers(1, 3), st.integers(1, 3)),
        )
    )
    dilation = draw(
        st.one_of(
            st.integers(1, 2),
            st.tuples(st.integers(1, 2), st.integers(1, 2)),
        )
    )
    dh, dw = (dilation, dilation) if isinstance(dilation, int) else dilation
    paddings = [
        st.integers(0, 2),
        st.tuples(st.integers(0, 2), st.integers(0, 2)),
        st.just("valid"),
    ]
    if stride in (1, (1, 1)):
        paddings.append(st.just("same"))
    padding = draw(st.one_of(*paddings))
    pads = (
        {"valid": (0, 0), "same": (0, 0)}.get(padding, padding)
        if isinstance(padding, str)
        else padding
    )
    ph, pw = (pads, pads) if isinstance(pads, int) else pads
    h = draw(st.integers(max(1, dh * (kh - 1) + 1 - 2 * ph), 10))
    wd = draw(st.integers(max(1, dw * (kw - 1) + 1 - 2 * pw), 10))
    n = draw(st.integers(1, 2))
    x = draw(arrays(np.float64, (n, c_in, h, wd), elements=FINITE))
    w = draw(
        arrays(np.float64, (c_out, c_in // groups, kh, kw), elements=FINITE)
    )
    b = draw(
        st.one_of(st.none(), arrays(np.float64, (c_out,), elements=FINITE))
    )
    return (
        x,
        w,
        b,
        dict(
            stride=stride, padding=padding, dilation=dilation, groups=groups
        ),
    )


@pytest.mark.parametrize(
    "method",
    [fc.conv2d_im2col, fc.conv2d_kn2col, fc.conv2d_fft],
    ids=lambda f: f.__name__,
)
@settings(max_examples=80, deadline=None)
@given(case=conv_settings())
def test_im2col_and_fft_equal_torch(method, case):
    x, w, b, kw = case
    expected = torch_conv(x, w, b, **kw)
    got = method(x, w, b, **kw)
    assert got.shape == expected.shape and got.dtype == np.float64
    np.testing.assert_allclose(got, expected, **THROUGH_TRANSFORM)
    np.testing.assert_allclose(
        method(x[0], w, b, **kw), expected[0], **THROUGH_TRANSFORM
    )  # unbatched


@st.composite
def winograd_settings(draw):
    padding = draw(
        st.one_of(
            st.integers(0, 3),
            st.tuples(st.integers(0, 3), st.integers(0, 3)),
            st.sampled_from(["same", "valid"]),
        )
    )
    pads = (
        {"valid": 0, "same": 1}.get(padding, padding)
        if isinstance(padding, str)
        else padding
    )
    ph, pw = (pads, pads) if isinstance(pads, int) else pads
    h, wd = (
        draw(st.integers(max(1, 3 - 2 * ph), 11)),
        draw(st.integers(max(1, 3 - 2 * pw), 11)),
    )
    n, c_in, c_out = (
        draw(st.integers(1, 2)),
        draw(st.integers(1, 4)),
        draw(st.integers(1, 4)),
    )
    x = draw(arrays(np.float64, (n, c_in, h, wd), elements=FINITE))
    w = draw(arrays(np.float64, (c_out, c_in, 3, 3), elements=FINITE))
    b = draw(
        st.one_of(st.none(), arrays(np.float64, (c_out,), elements=FINITE))
    )
    return x, w, b, padding


@settings(max_examples=100, deadline=None)
@given(case=winograd_settings())
def test_winograd_equals_torch(case):
    x, w, b, padding = case
    expected = torch_conv(x, w, b, padding=padding)
    got = fc.conv2d_winograd(x, w, b, padding=padding)
    assert got.shape == expected.shape
    np.testing.assert_allclose(got, expected, **THROUGH_TRANSFORM)
    np.testing.assert_allclose(
        fc.conv2d_winograd(x[0], w, b, padding=padding),
        expected[0],
        **THROUGH_TRANSFORM,
    )


@settings(max_examples=80, deadline=None)
@given(case=conv_settings())
def test_conv_matrix_times_image_is_the_convolution(case):
    x, w, _, kw = case
    expected = torch_conv(x, w, None, **kw)
    K = fc.conv_matrix(w, x.shape[2:], **kw)
    assert K.shape == (expected[0].size, x[0].size)
    for xi, yi in zip(x, expected):
        np.testing.assert_allclose(
            K @ xi.ravel(), yi.ravel(), **THROUGH_TRANSFORM
        )


@settings(max_examples=60, deadline=None)
@given(
    kh=st.integers(1, 4),
    kw=st.integers(1, 4),
    ph=st.integers(0, 2),
    pw=st.integers(0, 2),
    extra_h=st.integers(0, 4),
    extra_w=st.integers(0, 4),
    data=st.data(),
)
def test_conv_matrix_generalises_the_dense_matrix_of_chapter_4(
    kh, kw, ph, pw, extra_h, extra_w, data
):
    h, w = max(1, kh - 2 * ph) + extra_h, max(1, kw - 2 * pw) + extra_w
    k = data.draw(arrays(np.float64, (kh, kw), elements=FINITE))
    np.testing.assert_array_equal(
        fc.conv_matrix(k[None, None], (h, w), padding=(ph, pw)),
        dense.conv_as_dense_matrix(k, (h, w), (ph, pw)),
    )


def test_conv_matrix_structure_banded_blocks_and_sparsity():
    rng = np.random.default_rng(0)
    k = rng.normal(size=(3, 3))
    K = fc.conv_matrix(k[None, None], (5, 5))  # 9 x 25, valid
    assert K.shape == (9, 25) and (np.count_nonzero(K, axis=1) == 9).all()
    blocks = K.reshape(3, 3, 5, 5)  # (output row, ., input row, .)
    for i in range(3):  # block (i, r) is the band of kernel row r - i
        for r in range(5):
            expected = (
                np.zeros((3, 5))
                if not 0 <= r - i < 3
                else sum(k[r - i, b] * np.eye(3, 5, b) for b in range(3))
            )
            np.testing.assert_array_equal(blocks[i, :, r, :], expected)


@settings(max_examples=60, deadline=None)
@given(case=conv_settings(max_groups=1))
def test_im2col_columns_are_the_windows(case):
    x, w, _, kw = case
    kw.pop("groups")
    cols = fc.im2col(x, w.shape[2:], **kw)
    y = torch_conv(x, w, None, **kw)
    n, c_out, ho, wo = y.shape
    assert cols.shape == (n, x.shape[1] * w.shape[2] * w.shape[3], ho * wo)
    np.testing.assert_allclose(
        w.reshape(c_out, -1) @ cols,
        y.reshape(n, c_out, -1),
        **THROUGH_TRANSFORM,
    )
    assert (
        fc.im2col_bytes(x.shape[1], w.shape[2:], (ho, wo), itemsize=8)
        == cols[0].nbytes
    )


def test_im2col_column_holds_the_window_of_its_output_pixel():
    x = np.arange(2 * 5 * 6, dtype=float).reshape(2, 5, 6)
    cols = fc.im2col(x, (2, 3), stride=(1, 2), padding=0)  # outputs 4 x 2
    i, j = 2, 1
    np.testing.assert_array_equal(
        cols[:, i * 2 + j], x[:, i : i + 2, 2 * j : 2 * j + 3].ravel()
    )


def test_dtype_is_kept_for_float32_and_integers_become_float64():
    rng = np.random.default_rng(1)
    x, w = (
        rng.normal(size=(1, 2, 6, 6)).astype(np.float32),
        rng.normal(size=(3, 2, 3, 3)).astype(np.float32),
    )
    for method in (
        fc.conv2d_im2col,
        fc.conv2d_kn2col,
        fc.conv2d_fft,
        fc.conv2d_winograd,
    ):
        assert method(x, w).dtype == np.float32
        assert (
            method(
                np.ones((1, 2, 5, 5), dtype=int),
                np.ones((1, 2, 3, 3), dtype=int),
            ).dtype
            == np.float64
        )
    assert fc.conv_matrix(w, (6, 6)).dtype == np.float32


# ------------------------------------------------------------------ Winograd pieces
def test_winograd_f23_is_the_correlation_as_a_bilinear_map():
    """AT((G g) * (BT d)) equals the direct formula on every pair of basis vectors, hence everywhere."""
    for i in range(4):
        for j in range(3):
            d, g = np.eye(4)[i], np.eye(3)[j]
            direct = np.array(
                [
                    d[0] * g[0] + d[1] * g[1] + d[2] * g[2],
                    d[1] * g[0] + d[2] * g[1] + d[3] * g[2],
                ]
            )
            np.testing.assert_array_equal(fc.winograd_f23(d, g), direct)


def test_winograd_tile_equals_corr2d():
    rng = np.random.default_rng(2)
    for _ in range(20):
        d, g = rng.normal(size=(4, 4)), rng.normal(size=(3, 3))
        np.testing.assert_allclose(
            fc.winograd_f2x2_3x3(d, g),
            ops.corr2d(d, g),
            **SAME_SUM,
        )


class Counted:
    """A number that counts the multiplications between two counted numbers (data x weight)."""

    products = 0

    def __init__(self, v):
        self.v = v

    def __mul__(self, other):
        if isinstance(other, Counted):
            Counted.products += 1
            return Counted(self.v * other.v)
        return Counted(
            self.v * other
        )  # a constant of a transform: +-1, 1/2, 0

    __rmul__ = __mul__

    def __add__(self, other):
        return Counted(
            self.v + (other.v if isinstance(other, Counted) else other)
        )

    __radd__ = __add__


def test_multiplication_counts_are_what_the_algorithms_do():
    rng = np.random.default_rng(3)
    d = np.vectorize(Counted, otypes=[object])(rng.normal(size=(4, 4)))
    g = np.vectorize(Counted, otypes=[object])(rng.normal(size=(3, 3)))
    U = (
        fc.WINOGRAD_G @ g @ fc.WINOGRAD_G.T
    )  # kernel transform: constants only
    V = (
        fc.WINOGRAD_BT @ d @ fc.WINOGRAD_BT.T
    )  # data transform: constants only
    Counted.products = 0
    M = U * V
    winograd = Counted.products
    Counted.products = 0
    direct = [
        [
            sum(
                d[i + a, j + b] * g[a, b]
                for a in range(3)
                for b in range(3)
            )
            for j in range(2)
        ]
        for i in range(2)
    ]
    assert (winograd, Counted.products) == (16, 36)
    y = fc.WINOGRAD_AT @ M @ fc.WINOGRAD_AT.T
    np.testing.assert_allclose(
        np.vectorize(lambda c: c.v)(y),
        np.vectorize(lambda c: c.v)(np.array(direct)),
    )
    assert fc.multiplication_counts((2, 2)) == {
        "direct": 36,
        "winograd": 16,
        "tiles": 1,
    }
    counts = fc.multiplication_counts((56, 56), 64, 64)
    assert (
        counts["direct"] == 56 * 56 * 9 * 64 * 64
        and counts["winograd"] == 28 * 28 * 16 * 64 * 64
    )
    assert counts["direct"] / counts["winograd"] == 2.25
    assert (
        fc.multiplication_counts((3, 5))["tiles"] == 2 * 3
    )  # odd sizes: the last tile is padded


def test_fft_needs_the_linear_size_image_sized_transforms_wrap_around():
    rng = np.random.default_rng(4)
    x, w = rng.normal(size=(12, 12)), rng.normal(size=(5, 5))
    flipped = w[::-1, ::-1]  # correlation = convolution with the flip
    full = ops.conv2d(x[None, None], w[None, None], padding=4)[
        0, 0
    ]  # 'full' correlation, 16 x 16
    linear = np.fft.irfft2(
        np.fft.rfft2(x, (16, 16)) * np.fft.rfft2(flipped, (16, 16)),
        (16, 16),
    )
    np.testing.assert_allclose(linear, full, atol=1e-10)
    circular = np.fft.irfft2(
        np.fft.rfft2(x) * np.fft.rfft2(flipped, (12, 12)), (12, 12)
    )
    assert not np.allclose(
        circular[:4], full[:4, :12]
    )  # the first span - 1 rows wrapped around
    np.testing.assert_allclose(
        circular[4:, 4:], full[4:12, 4:12], atol=1e-10
    )  # the rest did not


# ------------------------------------------------------------------ errors
def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_errors_are_explained():
    x, w = np.zeros((1, 4, 6, 6)), np.zeros((2, 4, 3, 3))
    with raises(
        ValueError, "conv2d_fft: groups=3 does not divide the 4 input"
    ):
        fc.conv2d_fft(x, np.zeros((3, 1, 3, 3)), groups=3)
    with raises(ValueError, "conv2d_im2col: channel mismatch"):
        fc.conv2d_im2col(x, np.zeros((2, 3, 3, 3)))
    with raises(
        ValueError,
        "conv2d_im2col: padding='same' is only supported with stride 1",
    ):
        fc.conv2d_im2col(x, w, stride=2, padding="same")
    with raises(
        ValueError,
        "conv2d_fft: padding must be an int, a pair, 'same' or 'valid'",
    ):
        fc.conv2d_fft(x, w, padding="full")
    with raises(ValueError, "conv2d_fft: padding must be non-negative"):
        fc.conv2d_fft(x, w, padding=-1)
    with raises(ValueError, "the kernel covers 5x5 pixels"):
        fc.conv2d_im2col(np.zeros((1, 4, 4, 4)), w, dilation=2)
    with raises(
        ValueError,
        "conv2d_winograd: F(2x2, 3x3) needs 3x3 kernels, got 5x5",
    ):
        fc.conv2d_winograd(x, np.zeros((2, 4, 5, 5)))
    with raises(
        TypeError,
        "conv2d_winograd() got an unexpected keyword argument 'stride'",
    ):
        fc.conv2d_winograd(x, w, stride=2)
    with raises(ValueError, "bias b must have shape (2,)"):
        fc.conv2d_winograd(x, w, np.zeros(3))
    with raises(ValueError, "x must have shape (N, C, H, W)"):
        fc.conv2d_fft(np.zeros((6, 6)), w)
    with raises(ValueError, "the input x is empty"):
        fc.im2col(np.zeros((1, 0, 4, 4)), 3)
    with raises(TypeError, "x is complex"):
        fc.conv2d_im2col(x + 1j, w)
    with raises(TypeError, "groups must be an int"):
        fc.conv2d_im2col(x, w, groups=1.0)
    with raises(ValueError, "conv_matrix: the matrix would have"):
        fc.conv_matrix(np.zeros((8, 8, 3, 3)), (64, 64), padding=1)
    with raises(ValueError, "winograd_f23: needs a tile d of shape (4,)"):
        fc.winograd_f23(np.zeros(3), np.zeros(3))
    with raises(
        ValueError, "winograd_f2x2_3x3: needs a tile d of shape (4, 4)"
    ):
        fc.winograd_f2x2_3x3(np.zeros((4, 4)), np.zeros((2, 2)))
    with raises(ValueError, "out_hw must be a positive int"):
        fc.multiplication_counts((0, 4))
    with raises(ValueError, "kernel_size must be a positive int"):
        fc.im2col(x, 0)
    with raises(ValueError, "conv2d_kn2col: channel mismatch"):
        fc.conv2d_kn2col(x, np.zeros((2, 3, 3, 3)))
    with raises(ValueError, "kn2col_product: tap (3, 0) is outside"):
        fc.kn2col_product(x, w, (3, 0))
    with raises(ValueError, "toom_cook: F(2, 3) multiplies n = "):
        fc.toom_cook(2, 3, [0, 1])
    with raises(ValueError, "toom_cook: the interpolation points must"):
        fc.toom_cook(2, 3, [0, 1, 1])
    with raises(TypeError, "toom_cook: points must be numbers"):
        fc.toom_cook(2, 3, [0, 1, "a"])


def test_counts_behind_the_chapter_11_quiz():
    # ResNet layer: Winograd fewest, FFT about 3 times more than direct
    wino = fc.multiplication_counts((56, 56), 64, 64)
    assert wino["winograd"] < wino["direct"]
    assert (
        3
        < fc.fft_multiplications(64, 64, 56, 3)
        / fc.direct_multiplications(64, 64, 56, 3)
        < 3.5
    )
    assert wino["direct"] / wino["winograd"] == 2.25
    # one channel, 512 x 512, 31 x 31 kernel: the FFT needs far fewer
    assert fc.fft_multiplications(
        1, 1, 512, 31
    ) * 5 < fc.direct_multiplications(1, 1, 512, 31)


# ------------------------------------------------------------------ kn2col, Winograd in float32, Toom-Cook
@settings(max_examples=60, deadline=None)
@given(case=conv_settings())
def test_kn2col_products_shifted_and_summed_are_the_layer(case):
    """The products kn2col_product returns, each cut at its tap's shift and
    stride, add up to the layer (torch); each is (N, C_out, H_p, W_p)."""
    x, w, b, kw = case
    expected = torch_conv(x, w, None, **kw)
    kh, kwd = w.shape[2:]
    total = 0
    for a in range(kh):
        for bb in range(kwd):
            prod = fc.kn2col_product(x, w, (a, bb), **kw)
            sh, sw = np.broadcast_to(kw["stride"], 2)
            dh, dw = np.broadcast_to(kw["dilation"], 2)
            ho, wo = expected.shape[2:]
            total = (
                total
                + prod[
                    :,
                    :,
                    a * dh : a * dh + sh * (ho - 1) + 1 : sh,
                    bb * dw : bb * dw + sw * (wo - 1) + 1 : sw,
                ]
            )
            assert prod.shape[:2] == expected.shape[:2]
    np.testing.assert_allclose(total, expected, **THROUGH_TRANSFORM)


@settings(max_examples=60, deadline=None)
@given(case=winograd_settings())
def test_winograd_float32_equals_torch_to_float32_precision(case):
    """In float32 (odd sizes included), Winograd equals torch's float32
    conv2d to float32 round-off, relative to the size of the terms."""
    x, w, b, padding = case
    x32, w32 = x.astype(np.float32), w.astype(np.float32)
    got = fc.conv2d_winograd(x32, w32, padding=padding)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = F.conv2d(
            torch.from_numpy(x32), torch.from_numpy(w32), padding=padding
        ).numpy()
    assert got.dtype == np.float32 and got.shape == expected.shape
    # a sum of C_in * 9 products of terms up to |x| |w|
    scale = x.shape[1] * 9 * max(np.abs(x).max() * np.abs(w).max(), 1e-30)
    np.testing.assert_allclose(got, expected, rtol=0, atol=2e-6 * scale)


def test_winograd_float32_on_the_benchmark_layer():
    rng = np.random.default_rng(5)
    x = rng.standard_normal((1, 64, 56, 56), dtype=np.float32)
    w = rng.standard_normal((64, 64, 3, 3), dtype=np.float32)
    got = fc.conv2d_winograd(x, w, padding=1)
    expected = F.conv2d(
        torch.from_numpy(x), torch.from_numpy(w), padding=1
    ).numpy()
    rms = np.sqrt(np.mean((got - expected) ** 2) / np.mean(expected**2))
    assert got.dtype == np.float32 and rms < 1e-6


@settings(max_examples=60, deadline=None)
@given(
    m=st.integers(1, 5),
    r=st.integers(1, 4),
    data=st.data(),
)
def test_toom_cook_gives_the_correlation_for_any_points(m, r, data):
    """AT((G e_j) * (BT e_i)) is the correlation of e_i with e_j for every
    basis pair (so for all inputs, the map being bilinear), whatever the
    distinct points; n = m + r - 1 products."""
    n = m + r - 1
    points = data.draw(
        st.lists(
            st.fractions(-3, 3, max_denominator=2),
            min_size=n - 1,
            max_size=n - 1,
            unique=True,
        )
    )
    AT, G, BT = fc.toom_cook(m, r, points)
    assert (AT.shape, G.shape, BT.shape) == ((m, n), (n, r), (n, n))
    for i in range(n):
        for j in range(r):
            np.testing.assert_allclose(
                AT @ ((G @ np.eye(r)[j]) * (BT @ np.eye(n)[i])),
                np.correlate(np.eye(n)[i], np.eye(r)[j], "valid"),
                rtol=0,
                atol=1e-9,
            )


def test_toom_cook_f23_is_the_library_f23_up_to_the_sign_at_infinity():
    AT, G, BT = fc.toom_cook(2, 3, [0, 1, -1])
    sign = np.diag([1.0, 1.0, 1.0, -1.0])
    np.testing.assert_array_equal(AT @ sign, fc.WINOGRAD_AT)
    np.testing.assert_array_equal(G, fc.WINOGRAD_G)
    np.testing.assert_array_equal(sign @ BT, fc.WINOGRAD_BT)
    # F(4, 3) from 0, +-1, +-2: Lavin & Gray's integer data transform
    _, _, BT4 = fc.toom_cook(4, 3, [0, 1, -1, 2, -2])
    np.testing.assert_array_equal(BT4[0], [4, 0, -5, 0, 1, 0])
    np.testing.assert_array_equal(BT4[-1], [0, 4, 0, -5, 0, 1])


def test_winograd_count_is_2_25_only_for_even_outputs():
    for size in range(1, 40):
        c = fc.multiplication_counts((size, size))
        ratio = c["direct"] / c["winograd"]
        assert (ratio == 2.25) == (size % 2 == 0)
        assert ratio == 9 * size**2 / (16 * ((size + 1) // 2) ** 2)
    c = fc.multiplication_counts((27, 27), 32, 64)
    assert round(c["direct"] / c["winograd"], 2) == 2.09


def test_benchmark_layer_times_every_method_it_applies_to():
    t3 = fc.benchmark_layer(2, 8, 3, repeats=1)
    assert set(t3) == set(fc.BENCH_METHODS) and "kn2col" in t3
    assert all(isinstance(v, float) and v > 0 for v in t3.values())
    t5 = fc.benchmark_layer(2, 8, 5, repeats=1, methods=("im2col", "fft"))
    assert set(t5) == {"im2col", "fft"}
    assert "winograd" not in fc.benchmark_layer(2, 8, 5, repeats=1)
