"""convlab.train: fit is deterministic (same seed, same history; independent of the caller's
thread count; identical progress-bar text), it learns, evaluate computes the right loss and
accuracy, augment touches only training batches; bad arguments get clear errors."""

import contextlib
import io
import math
import os
import re
import subprocess
import sys

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from convlab import data, train


@pytest.fixture(scope="module")
def digits8():
    return data.digits(8)


def _small_cnn():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 6, 3, padding=1),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Dropout(0.1),
        nn.Flatten(),
        nn.Linear(6 * 16, 10),
    )


def _as_tuple(h):
    return (h.train_loss, h.train_acc, h.test_loss, h.test_acc)


def test_fit_same_seed_same_history_and_bar_text(digits8, capsys):
    tr, te = digits8
    h1 = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=3,
        lr=1e-2,
        augment=data.random_shift(1),
    )
    out1 = capsys.readouterr().out
    h2 = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=3,
        lr=1e-2,
        augment=data.random_shift(1),
    )
    out2 = capsys.readouterr().out
    assert _as_tuple(h1) == _as_tuple(h2)
    assert out1 == out2
    assert (
        "3/3 epochs" in out1
        and f"test acc {100 * h1.test_acc[-1]:.1f}%" in out1
    )
    assert not re.search(
        r"\d\d:\d\d|it/s|s/it", out1
    )  # no timings in the bar
    h3 = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=3,
        lr=1e-2,
        seed=1,
        progress=False,
        augment=data.random_shift(1),
    )
    assert capsys.readouterr().out == ""
    assert _as_tuple(h3) != _as_tuple(
        h1
    )  # the seed does matter (shuffling, dropout, shifts)


def test_fit_independent_of_outer_threads(digits8):
    tr, te = digits8
    before = torch.get_num_threads()
    try:
        torch.set_num_threads(2)
        h_two = train.fit(
            _small_cnn(), tr, te, epochs=2, lr=1e-2, progress=False
        )
        assert torch.get_num_threads() == 2  # restored
        torch.set_num_threads(1)
        h_one = train.fit(
            _small_cnn(), tr, te, epochs=2, lr=1e-2, progress=False
        )
        assert torch.get_num_threads() == 1
    finally:
        torch.set_num_threads(before)
    assert _as_tuple(h_two) == _as_tuple(h_one)


_SCRIPT = """
import torch
from torch import nn
from convlab import data, train
tr, te = data.digits(8)
torch.manual_seed(0)
m = nn.Sequential(nn.Conv2d(1, 6, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(384, 10))
h = train.fit(m, tr, te, epochs=2, lr=1e-2, progress=False)
print(repr((h.train_loss, h.test_loss, h.test_acc)))
"""


def test_fit_same_history_with_omp_num_threads_1():
    # nbval runs the notebooks with default threads and again with OMP_NUM_THREADS=1.
    env = dict(os.environ, OMP_NUM_THREADS="1")
    res = subprocess.run(
        [sys.executable, "-c", _SCRIPT],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    before = torch.get_num_threads()
    torch.set_num_threads(2)
    try:
        namespace = {}
        with contextlib.redirect_stdout(io.StringIO()) as here:
            exec(_SCRIPT, namespace)
    finally:
        torch.set_num_threads(before)
    assert res.stdout == here.getvalue()


def test_fit_leaves_callers_random_state_alone(digits8):
    tr, te = digits8
    model = _small_cnn()
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    train.fit(model, tr, None, epochs=1, lr=1e-3, progress=False)
    assert torch.equal(torch.rand(3), expected)


def test_fit_learns_digits(digits8):
    tr, te = digits8
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Flatten(), nn.Linear(64, 10)
    )  # multinomial logistic regression
    h = train.fit(
        model, tr, te, epochs=15, lr=0.05, optimizer="sgd", progress=False
    )
    assert h.epochs == 15 and len(h.test_acc) == 15
    assert h.train_loss[-1] < h.train_loss[0] / 5
    assert h.test_acc[-1] >= 0.93
    assert train.evaluate(model, te) == pytest.approx(
        (h.test_loss[-1], h.test_acc[-1]), rel=1e-6
    )
    assert h.device == "cpu" and h.seconds > 0


def test_evaluate_on_a_toy_model():
    # Logits are the inputs themselves: loss and accuracy by hand with NumPy.
    x = torch.tensor(
        [
            [2.0, 0.0, -1.0],
            [0.5, 1.5, 0.0],
            [0.0, 0.0, 3.0],
            [1.0, 2.0, 0.5],
            [-1.0, 0.0, 0.0],
        ]
    )
    y = torch.tensor([0, 1, 0, 2, 2])
    model = nn.Sequential(nn.Identity())
    model.register_parameter("unused", nn.Parameter(torch.zeros(1)))
    model.train()
    loss, acc = train.evaluate(model, TensorDataset(x, y), batch_size=2)
    z = x.double().numpy()
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    assert loss == pytest.approx(
        -log_p[np.arange(5), y.numpy()].mean(), rel=1e-6
    )
    assert acc == pytest.approx(
        2 / 5
    )  # rows 0 and 1 are right; 2, 3 and 4 are wrong
    assert model.training  # mode restored


def test_evaluate_uses_eval_mode():
    seen = []

    class Spy(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nn.Parameter(torch.zeros(1))

        def forward(self, x):
            seen.append(self.training)
            return x.flatten(1)[:, :2] + self.w

    model = Spy().train()
    train.evaluate(
        model,
        TensorDataset(
            torch.zeros(4, 1, 1, 2), torch.zeros(4, dtype=torch.long)
        ),
    )
    assert seen == [False] and model.training


def test_augment_only_on_training_batches(digits8):
    tr, te = digits8
    calls = []

    def spy(x):
        calls.append(x.shape[0])
        return x

    train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=2,
        lr=1e-3,
        batch_size=100,
        progress=False,
        augment=spy,
    )
    assert (
        sum(calls) == 2 * len(tr) and len(calls) == 2 * 14
    )  # 1347 examples = 13 batches of 100 + 47


def test_fit_with_sgd_and_weight_decay_differs(digits8):
    tr, te = digits8
    a = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=1,
        lr=0.05,
        optimizer="sgd",
        progress=False,
    )
    b = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=1,
        lr=0.05,
        optimizer="sgd",
        weight_decay=0.1,
        progress=False,
    )
    assert _as_tuple(a) != _as_tuple(b)


def test_history_table_and_plot(digits8):
    tr, te = digits8
    h = train.fit(_small_cnn(), tr, te, epochs=2, lr=1e-2, progress=False)
    lines = h.table().splitlines()
    assert lines[0].split() == [
        "epoch",
        "train",
        "loss",
        "train",
        "acc",
        "test",
        "loss",
        "test",
        "acc",
    ]
    assert len(lines) == 3 and lines[2].split()[0] == "2"
    assert lines[2].split()[-1] == f"{100 * h.test_acc[1]:.1f}%"
    axes = train.plot_history(h)
    assert len(axes[0].lines) == 2 and len(axes[1].lines) == 2
    np.testing.assert_allclose(
        axes[1].lines[1].get_ydata(), [100 * a for a in h.test_acc]
    )
    train.plot_history(h, axes=axes, label="again")
    assert len(axes[0].lines) == 4
    no_test = train.History(train_loss=[1.0], train_acc=[0.5])
    assert "test" not in no_test.table()
    with pytest.raises(TypeError, match="History returned by fit"):
        train.plot_history({"train_loss": [1.0]})


def test_pick_device():
    assert train.pick_device().type == (
        "cuda" if torch.cuda.is_available() else "cpu"
    )


@pytest.mark.parametrize(
    "kwargs, exc, pattern",
    [
        (dict(model="lenet"), TypeError, "model must be a torch.nn.Module"),
        (dict(train=[1, 2]), TypeError, "train must be a torch Dataset"),
        (dict(test=np.zeros(3)), TypeError, "test must be a torch Dataset"),
        (dict(epochs=0), ValueError, "epochs must be at least 1"),
        (dict(epochs=2.0), TypeError, "epochs must be an int"),
        (dict(lr=0), ValueError, "lr must be positive"),
        (dict(lr=float("nan")), ValueError, "lr must be a finite number"),
        (dict(batch_size=0), ValueError, "batch_size must be at least 1"),
        (dict(optimizer="rmsprop"), ValueError, "optimizer must be one of"),
        (
            dict(weight_decay=-1),
            ValueError,
            "weight_decay must be non-negative",
        ),
        (dict(seed=-3), ValueError, "seed must be non-negative"),
        (dict(device="tpu"), ValueError, "device must be None"),
        (dict(progress="yes"), TypeError, "progress must be True or False"),
        (dict(threads=0), ValueError, "threads must be at least 1"),
        (
            dict(augment="shift"),
            TypeError,
            "augment must be None or a function",
        ),
        (
            dict(augment=lambda x: x[:, :, 1:]),
            ValueError,
            "augment must return a tensor of the batch's shape",
        ),
        (dict(model=nn.Flatten()), ValueError, "no parameters to train"),
        (
            dict(dtype=torch.float16),
            ValueError,
            "dtype must be torch.float64 or torch.float32",
        ),
        (
            dict(model=nn.Conv2d(1, 2, 3)),
            ValueError,
            re.escape("logits of shape (N, num_classes)"),
        ),
    ],
)
def test_fit_errors(digits8, kwargs, exc, pattern):
    tr, te = digits8
    args = dict(
        model=nn.Sequential(nn.Flatten(), nn.Linear(64, 10)),
        train=tr,
        test=te,
        epochs=1,
        lr=1e-3,
        progress=False,
    )
    args.update(kwargs)
    before = torch.get_num_threads()
    with pytest.raises(exc, match=pattern):
        train.fit(**args)
    assert torch.get_num_threads() == before


def test_evaluate_errors(digits8):
    _, te = digits8
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        train.evaluate(None, te)
    with pytest.raises(ValueError, match="dataset is empty"):
        train.evaluate(
            nn.Linear(2, 2),
            TensorDataset(
                torch.zeros(0, 2), torch.zeros(0, dtype=torch.long)
            ),
        )
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        train.evaluate(nn.Linear(64, 10), te, batch_size=0)
    with pytest.raises(ValueError, match="threads must be at least 1"):
        train.evaluate(nn.Linear(64, 10), te, threads=0)


def test_cosine_schedule(digits8):
    tr, te = digits8
    h = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=4,
        lr=0.01,
        batch_size=100,
        schedule="cosine",
        progress=False,
    )
    steps = 4 * 14  # 14 batches of (at most) 100 per epoch
    expected = [
        0.01 * (1 + math.cos(math.pi * 14 * e / steps)) / 2
        for e in range(4)
    ]
    assert h.lr == pytest.approx(expected, rel=1e-12)
    constant = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=4,
        lr=0.01,
        batch_size=100,
        progress=False,
    )
    assert constant.lr == [0.01] * 4 and _as_tuple(constant) != _as_tuple(h)
    with pytest.raises(ValueError, match="schedule must be None"):
        train.fit(
            _small_cnn(),
            tr,
            te,
            epochs=1,
            lr=0.01,
            schedule="step",
            progress=False,
        )


def _bn_cnn():
    torch.manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.Conv2d(8, 8, 3, padding=1),
        nn.BatchNorm2d(8),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(1),
        nn.Flatten(),
        nn.Linear(8, 10),
    )


def test_fit_trains_in_float64_by_default_and_keeps_the_dtype(digits8):
    tr, te = digits8
    model = _bn_cnn()
    h = train.fit(model, tr, te, epochs=1, lr=1e-2, progress=False)
    assert all(p.dtype == torch.float64 for p in model.parameters())
    assert train.evaluate(model, te) == (
        h.test_loss[-1],
        h.test_acc[-1],
    )  # float32 data are converted
    model32 = _bn_cnn()
    h32 = train.fit(
        model32,
        tr,
        te,
        epochs=1,
        lr=1e-2,
        progress=False,
        dtype=torch.float32,
    )
    assert all(p.dtype == torch.float32 for p in model32.parameters())
    assert (
        h32.train_loss != h.train_loss
        and abs(h32.train_loss[0] - h.train_loss[0]) < 0.05
    )


def test_float64_training_does_not_depend_on_the_summation_order(digits8):
    """The reason fit defaults to float64: other threads (like other CPUs) add partial sums in
    another order, which float64 keeps far below the 4 printed decimals of a loss."""
    tr, te = digits8
    runs = []
    for threads in (1, 3):
        h = train.fit(
            _bn_cnn(),
            tr,
            te,
            epochs=3,
            lr=1e-2,
            batch_size=32,
            progress=False,
            threads=threads,
        )
        runs.append(h.train_loss + h.test_loss)
    assert (
        max(abs(a - b) for a, b in zip(*runs)) < 1e-6
    )  # printed losses have 4 decimals


def test_warmup_then_cosine(digits8):
    tr, te = digits8
    h = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=4,
        lr=0.01,
        batch_size=100,
        schedule="cosine",
        warmup=0.25,
        progress=False,
    )
    steps, warm = 4 * 14, 14  # 14 batches per epoch, a quarter of 56 steps
    assert h.lr[0] == pytest.approx(
        0.01 / warm, rel=1e-12
    )  # the first step of the warm-up
    expected = [
        0.01
        * (1 + math.cos(math.pi * (14 * e - warm) / (steps - warm)))
        / 2
        for e in (1, 2, 3)
    ]
    assert h.lr[1:] == pytest.approx(expected, rel=1e-12)
    flat = train.fit(
        _small_cnn(),
        tr,
        te,
        epochs=2,
        lr=0.01,
        batch_size=100,
        warmup=0.5,
        progress=False,
    )
    assert flat.lr == pytest.approx(
        [0.01 / 14, 0.01], rel=1e-12
    )  # warm-up, then constant
    for bad, error in (
        (1.0, ValueError),
        (-0.1, ValueError),
        (True, TypeError),
        ("10%", TypeError),
    ):
        with pytest.raises(
            error,
            match=r"warmup must .*\[0, 1\) \(the fraction of the steps",
        ):
            train.fit(
                _small_cnn(),
                tr,
                te,
                epochs=1,
                lr=0.01,
                warmup=bad,
                progress=False,
            )
