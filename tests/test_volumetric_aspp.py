"""3-D convolution against torch's conv3d; ASPP against composed conv2d;
DCNv2's modulation mask in deform_conv2d."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings
from hypothesis import strategies as st

from convlab.cost import count_params
from convlab.deformable import deform_conv2d
from convlab.models.aspp import ASPP
from convlab.volumetric import conv3d, conv3d_parameter_count
from tolerances import THROUGH_TRANSFORM


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(1, 2),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    size=st.tuples(*[st.integers(3, 7)] * 3),
    k=st.tuples(*[st.integers(1, 3)] * 3),
    s=st.tuples(*[st.integers(1, 2)] * 3),
    p=st.tuples(*[st.integers(0, 1)] * 3),
    d=st.tuples(*[st.integers(1, 2)] * 3),
    seed=st.integers(0, 10**6),
)
def test_conv3d_equals_torch(n, c_in, c_out, size, k, s, p, d, seed):
    if any(
        z + 2 * pp < dd * (kk - 1) + 1
        for z, kk, pp, dd in zip(size, k, p, d)
    ):
        return  # no output for this setting
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, c_in, *size))
    w = rng.normal(size=(c_out, c_in, *k))
    b = rng.normal(size=c_out)
    ours = conv3d(x, w, b, s, p, d)
    ref = F.conv3d(
        *(torch.tensor(a) for a in (x, w, b)),
        stride=s,
        padding=p,
        dilation=d,
    ).numpy()
    np.testing.assert_allclose(ours, ref, **THROUGH_TRANSFORM)


def test_conv3d_parameter_count_equals_torch():
    layer = torch.nn.Conv3d(16, 32, (3, 5, 5))
    assert conv3d_parameter_count(16, 32, (3, 5, 5)) == count_params(layer)


def test_conv3d_bad_input():
    with pytest.raises(ValueError, match="channels"):
        conv3d(np.zeros((1, 2, 4, 4, 4)), np.zeros((1, 3, 3, 3, 3)))
    with pytest.raises(ValueError, match="no output"):
        conv3d(np.zeros((1, 1, 2, 4, 4)), np.zeros((1, 1, 3, 3, 3)))
    with pytest.raises(ValueError, match="three ints"):
        conv3d(
            np.zeros((1, 1, 4, 4, 4)),
            np.zeros((1, 1, 3, 3, 3)),
            stride=(1, 2),
        )


def _conv_bn_relu(branch, z):
    conv, bn = branch[0], branch[1]
    z = F.conv2d(
        z, conv.weight, None, padding=conv.padding, dilation=conv.dilation
    )
    return F.relu(
        F.batch_norm(
            z,
            bn.running_mean,
            bn.running_var,
            bn.weight,
            bn.bias,
            False,
            0,
            bn.eps,
        )
    )


def test_aspp_equals_its_branches_composed_from_conv2d():
    torch.manual_seed(0)
    aspp = ASPP(6, 4, rates=(1, 2, 3)).double()
    for m in aspp.modules():
        if isinstance(m, torch.nn.BatchNorm2d):  # non-trivial statistics
            m.running_mean.uniform_(-1, 1)
            m.running_var.uniform_(0.5, 2)
    aspp.eval()
    x = torch.randn(2, 6, 9, 7, dtype=torch.float64)
    outs = [_conv_bn_relu(b, x) for b in aspp.branches]
    pooled = _conv_bn_relu(aspp.pool[1], x.mean(dim=(2, 3), keepdim=True))
    ref = _conv_bn_relu(
        aspp.project, torch.cat(outs + [pooled.expand(-1, -1, 9, 7)], 1)
    )
    with torch.no_grad():
        assert torch.allclose(aspp(x), ref, atol=1e-12)
    assert aspp(x).shape == (2, 4, 9, 7)


def test_aspp_deeplab_v3_parameter_count():
    # 1x1 + three 3x3 + pooling 1x1 + projection of 5 x 256 channels + 6 BNs
    expected = (
        2 * 2048 * 256 + 3 * 2048 * 256 * 9 + 5 * 256 * 256 + 6 * 2 * 256
    )
    assert count_params(ASPP(2048, 256)) == expected == 15_535_104


def test_aspp_bad_rates():
    with pytest.raises(ValueError, match="rates"):
        ASPP(4, 4, rates=())


def test_deform_mask_of_ones_is_v1_and_scales_each_tap_and_position():
    rng = np.random.default_rng(1)
    x = torch.tensor(rng.normal(size=(1, 2, 6, 6)))
    w = torch.tensor(rng.normal(size=(3, 2, 3, 3)))
    offset = torch.tensor(rng.normal(size=(1, 18, 4, 4)))
    v1 = deform_conv2d(x, offset, w)
    assert torch.allclose(
        deform_conv2d(x, offset, w, mask=torch.ones(1, 9, 4, 4)), v1
    )
    # zero offsets, mask zero for tap 4 (the centre) at every position:
    # the same as an ordinary convolution without its centre weight
    mask = torch.ones(1, 9, 4, 4, dtype=torch.float64)
    mask[:, 4] = 0
    w0 = w.clone()
    w0[:, :, 1, 1] = 0
    zero = torch.zeros(1, 18, 4, 4, dtype=torch.float64)
    assert torch.allclose(
        deform_conv2d(x, zero, w, mask=mask), F.conv2d(x, w0)
    )
    with pytest.raises(ValueError, match="mask must have shape"):
        deform_conv2d(x, offset, w, mask=torch.ones(1, 9, 3, 3))
