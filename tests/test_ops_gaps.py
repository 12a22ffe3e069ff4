"""What learners coming from SciPy and PyTorch expect, against SciPy and torch.

* ``ops.corr2d`` / ``ops.convolve2d`` in the three modes equal
  ``scipy.signal.correlate2d`` / ``convolve2d`` (even kernels included);
* ``ops.conv2d(padding_mode=...)`` equals ``torch.nn.Conv2d(padding_mode=...)``;
* ``pooling.max_pool2d(dilation=...)`` and ``pooling.adaptive_max_pool2d``
  equal torch's;
* ``ops.corr1d``'s default mode is not ``np.correlate``'s.

Each comparison runs over seeded random cases (the counts are the ``CASES``
constants) and every new argument's bad values get a clear error.
"""

import doctest
import re
import warnings

import numpy as np
import pytest
import scipy.signal
import torch
import torch.nn.functional as F

from convlab import ops, pooling
from tolerances import SAME_SUM, THROUGH_TRANSFORM

CASES_2D = 400  # per function and mode (corr2d, convolve2d)
CASES_PADDING_MODE = 300  # per padding mode
CASES_MAX_POOL = 400
CASES_ADAPTIVE = 300


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


# --------------------------------------------------------- 2-D modes (SciPy)
def _plane_case(rng, mode):
    """A random image and kernel; for 'valid' one must contain the other."""
    while True:
        h, w, kh, kw = rng.integers(1, 8, size=4)
        fits = kh <= h and kw <= w
        holds = kh >= h and kw >= w
        if mode != "valid" or fits or holds:
            break
    X = rng.normal(size=(h, w))
    K = rng.normal(size=(kh, kw))
    return X, K


@pytest.mark.parametrize("mode", ["full", "same", "valid"])
@pytest.mark.parametrize(
    "ours,scipy_f",
    [
        (ops.corr2d, scipy.signal.correlate2d),
        (ops.convolve2d, scipy.signal.convolve2d),
    ],
    ids=["corr2d", "convolve2d"],
)
def test_2d_modes_equal_scipy(ours, scipy_f, mode):
    rng = np.random.default_rng(sum(map(ord, mode + ours.__name__)))
    even = 0
    for _ in range(CASES_2D):
        X, K = _plane_case(rng, mode)
        even += K.shape[0] % 2 == 0 or K.shape[1] % 2 == 0
        got, want = ours(X, K, mode), scipy_f(X, K, mode)
        assert got.shape == want.shape, (X.shape, K.shape, mode)
        np.testing.assert_allclose(got, want, **SAME_SUM)
    assert even > CASES_2D // 4  # even kernels: where 'same' centring bites


def test_2d_defaults_are_scipy_and_deep_learning():
    X, K = (
        np.arange(20.0).reshape(4, 5),
        np.array([[1.0, 2.0], [0.0, -1.0]]),
    )
    # corr2d keeps the course's 'valid' default; convolve2d has SciPy's
    assert ops.corr2d(X, K).shape == (3, 4)
    assert np.array_equal(
        ops.convolve2d(X, K), scipy.signal.convolve2d(X, K)
    )
    # the true convolution is the cross-correlation with the kernel rotated
    # ('same' is placed differently for even kernels: only full and valid)
    for mode in ("full", "valid"):
        assert np.allclose(
            ops.convolve2d(X, K, mode),
            scipy.signal.correlate2d(X, K[::-1, ::-1], mode),
        )


def test_2d_integer_input_and_float32():
    X = np.arange(12).reshape(3, 4)
    K = np.ones((2, 2), dtype=np.float32)
    assert ops.convolve2d(X, K).dtype == np.float64
    assert ops.corr2d(X.astype(np.float32), K, "same").dtype == np.float32


@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (
            lambda: ops.corr2d(
                np.zeros((3, 3)), np.ones((2, 2)), "circular"
            ),
            ValueError,
            "corr2d: mode must be one of ('full', 'same', 'valid'), "
            "got 'circular'",
        ),
        (
            lambda: ops.convolve2d(np.zeros((3, 3)), np.ones((2, 2)), 2),
            ValueError,
            "convolve2d: mode must be one of",
        ),
        (
            lambda: ops.convolve2d(
                np.zeros((2, 5)), np.ones((3, 1)), "valid"
            ),
            ValueError,
            "convolve2d: the kernel (3, 1) does not fit inside the image "
            "(2, 5)",
        ),
        (
            lambda: ops.convolve2d(np.zeros((0, 3)), np.ones((2, 2))),
            ValueError,
            "convolve2d: X is empty (shape (0, 3))",
        ),
        (
            lambda: ops.convolve2d(np.zeros(3), np.ones((2, 2))),
            ValueError,
            "convolve2d: X must have shape (height, width), but it has 1",
        ),
        (
            lambda: ops.corr2d(np.zeros((3, 3)), np.ones((2, 2)) * 1j),
            TypeError,
            "corr2d: K is complex",
        ),
    ],
)
def test_2d_errors(call, exc, fragment):
    with raises(exc, fragment):
        call()


# ------------------------------------------------ padding_mode (torch Conv2d)
def torch_conv_layer(x, w, b, stride, padding, dilation, groups, mode):
    c_out, c_in_g, kh, kw = w.shape
    layer = torch.nn.Conv2d(
        c_in_g * groups,
        c_out,
        (kh, kw),
        stride=stride,
        padding=padding,
        dilation=dilation,
        groups=groups,
        bias=b is not None,
        padding_mode=mode,
        dtype=torch.float64,
    )
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w))
        if b is not None:
            layer.bias.copy_(torch.from_numpy(b))
        with warnings.catch_warnings():  # lopsided 'same' padding warns
            warnings.simplefilter("ignore")
            return layer(torch.from_numpy(x)).numpy()


def _padding_mode_case(rng, mode):
    """Random layer whose padding the mode allows (and torch accepts)."""
    while True:
        groups = int(rng.integers(1, 3))
        c_in, c_out = groups * rng.integers(1, 3, size=2)
        h, w = rng.integers(2, 8, size=2)
        kh, kw = rng.integers(1, 5, size=2)
        dilation = tuple(int(d) for d in rng.integers(1, 3, size=2))
        if rng.random() < 0.25:
            padding, stride = "same", 1
            total = [d * (k - 1) for k, d in zip((kh, kw), dilation)]
            pads = [t - t // 2 for t in total]  # the larger side
        else:
            padding = tuple(int(p) for p in rng.integers(0, 4, size=2))
            stride = tuple(int(s) for s in rng.integers(1, 3, size=2))
            pads = padding
        if padding != "same" and rng.random() < 0.3:
            padding = padding[0]  # an int: the same on both axes
            pads = (padding, padding)
        limit = {"reflect": -1, "circular": 0}.get(mode, 99)
        if any(p > n + limit for p, n in zip(pads, (h, w))):
            continue
        span = [d * (k - 1) + 1 for k, d in zip((kh, kw), dilation)]
        if any(s > n + 2 * p for s, n, p in zip(span, (h, w), pads)):
            continue
        x = rng.normal(size=(int(rng.integers(1, 3)), c_in, h, w))
        wt = rng.normal(size=(c_out, c_in // groups, kh, kw))
        b = rng.normal(size=c_out) if rng.random() < 0.5 else None
        return x, wt, b, stride, padding, dilation, groups


@pytest.mark.parametrize(
    "mode", ["zeros", "reflect", "replicate", "circular"]
)
def test_padding_mode_equals_torch(mode):
    rng = np.random.default_rng(len(mode))
    kinds = {"same": 0, "int": 0, "pair": 0}
    for _ in range(CASES_PADDING_MODE):
        args = _padding_mode_case(rng, mode)
        padding = args[4]
        kinds[
            padding
            if isinstance(padding, str)
            else "int"
            if isinstance(padding, int)
            else "pair"
        ] += 1
        got = ops.conv2d(*args, padding_mode=mode)
        want = torch_conv_layer(*args, mode)
        assert got.shape == want.shape, args[4:]
        np.testing.assert_allclose(got, want, **THROUGH_TRANSFORM)
    assert min(kinds.values()) > 20, kinds


def test_padding_mode_on_one_image_and_the_values_it_pads():
    x = np.arange(3.0).reshape(1, 1, 3)  # one image (C, H, W) = (1, 1, 3)
    tap = np.zeros((1, 1, 1, 3))
    tap[0, 0, 0, 0] = 1.0  # reads the pixel one to the left
    rows = {
        mode: ops.conv2d(x, tap, padding=(0, 1), padding_mode=mode)
        for mode in ("zeros", "reflect", "replicate", "circular")
    }
    assert rows["zeros"].tolist() == [[[0.0, 0.0, 1.0]]]
    assert rows["reflect"].tolist() == [[[1.0, 0.0, 1.0]]]
    assert rows["replicate"].tolist() == [[[0.0, 0.0, 1.0]]]
    assert rows["circular"].tolist() == [[[2.0, 0.0, 1.0]]]


@pytest.mark.parametrize(
    "mode,padding,fragment",
    [
        (
            "reflect",
            (3, 0),
            "conv2d: padding_mode='reflect' needs padding smaller than the "
            "input; the input height is 3 but the padding is (3, 3)",
        ),
        (
            "reflect",
            (0, 4),
            "the input width is 4 but the padding is (4, 4)",
        ),
        (
            "circular",
            (4, 0),
            "conv2d: padding_mode='circular' wraps around at most once, so "
            "the padding may not exceed the input height 3; got (4, 4)",
        ),
    ],
)
def test_padding_mode_errors_where_torch_refuses(mode, padding, fragment):
    x, w = np.zeros((1, 1, 3, 4)), np.zeros((1, 1, 1, 1))
    with pytest.raises(RuntimeError):  # torch refuses the same layer ...
        torch_conv_layer(x, w, None, 1, padding, 1, 1, mode)
    with raises(ValueError, fragment):  # ... and says why less plainly
        ops.conv2d(x, w, padding=padding, padding_mode=mode)


def test_padding_mode_limits_are_torchs():
    """One below each limit works in both."""
    x, w = np.ones((1, 1, 3, 4)), np.ones((1, 1, 1, 1))
    for mode, padding in (("reflect", (2, 3)), ("circular", (3, 4))):
        want = torch_conv_layer(x, w, None, 1, padding, 1, 1, mode)
        got = ops.conv2d(x, w, padding=padding, padding_mode=mode)
        assert np.array_equal(got, want)


@pytest.mark.parametrize("bad", ["zero", "mirror", None, 0])
def test_padding_mode_unknown(bad):
    with raises(
        ValueError,
        "conv2d: padding_mode must be one of ('zeros', 'reflect', "
        f"'replicate', 'circular'), got {bad!r}",
    ):
        ops.conv2d(
            np.zeros((1, 1, 3, 3)),
            np.zeros((1, 1, 2, 2)),
            padding=1,
            padding_mode=bad,
        )


# ------------------------------------------------- max pooling with dilation
def _max_pool_case(rng):
    while True:
        h, w = rng.integers(1, 10, size=2)
        k = tuple(int(v) for v in rng.integers(1, 4, size=2))
        d = tuple(int(v) for v in rng.integers(1, 4, size=2))
        s = (
            None
            if rng.random() < 0.3
            else tuple(int(v) for v in rng.integers(1, 4, size=2))
        )
        p = tuple(int(rng.integers(0, kk // 2 + 1)) for kk in k)
        ceil = bool(rng.random() < 0.5)
        span = [dd * (kk - 1) + 1 for kk, dd in zip(k, d)]
        if all(sp <= n + 2 * pp for sp, n, pp in zip(span, (h, w), p)):
            x = rng.normal(size=(int(rng.integers(1, 3)), 2, h, w))
            return x, dict(
                kernel_size=k,
                stride=s,
                padding=p,
                dilation=d,
                ceil_mode=ceil,
            )


def test_max_pool2d_dilation_equals_torch():
    rng = np.random.default_rng(7)
    dilated = ceil = 0
    for _ in range(CASES_MAX_POOL):
        x, kw = _max_pool_case(rng)
        dilated += max(kw["dilation"]) > 1
        ceil += kw["ceil_mode"]
        got = pooling.max_pool2d(x, **kw)
        want = F.max_pool2d(torch.from_numpy(x), **kw).numpy()
        assert got.shape == want.shape, kw
        assert np.array_equal(got, want), kw
    assert dilated > CASES_MAX_POOL // 2 and ceil > CASES_MAX_POOL // 4


def test_max_pool2d_argument_order_is_torchs():
    x = np.random.default_rng(0).normal(size=(1, 1, 7, 7))
    got = pooling.max_pool2d(x, 2, 1, 1, 2, True)
    want = F.max_pool2d(torch.from_numpy(x), 2, 1, 1, 2, True).numpy()
    assert np.array_equal(got, want)


def test_max_pool2d_dilation_errors():
    x = np.zeros((1, 1, 5, 5))
    with raises(ValueError, "max_pool2d: dilation must be a positive int"):
        pooling.max_pool2d(x, 2, dilation=0)
    with raises(TypeError, "max_pool2d: dilation must be an int, got bool"):
        pooling.max_pool2d(x, 2, dilation=True)
    with raises(ValueError, "max_pool2d: no output: the window spans 9"):
        pooling.max_pool2d(x, 3, dilation=4)


# ------------------------------------------------- adaptive max pooling
def test_adaptive_max_pool2d_equals_torch():
    rng = np.random.default_rng(11)
    uneven = 0
    for _ in range(CASES_ADAPTIVE):
        h, w = rng.integers(1, 12, size=2)
        oh, ow = rng.integers(1, 8, size=2)
        uneven += h % oh != 0 or w % ow != 0
        x = rng.normal(size=(int(rng.integers(1, 3)), 3, h, w))
        size = (int(oh), int(ow)) if rng.random() < 0.7 else int(oh)
        y, idx = pooling.adaptive_max_pool2d(x, size, return_indices=True)
        ty, tidx = F.adaptive_max_pool2d(
            torch.from_numpy(x), size, return_indices=True
        )
        assert np.array_equal(y, ty.numpy()), (x.shape, size)
        assert np.array_equal(idx, tidx.numpy()), (x.shape, size)
        assert np.array_equal(pooling.adaptive_max_pool2d(x, size), y)
    assert uneven > CASES_ADAPTIVE // 2


def test_adaptive_max_pool2d_one_image_none_and_global():
    x = np.random.default_rng(3).normal(size=(2, 5, 7))
    y = pooling.adaptive_max_pool2d(x, (None, 3))
    want = F.adaptive_max_pool2d(torch.from_numpy(x), (None, 3)).numpy()
    assert y.shape == (2, 5, 3) and np.array_equal(y, want)
    assert np.array_equal(
        pooling.adaptive_max_pool2d(x, 1)[:, 0, 0], x.max(axis=(1, 2))
    )


def test_adaptive_max_pool2d_errors():
    x = np.zeros((1, 1, 4, 4))
    with raises(
        TypeError,
        "adaptive_max_pool2d: return_indices must be True or False",
    ):
        pooling.adaptive_max_pool2d(x, 2, return_indices=1)
    with raises(
        ValueError,
        "adaptive_max_pool2d: output_size must be a positive int",
    ):
        pooling.adaptive_max_pool2d(x, 0)
    with raises(ValueError, "adaptive_max_pool2d: x must have shape"):
        pooling.adaptive_max_pool2d(np.zeros((4, 4)), 2)


# ------------------------------------------------- corr1d's default mode
def test_corr1d_default_mode_is_not_numpys():
    x, k = [1.0, 2.0, 3.0, 4.0], [1.0, 0.0, -1.0]
    assert len(ops.corr1d(x, k)) == 6  # "full", like np.convolve
    assert len(np.correlate(x, k)) == 2  # NumPy's default is "valid"
    for mode in ("full", "same", "valid"):
        assert np.allclose(ops.corr1d(x, k, mode), np.correlate(x, k, mode))


def test_ops_docstring_examples_run():
    result = doctest.testmod(ops, raise_on_error=False, verbose=False)
    assert result.attempted >= 4 and result.failed == 0
