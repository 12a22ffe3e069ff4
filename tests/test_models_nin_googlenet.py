"""Network in Network and GoogLeNet (convlab.models.nin, convlab.models.googlenet): parameter
counts, the Inception table, shapes, options and argument checking."""

import pytest
import torch
from torch import nn

from convlab.models import googlenet, nin
from convlab.models.googlenet import (
    INCEPTION_TABLE,
    Inception,
    inception_in_channels,
)
from convlab.models.nin import mlpconv


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def conv(c_in, c_out, k, bias=True):
    return c_out * c_in * k * k + (c_out if bias else 0)


def test_nin_count_layer_by_layer():
    # The authors' released ImageNet model: (96, 11) (256, 5) (384, 3) (1024, 3), each + two 1x1.
    by_hand = (
        conv(3, 96, 11)
        + 2 * conv(96, 96, 1)
        + conv(96, 256, 5)
        + 2 * conv(256, 256, 1)
        + conv(256, 384, 3)
        + 2 * conv(384, 384, 1)
        + conv(384, 1024, 3)
        + conv(1024, 1024, 1)
        + conv(1024, 1000, 1)
    )
    assert n_params(nin()) == by_hand == 7_595_176


def test_nin_has_no_linear_layer_and_shapes():
    model = nin().eval()
    assert not any(isinstance(m, nn.Linear) for m in model.modules())
    with torch.no_grad():
        assert model(torch.zeros(1, 3, 224, 224)).shape == (1, 1000)
        small = nin(
            num_classes=10, in_channels=1, width=0.125, small_input=True
        ).eval()
        assert small(torch.zeros(2, 1, 32, 32)).shape == (2, 10)
        assert small.features[:-2](torch.zeros(1, 1, 32, 32)).shape[-1] == 3


def test_nin_imagenet_maps_are_those_of_the_released_caffe_model():
    # Caffe pools in ceil mode: 224 -> conv 54 -> pools 27, 13, 6 (not 26, 12, 5)
    x, sides = torch.zeros(1, 3, 224, 224), []
    with torch.no_grad():
        for layer in nin().eval().features:
            x = layer(x)
            if isinstance(layer, nn.MaxPool2d):
                sides.append(x.shape[-1])
    assert x.shape[-1] == 6 and sides == [27, 13, 6]


def test_mlpconv():
    block = mlpconv(3, 8, 5, padding=2, out_channels=4)
    assert [m.kernel_size for m in block if isinstance(m, nn.Conv2d)] == [
        (5, 5),
        (1, 1),
        (1, 1),
    ]
    assert sum(isinstance(m, nn.ReLU) for m in block) == 3
    assert block(torch.zeros(1, 3, 9, 9)).shape == (1, 4, 9, 9)


def test_googlenet_paper_count_from_the_table():
    # Paper design: convolutions with bias, no BN, 5x5 kernels, no auxiliary heads.
    total = conv(3, 64, 7) + conv(64, 64, 1) + conv(64, 192, 3)
    for name, (c1, c3r, c3, c5r, c5, pp) in INCEPTION_TABLE.items():
        c = inception_in_channels()[name]
        total += (
            conv(c, c1, 1)
            + conv(c, c3r, 1)
            + conv(c3r, c3, 3)
            + conv(c, c5r, 1)
            + conv(c5r, c5, 5)
            + conv(c, pp, 1)
        )
    total += 1024 * 1000 + 1000
    assert n_params(googlenet()) == total == 6_998_552


def test_googlenet_torchvision_count():
    # torchvision.models.googlenet(aux_logits=False, init_weights=True): 6,624,904 parameters, with BN
    # and a 3x3 kernel in the "5x5" branch (torchvision issue #906).
    assert n_params(googlenet(batch_norm=True, kernel_5x5=3)) == 6_624_904


def test_inception_table_channels():
    ins = inception_in_channels()
    assert ins == {
        "3a": 192,
        "3b": 256,
        "4a": 480,
        "4b": 512,
        "4c": 512,
        "4d": 512,
        "4e": 528,
        "5a": 832,
        "5b": 832,
    }
    model = googlenet()
    assert model.out_channels == 1024
    assert [
        model.inception(n).out_channels for n in ("3a", "4e", "5b")
    ] == [256, 832, 1024]
    with pytest.raises(ValueError, match="no block"):
        model.inception("6a")


def test_inception_block_shape_and_branches():
    block = Inception(192, *INCEPTION_TABLE["3a"])
    x = torch.rand(2, 192, 28, 28)
    y = block(x)
    assert y.shape == (2, 256, 28, 28)
    with torch.no_grad():
        assert torch.equal(y[:, :64], block.branch1(x)) and torch.equal(
            y[:, 224:], block.branch_pool(x)
        )


def test_googlenet_feature_sizes_and_small_input():
    model = googlenet(num_classes=10, in_channels=1, width=0.125).eval()
    with torch.no_grad():
        x = model.stem(torch.zeros(1, 1, 224, 224))
        assert x.shape[-1] == 28
        assert model.blocks(x).shape[-1] == 7
        assert model(torch.zeros(2, 1, 224, 224)).shape == (2, 10)
        small = googlenet(
            num_classes=10, in_channels=1, width=0.125, small_input=True
        ).eval()
        assert small.stem(torch.zeros(1, 1, 32, 32)).shape[-1] == 16
        assert small(torch.zeros(2, 1, 32, 32)).shape == (2, 10)


def test_width_scales_every_entry():
    block = googlenet(width=0.5).inception("3a")
    assert block.in_channels == 96 and block.out_channels == 128


@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (lambda: nin(num_classes=0), ValueError, "num_classes"),
        (lambda: nin(width=0.0), ValueError, "width"),
        (lambda: mlpconv(3, 8, 3, padding=-1), ValueError, "padding"),
        (lambda: googlenet(in_channels="rgb"), TypeError, "in_channels"),
        (lambda: googlenet(kernel_5x5=7), ValueError, "kernel_5x5"),
        (lambda: googlenet(dropout=-0.1), ValueError, "dropout"),
        (
            lambda: Inception(192, 64, 96, 128, 16, 32, 0),
            ValueError,
            "pool_proj",
        ),
    ],
)
def test_bad_arguments_are_explained(call, exc, fragment):
    with pytest.raises(exc, match=fragment):
        call()
