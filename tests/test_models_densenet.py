"""DenseNet-121 and its parts: published parameter count, channel bookkeeping, shapes, options, errors."""

import pytest
import torch
from torch import nn

from convlab.models import densenet121
from convlab.models.densenet import (
    DenseBlock,
    DenseLayer,
    DenseNet,
    Transition,
    densenet_channels,
)


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def test_published_parameter_count_and_imagenet_shape():
    # 7,978,856: torchvision.models.densenet121 (the reference implementation of Huang et al. 2017,
    # DenseNet-BC with k = 32, 1000 classes).
    model = densenet121().eval()
    assert n_params(model) == 7_978_856
    with torch.no_grad():
        assert model(torch.zeros(1, 3, 224, 224)).shape == (1, 1000)
        assert model.features(torch.zeros(1, 3, 224, 224)).shape == (
            1,
            1024,
            7,
            7,
        )


def test_densenet121_channel_bookkeeping_matches_the_module():
    rows = densenet_channels()
    assert rows == [
        (64, 256),
        (256, 128),
        (128, 512),
        (512, 256),
        (256, 1024),
        (1024, 512),
        (512, 1024),
    ]
    model = densenet121()
    seen = []
    for m in model.body:
        if isinstance(m, DenseBlock):
            seen.append(
                (m.layers[0].layers[0].num_features, m.out_channels)
            )
        else:
            seen.append(
                (m.layers[0].num_features, m.layers[2].out_channels)
            )
    assert seen == rows


def test_depth_121_counts_convolutions_and_the_classifier():
    model = densenet121()
    n_conv = sum(isinstance(m, nn.Conv2d) for m in model.modules())
    n_linear = sum(isinstance(m, nn.Linear) for m in model.modules())
    assert (n_conv, n_linear) == (120, 1)
    assert all(
        m.bias is None for m in model.modules() if isinstance(m, nn.Conv2d)
    )


def test_dense_layer_and_block_shapes_and_parameters():
    layer = DenseLayer(20, 8, bn_size=4)
    assert layer(torch.randn(2, 20, 6, 6)).shape == (2, 8, 6, 6)
    assert n_params(layer) == 2 * 20 + 20 * 32 + 2 * 32 + 9 * 32 * 8
    block = DenseBlock(3, 20, 8)
    x = torch.randn(2, 20, 6, 6)
    y = block(x)
    assert y.shape == (2, 20 + 3 * 8, 6, 6) and block.out_channels == 44
    assert torch.equal(y[:, :20], x)  # the input is passed on unchanged
    assert [l.layers[0].num_features for l in block.layers] == [20, 28, 36]


def test_transition_compresses_and_halves():
    t = Transition(12, 6)
    assert t(torch.randn(1, 12, 7, 8)).shape == (1, 6, 3, 4)
    assert n_params(t) == 2 * 12 + 12 * 6


def test_channel_bookkeeping_floors_and_generalises():
    assert densenet_channels(
        (2, 2), growth_rate=3, init_channels=5, compression=0.5
    ) == [(5, 11), (11, 5), (5, 11)]
    assert densenet_channels((1,), 4, 4) == [(4, 8)]
    model = DenseNet(
        (2, 2),
        growth_rate=3,
        init_channels=5,
        num_classes=4,
        in_channels=1,
        small_input=True,
    )
    assert (
        model(torch.randn(2, 1, 8, 8)).shape == (2, 4)
        and model.out_channels == 11
    )


def test_small_configuration_for_32x32_digits():
    model = densenet121(
        num_classes=10, in_channels=1, growth_rate=8, small_input=True
    )
    x = torch.randn(2, 1, 32, 32)
    assert model(x).shape == (2, 10)
    assert model.features(x).shape == (
        2,
        256,
        4,
        4,
    )  # 16 -> 64 -> 32 -> 128 -> 64 -> 256 -> 128 -> 256
    assert densenet_channels(growth_rate=8, init_channels=16)[-1] == (
        128,
        256,
    )


def test_width_num_classes_and_in_channels_are_honoured():
    model = densenet121(num_classes=3, in_channels=2, width=0.25)
    assert (
        model.stem[0].in_channels == 2 and model.stem[0].out_channels == 16
    )
    assert (
        model.body[0].layers[0].layers[2].out_channels == 4 * 8
    )  # bn_size * k with k = 8
    assert model.head[-1].out_features == 3
    assert densenet121(width=0.5).stem[0].out_channels == 32
    assert n_params(densenet121(width=0.5)) < n_params(densenet121())


@pytest.mark.parametrize(
    "kwargs,error,fragment",
    [
        (dict(num_classes=0), ValueError, "num_classes must be at least 1"),
        (dict(width=-1), ValueError, "width must be positive"),
        (dict(width=None), TypeError, "width must be a number"),
        (
            dict(width=0.5, growth_rate=12),
            ValueError,
            "either width or growth_rate",
        ),
        (dict(growth_rate=0), ValueError, "growth_rate must be at least 1"),
        (
            dict(block_config=()),
            ValueError,
            "non-empty tuple of layer counts",
        ),
        (
            dict(block_config=(6, 0)),
            ValueError,
            "each entry of block_config must be at least 1",
        ),
    ],
)
def test_bad_arguments_are_rejected(kwargs, error, fragment):
    with pytest.raises(error, match=fragment):
        densenet121(**kwargs)


def test_bad_compression_is_rejected():
    with pytest.raises(
        ValueError, match=r"compression must lie in \(0, 1\]"
    ):
        DenseNet(compression=1.5)
    with pytest.raises(TypeError, match="compression must be a number"):
        densenet_channels(compression="half")
    with pytest.raises(ValueError, match="leaves no channel"):
        densenet_channels(
            (1, 1), growth_rate=1, init_channels=1, compression=0.4
        )
