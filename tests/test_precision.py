"""convlab.precision against torch: formats, underflow counts, the loss scaler, saved tensors."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from torch import nn
from torch.nn import functional as F

from convlab import precision as prec


@pytest.mark.parametrize("dtype", prec.FORMATS)
def test_formats_equal_torch_finfo(dtype):
    f = prec.float_format(dtype)
    fi = torch.finfo(dtype)
    assert f.bits == fi.bits
    assert f.eps == fi.eps
    assert f.smallest_normal == fi.smallest_normal == fi.tiny
    assert f.max == fi.max
    assert math.isclose(
        f.decimal_digits, (f.mantissa_bits + 1) * math.log10(2)
    )


@pytest.mark.parametrize("dtype", prec.FORMATS)
def test_smallest_subnormal_is_the_last_number_before_zero(dtype):
    f = prec.float_format(dtype)
    sub = torch.tensor(f.smallest_subnormal, dtype=torch.float64)
    assert sub.to(dtype).item() == f.smallest_subnormal
    assert (sub / 2).to(dtype).item() == 0.0  # ties to even: to 0
    assert (sub * 0.51).to(dtype).item() == f.smallest_subnormal
    # the next number above 1 is 1 + eps, and 1 + eps / 2 rounds to 1
    one = torch.tensor(1.0, dtype=torch.float64)
    assert (one + f.eps).to(dtype).item() == 1 + f.eps
    assert (one + f.eps / 2).to(dtype).item() == 1.0


def test_float16_numbers_as_numpy_knows_them():
    f = prec.float_format(torch.float16)
    fi = np.finfo(np.float16)
    assert f.smallest_subnormal == float(fi.smallest_subnormal) == 2.0**-24
    assert f.smallest_normal == 2.0**-14 and f.max == 65504.0


def test_underflow_and_overflow_fractions_count_casts():
    g = torch.tensor([1e-8, -1e-8, 1e-3, 0.0, 2.0, float("inf")])
    # zeros and infinities are left out: four entries are counted
    assert prec.underflow_fraction(g, torch.float16) == 0.5
    assert prec.underflow_fraction(g, torch.bfloat16) == 0.0
    assert prec.underflow_fraction(g, torch.float16, scale=2.0**16) == 0.0
    assert prec.overflow_fraction(g, torch.float16) == 0.0
    assert prec.overflow_fraction(g, torch.float16, scale=2.0**16) == 0.25
    # against a direct cast of the scaled values
    rng = np.random.default_rng(0)
    v = 10.0 ** rng.uniform(-12, 0, 1000)
    for scale in (1.0, 2.0**8, 2.0**20):
        direct = (torch.tensor(v * scale).to(torch.float16) == 0).double()
        assert (
            prec.underflow_fraction(v, torch.float16, scale)
            == direct.mean().item()
        )


@pytest.mark.parametrize(
    "call, error, words",
    [
        (
            lambda: prec.float_format(torch.int32),
            ValueError,
            "dtype must be one of",
        ),
        (
            lambda: prec.underflow_fraction("abc", torch.float16),
            TypeError,
            "numbers",
        ),
        (
            lambda: prec.underflow_fraction([0.0, 0.0], torch.float16),
            ValueError,
            "non-zero",
        ),
        (
            lambda: prec.underflow_fraction([1.0], torch.float16, 0),
            ValueError,
            "positive",
        ),
        (
            lambda: prec.overflow_fraction([1.0], torch.float16, "2"),
            TypeError,
            "scale",
        ),
        (
            lambda: prec.DynamicLossScaler(growth_factor=0.5),
            ValueError,
            "greater than 1",
        ),
        (
            lambda: prec.DynamicLossScaler(backoff_factor=2),
            ValueError,
            "less than 1",
        ),
        (
            lambda: prec.DynamicLossScaler(growth_interval=0),
            ValueError,
            "growth_interval",
        ),
        (
            lambda: prec.DynamicLossScaler().update("yes"),
            TypeError,
            "found_inf",
        ),
        (
            lambda: prec.DynamicLossScaler().step("sgd"),
            TypeError,
            "optimizer",
        ),
        (lambda: prec.saved_tensors(3), TypeError, "function"),
    ],
)
def test_bad_arguments_are_explained(call, error, words):
    with pytest.raises(error, match=words):
        call()


def _drive(scaler_kind, inf_at, steps, growth_interval, init=2.0**10):
    torch.manual_seed(0)
    w = nn.Parameter(torch.randn(3))
    opt = torch.optim.SGD([w], lr=0.1)
    if scaler_kind == "torch":
        scaler = torch.amp.GradScaler(
            "cpu", init_scale=init, growth_interval=growth_interval
        )
    else:
        scaler = prec.DynamicLossScaler(
            init, growth_interval=growth_interval
        )
    scales, weights = [], []
    for t in range(steps):
        opt.zero_grad()
        loss = (w**2).sum()
        if scaler_kind == "torch":
            scales.append(scaler.get_scale())
            scaler.scale(loss).backward()
        else:
            scales.append(scaler.scale)
            scaler.scale_loss(loss).backward()
        if t in inf_at:
            w.grad[1] = float("nan") if t % 2 else float("inf")
        scaler.step(opt)
        if scaler_kind == "torch":
            scaler.update()
        weights.append(w.detach().clone())
    return scales, weights


@pytest.mark.parametrize("growth_interval", [1, 2, 5])
@pytest.mark.parametrize(
    "inf_at", [set(), {0}, {2, 3, 4}, {1, 6, 7, 12, 13, 14, 20}]
)
def test_scaler_follows_gradscaler_step_by_step(growth_interval, inf_at):
    ours, w_ours = _drive("ours", inf_at, 24, growth_interval)
    theirs, w_theirs = _drive("torch", inf_at, 24, growth_interval)
    assert ours == theirs
    for a, b in zip(w_ours, w_theirs):
        assert torch.allclose(a, b, rtol=1e-6, atol=0)


def test_scaler_skips_exactly_the_bad_steps_and_unscales():
    scaler = prec.DynamicLossScaler(8.0, growth_interval=2)
    w = nn.Parameter(torch.tensor([1.0]))
    opt = torch.optim.SGD([w], lr=0.5)
    w.grad = torch.tensor([8.0 * 0.25])  # scaled gradient of a true 0.25
    assert scaler.step(opt) is True
    assert w.item() == 1.0 - 0.5 * 0.25
    w.grad = torch.tensor([float("inf")])
    assert scaler.step(opt) is False
    assert w.item() == 1.0 - 0.5 * 0.25
    assert (
        scaler.history == [8.0, 8.0]
        and scaler.scale == 4.0
        and scaler.skipped == 1
    )


def test_saved_tensors_halve_under_bf16_autocast():
    torch.manual_seed(0)
    model = nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1),
        nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64, 3),
    )
    x = torch.randn(8, 1, 4, 4)
    y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1])
    loss32, kept32 = prec.saved_tensors(
        lambda: F.cross_entropy(model(x), y)
    )
    with torch.autocast("cpu", dtype=torch.bfloat16):
        loss16, kept16 = prec.saved_tensors(
            lambda: F.cross_entropy(model(x), y)
        )
    assert loss32.dtype == loss16.dtype == torch.float32
    assert torch.bfloat16 not in kept32.nbytes
    assert kept16.nbytes[torch.bfloat16] > 0
    # the relu output is saved by relu's backward and the linear's: counted once
    relu_out = 8 * 4 * 16
    assert kept32.nbytes[torch.float32] >= 4 * relu_out
    f32 = kept32.nbytes[torch.float32]
    f16 = kept16.nbytes[torch.bfloat16] + kept16.nbytes.get(
        torch.float32, 0
    )
    assert 0.4 < f16 / f32 < 0.6
    assert kept32.total_count == sum(kept32.count.values())
    # a function that saves nothing
    _, none = prec.saved_tensors(lambda: torch.ones(3) + 1)
    assert none.total_bytes == 0 and none.total_count == 0
