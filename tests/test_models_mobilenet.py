"""MobileNet V1 and V2: published sizes, block structure, shapes and argument checking."""

import re

import pytest
import torch
from hypothesis import given, settings, strategies as st
from torch import nn

from convlab.models import mobilenet_v1, mobilenet_v2
from convlab.models.mobilenet import (
    MOBILENET_V1_LAYERS,
    MOBILENET_V2_SETTINGS,
    DepthwiseSeparable,
    InvertedResidual,
    round_channels,
)


def n_params(module):
    return sum(p.numel() for p in module.parameters())


def conv_and_fc_weights(model):
    """Weights of convolutions and linear layers only: no BN scale/shift, no biases."""
    return sum(
        m.weight.numel()
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    )


def macs(model, shape):
    """Multiply-adds of conv and linear layers for one sample (an independent count by hooks)."""
    total = []

    def hook(m, inputs, out):
        total.append(
            m.weight[0].numel() * out[0].numel()
            if isinstance(m, nn.Conv2d)
            else m.weight.numel()
        )

    handles = [
        m.register_forward_hook(hook)
        for m in model.modules()
        if isinstance(m, (nn.Conv2d, nn.Linear))
    ]
    with torch.no_grad():
        model.eval()(torch.zeros(1, *shape))
    for h in handles:
        h.remove()
    return sum(total)


# ----------------------------------------------------------------- V1
def test_v1_parameter_count():
    m = mobilenet_v1()
    # Howard et al. 2017, Table 1 / Table 6: "4.2 million" parameters for 1.0 MobileNet-224.
    # The exact count of conv + FC weights is 4,209,088; Table 2's parameter shares (1x1 conv 74.59 %,
    # FC 24.33 % = 1,024,000 / 4,209,088) are those of this weight count, without BN and FC bias.
    assert conv_and_fc_weights(m) == 4_209_088
    # With BatchNorm's scale and shift (2 x 10,944 channels) and the FC bias: the PyTorch count.
    bn = sum(
        p.numel()
        for mod in m.modules()
        if isinstance(mod, nn.BatchNorm2d)
        for p in mod.parameters()
    )
    assert bn == 21_888 and m.fc.bias.numel() == 1000
    assert n_params(m) == 4_231_976


def test_v1_macs_match_the_paper():
    # Table 1/6/7 of the paper: 569 M mult-adds at 224; 325 / 149 / 41 M for width 0.75 / 0.5 / 0.25;
    # 418 / 290 / 186 M at resolution 192 / 160 / 128 (the paper rounds to whole millions).
    assert macs(mobilenet_v1(), (3, 224, 224)) == 568_740_352
    for width, paper in [(0.75, 325), (0.5, 149), (0.25, 41)]:
        assert (
            abs(
                macs(mobilenet_v1(width=width), (3, 224, 224)) / 1e6 - paper
            )
            < 0.5
        )
    for size, paper in [(192, 418), (160, 290), (128, 186)]:
        assert abs(macs(mobilenet_v1(), (3, size, size)) / 1e6 - paper) < 1


def test_v1_width_counts():
    # Table 6 of the paper: 2.6 / 1.3 / 0.5 million parameters for width 0.75 / 0.5 / 0.25.
    for width, paper in [(0.75, 2.6), (0.5, 1.3), (0.25, 0.5)]:
        assert (
            round(conv_and_fc_weights(mobilenet_v1(width=width)) / 1e6, 1)
            == paper
        )


def test_v1_structure_follows_table_1():
    m = mobilenet_v1()
    blocks = list(m.blocks)
    assert len(blocks) == 13 and all(
        isinstance(b, DepthwiseSeparable) for b in blocks
    )
    assert m.stem[0].stride == (2, 2) and m.stem[0].out_channels == 32
    for block, (c_out, stride) in zip(blocks, MOBILENET_V1_LAYERS):
        dw, pw = block.depthwise[0], block.pointwise[0]
        assert (
            dw.groups == dw.in_channels == dw.out_channels
            and dw.kernel_size == (3, 3)
        )
        assert (
            dw.stride == (stride, stride)
            and pw.kernel_size == (1, 1)
            and pw.out_channels == c_out
        )
    assert [b.depthwise[0].stride[0] for b in blocks].count(2) == 4
    assert m.fc.in_features == 1024
    assert all(
        c.bias is None for c in m.modules() if isinstance(c, nn.Conv2d)
    )


def test_v1_feature_map_is_7x7_at_224():
    m = mobilenet_v1().eval()
    with torch.no_grad():
        features = m.blocks(m.stem(torch.zeros(1, 3, 224, 224)))
    assert features.shape == (1, 1024, 7, 7)


# ----------------------------------------------------------------- V2
def test_v2_parameter_count():
    # torchvision.models.mobilenet_v2() (the reference implementation): 3,504,872 parameters.
    m = mobilenet_v2()
    assert n_params(m) == 3_504_872
    bn = sum(
        p.numel()
        for mod in m.modules()
        if isinstance(mod, nn.BatchNorm2d)
        for p in mod.parameters()
    )
    assert bn == 34_112 and n_params(m) - bn == 3_470_760


def test_v2_macs():
    # Sandler et al. 2018, Table 4: 300 M multiply-adds for MobileNetV2 (1.0) at 224.
    assert macs(mobilenet_v2(), (3, 224, 224)) == 300_774_272


def test_v2_structure_follows_table_2():
    m = mobilenet_v2()
    blocks = list(m.blocks)
    assert (
        len(blocks) == sum(n for _, _, n, _ in MOBILENET_V2_SETTINGS) == 17
    )
    expected = [
        (t, c, s if i == 0 else 1)
        for t, c, n, s in MOBILENET_V2_SETTINGS
        for i in range(n)
    ]
    c_in = 32
    for block, (t, c, s) in zip(blocks, expected):
        assert isinstance(block, InvertedResidual)
        convs = [
            mod
            for mod in block.block.modules()
            if isinstance(mod, nn.Conv2d)
        ]
        assert len(convs) == (2 if t == 1 else 3)
        dw, project = convs[-2], convs[-1]
        assert dw.groups == dw.in_channels == c_in * t and dw.stride == (
            s,
            s,
        )
        assert project.out_channels == c
        assert not isinstance(
            block.block[-1][-1], (nn.ReLU, nn.ReLU6)
        )  # linear bottleneck: ends with BN
        assert block.residual == (s == 1 and c_in == c)
        c_in = c
    assert sum(b.residual for b in blocks) == 10
    assert m.head[0].out_channels == 1280 and m.fc.in_features == 1280


def test_inverted_residual_adds_its_input():
    torch.manual_seed(0)
    block = InvertedResidual(8, 8, 1, 6).eval()
    x = torch.randn(2, 8, 5, 5)
    with torch.no_grad():
        assert torch.allclose(block(x), x + block.block(x))
    assert (
        not InvertedResidual(8, 16, 1, 6).residual
        and not InvertedResidual(8, 8, 2, 6).residual
    )


def test_depthwise_separable_weight_count():
    for c_in, c_out in [(32, 64), (512, 512), (3, 5)]:
        block = DepthwiseSeparable(c_in, c_out)
        assert conv_and_fc_weights(block) == 9 * c_in + c_in * c_out


@pytest.mark.parametrize(
    "c,expected",
    [
        (32, 32),
        (32 * 0.35, 16),
        (24 * 0.5, 16),
        (320 * 0.75, 240),
        (16 * 0.25, 8),
        (1280 * 1.4, 1792),
        (96 * 0.35, 32),
        (4.0, 8),
    ],
)
def test_round_channels(c, expected):
    assert round_channels(c) == expected


@settings(max_examples=60, deadline=None)
@given(c=st.floats(0.5, 4000), divisor=st.sampled_from([1, 4, 8, 16]))
def test_round_channels_properties(c, divisor):
    r = round_channels(c, divisor)
    assert r % divisor == 0 and r >= divisor and r >= 0.9 * c


def test_v2_width_rounds_to_multiples_of_8():
    m = mobilenet_v2(width=0.35)
    convs = [mod for mod in m.modules() if isinstance(mod, nn.Conv2d)]
    assert all(c.out_channels % 8 == 0 for c in convs)
    assert m.fc.in_features == 1280  # kept when width < 1
    assert mobilenet_v2(width=1.4).fc.in_features == 1792


# ----------------------------------------------------------- both models
@pytest.mark.parametrize("build", [mobilenet_v1, mobilenet_v2])
def test_output_shapes_and_arguments(build):
    torch.manual_seed(0)
    assert build().eval()(torch.zeros(1, 3, 224, 224)).shape == (1, 1000)
    small = build(
        num_classes=10, in_channels=1, width=0.25, small_input=True
    ).eval()
    assert small(torch.zeros(2, 1, 32, 32)).shape == (2, 10)
    assert small.stem[0].in_channels == 1 and small.stem[0].stride == (1, 1)
    assert build(num_classes=10, in_channels=1, width=0.25).eval()(
        torch.zeros(2, 1, 32, 32)
    ).shape == (2, 10)
    assert (
        n_params(build(width=0.5))
        < n_params(build())
        < n_params(build(width=1.5))
    )


@settings(max_examples=8, deadline=None)
@given(
    width=st.sampled_from([0.25, 0.5, 0.75, 1.0]),
    size=st.integers(8, 48),
    n=st.integers(1, 3),
)
def test_any_input_size_gives_logits(width, size, n):
    for build in (mobilenet_v1, mobilenet_v2):
        out = build(num_classes=7, in_channels=2, width=width).eval()(
            torch.zeros(n, 2, size, size)
        )
        assert out.shape == (n, 7)


@pytest.mark.parametrize("build", [mobilenet_v1, mobilenet_v2])
@pytest.mark.parametrize(
    "kwargs,exc,fragment",
    [
        (
            dict(num_classes=0),
            ValueError,
            "num_classes must be at least 1, got 0",
        ),
        (dict(num_classes=2.0), TypeError, "num_classes must be an int"),
        (dict(in_channels=0), ValueError, "in_channels must be at least 1"),
        (dict(width=0), ValueError, "width must be positive"),
        (dict(width=-0.5), ValueError, "width must be positive"),
        (dict(width="1"), TypeError, "width must be a number"),
        (dict(width=True), TypeError, "width must be a number"),
        (
            dict(small_input=1),
            TypeError,
            "small_input must be True or False",
        ),
    ],
)
def test_bad_arguments(build, kwargs, exc, fragment):
    with pytest.raises(exc, match=re.escape(fragment)):
        build(**kwargs)


def test_bad_dropout_and_round_channels():
    with pytest.raises(
        ValueError,
        match=re.escape("dropout is the probability of zeroing a unit"),
    ):
        mobilenet_v2(dropout=1.0)
    with pytest.raises(
        ValueError, match=r"c must be positive \(a channel count\)"
    ):
        round_channels(0)
    with pytest.raises(ValueError, match="divisor must be at least 1"):
        round_channels(10, 0)


def test_exercise_constants_match_the_models():
    from convlab.cost import count_macs, layer_report
    from convlab.exercises import mobilenet as ex

    v1 = mobilenet_v1()
    pointwise = sum(
        r.macs
        for r in layer_report(v1, (3, 224, 224))
        if r.name.endswith("pointwise.0")
    )
    assert count_macs(v1, (3, 224, 224)) == ex.MACS_224 == ex.A_V1 + ex.B_V1
    assert (
        count_macs(mobilenet_v1(width=0.5), (3, 224, 224)) == ex.WIDTH_MACS
    )
    assert count_macs(v1, (3, 192, 192)) == ex.RES_MACS
    assert pointwise == ex.B_V1 and v1.fc.weight.numel() == ex.FC_MACS
    assert [
        i + 1 for i, b in enumerate(mobilenet_v2().blocks) if b.residual
    ] == ex.RESIDUAL
