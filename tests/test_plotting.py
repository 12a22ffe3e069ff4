"""convlab.plotting: figures sized for the book's column, honest grid colours."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from convlab import plotting  # noqa: E402


def rgb(cmap, norm, v):
    return np.array(cmap(norm(v))[:3])


def test_signed_arrays_diverge_around_white_zero():
    A = np.array([[-2.0, 0.0, 1.0]])
    cmap, norm, text = plotting.grid_colours(A)
    assert np.all(rgb(cmap, norm, 0.0) > 0.9)  # zero is (nearly) white
    neg, pos = rgb(cmap, norm, -2.0), rgb(cmap, norm, 2.0)
    assert (
        neg[0] > neg[2] and pos[2] > pos[0]
    )  # red negative, blue positive
    assert norm.vmin == -norm.vmax == -2.0  # centred on zero
    assert text[0, 1] == "black"


def test_non_negative_arrays_are_grey_with_one_white():
    A = np.array([[0.0, 1.0], [1.0, 0.0]])
    cmap, norm, text = plotting.grid_colours(A)
    assert np.allclose(rgb(cmap, norm, 1.0), 1.0)  # 1 = white
    assert np.allclose(rgb(cmap, norm, 0.0), 0.0)  # 0 = black
    assert text.tolist() == [["white", "black"], ["black", "white"]]


def test_text_contrast_is_at_least_aa_for_large_text_everywhere():
    A = np.linspace(-1, 1, 41)[None, :]
    cmap, norm, text = plotting.grid_colours(A)

    def lum(c):
        c = np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)
        return c @ [0.2126, 0.7152, 0.0722]

    for j, v in enumerate(A[0]):
        cell = lum(rgb(cmap, norm, v))
        ink = 1.0 if text[0, j] == "white" else 0.0
        hi, lo = max(cell, ink), min(cell, ink)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, (v, text[0, j])


def test_panels_fit_the_column_in_rows():
    fig, axes = plotting.panels(5)
    try:
        assert len(axes) == 5
        assert fig.get_size_inches()[0] == pytest.approx(
            plotting.COLUMN_INCHES
        )
        assert len(fig.axes) == 5  # the spare cell of the last row is gone
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="at least 1"):
        plotting.panels(0)


def test_show_grids_wraps_instead_of_growing_wider_than_the_column():
    kernels = [np.ones((3, 3))] * 8  # 24 cells side by side would not fit
    fig = plotting.show_grids(kernels, [f"k{i}" for i in range(8)])
    try:
        assert fig.get_size_inches()[0] <= plotting.COLUMN_INCHES + 1e-9
        tops = {round(ax.get_position().y0, 3) for ax in fig.axes}
        assert len(tops) == 2  # two rows of at most half an inch per cell
    finally:
        plt.close(fig)


def test_show_grid_writes_every_value_in_a_contrasting_colour():
    fig, ax = plt.subplots()
    try:
        plotting.show_grid(np.array([[0, 1], [1, 0]]), ax=ax)
        colours = [t.get_color() for t in ax.texts if t.get_text()]
        assert colours == ["white", "black", "black", "white"]
    finally:
        plt.close(fig)
    with pytest.raises(ValueError, match="1-D or 2-D"):
        plotting.show_grid(np.zeros((2, 2, 2)))
