"""Progressive resizing: train on small images first, then on the full size.

A *schedule* is a sequence of stages ``[(size, epochs), ...]``, e.g. ``[(4, 2), (6, 2), (8, 2)]``:
two epochs on the digits shrunk to 4x4, two at 6x6, two at the full 8x8. The model must accept
every size, e.g. a stack of padded convolutions ending in adaptive (or global) average pooling.

:func:`schedule_macs` counts what a schedule costs in multiply-adds of the forward pass
(:func:`convlab.cost.count_macs` per example at each size, times examples times epochs; the
backward pass costs about twice the forward one at every size, so ratios between schedules
are the same with it). The count is exact and deterministic, unlike a time.

:func:`fit_progressive` trains a model through a schedule with :func:`convlab.train.fit`, one
call per stage (a fresh Adam each stage, shuffling seeded by ``seed``), on datasets produced
by ``datasets(size) -> (train, test)``, :func:`convlab.data.digits` by default. The test
accuracy of a stage is measured at that stage's size.
"""

from __future__ import annotations

from collections.abc import Callable

from torch import nn

from . import cost as _cost
from . import data as _data
from . import train as _train
from .validation import as_int

__all__ = ["check_schedule", "schedule_macs", "fit_progressive"]


def check_schedule(
    schedule, func: str = "check_schedule"
) -> list[tuple[int, int]]:
    """The schedule as a list of ``(size, epochs)`` pairs of whole numbers, or a clear error."""
    try:
        stages = list(schedule)
    except TypeError:
        raise TypeError(
            f"{func}: schedule must be a list of (size, epochs) pairs, got {type(schedule).__name__}."
        ) from None
    if not stages:
        raise ValueError(
            f"{func}: schedule must have at least one (size, epochs) stage."
        )
    out = []
    for stage in stages:
        if not isinstance(stage, (tuple, list)) or len(stage) != 2:
            raise ValueError(
                f"{func}: every stage must be a pair (size, epochs), got {stage!r}."
            )
        size = as_int(stage[0], "size", func, minimum=2)
        epochs = as_int(stage[1], "epochs", func, minimum=1)
        out.append((size, epochs))
    return out


def schedule_macs(
    model: nn.Module, schedule, examples: int, channels: int = 1
) -> int:
    """Forward multiply-adds of training ``model`` through ``schedule`` on ``examples`` images.

    ``sum over stages of count_macs(model, (channels, size, size)) * examples * epochs``.
    """
    func = "schedule_macs"
    stages = check_schedule(schedule, func)
    examples = as_int(examples, "examples", func, minimum=1)
    channels = as_int(channels, "channels", func, minimum=1)
    return sum(
        _cost.count_macs(model, (channels, size, size)) * examples * epochs
        for size, epochs in stages
    )


def fit_progressive(
    model: nn.Module,
    schedule,
    lr: float,
    seed: int = 0,
    datasets: Callable | None = None,
    **fit_kwargs,
) -> list[_train.History]:
    """Train ``model`` in place through ``schedule``; return one :class:`~convlab.train.History` per stage.

    ``datasets(size)`` returns ``(train, test)`` datasets of ``size x size`` images (default
    :func:`convlab.data.digits`, memoised per size for this call); further keyword arguments
    (``batch_size``, ``optimizer``, ...) go to :func:`convlab.train.fit` (``progress`` defaults
    to ``False``).
    """
    func = "fit_progressive"
    stages = check_schedule(schedule, func)
    if datasets is None:
        datasets = _data.digits
    elif not callable(datasets):
        raise TypeError(
            f"{func}: datasets must be a function size -> (train, test), got {type(datasets).__name__}."
        )
    fit_kwargs.setdefault("progress", False)
    cache: dict[int, tuple] = {}
    histories = []
    for size, epochs in stages:
        if size not in cache:
            cache[size] = datasets(size)
        train_set, test_set = cache[size]
        histories.append(
            _train.fit(
                model,
                train_set,
                test_set,
                epochs=epochs,
                lr=lr,
                seed=seed,
                **fit_kwargs,
            )
        )
    return histories
