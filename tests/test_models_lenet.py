"""convlab.models.lenet: LeNet-5 as published (LeCun, Bottou, Bengio, Haffner, "Gradient-based
learning applied to document recognition", Proc. IEEE 86(11):2278-2324, 1998, section II.B)
and the modern variant; every layer's parameter count, the C3 connection table, the layers'
arithmetic, shapes, options and error messages."""

import re

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from convlab.exercises import lenet as lenet_exercises
from convlab.models import lenet5, lenet5_1998
from convlab.models.lenet import (
    C3_TABLE,
    PartialConv2d,
    RBFOutput,
    ScaledTanh,
    Subsampling,
    c3_connection_table,
    layer_parameters,
)
from tolerances import SAME_SUM

# Section II.B of the paper: trainable parameters per layer, and connections.
PAPER_PARAMS = {
    "C1": 156,
    "S2": 12,
    "C3": 1516,
    "S4": 32,
    "C5": 48120,
    "F6": 10164,
}
PAPER_CONNECTIONS = {"C1": 122304, "S2": 5880, "C3": 151600, "S4": 2000}


def _counts(model, shape=(1, 32, 32)):
    return {
        name: (trainable, fixed, out)
        for name, trainable, fixed, out in layer_parameters(model, shape)
    }


def test_lenet5_1998_parameter_counts_match_the_paper():
    rows = _counts(lenet5_1998())
    assert {
        k: v[0] for k, v in rows.items() if k != "OUTPUT"
    } == PAPER_PARAMS
    assert rows["OUTPUT"][:2] == (
        0,
        840,
    )  # 84 x 10 fixed RBF code entries, not trained
    model = lenet5_1998()
    assert (
        sum(p.numel() for p in model.parameters() if p.requires_grad)
        == 60_000
    )
    assert (
        sum(p.numel() for p in lenet5_1998(output="linear").parameters())
        == 60_000 + 850
    )


def test_lenet5_1998_shapes():
    rows = _counts(lenet5_1998())
    assert [
        rows[k][2] for k in ("C1", "S2", "C3", "S4", "C5", "F6", "OUTPUT")
    ] == [
        (6, 28, 28),
        (6, 14, 14),
        (16, 10, 10),
        (16, 5, 5),
        (120, 1, 1),
        (84,),
        (10,),
    ]
    assert lenet5_1998()(torch.zeros(3, 1, 32, 32)).shape == (3, 10)
    assert lenet5_1998(num_classes=26, in_channels=3)(
        torch.zeros(2, 3, 32, 32)
    ).shape == (2, 26)


def test_connections_match_the_paper():
    # Connections = units x (inputs + 1 bias); the paper's total includes the 840 of OUTPUT.
    table = c3_connection_table()
    conn = {
        "C1": 6 * 28 * 28 * (25 + 1),
        "S2": 6 * 14 * 14 * (4 + 1),
        "C3": 10 * 10 * int((table.sum(dim=1) * 25 + 1).sum()),
        "S4": 16 * 5 * 5 * (4 + 1),
    }
    assert conn == PAPER_CONNECTIONS
    assert (
        sum(conn.values())
        + PAPER_PARAMS["C5"]
        + PAPER_PARAMS["F6"]
        + 84 * 10
        == 340_908
    )


def test_c3_table_follows_the_papers_rule():
    table = c3_connection_table()
    assert table.shape == (16, 6) and int(table.sum()) == 60
    inputs = [
        set(torch.nonzero(table[j]).flatten().tolist()) for j in range(16)
    ]
    for j in range(6):  # three contiguous S2 maps (cyclically)
        assert inputs[j] == {(j + d) % 6 for d in range(3)}
    for j in range(6):  # four contiguous
        assert inputs[6 + j] == {(j + d) % 6 for d in range(4)}
    assert inputs[12:15] == [
        {0, 1, 3, 4},
        {1, 2, 4, 5},
        {0, 2, 3, 5},
    ]  # four discontinuous
    assert inputs[15] == set(range(6))
    assert len(C3_TABLE) == 6 and all(len(row) == 16 for row in C3_TABLE)


def test_partial_conv_equals_separate_convolutions():
    torch.manual_seed(0)
    c3 = PartialConv2d(c3_connection_table(), 5)
    x = torch.randn(2, 6, 14, 14, dtype=torch.float64)
    c3 = c3.double()
    y = c3(x)
    k = 0
    for j in range(16):
        maps = torch.nonzero(c3.table[j]).flatten()
        w = c3.weight[k : k + len(maps)][None]  # (1, len(maps), 5, 5)
        k += len(maps)
        expected = F.conv2d(x[:, maps], w, c3.bias[j : j + 1])
        torch.testing.assert_close(y[:, j : j + 1], expected, **SAME_SUM)
    assert k == c3.weight.shape[0] == 60


def test_partial_conv_ignores_unconnected_maps():
    c3 = PartialConv2d(c3_connection_table(), 5)
    x = torch.randn(1, 6, 14, 14, requires_grad=True)
    c3(x)[0, 0].sum().backward()  # C3 map 0 sees S2 maps 0, 1, 2
    per_map = x.grad[0].abs().sum(dim=(1, 2))
    assert bool((per_map[:3] > 0).all()) and bool((per_map[3:] == 0).all())


def test_subsampling_arithmetic():
    s2 = Subsampling(3).double()
    with torch.no_grad():
        s2.coefficient.copy_(torch.tensor([0.5, -1.0, 2.0]))
        s2.bias.copy_(torch.tensor([0.1, 0.2, 0.3]))
    x = torch.randn(2, 3, 6, 6, dtype=torch.float64)
    block_sums = x.reshape(2, 3, 3, 2, 3, 2).sum(dim=(3, 5))
    expected = (
        s2.coefficient[:, None, None] * block_sums + s2.bias[:, None, None]
    )
    torch.testing.assert_close(s2(x), expected, **SAME_SUM)


def test_scaled_tanh():
    f = ScaledTanh()
    values = f(torch.tensor([-1.0, 0.0, 1.0], dtype=torch.float64))
    assert (
        abs(values[0] + 1) < 1e-4
        and values[1] == 0
        and abs(values[2] - 1) < 1e-4
    )
    assert abs(f(torch.tensor(100.0)) - 1.7159) < 1e-6


def test_rbf_output():
    rbf = RBFOutput(84, 10)
    assert list(rbf.parameters()) == [] and rbf.codes.shape == (10, 84)
    assert set(rbf.codes.unique().tolist()) == {-1.0, 1.0}
    assert len({tuple(c.tolist()) for c in rbf.codes}) == 10
    assert torch.equal(
        RBFOutput(84, 10).codes, rbf.codes
    )  # fixed, not drawn from the global generator
    x = torch.randn(4, 84)
    expected = -(torch.cdist(x, rbf.codes) ** 2)
    torch.testing.assert_close(rbf(x), expected, rtol=1e-4, atol=1e-3)
    assert rbf(rbf.codes).argmax(dim=1).tolist() == list(range(10))
    assert torch.equal(rbf(rbf.codes).diagonal(), torch.zeros(10))


def test_lenet5_1998_initialisation_uses_fan_in():
    torch.manual_seed(0)
    m = lenet5_1998().requires_grad_(False)
    assert float(m.C1.weight.abs().max()) <= 2.4 / 25
    assert float(m.C5.weight.abs().max()) <= 2.4 / 400
    assert float(m.F6.weight.abs().max()) <= 2.4 / 120
    fan_in = (c3_connection_table().sum(dim=1) * 25).float()
    per_kernel = fan_in.repeat_interleave(c3_connection_table().sum(dim=1))
    assert bool(
        (
            m.C3.weight.abs().amax(dim=(1, 2))
            <= 2.4 / per_kernel[:, None].squeeze(1)
        ).all()
    )
    assert (
        float(m.C3.weight.abs().max()) > 2.4 / 150 * 0.5
    )  # not degenerate


def test_lenet5_1998_trains_every_layer():
    torch.manual_seed(0)
    m = lenet5_1998()
    loss = F.cross_entropy(
        m(torch.randn(4, 1, 32, 32)), torch.tensor([0, 1, 2, 3])
    )
    loss.backward()
    for name, p in m.named_parameters():
        assert p.grad is not None and float(p.grad.abs().sum()) > 0, name


def test_modern_lenet5_counts_and_shapes():
    rows = _counts(lenet5())
    assert {k: v[0] for k, v in rows.items()} == {
        "C1": 156,
        "C3": 2416,
        "C5": 48120,
        "F6": 10164,
        "OUTPUT": 850,
    }
    assert sum(p.numel() for p in lenet5().parameters()) == 61_706
    assert [rows[k][2] for k in ("C1", "C3", "C5", "F6", "OUTPUT")] == [
        (6, 28, 28),
        (16, 10, 10),
        (120, 1, 1),
        (84,),
        (10,),
    ]
    # 28x28 inputs: C1 pads by 2, every later shape and count unchanged.
    rows28 = _counts(lenet5(input_size=28), (1, 28, 28))
    assert rows28 == rows
    assert lenet5(input_size=28)(torch.zeros(5, 1, 28, 28)).shape == (5, 10)


def test_seed_formula_misses_the_biases():
    # The lecture notes count 6*25*1 + 16*25*6 + 120*25*16 + 84*120 + 10*84 = 61,470: full C3, no biases.
    seed_count = (
        6 * 5**2 * 1 + 16 * 5**2 * 6 + 120 * 5**2 * 16 + 84 * 120 + 10 * 84
    )
    assert seed_count == 61_470
    model = lenet5()
    weights = sum(
        m.weight.numel()
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    )
    biases = sum(
        m.bias.numel()
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    )
    assert (
        weights == seed_count
        and biases == 236
        and weights + biases == 61_706
    )


@pytest.mark.parametrize(
    "width, expected",
    [
        (0.5, (3, 8, 60, 42)),
        (2.0, (12, 32, 240, 168)),
        (0.01, (1, 1, 1, 1)),
    ],
)
def test_modern_lenet5_width(width, expected):
    m = lenet5(width=width)
    got = (
        m.C1.out_channels,
        m.C3.out_channels,
        m.C5.out_channels,
        m.F6.out_features,
    )
    assert got == expected
    assert m(torch.zeros(2, 1, 32, 32)).shape == (2, 10)


def test_modern_lenet5_options():
    m = lenet5(
        num_classes=26, in_channels=3, activation="sigmoid", pool="avg"
    )
    assert m(torch.zeros(2, 3, 32, 32)).shape == (2, 26)
    assert isinstance(m.C1_act, nn.Sigmoid) and isinstance(
        m.S2, nn.AvgPool2d
    )
    assert isinstance(lenet5(activation="tanh").C3_act, nn.Tanh)
    assert isinstance(lenet5().S4, nn.MaxPool2d) and isinstance(
        lenet5().F6_act, nn.ReLU
    )


def test_exercise_shapes_agree_with_torch():
    x = torch.zeros(1, 1, 36, 36)
    m = lenet5()
    shapes = []
    with torch.no_grad():
        for name in ("C1", "S2", "C3", "S4", "C5"):
            x = getattr(m, name)(x)
            shapes.append(list(x.shape[1:]))
    assert shapes == lenet_exercises.SHAPES


@pytest.mark.parametrize(
    "factory, kwargs, exc, pattern",
    [
        (
            lenet5,
            dict(num_classes=1),
            ValueError,
            "num_classes must be at least 2",
        ),
        (
            lenet5,
            dict(in_channels=0),
            ValueError,
            "in_channels must be at least 1",
        ),
        (
            lenet5,
            dict(width=0),
            ValueError,
            "width must be positive",
        ),
        (lenet5, dict(width="half"), TypeError, "width must be a number"),
        (lenet5, dict(input_size=30), ValueError, "input_size must be 32"),
        (
            lenet5,
            dict(activation="gelu"),
            ValueError,
            "activation must be one of",
        ),
        (
            lenet5,
            dict(pool="min"),
            ValueError,
            "pool must be 'max' or 'avg'",
        ),
        (
            lenet5_1998,
            dict(num_classes=10.0),
            TypeError,
            "num_classes must be an int",
        ),
        (
            lenet5_1998,
            dict(output="softmax"),
            ValueError,
            "output must be 'rbf'",
        ),
    ],
)
def test_constructor_errors(factory, kwargs, exc, pattern):
    with pytest.raises(exc, match=pattern):
        factory(**kwargs)


@pytest.mark.parametrize(
    "model, x, pattern",
    [
        (lenet5(), torch.zeros(2, 1, 28, 28), "(N, 1, 32, 32)"),
        (
            lenet5(input_size=28),
            torch.zeros(2, 1, 32, 32),
            "(N, 1, 28, 28)",
        ),
        (lenet5(), torch.zeros(1, 32, 32), "got (1, 32, 32)"),
        (lenet5_1998(), torch.zeros(2, 3, 32, 32), "(N, 1, 32, 32)"),
    ],
)
def test_forward_rejects_wrong_input(model, x, pattern):
    with pytest.raises(ValueError, match=re.escape(pattern)):
        model(x)


def test_partial_conv_and_layer_parameters_errors():
    with pytest.raises(
        ValueError, match="every output map has at least one input"
    ):
        PartialConv2d(torch.zeros(3, 2, dtype=torch.bool), 3)
    with pytest.raises(TypeError, match="model must be a torch.nn.Module"):
        layer_parameters("lenet")
