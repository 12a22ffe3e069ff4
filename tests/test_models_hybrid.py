"""The three models of chapter 24 (convlab.models.hybrid): shapes, parameter and MAC counts derived
from the layers, the link to convlab.attention, translation properties, and argument checking."""

import math

import pytest
import torch
from torch import nn

from convlab import attention as A, cost
from convlab.cost import count_macs, count_params
from convlab.models import ConvNet, HybridNet, VisionTransformer
from convlab.models.hybrid import (
    MultiHeadSelfAttention,
    PatchEmbedding,
    TransformerBlock,
    TransformerStage,
    image_of,
    tokens_of,
)


def block_params(D, r):
    """Pre-norm transformer block: 2 LayerNorms 4D, qkv 3D^2 (no bias), proj D^2 + D, MLP 2rD^2 + rD + D."""
    return (4 + 2 * r) * D * D + (6 + r) * D


def basic_block_params(c_in, c_out, stride):
    """Two 3x3 convs without bias + 2 BN; a 1x1 projection + BN when the shape changes."""
    p = 9 * c_in * c_out + 9 * c_out * c_out + 4 * c_out
    if stride != 1 or c_in != c_out:
        p += c_in * c_out + 2 * c_out
    return p


def conv_stage_params(c_in, c1, c2):
    return (
        9 * c_in * c1
        + 2 * c1
        + basic_block_params(c1, c1, 1)
        + basic_block_params(c1, c2, 2)
    )


# ----------------------------------------------------------------- parameter counts
@pytest.mark.parametrize(
    "D,heads,r", [(32, 2, 4), (28, 2, 4), (24, 3, 2), (8, 1, 1)]
)
def test_transformer_block_parameter_formula(D, heads, r):
    assert count_params(TransformerBlock(D, heads, r)) == block_params(D, r)
    h, w = 4, 3
    with_bias = TransformerBlock(D, heads, r, grid=(h, w))
    assert count_params(with_bias) == block_params(D, r) + heads * (
        2 * h - 1
    ) * (2 * w - 1)


def test_attention_parameters_are_4D2_plus_D():
    D = 20
    assert count_params(MultiHeadSelfAttention(D, 4)) == 4 * D * D + D


def test_default_model_sizes():
    K, C = 4, 1
    c1, c2, c3 = 8, 16, 32
    conv = (
        conv_stage_params(C, c1, c2)
        + basic_block_params(c2, c3, 2)
        + c3 * K
        + K
    )
    hybrid = (
        conv_stage_params(C, c1, c2)
        + 4 * c2 * c3
        + c3
        + block_params(c3, 4)
        + 2 * 7 * 7
        + 2 * c3
        + c3 * K
        + K
    )
    D, p, n = 28, 4, 16
    vit = (
        C * p * p * D
        + D
        + n * D
        + 2 * block_params(D, 4)
        + 2 * D
        + D * K
        + K
    )
    assert (conv, hybrid, vit) == (19_612, 19_934, 20_472)
    assert count_params(ConvNet()) == conv
    assert count_params(HybridNet()) == hybrid
    assert count_params(VisionTransformer()) == vit
    sizes = [conv, hybrid, vit]
    assert max(sizes) / min(sizes) < 1.25


def test_hybrid_is_the_convnet_with_its_last_stage_replaced():
    conv, hybrid = ConvNet(), HybridNet()
    shared = [p.shape for p in conv.features[0].parameters()]
    assert shared == [p.shape for p in hybrid.features[0].parameters()]
    assert isinstance(hybrid.features[1], TransformerStage)


# ----------------------------------------------------------------- multiply-adds
def attention_macs(n, D):
    """qkv 3nD^2, logits n^2 D, weighted sum n^2 D, output projection nD^2."""
    return 4 * n * D * D + 2 * n * n * D


@pytest.mark.parametrize(
    "n,D,heads", [(16, 32, 2), (64, 16, 4), (9, 12, 3)]
)
def test_attention_macs_formula(n, D, heads):
    assert count_macs(
        MultiHeadSelfAttention(D, heads), (n, D)
    ) == attention_macs(n, D)
    # the relative bias adds no multiply-adds
    side = int(math.isqrt(n))
    if side * side == n:
        assert count_macs(
            MultiHeadSelfAttention(D, heads, grid=(side, side)), (n, D)
        ) == attention_macs(n, D)
    # the projections, logits and weighted sum of convlab.attention's single-head count, plus W_o
    assert attention_macs(n, D) == cost.attention_macs(n, 1, D) + n * D * D


def test_model_macs():
    conv_part = (
        256 * 9 * 8
        + 2 * 256 * 9 * 64
        + 64 * 9 * 8 * 16
        + 64 * 9 * 16 * 16
        + 64 * 8 * 16
    )
    conv = (
        conv_part
        + 16 * 9 * 16 * 32
        + 16 * 9 * 32 * 32
        + 16 * 16 * 32
        + 32 * 4
    )
    n, D = 16, 32
    hybrid = (
        conv_part
        + n * 4 * 16 * D
        + attention_macs(n, D)
        + 2 * 4 * n * D * D
        + D * 4
    )
    n, D = 16, 28
    vit = (
        n * 16 * D + 2 * (attention_macs(n, D) + 2 * 4 * n * D * D) + D * 4
    )
    assert count_macs(ConvNet(), (1, 16, 16)) == conv == 772_224
    assert count_macs(HybridNet(), (1, 16, 16)) == hybrid == 788_608
    assert count_macs(VisionTransformer(), (1, 16, 16)) == vit == 337_008


# ----------------------------------------------------------------- shapes
@pytest.mark.parametrize("size", [16, 32])
def test_output_shapes(size):
    x = torch.randn(3, 2, size, size)
    for model in (
        ConvNet(num_classes=5, in_channels=2),
        HybridNet(image_size=size, num_classes=5, in_channels=2),
        VisionTransformer(image_size=size, num_classes=5, in_channels=2),
    ):
        assert model(x).shape == (3, 5)


def test_stage_shapes():
    x = torch.randn(2, 1, 16, 16)
    hybrid = HybridNet()
    y = hybrid.features[0](x)
    assert y.shape == (2, 16, 8, 8)
    assert hybrid.features[1](y).shape == (2, 32, 4, 4)
    assert ConvNet().features(x).shape == (2, 32, 4, 4)
    vit = VisionTransformer(patch_size=2)
    assert vit.patches(x).shape == (2, 28, 8, 8) and vit.pos.shape == (
        1,
        64,
        28,
    )


def test_tokens_round_trip():
    x = torch.randn(2, 3, 4, 5)
    t = tokens_of(x)
    assert t.shape == (2, 20, 3)
    assert torch.equal(t[1, 2 * 5 + 3], x[1, :, 2, 3])  # token i = r W + c
    assert torch.equal(image_of(t, 4, 5), x)


# ----------------------------------------------------------------- what the attention computes
def test_each_head_is_pre_norm_attention():
    torch.manual_seed(0)
    D, heads, h, w = 8, 2, 3, 4
    attn = MultiHeadSelfAttention(D, heads, grid=(h, w)).double()
    with torch.no_grad():
        attn.tables.normal_()
    x = torch.randn(2, D, h, w, dtype=torch.float64)
    t = tokens_of(x)
    d = D // heads
    wq, wk, wv = (
        attn.qkv.weight[:D],
        attn.qkv.weight[D : 2 * D],
        attn.qkv.weight[2 * D :],
    )
    heads_out = [
        A.pre_norm_attention(
            x,
            attn.tables[m],
            wq[m * d : (m + 1) * d],
            wk[m * d : (m + 1) * d],
            wv[m * d : (m + 1) * d],
        )
        for m in range(heads)
    ]
    expected = attn.proj(tokens_of(torch.cat(heads_out, dim=1)))
    assert torch.allclose(attn(t), expected, atol=1e-12)


def test_attention_rows_sum_to_one_and_large_inputs_are_finite():
    torch.manual_seed(0)
    attn = MultiHeadSelfAttention(8, 2, grid=(2, 2))
    a = attn.attention_weights(1000 * torch.randn(3, 4, 8))
    assert torch.isfinite(a).all() and torch.allclose(
        a.sum(-1), torch.ones(3, 2, 4)
    )


def test_vit_without_position_is_invariant_to_whole_patch_shifts():
    torch.manual_seed(0)
    vit = VisionTransformer().eval()
    x = torch.rand(2, 1, 16, 16)
    rolled = torch.roll(
        x, 8, dims=3
    )  # two patches to the right (circularly)
    assert not torch.allclose(vit(x), vit(rolled), atol=1e-4)
    with torch.no_grad():
        vit.pos.zero_()
    assert torch.allclose(vit(x), vit(rolled), atol=1e-5)


def test_convnet_with_circular_padding_is_invariant_to_shifts_by_its_stride():
    torch.manual_seed(0)
    conv = ConvNet().eval()
    x = torch.rand(2, 1, 16, 16)
    rolled = torch.roll(x, (4, 8), dims=(2, 3))
    assert not torch.allclose(
        conv(x), conv(rolled), atol=1e-4
    )  # zero padding: the border is seen
    for m in conv.modules():
        if isinstance(m, nn.Conv2d):
            m.padding_mode = "circular"
    assert torch.allclose(conv(x), conv(rolled), atol=1e-5)


def test_training_changes_the_relative_tables():
    torch.manual_seed(0)
    model = HybridNet()
    x, y = torch.randn(8, 1, 16, 16), torch.randint(0, 4, (8,))
    nn.functional.cross_entropy(model(x), y).backward()
    tables = model.features[1].blocks[0].attn.tables
    assert tables.grad is not None and tables.grad.abs().sum() > 0


# ----------------------------------------------------------------- bad input
def test_bad_arguments():
    with pytest.raises(ValueError, match="not divisible by heads"):
        TransformerBlock(30, 4)
    with pytest.raises(ValueError, match="not divisible by 4"):
        VisionTransformer(image_size=18, patch_size=4)
    with pytest.raises(ValueError, match="whole number of 4x4 patches"):
        VisionTransformer(image_size=18, patch_size=4)
    with pytest.raises(
        ValueError, match="image_size = 18 is not divisible by 4"
    ):
        HybridNet(image_size=18)
    with pytest.raises(
        ValueError, match="dim = 32 is not divisible by heads = 3"
    ):
        HybridNet(heads=3)
    with pytest.raises(
        ValueError, match="widths must be three channel counts"
    ):
        ConvNet(widths=(8, 16))
    with pytest.raises(TypeError, match="mlp_ratio must be an int"):
        TransformerBlock(8, 2, mlp_ratio=2.5)
    with pytest.raises(TypeError, match="patch_size must be an int"):
        VisionTransformer(patch_size=4.0)
    with pytest.raises(ValueError, match="depth must be at least 1"):
        VisionTransformer(depth=0)
    with pytest.raises(TypeError, match="grid must be None or a pair"):
        MultiHeadSelfAttention(8, 2, grid=4)
    with pytest.raises(
        ValueError, match="must have an even height and width"
    ):
        TransformerStage(8, 16, 2, 1, (5, 6))


def test_bad_inputs():
    with pytest.raises(
        ValueError, match=r"built for 16x16 images \(.*\), but x is 32x32"
    ):
        VisionTransformer()(torch.randn(1, 1, 32, 32))
    with pytest.raises(ValueError, match="built for 16x16 images"):
        HybridNet()(torch.randn(1, 1, 20, 20))
    with pytest.raises(ValueError, match="built for 1 input channel"):
        ConvNet()(torch.randn(1, 3, 16, 16))
    with pytest.raises(
        ValueError, match=r"shape \(N, C, H, W\), but it has 3 dimensions"
    ):
        ConvNet()(torch.randn(1, 16, 16))
    with pytest.raises(TypeError, match="must be a torch tensor"):
        VisionTransformer()([[0.0]])
    with pytest.raises(
        ValueError, match="not a whole number of 4x4 patches"
    ):
        PatchEmbedding(1, 8, 4)(torch.randn(1, 1, 10, 12))
    with pytest.raises(ValueError, match=r"\(N, n, D\) with D = 8"):
        MultiHeadSelfAttention(8, 2)(torch.randn(2, 5, 6))
    with pytest.raises(ValueError, match="built for a 2x2 grid"):
        MultiHeadSelfAttention(8, 2, grid=(2, 2))(torch.randn(2, 5, 8))


# ----------------------------------------------------------------- the numbers behind chapter 24's exercises
def test_exercise_answers_agree_with_the_library():
    from convlab.exercises import hybrid_network as ex

    vit = VisionTransformer(image_size=32, patch_size=4, dim=16, heads=2)
    assert (
        vit.pos.shape[1] == ex.TOKENS[0]
        and ex.TOKENS[1] == ex.TOKENS[0] ** 2
    )
    assert ex.BLOCK_PARAMS == block_params(64, 4) == 49_792
    assert (
        count_macs(MultiHeadSelfAttention(48, 4), (64, 48))
        == ex.ATTENTION_MACS
        == 983_040
    )
    for case in ex.VIT_CASES:
        assert ex._formula(*case) == ex._vit_params(*case)


def smallest_invariant_shift(model, size=16):
    torch.manual_seed(1)
    x = torch.rand(2, 1, size, size)
    with torch.no_grad():
        y = model(x)
        for s in range(1, size + 1):
            if torch.allclose(
                model(torch.roll(x, s, dims=3)), y, atol=1e-5
            ):
                return s


def test_smallest_invariant_shifts():
    from convlab.exercises import hybrid_network as ex

    torch.manual_seed(0)
    conv = ConvNet().eval()
    for m in conv.modules():
        if isinstance(m, nn.Conv2d):
            m.padding_mode = "circular"
    vit = VisionTransformer(patch_size=8).eval()
    with torch.no_grad():
        vit.pos.zero_()
    assert (
        [smallest_invariant_shift(conv), smallest_invariant_shift(vit)]
        == ex.SHIFTS
        == [4, 8]
    )
