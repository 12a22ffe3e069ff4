"""Knowledge distillation: a small student learns from a larger teacher's softened outputs.

Notation (Hinton, Vinyals and Dean, 2015). For logits ``z`` (shape ``(N, K)``: ``N`` examples,
``K`` classes) and a temperature ``T > 0`` the softened probabilities are
``p_T(z) = softmax(z / T)`` along the class axis; ``T = 1`` is the ordinary softmax, a larger
``T`` spreads the probability over more classes, ``T -> inf`` tends to uniform. With teacher
logits ``v``, student logits ``z`` and labels ``y`` the distillation loss is

    L = alpha * T^2 * KL(p_T(v) || p_T(z)) + (1 - alpha) * CE(z, y),

the Kullback-Leibler divergence averaged over the ``N`` examples (PyTorch's
``reduction="batchmean"``) and the ordinary cross-entropy with the hard labels (at ``T = 1``).
The factor ``T^2`` keeps the soft term's gradients the same size as ``T`` changes (they scale
as ``1/T^2``). ``alpha = 0`` is training on the labels alone, ``alpha = 1`` on the teacher alone.

:func:`fit_distilled` trains a student with this loss, with the conventions of
:func:`convlab.train.fit` (Adam, float64, one thread, shuffling seeded by ``seed``): with
``alpha = 0`` it takes exactly the steps ``fit`` takes. The teacher is fixed: its logits on the
training set are computed once, in evaluation mode.
"""

from __future__ import annotations

import time

import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, Dataset, TensorDataset

from . import train as _train
from .timing import limited_threads
from .validation import as_fraction, as_int, as_positive_number

__all__ = ["soften", "distillation_loss", "fit_distilled"]


def _alpha(alpha, func) -> float:
    return as_fraction(
        alpha, "alpha", func, note="the weight of the soft term"
    )


def _logits(z, name, func) -> torch.Tensor:
    if not isinstance(z, torch.Tensor) or not z.is_floating_point():
        raise TypeError(
            f"{func}: {name} must be a floating-point tensor of logits, got {type(z).__name__}."
        )
    if z.ndim != 2:
        raise ValueError(
            f"{func}: {name} must have shape (N, K), got {tuple(z.shape)}."
        )
    return z


def soften(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """``softmax(logits / T)`` along the last axis: the softened class probabilities.

    ``logits`` is a floating-point tensor of any shape ``(..., K)``; the result has its shape.
    """
    func = "soften"
    t = as_positive_number(temperature, "temperature", func)
    if (
        not isinstance(logits, torch.Tensor)
        or not logits.is_floating_point()
    ):
        raise TypeError(
            f"{func}: logits must be a floating-point tensor, got {type(logits).__name__}."
        )
    return torch.softmax(logits / t, dim=-1)


def distillation_loss(
    student_logits: torch.Tensor,
    teacher_logits: torch.Tensor,
    targets: torch.Tensor,
    temperature: float,
    alpha: float,
) -> torch.Tensor:
    """``alpha T^2 KL(p_T(teacher) || p_T(student)) + (1 - alpha) CE(student, targets)``, a scalar.

    ``student_logits`` and ``teacher_logits`` are ``(N, K)``, ``targets`` ``(N,)`` class indices;
    the KL term is the sum over classes averaged over the ``N`` examples (``batchmean``) and the
    teacher's logits are treated as constants (no gradient flows into the teacher).
    """
    func = "distillation_loss"
    z = _logits(student_logits, "student_logits", func)
    v = _logits(teacher_logits, "teacher_logits", func)
    if v.shape != z.shape:
        raise ValueError(
            f"{func}: teacher_logits must have the student's shape {tuple(z.shape)}, got {tuple(v.shape)}."
        )
    if (
        not isinstance(targets, torch.Tensor)
        or targets.shape != z.shape[:1]
    ):
        raise ValueError(
            f"{func}: targets must be a tensor of {z.shape[0]} class indices."
        )
    t = as_positive_number(temperature, "temperature", func)
    a = _alpha(alpha, func)
    log_q = F.log_softmax(z / t, dim=1)
    log_p = F.log_softmax(v.detach() / t, dim=1)
    kl = (log_p.exp() * (log_p - log_q)).sum(dim=1).mean()
    ce = F.cross_entropy(z, targets)
    return a * t * t * kl + (1 - a) * ce


def fit_distilled(
    student: nn.Module,
    teacher: nn.Module,
    train: Dataset,
    test: Dataset | None,
    epochs: int,
    lr: float,
    temperature: float,
    alpha: float,
    batch_size: int = 64,
    seed: int = 0,
    threads: int = 1,
) -> _train.History:
    """Train ``student`` with :func:`distillation_loss` against the fixed ``teacher``.

    Both map a batch ``(N, C, H, W)`` to logits ``(N, K)``. ``train`` and ``test`` yield
    ``(x, y)`` pairs (e.g. :func:`convlab.data.digits`). The student is converted to float64 and
    trained in place with Adam at learning rate ``lr`` for ``epochs`` passes of ``batch_size``
    examples, shuffled by a generator seeded with ``seed``, on ``threads`` intra-op threads; the
    teacher's logits are computed once, in float64 and evaluation mode. Returns a
    :class:`convlab.train.History` (``train_loss`` is the mean distillation loss per example).
    """
    func = "fit_distilled"
    for model, name in ((student, "student"), (teacher, "teacher")):
        if not isinstance(model, nn.Module):
            raise TypeError(
                f"{func}: {name} must be a torch nn.Module, got {type(model).__name__}."
            )
    if next(student.parameters(), None) is None:
        raise ValueError(f"{func}: the student has no parameters to train.")
    epochs = as_int(epochs, "epochs", func, minimum=1)
    lr = as_positive_number(lr, "lr", func)
    t = as_positive_number(temperature, "temperature", func)
    a = _alpha(alpha, func)
    batch_size = as_int(batch_size, "batch_size", func, minimum=1)
    seed = as_int(seed, "seed", func, minimum=0)
    threads = as_int(threads, "threads", func, minimum=1)
    _train._check_dataset(train, "train", func)
    if test is not None:
        _train._check_dataset(test, "test", func)

    with limited_threads(threads):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            x, y = next(iter(DataLoader(train, batch_size=len(train))))
            x = x.double()
            was_training = teacher.training
            teacher.double().eval()
            with torch.no_grad():
                v = _train._logits(teacher, x, func)
            teacher.train(was_training)
            student.double()
            opt = torch.optim.Adam(student.parameters(), lr=lr)
            loader = DataLoader(
                TensorDataset(x, y, v),
                batch_size=batch_size,
                shuffle=True,
                generator=torch.Generator().manual_seed(seed),
            )
            history = _train.History(device="cpu")
            start = time.perf_counter()
            for _ in range(epochs):
                student.train()
                total, correct, n = 0.0, 0, 0
                history.lr.append(lr)
                for xb, yb, vb in loader:
                    z = _train._logits(student, xb, func)
                    loss = distillation_loss(z, vb, yb, t, a)
                    opt.zero_grad()
                    loss.backward()
                    opt.step()
                    total += loss.item() * len(yb)
                    correct += (z.argmax(dim=1) == yb).sum().item()
                    n += len(yb)
                history.train_loss.append(total / n)
                history.train_acc.append(correct / n)
                if test is not None:
                    loss_t, acc_t = _train.evaluate(
                        student, test, threads=threads
                    )
                    history.test_loss.append(loss_t)
                    history.test_acc.append(acc_t)
            history.seconds = time.perf_counter() - start
            return history
