"""Checkers for chapter 14, "LeNet".

Exercise ids:

* ``lenet-c3-params``       trainable parameters of C3 with the 1998 connection table (1,516)
* ``lenet-c1-connections``  connections of C1 in the 1998 network (122,304)
* ``lenet-shapes``          output shapes (C, H, W) after C1, S2, C3, S4, C5 for a 1x36x36 input
* ``lenet-total-params``    parameters of ``lenet5(num_classes=26, in_channels=3)``
* ``lenet-build-28``        a modern LeNet for 28x28 inputs *without* padding (a model or a
                            function returning one), checked by output shape and parameter count
"""

from __future__ import annotations

import torch
from torch import nn

from ..models.lenet import c3_connection_table, lenet5
from .compare import compare_array, compare_number, describe
from .builders import builder_problem, call_builder, run_module
from .feedback import Feedback, correct, wrong
from .registry import register

# ------------------------------------------------------------ C3 parameters
_TABLE = c3_connection_table()  # (16, 6)
_C3_KERNELS = int(_TABLE.sum())  # 60 connected (C3 map, S2 map) pairs
C3_PARAMS = _C3_KERNELS * 25 + 16  # 1,516 (LeCun et al. 1998, section II.B)


@register(
    "lenet-c3-params",
    reference=lambda: C3_PARAMS,
    planted=[
        (lambda: 16 * 6 * 25 + 16, "all six"),
        (lambda: _C3_KERNELS * 25, "bias"),
        (lambda: 16 * 6 * 25, "all six"),
        (lambda: _C3_KERNELS * 26, "one bias"),
    ],
)
def check_c3_params(answer):
    """Weights (one 5x5 kernel per connection in Table 1) plus one bias per C3 map."""
    return compare_number(
        answer,
        C3_PARAMS,
        [
            (
                16 * 6 * 25 + 16,
                "that connects every C3 map to all six S2 maps (2,416, the modern full C3). "
                "Count only the connections marked in the table: 6 maps see 3 inputs, 9 see 4, 1 sees 6.",
            ),
            (
                16 * 6 * 25,
                "that connects every C3 map to all six S2 maps and forgets the biases.",
            ),
            (
                _C3_KERNELS * 25,
                "the 60 kernels of 5x5 weights are right; add the bias of each of the 16 C3 maps.",
            ),
            (
                _C3_KERNELS * 26,
                "you gave every connection its own bias; a C3 map has one bias, shared by its "
                "input kernels, so there are 16 biases.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ C1 connections
C1_CONNECTIONS = 6 * 28 * 28 * (25 + 1)  # 122,304, as the paper reports


@register(
    "lenet-c1-connections",
    reference=lambda: C1_CONNECTIONS,
    planted=[
        (lambda: 156, "parameters"),
        (lambda: 6 * 28 * 28 * 25, "bias"),
        (lambda: 6 * 32 * 32 * 26, "28x28"),
    ],
)
def check_c1_connections(answer):
    """Every one of the 6 x 28 x 28 C1 units has 25 input connections and one to its bias."""
    return compare_number(
        answer,
        C1_CONNECTIONS,
        [
            (
                156,
                "156 is the number of parameters; each is shared by all 28x28 positions of its map. "
                "Connections count every use: (25 + 1) per unit.",
            ),
            (
                6 * 28 * 28 * 25,
                "you counted the 25 input connections of each unit; the paper also counts "
                "the connection to the bias (25 + 1 per unit).",
            ),
            (
                6 * 32 * 32 * 26,
                "a 5x5 'valid' convolution of a 32x32 input gives 28x28 maps, not 32x32.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ shapes
def _shapes(n, k=5, pool_stride=2, pad=0):
    """(C, H, W) after C1, S2, C3, S4, C5 for an n x n input, modern layer sizes."""
    out = []
    for channels, kind in (
        (6, "conv"),
        (6, "pool"),
        (16, "conv"),
        (16, "pool"),
        (120, "conv"),
    ):
        n = (
            n + 2 * pad - k + 1
            if kind == "conv"
            else (n - 2) // pool_stride + 1
        )
        out.append([channels, n, n])
    return out


N_SHAPES = 36
SHAPES = _shapes(
    N_SHAPES
)  # [[6,32,32],[6,16,16],[16,12,12],[16,6,6],[120,2,2]]


@register(
    "lenet-shapes",
    reference=lambda: SHAPES,
    planted=[
        (lambda: _shapes(N_SHAPES, pool_stride=1), "stride"),
        (lambda: _shapes(N_SHAPES, pad=2), "padding"),
        (
            lambda: [[c, h - 1, w - 1] for c, h, w in _shapes(N_SHAPES)],
            "n - k + 1",
        ),
        (lambda: [s[1:] for s in SHAPES], "three numbers"),
    ],
)
def check_shapes(answer):
    """[[C, H, W] after C1, S2, C3, S4, C5] for a 1x36x36 input (no padding, 2x2 pools)."""
    return compare_array(
        answer,
        SHAPES,
        [
            (
                _shapes(N_SHAPES, pool_stride=1),
                "your pooling layers move by 1; a 2x2 pool has stride 2 by default "
                "and halves each side.",
            ),
            (
                _shapes(N_SHAPES, pad=2),
                "the convolutions here have no padding ('valid'): a 5x5 kernel "
                "shrinks each side by 4.",
            ),
            (
                [[c, h - 1, w - 1] for c, h, w in SHAPES],
                "a 'valid' 5x5 convolution of an n x n map gives "
                "(n - k + 1) = n - 4 outputs per side; check each step.",
            ),
        ],
        shape_hints={
            (
                5,
                2,
            ): "give three numbers [channels, height, width] for each of the five layers.",
            (
                3,
            ): "give one [channels, height, width] per layer: five of them.",
            (
                15,
            ): "group the numbers: one [channels, height, width] per layer.",
        },
        what="a list of five [C, H, W] triples",
    )


# ------------------------------------------------------------ total parameters
K_TOTAL, C_TOTAL = 26, 3


def _count(model):
    return sum(p.numel() for p in model.parameters())


TOTAL = _count(lenet5(num_classes=K_TOTAL, in_channels=C_TOTAL))  # 63,366
_BIASES = 6 + 16 + 120 + 84 + K_TOTAL


@register(
    "lenet-total-params",
    reference=lambda: TOTAL,
    planted=[
        (lambda: TOTAL - _BIASES, "weights only"),
        (
            lambda: _count(lenet5(num_classes=K_TOTAL)),
            "three input channels",
        ),
        (lambda: _count(lenet5(in_channels=C_TOTAL)), "26"),
        (lambda: _count(lenet5()), "default"),
    ],
)
def check_total_params(answer):
    """All weights and biases of lenet5(num_classes=26, in_channels=3)."""
    return compare_number(
        answer,
        TOTAL,
        [
            (
                TOTAL - _BIASES,
                f"you counted the weights only; add one bias per output channel or unit "
                f"(6 + 16 + 120 + 84 + 26 = {_BIASES}).",
            ),
            (
                _count(lenet5(num_classes=K_TOTAL)),
                "C1's kernels see all three input channels: 6 x 3 x 5 x 5 weights.",
            ),
            (
                _count(lenet5(in_channels=C_TOTAL)),
                "the output layer has 26 units (one per letter), 84 x 26 + 26 parameters.",
            ),
            (
                _count(lenet5()),
                "that is the default network (1 channel, 10 classes); this one has 3 input channels "
                "and 26 classes.",
            ),
        ],
        rtol=0,
        atol=0.5,
    )


# ------------------------------------------------------------ build a variant
def reference_lenet28() -> nn.Module:
    """Modern LeNet for 1x28x28 inputs with no padding: the maps after S4 are 16x4x4."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(16 * 4 * 4, 120),
        nn.ReLU(),
        nn.Linear(120, 84),
        nn.ReLU(),
        nn.Linear(84, 10),
    )


BUILD_PARAMS = _count(reference_lenet28())  # 44,426


def _padded_lenet28():
    return lenet5(input_size=28)


def _no_bias_lenet28():
    model = reference_lenet28()
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            m.bias = None
    return model


def _avg_lenet28():
    layers = [
        nn.AvgPool2d(2) if isinstance(m, nn.MaxPool2d) else m
        for m in reference_lenet28()
    ]
    return nn.Sequential(*layers)


@register(
    "lenet-build-28",
    reference=lambda: reference_lenet28,
    planted=[
        (lambda: _padded_lenet28, "padding"),
        (lambda: _no_bias_lenet28, "bias"),
        (lambda: _avg_lenet28, "max pooling"),
        (
            lambda: lambda: nn.Sequential(nn.Flatten(), nn.Linear(784, 10)),
            "two convolution",
        ),
        (
            lambda: (
                lambda: nn.Sequential(
                    *reference_lenet28()[:7],
                    nn.Linear(256, 100),
                    nn.ReLU(),
                    nn.Linear(100, 84),
                    *reference_lenet28()[10:],
                )
            ),
            "Linear(256, 120)",
        ),
        (lambda: lambda: reference_lenet28()[:-1], "84"),
        (lambda: reference_lenet28(), "function"),
    ],
)
def check_build_28(answer):
    """A function returning the no-padding 28x28 LeNet: right output shape, layers and parameter count."""
    problem = builder_problem(answer, "build_lenet28", what="a fresh model")
    if problem is not None:
        return problem
    model = call_builder(
        answer, "build_lenet28", returns="the model you built"
    )
    if isinstance(model, Feedback):
        return model
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    if len(convs) not in (2, 3):
        return wrong(
            f"LeNet has two convolution layers before the fully connected ones (C1 6@5x5, C3 16@5x5; "
            f"C5 may be a third, or a Linear layer); your model has {len(convs)}."
        )
    if any(c.padding != (0, 0) for c in convs):
        return wrong(
            "this variant uses no padding: C1 turns the 28x28 input into 24x24 maps. "
            "(Padding C1 by 2 is the other way to feed 28x28 images.)"
        )
    if [(c.out_channels, c.kernel_size) for c in convs[:2]] != [
        (6, (5, 5)),
        (16, (5, 5)),
    ]:
        return wrong(
            "the convolutions should be C1 with 6 maps and C3 with 16 maps, both with 5x5 kernels."
        )
    if any(isinstance(m, nn.AvgPool2d) for m in model.modules()):
        return wrong(
            "use max pooling (nn.MaxPool2d(2)) as the modern LeNet does, not average pooling."
        )
    out = run_module(
        model,
        torch.zeros(2, 1, 28, 28),
        "your model",
        hint=lambda exc: (
            " Hint: after C1, S2, C3, S4 a 28x28 input leaves 16 maps of 4x4 = 256 numbers."
        ),
    )
    if isinstance(out, Feedback):
        return out
    if not isinstance(out, torch.Tensor) or tuple(out.shape) != (2, 10):
        shape = (
            tuple(out.shape)
            if isinstance(out, torch.Tensor)
            else describe(out)
        )
        return wrong(
            f"for a batch of 2 images the output should have shape (2, 10), one score per digit; "
            f"yours is {shape}. Is the last layer Linear(84, 10)?"
        )
    n = _count(model)
    if n == BUILD_PARAMS - (6 + 16 + 120 + 84 + 10):
        return wrong(
            "your layers have no bias; keep the default bias=True."
        )
    if n != BUILD_PARAMS:
        return wrong(
            f"your model has {n:,} parameters, the intended one {BUILD_PARAMS:,}: the layers after "
            "flattening should be Linear(256, 120), Linear(120, 84), Linear(84, 10)."
        )
    return correct(
        f"output shape (2, 10) and {n:,} parameters, as intended."
    )
