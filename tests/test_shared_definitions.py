"""The definitions the models, attention and cost modules share (issue 17):
the named constructors made by ``models.arguments.builder``, the common
argument checks, the tensor checks, and ``attention_macs`` living in
``convlab.cost``."""

import inspect

import pytest
import torch

from convlab import attention, cost
from convlab.models import arguments, resnet, vgg
from convlab.models.alexnet import AlexNet, alexnet
from convlab.models.googlenet import GoogLeNet, googlenet
from convlab.models.nin import NiN, nin
from convlab.tensor_checks import check_image_batch, shape_or_type


def n_params(module):
    return sum(p.numel() for p in module.parameters())


@pytest.mark.parametrize(
    "build,cls",
    [(alexnet, AlexNet), (googlenet, GoogLeNet), (nin, NiN)],
    ids=["alexnet", "googlenet", "nin"],
)
def test_a_builder_shows_and_passes_the_arguments_of_its_class(build, cls):
    assert build.__name__ == cls.__name__.lower()
    assert build.__module__ == cls.__module__
    assert inspect.signature(build) == inspect.signature(cls)
    assert "Takes the arguments of" in build.__doc__
    torch.manual_seed(0)
    positional = build(7, 2, 0.125)
    torch.manual_seed(0)
    keywords = cls(num_classes=7, in_channels=2, width=0.125)
    assert type(positional) is cls
    assert n_params(positional) == n_params(keywords)
    assert positional(torch.zeros(1, 2, 64, 64)).shape == (1, 7)


def test_the_resnet_table_gives_each_named_network():
    names = [
        "resnet18",
        "resnet34",
        "resnet50",
        "resnext50_32x4d",
    ]
    assert list(resnet.RESNET_CONFIGS) == names
    for name in names:
        build = getattr(resnet, name)
        block, layers, fixed = resnet.RESNET_CONFIGS[name]
        model = build(num_classes=5, width=0.5, small_input=True)
        assert build.__name__ == name
        assert "parameters at full size" in build.__doc__
        blocks = [m for m in model.modules() if isinstance(m, block)]
        assert len(blocks) == sum(layers)
        grouped = [
            m.groups
            for m in model.modules()
            if isinstance(m, torch.nn.Conv2d)
        ]
        assert max(grouped) == fixed.get("groups", 1)
    plain = resnet.resnet34(residual=False, width=0.125)
    assert all(
        b.shortcut is None
        for b in plain.modules()
        if isinstance(b, resnet.BasicBlock)
    )


def test_a_resnext_too_thin_for_its_groups_is_refused():
    with pytest.raises(ValueError, match="no channel per group"):
        resnet.resnext50_32x4d(width=0.125)


def test_both_residual_blocks_share_one_forward():
    assert "forward" not in vars(resnet.BasicBlock)
    assert "forward" not in vars(resnet.Bottleneck)
    torch.manual_seed(0)
    block = resnet.Bottleneck(8, 2, stride=2).eval()
    x = torch.randn(2, 8, 6, 6)
    expected = torch.relu(block.layers(x) + block.shortcut(x))
    torch.testing.assert_close(block(x), expected)


def test_vgg_named_constructors_fix_the_depth():
    assert "depth" not in inspect.signature(vgg.vgg11).parameters
    small = dict(num_classes=3, width=0.125, small_input=True)
    assert n_params(vgg.vgg11(**small)) == n_params(vgg.vgg(11, **small))
    assert n_params(vgg.vgg16(**small)) == n_params(vgg.vgg(16, **small))


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        (dict(num_classes=0), ValueError, "num_classes must be at least 1"),
        (dict(in_channels=2.0), TypeError, "in_channels must be an int"),
        (dict(width=0), ValueError, "width must be positive"),
        (dict(width="half"), TypeError, "width must be a number"),
        (dict(dropout=1.0), ValueError, "dropout is the probability"),
        (dict(dropout=True), TypeError, "dropout must be a probability"),
    ],
)
def test_check_network_args_names_the_network(kwargs, error, match):
    args = dict(num_classes=10, in_channels=3, width=1.0, dropout=0.5)
    args.update(kwargs)
    with pytest.raises(error, match="^net: " + match):
        arguments.check_network_args("net", **args)


def test_check_network_args_returns_only_what_it_was_given():
    assert arguments.check_network_args("net", 10, 3) == (10, 3)
    assert arguments.check_network_args("net", 10, 3, 1) == (10, 3, 1.0)
    assert arguments.check_network_args("net", 10, 3, 2, 0) == (
        10,
        3,
        2.0,
        0.0,
    )


def test_attention_macs_lives_in_cost_only():
    assert not hasattr(attention, "attention_macs")
    n = 4 * 5
    assert cost.attention_macs(4, 5, 8, d=2, c_v=3) == (
        n * 8 * (2 * 2 + 3) + n * n * 2 + n * n * 3
    )
    with pytest.raises(TypeError, match="attention_macs: h must be an int"):
        cost.attention_macs(4.0, 5, 8)
    with pytest.raises(ValueError, match="attention_macs: c must be at"):
        cost.attention_macs(4, 5, 0)


def test_blocks_check_the_input_channels_in_forward_too():
    with pytest.raises(ValueError, match="^SEBlock: x has 6 channels"):
        attention.SEBlock(8, 2)(torch.zeros(1, 6, 4, 4))
    with pytest.raises(ValueError, match="^CBAM: x has 6 channels"):
        attention.CBAM(8, 2, 3)(torch.zeros(1, 6, 4, 4))


@pytest.mark.parametrize(
    "make,error,match",
    [
        (
            lambda: attention.SEBlock(8.0),
            TypeError,
            "channels must be an int",
        ),
        (lambda: attention.CBAM(8, 0), ValueError, "reduction must be at"),
        (
            lambda: attention.NonLocalBlock(1),
            ValueError,
            "inter_channels must be at least 1",
        ),
        (
            lambda: attention.local_window_mask(3, 0, 3),
            ValueError,
            "w must be at least 1",
        ),
        (
            lambda: attention.local_window_mask(3, 3, 3.0),
            TypeError,
            "the window size \\(an odd int\\) must be an int",
        ),
    ],
)
def test_attention_arguments_go_through_validation(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_tensor_checks():
    assert shape_or_type(torch.zeros(2, 3)) == (2, 3)
    assert shape_or_type([1, 2]) == "list"
    x = torch.zeros(1, 2, 3, 4)
    assert check_image_batch(x, "f") is x
    with pytest.raises(TypeError, match=r"^f: x must be a torch tensor"):
        check_image_batch([[1.0]], "f")
    with pytest.raises(ValueError, match="it has 3 dimensions"):
        check_image_batch(torch.zeros(1, 2, 3), "f")
