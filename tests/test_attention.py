"""The six operators of convlab.attention: definitions, special cases, equivariance, windows,
stability; the SE, CBAM and non-local modules."""

import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import given, settings, strategies as st

from convlab import attention as A, cost
from tensors import rand

pytestmark = pytest.mark.usefixtures(
    "float64_default"
)  # every tensor here is float64


def naive_attention(x, bias=None, window=None, post=False):
    """Loop over pixels, straight from the formulas (identity projections, scale 1/sqrt(C))."""
    n_img, c, h, w = x.shape
    out = torch.zeros_like(x)
    for b in range(n_img):
        for ri in range(h):
            for ci in range(w):
                logits, vals, statics = [], [], []
                for rj in range(h):
                    for cj in range(w):
                        if window is not None and (
                            abs(ri - rj) > window // 2
                            or abs(ci - cj) > window // 2
                        ):
                            continue
                        l = x[b, :, ri, ci] @ x[b, :, rj, cj] / math.sqrt(c)
                        s = (
                            0.0
                            if bias is None
                            else bias[h - 1 + ri - rj, w - 1 + ci - cj]
                        )
                        logits.append(l if post else l + s)
                        statics.append(s)
                        vals.append(x[b, :, rj, cj])
                p = torch.softmax(torch.stack(logits), 0)
                if post:
                    p = p + torch.stack(
                        [torch.as_tensor(s) for s in statics]
                    )
                out[b, :, ri, ci] = sum(pi * v for pi, v in zip(p, vals))
    return out


# ------------------------------------------------------------------ definitions against loops
def test_self_attention_matches_the_formula():
    x = rand(2, 3, 3, 4)
    assert torch.allclose(
        A.self_attention(x), naive_attention(x), atol=1e-12
    )


def test_local_self_attention_matches_the_formula():
    x = rand(1, 2, 5, 4, seed=1)
    assert torch.allclose(
        A.self_attention(x, window=3),
        naive_attention(x, window=3),
        atol=1e-12,
    )


def test_pre_and_post_norm_match_the_formulas():
    x, table = rand(1, 3, 3, 3, seed=2), rand(5, 5, seed=3)
    assert torch.allclose(
        A.pre_norm_attention(x, table),
        naive_attention(x, bias=table),
        atol=1e-12,
    )
    assert torch.allclose(
        A.post_norm_attention(x, table),
        naive_attention(x, bias=table, post=True),
        atol=1e-12,
    )


def test_attention_modulated_conv_matches_the_formula():
    x, w = rand(1, 2, 4, 5, seed=4), rand(2, 3, 3, seed=5)
    y = A.attention_modulated_conv(x, w)
    _, c, h, wd = x.shape
    for ri in range(h):
        for ci in range(wd):
            nbrs = [
                (rj, cj)
                for rj in range(h)
                for cj in range(wd)
                if abs(ri - rj) <= 1 and abs(ci - cj) <= 1
            ]
            logits = torch.stack(
                [
                    x[0, :, ri, ci] @ x[0, :, rj, cj] / math.sqrt(c)
                    for rj, cj in nbrs
                ]
            )
            a = torch.softmax(logits, 0)
            expected = sum(
                a[m] * w[:, 1 + ri - rj, 1 + ci - cj] * x[0, :, rj, cj]
                for m, (rj, cj) in enumerate(nbrs)
            )
            assert torch.allclose(y[0, :, ri, ci], expected, atol=1e-12)


@settings(max_examples=30, deadline=None)
@given(
    c=st.integers(1, 4),
    h=st.integers(1, 7),
    w=st.integers(1, 7),
    half=st.integers(0, 3),
)
def test_depthwise_conv_is_a_true_convolution(c, h, w, half):
    k = 2 * half + 1
    x, kern = rand(2, c, h, w, seed=h * 10 + w), rand(c, k, k, seed=c)
    y = A.depthwise_conv(x, kern)
    # y_i = sum_j w[i - j] x_j written with explicit offsets
    xp = F.pad(x, (half, half, half, half))
    expected = torch.zeros_like(x)
    for dr in range(-half, half + 1):
        for dc in range(-half, half + 1):  # j = i - (dr, dc)
            expected += (
                kern[None, :, half + dr, half + dc, None, None]
                * xp[
                    :,
                    :,
                    half - dr : half - dr + h,
                    half - dc : half - dc + w,
                ]
            )
    assert torch.allclose(y, expected, atol=1e-12)


def test_conv_modulated_attention_formula():
    x, w, wv = (
        rand(2, 3, 4, 4, seed=6),
        rand(3, 3, 3, seed=7),
        rand(3, 3, seed=8),
    )
    z = A.depthwise_conv(x, w)
    v = torch.einsum("dc,nchw->ndhw", wv, x)
    assert torch.allclose(
        A.conv_modulated_attention(x, w, wv),
        torch.softmax(z, 1) * v,
        atol=1e-12,
    )


# ------------------------------------------------------------------ the relative kernel
@settings(max_examples=30, deadline=None)
@given(
    h=st.integers(1, 6),
    w=st.integers(1, 6),
    tr=st.integers(0, 5),
    tc=st.integers(0, 5),
)
def test_relative_bias_depends_only_on_the_offset(h, w, tr, tc):
    table = rand(2 * h - 1, 2 * w - 1, seed=h + 7 * w)
    bias = A.relative_bias(table, h, w)
    idx = lambda r, c: r * w + c
    for ri in range(h - tr):
        for ci in range(w - tc):
            for rj in range(h - tr):
                for cj in range(w - tc):
                    assert (
                        bias[idx(ri, ci), idx(rj, cj)]
                        == bias[
                            idx(ri + tr, ci + tc), idx(rj + tr, cj + tc)
                        ]
                    )
                    assert (
                        bias[idx(ri, ci), idx(rj, cj)]
                        == table[h - 1 + ri - rj, w - 1 + ci - cj]
                    )


def test_local_window_really_is_the_window():
    mask = A.local_window_mask(5, 6, 3)
    assert mask.shape == (30, 30)
    assert (
        mask[0].sum() == 4 and mask[7].sum() == 9
    )  # corner pixel: 2x2 of its window exists; interior: 3x3
    r, c = divmod(14, 6)
    assert {
        divmod(j, 6) for j in torch.nonzero(mask[14]).flatten().tolist()
    } == {(r + a, c + b) for a in (-1, 0, 1) for b in (-1, 0, 1)}


# ------------------------------------------------------------------ receptive fields by gradients
def receptive_set(op, x, i):
    x = x.clone().requires_grad_(True)
    op(x)[0, :, i[0], i[1]].sum().backward()
    return {
        tuple(p) for p in torch.nonzero(x.grad[0].abs().sum(0) > 0).tolist()
    }


def test_local_operators_see_only_their_window_and_global_ones_everything():
    x, w3, table = (
        rand(1, 2, 7, 7, seed=9) + 3,
        rand(2, 3, 3, seed=10).abs() + 0.1,
        rand(13, 13, seed=11),
    )
    window = {(r, c) for r in (2, 3, 4) for c in (2, 3, 4)}
    everything = {(r, c) for r in range(7) for c in range(7)}
    assert (
        receptive_set(lambda t: A.depthwise_conv(t, w3), x, (3, 3))
        == window
    )
    assert (
        receptive_set(lambda t: A.self_attention(t, window=3), x, (3, 3))
        == window
    )
    assert (
        receptive_set(
            lambda t: A.attention_modulated_conv(t, w3), x, (3, 3)
        )
        == window
    )
    assert (
        receptive_set(
            lambda t: A.conv_modulated_attention(t, w3), x, (3, 3)
        )
        == window
    )
    assert receptive_set(A.self_attention, x, (3, 3)) == everything
    assert (
        receptive_set(lambda t: A.pre_norm_attention(t, table), x, (3, 3))
        == everything
    )
    assert (
        receptive_set(lambda t: A.post_norm_attention(t, table), x, (3, 3))
        == everything
    )


# ------------------------------------------------------------------ translation equivariance
def shifted(x, dr, dc):
    return torch.roll(x, (dr, dc), dims=(2, 3))


def content_in_the_middle(seed):
    x = torch.zeros(1, 2, 10, 10)
    x[:, :, 3:6, 3:6] = rand(1, 2, 3, 3, seed=seed)
    return x


@pytest.mark.parametrize(
    "name",
    [
        "depthwise",
        "self",
        "post",
        "local_self",
        "att_mod_conv",
        "conv_mod_att",
    ],
)
def test_shifting_the_input_shifts_the_output(name):
    x = content_in_the_middle(12)
    w3, table = rand(2, 3, 3, seed=13), rand(19, 19, seed=14)
    op = {
        "depthwise": lambda t: A.depthwise_conv(t, w3),
        "self": A.self_attention,
        "post": lambda t: A.post_norm_attention(t, table),
        "local_self": lambda t: A.self_attention(t, window=3),
        "att_mod_conv": lambda t: A.attention_modulated_conv(t, w3),
        "conv_mod_att": lambda t: A.conv_modulated_attention(t, w3),
    }[name]
    # compare where no output wrapped around: y(shift(x))[i + t] == y(x)[i]
    assert torch.allclose(
        op(shifted(x, 2, 1))[..., 2:, 1:], op(x)[..., :-2, :-1], atol=1e-12
    )


def test_pre_norm_is_equivariant_only_up_to_the_border():
    """Zero pixels take part in the softmax with logit w[i - j]; how many such pixels lie at each
    offset from i depends on where i is in the image, so the output is not exactly shifted."""
    x, table = content_in_the_middle(15), rand(19, 19, seed=16)
    err = (
        A.pre_norm_attention(shifted(x, 2, 1), table)[..., 2:, 1:]
        - A.pre_norm_attention(x, table)[..., :-2, :-1]
    )
    assert err.abs().max() > 1e-6
    table_local = torch.full((19, 19), -torch.inf)
    table_local[8:11, 8:11] = rand(
        3, 3, seed=17
    )  # a static kernel confined to a 3x3 window
    y1 = A.pre_norm_attention(
        shifted(x, 2, 1), table_local, wq=torch.zeros(2, 2)
    )
    y2 = shifted(
        A.pre_norm_attention(x, table_local, wq=torch.zeros(2, 2)), 2, 1
    )
    assert torch.allclose(
        y1[..., 1:-1, 1:-1], y2[..., 1:-1, 1:-1], atol=1e-12
    )


def test_depthwise_conv_is_not_input_adaptive_but_attention_is():
    x1, x2, w3 = (
        rand(1, 2, 5, 5, seed=18),
        rand(1, 2, 5, 5, seed=19),
        rand(2, 3, 3, seed=20),
    )
    # linear in x: the weights do not depend on the input
    assert torch.allclose(
        A.depthwise_conv(x1 + x2, w3),
        A.depthwise_conv(x1, w3) + A.depthwise_conv(x2, w3),
    )
    assert not torch.allclose(
        A.self_attention(x1 + x2),
        A.self_attention(x1) + A.self_attention(x2),
    )


# ------------------------------------------------------------------ special cases that connect them
def test_pre_norm_with_zero_content_logits_is_a_normalised_static_kernel():
    h = w = 6
    x, table = (
        rand(1, 3, h, w, seed=21),
        rand(2 * h - 1, 2 * w - 1, seed=22),
    )
    y = A.pre_norm_attention(x, table, wq=torch.zeros(3, 3))
    weights = torch.softmax(A.relative_bias(table, h, w), dim=-1)
    assert torch.allclose(
        y,
        (weights @ x.flatten(2).transpose(1, 2))
        .transpose(1, 2)
        .reshape(1, 3, h, w),
        atol=1e-12,
    )


def test_local_attention_with_zero_queries_is_a_box_filter_in_the_interior():
    x = rand(1, 2, 7, 7, seed=23)
    y = A.self_attention(x, wq=torch.zeros(2, 2), window=3)
    box = A.depthwise_conv(x, torch.full((2, 3, 3), 1 / 9))
    assert torch.allclose(
        y[..., 1:-1, 1:-1], box[..., 1:-1, 1:-1], atol=1e-12
    )
    assert not torch.allclose(
        y[..., 0, 0], box[..., 0, 0]
    )  # at a corner the window holds 4 pixels, not 9


def test_attention_modulated_conv_with_constant_logits_is_the_conv_divided_by_the_window():
    x, w3 = rand(1, 2, 6, 6, seed=24), rand(2, 3, 3, seed=25)
    y = A.attention_modulated_conv(x, w3, wq=torch.zeros(2, 2))
    assert torch.allclose(
        y[..., 1:-1, 1:-1],
        A.depthwise_conv(x, w3)[..., 1:-1, 1:-1] / 9,
        atol=1e-12,
    )


def test_post_norm_with_zero_table_is_self_attention():
    x = rand(1, 2, 4, 4, seed=26)
    assert torch.allclose(
        A.post_norm_attention(x, torch.zeros(7, 7)),
        A.self_attention(x),
        atol=1e-12,
    )


def test_conv_modulated_attention_with_zero_kernel_averages_the_channels():
    x = rand(1, 4, 3, 3, seed=27)
    assert torch.allclose(
        A.conv_modulated_attention(x, torch.zeros(4, 3, 3)),
        x / 4,
        atol=1e-12,
    )


# ------------------------------------------------------------------ stability
@pytest.mark.parametrize("magnitude", [1e2, 1e4, 1e8])
def test_large_inputs_give_no_nan_or_inf(magnitude):
    x, w3, table = (
        rand(1, 3, 5, 5, seed=28) * magnitude,
        rand(3, 3, 3, seed=29),
        rand(9, 9, seed=30) * magnitude,
    )
    for y in (
        A.self_attention(x),
        A.self_attention(x, window=3),
        A.pre_norm_attention(x, table),
        A.post_norm_attention(x, table),
        A.attention_modulated_conv(x, w3),
        A.conv_modulated_attention(x, w3 * magnitude),
    ):
        assert torch.isfinite(y).all()


def test_stable_softmax_equals_torch_and_handles_huge_logits():
    logits = rand(4, 9, seed=31)
    assert torch.allclose(
        A.stable_softmax(logits), torch.softmax(logits, -1), atol=1e-15
    )
    huge = torch.tensor([[1000.0, 999.0, -1000.0]])
    assert torch.isfinite(A.stable_softmax(huge)).all()
    naive = torch.exp(huge) / torch.exp(huge).sum()
    assert torch.isnan(
        naive
    ).any()  # the unshifted formula overflows: inf / inf


# ------------------------------------------------------------------ cost
def test_attention_macs_grow_with_the_square_of_the_pixels():
    small, big = (
        cost.attention_macs(8, 8, 16),
        cost.attention_macs(16, 16, 16),
    )
    n = 64
    assert small == n * 16 * 48 + 2 * n * n * 16
    quad = lambda h: 2 * (h * h) ** 2 * 16
    assert big - small == (16 * 16 * 16 * 48 - n * 16 * 48) + quad(
        16
    ) - quad(8)


# ------------------------------------------------------------------ modules
def test_se_block_parameters_and_gating():
    se = SE = A.SEBlock(32, reduction=8)
    assert sum(p.numel() for p in SE.parameters()) == 2 * 32 * 4 + 4 + 32
    x = rand(2, 32, 5, 5, seed=32)
    y = se(x)
    ratio = y / x
    assert torch.allclose(
        ratio, ratio[:, :, :1, :1].expand_as(ratio)
    )  # one gate per channel
    assert ((ratio > 0) & (ratio < 1)).all()


def test_cbam_parameters_and_shape():
    cbam = A.CBAM(32, reduction=8, kernel_size=7)
    assert sum(p.numel() for p in cbam.parameters()) == (
        32 * 4 + 4 + 4 * 32 + 32
    ) + (2 * 49 + 1)
    assert cbam(rand(2, 32, 6, 6, seed=33)).shape == (2, 32, 6, 6)


def test_non_local_block_starts_as_identity_and_sees_everything():
    torch.manual_seed(0)
    block = A.NonLocalBlock(8)
    x = rand(1, 8, 5, 5, seed=34)
    assert torch.equal(block(x), x)
    torch.nn.init.normal_(block.w_z.weight)
    assert receptive_set(block, x, (0, 0)) == {
        (r, c) for r in range(5) for c in range(5)
    }


# ------------------------------------------------------------------ errors a learner meets
@pytest.mark.parametrize(
    "call,exc,match",
    [
        (
            lambda: A.self_attention(torch.zeros(3, 4, 4)),
            ValueError,
            r"shape \(N, C, H, W\)",
        ),
        (lambda: A.self_attention([[1.0]]), TypeError, "torch tensor"),
        (
            lambda: A.self_attention(
                torch.zeros(1, 2, 3, 3, dtype=torch.int64)
            ),
            TypeError,
            "floating-point",
        ),
        (
            lambda: A.self_attention(torch.zeros(1, 2, 3, 3), window=2),
            ValueError,
            "odd",
        ),
        (
            lambda: A.self_attention(
                torch.zeros(1, 2, 3, 3), wq=torch.zeros(4, 3)
            ),
            ValueError,
            r"shape \(d, C\) with C = 2",
        ),
        (
            lambda: A.self_attention(
                torch.zeros(1, 2, 3, 3),
                wq=torch.zeros(4, 2),
                wk=torch.zeros(3, 2),
            ),
            ValueError,
            "same d",
        ),
        (
            lambda: A.depthwise_conv(
                torch.zeros(1, 2, 3, 3), torch.zeros(3, 3, 3)
            ),
            ValueError,
            "one per channel",
        ),
        (
            lambda: A.depthwise_conv(
                torch.zeros(1, 2, 3, 3), torch.zeros(2, 4, 4)
            ),
            ValueError,
            "odd",
        ),
        (
            lambda: A.depthwise_conv(
                torch.zeros(1, 2, 3, 3), torch.zeros(2, 3, 2)
            ),
            ValueError,
            r"\(C, k, k\)",
        ),
        (
            lambda: A.pre_norm_attention(
                torch.zeros(1, 2, 3, 4), torch.zeros(5, 5)
            ),
            ValueError,
            r"\(5, 7\)",
        ),
        (
            lambda: A.post_norm_attention(torch.zeros(1, 2, 3, 4), "table"),
            TypeError,
            "relative table",
        ),
        (
            lambda: A.conv_modulated_attention(
                torch.zeros(1, 2, 3, 3),
                torch.zeros(2, 3, 3),
                torch.zeros(3, 2),
            ),
            ValueError,
            r"\(C, C\)",
        ),
        (lambda: A.SEBlock(8, reduction=16), ValueError, "at least 1"),
        (lambda: A.CBAM(8, reduction=2, kernel_size=4), ValueError, "odd"),
        (
            lambda: A.NonLocalBlock(8, inter_channels=0),
            ValueError,
            "inter_channels",
        ),
        (
            lambda: A.stable_softmax(
                torch.zeros(2, 2),
                mask=torch.tensor([[True, False], [False, False]]),
            ),
            ValueError,
            "empty",
        ),
    ],
)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
