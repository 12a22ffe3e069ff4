"""ResNet-18/34/50 and their blocks: published parameter counts, shapes, options and errors."""

import pytest
import torch
from torch import nn

from convlab.models import resnet18, resnet34, resnet50
from convlab.models.resnet import (
    BasicBlock,
    Bottleneck,
    ResNet,
    scaled_channels,
)


def n_params(module):
    return sum(p.numel() for p in module.parameters())


# The reference counts are those of torchvision.models.resnet18/34/50 (torchvision 0.x, 1000 classes),
# the standard implementation of He et al. (2016) Table 1; ResNet-50 in its "v1.5" form (stride on the
# 3x3 convolution), which has the same parameters as the paper's v1 (stride on the first 1x1).
@pytest.mark.parametrize(
    "build,count",
    [
        (resnet18, 11_689_512),
        (resnet34, 21_797_672),
        (resnet50, 25_557_032),
    ],
)
def test_published_parameter_counts_and_imagenet_shapes(build, count):
    model = build()
    assert n_params(model) == count
    model.eval()
    with torch.no_grad():
        assert model(torch.zeros(1, 3, 224, 224)).shape == (1, 1000)
        assert model.features(torch.zeros(1, 3, 224, 224)).shape[-2:] == (
            7,
            7,
        )


@pytest.mark.parametrize(
    "build,blocks,block",
    [
        (resnet18, [2, 2, 2, 2], BasicBlock),
        (resnet34, [3, 4, 6, 3], BasicBlock),
        (resnet50, [3, 4, 6, 3], Bottleneck),
    ],
)
def test_stage_layout(build, blocks, block):
    model = build()
    assert [len(stage) for stage in model.stages] == blocks
    assert all(
        isinstance(b, block) for stage in model.stages for b in stage
    )
    # the depth in the name counts the convolutions on the main path plus the classifier
    main_path = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    projections = sum(
        1
        for b in model.modules()
        if isinstance(b, (BasicBlock, Bottleneck))
        and not isinstance(b.shortcut, nn.Identity)
    )
    assert len(main_path) - projections + 1 == int(build.__name__[6:])


def test_bottleneck_is_v1_5_stride_on_the_3x3():
    block = resnet50().stages[1][0]
    convs = [m for m in block.layers if isinstance(m, nn.Conv2d)]
    assert [c.kernel_size for c in convs] == [(1, 1), (3, 3), (1, 1)]
    assert [c.stride for c in convs] == [(1, 1), (2, 2), (1, 1)]
    assert block.shortcut[0].stride == (2, 2) and block.shortcut[
        0
    ].kernel_size == (1, 1)


def test_no_convolution_has_a_bias_and_every_conv_is_followed_by_bn():
    for build in (resnet18, resnet50):
        model = build()
        assert all(
            m.bias is None
            for m in model.modules()
            if isinstance(m, nn.Conv2d)
        )
        n_conv = sum(isinstance(m, nn.Conv2d) for m in model.modules())
        assert (
            sum(isinstance(m, nn.BatchNorm2d) for m in model.modules())
            == n_conv
        )


@pytest.mark.parametrize(
    "c_in,c,stride,identity",
    [(64, 64, 1, True), (64, 128, 2, False), (32, 32, 2, False)],
)
def test_basic_block_parameters_and_shapes(c_in, c, stride, identity):
    block = BasicBlock(c_in, c, stride)
    expected = (
        9 * c_in * c
        + 9 * c * c
        + 2 * c
        + 2 * c
        + (0 if identity else c_in * c + 2 * c)
    )
    assert n_params(block) == expected
    assert isinstance(block.shortcut, nn.Identity) == identity
    assert block(torch.randn(2, c_in, 9, 9)).shape == (
        2,
        c,
        -(-9 // stride),
        -(-9 // stride),
    )


@pytest.mark.parametrize(
    "c_in,c,stride,identity",
    [(256, 64, 1, True), (64, 64, 1, False), (256, 128, 2, False)],
)
def test_bottleneck_parameters_and_shapes(c_in, c, stride, identity):
    block = Bottleneck(c_in, c, stride)
    expected = (
        c_in * c
        + 9 * c * c
        + c * 4 * c
        + 2 * (c + c + 4 * c)
        + (0 if identity else c_in * 4 * c + 8 * c)
    )
    assert n_params(block) == expected
    assert block(torch.randn(2, c_in, 7, 7)).shape == (
        2,
        4 * c,
        -(-7 // stride),
        -(-7 // stride),
    )


def test_residual_block_adds_its_input():
    torch.manual_seed(0)
    block = BasicBlock(4, 4).eval()
    for (
        m
    ) in block.layers:  # F(x) = 0: the last BN outputs beta = 0 everywhere
        if isinstance(m, nn.BatchNorm2d):
            nn.init.zeros_(m.weight)
    x = torch.rand(2, 4, 5, 5)  # non-negative, so relu(0 + x) = x
    assert torch.equal(block(x), x)


def test_plain_network_has_the_same_layers_without_shortcuts():
    plain, res = resnet34(residual=False), resnet34()
    projections = sum(
        n_params(b.shortcut)
        for b in res.modules()
        if isinstance(b, BasicBlock)
    )
    assert n_params(plain) == n_params(res) - projections
    assert all(
        b.shortcut is None
        for b in plain.modules()
        if isinstance(b, BasicBlock)
    )
    assert plain(torch.zeros(1, 3, 64, 64)).shape == (1, 1000)


@pytest.mark.parametrize("build", [resnet18, resnet34, resnet50])
def test_small_configurations_for_32x32_digits(build):
    model = build(
        num_classes=10, in_channels=1, width=0.25, small_input=True
    )
    x = torch.randn(3, 1, 32, 32)
    assert model(x).shape == (3, 10)
    assert model.features(x).shape == (
        3,
        scaled_channels(512, 0.25) * (4 if build is resnet50 else 1),
        4,
        4,
    )
    assert model.stem[0].in_channels == 1 and model.stem[0].stride == (1, 1)


def test_width_num_classes_and_in_channels_are_honoured():
    model = resnet18(num_classes=7, in_channels=2, width=0.5)
    assert (
        model.stem[0].in_channels == 2 and model.stem[0].out_channels == 32
    )
    assert [stage[0].layers[0].out_channels for stage in model.stages] == [
        32,
        64,
        128,
        256,
    ]
    assert model.fc.out_features == 7 and model.fc.in_features == 256
    assert scaled_channels(64, 0.01) == 1 and scaled_channels(64, 0.3) == 19
    assert n_params(resnet18(width=0.5)) < n_params(resnet18())


@pytest.mark.parametrize(
    "kwargs,error,fragment",
    [
        (dict(num_classes=0), ValueError, "num_classes must be at least 1"),
        (dict(in_channels=1.5), TypeError, "in_channels must be an int"),
        (dict(width=0), ValueError, "width must be positive"),
        (dict(width="wide"), TypeError, "width must be a number"),
    ],
)
def test_bad_arguments_are_rejected(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        resnet18(**kwargs)


def test_bad_blocks_and_layers_are_rejected():
    with pytest.raises(
        TypeError, match="block must be BasicBlock or Bottleneck"
    ):
        ResNet(nn.Conv2d, (2, 2, 2, 2))
    with pytest.raises(ValueError, match="four block counts"):
        ResNet(BasicBlock, (2, 2, 2))
    with pytest.raises(
        ValueError, match="each entry of layers must be at least 1"
    ):
        ResNet(BasicBlock, (2, 0, 2, 2))
    with pytest.raises(ValueError, match="stride must be at least 1"):
        BasicBlock(4, 4, stride=0)
    with pytest.raises(TypeError, match="channels must be an int"):
        Bottleneck(4, 2.0)
