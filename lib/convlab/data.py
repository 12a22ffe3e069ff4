"""Offline datasets for the architecture chapters, as PyTorch ``TensorDataset`` objects.

Both loaders return a ``(train, test)`` pair of :class:`torch.utils.data.TensorDataset`
whose tensors are

* ``x``: float32, shape ``(n, 1, size, size)`` (NCHW, one channel), values in ``[0, 1]``;
* ``y``: int64, shape ``(n,)``, the class index.

Everything is deterministic: the same arguments give the same tensors, bit for bit, on
every machine (the randomness comes from ``numpy.random.default_rng(seed)`` only).

* :func:`digits` -- scikit-learn's 1,797 handwritten 8x8 digits (no download: the data
  ship with scikit-learn), split into train and test *stratified* by class.
* :func:`shapes` -- generated images of simple filled shapes (:data:`SHAPE_CLASSES`) at
  random positions and sizes, with Gaussian pixel noise; ``region`` confines the shapes
  to the left or right half of the image, for experiments on translation.

:func:`standardize` rescales a train/test pair to zero mean and unit variance per channel
(statistics of the training set only).

Two small augmentations for :func:`convlab.train.fit` (its ``augment`` argument) live here
too: :func:`random_shift` and :func:`random_flip`. They act on a batch ``(N, C, H, W)``
and draw their randomness from PyTorch's random number generator, which ``fit`` seeds.
"""

from __future__ import annotations

import functools
import numbers

import numpy as np
import torch
import torch.nn.functional as F
from torch.utils.data import TensorDataset

from .validation import as_fraction, as_int
from .tensor_checks import shape_or_type

__all__ = [
    "digits",
    "shapes",
    "SHAPE_CLASSES",
    "REGIONS",
    "stratified_split",
    "standardize",
    "random_shift",
    "random_flip",
]

#: Class names of :func:`shapes`, in label order (label ``k`` is ``SHAPE_CLASSES[k]``).
SHAPE_CLASSES = ("square", "circle", "triangle", "cross")

#: Allowed values of the ``region`` argument of :func:`shapes`.
REGIONS = (None, "left", "right")

# Half-size of a shape, as a fraction of the image size (drawn uniformly in this range).
_HALF_SIZE_RANGE = (0.12, 0.22)
# Sub-pixel samples per axis used to draw smooth (anti-aliased) edges.
_SUPERSAMPLE = 4


def _as_seed(seed, func: str) -> int:
    return as_int(seed, "seed", func, minimum=0)


def stratified_split(
    y, test_fraction: float = 0.25, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Indices ``(train_idx, test_idx)`` of a stratified, deterministic split of labels ``y``.

    For every class ``c`` with ``n_c`` examples, ``round(test_fraction * n_c)`` of them
    (chosen by a permutation from ``numpy.random.default_rng(seed)``) go to the test set,
    the rest to the training set; so both sets keep the class proportions of ``y``. The two
    index arrays are sorted, disjoint, and together cover ``range(len(y))``. Raises
    ``ValueError`` if a class would end up with no example in one of the two sets.
    """
    func = "stratified_split"
    test_fraction = as_fraction(
        test_fraction, "test_fraction", func, "open"
    )
    seed = _as_seed(seed, func)
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0:
        raise ValueError(
            f"{func}: y must be a non-empty 1-D array of labels, got shape {y.shape}."
        )
    rng = np.random.default_rng(seed)
    train_idx, test_idx = [], []
    for c in np.unique(y):
        members = np.flatnonzero(y == c)
        n_test = int(round(test_fraction * len(members)))
        if n_test == 0 or n_test == len(members):
            raise ValueError(
                f"{func}: class {c!r} has {len(members)} examples; with test_fraction={test_fraction} "
                f"{'none' if n_test == 0 else 'all'} of them would go to the test set. "
                "Choose a test_fraction that leaves examples of every class on both sides."
            )
        members = rng.permutation(members)
        test_idx.append(members[:n_test])
        train_idx.append(members[n_test:])
    return np.sort(np.concatenate(train_idx)), np.sort(
        np.concatenate(test_idx)
    )


@functools.lru_cache(maxsize=1)
def _digits_arrays() -> tuple[np.ndarray, np.ndarray]:
    from sklearn.datasets import load_digits

    bunch = load_digits()
    # Pixel values are integers 0..16 (counts of set pixels in 4x4 blocks of a 32x32 bitmap).
    x = (bunch.images / 16.0).astype(np.float32)
    y = bunch.target.astype(np.int64)
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y


def digits(
    size: int = 8, test_fraction: float = 0.25, seed: int = 0
) -> tuple[TensorDataset, TensorDataset]:
    """scikit-learn's handwritten digits as ``(train, test)`` datasets.

    The 1,797 grey-level 8x8 images (values 0..16, divided by 16 so they lie in ``[0, 1]``)
    of the digits 0-9 are split with :func:`stratified_split` (``test_fraction`` of each
    class goes to the test set; with the default 0.25 that is 450 test and 1,347 training
    images). When ``size != 8`` every image is resized to ``size x size`` with bilinear
    interpolation (``torch.nn.functional.interpolate``, ``align_corners=False``; with
    antialiasing when shrinking), computed in float64 and rounded to float32 once, so the
    images are the same on every CPU; the values stay in ``[0, 1]``.

    Returns two ``TensorDataset`` of ``x`` float32 ``(n, 1, size, size)`` and ``y`` int64 ``(n,)``.
    """
    func = "digits"
    size = as_int(size, "size", func, minimum=2)
    test_fraction = as_fraction(
        test_fraction, "test_fraction", func, "open"
    )
    seed = _as_seed(seed, func)
    x, y = _digits_arrays()
    x = torch.from_numpy(x.copy()).unsqueeze(1)  # (1797, 1, 8, 8)
    if size != 8:
        # Interpolated in float64 and rounded to float32 once: in float32 the result's last bit
        # depends on the CPU's vector instructions, and training amplifies such bits (see
        # convlab.train), so resizing on another machine would give other printed numbers.
        x = (
            F.interpolate(
                x.double(),
                size=(size, size),
                mode="bilinear",
                align_corners=False,
                antialias=size < 8,
            )
            .clamp_(0.0, 1.0)
            .float()
        )
    y = torch.from_numpy(y.copy())
    train_idx, test_idx = stratified_split(y.numpy(), test_fraction, seed)
    train_idx, test_idx = (
        torch.from_numpy(train_idx),
        torch.from_numpy(test_idx),
    )
    return (
        TensorDataset(x[train_idx].contiguous(), y[train_idx]),
        TensorDataset(x[test_idx].contiguous(), y[test_idx]),
    )


def _inside(
    shape: str, dx: np.ndarray, dy: np.ndarray, r: np.ndarray
) -> np.ndarray:
    """Boolean mask of the points ``(dx, dy)`` (offsets from the centre, y pointing down)
    inside a shape of half-size ``r``; every shape fits in the square ``|dx|, |dy| <= r``."""
    if shape == "square":
        return np.maximum(np.abs(dx), np.abs(dy)) <= 0.8 * r
    if shape == "circle":
        return dx**2 + dy**2 <= r**2
    if (
        shape == "triangle"
    ):  # apex at the top (dy = -r), base along dy = r, base width 2r
        return (dy <= r) & (np.abs(dx) <= (dy + r) / 2)
    if shape == "cross":  # a plus sign with arms of width 2r/3
        arm = r / 3
        return ((np.abs(dx) <= arm) & (np.abs(dy) <= r)) | (
            (np.abs(dy) <= arm) & (np.abs(dx) <= r)
        )
    raise ValueError(
        f"unknown shape {shape!r}"
    )  # pragma: no cover (internal)


def _draw(
    shape: str, cx: np.ndarray, cy: np.ndarray, r: np.ndarray, size: int
) -> np.ndarray:
    """Anti-aliased images ``(n, size, size)`` of ``shape`` centred at ``(cx, cy)`` (pixel
    coordinates: pixel ``(i, j)`` covers ``[j, j+1) x [i, i+1)``): each pixel holds the
    fraction of its ``_SUPERSAMPLE**2`` sub-pixel samples that fall inside the shape."""
    s = _SUPERSAMPLE
    t = (np.arange(size * s) + 0.5) / s  # sub-pixel sample coordinates
    dx = t[None, None, :] - cx[:, None, None]
    dy = t[None, :, None] - cy[:, None, None]
    mask = _inside(shape, dx, dy, r[:, None, None]).astype(np.float32)
    return mask.reshape(len(cx), size, s, size, s).mean(axis=(2, 4))


def _shape_images(
    n: int, size: int, noise: float, region, rng: np.random.Generator
):
    k = len(SHAPE_CLASSES)
    y = rng.permutation(
        np.arange(n) % k
    )  # balanced: every class n // k or n // k + 1 times
    lo, hi = _HALF_SIZE_RANGE
    r = rng.uniform(lo * size, hi * size, n)
    # Horizontal extent allowed for the whole shape: [x0, x1] (the image is [0, size]).
    x0, x1 = {
        None: (0.0, size),
        "left": (0.0, size / 2),
        "right": (size / 2, size),
    }[region]
    cx = rng.uniform(x0 + r, x1 - r)
    cy = rng.uniform(r, size - r)
    x = np.empty((n, size, size), dtype=np.float32)
    for label, name in enumerate(SHAPE_CLASSES):
        sel = y == label
        x[sel] = _draw(name, cx[sel], cy[sel], r[sel], size)
    if noise > 0:
        x += rng.normal(0.0, noise, x.shape).astype(np.float32)
    np.clip(x, 0.0, 1.0, out=x)
    return torch.from_numpy(x).unsqueeze(1), torch.from_numpy(
        y.astype(np.int64)
    )


def shapes(
    n_train: int = 2000,
    n_test: int = 500,
    size: int = 32,
    noise: float = 0.1,
    region: str | None = None,
    seed: int = 0,
) -> tuple[TensorDataset, TensorDataset]:
    """Generated images of simple shapes as ``(train, test)`` datasets.

    Each image is ``size x size``, black (0) with one white (1) filled shape of class
    ``SHAPE_CLASSES[y]`` (square, circle, triangle pointing up, plus-shaped cross), drawn
    with anti-aliased edges. Its half-size ``r`` is uniform in ``[0.12, 0.22] * size``
    pixels (the square's side is ``1.6 r``, the others span ``2 r``), and its centre is
    uniform over the positions that keep the whole shape inside the allowed region:

    * ``region=None``: anywhere in the image;
    * ``region="left"`` / ``"right"``: entirely inside the left / right half (columns
      ``< size/2`` or ``>= size/2``), so a model trained on one half can be tested on the
      other (translation experiments: ``train, _ = shapes(region="left")`` and
      ``_, test = shapes(region="right")``).

    Then Gaussian noise of standard deviation ``noise`` is added to every pixel and the
    values are clipped to ``[0, 1]``. Classes are balanced in each set (counts differ by at
    most one) and in random order. Train and test images are drawn from one random stream
    seeded by ``seed``, so they are different images.

    Returns two ``TensorDataset`` of ``x`` float32 ``(n, 1, size, size)`` and ``y`` int64 ``(n,)``.
    """
    func = "shapes"
    n_train = as_int(n_train, "n_train", func, minimum=1)
    n_test = as_int(n_test, "n_test", func, minimum=1)
    size = as_int(size, "size", func, minimum=8)
    if (
        isinstance(noise, bool)
        or not isinstance(noise, numbers.Real)
        or not np.isfinite(noise)
    ):
        raise TypeError(
            f"{func}: noise must be a finite number (the standard deviation of the pixel noise), "
            f"got {noise!r}."
        )
    if noise < 0:
        raise ValueError(
            f"{func}: noise is a standard deviation and must be >= 0, got {noise}."
        )
    if region not in REGIONS:
        raise ValueError(
            f"{func}: region must be None (anywhere), 'left' or 'right', got {region!r}."
        )
    seed = _as_seed(seed, func)
    rng = np.random.default_rng(seed)
    x_train, y_train = _shape_images(
        n_train, size, float(noise), region, rng
    )
    x_test, y_test = _shape_images(n_test, size, float(noise), region, rng)
    return TensorDataset(x_train, y_train), TensorDataset(x_test, y_test)


def standardize(
    train: TensorDataset, test: TensorDataset
) -> tuple[TensorDataset, TensorDataset]:
    """Rescale both datasets' images to ``(x - mean) / std`` per channel, with ``mean`` and
    ``std`` measured on the **training** images only (using test statistics would leak
    information about the test set). Afterwards the training images have mean 0 and
    standard deviation 1 in every channel. Returns new ``TensorDataset`` objects (labels shared).
    """
    func = "standardize"
    for name, ds in (("train", train), ("test", test)):
        if (
            not isinstance(ds, TensorDataset)
            or len(ds.tensors) != 2
            or ds.tensors[0].ndim != 4
        ):
            raise TypeError(
                f"{func}: {name} must be a TensorDataset of images x (n, C, H, W) and labels y, "
                f"such as convlab.data.digits returns; got {type(ds).__name__}."
            )
    x_train, x_test = train.tensors[0], test.tensors[0]
    if x_train.shape[1] != x_test.shape[1]:
        raise ValueError(
            f"{func}: train has {x_train.shape[1]} channels but test has {x_test.shape[1]}."
        )
    mean = x_train.double().mean(dim=(0, 2, 3), keepdim=True)
    std = x_train.double().std(dim=(0, 2, 3), keepdim=True)
    if bool((std == 0).any()):
        raise ValueError(
            f"{func}: a channel of the training images is constant, so it cannot be scaled to unit variance."
        )

    def rescale(x):
        return ((x.double() - mean) / std).to(x.dtype)

    return TensorDataset(rescale(x_train), train.tensors[1]), TensorDataset(
        rescale(x_test), test.tensors[1]
    )


def _check_batch(x, func: str) -> None:
    if not isinstance(x, torch.Tensor) or x.ndim != 4:
        shape = shape_or_type(x)
        raise ValueError(
            f"{func}: expects a batch of images, a tensor of shape (N, C, H, W); got {shape}."
        )


def random_shift(
    max_shift: int = 2, generator: torch.Generator | None = None
):
    """An augmentation that moves every image of a batch by a random whole number of pixels.

    Returns a function ``shift(x)`` for a batch ``x`` of shape ``(N, C, H, W)``: image ``n``
    is translated by ``(dy, dx)``, each drawn uniformly from ``-max_shift..max_shift``;
    pixels moved in from outside are 0 (zero padding), pixels moved out are lost. The shape
    is unchanged. Random numbers come from ``generator`` or, if ``None``, from PyTorch's
    global generator (seeded by :func:`convlab.train.fit`).
    """
    func = "random_shift"
    m = as_int(max_shift, "max_shift", func, minimum=0)
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"{func}: generator must be a torch.Generator or None, got {type(generator).__name__}."
        )

    def shift(x: torch.Tensor) -> torch.Tensor:
        _check_batch(x, "random_shift")
        if m == 0:
            return x
        n, _, h, w = x.shape
        d = torch.randint(-m, m + 1, (n, 2), generator=generator)
        padded = F.pad(x, (m, m, m, m))
        # Output pixel (i, j) of image k is input pixel (i - dy, j - dx): a window of `padded`.
        return torch.stack(
            [
                padded[k, :, m - dy : m - dy + h, m - dx : m - dx + w]
                for k, (dy, dx) in enumerate(d.tolist())
            ]
        )

    return shift


def random_flip(p: float = 0.5, generator: torch.Generator | None = None):
    """An augmentation that mirrors images left-right, each with probability ``p``.

    Returns a function ``flip(x)`` for a batch ``(N, C, H, W)`` (shape unchanged). Random
    numbers come from ``generator`` or PyTorch's global generator. Only use it when a mirrored
    example still belongs to its class (true for the shapes of :func:`shapes`, false for
    digits).
    """
    func = "random_flip"
    p = as_fraction(p, "p", func, note="a probability")
    if generator is not None and not isinstance(generator, torch.Generator):
        raise TypeError(
            f"{func}: generator must be a torch.Generator or None, got {type(generator).__name__}."
        )

    def flip(x: torch.Tensor) -> torch.Tensor:
        _check_batch(x, "random_flip")
        chosen = torch.rand(x.shape[0], generator=generator) < p
        return torch.where(chosen[:, None, None, None], x.flip(-1), x)

    return flip
