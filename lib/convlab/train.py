"""A plain, readable training loop for classifiers, deterministic on a CPU.

:func:`fit` trains a model that maps a batch ``x`` of shape ``(N, C, H, W)`` to logits of
shape ``(N, num_classes)`` with the cross-entropy loss, for a number of epochs, and returns
a :class:`History` of per-epoch losses and accuracies. :func:`evaluate` measures loss and
accuracy on a dataset, :func:`plot_history` draws a history, :func:`pick_device` chooses
the GPU when there is one.

Determinism. ``fit`` seeds PyTorch's random number generator with ``seed`` (inside
``torch.random.fork_rng``, so the caller's generator is left as it was) and gives the
``DataLoader`` its own generator seeded with ``seed``: the shuffling, dropout masks and
random augmentations are the same on every run. It trains in ``dtype`` (default
``torch.float64``): the order in which a CPU adds up partial sums depends on its vector
width, its BLAS kernels and the number of threads, and changes the last bits of every
result; in float32 (about 7 digits) Adam and batch normalisation amplify those bits into a
different second decimal of the loss within one epoch, so a notebook trained on one machine
would print other numbers on the next. In float64 the same differences start about 10^9
times smaller and stay far below the printed digits (measured: a MobileNet trained with 1
and with 2 threads prints the same losses to 6 decimals in float64, and differs in the 2nd
in float32). It also runs with ``threads`` intra-op threads (default 1; the previous setting
is restored afterwards), which keeps two notebooks that train side by side from competing
for the same cores. The model's initial
weights are whatever they are when ``fit`` is called: call ``torch.manual_seed(...)``
before building the model. The progress bar (tqdm, one step per epoch) shows no timings,
so its text is the same on every run; the wall-clock time is in ``History.seconds``.

Accuracies are fractions in ``[0, 1]``; losses are mean cross-entropies (natural log) per
example.
"""

from __future__ import annotations

import functools
import math
import sys
import time
from dataclasses import dataclass, field

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from .timing import limited_threads
from .validation import as_fraction, as_int, as_positive_number
from .tensor_checks import shape_or_type

__all__ = [
    "fit",
    "evaluate",
    "History",
    "plot_history",
    "pick_device",
    "OPTIMIZERS",
    "SCHEDULES",
]

#: Names accepted by the ``optimizer`` argument of :func:`fit`.
OPTIMIZERS = ("adam", "sgd")

#: Values accepted by the ``schedule`` argument of :func:`fit`.
SCHEDULES = (None, "cosine")

# The progress bar's layout: no elapsed time, no rate, a bar 12 characters
# wide, so that a line fits the book's 76-character column:
#   15/15 epochs |############| train loss 0.0679, acc 97.7% | test acc 99.1%
# tqdm redraws it in place with carriage returns: live in Jupyter and in a
# terminal; tools/execute_notebooks.py stores only the final state, as
# Jupyter shows it.
_BAR_FORMAT = "{n_fmt}/{total_fmt} epochs |{bar:12}| {desc}"


@dataclass
class History:
    """What :func:`fit` measured, one entry per epoch.

    ``train_loss[e]`` and ``train_acc[e]`` are averages over the training examples of epoch
    ``e`` *as they were seen during training* (model in training mode, augmented inputs,
    weights changing from batch to batch); ``test_loss[e]`` and ``test_acc[e]`` are measured
    on the test set after epoch ``e`` with the model in evaluation mode (empty lists when
    ``fit`` had no test set). ``lr[e]`` is the learning rate of the first step of epoch ``e``
    (constant unless ``fit`` used a schedule). ``seconds`` is the wall-clock time of the whole run (it varies
    between runs: print it only in cells whose output is not compared), ``device`` where it ran.
    """

    train_loss: list[float] = field(default_factory=list)
    train_acc: list[float] = field(default_factory=list)
    test_loss: list[float] = field(default_factory=list)
    test_acc: list[float] = field(default_factory=list)
    lr: list[float] = field(default_factory=list)
    seconds: float = 0.0
    device: str = "cpu"

    @property
    def epochs(self) -> int:
        """Number of epochs recorded."""
        return len(self.train_loss)

    def table(self) -> str:
        """The history as a text table, one row per epoch (losses to 4 decimals,
        accuracies in percent to 1 decimal), suitable for ``print``."""
        has_test = len(self.test_acc) == self.epochs
        head = f"{'epoch':>5}  {'train loss':>10}  {'train acc':>9}"
        if has_test:
            head += f"  {'test loss':>9}  {'test acc':>8}"
        rows = [head]
        for e in range(self.epochs):
            row = f"{e + 1:>5}  {self.train_loss[e]:>10.4f}  {100 * self.train_acc[e]:>8.1f}%"
            if has_test:
                row += f"  {self.test_loss[e]:>9.4f}  {100 * self.test_acc[e]:>7.1f}%"
            rows.append(row)
        return "\n".join(rows)


def pick_device() -> torch.device:
    """``cuda`` when PyTorch sees a GPU, otherwise ``cpu``."""
    return torch.device("cuda" if torch.cuda.is_available() else "cpu")


def _check_model(model, func):
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"{func}: model must be a torch.nn.Module, got {type(model).__name__}."
        )


def _check_dataset(data, name, func):
    if not isinstance(data, Dataset) or not hasattr(data, "__len__"):
        raise TypeError(
            f"{func}: {name} must be a torch Dataset with a length (for example the "
            f"TensorDataset from convlab.data.digits), got {type(data).__name__}."
        )
    if len(data) == 0:
        raise ValueError(f"{func}: {name} is empty.")


def _as_device(device, func):
    if device is None:
        return pick_device()
    try:
        return torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(
            f"{func}: device must be None (pick automatically), 'cpu', 'cuda' or a "
            f"torch.device, got {device!r}."
        ) from None


def _logits(model, x, func):
    out = model(x)
    if (
        not isinstance(out, torch.Tensor)
        or out.ndim != 2
        or out.shape[0] != x.shape[0]
    ):
        shape = shape_or_type(out)
        raise ValueError(
            f"{func}: the model must return logits of shape (N, num_classes) for a batch "
            f"of N={x.shape[0]} inputs, but it returned {shape}."
        )
    return out


def _float_dtype(model):
    """The floating-point type of the model's weights (float32 for a model without any)."""
    return next(
        (p.dtype for p in model.parameters() if p.is_floating_point()),
        torch.float32,
    )


def _evaluate(model, loader, device, func):
    was_training = model.training
    model.eval()
    total_loss, correct, n = 0.0, 0, 0
    dtype = _float_dtype(model)
    try:
        with torch.no_grad():
            for x, y in loader:
                x, y = x.to(device=device, dtype=dtype), y.to(device)
                logits = _logits(model, x, func)
                total_loss += nn.functional.cross_entropy(
                    logits, y, reduction="sum"
                ).item()
                correct += (logits.argmax(dim=1) == y).sum().item()
                n += len(y)
    finally:
        model.train(was_training)
    return total_loss / n, correct / n


def evaluate(
    model: nn.Module,
    dataset: Dataset,
    batch_size: int = 256,
    device=None,
    threads: int = 1,
) -> tuple[float, float]:
    """Mean cross-entropy loss and accuracy (a fraction in ``[0, 1]``) of ``model`` on ``dataset``.

    The model is run in evaluation mode without gradients (its previous mode is restored);
    ``dataset`` yields pairs ``(x, y)`` with ``y`` the class index; ``x`` is converted to the
    floating-point type of the model's weights (float64 after :func:`fit`). ``device=None`` uses the
    device the model's parameters are on (the CPU for a model without parameters). Like
    :func:`fit` it computes with ``threads`` intra-op threads (default 1, restored afterwards): the
    many small operations of a small model gain nothing from more threads, and where two notebooks
    run side by side (as under the test suite) threads that wait for each other cost many times more.
    """
    func = "evaluate"
    _check_model(model, func)
    _check_dataset(dataset, "dataset", func)
    batch_size = as_int(batch_size, "batch_size", func, minimum=1)
    threads = as_int(threads, "threads", func, minimum=1)
    if device is None:
        p = next(model.parameters(), None)
        device = p.device if p is not None else torch.device("cpu")
    else:
        device = _as_device(device, func)
    loader = DataLoader(dataset, batch_size=batch_size, shuffle=False)
    with limited_threads(threads):
        return _evaluate(model, loader, device, func)


def _make_optimizer(name, params, lr, weight_decay, func):
    if name == "adam":
        return torch.optim.Adam(params, lr=lr, weight_decay=weight_decay)
    if name == "sgd":
        return torch.optim.SGD(
            params, lr=lr, momentum=0.9, weight_decay=weight_decay
        )
    raise ValueError(
        f"{func}: optimizer must be one of {OPTIMIZERS}, got {name!r}."
    )  # pragma: no cover


def fit(
    model: nn.Module,
    train: Dataset,
    test: Dataset | None,
    epochs: int,
    lr: float,
    batch_size: int = 64,
    optimizer: str = "adam",
    weight_decay: float = 0.0,
    seed: int = 0,
    device=None,
    progress: bool = True,
    threads: int = 1,
    augment=None,
    schedule: str | None = None,
    warmup: float = 0.0,
    dtype: torch.dtype = torch.float64,
) -> History:
    """Train ``model`` on ``train`` with the cross-entropy loss; return its :class:`History`.

    Parameters
    ----------
    model : maps a batch ``x`` ``(N, C, H, W)`` to logits ``(N, num_classes)``; trained in place
        (moved to ``device`` and converted to ``dtype``, which it keeps afterwards).
    train, test : datasets of pairs ``(x, y)``, e.g. from :mod:`convlab.data`. ``test`` may be
        ``None`` (no test metrics recorded).
    epochs : number of passes over ``train`` (at least 1).
    lr : learning rate.
    batch_size : examples per step; the training set is reshuffled every epoch.
    optimizer : ``"adam"`` (``torch.optim.Adam``) or ``"sgd"`` (``torch.optim.SGD`` with
        momentum 0.9).
    weight_decay : L2 penalty coefficient passed to the optimizer.
    seed : seeds shuffling, dropout and random augmentation (see the module docstring).
    device : ``None`` picks the GPU when present (:func:`pick_device`), else ``"cpu"``,
        ``"cuda"`` or a ``torch.device``.
    progress : show a tqdm progress bar over epochs (printed to stdout, without timings).
    threads : PyTorch intra-op threads used while training (restored afterwards).
    augment : ``None`` or a function ``augment(x) -> x`` applied to every *training* batch
        ``x`` ``(N, C, H, W)`` before the forward pass (never to the test set); it must return
        a batch of the same shape, e.g. :func:`convlab.data.random_shift` ``(2)``.
    schedule : ``None`` keeps the learning rate at ``lr``; ``"cosine"`` lowers it after every
        step ``t`` (of ``T = epochs * batches per epoch``) to ``lr * (1 + cos(pi t / T)) / 2``,
        from ``lr`` at the start to 0 at the end (cosine annealing), which lets the last epochs
        settle instead of jumping around.
    warmup : fraction of the ``T`` steps (in ``[0, 1)``, default 0) during which the learning rate
        rises linearly from ``lr / W`` to ``lr`` (``W`` the number of warm-up steps) before the
        schedule starts; the cosine then runs over the remaining steps. Attention models
        usually need it: their first steps, with large random logits, are unstable at full ``lr``.
    dtype : floating-point type of the weights and inputs during training, ``torch.float64``
        (default, reproducible across machines, see the module docstring) or ``torch.float32``
        (about twice as fast on a CPU, and the usual choice on a GPU).
    """
    func = "fit"
    _check_model(model, func)
    _check_dataset(train, "train", func)
    if test is not None:
        _check_dataset(test, "test", func)
    epochs = as_int(epochs, "epochs", func, minimum=1)
    lr = as_positive_number(lr, "lr", func)
    batch_size = as_int(batch_size, "batch_size", func, minimum=1)
    if not isinstance(optimizer, str) or optimizer not in OPTIMIZERS:
        raise ValueError(
            f"{func}: optimizer must be one of {OPTIMIZERS}, got {optimizer!r}."
        )
    weight_decay = as_positive_number(
        weight_decay, "weight_decay", func, allow_zero=True
    )
    seed = as_int(seed, "seed", func, minimum=0)
    device = _as_device(device, func)
    if not isinstance(progress, bool):
        raise TypeError(
            f"{func}: progress must be True or False, got {progress!r}."
        )
    threads = as_int(threads, "threads", func, minimum=1)
    if augment is not None and not callable(augment):
        raise TypeError(
            f"{func}: augment must be None or a function taking a batch x and returning "
            f"the augmented batch, got {type(augment).__name__}."
        )
    if schedule not in SCHEDULES:
        raise ValueError(
            f"{func}: schedule must be None (constant learning rate) or 'cosine', got {schedule!r}."
        )
    warmup = as_fraction(
        warmup,
        "warmup",
        func,
        "right-open",
        note="the fraction of the steps spent warming up",
    )
    if next(model.parameters(), None) is None:
        raise ValueError(f"{func}: the model has no parameters to train.")
    if dtype not in (torch.float32, torch.float64):
        raise ValueError(
            f"{func}: dtype must be torch.float64 or torch.float32, got {dtype!r}."
        )

    with limited_threads(threads):
        with torch.random.fork_rng(
            devices=[device.index or 0] if device.type == "cuda" else []
        ):
            torch.manual_seed(seed)
            return _fit(
                model,
                train,
                test,
                epochs,
                lr,
                batch_size,
                optimizer,
                weight_decay,
                seed,
                device,
                progress,
                augment,
                schedule,
                float(warmup),
                dtype,
            )


def _lr_factor(t, steps, warmup_steps, cosine):
    """The learning rate of step ``t`` (0-based) as a fraction of ``lr``: linear warm-up over
    ``warmup_steps`` steps, then constant or a cosine from 1 to 0 over the remaining steps."""
    if t < warmup_steps:
        return (t + 1) / warmup_steps
    if not cosine:
        return 1.0
    return 0.5 * (
        1 + math.cos(math.pi * (t - warmup_steps) / (steps - warmup_steps))
    )


def _fit(
    model,
    train,
    test,
    epochs,
    lr,
    batch_size,
    optimizer,
    weight_decay,
    seed,
    device,
    progress,
    augment,
    schedule,
    warmup,
    dtype,
):
    func = "fit"
    from tqdm import (
        tqdm,
    )  # the plain (text) bar: its output is the same in a notebook and a terminal

    model.to(device=device, dtype=dtype)
    opt = _make_optimizer(
        optimizer, model.parameters(), lr, weight_decay, func
    )
    loader = DataLoader(
        train,
        batch_size=batch_size,
        shuffle=True,
        generator=torch.Generator().manual_seed(seed),
    )
    test_loader = (
        None
        if test is None
        else DataLoader(test, batch_size=256, shuffle=False)
    )
    steps = epochs * len(loader)
    scheduler = None
    if schedule == "cosine" or warmup > 0:
        scheduler = torch.optim.lr_scheduler.LambdaLR(
            opt,
            functools.partial(
                _lr_factor,
                steps=steps,
                warmup_steps=math.ceil(warmup * steps),
                cosine=schedule == "cosine",
            ),
        )
    history = History(device=str(device))
    bar = tqdm(
        range(epochs),
        desc="",
        disable=not progress,
        file=sys.stdout,
        bar_format=_BAR_FORMAT,
        mininterval=0,
        miniters=1,
        ascii=True,
    )
    start = time.perf_counter()
    for _ in bar:
        model.train()
        total_loss, correct, n = 0.0, 0, 0
        history.lr.append(opt.param_groups[0]["lr"])
        for x, y in loader:
            x, y = x.to(device=device, dtype=dtype), y.to(device)
            if augment is not None:
                x_aug = augment(x)
                if (
                    not isinstance(x_aug, torch.Tensor)
                    or x_aug.shape != x.shape
                ):
                    got = (
                        tuple(x_aug.shape)
                        if isinstance(x_aug, torch.Tensor)
                        else type(x_aug).__name__
                    )
                    raise ValueError(
                        f"{func}: augment must return a tensor of the batch's shape "
                        f"{tuple(x.shape)}, got {got}."
                    )
                x = x_aug
            logits = _logits(model, x, func)
            loss = nn.functional.cross_entropy(logits, y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            if scheduler is not None:
                scheduler.step()
            total_loss += loss.item() * len(y)
            correct += (logits.argmax(dim=1) == y).sum().item()
            n += len(y)
        history.train_loss.append(total_loss / n)
        history.train_acc.append(correct / n)
        summary = (
            f"train loss {total_loss / n:.4f}, acc {100 * correct / n:.1f}%"
        )
        if test_loader is not None:
            test_loss, test_acc = _evaluate(
                model, test_loader, device, func
            )
            history.test_loss.append(test_loss)
            history.test_acc.append(test_acc)
            summary += f" | test acc {100 * test_acc:.1f}%"
        bar.set_description_str(summary, refresh=False)
    bar.close()
    history.seconds = time.perf_counter() - start
    return history


def plot_history(history: History, axes=None, label: str | None = None):
    """Plot the loss (left) and the accuracy in percent (right) per epoch.

    ``axes`` is a pair of matplotlib axes (a new figure is made when ``None``); pass the same
    axes again with a different ``label`` to compare runs. Train curves are dashed, test
    curves solid. Returns the pair of axes.
    """
    import matplotlib.pyplot as plt

    if not isinstance(history, History):
        raise TypeError(
            f"plot_history: history must be the History returned by fit, got {type(history).__name__}."
        )
    if axes is None:
        from .plotting import COLUMN_INCHES

        _, axes = plt.subplots(1, 2, figsize=(COLUMN_INCHES, 2.9))
    elif len(axes) != 2:
        raise ValueError(
            f"plot_history: axes must be a pair (loss axis, accuracy axis), got {len(axes)} axes."
        )
    ax_loss, ax_acc = axes
    epochs = range(1, history.epochs + 1)
    prefix = f"{label}: " if label else ""
    curves = [
        ("train", history.train_loss, history.train_acc, "--"),
        ("test", history.test_loss, history.test_acc, "-"),
    ]
    for name, losses, accs, style in curves:
        if len(losses) == history.epochs and losses:
            (line,) = ax_loss.plot(
                epochs, losses, style, marker="o", ms=3, label=prefix + name
            )
            ax_acc.plot(
                epochs,
                [100 * a for a in accs],
                style,
                marker="o",
                ms=3,
                color=line.get_color(),
                label=prefix + name,
            )
    ax_loss.set(xlabel="epoch", ylabel="cross-entropy loss", title="loss")
    ax_acc.set(xlabel="epoch", ylabel="accuracy (%)", title="accuracy")
    for ax in axes:
        ax.grid(alpha=0.3)
        ax.legend()
    return axes
