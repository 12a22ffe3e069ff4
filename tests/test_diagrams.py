"""convlab.diagrams: each diagram shows the numbers of the module it shows.

For each diagram: the labels of the default drawing equal the module's own
numbers, and a changed configuration (a monkeypatched table, another module)
changes the labels. Sizes fit the book's column and fonts stay readable.
"""

import importlib

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
import torch
from torch import nn

from convlab import diagrams
from convlab.diagrams import figure_text
from convlab.models import densenet, hybrid, mobilenet, resnet

# convlab.models.googlenet is also the name of a function in convlab.models
googlenet = importlib.import_module("convlab.models.googlenet")


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def text(fig):
    return "\n".join(figure_text(fig))


def check_layout(fig):
    width, _ = fig.get_size_inches()
    assert width <= diagrams.MAX_WIDTH
    sizes = [
        t.get_fontsize() for t in fig.findobj(plt.Text) if t.get_text()
    ]
    assert min(sizes) >= diagrams.MIN_FONT
    assert fig.get_facecolor()[:3] == (1.0, 1.0, 1.0)  # light card
    # no label sticks out of the figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = fig.bbox
    for t in fig.findobj(plt.Text):
        if t.get_text().strip():
            b = t.get_window_extent(renderer)
            assert b.x0 >= box.x0 - 1 and b.x1 <= box.x1 + 1, t.get_text()
            assert b.y0 >= box.y0 - 1 and b.y1 <= box.y1 + 1, t.get_text()


# ------------------------------------------------------------ chapter 8
def test_weight_stack_reads_the_layer():
    layer = nn.Conv2d(3, 8, (3, 5))
    fig = diagrams.weight_stack(layer, input_size=(10, 12))
    check_layout(fig)
    t = text(fig)
    assert "(O, C, kh, kw) = (8, 3, 3, 5)" in t
    assert "= (3, 10, 12)" in t and "= (8, 8, 8)" in t
    assert sum(s.startswith("W[") for s in figure_text(fig)) == 8
    t2 = text(diagrams.weight_stack(nn.Conv2d(2, 4, 3), input_size=(6, 6)))
    assert "(O, C, kh, kw) = (4, 2, 3, 3)" in t2 and "= (4, 4, 4)" in t2


def test_conv1x1_reads_the_layer_and_rejects_other_kernels():
    t = text(diagrams.conv1x1(nn.Conv2d(3, 2, 1)))
    assert "W: 2×3" in t and "6 weights + 2 biases" in t
    t = text(diagrams.conv1x1(nn.Conv2d(5, 4, 1, bias=False)))
    assert "W: 4×5" in t and "20 weights + 0 biases" in t
    with pytest.raises(ValueError, match="not \\(1, 1\\)"):
        diagrams.conv1x1(nn.Conv2d(3, 2, 3))
    with pytest.raises(TypeError, match="Conv2d"):
        diagrams.conv1x1("conv")


# ----------------------------------------------------------- chapter 12
def test_transposed_stamping_sums_the_stamps():
    fig = diagrams.transposed_stamping()
    check_layout(fig)
    t = figure_text(fig)
    assert "10" in t  # the centre, where the four stamps overlap: 1+2+3+4
    assert (
        "output y = sum of the stamps\n5×5, darker where stamps overlap"
        in t
    )
    t1 = figure_text(diagrams.transposed_stamping(stride=1))
    assert any(
        s.startswith("output y = sum of the stamps\n4×4") for s in t1
    )
    with pytest.raises(ValueError, match="at most 4"):
        diagrams.transposed_stamping(np.ones((3, 3)))


# ----------------------------------------------------------- chapter 16
def test_inception_block_defaults_are_the_table():
    fig = diagrams.inception_block("3a")
    check_layout(fig)
    t = text(fig)
    c1, c3r, c3, c5r, c5, cp = googlenet.INCEPTION_TABLE["3a"]
    c_in = googlenet.inception_in_channels()["3a"]
    for label in (
        f"input: {c_in} channels",
        f"1×1 conv {c_in}→{c1}",
        f"1×1 conv {c_in}→{c3r}",
        f"3×3 conv {c3r}→{c3}",
        f"5×5 conv {c5r}→{c5}",
        f"1×1 conv {c_in}→{cp}",
        f"= {c1 + c3 + c5 + cp} channels",
    ):
        assert label in t
    assert f"input: {googlenet.inception_in_channels()['4a']}" in text(
        diagrams.inception_block("4a")
    )


def test_inception_block_follows_a_changed_table(monkeypatch):
    monkeypatch.setitem(
        googlenet.INCEPTION_TABLE, "3a", (10, 20, 30, 4, 8, 12)
    )
    t = text(diagrams.inception_block("3a"))
    assert "3×3 conv 20→30" in t and "5×5 conv 4→8" in t
    assert "10 + 30 + 8 + 12 = 60 channels" in t
    # the next block's input is the changed block's output
    assert "input: 60 channels" in text(diagrams.inception_block("3b"))
    with pytest.raises(ValueError, match="no block"):
        diagrams.inception_block("9z")


# ----------------------------------------------------------- chapter 17
def test_residual_blocks_read_the_modules():
    fig = diagrams.residual_blocks()
    check_layout(fig)
    t = text(fig)
    assert "3×3 conv 64→128, stride 2" in t and "64→128\nstride 2" in t
    w = 64
    e = resnet.Bottleneck.expansion
    assert f"1×1 conv {e * w}→{w}" in t and f"1×1 conv {w}→{e * w}" in t
    assert "identity" in t
    t2 = text(
        diagrams.residual_blocks(
            resnet.BasicBlock(32, 32), resnet.Bottleneck(64, 32, stride=2)
        )
    )
    assert "3×3 conv 32→32" in t2 and "3×3 conv 32→32, stride 2" in t2
    assert (
        "1×1 conv\n64→128\nstride 2" in t2
    )  # projection of the bottleneck


def test_residual_blocks_follow_the_expansion(monkeypatch):
    monkeypatch.setattr(resnet.Bottleneck, "expansion", 2)
    t = text(diagrams.residual_blocks())
    assert "1×1 conv 128→64" in t and "1×1 conv 64→128" in t


def test_drawing_does_not_consume_random_numbers():
    torch.manual_seed(0)
    diagrams.residual_blocks()
    diagrams.inception_block()
    a = torch.rand(3)
    torch.manual_seed(0)
    assert torch.equal(a, torch.rand(3))


# ----------------------------------------------------------- chapter 18
def test_dense_block_reads_the_block():
    fig = diagrams.dense_block()
    check_layout(fig)
    t = text(fig)
    assert "reads 4" in t and "reads 6" in t and "reads 8" in t
    assert "4 + 2 + 2 + 2 = 10 channels" in t
    t2 = text(diagrams.dense_block(densenet.DenseBlock(4, 6, 3, bn_size=2)))
    assert "reads 15" in t2 and "6 + 3 + 3 + 3 + 3 = 18 channels" in t2
    assert "1×1 conv (reads → 6)" in t2


# ----------------------------------------------------------- chapter 19
def test_mobilenet_blocks_defaults_are_the_tables():
    fig = diagrams.mobilenet_blocks()
    check_layout(fig)
    t = text(fig)
    c_out, _ = mobilenet.MOBILENET_V1_LAYERS[0]
    stem = mobilenet.MOBILENET_V1_STEM
    assert f"3×3 depthwise, {stem}" in t and f"1×1 conv {stem}→{c_out}" in t
    t_, c, n, _ = next(
        r for r in mobilenet.MOBILENET_V2_SETTINGS if r[2] > 1
    )
    assert f"1×1 conv {c}→{t_ * c}" in t and f"1×1 conv {t_ * c}→{c}" in t


def test_mobilenet_blocks_follow_a_changed_table(monkeypatch):
    layers = ((48, 1),) + mobilenet.MOBILENET_V1_LAYERS[1:]
    monkeypatch.setattr(mobilenet, "MOBILENET_V1_LAYERS", layers)
    t = text(diagrams.mobilenet_blocks())
    assert "1×1 conv 32→48" in t
    t2 = text(
        diagrams.mobilenet_blocks(
            inverted=mobilenet.InvertedResidual(16, 16, 1, 4)
        )
    )
    assert "1×1 conv 16→64" in t2 and "3×3 depthwise, 64" in t2
    with pytest.raises(ValueError, match="adds its"):
        diagrams.mobilenet_blocks(
            inverted=mobilenet.InvertedResidual(16, 24, 2, 6)
        )


# ----------------------------------------------------------- chapter 24
def test_hybrid_stages_read_the_models():
    fig = diagrams.hybrid_stages()
    check_layout(fig)
    t = text(fig)
    assert "2×2 patch\nmerge\n16→32" in t and "D = 32\n2 heads" in t
    assert "32×4×4" in t and "16×32 tokens" in t and "16×28 tokens" in t
    model = hybrid.HybridNet(image_size=8, widths=(4, 8, 12), heads=3)
    t2 = text(diagrams.hybrid_stages({"h": model}, image_size=8))
    assert "8→12" in t2 and "D = 12\n3 heads" in t2 and "4×12 tokens" in t2
    assert model.training  # the drawing left the model's mode alone
    with pytest.raises(TypeError, match="ConvNet, HybridNet"):
        diagrams.hybrid_stages({"x": nn.Linear(2, 2)})
