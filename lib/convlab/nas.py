"""Differentiable architecture search (DARTS) on a tiny cell.

The search space is one **cell**: a small directed acyclic graph whose node 0
is the cell's input (a feature map ``(N, C, H, W)``) and whose nodes
``1 .. nodes`` each add up one operation applied to every earlier node. An
**edge** ``(j, i)``, ``j < i``, carries one operation chosen from
:data:`OPS`; every operation keeps the shape ``(N, C, H, W)`` (stride 1,
"same" padding):

================  =====================================================
name              operation
================  =====================================================
zero              the edge is absent (outputs zeros)
skip              identity
max_pool_3x3      3x3 max pooling, stride 1, padding 1
conv_3x3          ReLU, then a 3x3 convolution (C -> C, no bias)
dil_conv_3x3      ReLU, then a 3x3 convolution with dilation 2 (a 5x5 view)
conv_5x5          ReLU, then a 5x5 convolution (C -> C, no bias)
================  =====================================================

The convolutions are cross-correlations, as ``nn.Conv2d``. The edges are
listed in the order of :func:`cell_edges`: ``(0, 1), (0, 2), (1, 2), ...``.

**Continuous relaxation** (Liu, Simonyan and Yang, ICLR 2019). Each edge has
one architecture parameter per operation, ``alpha[e, k]``; the edge outputs
the softmax-weighted sum of all its operations,
``o_e(x) = sum_k softmax(alpha[e])_k op_k(x)`` (:class:`MixedOp`), so the
loss is differentiable in ``alpha`` as in the weights ``w``.

**Bilevel updates, first order.** :func:`bilevel_step` takes one gradient
step on ``alpha`` with a batch of the *validation* split (the weights held
fixed), then one on ``w`` with a batch of the *training* split (``alpha``
held fixed). The second-order correction of DARTS (a look-ahead step on
``w``) is left out: this is "first-order DARTS".

**Deriving the architecture.** :func:`derive_genotype` keeps, on every edge,
the operation with the largest ``alpha`` other than ``zero`` (every node of
this small cell keeps all its incoming edges). The result, a tuple of
operation names in edge order, is a *genotype*; ``CellNet(genotype=...)``
builds it as an ordinary network to be retrained from scratch.

**Cost term.** :func:`expected_cost` is ``sum_e softmax(alpha[e]) . c``, the
expected cost of the sampled cell for a per-operation cost vector ``c``
(e.g. :func:`op_macs`, multiply-adds counted by :mod:`convlab.cost`, or
times from :func:`time_ops`); adding ``lambda * expected_cost`` to the
validation loss pushes the search towards cheaper operations.
"""

from __future__ import annotations

import itertools
import time
from functools import partial
from dataclasses import dataclass, field

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import DataLoader, Dataset

from .timing import best_times, limited_threads
from .validation import as_int, as_positive_number

__all__ = [
    "OPS",
    "make_op",
    "Zero",
    "MixedOp",
    "cell_edges",
    "count_architectures",
    "Cell",
    "CellNet",
    "edge_weights",
    "mix",
    "derive_genotype",
    "random_genotype",
    "expected_cost",
    "op_macs",
    "time_ops",
    "bilevel_step",
    "search",
    "SearchHistory",
    "all_genotypes",
]

#: The candidate operations of an edge, in the order of alpha's columns.
OPS = (
    "zero",
    "skip",
    "max_pool_3x3",
    "conv_3x3",
    "dil_conv_3x3",
    "conv_5x5",
)


class Zero(nn.Module):
    """The absent edge: zeros of the input's shape."""

    def forward(self, x):
        return x.mul(0.0)


def _check_ops(ops, func):
    if isinstance(ops, str) or not isinstance(ops, (tuple, list)):
        raise TypeError(
            f"{func}: ops must be a tuple of operation names from "
            f"{OPS}, got {ops!r}."
        )
    ops = tuple(ops)
    unknown = [o for o in ops if o not in OPS]
    if unknown or len(ops) == 0 or len(set(ops)) != len(ops):
        raise ValueError(
            f"{func}: ops must be distinct names from {OPS}, got {ops!r}."
        )
    return ops


def make_op(name: str, channels: int) -> nn.Module:
    """The operation ``name`` (one of :data:`OPS`) on ``channels`` channels.

    Every operation maps ``(N, C, H, W)`` to ``(N, C, H, W)``.
    """
    func = "make_op"
    channels = as_int(channels, "channels", func, minimum=1)
    if name not in OPS:
        raise ValueError(
            f"{func}: unknown operation {name!r}; choose one of {OPS}."
        )
    c = channels
    if name == "zero":
        return Zero()
    if name == "skip":
        return nn.Identity()
    if name == "max_pool_3x3":
        return nn.MaxPool2d(3, stride=1, padding=1)
    if name == "conv_3x3":
        conv = nn.Conv2d(c, c, 3, padding=1, bias=False)
    elif name == "dil_conv_3x3":
        conv = nn.Conv2d(c, c, 3, padding=2, dilation=2, bias=False)
    else:  # conv_5x5
        conv = nn.Conv2d(c, c, 5, padding=2, bias=False)
    return nn.Sequential(nn.ReLU(), conv)


class MixedOp(nn.Module):
    """All candidate operations of one edge, mixed by weights.

    ``forward(x, weights)``: ``x`` ``(N, C, H, W)``, ``weights`` ``(K,)``
    (one per operation of ``ops``, usually ``softmax(alpha[e])``); returns
    ``sum_k weights[k] * op_k(x)``, shape ``(N, C, H, W)``.
    """

    def __init__(self, channels: int, ops=OPS):
        super().__init__()
        self.op_names = _check_ops(ops, "MixedOp")
        self.ops = nn.ModuleList(
            make_op(o, channels) for o in self.op_names
        )

    def forward(self, x, weights):
        if weights.shape != (len(self.ops),):
            raise ValueError(
                f"MixedOp: weights must have shape ({len(self.ops)},), "
                f"one per operation, got {tuple(weights.shape)}."
            )
        return sum(w * op(x) for w, op in zip(weights, self.ops))


def cell_edges(nodes: int) -> list[tuple[int, int]]:
    """The edges ``(j, i)`` of a cell with ``nodes`` computed nodes.

    Node 0 is the input; node ``i`` (``1 .. nodes``) receives one edge from
    every ``j < i``: ``nodes * (nodes + 1) / 2`` edges, e.g.
    ``[(0, 1), (0, 2), (1, 2)]`` for 2 nodes.
    """
    nodes = as_int(nodes, "nodes", "cell_edges", minimum=1)
    return [(j, i) for i in range(1, nodes + 1) for j in range(i)]


def count_architectures(
    nodes: int, num_ops: int = len(OPS), exclude_zero: bool = True
) -> int:
    """How many discrete cells the space holds: one choice per edge.

    With ``exclude_zero`` (as :func:`derive_genotype` derives them) each
    edge has ``num_ops - 1`` choices: ``(num_ops - 1) ** edges``.
    """
    func = "count_architectures"
    num_ops = as_int(num_ops, "num_ops", func, minimum=2)
    choices = num_ops - 1 if exclude_zero else num_ops
    return choices ** len(cell_edges(nodes))


def _check_genotype(genotype, n_edges, ops, func):
    if isinstance(genotype, str) or not isinstance(genotype, (tuple, list)):
        raise TypeError(
            f"{func}: genotype must be a tuple of operation names, one per "
            f"edge, got {genotype!r}."
        )
    genotype = tuple(genotype)
    if len(genotype) != n_edges:
        raise ValueError(
            f"{func}: genotype must name {n_edges} operations (one per "
            f"edge), got {len(genotype)}."
        )
    bad = [g for g in genotype if g not in ops]
    if bad:
        raise ValueError(
            f"{func}: unknown operations {bad} in the genotype; choose "
            f"from {ops}."
        )
    return genotype


class Cell(nn.Module):
    """A cell of ``nodes`` nodes on ``channels`` channels.

    Without ``genotype`` every edge is a :class:`MixedOp` and ``forward(x,
    weights)`` needs ``weights`` ``(edges, K)``; with a ``genotype`` (one
    name per edge, :func:`cell_edges` order) every edge is that one
    operation and ``forward(x)`` takes no weights. Node ``i`` is the sum of
    its incoming edges; the output concatenates nodes ``1 .. nodes`` along
    the channels: ``(N, C, H, W)`` -> ``(N, nodes * C, H, W)``.
    """

    def __init__(
        self, channels: int, nodes: int = 2, ops=OPS, genotype=None
    ):
        super().__init__()
        func = "Cell"
        self.channels = as_int(channels, "channels", func, minimum=1)
        self.nodes = as_int(nodes, "nodes", func, minimum=1)
        self.op_names = _check_ops(ops, func)
        self.edges = cell_edges(self.nodes)
        if genotype is None:
            self.genotype = None
            self.edge_ops = nn.ModuleList(
                MixedOp(self.channels, self.op_names) for _ in self.edges
            )
        else:
            self.genotype = _check_genotype(
                genotype, len(self.edges), self.op_names, func
            )
            self.edge_ops = nn.ModuleList(
                make_op(g, self.channels) for g in self.genotype
            )

    def forward(self, x, weights=None):
        if self.genotype is None and weights is None:
            raise ValueError(
                "Cell: a searchable cell needs weights (edges, ops)."
            )
        states = [x]
        e = 0
        for i in range(1, self.nodes + 1):
            total = 0
            for _ in range(i):
                op = self.edge_ops[e]
                j = self.edges[e][0]
                if self.genotype is None:
                    total = total + op(states[j], weights[e])
                else:
                    total = total + op(states[j])
                e += 1
            states.append(total)
        return torch.cat(states[1:], dim=1)


class CellNet(nn.Module):
    """A classifier around one cell, for ``size x size`` single-channel images.

    stem: 3x3 convolution 1 -> ``channels``, ReLU, 2x2 max pooling (the
    cell works on ``size // 2`` maps); the :class:`Cell`; a linear layer on
    its flattened output. Input ``(N, 1, size, size)``, output logits
    ``(N, num_classes)``.

    Without ``genotype`` it is the search network (the *supernet*): it holds
    the architecture parameters ``alpha`` ``(edges, K)``, initialised to 0
    (every operation weighted ``1/K``), returned by
    :meth:`arch_parameters`; :meth:`weight_parameters` returns the others.
    With ``genotype`` it is the ordinary network that genotype describes.
    """

    def __init__(
        self,
        channels: int = 8,
        nodes: int = 2,
        ops=OPS,
        genotype=None,
        size: int = 8,
        num_classes: int = 10,
    ):
        super().__init__()
        func = "CellNet"
        size = as_int(size, "size", func, minimum=2)
        num_classes = as_int(num_classes, "num_classes", func, minimum=2)
        self.stem = nn.Sequential(
            nn.Conv2d(
                1, as_int(channels, "channels", func, 1), 3, padding=1
            ),
            nn.ReLU(),
            nn.MaxPool2d(2),
        )
        self.cell = Cell(channels, nodes, ops, genotype)
        side = size // 2
        self.classifier = nn.Linear(
            nodes * channels * side * side, num_classes
        )
        if genotype is None:
            self.alpha = nn.Parameter(
                torch.zeros(len(self.cell.edges), len(self.cell.op_names))
            )
        else:
            self.alpha = None

    @property
    def genotype(self):
        return self.cell.genotype

    def arch_parameters(self) -> list[nn.Parameter]:
        """``[alpha]`` for the search network, ``[]`` otherwise."""
        return [] if self.alpha is None else [self.alpha]

    def weight_parameters(self) -> list[nn.Parameter]:
        """Every parameter except ``alpha``: the weights ``w``."""
        return [p for n, p in self.named_parameters() if n != "alpha"]

    def forward(self, x):
        h = self.stem(x)
        if self.alpha is None:
            h = self.cell(h)
        else:
            h = self.cell(h, F.softmax(self.alpha, dim=-1))
        return self.classifier(h.flatten(1))


def _as_alpha(alpha, func, num_ops=None):
    if isinstance(alpha, torch.Tensor):
        a = alpha.detach().cpu().double().numpy()
    else:
        try:
            a = np.asarray(alpha, dtype=float)
        except (TypeError, ValueError):
            raise TypeError(
                f"{func}: alpha must be a table of numbers (edges, ops), "
                f"got {type(alpha).__name__}."
            ) from None
    if a.ndim == 1:
        a = a[None, :]
    if a.ndim != 2 or a.shape[1] == 0:
        raise ValueError(
            f"{func}: alpha must have shape (edges, ops), got {a.shape}."
        )
    if num_ops is not None and a.shape[1] != num_ops:
        raise ValueError(
            f"{func}: alpha has {a.shape[1]} columns but there are "
            f"{num_ops} operations; one column per operation."
        )
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{func}: alpha must be finite numbers.")
    return a


def edge_weights(alpha) -> np.ndarray:
    """``softmax(alpha)`` along the operations: ``(edges, K)``, rows sum to 1.

    ``alpha`` is ``(edges, K)`` or one edge ``(K,)`` (then ``(1, K)``).
    """
    a = _as_alpha(alpha, "edge_weights")
    z = np.exp(a - a.max(axis=1, keepdims=True))
    return z / z.sum(axis=1, keepdims=True)


def mix(alpha, outputs) -> np.ndarray:
    """One edge's mixed output, ``sum_k softmax(alpha)_k outputs[k]``.

    ``alpha`` ``(K,)``; ``outputs`` ``(K, ...)``, the K operations' outputs
    for the same input. Returns an array of shape ``outputs.shape[1:]``.
    """
    func = "mix"
    w = edge_weights(alpha)
    if w.shape[0] != 1:
        raise ValueError(f"{func}: alpha must be one edge's (K,) values.")
    o = np.asarray(outputs, dtype=float)
    if o.ndim == 0 or o.shape[0] != w.shape[1]:
        raise ValueError(
            f"{func}: outputs must have one entry per operation "
            f"({w.shape[1]}) along axis 0, got shape {o.shape}."
        )
    return np.tensordot(w[0], o, axes=1)


def derive_genotype(alpha, ops=OPS, exclude=("zero",)) -> tuple[str, ...]:
    """The discrete cell: on every edge, the operation of largest ``alpha``.

    ``alpha`` ``(edges, K)``, one column per name of ``ops``; operations in
    ``exclude`` (by default ``zero``: an absent edge is never chosen) are
    skipped. Ties go to the first operation in ``ops`` order. Returns a
    tuple of names, one per edge.
    """
    func = "derive_genotype"
    ops = _check_ops(ops, func)
    a = _as_alpha(alpha, func, len(ops))
    keep = [k for k, o in enumerate(ops) if o not in tuple(exclude)]
    if not keep:
        raise ValueError(f"{func}: every operation is excluded.")
    return tuple(ops[keep[int(np.argmax(row[keep]))]] for row in a)


def random_genotype(rng, nodes: int = 2, ops=OPS, exclude=("zero",)):
    """A genotype drawn uniformly from the space (``exclude`` left out).

    ``rng`` is a ``numpy.random.Generator``.
    """
    func = "random_genotype"
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"{func}: rng must be a numpy.random.Generator, e.g. "
            f"np.random.default_rng(0), got {type(rng).__name__}."
        )
    ops = _check_ops(ops, func)
    choices = [o for o in ops if o not in tuple(exclude)]
    n = len(cell_edges(nodes))
    return tuple(
        choices[int(k)] for k in rng.integers(len(choices), size=n)
    )


def expected_cost(alpha, cost):
    """``sum_e softmax(alpha[e]) . cost``: the cell's expected cost.

    ``alpha`` ``(edges, K)``; ``cost`` ``(K,)``, one cost per operation
    (multiply-adds, seconds, ...). A ``torch.Tensor`` ``alpha`` gives a
    differentiable 0-d tensor (for the search objective), anything else a
    float.
    """
    func = "expected_cost"
    if isinstance(alpha, torch.Tensor):
        c = torch.as_tensor(
            np.asarray(cost, dtype=float), dtype=alpha.dtype
        )
        if alpha.ndim != 2 or c.shape != (alpha.shape[1],):
            raise ValueError(
                f"{func}: alpha must be (edges, K) and cost (K,), got "
                f"{tuple(alpha.shape)} and {tuple(c.shape)}."
            )
        return (F.softmax(alpha, dim=-1) * c).sum()
    w = edge_weights(alpha)
    c = np.asarray(cost, dtype=float)
    if c.shape != (w.shape[1],):
        raise ValueError(
            f"{func}: cost must have one entry per operation "
            f"({w.shape[1]}), got shape {c.shape}."
        )
    return float((w @ c).sum())


def op_macs(channels: int, size: int = 8, ops=OPS) -> dict[str, int]:
    """Multiply-adds of each operation on one ``(channels, size, size)`` map.

    Counted by :func:`convlab.cost.count_macs` with convolutions and
    pooling included (a 3x3 max pool counts 9 per output); ``zero`` and
    ``skip`` cost 0.
    """
    from .cost import count_macs

    func = "op_macs"
    channels = as_int(channels, "channels", func, minimum=1)
    size = as_int(size, "size", func, minimum=1)
    ops = _check_ops(ops, func)
    return {
        o: count_macs(
            make_op(o, channels), (channels, size, size), ("conv", "pool")
        )
        for o in ops
    }


def time_ops(
    channels: int,
    size: int = 8,
    batch: int = 64,
    repeats: int = 50,
    ops=OPS,
    dtype=torch.float64,
) -> dict[str, float]:
    """Seconds of one forward pass of each operation, measured here: the
    fastest of ``repeats`` passes after a warm-up (:func:`convlab.timing.best_times`).

    Each operation runs on a batch ``(batch, channels, size, size)`` on one
    thread (restored afterwards). Timings depend on
    the machine and its load: never print them in a compared cell.
    """
    func = "time_ops"
    channels = as_int(channels, "channels", func, minimum=1)
    repeats = as_int(repeats, "repeats", func, minimum=1)
    ops = _check_ops(ops, func)
    x = torch.rand(
        batch,
        channels,
        size,
        size,
        generator=torch.Generator().manual_seed(0),
    ).to(dtype)
    with torch.no_grad():
        modules = {o: make_op(o, channels).to(dtype) for o in ops}
        return best_times(
            {o: partial(m, x) for o, m in modules.items()},
            repeats,
            threads=1,
        )


def bilevel_step(
    net: CellNet,
    train_batch,
    val_batch,
    w_opt: torch.optim.Optimizer,
    alpha_opt: torch.optim.Optimizer,
    cost=None,
    cost_weight: float = 0.0,
) -> tuple[float, float]:
    """One first-order DARTS step; returns ``(train loss, val loss)``.

    1. ``alpha``: gradient of the validation objective
       ``CE(net(x_val), y_val) + cost_weight * expected_cost(alpha, cost)``
       at the current weights; ``alpha_opt`` steps (the weights' gradients
       of this pass are discarded).
    2. ``w``: gradient of ``CE(net(x_train), y_train)`` at the new
       ``alpha``; ``w_opt`` steps (``alpha``'s gradient is discarded).

    The batches are pairs ``(x, y)``, ``x`` ``(N, 1, H, W)`` in the net's
    dtype. ``alpha_opt`` must hold only ``net.alpha``, ``w_opt`` only the
    weights.
    """
    x_val, y_val = val_batch
    net.zero_grad(set_to_none=True)
    val_loss = F.cross_entropy(net(x_val), y_val)
    objective = val_loss
    if cost is not None and cost_weight:
        objective = objective + cost_weight * expected_cost(net.alpha, cost)
    objective.backward()
    alpha_opt.step()

    x_train, y_train = train_batch
    net.zero_grad(set_to_none=True)
    train_loss = F.cross_entropy(net(x_train), y_train)
    train_loss.backward()
    w_opt.step()
    net.zero_grad(set_to_none=True)
    return train_loss.item(), val_loss.item()


@dataclass
class SearchHistory:
    """What :func:`search` records.

    ``weights`` ``(steps + 1, edges, K)``: ``softmax(alpha)`` before the
    first step and after every step; ``train_loss`` and ``val_loss`` per
    step; ``expected_cost`` per step (with the cost vector given, else
    empty); ``genotype`` derived at the end; ``seconds`` wall-clock time.
    """

    ops: tuple[str, ...]
    edges: list[tuple[int, int]]
    weights: np.ndarray = None
    train_loss: list[float] = field(default_factory=list)
    val_loss: list[float] = field(default_factory=list)
    expected_cost: list[float] = field(default_factory=list)
    genotype: tuple[str, ...] = ()
    seconds: float = 0.0


def search(
    net: CellNet,
    train: Dataset,
    val: Dataset,
    epochs: int,
    w_lr: float = 0.01,
    alpha_lr: float = 0.05,
    batch_size: int = 64,
    seed: int = 0,
    cost=None,
    cost_weight: float = 0.0,
    threads: int = 1,
) -> SearchHistory:
    """First-order DARTS: alternate :func:`bilevel_step` over two splits.

    ``net`` is a search :class:`CellNet` (no genotype), trained in place in
    float64 on ``threads`` threads (restored afterwards). Every epoch walks
    the batches of ``train`` (weights, Adam at ``w_lr``) and ``val``
    (``alpha``, Adam at ``alpha_lr``, betas (0.5, 0.999) as DARTS) side by
    side, reshuffled by generators seeded from ``seed``; an epoch has as
    many steps as the shorter split has batches. ``cost`` ``(K,)`` and
    ``cost_weight`` add ``cost_weight * expected_cost(alpha, cost)`` to the
    validation objective.
    """
    func = "search"
    if not isinstance(net, CellNet) or net.alpha is None:
        raise TypeError(
            f"{func}: net must be a search CellNet (built without a "
            f"genotype), got {type(net).__name__}."
        )
    epochs = as_int(epochs, "epochs", func, minimum=1)
    w_lr = as_positive_number(w_lr, "w_lr", func)
    alpha_lr = as_positive_number(alpha_lr, "alpha_lr", func)
    cost_weight = as_positive_number(
        cost_weight, "cost_weight", func, allow_zero=True
    )
    batch_size = as_int(batch_size, "batch_size", func, minimum=1)
    seed = as_int(seed, "seed", func, minimum=0)
    threads = as_int(threads, "threads", func, minimum=1)
    if cost is not None:
        cost = np.asarray(cost, dtype=float)
        if cost.shape != (len(net.cell.op_names),):
            raise ValueError(
                f"{func}: cost must have one entry per operation "
                f"({len(net.cell.op_names)}), got shape {cost.shape}."
            )
    history = SearchHistory(ops=net.cell.op_names, edges=net.cell.edges)
    start = time.perf_counter()
    with limited_threads(threads):
        net.double()
        w_opt = torch.optim.Adam(net.weight_parameters(), lr=w_lr)
        alpha_opt = torch.optim.Adam(
            net.arch_parameters(), lr=alpha_lr, betas=(0.5, 0.999)
        )
        loaders = [
            DataLoader(
                d,
                batch_size=batch_size,
                shuffle=True,
                generator=torch.Generator().manual_seed(seed + i),
            )
            for i, d in enumerate((train, val))
        ]
        snapshots = [edge_weights(net.alpha)]
        net.train()
        for _ in range(epochs):
            for tb, vb in zip(*loaders):
                tb = (tb[0].double(), tb[1])
                vb = (vb[0].double(), vb[1])
                tl, vl = bilevel_step(
                    net, tb, vb, w_opt, alpha_opt, cost, cost_weight
                )
                history.train_loss.append(tl)
                history.val_loss.append(vl)
                snapshots.append(edge_weights(net.alpha))
                if cost is not None:
                    history.expected_cost.append(
                        float((snapshots[-1] @ cost).sum())
                    )
        history.weights = np.stack(snapshots)
        history.genotype = derive_genotype(net.alpha, net.cell.op_names)
    history.seconds = time.perf_counter() - start
    return history


def all_genotypes(nodes: int = 2, ops=OPS, exclude=("zero",)):
    """Every genotype of the space, in lexicographic order of ``ops``."""
    ops = _check_ops(ops, "all_genotypes")
    choices = [o for o in ops if o not in tuple(exclude)]
    return list(itertools.product(choices, repeat=len(cell_edges(nodes))))
