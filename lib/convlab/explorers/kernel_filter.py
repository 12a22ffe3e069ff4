"""Chapter 5's explorer: a 3x3 kernel cross-correlated with a photograph.

The page gets a grayscale image quantised to 8 bits (``pixels`` in 0..255,
row by row; the image is ``pixels / 255``) and the chapter's kernels from
:mod:`convlab.filters`. It computes what :func:`convlab.ops.corr2d`
computes, ``Y[i, j] = sum_{a, b} X[i + a, j + b] K[a, b]`` ('valid', no
flip), for the chosen or typed kernel, and draws ``Y`` on a diverging
colour scale centred at zero.
"""

from __future__ import annotations

import numpy as np

from .. import filters
from ..validation import as_float_array, check_ndim
from . import show

__all__ = [
    "KERNELS",
    "kernel_filter_data",
    "shipped_image",
    "show_kernel_filter",
]

_DIFF = np.zeros((3, 3))
_DIFF[1, 1:] = [1, -1]
_IDENTITY = np.zeros((3, 3))
_IDENTITY[1, 1] = 1

# name -> (label, 3x3 kernel), in the order the chapter meets them. The
# chapter's [1, -1] and its transpose sit in the centre of a 3x3 kernel.
KERNELS = {
    "diff_x": ("[1, \u22121]: X[i, j] \u2212 X[i, j+1]", _DIFF),
    "diff_y": ("[1, \u22121]\u1d40: X[i, j] \u2212 X[i+1, j]", _DIFF.T),
    **{
        name: (name, filters.KERNELS[name])
        for name in (
            "sobel_x",
            "sobel_y",
            "prewitt_x",
            "prewitt_y",
            "laplacian_4",
            "laplacian_8",
        )
    },
    "identity": ("identity (Y = X)", _IDENTITY),
}


def kernel_filter_data(image, *, kernel: str = "sobel_x", max_side=128):
    """The explorer's data for a grayscale ``(H, W)`` image in ``[0, 1]``.

    An image larger than ``max_side`` is shrunk (averaging blocks of pixels,
    as :func:`convlab.filters.load_sample_image` does) to at most
    ``max_side`` on its longer side. The pixels are rounded to 8 bits:
    :func:`shipped_image` returns exactly the image the page filters.
    """
    func = "kernel_filter_data"
    X = as_float_array(image, "image", func)
    check_ndim(X, 2, "image", func, "(height, width), one gray channel")
    if min(X.shape) < 3:
        raise ValueError(
            f"{func}: the image {X.shape} is smaller than a 3x3 kernel."
        )
    if not np.all(np.isfinite(X)) or X.min() < 0 or X.max() > 1:
        raise ValueError(
            f"{func}: the image must hold gray values in [0, 1] (as "
            "filters.load_sample_image returns), got values in "
            f"[{np.nanmin(X):.3g}, {np.nanmax(X):.3g}]."
        )
    if kernel not in KERNELS:
        raise ValueError(
            f"{func}: no kernel called {kernel!r}; known: {list(KERNELS)}."
        )
    if isinstance(max_side, bool) or not isinstance(max_side, int):
        raise TypeError(
            f"{func}: max_side must be an int, got {max_side!r}."
        )
    if max_side < 3:
        raise ValueError(f"{func}: max_side must be at least 3.")
    h, w = X.shape
    if max(h, w) > max_side:
        from PIL import Image

        scale = max_side / max(h, w)
        size = (max(3, round(w * scale)), max(3, round(h * scale)))
        X = np.asarray(
            Image.fromarray(X.astype(np.float32)).resize(
                size, resample=Image.Resampling.BOX
            ),
            dtype=np.float64,
        ).clip(0, 1)
    pixels = np.round(X * 255).astype(int)
    return {
        "height": pixels.shape[0],
        "width": pixels.shape[1],
        "pixels": pixels.ravel(),
        "kernels": [
            [name, label, np.asarray(k, dtype=float).ravel()]
            for name, (label, k) in KERNELS.items()
        ],
        "kernel": kernel,
    }


def shipped_image(data) -> np.ndarray:
    """The ``(H, W)`` image the page filters: ``pixels / 255``."""
    return np.reshape(
        np.asarray(data["pixels"], dtype=float) / 255,
        (data["height"], data["width"]),
    )


def show_kernel_filter(image, **kwargs):
    """The explorer, ready to display (the last expression of a cell)."""
    return show(
        "kernel_filter",
        kernel_filter_data(image, **kwargs),
        title="Kernel explorer: pick or type a 3x3 kernel",
    )
