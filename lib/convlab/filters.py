"""Classic hand-made image filters, and a sample photograph to try them on.

Conventions
-----------
* Every kernel here is meant for **cross-correlation** (``convlab.ops.corr2d``,
  ``convlab.ops.conv2d``, ``torch.nn.functional.conv2d``): it is applied as
  written, without flipping. A true convolution (``scipy.ndimage.convolve``,
  ``scipy.signal.convolve2d``) flips it, which changes the sign of the
  derivative kernels.
* Image coordinates: the row index ``i`` grows **downwards**, the column index
  ``j`` grows **to the right**. "x" is the column direction, "y" the row
  direction (pointing down).
* ``SOBEL_X`` and ``PREWITT_X`` give a **positive** response where the
  intensity increases to the right (with column ``j``); ``SOBEL_Y`` and
  ``PREWITT_Y`` where it increases downwards (with row ``i``). On the ramp
  ``X[i, j] = j`` the responses are 8 (Sobel) and 6 (Prewitt): the kernels
  measure 8 and 6 times the slope.
* The Laplacians are symmetric (flipping changes nothing); they are zero on a
  ramp and 2 (``LAPLACIAN_4``) on ``X[i, j] = j**2``.

The kernels are read-only arrays; ``KERNELS`` maps their names to them.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from . import ops
from .validation import as_float_array, as_pair, check_ndim

__all__ = [
    "SOBEL_X",
    "SOBEL_Y",
    "PREWITT_X",
    "PREWITT_Y",
    "LAPLACIAN_4",
    "LAPLACIAN_8",
    "KERNELS",
    "SMOOTH_SOBEL",
    "SMOOTH_PREWITT",
    "CENTRAL_DIFFERENCE",
    "gradient_components",
    "gradient",
    "sample_image_names",
    "load_sample_image",
]


def _frozen(values) -> np.ndarray:
    a = np.array(values, dtype=float)
    a.setflags(write=False)
    return a


# 1-D pieces: a Sobel/Prewitt kernel is smoothing (across) times central difference (along).
CENTRAL_DIFFERENCE = _frozen(
    [-1, 0, 1]
)  # x[j + 1] - x[j - 1] under cross-correlation
SMOOTH_SOBEL = _frozen([1, 2, 1])
SMOOTH_PREWITT = _frozen([1, 1, 1])

SOBEL_X = _frozen(
    np.outer(SMOOTH_SOBEL, CENTRAL_DIFFERENCE)
)  # [[-1 0 1] [-2 0 2] [-1 0 1]]
SOBEL_Y = _frozen(SOBEL_X.T)  # [[-1 -2 -1] [0 0 0] [1 2 1]]
PREWITT_X = _frozen(
    np.outer(SMOOTH_PREWITT, CENTRAL_DIFFERENCE)
)  # [[-1 0 1] x 3 rows]
PREWITT_Y = _frozen(PREWITT_X.T)
LAPLACIAN_4 = _frozen(
    [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
)  # the four direct neighbours
LAPLACIAN_8 = _frozen(
    [[1, 1, 1], [1, -8, 1], [1, 1, 1]]
)  # all eight neighbours

KERNELS = {
    "sobel_x": SOBEL_X,
    "sobel_y": SOBEL_Y,
    "prewitt_x": PREWITT_X,
    "prewitt_y": PREWITT_Y,
    "laplacian_4": LAPLACIAN_4,
    "laplacian_8": LAPLACIAN_8,
}

_OPERATORS = {
    "sobel": (SOBEL_X, SOBEL_Y),
    "prewitt": (PREWITT_X, PREWITT_Y),
}
_MODES = ("valid", "same")


def _image(image, func: str) -> np.ndarray:
    X = as_float_array(image, "image", func)
    check_ndim(
        X,
        2,
        "image",
        func,
        "(height, width): one grayscale channel (see load_sample_image)",
    )
    if X.shape[0] < 3 or X.shape[1] < 3:
        raise ValueError(
            f"{func}: the image {X.shape} is smaller than the 3x3 kernels; it needs at least 3x3 pixels."
        )
    return X


def gradient_components(
    image, operator: str = "sobel", mode: str = "valid"
):
    """The two derivative images ``(gx, gy)`` of a grayscale image.

    ``gx = corr2d(image, SOBEL_X)`` (positive where intensity grows to the
    right) and ``gy = corr2d(image, SOBEL_Y)`` (positive where it grows
    downwards); ``operator="prewitt"`` uses the Prewitt kernels instead.

    ``mode="valid"`` returns ``(H - 2, W - 2)`` arrays (only windows inside the
    image); ``mode="same"`` returns ``(H, W)`` arrays, padding the image by
    repeating its border pixels so that the border does not look like an edge
    (zero padding would put a false edge along a bright border).
    """
    func = "gradient_components"
    X = _image(image, func)
    if not isinstance(operator, str) or operator not in _OPERATORS:
        raise ValueError(
            f"{func}: operator must be one of {tuple(_OPERATORS)}, got {operator!r}."
        )
    if not isinstance(mode, str) or mode not in _MODES:
        raise ValueError(
            f"{func}: mode must be one of {_MODES}, got {mode!r}."
        )
    if mode == "same":
        X = np.pad(X, 1, mode="edge")
    kx, ky = _OPERATORS[operator]
    return ops.corr2d(X, kx), ops.corr2d(X, ky)


def gradient(image, operator: str = "sobel", mode: str = "valid"):
    """Gradient magnitude and direction of a grayscale ``(H, W)`` image.

    Returns ``(magnitude, direction)``: ``magnitude = sqrt(gx**2 + gy**2)`` and
    ``direction = arctan2(gy, gx)`` in radians, in ``(-pi, pi]``, with the
    arguments of :func:`gradient_components`. The direction is the way the
    intensity increases fastest, measured from the +x axis (right) towards the
    +y axis (**down**, since rows grow downwards): 0 = brighter to the right,
    pi/2 = brighter below. Where the magnitude is 0 the direction means nothing.
    """
    gx, gy = gradient_components(image, operator, mode)
    return np.hypot(gx, gy), np.arctan2(gy, gx)


# ------------------------------------------------------------ sample photographs
_LUMA = np.array([0.299, 0.587, 0.114])  # ITU-R BT.601 weights for R, G, B


def _sample_dir() -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "sample_data"


def sample_image_names() -> list:
    """Names of the photographs (.jpg, .png) that ship with Matplotlib's sample data."""
    return sorted(
        p.name
        for p in _sample_dir().iterdir()
        if p.suffix.lower() in (".jpg", ".jpeg", ".png")
    )


def load_sample_image(
    name: str = "grace_hopper.jpg", size=None
) -> np.ndarray:
    """A grayscale photograph from Matplotlib's sample data, as floats in [0, 1].

    Parameters
    ----------
    name : file name in Matplotlib's sample data (see :func:`sample_image_names`);
        the default is the 600x512 portrait of Grace Hopper.
    size : ``None`` (full size), an int (the height; the width keeps the aspect
        ratio) or a ``(height, width)`` pair. Downscaling averages the pixels
        each output pixel covers (a box filter), so thin details blur rather
        than alias.

    Returns a float64 array of shape ``(height, width)``. Colour images are
    turned into luma ``0.299 R + 0.587 G + 0.114 B``; an alpha channel is dropped.
    """
    from PIL import Image

    func = "load_sample_image"
    names = sample_image_names()
    if not isinstance(name, str) or name not in names:
        raise ValueError(
            f"{func}: no sample image called {name!r}; choose one of {names}."
        )
    with Image.open(_sample_dir() / name) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.float64) / 255.0
    gray = rgb @ _LUMA
    if size is None:
        return gray
    h0, w0 = gray.shape
    if isinstance(size, (tuple, list)):
        h, w = as_pair(size, "size", func, minimum=1)
    else:
        h, _ = as_pair(size, "size", func, minimum=1)
        w = max(1, round(w0 * h / h0))
    if (h, w) == (h0, w0):
        return gray
    small = Image.fromarray(gray.astype(np.float32)).resize(
        (w, h), resample=Image.Resampling.BOX
    )
    return np.clip(np.asarray(small, dtype=np.float64), 0.0, 1.0)
