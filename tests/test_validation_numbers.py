"""convlab.validation's checks of positive numbers and of tuples of ints,
and the library functions that share them: the same bad value gets the
same kind of error (TypeError for the wrong type, ValueError for a wrong
value) and the same words from every function that takes such an
argument."""

import math

import pytest
import torch

from convlab import data, distillation, precision, validation
from convlab.models import alexnet, densenet121, lenet5, mobilenet_v1
from convlab.models import densenet as densenet_module
from convlab.models.aspp import ASPP
from convlab.models.attention_cnn import AttentionCNN
from convlab.models.hybrid import ConvNet, MultiHeadSelfAttention
from convlab.models.mobilenet import round_channels
from convlab.models.resnet import BasicBlock, ResNet
from convlab.models.vgg import VGG
from convlab.validation import as_int_tuple, as_positive_number


@pytest.mark.parametrize(
    "value, kwargs, exc, message",
    [
        ("3", {}, TypeError, "f: lr must be a number, got str '3'."),
        (True, {}, TypeError, "f: lr must be a number, got bool True."),
        (None, {}, TypeError, "f: lr must be a number, got NoneType None."),
        (
            math.nan,
            {},
            ValueError,
            "f: lr must be a finite number, got nan.",
        ),
        (
            -math.inf,
            {},
            ValueError,
            "f: lr must be a finite number, got -inf.",
        ),
        (0, {}, ValueError, "f: lr must be positive, got 0."),
        (-0.5, {}, ValueError, "f: lr must be positive, got -0.5."),
        (
            -1,
            {"allow_zero": True},
            ValueError,
            "f: lr must be non-negative, got -1.",
        ),
        (
            0.0,
            {"note": "a learning rate such as 3e-3"},
            ValueError,
            "f: lr must be positive (a learning rate such as 3e-3), "
            "got 0.0.",
        ),
    ],
)
def test_as_positive_number_messages(value, kwargs, exc, message):
    with pytest.raises(exc) as info:
        as_positive_number(value, "lr", "f", **kwargs)
    assert str(info.value) == message


def test_as_positive_number_returns_floats():
    assert as_positive_number(3, "lr", "f") == 3.0
    assert type(as_positive_number(3, "lr", "f")) is float
    assert as_positive_number(0, "lr", "f", allow_zero=True) == 0.0
    assert as_positive_number(torch.tensor(0.5).item(), "lr", "f") == 0.5


@pytest.mark.parametrize(
    "value, kwargs, exc, message",
    [
        (
            4,
            {},
            TypeError,
            "f: n must be a non-empty tuple of ints; got 4.",
        ),
        (
            "12",
            {},
            TypeError,
            "must be a non-empty tuple of ints; got '12'.",
        ),
        (
            (),
            {},
            ValueError,
            "must be a non-empty tuple of ints; got 0 values",
        ),
        (
            (1, 2, 3),
            {"length": 2},
            ValueError,
            "f: n must be a tuple of 2 ints; got 3 values (1, 2, 3).",
        ),
        (
            (1, 0),
            {},
            ValueError,
            "f: each entry of n must be at least 1, got 0.",
        ),
        (
            (1, 2.0),
            {},
            TypeError,
            "f: each entry of n must be an int, got float",
        ),
        (
            [2, 2],
            {"length": 4, "what": "four block counts"},
            ValueError,
            "f: n must be four block counts; got 2 values (2, 2).",
        ),
    ],
)
def test_as_int_tuple_messages(value, kwargs, exc, message):
    with pytest.raises(exc) as info:
        as_int_tuple(value, "n", "f", **kwargs)
    assert message in str(info.value)


def test_as_int_tuple_returns_a_tuple_of_ints():
    assert as_int_tuple([1, 2], "n", "f") == (1, 2)
    assert as_int_tuple((0, 3), "n", "f", length=2, minimum=0) == (0, 3)


# every function of the library that takes a positive number, called with
# a bad value: (call, func, name)
POSITIVE = [
    (
        lambda v: precision.underflow_fraction([1.0], torch.float16, v),
        "underflow_fraction",
        "scale",
    ),
    (
        lambda v: precision.DynamicLossScaler(init_scale=v),
        "DynamicLossScaler",
        "init_scale",
    ),
    (
        lambda v: distillation.soften(torch.zeros(1, 3), v),
        "soften",
        "temperature",
    ),
    (lambda v: round_channels(v), "round_channels", "c"),
    (lambda v: alexnet(width=v), "alexnet", "width"),
    (lambda v: mobilenet_v1(width=v), "mobilenet_v1", "width"),
    (lambda v: lenet5(width=v), "lenet5", "width"),
    (lambda v: densenet121(width=v), "densenet121", "width"),
]


@pytest.mark.parametrize(
    "value, exc, words",
    [
        ("1", TypeError, "must be a number"),
        (True, TypeError, "must be a number"),
        (math.nan, ValueError, "must be a finite number"),
        (math.inf, ValueError, "must be a finite number"),
        (0, ValueError, "must be positive"),
        (-2.5, ValueError, "must be positive"),
    ],
)
@pytest.mark.parametrize(
    "call, func, name", POSITIVE, ids=[p[1] for p in POSITIVE]
)
def test_positive_numbers_are_checked_alike(
    call, func, name, value, exc, words
):
    with pytest.raises(exc) as info:
        call(value)
    assert str(info.value).startswith(f"{func}: {name} {words}")


# every tuple-of-ints argument of the models: (call, func, name, length)
TUPLES = [
    (lambda v: AttentionCNN(channels=v), "AttentionCNN", "channels", None),
    (
        lambda v: densenet121(block_config=v),
        "DenseNet",
        "block_config",
        None,
    ),
    (lambda v: ASPP(4, 4, rates=v), "ASPP", "rates", None),
    (lambda v: ConvNet(widths=v), "ConvNet", "widths", 3),
    (
        lambda v: MultiHeadSelfAttention(8, 2, grid=v),
        "MultiHeadSelfAttention",
        "grid",
        2,
    ),
    (lambda v: ResNet(BasicBlock, v), "ResNet", "layers", 4),
    (lambda v: VGG(v), "VGG", "convs_per_block", 5),
]


@pytest.mark.parametrize(
    "call, func, name, length", TUPLES, ids=[t[1] for t in TUPLES]
)
def test_tuples_of_ints_are_checked_alike(call, func, name, length):
    good = (2,) * (length or 2)
    for bad, exc in (
        (2, TypeError),  # not a tuple
        ("22", TypeError),
        (good + (2,) if length else (), ValueError),  # wrong length
        (good[:-1] + (0,), ValueError),  # an entry below 1
    ):
        with pytest.raises(exc) as info:
            call(bad)
        assert str(info.value).startswith(f"{func}: "), info.value
        assert name in str(info.value), info.value
    with pytest.raises(
        TypeError, match=f"each entry of {name} must be an int"
    ):
        call(good[:-1] + (2.5,))


@pytest.mark.parametrize(
    "interval, inside, outside",
    [
        ("closed", (0, 0.5, 1), (-0.01, 1.01)),
        ("open", (1e-9, 0.5, 0.999), (0, 1)),
        ("left-open", (1e-9, 1), (0, 1.5)),
        ("right-open", (0, 0.999), (1, -1)),
    ],
)
def test_as_fraction_keeps_the_ends_it_is_told_to(
    interval, inside, outside
):
    for v in inside:
        assert validation.as_fraction(v, "p", "f", interval) == float(v)
    for v in (*outside, float("nan")):
        with pytest.raises(ValueError, match="f: p must lie in "):
            validation.as_fraction(v, "p", "f", interval)
    for v in (True, "0.5", None):
        with pytest.raises(TypeError, match="f: p must be a number in "):
            validation.as_fraction(v, "p", "f", interval)


@pytest.mark.parametrize(
    "call",
    [
        lambda v: distillation.distillation_loss(
            torch.zeros(1, 3),
            torch.zeros(1, 3),
            torch.zeros(1).long(),
            2.0,
            v,
        ),
        lambda v: data.random_flip(v),
        lambda v: densenet_module.densenet_channels(compression=v),
    ],
)
def test_fractions_are_checked_alike(call):
    with pytest.raises(ValueError, match=r"must lie in [\[(]0, 1[\])]"):
        call(1.5)
    with pytest.raises(TypeError, match="must be a number in"):
        call("half")
