"""convlab.attention.attention_matrix (chapter 22): the weights A_ij of self-attention over pixels,
and the facts chapter 22 relies on: y = A V, permutation equivariance, the non-local block as
unscaled self-attention, its parameter and multiply-add counts."""

import math

import pytest
import torch

from convlab import attention as A, cost
from convlab.cost import count_macs, count_params
from tensors import rand

pytestmark = pytest.mark.usefixtures(
    "float64_default"
)  # every tensor here is float64


def tokens(x):
    """(N, C, H, W) -> (N, n, C), pixel j = r W + c."""
    return x.flatten(2).transpose(1, 2)


def test_attention_matrix_is_the_softmax_of_the_scaled_logits():
    x, wq, wk = (
        rand(2, 3, 4, 5, seed=1),
        rand(2, 3, seed=2),
        rand(2, 3, seed=3),
    )
    a = A.attention_matrix(x, wq, wk)
    assert a.shape == (2, 20, 20)
    q, k = tokens(x) @ wq.T, tokens(x) @ wk.T
    for b in range(2):
        for i in range(20):
            logits = torch.tensor(
                [q[b, i] @ k[b, j] / math.sqrt(2) for j in range(20)]
            )
            assert torch.allclose(
                a[b, i],
                torch.exp(logits) / torch.exp(logits).sum(),
                atol=1e-14,
            )


def test_rows_are_distributions_and_every_pixel_takes_part():
    a = A.attention_matrix(rand(1, 4, 6, 6, seed=4))
    assert torch.allclose(a.sum(-1), torch.ones(1, 36), atol=1e-14)
    assert (a > 0).all()


def test_self_attention_is_the_attention_matrix_times_the_values():
    x, wq, wk, wv = (
        rand(2, 3, 5, 4, seed=5),
        rand(3, 3, seed=6),
        rand(3, 3, seed=7),
        rand(2, 3, seed=8),
    )
    for kw in ({}, {"scale": 1.0}, {"window": 3}):
        a = A.attention_matrix(x, wq, wk, **kw)
        y = (a @ (tokens(x) @ wv.T)).transpose(1, 2).reshape(2, 2, 5, 4)
        assert torch.allclose(
            A.self_attention(x, wq, wk, wv, **kw), y, atol=1e-12
        )


def test_window_zeroes_the_weights_outside_the_window():
    a = A.attention_matrix(rand(1, 2, 5, 5, seed=9), window=3)
    mask = A.local_window_mask(5, 5, 3)
    assert (a[0][~mask] == 0).all() and (a[0][mask] > 0).all()


def test_large_features_give_finite_weights():
    a = A.attention_matrix(1e4 * rand(1, 3, 4, 4, seed=10))
    assert torch.isfinite(a).all()


def test_permuting_the_pixels_permutes_the_weights_and_the_outputs():
    x = rand(1, 3, 4, 6, seed=11)
    perm = torch.randperm(24, generator=torch.Generator().manual_seed(12))
    xp = x.flatten(2)[..., perm].reshape(x.shape)
    a, ap = A.attention_matrix(x), A.attention_matrix(xp)
    assert torch.allclose(ap, a[:, perm][:, :, perm], atol=1e-14)
    y, yp = A.self_attention(x), A.self_attention(xp)
    assert torch.allclose(
        yp.flatten(2), y.flatten(2)[..., perm], atol=1e-12
    )


def test_non_local_block_is_unscaled_self_attention_plus_the_input():
    torch.manual_seed(0)
    block = A.NonLocalBlock(6, inter_channels=3).double()
    torch.nn.init.normal_(block.w_z.weight)
    x = rand(2, 6, 4, 5, seed=13)
    ones = torch.ones(2, 1, 4, 5)

    def with_bias(
        conv,
    ):  # a 1x1 convolution with bias = a matrix acting on [x; 1]
        return torch.cat(
            [conv.weight[:, :, 0, 0], conv.bias[:, None]], dim=1
        )

    y = A.self_attention(
        torch.cat([x, ones], 1),
        with_bias(block.theta),
        with_bias(block.phi),
        with_bias(block.g),
        scale=1.0,
    )
    with torch.no_grad():
        assert torch.allclose(block(x), x + block.w_z(y), atol=1e-12)
        scaled = A.self_attention(
            torch.cat([x, ones], 1),
            with_bias(block.theta),
            with_bias(block.phi),
            with_bias(block.g),
        )
        assert not torch.allclose(
            block(x), x + block.w_z(scaled), atol=1e-6
        )


@pytest.mark.parametrize("c,inter", [(8, None), (64, 32), (5, 3)])
def test_non_local_block_counts(c, inter):
    block = A.NonLocalBlock(c, inter)
    ci = c // 2 if inter is None else inter
    assert count_params(block) == 4 * c * ci + 3 * ci + c
    h, w = 6, 7
    assert (
        count_macs(block, (c, h, w))
        == cost.attention_macs(h, w, c, d=ci, c_v=ci) + h * w * ci * c
    )


@pytest.mark.parametrize(
    "call,exc,match",
    [
        (
            lambda: A.attention_matrix(torch.zeros(4, 4)),
            ValueError,
            r"shape \(N, C, H, W\)",
        ),
        (
            lambda: A.attention_matrix(torch.zeros(4, 4).numpy()),
            TypeError,
            "torch tensor",
        ),
        (
            lambda: A.attention_matrix(
                torch.zeros(1, 2, 3, 3, dtype=torch.int32)
            ),
            TypeError,
            "floating-point",
        ),
        (
            lambda: A.attention_matrix(torch.zeros(1, 2, 0, 3)),
            ValueError,
            "empty",
        ),
        (
            lambda: A.attention_matrix(
                torch.zeros(1, 2, 3, 3), wq=torch.zeros(4, 3)
            ),
            ValueError,
            "with C = 2",
        ),
        (
            lambda: A.attention_matrix(
                torch.zeros(1, 2, 3, 3),
                wq=torch.zeros(4, 2),
                wk=torch.zeros(3, 2),
            ),
            ValueError,
            "same d",
        ),
        (
            lambda: A.attention_matrix(torch.zeros(1, 2, 3, 3), window=4),
            ValueError,
            "odd",
        ),
        (
            lambda: A.attention_matrix(torch.zeros(1, 2, 3, 3), window=2.0),
            TypeError,
            "odd int",
        ),
    ],
)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
