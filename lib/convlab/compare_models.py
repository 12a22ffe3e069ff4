"""Several models side by side: what each costs and, trained alike, what each reaches.

* :func:`model_costs` -- for every model of a dict of *builders*: its parameters
  (:func:`convlab.cost.count_params`), its multiply-accumulates per sample (MACs, counted as
  :func:`convlab.cost.count_macs` counts them), the number of values its convolutions and
  linear layers compute, and how many such layers it calls. With ``device="meta"`` the models
  are built on PyTorch's meta device (shapes only: no memory, no initialisation), so even
  VGG-16's 138 million parameters cost no memory.
* :func:`compare_models` -- trains every model with **the same recipe** (:func:`convlab.train.fit`
  with the same data, epochs, learning rate, batch size, optimizer, schedule and seed) and returns
  a :class:`Comparison`. Its :meth:`~Comparison.table` holds what is deterministic (parameters,
  MACs, accuracies); its :meth:`~Comparison.timing_table` what is not (seconds on this machine).
* :func:`compare_seeds` -- the same, repeated for several seeds (each seed draws other initial
  weights and another order of the training examples), and returns a :class:`SeedComparison`:
  every model's test accuracy per seed, their mean and range, and which differences the seeds
  resolve (:meth:`~SeedComparison.separated`: every seed of one model above every seed of the
  other).

A *builder* is a function without arguments that returns a new ``torch.nn.Module``, for example
``lambda: resnet18(num_classes=10, in_channels=1, width=0.125)``; the dict's keys are the names
shown in the tables, in the dict's order. Every model is built right after
``torch.manual_seed(seed)`` (inside ``torch.random.fork_rng``, so the caller's random state is
left as it was), so its initial weights do not depend on which models were built before it.
Inputs are NCHW; a model maps ``(N, C, H, W)`` to logits ``(N, num_classes)``.

Conventions. A MAC is one product added into a sum (FLOPs are about twice the MACs); bias
additions, batch normalisation, activations, pooling and residual additions are not counted
(the "mult-adds" of the papers). ``outputs`` counts the values written by the convolutions and
linear layers for one sample, so ``macs / outputs`` is the average length of the dot product
behind one output value: ``C_in / groups * k * k`` for a convolution (9 for a 3x3 depthwise
one, ``C_in`` for a 1x1 one). ``layers`` counts the calls of convolutions and linear layers in
one forward pass, so ``macs / layers`` is the average work of one such call.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass
from typing import Callable

import torch
from torch import nn
from torch.utils.data import DataLoader, Dataset

from . import train as _train
from .cost import count_params, layer_report
from .timing import limited_threads
from .validation import as_int, as_positive_number

__all__ = [
    "ModelCost",
    "ModelResult",
    "Comparison",
    "model_costs",
    "compare_models",
    "compare_seeds",
    "SeedComparison",
]

_COMPUTING = ("Conv1d", "Conv2d", "Conv3d", "Linear")


@dataclass(frozen=True)
class ModelCost:
    """Cost of one model for one sample: ``params``, ``macs``, ``outputs`` and ``layers`` (see the
    module docstring); ``macs_per_output`` is the average dot-product length, ``macs_per_layer``
    the average MACs of one convolution or linear layer."""

    name: str
    params: int
    macs: int
    outputs: int
    layers: int

    @property
    def macs_per_output(self) -> float:
        return self.macs / self.outputs if self.outputs else float("nan")

    @property
    def macs_per_layer(self) -> float:
        return self.macs / self.layers if self.layers else float("nan")


@dataclass(frozen=True, eq=False)
class ModelResult(ModelCost):
    """One trained model of a :class:`Comparison`: its :class:`ModelCost` (per sample) and what
    training gave. Compared and hashed by identity.

    ``test_acc`` and ``train_acc`` are fractions in ``[0, 1]``: the test accuracy of the trained
    model in evaluation mode, and the training accuracy of the last epoch as
    :class:`convlab.train.History` records it (averaged while the weights were changing).
    ``seconds`` is the wall-clock training time (it varies from run to run), ``lr`` the learning
    rate the model was trained with, ``predictions`` the class it predicts for each test example (an
    int64 tensor, in the test set's order), ``history`` what :func:`convlab.train.fit` returned
    (training metrics only) and ``model`` the trained model.
    """

    test_acc: float
    train_acc: float
    seconds: float
    epochs: int
    n_train: int
    lr: float
    predictions: torch.Tensor
    history: _train.History
    model: nn.Module

    __eq__ = (
        object.__eq__
    )  # a result holds a model and tensors: no field-wise comparison
    __hash__ = object.__hash__

    @property
    def ns_per_mac(self) -> float:
        """Training time per forward multiply-accumulate, in nanoseconds:
        ``seconds / (epochs * n_train * macs)``. The backward pass and the optimizer's update are
        in the time but not in the count, so this is a cost per unit of counted work, comparable
        between models trained alike, not the speed of one multiplication."""
        return 1e9 * self.seconds / (self.epochs * self.n_train * self.macs)


class Comparison:
    """The results of :func:`compare_models`, in the builders' order.

    ``results`` is the list of :class:`ModelResult`; ``comparison[name]`` gives one of them;
    ``input_shape`` is the shape of one sample, ``n_train`` / ``n_test`` the dataset sizes and
    ``recipe`` the training settings shared by every model (a dict).
    """

    def __init__(self, results, input_shape, n_train, n_test, recipe):
        self.results = list(results)
        self.input_shape = tuple(input_shape)
        self.n_train, self.n_test = n_train, n_test
        self.recipe = dict(recipe)

    def __len__(self):
        return len(self.results)

    def __iter__(self):
        return iter(self.results)

    def __getitem__(self, name):
        for r in self.results:
            if r.name == name:
                return r
        raise KeyError(
            f"Comparison: no model called {name!r}; the models are {[r.name for r in self.results]}."
        )

    def _width(self):
        return max(5, *(len(r.name) for r in self.results))

    def table(self) -> str:
        """Parameters, MACs per sample and accuracies, one row per model (deterministic numbers:
        the training is seeded; accuracies in percent to one decimal), suitable for ``print``; a
        column ``lr`` when the models were trained with different learning rates."""
        w = self._width()
        per_model = isinstance(self.recipe.get("lr"), dict)
        lr_head = f"  {'lr':>7}" if per_model else ""
        rows = [
            f"{'model':<{w}}  {'params':>10}  {'MACs/sample':>12}{lr_head}  {'train acc':>9}  {'test acc':>8}"
        ]
        for r in self.results:
            lr = f"  {r.lr:>7.0e}" if per_model else ""
            rows.append(
                f"{r.name:<{w}}  {r.params:>10,}  {r.macs:>12,}{lr}  {100 * r.train_acc:>8.1f}%  "
                f"{100 * r.test_acc:>7.1f}%"
            )
        return "\n".join(rows)

    def timing_table(self) -> str:
        """Training seconds, seconds per epoch and :attr:`ModelResult.ns_per_mac`, one row per
        model. These are wall-clock measurements: print them only where outputs are not compared."""
        w = self._width()
        rows = [
            f"{'model':<{w}}  {'seconds':>7}  {'s/epoch':>7}  {'ns per MAC':>10}"
        ]
        for r in self.results:
            rows.append(
                f"{r.name:<{w}}  {r.seconds:>7.1f}  {r.seconds / r.epochs:>7.2f}  {r.ns_per_mac:>10.2f}"
            )
        return "\n".join(rows)


def _check_builders(builders, func):
    if not isinstance(builders, dict) or not builders:
        raise TypeError(
            f"{func}: builders must be a non-empty dict of name -> function returning a new model, "
            f"e.g. {{'ResNet-18': lambda: resnet18(num_classes=10, in_channels=1)}}; "
            f"got {type(builders).__name__}."
        )
    for name, build in builders.items():
        if not isinstance(name, str) or not name:
            raise TypeError(
                f"{func}: every key of builders must be a non-empty string (the name shown in the "
                f"tables), got {name!r}."
            )
        if isinstance(build, nn.Module):
            raise TypeError(
                f"{func}: builders[{name!r}] is a model, not a function that builds one; wrap it, "
                f"e.g. lambda: resnet18(...), so that every call gives a fresh model."
            )
        if not callable(build):
            raise TypeError(
                f"{func}: builders[{name!r}] must be a function without arguments that returns a "
                f"model, got {type(build).__name__}."
            )


def _build(name, build, seed, func, device=None):
    try:
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            if device is None:
                model = build()
            else:
                with torch.device(device):
                    model = build()
    except Exception as exc:
        where = "" if device is None else f" on the {device} device"
        raise ValueError(
            f"{func}: building {name!r}{where} failed: {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"{func}: builders[{name!r}]() returned {type(model).__name__}, not a torch.nn.Module."
        )
    return model


def _input_shape(input_shape, func):
    if (
        not isinstance(input_shape, (tuple, list, torch.Size))
        or not input_shape
    ):
        raise TypeError(
            f"{func}: input_shape must be the shape of one sample without the batch axis, "
            f"e.g. (3, 224, 224); got {input_shape!r}."
        )
    return tuple(
        as_int(s, "each entry of input_shape", func, minimum=1)
        for s in input_shape
    )


def _cost(name, model, input_shape):
    rows = layer_report(model, input_shape)
    macs = sum(r.macs for r in rows)
    computing = [r for r in rows if r.type in _COMPUTING]
    outputs = sum(r.activations for r in computing)
    return ModelCost(
        name, count_params(model), int(macs), int(outputs), len(computing)
    )


def model_costs(
    builders: dict[str, Callable[[], nn.Module]],
    input_shape,
    device: str | None = "meta",
    seed: int = 0,
) -> list[ModelCost]:
    """:class:`ModelCost` (parameters, MACs, computed outputs, computing layers) of every model,
    for one sample of shape ``input_shape`` (no batch axis, e.g. ``(3, 224, 224)``), in the
    builders' order; each model is built after ``torch.manual_seed(seed)``.

    ``device="meta"`` (default) builds each model on PyTorch's meta device, which allocates and
    initialises nothing; ``device=None`` builds it normally (needed for a model whose constructor
    computes with its tensors, such as LeNet-5 (1998) and its fixed RBF codes). Raises
    ``ValueError`` naming the model when one cannot be built or does not accept the input shape.
    """
    func = "model_costs"
    _check_builders(builders, func)
    input_shape = _input_shape(input_shape, func)
    if device not in (None, "meta", "cpu"):
        raise ValueError(
            f"{func}: device must be 'meta' (count without allocating), 'cpu' or None, got {device!r}."
        )
    seed = as_int(seed, "seed", func, minimum=0)
    costs = []
    for name, build in builders.items():
        model = _build(name, build, seed, func, device)
        try:
            costs.append(_cost(name, model, input_shape))
        except ValueError as exc:
            raise ValueError(
                f"{func}: {name!r} does not accept one sample of shape {input_shape}: {exc}"
            ) from exc
    return costs


def _check_lr(lr, func, what="lr"):
    return as_positive_number(
        lr, what, func, note="a learning rate such as 3e-3"
    )


def _learning_rates(lr, builders, func):
    """``{name: learning rate}`` from one number or a dict with exactly the builders' names."""
    if not isinstance(lr, dict):
        value = _check_lr(lr, func)
        return {name: value for name in builders}
    if set(lr) != set(builders):
        missing, extra = (
            sorted(set(builders) - set(lr)),
            sorted(set(lr) - set(builders)),
        )
        raise ValueError(
            f"{func}: a dict lr must give one learning rate per model; missing {missing}, "
            f"unknown {extra}."
        )
    return {
        name: _check_lr(lr[name], func, f"lr[{name!r}]")
        for name in builders
    }


def _sample_shape(dataset, name, func):
    _train._check_dataset(dataset, name, func)
    x = dataset[0][0]
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{func}: the samples of {name} must be tensors, got {type(x).__name__}."
        )
    return tuple(x.shape)


def _predict(model, dataset, batch_size=256):
    """``(predicted classes, true classes)`` of ``dataset``, two int64 tensors, with the model in
    evaluation mode, in the dtype of its weights and on one intra-op thread (as fit evaluates)."""
    first = next(model.parameters())
    was_training = model.training
    model.eval()
    predicted, labels = [], []
    try:
        with limited_threads(1), torch.no_grad():
            for x, y in DataLoader(
                dataset, batch_size=batch_size, shuffle=False
            ):
                predicted.append(
                    model(x.to(device=first.device, dtype=first.dtype))
                    .argmax(dim=1)
                    .cpu()
                )
                labels.append(y)
    finally:
        model.train(was_training)
    return torch.cat(predicted), torch.cat(labels)


def compare_models(
    builders: dict[str, Callable[[], nn.Module]],
    train: Dataset,
    test: Dataset,
    epochs: int,
    lr,
    batch_size: int = 64,
    optimizer: str = "adam",
    schedule: str | None = "cosine",
    seed: int = 0,
    progress: bool = True,
) -> Comparison:
    """Train every model of ``builders`` on ``train`` with one recipe; evaluate it on ``test``.

    Each model is built after ``torch.manual_seed(seed)``, its cost counted for one sample of the
    data's shape, and trained by :func:`convlab.train.fit` with ``epochs``, ``lr``, ``batch_size``,
    ``optimizer``, ``schedule`` and ``seed`` (the same for every model: same initial seed, same
    order of the training examples, one CPU thread, fit's default precision). The test set is
    evaluated once, after the last epoch (``fit`` runs without a test set, which saves the time of
    evaluating after every epoch; ``ModelResult.history`` holds training metrics only). ``lr`` is
    one learning rate for all, or a dict giving one per model (the same keys as ``builders``), whose
    values :meth:`Comparison.table` then shows. ``progress=True`` prints one line per model when
    it has been trained (name and accuracies: no timings, so the text is the same on every run).
    Returns a :class:`Comparison`.
    """
    func = "compare_models"
    _check_builders(builders, func)
    shape = _sample_shape(train, "train", func)
    test_shape = _sample_shape(test, "test", func)
    if test_shape != shape:
        raise ValueError(
            f"{func}: the training samples have shape {shape} but the test samples {test_shape}; "
            "give every model the same data, resized once (e.g. convlab.data.digits(size=32))."
        )
    if not isinstance(progress, bool):
        raise TypeError(
            f"{func}: progress must be True or False, got {progress!r}."
        )
    epochs = as_int(epochs, "epochs", func, minimum=1)
    batch_size = as_int(batch_size, "batch_size", func, minimum=1)
    seed = as_int(seed, "seed", func, minimum=0)
    rates = _learning_rates(lr, builders, func)
    recipe = dict(
        epochs=epochs,
        lr=dict(rates)
        if isinstance(lr, dict)
        else rates[next(iter(rates))],
        batch_size=batch_size,
        optimizer=optimizer,
        schedule=schedule,
        seed=seed,
    )
    shared = {k: v for k, v in recipe.items() if k != "lr"}
    results = []
    for name, build in builders.items():
        model = _build(name, build, seed, func)
        try:
            cost = _cost(name, model, shape)
        except ValueError as exc:
            raise ValueError(
                f"{func}: {name!r} does not accept the data's samples of shape {shape}: {exc}"
            ) from exc
        history = _train.fit(
            model, train, None, lr=rates[name], progress=False, **shared
        )
        predicted, labels = _predict(model, test)
        result = ModelResult(
            *astuple(cost),
            (predicted == labels).double().mean().item(),
            history.train_acc[-1],
            history.seconds,
            epochs,
            len(train),
            rates[name],
            predicted,
            history,
            model,
        )
        results.append(result)
        if progress:
            print(
                f"{name}: train accuracy {100 * result.train_acc:.1f}%, test accuracy {100 * result.test_acc:.1f}%",
                flush=True,
            )
    return Comparison(results, shape, len(train), len(test), recipe)


class SeedComparison:
    """The results of :func:`compare_seeds`: one :class:`Comparison` per seed.

    ``runs`` is the list of :class:`Comparison` (in the order of ``seeds``), ``names`` the models'
    names (the builders' order); ``comparison[name]`` gives that model's :class:`ModelResult` of
    every seed (a list). Accuracies are fractions in ``[0, 1]``.
    """

    def __init__(self, runs, seeds):
        self.runs, self.seeds = list(runs), tuple(seeds)
        self.names = [r.name for r in self.runs[0]]

    def __len__(self):
        return len(self.names)

    def __getitem__(self, name):
        if name not in self.names:
            raise KeyError(
                f"SeedComparison: no model called {name!r}; the models are "
                f"{self.names}."
            )
        return [run[name] for run in self.runs]

    def test_accs(self, name) -> list[float]:
        """The test accuracies of model ``name``, one per seed."""
        return [r.test_acc for r in self[name]]

    def mean(self, name) -> float:
        """The mean test accuracy of model ``name`` over the seeds."""
        accs = self.test_accs(name)
        return sum(accs) / len(accs)

    def separated(self, a, b) -> bool:
        """True when every seed of model ``a`` reached a higher test accuracy than every seed
        of model ``b``: the seeds' ranges do not overlap, and ``a`` is above."""
        return min(self.test_accs(a)) > max(self.test_accs(b))

    def verdicts(self) -> list[str]:
        """One line for each pair of models adjacent in the order of their mean test
        accuracy (highest first): ``"A above B in every seed"`` when :meth:`separated`, else
        ``"A and B not separated"`` (their seeds' ranges overlap)."""
        order = sorted(self.names, key=self.mean, reverse=True)
        lines = []
        for a, b in zip(order, order[1:]):
            if self.separated(a, b):
                lines.append(f"{a} above {b} in every seed")
            else:
                lines.append(
                    f"{a} and {b} not separated: their seeds overlap"
                )
        return lines

    def _width(self):
        return max(5, *(len(n) for n in self.names))

    def table(self) -> str:
        """Parameters, MACs per sample and the test accuracy of every seed, with their mean and
        range (max - min), in percent to one decimal, one row per model: deterministic numbers,
        suitable for ``print``."""
        w = self._width()
        seeds = "".join(f"  {'seed ' + str(s):>7}" for s in self.seeds)
        rows = [
            f"{'model':<{w}}  {'params':>7}  {'MACs':>8}{seeds}  "
            f"{'mean':>6}  {'range':>5}"
        ]
        for name in self.names:
            first, accs = self[name][0], self.test_accs(name)
            cells = "".join(f"  {100 * a:>6.1f}%" for a in accs)
            rows.append(
                f"{name:<{w}}  {first.params:>7,}  {first.macs:>8,}{cells}  "
                f"{100 * self.mean(name):>5.1f}%  "
                f"{100 * (max(accs) - min(accs)):>5.1f}"
            )
        return "\n".join(rows)

    def timing_table(self) -> str:
        """Mean training seconds per run, seconds per epoch and
        :attr:`ModelResult.ns_per_mac` (averaged over the seeds), one row per model. Wall-clock
        measurements: print them only where outputs are not compared."""
        w = self._width()
        rows = [
            f"{'model':<{w}}  {'seconds':>7}  {'s/epoch':>7}  {'ns per MAC':>10}"
        ]
        for name in self.names:
            results = self[name]
            sec = sum(r.seconds for r in results) / len(results)
            ns = sum(r.ns_per_mac for r in results) / len(results)
            rows.append(
                f"{name:<{w}}  {sec:>7.1f}  {sec / results[0].epochs:>7.2f}  "
                f"{ns:>10.2f}"
            )
        return "\n".join(rows)


def compare_seeds(
    builders: dict[str, Callable[[], nn.Module]],
    train: Dataset,
    test: Dataset,
    epochs: int,
    lr,
    seeds=(0, 1, 2),
    batch_size: int = 64,
    optimizer: str = "adam",
    schedule: str | None = "cosine",
    progress: bool = True,
) -> SeedComparison:
    """:func:`compare_models` once per seed of ``seeds`` (at least two distinct non-negative
    integers), with everything else the same; returns a :class:`SeedComparison`.

    The seed decides each model's initial weights and the order of the training examples, so
    the spread of a model's accuracies over the seeds shows how much of a difference between
    two models the training itself can produce. ``progress=True`` prints one line per model and
    seed (no timings).
    """
    func = "compare_seeds"
    if isinstance(seeds, (str, bytes)) or not hasattr(seeds, "__iter__"):
        raise TypeError(
            f"{func}: seeds must be a list or tuple of seeds such as (0, 1, 2), got {seeds!r}."
        )
    seeds = tuple(as_int(s, "each seed", func, minimum=0) for s in seeds)
    if len(set(seeds)) < 2 or len(set(seeds)) != len(seeds):
        raise ValueError(
            f"{func}: seeds must be at least two different seeds, each given once, such as "
            f"(0, 1, 2); got {seeds}."
        )
    if not isinstance(progress, bool):
        raise TypeError(
            f"{func}: progress must be True or False, got {progress!r}."
        )
    runs = []
    for seed in seeds:
        run = compare_models(
            builders,
            train,
            test,
            epochs,
            lr,
            batch_size=batch_size,
            optimizer=optimizer,
            schedule=schedule,
            seed=seed,
            progress=False,
        )
        runs.append(run)
        if progress:
            for r in run:
                print(
                    f"seed {seed}, {r.name}: train accuracy {100 * r.train_acc:.1f}%, "
                    f"test accuracy {100 * r.test_acc:.1f}%",
                    flush=True,
                )
    return SeedComparison(runs, seeds)
