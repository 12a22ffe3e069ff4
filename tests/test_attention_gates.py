"""The gates() methods of convlab.attention.SEBlock and CBAM (added for chapter 21): they return
exactly the gates the forward pass applies, follow the papers' formulas, and reject bad input."""

import pytest
import torch
import torch.nn.functional as F

from convlab.attention import CBAM, SEBlock
from tensors import rand

pytestmark = pytest.mark.usefixtures(
    "float64_default"
)  # every tensor here is float64


def test_se_gates_follow_the_formula_and_reproduce_forward():
    torch.manual_seed(0)
    se = SEBlock(12, reduction=3)
    x = rand(3, 12, 5, 4)
    s = se.gates(x)
    z = x.mean(dim=(2, 3))  # squeeze
    by_hand = torch.sigmoid(
        F.relu(z @ se.fc1.weight.T + se.fc1.bias) @ se.fc2.weight.T
        + se.fc2.bias
    )
    assert s.shape == (3, 12) and torch.allclose(s, by_hand, atol=1e-12)
    assert torch.allclose(se(x), x * s[:, :, None, None], atol=1e-12)
    assert bool(((s > 0) & (s < 1)).all())


def test_cbam_gates_follow_the_formula_and_reproduce_forward():
    torch.manual_seed(1)
    cbam = CBAM(8, reduction=2, kernel_size=3)
    x = rand(2, 8, 6, 5, seed=1)
    m_c, m_s = cbam.gates(x)
    assert m_c.shape == (2, 8) and m_s.shape == (2, 1, 6, 5)
    mlp = lambda v: (
        F.relu(v @ cbam.mlp[0].weight.T + cbam.mlp[0].bias)
        @ cbam.mlp[2].weight.T
        + cbam.mlp[2].bias
    )
    assert torch.allclose(
        m_c,
        torch.sigmoid(mlp(x.mean(dim=(2, 3))) + mlp(x.amax(dim=(2, 3)))),
        atol=1e-12,
    )
    x1 = x * m_c[:, :, None, None]
    maps = torch.stack(
        [x1.mean(dim=1), x1.amax(dim=1)], dim=1
    )  # pooled over the channels: (N, 2, H, W)
    by_hand = torch.sigmoid(
        F.conv2d(maps, cbam.spatial.weight, cbam.spatial.bias, padding=1)
    )
    assert torch.allclose(m_s, by_hand, atol=1e-12)
    assert torch.allclose(
        cbam(x), x * m_c[:, :, None, None] * m_s, atol=1e-12
    )


def test_gates_depend_on_the_input():
    torch.manual_seed(2)
    se, cbam = SEBlock(8, 2), CBAM(8, 2, 3)
    a, b = rand(1, 8, 4, 4, seed=3), rand(1, 8, 4, 4, seed=4)
    assert not torch.allclose(se.gates(a), se.gates(b))
    assert not torch.allclose(cbam.gates(a)[0], cbam.gates(b)[0])
    assert not torch.allclose(cbam.gates(a)[1], cbam.gates(b)[1])


@pytest.mark.parametrize(
    "make",
    [lambda: SEBlock(8, 2), lambda: CBAM(8, 2, 3)],
    ids=["se", "cbam"],
)
@pytest.mark.parametrize(
    "x,error,match",
    [
        (torch.zeros(2, 8, 4), ValueError, r"shape \(N, C, H, W\)"),
        ([1.0, 2.0], TypeError, "torch tensor"),
        (
            torch.zeros(1, 8, 4, 4, dtype=torch.int64),
            TypeError,
            "floating-point",
        ),
        (
            torch.zeros(1, 6, 4, 4),
            ValueError,
            "x has 6 channels .* built for channels=8",
        ),
    ],
)
def test_gates_reject_bad_input(make, x, error, match):
    with pytest.raises(error, match=match):
        make().gates(x)
