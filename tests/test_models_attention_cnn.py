"""convlab.models.attention_cnn: the small CNN of chapter 21 with optional SE / CBAM blocks --
structure, parameter counts from the formulas, shapes, attention inputs and argument checking."""

import pytest
import torch
from torch import nn

from convlab.attention import CBAM, SEBlock
from convlab.cost import count_macs, count_params
from convlab.models import attention_cnn
from convlab.models.attention_cnn import AttentionCNN


def se_params(c, r):
    return 2 * c * (c // r) + c // r + c


def test_plain_parameter_count_from_the_layers():
    # conv 3x3 without bias, BN scale and shift, per stage; then the linear classifier with bias
    expected = (
        (1 * 16 * 9 + 2 * 16)
        + (16 * 32 * 9 + 2 * 32)
        + (32 * 64 * 9 + 2 * 64)
        + (64 * 4 + 4)
    )
    assert expected == 23_668
    assert count_params(attention_cnn()) == expected


@pytest.mark.parametrize(
    "channels,r,k", [((16, 32, 64), 4, 7), ((8, 24), 2, 3), ((12,), 3, 5)]
)
def test_attention_adds_exactly_the_blocks_parameters(channels, r, k):
    plain = count_params(
        attention_cnn(None, channels, reduction=r, kernel_size=k)
    )
    se = count_params(
        attention_cnn("se", channels, reduction=r, kernel_size=k)
    )
    cbam = count_params(
        attention_cnn("cbam", channels, reduction=r, kernel_size=k)
    )
    assert se - plain == sum(se_params(c, r) for c in channels)
    assert cbam - se == len(channels) * (2 * k * k + 1)


def test_default_counts_in_the_docstring():
    assert (
        count_params(attention_cnn("se")) - count_params(attention_cnn())
        == 2_828
    )
    assert (
        count_params(attention_cnn("cbam")) - count_params(attention_cnn())
        == 3_125
    )


def test_blocks_sit_after_the_relu_of_every_stage():
    for kind, cls in (("se", SEBlock), ("cbam", CBAM)):
        m = attention_cnn(kind)
        assert len(m.attention_blocks) == 3
        for stage, block in zip(m.stages, m.attention_blocks):
            assert (
                isinstance(stage[2], nn.ReLU)
                and stage[3] is block
                and isinstance(block, cls)
            )
    assert attention_cnn().attention_blocks == []

    # the convolutions, BN and classifier have the same shapes in all three variants
    def shared(
        name,
    ):  # stages.<s>.<layer>...: layers 0-2 are conv, BN, ReLU; 3 is the attention block
        return not name.startswith("stages.") or int(name.split(".")[2]) < 3

    shapes = [
        [
            (n, tuple(p.shape))
            for n, p in attention_cnn(kind).named_parameters()
            if shared(n)
        ]
        for kind in (None, "se", "cbam")
    ]
    assert shapes[0] == shapes[1] == shapes[2]


def test_output_and_feature_shapes():
    m = attention_cnn(
        "cbam", channels=(8, 16, 32), num_classes=10, in_channels=3
    )
    x = torch.randn(5, 3, 16, 12)
    assert m(x).shape == (5, 10)
    assert m.features(x).shape == (5, 32, 4, 3)
    assert [tuple(t.shape) for t in m.attention_inputs(x)] == [
        (5, 8, 16, 12),
        (5, 16, 8, 6),
        (5, 32, 4, 3),
    ]


def test_attention_inputs_are_what_the_blocks_receive():
    torch.manual_seed(0)
    m = attention_cnn("se").eval()
    x = torch.randn(4, 1, 16, 16)
    seen = []
    handles = [
        b.register_forward_pre_hook(
            lambda mod, args: seen.append(args[0].clone())
        )
        for b in m.attention_blocks
    ]
    with torch.no_grad():
        m(x)
        inputs = m.attention_inputs(x)
    for h in handles:
        h.remove()
    assert all(torch.equal(a, b) for a, b in zip(inputs, seen))
    # the gates of the trained-or-not blocks reproduce the blocks' outputs
    with torch.no_grad():
        for block, t in zip(m.attention_blocks, inputs):
            assert torch.allclose(
                block(t), t * block.gates(t)[:, :, None, None]
            )


def test_plain_network_is_the_attention_network_with_the_blocks_removed():
    torch.manual_seed(0)
    se = attention_cnn("se").eval()
    plain = attention_cnn().eval()
    state = {k: v for k, v in se.state_dict().items() if ".3." not in k}
    plain.load_state_dict(state)
    for stage in se.stages:  # replace every SE block by the identity
        stage[3] = nn.Identity()
    x = torch.randn(2, 1, 16, 16)
    with torch.no_grad():
        assert torch.allclose(se(x), plain(x))


def test_macs_add_the_mlps_and_the_spatial_convolutions():
    plain, se, cbam = (
        count_macs(attention_cnn(k), (1, 16, 16))
        for k in (None, "se", "cbam")
    )
    mlp = sum(
        2 * c * (c // 4) for c in (16, 32, 64)
    )  # fc1 and fc2, one row per image
    assert se - plain == mlp
    spatial = sum(
        s * s * 2 * 49 for s in (16, 8, 4)
    )  # a 2 -> 1 channel 7x7 conv per stage
    assert cbam - plain == 2 * mlp + spatial  # the shared MLP runs twice


@pytest.mark.parametrize(
    "kwargs,error,match",
    [
        ({"channels": ()}, ValueError, "non-empty tuple"),
        ({"channels": "16"}, TypeError, "non-empty tuple"),
        ({"channels": (16, 0)}, ValueError, "at least 1"),
        ({"channels": (16, 2.5)}, TypeError, "must be an int"),
        (
            {"attention": "transformer"},
            ValueError,
            "None .plain., 'se' or 'cbam'",
        ),
        (
            {"attention": "se", "reduction": 32},
            ValueError,
            "no hidden unit",
        ),
        ({"reduction": 0}, ValueError, "at least 1"),
        ({"attention": "cbam", "kernel_size": 4}, ValueError, "odd"),
        ({"attention": "cbam", "kernel_size": 7.0}, TypeError, "odd int"),
        ({"num_classes": 0}, ValueError, "at least 1"),
        ({"in_channels": True}, TypeError, "must be an int"),
    ],
)
def test_bad_arguments_are_explained(kwargs, error, match):
    with pytest.raises(error, match=match):
        AttentionCNN(**kwargs)


def test_kernel_size_is_not_checked_when_unused():
    assert count_params(attention_cnn("se", kernel_size=4)) == count_params(
        attention_cnn("se")
    )


@pytest.mark.parametrize(
    "x,match",
    [
        (torch.zeros(1, 16, 16), r"shape \(N, C, H, W\)"),
        ([[0.0]], r"shape \(N, C, H, W\)"),
        (torch.zeros(1, 3, 16, 16), "expects 1 input channel"),
        (torch.zeros(1, 1, 3, 16), "at least 4x4"),
    ],
)
def test_bad_inputs_are_explained(x, match):
    m = attention_cnn("se")
    with pytest.raises(ValueError, match=match):
        m(x)
    with pytest.raises(ValueError, match=match):
        m.attention_inputs(x)
