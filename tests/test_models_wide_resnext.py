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


@pytest.mark.parametrize("depth, widen, base", [(10, 3, 3), (28, 2, 2)])
def test_base_sets_the_stem_and_group_widths(depth, widen, base):
    model = wide_resnet(depth, widen, in_channels=1, base=base)
    c = base * widen
    assert model.stem.out_channels == base and model.base == base
    assert model.widths == [c, 2 * c, 4 * c]
    # a pre-activation block: BN(a), 3x3 a->c, BN(c), 3x3 c->c, and a 1x1
    # a->c projection when the shape changes; then BN and the classifier
    n = (depth - 4) // 6
    total, a = 9 * 1 * base, base
    for g, c_out in enumerate(model.widths):
        for j in range(n):
            total += 2 * a + 9 * a * c_out + 2 * c_out + 9 * c_out**2
            strided = g > 0 and j == 0
            total += a * c_out if a != c_out or strided else 0
            a = c_out
    total += 2 * a + 10 * a + 10
    assert count_params(model) == total
    with torch.no_grad():
        assert model.eval()(torch.randn(3, 1, 8, 8)).shape == (3, 10)


def test_default_base_is_the_papers_16():
    assert wide_resnet(16, 4).base == 16
    assert count_params(wide_resnet(16, 4, base=16)) == count_params(
        wide_resnet(16, 4)
    )
    with pytest.raises(ValueError, match="base"):
        wide_resnet(base=0)


def test_counting_on_the_meta_device_draws_nothing():
    # Building on the meta device must not draw weights: drawing there
    # loads torch's compiler (seconds) for values that do not exist.
    import subprocess
    import sys

    code = (
        "import sys, torch\n"
        "from convlab.cost import count_params\n"
        "from convlab.models import wide_resnet\n"
        "state = torch.random.get_rng_state()\n"
        "with torch.device('meta'):\n"
        "    model = wide_resnet(28, 10)\n"
        "assert count_params(model) == 36_479_194\n"
        "assert torch.equal(state, torch.random.get_rng_state())\n"
        "print('torch._dynamo' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert out.strip() == "False"
