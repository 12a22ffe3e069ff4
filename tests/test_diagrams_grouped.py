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
