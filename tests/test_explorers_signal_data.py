"""The data behind the explorers of chapters 1, 5 and 23 (convlab.explorers
sliding_integral, kernel_filter, mixing_weights): what the page is given is
what convlab computes, and bad input gets a clear error. The browser side is
tested in test_explorers_signal.py."""

import json

import numpy as np
import pytest
import torch

from convlab import attention as A
from convlab import continuous as cc
from convlab import filters, ops
from convlab.explorers import explorer_html
from convlab.explorers import kernel_filter as kf
from convlab.explorers import mixing_weights as mw
from convlab.explorers import sliding_integral as si


def payload(html):
    """The JSON data inlined in an explorer's HTML."""
    start = html.index("ConvlabExplorers.start(")
    return json.loads(html[html.index("{", start) : html.rindex(");")])


# ------------------------------------------------------------ chapter 1
def riemann_like_the_page(p, n):
    """The page's sum (sliding_integral.js), written in NumPy."""
    N = len(p["f"])
    g = np.asarray(p["g"])[n * p["ratio"] - np.arange(N) + N - 1]
    return p["step"] * np.sum(np.asarray(p["f"]) * g)


@pytest.mark.parametrize("key", list(si.PAIRS))
def test_the_page_sum_is_convolve_integral(key):
    (p,) = si.sliding_integral_data([key])["pairs"]
    _, f, _, g, exact, (lo, hi) = si.PAIRS[key]
    t = lo + p["t_step"] * np.arange(len(p["exact"]))
    library = cc.convolve_integral(f, g, t, step=p["step"], lo=lo, hi=hi)
    page = np.array([riemann_like_the_page(p, n) for n in range(len(t))])
    assert np.max(np.abs(page - library)) < (hi - lo) * 5e-8
    assert np.allclose(p["exact"], exact(t), atol=1e-7)
    # the midpoint sum is close to the exact output (it converges)
    assert np.max(np.abs(library - exact(t))) < 0.02


def test_sliding_integral_starts_at_the_chapters_t():
    data = si.sliding_integral_data()
    assert data["t"] == 0.3 and data["pairs"][0]["key"] == "box*decay"


@pytest.mark.parametrize(
    "kwargs,fragment",
    [
        (dict(pairs=["box*sine"]), "no signal pair called 'box\\*sine'"),
        (dict(pairs="box*box"), "non-empty list of names"),
        (dict(step=0.02, t_step=0.05), "whole multiple of step"),
        (dict(step=-1), "step must be positive"),
        (dict(t=9.0), "outside the range"),
    ],
)
def test_sliding_integral_bad_input(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        si.sliding_integral_data(**kwargs)


# ------------------------------------------------------------ chapter 5
@pytest.fixture(scope="module")
def photo():
    return filters.load_sample_image("grace_hopper.jpg", size=150)


def test_kernel_filter_ships_the_photo_shrunk_and_8_bit(photo):
    data = kf.kernel_filter_data(photo)
    X = kf.shipped_image(data)
    assert X.shape == (128, 109) and max(X.shape) <= 128
    assert np.array_equal(
        np.round(X * 255), data["pixels"].reshape(X.shape)
    )
    # the shrunk photo is the lesson's photo, averaged: close to it
    small = filters.load_sample_image("grace_hopper.jpg", size=128)
    assert np.abs(X - small).mean() < 0.03
    # small enough to inline: under 100 kB of HTML
    assert len(kf.show_kernel_filter(photo).data) < 100_000


def test_kernel_filter_kernels_are_the_chapters():
    data = kf.kernel_filter_data(np.zeros((5, 5)))
    kernels = {
        name: np.reshape(k, (3, 3)) for name, _, k in data["kernels"]
    }
    for name in ("sobel_x", "sobel_y", "prewitt_x", "laplacian_4"):
        assert np.array_equal(kernels[name], filters.KERNELS[name])
    X = np.random.default_rng(0).random((6, 7))
    # the 3x3 [1, -1] gives corr2d(X, [[1, -1]]) without its border
    diff = ops.corr2d(X, kernels["diff_x"])
    assert np.allclose(diff, ops.corr2d(X, [[1.0, -1.0]])[1:-1, 1:])
    assert np.allclose(
        ops.corr2d(X, kernels["diff_y"]),
        ops.corr2d(X, [[1.0], [-1.0]])[1:, 1:-1],
    )


@pytest.mark.parametrize(
    "image,kwargs,error,fragment",
    [
        (np.zeros((2, 8)), {}, ValueError, "smaller than a 3x3 kernel"),
        (np.zeros((4, 4, 3)), {}, ValueError, "gray"),
        (np.full((4, 4), 2.0), {}, ValueError, "in \\[0, 1\\]"),
        (np.zeros((4, 4)), dict(kernel="sobel"), ValueError, "known"),
        (np.zeros((4, 4)), dict(max_side=2.5), TypeError, "max_side"),
    ],
)
def test_kernel_filter_bad_input(image, kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        kf.kernel_filter_data(image, **kwargs)


# ------------------------------------------------------------ chapter 23
def lesson_23_tensors():
    """Chapter 23's input and weights, made as the lesson makes them:
    ``(x, w, wq, wk, wv, table)``."""
    photo = filters.load_sample_image("grace_hopper.jpg", size=(12, 12))
    gx, gy = filters.gradient_components(photo, "sobel", mode="same")
    x = torch.tensor(np.stack([photo, gx, gy]))[None]
    gen = torch.Generator().manual_seed(0)
    w = torch.randn(3, 3, 3, generator=gen, dtype=torch.float64)
    wq, wk, wv = (
        torch.randn(3, 3, generator=gen, dtype=torch.float64)
        for _ in range(3)
    )
    table = torch.randn(23, 23, generator=gen, dtype=torch.float64)
    return x, w, wq, wk, wv, table


@pytest.fixture(scope="module")
def lesson_23():
    return lesson_23_tensors()


def test_weights_reproduce_every_operator(lesson_23):
    """sum_j alpha_ij v_j is each operator's output, at pixels i in the
    corners, on the borders and inside."""
    x, w, wq, wk, wv, table = lesson_23
    outputs = {
        "depthwise conv": A.depthwise_conv(x, w),
        "self-attention": A.self_attention(x, wq, wk, wv),
        "post-norm": A.post_norm_attention(x, table, wq, wk, wv),
        "pre-norm": A.pre_norm_attention(x, table, wq, wk, wv),
        "attention-mod. conv": A.attention_modulated_conv(x, w, wq, wk),
        "conv-mod. attention": A.conv_modulated_attention(x, w, wv),
    }
    values = torch.einsum("dc,chw->dhw", wv, x[0])
    for r in (0, 6, 11):
        for c in (0, 5, 11):
            alpha = mw.operator_weights(x, w, wq, wk, table, (r, c))
            assert list(alpha) == list(mw.OPERATORS)
            for name, a in alpha.items():
                v = (
                    x[0]
                    if name in ("depthwise conv", "attention-mod. conv")
                    else values
                )
                a = a if a.ndim == 3 else a.expand(3, 12, 12)
                y = (a * v).sum((1, 2))
                assert torch.allclose(y, outputs[name][0, :, r, c]), (
                    name,
                    (r, c),
                )


def test_weights_have_the_chapters_structure(lesson_23):
    x, w, wq, wk, wv, table = lesson_23
    alpha = mw.operator_weights(x, w, wq, wk, table, (0, 0))
    nonzero = {name: int((a != 0).sum()) for name, a in alpha.items()}
    # corner pixel: the 3x3 window is clipped to 2x2
    assert nonzero["depthwise conv"] == 3 * 4
    assert nonzero["attention-mod. conv"] == 3 * 4
    assert nonzero["conv-mod. attention"] == 3
    assert nonzero["self-attention"] == nonzero["pre-norm"] == 144
    assert abs(float(alpha["self-attention"].sum()) - 1) < 1e-12
    assert abs(float(alpha["pre-norm"].sum()) - 1) < 1e-12


def test_mixing_data_is_what_convlab_computes(lesson_23):
    x, w, wq, wk, wv, table = lesson_23
    data = mw.mixing_weights_data(x, w, wq, wk, table)
    t = x[0].flatten(1).T
    assert np.allclose(data["q"], (t @ wq.T).numpy(), rtol=1e-6)
    assert np.allclose(data["k_"], (t @ wk.T).numpy(), rtol=1e-6)
    z = A.depthwise_conv(x, w)[0].flatten(1).T
    assert np.allclose(data["z"], z.numpy(), rtol=1e-6)
    assert data["pixel"] == [6, 6] and data["scale"] == 1 / np.sqrt(3)
    html = mw.show_mixing_weights(x, w, wq, wk, table).data
    assert payload(html)["table"] == data["table"].tolist()


@pytest.mark.parametrize(
    "change,error,fragment",
    [
        (dict(x=torch.zeros(2, 3, 12, 12)), ValueError, "one image"),
        (dict(w=torch.zeros(3, 2, 2)), ValueError, "odd"),
        (dict(wq=None), ValueError, "give the projections"),
        (dict(table=torch.zeros(5, 5)), ValueError, "\\(2H-1, 2W-1\\)"),
        (dict(pixel=(12, 0)), ValueError, "outside the 12x12 image"),
        (
            dict(pixel=(1.0, 2)),
            ValueError,
            "pair \\(row, column\\) of ints",
        ),
    ],
)
def test_mixing_bad_input(lesson_23, change, error, fragment):
    x, w, wq, wk, wv, table = lesson_23
    args = dict(x=x, w=w, wq=wq, wk=wk, table=table, pixel=(3, 4))
    args.update(change)
    with pytest.raises(error, match=fragment):
        mw.operator_weights(**args)


def test_explorer_outputs_are_deterministic(lesson_23, photo):
    x, w, wq, wk, wv, table = lesson_23
    for make in (
        lambda: si.show_sliding_integral().data,
        lambda: kf.show_kernel_filter(photo).data,
        lambda: mw.show_mixing_weights(x, w, wq, wk, table).data,
    ):
        assert make() == make()
    with pytest.raises(ValueError, match="no explorer called"):
        explorer_html("sliding", {}, title="x")
