"""Wide ResNet and ResNeXt: published parameter counts, shapes, errors."""

import pytest
import torch

from convlab.cost import count_params
from convlab.models import resnet50, resnext50_32x4d, wide_resnet
from convlab.models.resnet import Bottleneck


def test_wrn_28_10_has_the_published_36_5_million_parameters():
    # stem 3*16*9; per group: 2 convs per block, BN pairs, 1x1 projections
    assert count_params(wide_resnet(28, 10)) == 36_479_194


def test_resnext50_32x4d_has_25_0_million_parameters():
    assert count_params(resnext50_32x4d()) == 25_028_904
    assert count_params(resnet50()) == 25_557_032  # unchanged by groups


def test_resnext_block_is_a_grouped_bottleneck():
    block = Bottleneck(256, 64, groups=32, base_width=4)
    grouped = [
        m for m in block.modules() if isinstance(m, torch.nn.Conv2d)
    ][1]
    assert (grouped.in_channels, grouped.groups) == (128, 32)
    # 32 paths of 4 channels: each 3x3 filter sees 4 input channels
    assert tuple(grouped.weight.shape) == (128, 4, 3, 3)


@pytest.mark.parametrize("depth, widen", [(10, 1), (16, 2)])
def test_wide_resnet_shapes(depth, widen):
    model = wide_resnet(depth, widen, num_classes=7, in_channels=1).eval()
    assert model.blocks_per_group == (depth - 4) // 6
    assert model.widths == [16 * widen, 32 * widen, 64 * widen]
    with torch.no_grad():
        assert model(torch.randn(2, 1, 32, 32)).shape == (2, 7)


def test_bad_arguments_get_clear_errors():
    with pytest.raises(ValueError, match="6n \\+ 4"):
        wide_resnet(depth=20)
    with pytest.raises(ValueError, match="Bottleneck"):
        from convlab.models.resnet import BasicBlock, ResNet

        ResNet(BasicBlock, (2, 2, 2, 2), groups=32, base_width=4)
    with pytest.raises(ValueError, match="dropout"):
        wide_resnet(dropout=1.5)
