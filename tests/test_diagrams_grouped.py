"""convlab.diagrams.grouped_bottlenecks (chapter 28): ResNet's and
ResNeXt's bottlenecks drawn from the modules, labels read from them."""

import pytest
import torch

from convlab import diagrams
from convlab.cost import count_params
from convlab.diagrams import figure_text
from convlab.models.resnet import BasicBlock, Bottleneck
from test_diagrams import check_layout, text


def test_defaults_are_resnet50_and_resnext50_32x4d():
    fig = diagrams.grouped_bottlenecks()
    check_layout(fig)
    t = text(fig)
    plain = count_params(Bottleneck(256, 64))
    grouped = count_params(Bottleneck(256, 64, groups=32, base_width=4))
    assert f"1×64d: {plain:,} parameters" in t
    assert f"32×4d: {grouped:,} parameters" in t
    assert "3×3 conv 128→128\n32 groups of 4" in t
    assert "1×1 conv 256→128" in t and "1×1 conv 128→256" in t
    # the plain block's 3x3 convolution is not called grouped
    assert "3×3 conv 64→64\nBN" in t and t.count("groups of") == 1


def test_other_blocks_change_the_drawing():
    t = text(
        diagrams.grouped_bottlenecks(
            Bottleneck(64, 16),
            Bottleneck(64, 16, stride=2, groups=8, base_width=8),
        )
    )
    assert "3×3 conv 16→16\nBN" in t
    assert "3×3 conv 16→16, stride 2\n8 groups of 2" in t
    assert "1×1 conv\n64→64\nstride 2" in t  # the projection


def test_bad_blocks_get_clear_errors():
    with pytest.raises(TypeError, match="grouped must be a Bottleneck"):
        diagrams.grouped_bottlenecks(grouped=BasicBlock(8, 8))
    with pytest.raises(ValueError, match="no shortcut"):
        diagrams.grouped_bottlenecks(Bottleneck(64, 16, residual=False))


def test_drawing_leaves_the_random_state_alone():
    torch.manual_seed(0)
    diagrams.grouped_bottlenecks()
    a = torch.rand(3)
    torch.manual_seed(0)
    assert torch.equal(a, torch.rand(3))
    assert figure_text(diagrams.grouped_bottlenecks())


# ------------------------------------------------ Wide ResNet blocks
def test_wide_blocks_default_to_wrn_28_10s_first_two():
    from convlab.models.wide_resnet import WideBlock

    fig = diagrams.wide_blocks()
    check_layout(fig)
    t = text(fig)
    first, second = WideBlock(16, 160), WideBlock(160, 160)
    assert f"16→160: {count_params(first):,} parameters" in t
    assert f"160→160: {count_params(second):,} parameters" in t
    assert "3×3 conv 16→160" in t and t.count("3×3 conv 160→160") == 3
    assert "1×1 conv\n16→160\nstride 1" in t and "identity" in t
    assert "ReLU →" not in t  # pre-activation: no ReLU after the sum


def test_wide_blocks_read_stride_and_dropout():
    from convlab.models.wide_resnet import WideBlock

    fig = diagrams.wide_blocks(
        WideBlock(160, 320, stride=2, dropout=0.3), WideBlock(8, 8)
    )
    check_layout(fig)
    t = text(fig)
    assert "3×3 conv 160→320, stride 2" in t
    assert (
        "BN, ReLU, dropout 0.3" in t and "1×1 conv\n160→320\nstride 2" in t
    )
    assert "3×3 conv 8→8" in t and t.count("identity") == 1
    with pytest.raises(TypeError, match="second must be a WideBlock"):
        diagrams.wide_blocks(second=Bottleneck(64, 16))
