"""LeNet-5: the network of LeCun, Bottou, Bengio and Haffner (1998), and its modern variant.

Both take a batch ``x`` of shape ``(N, in_channels, 32, 32)`` (NCHW) and return ``(N,
num_classes)`` scores, larger for the more likely class (logits for the modern variant,
negated RBF penalties for the 1998 one). Layers are named as in the paper: C = convolution,
S = subsampling, F = fully connected; every convolution is a cross-correlation (PyTorch's).

:func:`lenet5_1998` -- the paper's design ("Gradient-based learning applied to document
recognition", Proc. IEEE 86(11), 1998, section II.B):

======  =====================================================  ===========  =======
layer   what it computes                                       output       params
======  =====================================================  ===========  =======
C1      6 maps, 5x5 kernels, + bias                            6 x 28 x 28      156
S2      per map: sum of 2x2 block x coefficient + bias         6 x 14 x 14       12
C3      16 maps, 5x5, each on a *subset* of S2 (Table 1)       16 x 10 x 10   1,516
S4      as S2                                                  16 x 5 x 5        32
C5      120 maps, 5x5 on all 16 S4 maps (1x1 output)           120 x 1 x 1   48,120
F6      84 units, fully connected                              84            10,164
OUTPUT  10 Euclidean RBF units, fixed +-1 codes                10           (840 fixed)
======  =====================================================  ===========  =======

Every layer up to F6 is followed by the squashing function ``f(a) = 1.7159 tanh(2a/3)``
(:class:`ScaledTanh`). The trainable parameters add up to exactly 60,000; the output
layer's 840 code entries are fixed (a buffer, not a parameter). The paper's codes are
stylised 7x12 bitmaps of the characters, which are not published as numbers; here each
class gets a fixed +-1 code drawn once from a seeded generator (``output="rbf"``).
``output="linear"`` replaces the RBF layer by a trainable ``Linear(84, num_classes)`` (850
parameters). Weights start uniform in ``+-2.4 / F`` with ``F`` the unit's fan-in, as in the paper.

:func:`lenet5` -- the variant most courses and libraries teach today: the same layer sizes
with full C3 (every C3 map sees all 6 S2 maps, 2,416 parameters), ReLU instead of the scaled
tanh, max pooling (no parameters) instead of trainable subsampling, and a linear output layer
trained with cross-entropy. For ``input_size=28`` (MNIST-sized images) C1 pads by 2 so every
later shape and count is unchanged. 61,706 parameters at ``width=1``.
"""

from __future__ import annotations

from collections import OrderedDict

import torch
from torch import nn
from torch.nn import functional as F

from ..validation import as_int
from .arguments import check_width
from ..tensor_checks import shape_or_type

__all__ = [
    "lenet5",
    "lenet5_1998",
    "LeNet5",
    "LeNet5_1998",
    "C3_TABLE",
    "c3_connection_table",
    "ScaledTanh",
    "Subsampling",
    "PartialConv2d",
    "RBFOutput",
    "layer_parameters",
]

# Table 1 of the paper: row = S2 feature map (0-5), column = C3 feature map (0-15);
# "X" means the C3 map takes input from that S2 map.
C3_TABLE = (
    "X...XXX..XXXX.XX",
    "XX...XXX..XXXX.X",
    "XXX...XXX..X.XXX",
    ".XXX..XXXX..X.XX",
    "..XXX..XXXX.XX.X",
    "...XXX..XXXX.XXX",
)


def c3_connection_table() -> torch.Tensor:
    """Boolean tensor ``(16, 6)``: entry ``[j, i]`` is True when C3 map ``j`` is connected to
    S2 map ``i`` (the transpose of the paper's Table 1, in PyTorch's (out, in) order)."""
    return torch.tensor(
        [[row[j] == "X" for row in C3_TABLE] for j in range(16)]
    )


class ScaledTanh(nn.Module):
    """LeNet's squashing function ``f(a) = A tanh(S a)`` with ``A = 1.7159``, ``S = 2/3``
    (chosen so that ``f(1) = 1`` and ``f(-1) = -1``)."""

    A = 1.7159
    S = 2.0 / 3.0

    def forward(self, a: torch.Tensor) -> torch.Tensor:
        return self.A * torch.tanh(self.S * a)


class Subsampling(nn.Module):
    """LeNet's trainable subsampling layer (S2, S4): for each of ``channels`` maps,
    ``out = coefficient * (sum of the 2x2 block) + bias`` over non-overlapping 2x2 blocks.
    Two parameters per map; input ``(N, channels, H, W)`` -> ``(N, channels, H//2, W//2)``."""

    def __init__(self, channels: int):
        super().__init__()
        self.coefficient = nn.Parameter(torch.ones(channels))
        self.bias = nn.Parameter(torch.zeros(channels))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        block_sum = 4 * F.avg_pool2d(x, 2)
        return (
            self.coefficient[:, None, None] * block_sum
            + self.bias[:, None, None]
        )


class PartialConv2d(nn.Module):
    """A convolution in which output map ``j`` only sees the input maps ``i`` with
    ``table[j, i]`` True (LeNet's C3).

    Only the kernels of connected pairs are parameters: ``weight`` has shape
    ``(table.sum(), k, k)``, one kernel per connection in row-major (j, i) order, so
    ``weight.numel() + bias.numel()`` is the layer's true parameter count. The forward pass
    scatters them into a full ``(out, in, k, k)`` kernel whose unconnected entries are zero
    (the table used as a mask) and runs one ordinary convolution.
    """

    def __init__(self, table: torch.Tensor, kernel_size: int):
        super().__init__()
        table = torch.as_tensor(table, dtype=torch.bool)
        if table.ndim != 2 or not bool(table.any(dim=1).all()):
            raise ValueError(
                "PartialConv2d: table must be a (out_channels, in_channels) boolean matrix "
                "in which every output map has at least one input."
            )
        self.register_buffer("table", table)
        self.kernel_size = as_int(
            kernel_size, "kernel_size", "PartialConv2d", minimum=1
        )
        self.weight = nn.Parameter(
            torch.empty(int(table.sum()), kernel_size, kernel_size)
        )
        self.bias = nn.Parameter(torch.zeros(table.shape[0]))
        nn.init.uniform_(self.weight, -0.1, 0.1)

    def full_weight(self) -> torch.Tensor:
        """The ``(out, in, k, k)`` kernel, zero where the table has no connection."""
        out_c, in_c = self.table.shape
        k = self.kernel_size
        full = self.weight.new_zeros(out_c, in_c, k, k)
        full[self.table] = self.weight
        return full

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.full_weight(), self.bias)


class RBFOutput(nn.Module):
    """LeNet's output layer of Euclidean radial basis function units.

    Unit ``i`` computes the penalty ``y_i = sum_j (x_j - w_ij)^2`` between the input ``x``
    ``(N, in_features)`` and a fixed code ``w_i`` (a row of the buffer ``codes``, entries +-1;
    not trained). The layer returns ``-y`` ``(N, num_codes)``: the class whose code is
    nearest gets the largest score, so ``argmax`` and the cross-entropy apply as for logits.
    """

    def __init__(self, in_features: int, num_classes: int, seed: int = 0):
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        codes = (
            torch.randint(
                0, 2, (num_classes, in_features), generator=g
            ).float()
            * 2
            - 1
        )
        self.register_buffer("codes", codes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return -((x[:, None, :] - self.codes[None, :, :]) ** 2).sum(dim=2)


def _check_input(x, in_channels, size, name):
    if (
        not isinstance(x, torch.Tensor)
        or x.ndim != 4
        or x.shape[1] != in_channels
        or tuple(x.shape[2:]) != (size, size)
    ):
        shape = shape_or_type(x)
        raise ValueError(
            f"{name} expects a batch of shape (N, {in_channels}, {size}, {size}), got {shape}."
        )


class LeNet5(nn.Sequential):
    """The modern LeNet-5 (see :func:`lenet5`); an ``nn.Sequential`` with named layers."""

    def __init__(
        self, layers: OrderedDict, in_channels: int, input_size: int
    ):
        super().__init__(layers)
        self.in_channels = in_channels
        self.input_size = input_size

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_input(x, self.in_channels, self.input_size, "lenet5")
        return super().forward(x)


class LeNet5_1998(nn.Sequential):
    """LeNet-5 as published in 1998 (see :func:`lenet5_1998`); layers named C1 ... OUTPUT."""

    def __init__(self, layers: OrderedDict, in_channels: int):
        super().__init__(layers)
        self.in_channels = in_channels

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        _check_input(x, self.in_channels, 32, "lenet5_1998")
        return super().forward(x)


def _check_common(num_classes, in_channels, func):
    num_classes = as_int(num_classes, "num_classes", func, minimum=2)
    in_channels = as_int(in_channels, "in_channels", func, minimum=1)
    return num_classes, in_channels


_ACTIVATIONS = {"relu": nn.ReLU, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh}
_POOLS = {"max": nn.MaxPool2d, "avg": nn.AvgPool2d}


def lenet5(
    num_classes: int = 10,
    in_channels: int = 1,
    width: float = 1.0,
    input_size: int = 32,
    activation: str = "relu",
    pool: str = "max",
) -> LeNet5:
    """The modern LeNet-5 for ``(N, in_channels, input_size, input_size)`` inputs.

    ``C1`` conv 5x5 -> act -> ``S2`` pool 2x2 -> ``C3`` conv 5x5 (full connection) -> act ->
    ``S4`` pool 2x2 -> ``C5`` conv 5x5 (a 1x1 output, i.e. a fully connected layer on the
    16x5x5 maps) -> act -> flatten -> ``F6`` linear -> act -> ``OUTPUT`` linear (logits).

    Channel/unit counts are 6, 16, 120, 84 times ``width``, each rounded to the nearest
    integer and at least 1. ``input_size`` is 32 (as in the paper) or 28 (C1 then pads by 2
    on each side, the usual way to feed 28x28 MNIST images). ``activation`` is ``"relu"``
    (default), ``"sigmoid"`` or ``"tanh"``; ``pool`` is ``"max"`` (default) or ``"avg"``.
    Differences from 1998: full C3 instead of the connection table, ReLU instead of the
    scaled tanh, parameter-free max pooling instead of trainable subsampling, a trainable
    linear output layer instead of fixed RBF codes; PyTorch's default initialisation.
    """
    func = "lenet5"
    num_classes, in_channels = _check_common(num_classes, in_channels, func)
    width = check_width(width, func)
    input_size = as_int(input_size, "input_size", func, minimum=1)
    if input_size not in (28, 32):
        raise ValueError(
            f"{func}: input_size must be 32 (the paper) or 28 (padded by 2 in C1), got {input_size}."
        )
    if activation not in _ACTIVATIONS:
        raise ValueError(
            f"{func}: activation must be one of {tuple(_ACTIVATIONS)}, got {activation!r}."
        )
    if pool not in _POOLS:
        raise ValueError(
            f"{func}: pool must be 'max' or 'avg', got {pool!r}."
        )
    c1, c3, c5, f6 = (max(1, round(c * width)) for c in (6, 16, 120, 84))
    act, pool_cls = _ACTIVATIONS[activation], _POOLS[pool]
    layers = OrderedDict(
        [
            (
                "C1",
                nn.Conv2d(
                    in_channels, c1, 5, padding=2 if input_size == 28 else 0
                ),
            ),
            ("C1_act", act()),
            ("S2", pool_cls(2)),
            ("C3", nn.Conv2d(c1, c3, 5)),
            ("C3_act", act()),
            ("S4", pool_cls(2)),
            ("C5", nn.Conv2d(c3, c5, 5)),
            ("C5_act", act()),
            ("flatten", nn.Flatten()),
            ("F6", nn.Linear(c5, f6)),
            ("F6_act", act()),
            ("OUTPUT", nn.Linear(f6, num_classes)),
        ]
    )
    return LeNet5(layers, in_channels, input_size)


def _init_1998(model: LeNet5_1998) -> None:
    """Uniform initialisation in ``+-2.4 / F_i`` (``F_i`` = fan-in of the unit), as in the paper."""

    def uniform_(t, fan_in):
        with torch.no_grad():
            t.uniform_(-2.4 / fan_in, 2.4 / fan_in)

    for name in ("C1", "C5"):
        conv = getattr(model, name)
        fan_in = (
            conv.in_channels * conv.kernel_size[0] * conv.kernel_size[1]
        )
        uniform_(conv.weight, fan_in)
        uniform_(conv.bias, fan_in)
    for name in ("S2", "S4"):
        uniform_(getattr(model, name).coefficient, 4)
        uniform_(getattr(model, name).bias, 4)
    c3 = model.C3
    maps_in = c3.table.sum(dim=1)  # inputs per C3 map: 3, 4 or 6
    fan_in = maps_in * c3.kernel_size**2
    with torch.no_grad():
        per_connection = fan_in.repeat_interleave(
            maps_in
        ).float()  # fan-in of each kernel's map
        c3.weight.copy_(
            (torch.rand_like(c3.weight) * 2 - 1)
            * (2.4 / per_connection)[:, None, None]
        )
        c3.bias.copy_(
            (torch.rand_like(c3.bias) * 2 - 1) * 2.4 / fan_in.float()
        )
    for name in ("F6",) + (
        ("OUTPUT",) if isinstance(model.OUTPUT, nn.Linear) else ()
    ):
        uniform_(
            getattr(model, name).weight, getattr(model, name).in_features
        )
        uniform_(
            getattr(model, name).bias, getattr(model, name).in_features
        )


def lenet5_1998(
    num_classes: int = 10, in_channels: int = 1, output: str = "rbf"
) -> LeNet5_1998:
    """LeNet-5 exactly as in LeCun et al. (1998) for ``(N, in_channels, 32, 32)`` inputs.

    C1 conv 6@5x5 -> S2 trainable subsampling -> C3 conv 16@5x5 with the partial connection
    table (:data:`C3_TABLE`) -> S4 trainable subsampling -> C5 conv 120@5x5 -> F6 linear 84 ->
    OUTPUT; each layer up to F6 followed by :class:`ScaledTanh`. ``output="rbf"`` (default)
    is the paper's Euclidean RBF layer with fixed +-1 codes (:class:`RBFOutput`, returning
    minus the squared distances); ``output="linear"`` a trainable ``Linear(84, num_classes)``.
    60,000 trainable parameters with the RBF output (the module docstring has the table).
    """
    func = "lenet5_1998"
    num_classes, in_channels = _check_common(num_classes, in_channels, func)
    if output not in ("rbf", "linear"):
        raise ValueError(
            f"{func}: output must be 'rbf' (the paper's fixed codes) or 'linear', got {output!r}."
        )
    head = (
        RBFOutput(84, num_classes)
        if output == "rbf"
        else nn.Linear(84, num_classes)
    )
    layers = OrderedDict(
        [
            ("C1", nn.Conv2d(in_channels, 6, 5)),
            ("C1_act", ScaledTanh()),
            ("S2", Subsampling(6)),
            ("S2_act", ScaledTanh()),
            ("C3", PartialConv2d(c3_connection_table(), 5)),
            ("C3_act", ScaledTanh()),
            ("S4", Subsampling(16)),
            ("S4_act", ScaledTanh()),
            ("C5", nn.Conv2d(16, 120, 5)),
            ("C5_act", ScaledTanh()),
            ("flatten", nn.Flatten()),
            ("F6", nn.Linear(120, 84)),
            ("F6_act", ScaledTanh()),
            ("OUTPUT", head),
        ]
    )
    model = LeNet5_1998(layers, in_channels)
    _init_1998(model)
    return model


def layer_parameters(model: nn.Module, input_shape=None):
    """One row per named layer that holds parameters or buffers: ``(name, trainable, fixed,
    output_shape)`` with ``trainable`` the number of parameters with ``requires_grad``,
    ``fixed`` the number of entries of persistent buffers other than masks (LeNet's RBF codes),
    and ``output_shape`` the layer's output shape for one input of shape ``input_shape``
    ``(C, H, W)`` (``None`` when no shape is given). Layers are the model's direct children.
    """
    if not isinstance(model, nn.Module):
        raise TypeError(
            f"layer_parameters: model must be a torch.nn.Module, got {type(model).__name__}."
        )
    shapes = {}
    if input_shape is not None:
        x = torch.zeros(1, *input_shape)
        with torch.no_grad():
            for name, layer in model.named_children():
                x = layer(x)
                shapes[name] = tuple(x.shape[1:])
    rows = []
    for name, layer in model.named_children():
        trainable = sum(
            p.numel() for p in layer.parameters() if p.requires_grad
        )
        fixed = sum(
            b.numel()
            for bname, b in layer.named_buffers()
            if b.dtype != torch.bool
        )
        if trainable or fixed:
            rows.append((name, trainable, fixed, shapes.get(name)))
    return rows
