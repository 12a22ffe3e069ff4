"""attention_modulated_conv computes only the k x k logits of each window; it must equal
the dense formula, with its n x n logits masked to the window (the definition)."""

import pytest
import torch
from convlab import attention as att


def dense_attention_modulated_conv(x, w, wq=None, wk=None, scale=None):
    """The definition written with n x n matrices (quadratic in n)."""
    n_img, c, h, w_ = x.shape
    k = w.shape[-1]
    mask = att.local_window_mask(h, w_, k)
    logits = att._content_logits(x, wq, wk, scale, "dense")
    a = att.stable_softmax(logits, dim=-1, mask=mask)  # (N, n, n)
    r = torch.arange(h).repeat_interleave(w_)
    col = torch.arange(w_).repeat(h)
    dr = (r[:, None] - r[None, :]).clamp(-(k // 2), k // 2) + k // 2
    dc = (col[:, None] - col[None, :]).clamp(-(k // 2), k // 2) + k // 2
    kernel = w.to(x.dtype)[:, dr, dc] * mask  # (C, n, n): w[c, i - j]
    t = x.flatten(2).transpose(1, 2)
    y = torch.einsum("bij,cij,bjc->bic", a, kernel, t)
    return y.transpose(1, 2).reshape(n_img, c, h, w_)


@pytest.mark.parametrize(
    "n_img, c, h, w, k, d",
    [
        (2, 3, 5, 6, 3, None),
        (1, 4, 7, 4, 5, 2),
        (1, 2, 3, 3, 7, 5),
        (1, 1, 1, 4, 3, None),
        (3, 2, 6, 6, 1, 3),
    ],
)
def test_windowed_equals_dense(n_img, c, h, w, k, d):
    g = torch.Generator().manual_seed(h * 100 + w * 10 + k)
    x = torch.randn(n_img, c, h, w, generator=g, dtype=torch.float64)
    kern = torch.randn(c, k, k, generator=g, dtype=torch.float64)
    wq = wk = None
    if d is not None:
        wq = torch.randn(d, c, generator=g, dtype=torch.float64)
        wk = torch.randn(d, c, generator=g, dtype=torch.float64)
    y = att.attention_modulated_conv(x, kern, wq, wk)
    ref = dense_attention_modulated_conv(x, kern, wq, wk)
    assert y.shape == (n_img, c, h, w)
    assert torch.allclose(y, ref, atol=1e-12)


def test_windowed_memory_is_linear():
    # a 96 x 96 image has n = 9216 pixels: the dense n x n logits would take
    # 9216^2 * 8 bytes = 680 MB in float64; the windowed form needs n * 9
    x = torch.randn(1, 2, 96, 96, dtype=torch.float64)
    y = att.attention_modulated_conv(
        x, torch.randn(2, 3, 3, dtype=torch.float64)
    )
    assert y.shape == x.shape and torch.isfinite(y).all()


def test_constant_logits_give_a_window_average():
    # zero queries: A = 1/|L(i)|, so with w = 1 the output is the window mean
    x = torch.randn(1, 1, 5, 5, dtype=torch.float64)
    zero = torch.zeros(1, 1, dtype=torch.float64)
    y = att.attention_modulated_conv(x, torch.ones(1, 3, 3), zero, zero)
    mean = torch.nn.functional.avg_pool2d(
        x, 3, stride=1, padding=1, count_include_pad=False
    )
    assert torch.allclose(y, mean, atol=1e-12)
