"""convlab.resizing: schedules, their multiply-adds, and progressive training through train.fit."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from convlab import cost, resizing, train


def _net(seed=0, c=4, classes=3):
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Conv2d(1, c, 3, padding=1),
        nn.ReLU(),
        nn.AdaptiveAvgPool2d(2),
        nn.Flatten(),
        nn.Linear(4 * c, classes),
    )


def test_schedule_macs_is_the_sum_over_stages():
    net = _net()
    per = {s: cost.count_macs(net, (1, s, s)) for s in (4, 8)}
    # conv: c * s^2 * 9 MACs, linear: 16 * 3
    assert per[4] == 4 * 16 * 9 + 48 and per[8] == 4 * 64 * 9 + 48
    assert resizing.schedule_macs(net, [(4, 2), (8, 1)], 10) == 10 * (
        2 * per[4] + per[8]
    )


@pytest.mark.parametrize(
    "schedule, error, words",
    [
        ([], ValueError, "at least one"),
        (5, TypeError, "list of"),
        ([(8,)], ValueError, "pair"),
        ([(1, 2)], ValueError, "size"),
        ([(8, 0)], ValueError, "epochs"),
        ([(8.5, 1)], TypeError, "size"),
    ],
)
def test_bad_schedules_are_explained(schedule, error, words):
    with pytest.raises(error, match=words):
        resizing.check_schedule(schedule)


def _datasets(size):
    g = torch.Generator().manual_seed(size)
    x = torch.randn(48, 1, size, size, generator=g)
    y = torch.arange(48) % 3
    return TensorDataset(x, y), TensorDataset(x[:12], y[:12])


def test_fit_progressive_is_fit_stage_by_stage():
    a, b = _net(1), _net(1)
    hs = resizing.fit_progressive(
        a,
        [(4, 2), (6, 1)],
        lr=0.01,
        seed=3,
        datasets=_datasets,
        batch_size=16,
    )
    h1 = train.fit(
        b,
        *_datasets(4),
        epochs=2,
        lr=0.01,
        seed=3,
        batch_size=16,
        progress=False,
    )
    h2 = train.fit(
        b,
        *_datasets(6),
        epochs=1,
        lr=0.01,
        seed=3,
        batch_size=16,
        progress=False,
    )
    assert [h.train_loss for h in hs] == [h1.train_loss, h2.train_loss]
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_fit_progressive_rejects_a_non_function_for_datasets():
    with pytest.raises(TypeError, match="datasets"):
        resizing.fit_progressive(_net(), [(4, 1)], lr=0.1, datasets=[1, 2])


def test_default_datasets_are_the_digits_at_each_size():
    net = _net(classes=10)
    hs = resizing.fit_progressive(net, [(4, 1), (8, 1)], lr=0.01)
    assert len(hs) == 2 and all(len(h.test_acc) == 1 for h in hs)
