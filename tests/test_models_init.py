"""convlab.models.init: Gaussian initialisers whose draws do not depend on the CPU's vector
instructions (float32 ``nn.init.normal_`` does), with the statistics of their nn.init namesakes."""

import math
import os
import subprocess
import sys

import pytest
import torch
from torch import nn

from convlab.models import init

_DRAW = (
    "import torch, sys; from convlab.models import init; torch.manual_seed(0); "
    "w = init.kaiming_normal_(torch.empty(64, 32, 3, 3), mode='fan_out', nonlinearity='relu'); "
    "sys.stdout.write(w.numpy().tobytes().hex())"
)


def _draw_in_subprocess(capability):
    env = dict(os.environ, ATEN_CPU_CAPABILITY=capability)
    return subprocess.run(
        [sys.executable, "-c", _DRAW],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_same_weights_whatever_the_vector_instructions():
    # ATEN_CPU_CAPABILITY=default makes PyTorch run its scalar kernels, as on a CPU without AVX.
    assert _draw_in_subprocess("default") == _draw_in_subprocess("avx2")


def test_statistics_and_shapes():
    torch.manual_seed(0)
    w = init.kaiming_normal_(
        torch.empty(256, 128, 3, 3), mode="fan_in", nonlinearity="relu"
    )
    assert w.dtype == torch.float32 and w.shape == (256, 128, 3, 3)
    assert abs(
        w.mean().item()
    ) < 0.01 * w.std().item() and w.std().item() == pytest.approx(
        math.sqrt(2 / (128 * 9)), rel=0.01
    )
    w = init.kaiming_normal_(
        torch.empty(256, 128, 3, 3), mode="fan_out", nonlinearity="relu"
    )
    assert w.std().item() == pytest.approx(
        math.sqrt(2 / (256 * 9)), rel=0.01
    )
    v = init.normal_(torch.empty(100_000, dtype=torch.float64), 3.0, 0.5)
    assert v.mean().item() == pytest.approx(
        3.0, abs=0.01
    ) and v.std().item() == pytest.approx(0.5, rel=0.01)
    assert init.normal_(torch.empty(5), 1.0, 0.0).eq(1.0).all()


def test_in_place_on_a_parameter():
    conv = nn.Conv2d(3, 8, 3)
    out = init.normal_(conv.weight, 0.0, 0.01)
    assert out is conv.weight and conv.weight.requires_grad


@pytest.mark.parametrize(
    "call, exc, match",
    [
        (
            lambda: init.normal_(torch.zeros(3, dtype=torch.long)),
            TypeError,
            "floating-point torch.Tensor",
        ),
        (
            lambda: init.normal_([0.0, 1.0]),
            TypeError,
            "floating-point torch.Tensor, got list",
        ),
        (
            lambda: init.normal_(torch.zeros(3), std=-1.0),
            ValueError,
            "std must be non-negative",
        ),
        (
            lambda: init.kaiming_normal_(torch.zeros(3)),
            ValueError,
            "at least 2 dimensions",
        ),
        (
            lambda: init.kaiming_normal_(torch.zeros(3, 3), mode="fan"),
            ValueError,
            "mode must be 'fan_in' or 'fan_out'",
        ),
    ],
)
def test_errors(call, exc, match):
    with pytest.raises(exc, match=match):
        call()
