"""convlab.data: the digits split is stratified, disjoint and deterministic, resizing is
bilinear, the shapes are balanced, inside the image and in the requested region, the
augmentations move pixels as documented; bad arguments get clear errors."""

import re

import numpy as np
import pytest
import torch
from sklearn.datasets import load_digits
from torch.utils.data import TensorDataset

from convlab import data
from tolerances import FLOAT32


def _xy(ds):
    x, y = ds.tensors
    return x, y


# ---------------------------------------------------------------- digits
def test_digits_default_format_and_values():
    train, test = data.digits()
    (xtr, ytr), (xte, yte) = _xy(train), _xy(test)
    assert xtr.dtype == torch.float32 and ytr.dtype == torch.int64
    assert xtr.shape == (1347, 1, 8, 8) and xte.shape == (450, 1, 8, 8)
    assert ytr.shape == (1347,) and yte.shape == (450,)
    assert 0.0 <= float(xtr.min()) and float(xtr.max()) == 1.0
    # Together the two sets are exactly scikit-learn's images / 16 with their labels.
    bunch = load_digits()
    x_all = torch.cat([xtr, xte]).reshape(-1, 64).double().numpy()
    y_all = torch.cat([ytr, yte]).numpy()
    order_ours = np.lexsort(np.column_stack([x_all, y_all]).T)
    ref = np.column_stack([bunch.data / 16.0, bunch.target])
    order_ref = np.lexsort(ref.T)
    np.testing.assert_array_equal(
        np.column_stack([x_all, y_all])[order_ours], ref[order_ref]
    )


def test_digits_split_is_stratified_and_disjoint():
    y = load_digits().target
    train_idx, test_idx = data.stratified_split(y, 0.25, seed=3)
    assert len(np.intersect1d(train_idx, test_idx)) == 0
    np.testing.assert_array_equal(
        np.sort(np.concatenate([train_idx, test_idx])), np.arange(len(y))
    )
    for c in range(10):
        n_c = int((y == c).sum())
        assert int((y[test_idx] == c).sum()) == round(0.25 * n_c)
    _, test = data.digits(test_fraction=0.25, seed=3)
    np.testing.assert_array_equal(test.tensors[1].numpy(), y[test_idx])


@pytest.mark.parametrize("fraction", [0.1, 0.5, 0.8])
def test_digits_fraction_honoured(fraction):
    train, test = data.digits(test_fraction=fraction)
    counts = np.bincount(load_digits().target)
    assert len(test) == sum(round(fraction * n) for n in counts)
    assert len(train) + len(test) == 1797


def test_digits_deterministic_and_seed_dependent():
    a_train, a_test = data.digits(seed=0)
    b_train, b_test = data.digits(seed=0)
    assert torch.equal(
        a_train.tensors[0], b_train.tensors[0]
    ) and torch.equal(a_test.tensors[1], b_test.tensors[1])
    c_train, _ = data.digits(seed=1)
    assert not torch.equal(a_train.tensors[0], c_train.tensors[0])


def _bilinear_reference(img, size):
    """Bilinear resize with half-pixel centres (output pixel i samples input coordinate
    (i + 0.5) * h / size - 0.5, clamped to the image), written independently with NumPy."""
    h = img.shape[0]
    t = np.clip((np.arange(size) + 0.5) * h / size - 0.5, 0, h - 1)
    i0 = np.floor(t).astype(int)
    i1 = np.minimum(i0 + 1, h - 1)
    f = t - i0
    rows = img[i0] * (1 - f)[:, None] + img[i1] * f[:, None]
    return rows[:, i0] * (1 - f)[None, :] + rows[:, i1] * f[None, :]


@pytest.mark.parametrize("size", [16, 28, 32])
def test_digits_resize_is_bilinear(size):
    small, _ = data.digits(8)
    big, _ = data.digits(size)
    assert big.tensors[0].shape == (1347, 1, size, size)
    assert torch.equal(small.tensors[1], big.tensors[1])
    for k in [0, 1, 500, 1346]:
        ref = _bilinear_reference(
            small.tensors[0][k, 0].double().numpy(), size
        )
        np.testing.assert_allclose(
            big.tensors[0][k, 0].numpy(), ref, atol=1e-6
        )
    assert (
        float(big.tensors[0].min()) >= 0.0
        and float(big.tensors[0].max()) <= 1.0
    )


def test_digits_shrink_stays_in_range():
    train, _ = data.digits(4)
    x = train.tensors[0]
    assert (
        x.shape == (1347, 1, 4, 4)
        and float(x.min()) >= 0.0
        and float(x.max()) <= 1.0
    )


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        (dict(size=1), ValueError, "size must be at least 2"),
        (dict(size=8.0), TypeError, "size must be an int"),
        (dict(test_fraction=0.0), ValueError, r"must lie in \(0, 1\)"),
        (dict(test_fraction=1.0), ValueError, r"must lie in \(0, 1\)"),
        (
            dict(test_fraction="a quarter"),
            TypeError,
            "test_fraction must be a number",
        ),
        (
            dict(test_fraction=0.001),
            ValueError,
            "none of them would go to the test set",
        ),
        (dict(seed=-1), ValueError, "seed must be non-negative"),
    ],
)
def test_digits_errors(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        data.digits(**kwargs)


def test_stratified_split_errors():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        data.stratified_split(np.zeros((2, 2)))
    with pytest.raises(
        ValueError, match="all of them would go to the test set"
    ):
        data.stratified_split(np.array([0, 0, 1, 1]), test_fraction=0.9)


# ---------------------------------------------------------------- shapes
def test_shapes_format_and_balance():
    train, test = data.shapes(n_train=203, n_test=41, size=24, seed=2)
    (xtr, ytr), (xte, yte) = _xy(train), _xy(test)
    assert xtr.shape == (203, 1, 24, 24) and xte.shape == (41, 1, 24, 24)
    assert xtr.dtype == torch.float32 and ytr.dtype == torch.int64
    assert float(xtr.min()) >= 0 and float(xtr.max()) <= 1
    k = len(data.SHAPE_CLASSES)
    for y, n in [(ytr, 203), (yte, 41)]:
        counts = torch.bincount(y, minlength=k)
        assert counts.sum() == n and int(counts.max() - counts.min()) <= 1
    assert not torch.equal(
        ytr[:41], yte
    )  # shuffled and distinct from the training labels


def test_shapes_deterministic_and_train_test_differ():
    a = data.shapes(n_train=50, n_test=50, seed=4)
    b = data.shapes(n_train=50, n_test=50, seed=4)
    for u, v in zip(a, b):
        assert torch.equal(u.tensors[0], v.tensors[0]) and torch.equal(
            u.tensors[1], v.tensors[1]
        )
    assert not torch.equal(a[0].tensors[0], a[1].tensors[0])
    c = data.shapes(n_train=50, n_test=50, seed=5)
    assert not torch.equal(a[0].tensors[0], c[0].tensors[0])


def _area(name, r):
    return {
        "square": (1.6 * r) ** 2,
        "circle": np.pi * r**2,
        "triangle": 2 * r**2,
        "cross": 20 * r**2 / 9,
    }[name]


def test_shapes_are_whole_and_inside_the_image():
    size, n = 32, 400
    rng = np.random.default_rng(0)
    x, y = data._shape_images(n, size, 0.0, None, rng)
    rng = np.random.default_rng(
        0
    )  # replay the same draws to recover sizes and positions
    rng.permutation(n)
    r = rng.uniform(0.12 * size, 0.22 * size, n)
    cx = rng.uniform(r, size - r)
    cy = rng.uniform(r, size - r)
    assert (
        np.all(cx - r >= 0)
        and np.all(cx + r <= size)
        and np.all(cy - r >= 0)
        and np.all(cy + r <= size)
    )
    img = x[:, 0].numpy()
    for k in range(n):
        name = data.SHAPE_CLASSES[int(y[k])]
        # The drawn mass equals the shape's area: nothing was cut off at the border.
        assert (
            abs(img[k].sum() - _area(name, r[k]))
            < 0.04 * _area(name, r[k]) + 1.0
        ), (k, name)
        rows, cols = np.nonzero(img[k])
        assert cols.min() >= np.floor(
            cx[k] - r[k]
        ) and cols.max() <= np.ceil(cx[k] + r[k])
        assert rows.min() >= np.floor(
            cy[k] - r[k]
        ) and rows.max() <= np.ceil(cy[k] + r[k])


@pytest.mark.parametrize("region", ["left", "right"])
def test_shapes_region_honoured(region):
    size = 32
    train, test = data.shapes(
        n_train=300, n_test=100, size=size, noise=0.0, region=region, seed=1
    )
    for ds in (train, test):
        x = ds.tensors[0][:, 0]
        outside = (
            x[:, :, size // 2 :]
            if region == "left"
            else x[:, :, : size // 2]
        )
        inside = (
            x[:, :, : size // 2]
            if region == "left"
            else x[:, :, size // 2 :]
        )
        assert float(outside.abs().max()) == 0.0
        assert bool(
            (inside.sum(dim=(1, 2)) > 5).all()
        )  # every image does hold a shape


def test_shapes_noise_level():
    # Background pixels are N(0, noise) clipped to [0, 1]: their mean is noise / sqrt(2 pi).
    train, _ = data.shapes(
        n_train=400, n_test=1, noise=0.1, region="left", seed=0
    )
    right_half = train.tensors[0][:, 0, :, 16:].double()
    assert abs(float(right_half.mean()) - 0.1 / np.sqrt(2 * np.pi)) < 2e-3
    clean, _ = data.shapes(
        n_train=400, n_test=1, noise=0.0, region="left", seed=0
    )
    assert float(clean.tensors[0][:, 0, :, 16:].abs().max()) == 0.0


def test_shapes_class_areas():
    # Sizes are drawn from the same distribution for every class, so the mean drawn mass of a
    # class is its area coefficient times E[r^2]: circle pi, square 1.6^2, cross 20/9, triangle 2.
    train, _ = data.shapes(n_train=2000, n_test=1, noise=0.0, seed=0)
    x, y = train.tensors
    mass = {
        name: float(x[y == c].sum(dim=(1, 2, 3)).double().mean())
        for c, name in enumerate(data.SHAPE_CLASSES)
    }
    coef = {
        "circle": np.pi,
        "square": 1.6**2,
        "cross": 20 / 9,
        "triangle": 2.0,
    }
    for name in data.SHAPE_CLASSES:
        assert (
            abs(mass[name] / mass["circle"] - coef[name] / np.pi) < 0.05
        ), name


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        (dict(n_train=0), ValueError, "n_train must be at least 1"),
        (dict(n_test=2.5), TypeError, "n_test must be an int"),
        (dict(size=4), ValueError, "size must be at least 8"),
        (dict(noise=-0.1), ValueError, "noise is a standard deviation"),
        (dict(noise="low"), TypeError, "noise must be a finite number"),
        (dict(region="top"), ValueError, "region must be None"),
        (dict(seed=1.5), TypeError, "seed must be an int"),
    ],
)
def test_shapes_errors(kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        data.shapes(**kwargs)


# ---------------------------------------------------------------- augmentations
def _shift_reference(img, dy, dx):
    out = torch.zeros_like(img)
    h, w = img.shape[-2:]
    for i in range(h):
        for j in range(w):
            if 0 <= i - dy < h and 0 <= j - dx < w:
                out[..., i, j] = img[..., i - dy, j - dx]
    return out


def test_random_shift_matches_reference():
    x = torch.rand(6, 2, 7, 9, generator=torch.Generator().manual_seed(0))
    shifted = data.random_shift(
        3, generator=torch.Generator().manual_seed(11)
    )(x)
    d = torch.randint(
        -3, 4, (6, 2), generator=torch.Generator().manual_seed(11)
    )
    assert shifted.shape == x.shape
    assert len({tuple(v) for v in d.tolist()}) > 1
    for k, (dy, dx) in enumerate(d.tolist()):
        assert torch.equal(shifted[k], _shift_reference(x[k], dy, dx))


def test_random_shift_zero_is_identity_and_uses_global_generator():
    x = torch.rand(3, 1, 5, 5)
    assert torch.equal(data.random_shift(0)(x), x)
    torch.manual_seed(1)
    a = data.random_shift(2)(x)
    torch.manual_seed(1)
    b = data.random_shift(2)(x)
    assert torch.equal(a, b)


def test_random_flip():
    x = torch.rand(50, 1, 4, 6)
    assert torch.equal(data.random_flip(0.0)(x), x)
    assert torch.equal(data.random_flip(1.0)(x), x.flip(-1))
    out = data.random_flip(0.5, generator=torch.Generator().manual_seed(0))(
        x
    )
    flipped = torch.tensor(
        [torch.equal(o, xi.flip(-1)) for o, xi in zip(out, x)]
    )
    kept = torch.tensor([torch.equal(o, xi) for o, xi in zip(out, x)])
    assert bool((flipped | kept).all()) and 10 < int(flipped.sum()) < 40


def test_augmentation_errors():
    with pytest.raises(ValueError, match="max_shift must be non-negative"):
        data.random_shift(-1)
    with pytest.raises(
        TypeError, match="generator must be a torch.Generator"
    ):
        data.random_shift(1, generator=0)
    with pytest.raises(
        ValueError,
        match=re.escape("p must lie in [0, 1] (a probability)"),
    ):
        data.random_flip(1.5)
    with pytest.raises(ValueError, match=re.escape("(N, C, H, W)")):
        data.random_shift(1)(torch.zeros(5, 5))
    with pytest.raises(ValueError, match=re.escape("(N, C, H, W)")):
        data.random_flip()(np.zeros((1, 1, 5, 5)))


# ---------------------------------------------------------------- standardize
def test_standardize_uses_training_statistics():
    train, test = data.digits(16)
    s_train, s_test = data.standardize(train, test)
    x = s_train.tensors[0].double()
    assert abs(float(x.mean())) < 1e-6 and abs(float(x.std()) - 1) < 1e-6
    mean, std = (
        train.tensors[0].double().mean(),
        train.tensors[0].double().std(),
    )
    torch.testing.assert_close(
        s_test.tensors[0].double(),
        (test.tensors[0].double() - mean) / std,
        rtol=1e-6,
        atol=1e-6,
    )
    assert (
        s_test.tensors[0].dtype == torch.float32
        and s_train.tensors[1] is train.tensors[1]
    )
    assert (
        abs(float(s_test.tensors[0].double().mean())) > 1e-4
    )  # test statistics were not used


def test_standardize_per_channel_and_errors():
    g = torch.Generator().manual_seed(0)
    x = (
        torch.randn(20, 2, 3, 3, generator=g)
        * torch.tensor([1.0, 5.0])[None, :, None, None]
        + 3
    )
    ds = TensorDataset(x, torch.zeros(20, dtype=torch.long))
    s_train, _ = data.standardize(ds, ds)
    per_channel = s_train.tensors[0].double().transpose(0, 1).reshape(2, -1)
    torch.testing.assert_close(
        per_channel.std(dim=1),
        torch.ones(2, dtype=torch.float64),
        **FLOAT32,
    )
    with pytest.raises(
        TypeError, match="must be a TensorDataset of images"
    ):
        data.standardize([1, 2], ds)
    with pytest.raises(ValueError, match="2 channels but test has 1"):
        data.standardize(
            ds,
            TensorDataset(
                torch.zeros(3, 1, 3, 3), torch.zeros(3, dtype=torch.long)
            ),
        )
    flat = TensorDataset(
        torch.ones(4, 1, 2, 2), torch.zeros(4, dtype=torch.long)
    )
    with pytest.raises(ValueError, match="constant"):
        data.standardize(flat, flat)
