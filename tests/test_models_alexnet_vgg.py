"""AlexNet and VGG (convlab.models.alexnet, convlab.models.vgg): published parameter counts, shapes,
options and argument checking."""

import pytest
import torch
from torch import nn

from convlab.models import alexnet, vgg11, vgg16
from convlab.models.alexnet import scaled_channels
from convlab.models.vgg import VGG_CONFIGS, vgg, vgg_block
from tensors import on_meta


def n_params(model):
    return sum(p.numel() for p in model.parameters())


def conv(c_in, c_out, k, groups=1):
    return c_out * (c_in // groups) * k * k + c_out


def linear(n_in, n_out):
    return n_in * n_out + n_out


# Reference counts: torchvision.models.alexnet / vgg11 / vgg16 (1000 classes), which are the
# single-tower AlexNet and the paper's configurations A and D; the 2012 two-GPU AlexNet is counted
# layer by layer from the paper's Figure 2 (groups of 2 on conv2, conv4, conv5).
@pytest.mark.parametrize(
    "make,expected",
    [
        (alexnet, 61_100_840),
        (lambda: alexnet(variant="2012"), 60_965_224),
        (vgg11, 132_863_336),
        (vgg16, 138_357_544),
        (lambda: vgg(19), 143_667_240),
    ],
)
def test_published_parameter_counts(make, expected):
    assert n_params(on_meta(make)) == expected


def test_alexnet_2012_count_layer_by_layer():
    by_hand = (
        conv(3, 96, 11)
        + conv(96, 256, 5, 2)
        + conv(256, 384, 3)
        + conv(384, 384, 3, 2)
        + conv(384, 256, 3, 2)
        + linear(256 * 36, 4096)
        + linear(4096, 4096)
        + linear(4096, 1000)
    )
    assert n_params(alexnet(variant="2012")) == by_hand


def test_vgg16_count_from_its_table():
    c, total = 3, 0
    for n, width in zip(VGG_CONFIGS[16], (64, 128, 256, 512, 512)):
        for _ in range(n):
            total, c = total + conv(c, width, 3), width
    total += (
        linear(512 * 49, 4096) + linear(4096, 4096) + linear(4096, 1000)
    )
    assert n_params(on_meta(vgg16)) == total


@pytest.mark.parametrize(
    "make,size",
    [
        (alexnet, 224),
        (lambda **kw: alexnet(variant="2012", **kw), 227),
        (vgg11, 224),
        (vgg16, 224),
    ],
)
def test_full_size_shapes(make, size):
    model = make(num_classes=7, in_channels=2, width=0.125).eval()
    with torch.no_grad():
        assert model(torch.zeros(2, 2, size, size)).shape == (2, 7)


def test_alexnet_feature_map_sizes():
    with torch.no_grad():
        assert alexnet().features(torch.zeros(1, 3, 224, 224)).shape == (
            1,
            256,
            6,
            6,
        )
        assert alexnet(variant="2012").features(
            torch.zeros(1, 3, 227, 227)
        ).shape == (1, 256, 6, 6)
        first = alexnet(variant="2012").features[0]
        assert (
            first(torch.zeros(1, 3, 227, 227)).shape[-1] == 55
        )  # the paper's 55x55 needs 227
        assert first(torch.zeros(1, 3, 224, 224)).shape[-1] == 54


@pytest.mark.parametrize("make", [alexnet, vgg11, vgg16])
def test_small_input_on_32x32(make):
    model = make(
        num_classes=10, in_channels=1, width=0.125, small_input=True
    ).eval()
    with torch.no_grad():
        assert model(torch.zeros(3, 1, 32, 32)).shape == (3, 10)
        assert model.features(torch.zeros(1, 1, 32, 32)).shape[-1] == (
            1 if make is not alexnet else 3
        )


def test_width_scales_channels():
    model = vgg11(width=0.25)
    convs = [m for m in model.modules() if isinstance(m, nn.Conv2d)]
    assert [m.out_channels for m in convs] == [
        16,
        32,
        64,
        64,
        128,
        128,
        128,
        128,
    ]
    assert model.classifier[0].out_features == 1024
    assert alexnet(width=0.5).features[0].out_channels == 32
    assert all(
        m.out_channels % 2 == 0
        for m in alexnet(variant="2012", width=0.3).modules()
        if isinstance(m, nn.Conv2d)
    )
    assert (
        scaled_channels(64, 0.01) == 1
        and scaled_channels(96, 0.3, multiple=2) == 28
    )


def test_vgg_block():
    block = vgg_block(3, 8, 2)
    assert sum(isinstance(m, nn.ReLU) for m in block) == 2 and isinstance(
        block[-1], nn.MaxPool2d
    )
    assert block(torch.zeros(1, 3, 10, 10)).shape == (1, 8, 5, 5)
    assert any(
        isinstance(m, nn.BatchNorm2d)
        for m in vgg_block(3, 8, 1, batch_norm=True)
    )


def test_dropout_train_vs_eval():
    model = alexnet(num_classes=5, width=0.0625, small_input=True)
    x = torch.rand(4, 3, 32, 32)
    model.eval()
    with torch.no_grad():
        assert torch.equal(model(x), model(x))
    model.train()
    torch.manual_seed(0)
    with torch.no_grad():
        assert not torch.equal(model(x), model(x))


@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (lambda: alexnet(num_classes=0), ValueError, "num_classes"),
        (lambda: alexnet(in_channels=1.5), TypeError, "in_channels"),
        (lambda: alexnet(width=0), ValueError, "width must be positive"),
        (
            lambda: alexnet(width="half"),
            TypeError,
            "width must be a number",
        ),
        (lambda: alexnet(variant="2013"), ValueError, "variant"),
        (lambda: alexnet(dropout=1.0), ValueError, "dropout"),
        (lambda: vgg(12), ValueError, "depth must be one of"),
        (lambda: vgg11(width=-1.0), ValueError, "width"),
        (lambda: vgg16(num_classes=None), TypeError, "num_classes"),
        (lambda: vgg_block(3, 8, 0), ValueError, "num_convs"),
    ],
)
def test_bad_arguments_are_explained(call, exc, fragment):
    with pytest.raises(exc, match=fragment):
        call()


def test_alexnet_2012_lrn_is_the_papers_formula():
    # Krizhevsky et al. (2012), section 3.3: b = a / (k + alpha * sum of a^2
    # over n = 5 neighbouring channels)^beta, k = 2, alpha = 1e-4, beta = 0.75
    lrns = [
        m
        for m in alexnet(variant="2012").modules()
        if isinstance(m, torch.nn.LocalResponseNorm)
    ]
    assert len(lrns) == 2
    a = 30 * torch.randn(
        2, 12, 5, 5, generator=torch.Generator().manual_seed(0)
    )
    sq = torch.nn.functional.pad(a**2, (0, 0, 0, 0, 2, 2))
    window = sum(sq[:, i : i + 12] for i in range(5))
    paper = a / (2.0 + 1e-4 * window) ** 0.75
    for lrn in lrns:
        assert torch.allclose(lrn(a), paper, rtol=1e-5)
    # torch's alpha is divided by n: alpha=1e-4 would be 1e-4 / 5
    wrong = torch.nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2.0)
    assert not torch.allclose(wrong(a), paper, rtol=1e-3)
