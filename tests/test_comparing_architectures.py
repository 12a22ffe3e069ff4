"""convlab.compare_models: the costs agree with convlab.cost, the meta device counts the same as
the CPU, compare_models trains every model exactly as fit would (so it is deterministic), its
tables show the numbers; bad arguments get clear errors. Also: the chapter 20 exercise constants
agree with the library's counts."""

import math

import pytest
import torch
from torch import nn
from torch.utils.data import TensorDataset

from convlab import data, train
from convlab.compare_models import (
    Comparison,
    ModelCost,
    ModelResult,
    SeedComparison,
    compare_models,
    compare_seeds,
    model_costs,
)
from convlab.cost import count_macs, count_params


def _net(c=4):
    return nn.Sequential(
        nn.Conv2d(1, c, 3, padding=1),
        nn.BatchNorm2d(c),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(c, c, 3, padding=1, groups=c, bias=False),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(c * 16, 10),
    )


@pytest.fixture(scope="module")
def digits():
    tr, te = data.digits(8)
    small = lambda ds, n: TensorDataset(
        ds.tensors[0][:n], ds.tensors[1][:n]
    )
    return small(tr, 300), small(te, 100)


def test_costs_agree_with_count_params_and_count_macs():
    costs = model_costs(
        {"a": lambda: _net(4), "b": lambda: _net(6)}, (1, 8, 8), device=None
    )
    assert [c.name for c in costs] == ["a", "b"]
    for c, width in zip(costs, (4, 6)):
        model = _net(width)
        assert c.params == count_params(model) and c.macs == count_macs(
            model, (1, 8, 8)
        )
        # outputs: conv 1 (w x 8 x 8), depthwise conv (w x 4 x 4), linear (10)
        assert c.outputs == width * 64 + width * 16 + 10 and c.layers == 3
        assert c.macs_per_layer == c.macs / 3


def test_meta_device_counts_the_same_as_the_cpu():
    from convlab.models import mobilenet_v1, resnet18

    builders = {
        "ResNet-18": resnet18,
        "MobileNet": lambda: mobilenet_v1(width=0.5),
    }
    assert model_costs(builders, (3, 64, 64)) == model_costs(
        builders, (3, 64, 64), device=None
    )


def test_macs_per_output_is_the_dot_product_length():
    conv = model_costs(
        {"3x3": lambda: nn.Conv2d(16, 32, 3, padding=1)}, (16, 10, 10)
    )[0]
    depthwise = model_costs(
        {"dw": lambda: nn.Conv2d(16, 16, 3, padding=1, groups=16)},
        (16, 10, 10),
    )[0]
    pointwise = model_costs(
        {"1x1": lambda: nn.Conv2d(16, 8, 1)}, (16, 10, 10)
    )[0]
    assert (
        conv.macs_per_output,
        depthwise.macs_per_output,
        pointwise.macs_per_output,
    ) == (144, 9, 16)
    assert math.isnan(ModelCost("none", 0, 0, 0, 0).macs_per_output)
    assert math.isnan(ModelCost("none", 0, 0, 0, 0).macs_per_layer)


def test_compare_models_trains_as_fit_does(digits, capsys):
    tr, te = digits
    builders = {"four": lambda: _net(4), "six": lambda: _net(6)}
    comp = compare_models(
        builders, tr, te, epochs=2, lr=3e-3, batch_size=32, seed=1
    )
    out = capsys.readouterr().out
    assert (
        isinstance(comp, Comparison)
        and len(comp) == 2
        and comp.input_shape == (1, 8, 8)
    )
    assert (
        comp.n_train == 300
        and comp.n_test == 100
        and comp.recipe["lr"] == 3e-3
    )
    torch.manual_seed(1)
    model = _net(6)
    history = train.fit(
        model,
        tr,
        te,
        epochs=2,
        lr=3e-3,
        batch_size=32,
        seed=1,
        schedule="cosine",
        progress=False,
    )
    six = comp["six"]
    assert (
        six.test_acc == history.test_acc[-1]
        and six.train_acc == history.train_acc[-1]
    )
    assert six.history.test_acc == [] and six.history.epochs == 2
    assert six.history.train_loss == history.train_loss
    _, acc = train.evaluate(six.model, te)
    assert acc == six.test_acc
    assert (
        six.predictions.dtype == torch.int64
        and six.predictions.shape == (100,)
    )
    assert (
        six.predictions == te.tensors[1]
    ).double().mean().item() == six.test_acc
    assert out.splitlines() == [
        f"{r.name}: train accuracy {100 * r.train_acc:.1f}%, test accuracy "
        f"{100 * r.test_acc:.1f}%"
        for r in comp
    ]
    again = compare_models(
        builders,
        tr,
        te,
        epochs=2,
        lr=3e-3,
        batch_size=32,
        seed=1,
        progress=False,
    )
    assert comp.table() == again.table()
    assert capsys.readouterr().out == ""


def test_building_leaves_the_callers_random_state_alone():
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    model_costs({"net": _net}, (1, 8, 8), device=None)
    assert torch.equal(torch.rand(3), expected)


def test_tables_and_time_per_mac(digits):
    tr, te = digits
    comp = compare_models(
        {"net": lambda: _net(4)}, tr, te, epochs=1, lr=1e-3, progress=False
    )
    r = comp["net"]
    assert r.params == count_params(_net(4)) and r.macs == count_macs(
        _net(4), (1, 8, 8)
    )
    table = comp.table().splitlines()
    assert table[0].split() == [
        "model",
        "params",
        "MACs/sample",
        "train",
        "acc",
        "test",
        "acc",
    ]
    assert table[1].split()[:3] == ["net", f"{r.params:,}", f"{r.macs:,}"]
    assert table[1].endswith(f"{100 * r.test_acc:.1f}%")
    assert math.isclose(r.ns_per_mac, 1e9 * r.seconds / (1 * 300 * r.macs))
    cost = model_costs({"net": lambda: _net(4)}, (1, 8, 8))[0]
    assert (r.outputs, r.layers) == (cost.outputs, cost.layers)
    assert (r.macs_per_output, r.macs_per_layer) == (
        cost.macs_per_output,
        cost.macs_per_layer,
    )
    assert comp.timing_table().splitlines()[1].split()[0] == "net"
    assert [x.name for x in comp] == ["net"]
    with pytest.raises(KeyError, match="no model called 'other'"):
        comp["other"]


# ------------------------------------------------------------------ bad arguments
@pytest.mark.parametrize(
    "builders,error,match",
    [
        ([lambda: _net()], TypeError, "non-empty dict"),
        ({}, TypeError, "non-empty dict"),
        ({3: lambda: _net()}, TypeError, "non-empty string"),
        ({"net": _net()}, TypeError, "is a model, not a function"),
        ({"net": 5}, TypeError, "function without arguments"),
        (
            {"net": lambda: 5},
            TypeError,
            "returned int, not a torch.nn.Module",
        ),
        (
            {"net": lambda: 1 / 0},
            ValueError,
            "building 'net' on the meta device failed: ZeroDivisionError",
        ),
    ],
)
def test_bad_builders(builders, error, match):
    with pytest.raises(error, match=match):
        model_costs(builders, (1, 8, 8))


def test_model_costs_bad_shape_and_device():
    with pytest.raises(TypeError, match="shape of one sample"):
        model_costs({"net": _net}, 8)
    with pytest.raises(
        ValueError, match="each entry of input_shape must be at least 1"
    ):
        model_costs({"net": _net}, (1, 0, 8))
    with pytest.raises(
        ValueError,
        match="'net' does not accept one sample of shape \\(1, 16, 16\\)",
    ):
        model_costs({"net": _net}, (1, 16, 16))
    with pytest.raises(ValueError, match="device must be 'meta'"):
        model_costs({"net": _net}, (1, 8, 8), device="gpu")


def test_compare_models_bad_arguments(digits):
    tr, te = digits
    with pytest.raises(
        ValueError,
        match="training samples have shape \\(1, 8, 8\\) but the test samples",
    ):
        compare_models(
            {"net": _net}, tr, data.digits(16)[1], epochs=1, lr=1e-3
        )
    with pytest.raises(TypeError, match="train must be a torch Dataset"):
        compare_models({"net": _net}, [1, 2], te, epochs=1, lr=1e-3)
    with pytest.raises(ValueError, match="test is empty"):
        compare_models(
            {"net": _net},
            tr,
            TensorDataset(torch.zeros(0, 1, 8, 8), torch.zeros(0)),
            epochs=1,
            lr=1e-3,
        )
    with pytest.raises(
        ValueError, match=r"lr must be positive \(a learning rate"
    ):
        compare_models({"net": _net}, tr, te, epochs=1, lr=0)
    with pytest.raises(ValueError, match="epochs must be at least 1"):
        compare_models({"net": _net}, tr, te, epochs=0, lr=1e-3)
    with pytest.raises(ValueError, match="batch_size must be at least 1"):
        compare_models(
            {"net": _net}, tr, te, epochs=1, lr=1e-3, batch_size=0
        )
    with pytest.raises(TypeError, match="seed must be an int"):
        compare_models({"net": _net}, tr, te, epochs=1, lr=1e-3, seed=0.5)
    with pytest.raises(ValueError, match="optimizer must be one of"):
        compare_models(
            {"net": _net}, tr, te, epochs=1, lr=1e-3, optimizer="rmsprop"
        )
    with pytest.raises(TypeError, match="progress must be True or False"):
        compare_models(
            {"net": _net}, tr, te, epochs=1, lr=1e-3, progress="yes"
        )
    with pytest.raises(
        ValueError,
        match="'net' does not accept the data's samples of shape \\(1, 16, 16\\)",
    ):
        compare_models({"net": _net}, *data.digits(16), epochs=1, lr=1e-3)


def test_one_learning_rate_per_model(digits):
    tr, te = digits
    builders = {"fast": lambda: _net(4), "slow": lambda: _net(4)}
    comp = compare_models(
        builders,
        tr,
        te,
        epochs=1,
        lr={"fast": 1e-2, "slow": 1e-3},
        progress=False,
    )
    assert (comp["fast"].lr, comp["slow"].lr) == (
        1e-2,
        1e-3,
    ) and comp.recipe["lr"] == {"fast": 1e-2, "slow": 1e-3}
    torch.manual_seed(0)
    model = _net(4)
    history = train.fit(
        model, tr, te, epochs=1, lr=1e-3, schedule="cosine", progress=False
    )
    assert comp["slow"].history.train_loss == history.train_loss
    table = comp.table().splitlines()
    assert (
        table[0].split()[3] == "lr"
        and table[1].split()[3] == "1e-02"
        and table[2].split()[3] == "1e-03"
    )
    assert (
        "lr"
        not in compare_models(
            {"one": lambda: _net(4)},
            tr,
            te,
            epochs=1,
            lr=1e-3,
            progress=False,
        ).table()
    )


def test_bad_learning_rate_dicts(digits):
    tr, te = digits
    builders = {"a": lambda: _net(4), "b": lambda: _net(4)}
    with pytest.raises(
        ValueError,
        match=r"one learning rate per model; missing \['b'\], unknown \['c'\]",
    ):
        compare_models(
            builders, tr, te, epochs=1, lr={"a": 1e-3, "c": 1e-3}
        )
    with pytest.raises(
        ValueError, match=r"lr\['b'\] must be positive \(a learning rate"
    ):
        compare_models(
            builders, tr, te, epochs=1, lr={"a": 1e-3, "b": -1.0}
        )


# ------------------------------------------------------------ several seeds
def test_compare_seeds_repeats_compare_models(digits, capsys):
    tr, te = digits
    builders = {"four": lambda: _net(4), "six": lambda: _net(6)}
    comp = compare_seeds(
        builders, tr, te, epochs=1, lr=3e-3, seeds=(0, 2), batch_size=32
    )
    out = capsys.readouterr().out.splitlines()
    assert isinstance(comp, SeedComparison) and comp.seeds == (0, 2)
    assert comp.names == ["four", "six"] and len(comp) == 2
    for seed, run in zip((0, 2), comp.runs):
        alone = compare_models(
            builders,
            tr,
            te,
            epochs=1,
            lr=3e-3,
            batch_size=32,
            seed=seed,
            progress=False,
        )
        assert run.table() == alone.table() and run.recipe["seed"] == seed
    accs = comp.test_accs("six")
    assert accs == [run["six"].test_acc for run in comp.runs]
    assert comp.mean("six") == sum(accs) / 2
    assert comp["six"] == [run["six"] for run in comp.runs]
    assert out == [
        f"seed {s}, {r.name}: train accuracy {100 * r.train_acc:.1f}%, "
        f"test accuracy {100 * r.test_acc:.1f}%"
        for s, run in zip((0, 2), comp.runs)
        for r in run
    ]
    table = comp.table().splitlines()
    assert table[0].split() == [
        "model", "params", "MACs", "seed", "0", "seed", "2", "mean",
        "range",
    ]  # fmt: skip
    six = table[2].split()
    assert six[0] == "six" and six[3:5] == [f"{100 * a:.1f}%" for a in accs]
    assert six[5:] == [
        f"{100 * sum(accs) / 2:.1f}%",
        f"{100 * (max(accs) - min(accs)):.1f}",
    ]
    timing = comp.timing_table().splitlines()
    assert len(timing) == 3 and timing[0].split()[:2] == [
        "model",
        "seconds",
    ]
    with pytest.raises(KeyError, match="no model called 'eight'"):
        comp["eight"]


def _result(name, acc):
    return ModelResult(
        name, 10, 100, 10, 1, acc, acc, 1.0, 1, 10, 1e-3, None, None, None
    )


def _seeds(**accs):
    """A SeedComparison of made-up test accuracies, one list per model."""
    n = len(next(iter(accs.values())))
    runs = [
        Comparison(
            [_result(name, a[i]) for name, a in accs.items()],
            (1, 8, 8),
            10,
            10,
            {},
        )
        for i in range(n)
    ]
    return SeedComparison(runs, range(n))


def test_separated_needs_every_seed_above_every_seed():
    comp = _seeds(
        a=[0.9, 0.8, 0.85], b=[0.7, 0.79, 0.6], c=[0.78, 0.5, 0.5]
    )
    assert comp.separated("a", "b") and comp.separated("a", "c")
    assert not comp.separated("b", "a")
    # b's mean (0.697) is above c's (0.593), but c's best seed beats two of
    # b's seeds: not separated
    assert comp.mean("b") > comp.mean("c") and not comp.separated("b", "c")
    assert comp.verdicts() == [
        "a above b in every seed",
        "b and c not separated: their seeds overlap",
    ]
    ties = _seeds(x=[0.8, 0.9], y=[0.9, 0.7])
    assert not ties.separated("x", "y") and not ties.separated("y", "x")


@pytest.mark.parametrize(
    "seeds, error, match",
    [
        ((0,), ValueError, "at least two different seeds"),
        ((1, 1), ValueError, "at least two different seeds"),
        ((0, 1, 0), ValueError, "each given once"),
        ((0, -1), ValueError, "seed"),
        ("01", TypeError, "seeds must be a list or tuple"),
        (3, TypeError, "seeds must be a list or tuple"),
    ],
)
def test_compare_seeds_bad_seeds(digits, seeds, error, match):
    tr, te = digits
    with pytest.raises(error, match=match):
        compare_seeds(
            {"a": lambda: _net(4)}, tr, te, epochs=1, lr=1e-3, seeds=seeds
        )


# ------------------------------------------------------------ chapter 20's exercise answers
def test_exercise_answers_agree_with_the_library():
    from convlab.exercises import comparing_architectures as ex
    from convlab.models import vgg16

    with torch.device("meta"):
        vgg = vgg16()
    first_conv, first_fc = vgg.features[0][0], vgg.classifier[0]
    assert (
        ex.CONV_MACS == count_macs(first_conv, (3, 224, 224)) == 86_704_128
    )
    assert ex.FC_PARAMS == count_params(first_fc) == 102_764_544
    for c_in, c_out, k, size, stride, padding, groups in ex.LAYER_CASES:
        conv = nn.Conv2d(
            c_in, c_out, k, stride=stride, padding=padding, groups=groups
        )
        assert ex._conv_cost(
            c_in, c_out, k, size, stride, padding, groups
        ) == [count_params(conv), count_macs(conv, (c_in, size, size))]
    depthwise, pointwise = model_costs(
        {
            "dw": lambda: nn.Conv2d(64, 64, 3, padding=1, groups=64),
            "pw": lambda: nn.Conv2d(64, 32, 1),
        },
        (64, 8, 8),
    )
    assert ex.DOT == [depthwise.macs_per_output, pointwise.macs_per_output]
    assert math.isclose(ex.TWO_SE, 2.0546, rel_tol=1e-4)
