"""The padding/stride/dilation explorer: the cells it marks are exactly the cells a
real conv2d output depends on, it draws every setting (even one with no output)
without raising, and bad arguments get a clear message."""

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from convlab.arith import conv_output_size  # noqa: E402
from convlab.explorer import (
    draw_conv_window,
    window_cells,
    window_indices,
)  # noqa: E402

SETTINGS = [
    (n, k, p, s, d)
    for n, k, p, s, d in itertools.product(
        range(1, 8), range(1, 4), range(3), range(1, 4), range(1, 3)
    )
    if d * (k - 1) + 1 <= n + 2 * p
]


def torch_dependencies(n, k, p, s, d, out):
    """Input cells on which conv2d's output ``out`` depends, found by differentiating torch's conv2d."""
    x = torch.zeros(1, 1, n, n, dtype=torch.float64, requires_grad=True)
    w = torch.ones(1, 1, k, k, dtype=torch.float64)
    F.conv2d(x, w, stride=s, padding=p, dilation=d)[0, 0][out].backward()
    return {
        tuple(int(v) for v in rc)
        for rc in np.argwhere(x.grad[0, 0].numpy() != 0)
    }


@pytest.mark.parametrize("n", range(1, 8))
def test_marked_cells_are_what_conv2d_reads(n):
    for _, k, p, s, d, out in (
        (*setting, out)
        for setting in SETTINGS
        if setting[0] == n
        for m in [
            conv_output_size(
                setting[0], setting[1], setting[3], setting[2], setting[4]
            )
        ]
        for out in {(0, 0), (m - 1, m - 1), (m // 2, 0)}
    ):
        cells = window_cells(n, k, p, s, d, out)
        assert len(cells) == k * k
        inside = {(r, c) for r, c in cells if 0 <= r < n and 0 <= c < n}
        assert inside == torch_dependencies(n, k, p, s, d, out)
        # the cells outside the input are padding: at most p cells beyond each border
        assert all(-p <= r < n + p and -p <= c < n + p for r, c in cells)


def test_window_indices_formula():
    assert window_indices(2, k=3, p=1, s=2, d=2) == [3, 5, 7]
    assert window_indices(0, k=2, p=1) == [-1, 0]


@pytest.mark.parametrize(
    "n,k,p,s,d,out",
    [(7, 3, 1, 2, 1, (1, 2)), (6, 2, 1, 1, 2, (2, 1)), (5, 3, 0, 1, 1, 0)],
)
def test_draw_returns_a_figure_with_two_panels(n, k, p, s, d, out):
    fig = draw_conv_window(n, k, p, s, d, out)
    assert len(fig.axes) == 2
    assert (
        f"output {conv_output_size(n, k, s, p, d)}x"
        in fig.axes[1].get_title()
    )
    plt.close(fig)


def test_draw_on_given_axes():
    fig, axes = plt.subplots(2, 2)
    assert draw_conv_window(5, 3, axes=axes[1]) is fig
    plt.close(fig)


def test_setting_without_output_is_drawn_with_its_reason():
    fig = draw_conv_window(3, 3, p=0, s=1, d=2)
    texts = " ".join(t.get_text() for t in fig.axes[1].texts).replace(
        "\n", " "
    )
    assert "No output" in texts and "5 cells" in texts
    plt.close(fig)


@pytest.mark.parametrize(
    "kwargs,error,fragment",
    [
        (dict(n=0, k=3), ValueError, "n must be at least 1"),
        (dict(n=5, k=3, s=0), ValueError, "s must be at least 1"),
        (dict(n=5, k=3, p=-1), ValueError, "p must be non-negative"),
        (dict(n=5, k=2.5), TypeError, "k must be an int"),
        (dict(n=5, k=3, out=(3, 0)), ValueError, "outside the 3x3 output"),
        (dict(n=5, k=3, out="a"), TypeError, "output index"),
    ],
)
def test_bad_arguments_are_explained(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        draw_conv_window(**kwargs)
    plt.close("all")


def test_window_cells_without_output_raises_clearly():
    with pytest.raises(ValueError, match="no output"):
        window_cells(2, 3)
