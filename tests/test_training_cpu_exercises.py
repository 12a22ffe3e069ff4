"""Chapter 26's exercises (convlab.exercises.training_well_on_a_cpu): the reference answers agree
with torch computed independently, and what a learner types gets the right message."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch.nn import functional as F

from convlab.exercises import check, parse_answer
from convlab.exercises import training_well_on_a_cpu as ex


def test_references_agree_with_torch():
    assert ex.F16_LIMITS == [
        torch.finfo(torch.float16).smallest_normal,
        float(np.finfo(np.float16).smallest_subnormal),
    ]
    cast = torch.tensor(ex.S2 * ex.G2).to(torch.float16)
    assert ex.SHARE2 == (cast == 0).double().mean().item()
    assert 0 < ex.SHARE2 < ex.SHARE2_UNSCALED < 1
    assert np.allclose(
        ex.SOFT3, torch.softmax(torch.tensor(ex.LOGITS3) / ex.T3, 0).numpy()
    )
    z, v = torch.tensor(ex.Z4[None]), torch.tensor(ex.V4[None])
    t, a = ex.T4, ex.ALPHA4
    kl = F.kl_div(
        F.log_softmax(z / t, 1), F.softmax(v / t, 1), reduction="batchmean"
    )
    ce = F.cross_entropy(z, torch.tensor([ex.Y4]))
    assert abs(ex.KD4 - (a * t * t * kl + (1 - a) * ce).item()) < 1e-12


def test_planted_answers_are_far_from_the_references():
    """Every diagnosed mistake is outside the checker's tolerance."""
    for wrong in (
        ex.F16_SWAPPED,
        ex.F16_NO_ONE,
        ex.F16_EPS,
        ex.BF16_LIMITS,
    ):
        assert not np.allclose(wrong, ex.F16_LIMITS, rtol=1e-2, atol=0)
    for wrong in (ex.SOFT3_T1, ex.SOFT3_TIMES, ex.SOFT3_NO_EXP):
        assert not np.allclose(wrong, ex.SOFT3, rtol=1e-2, atol=1e-2)
    shares = [
        ex.SHARE2,
        ex.SHARE2_UNSCALED,
        ex.SHARE2_BELOW_SUB,
        ex.SHARE2_BELOW_NORMAL,
    ]
    assert len(set(shares)) == 4
    kds = [
        ex.KD4,
        ex.KD4_NO_T2,
        ex.KD4_REVERSED,
        ex.KD4_SOFT_CE,
        ex.KD4_HARD_ONLY,
    ]
    assert (
        min(abs(a - b) for i, a in enumerate(kds) for b in kds[i + 1 :])
        > 1e-3
    )


@pytest.mark.parametrize(
    "typed, ok, fragment",
    [
        ("[6.10e-5, 5.96e-8]", True, "Correct"),
        ("[6.1035e-05, 5.9605e-08]", True, "Correct"),
        ("[5.96e-8, 6.10e-5]", False, "swapped"),
        ("[3.05e-5, 2.98e-8]", False, "1 - b"),
        ("6.1e-5", False, "two numbers"),
        ("[6.1e-5, 0]", False, "Not yet"),
    ],
)
def test_f16_limits_typed_in_the_box(typed, ok, fragment):
    value, problem = parse_answer(typed, "array")
    assert problem is None
    verdict = check("tcpu-f16-limits", value)
    assert verdict.ok is ok and fragment in str(verdict), str(verdict)


def test_underflow_share_messages():
    assert check("tcpu-underflow-share", ex.COUNT2 / 400).ok
    verdict = check("tcpu-underflow-share", ex.COUNT2)
    assert not verdict.ok
    unscaled = check("tcpu-underflow-share", ex.SHARE2_UNSCALED)
    assert "scale" in str(unscaled) and not unscaled.ok
    subnormal = check("tcpu-underflow-share", ex.SHARE2_BELOW_NORMAL)
    assert "subnormal" in str(subnormal)


def test_soften_and_kd_loss_messages():
    rounded = [round(p, 4) for p in ex.SOFT3]
    assert check("tcpu-soften", rounded).ok
    assert "T = 1" in str(check("tcpu-soften", ex.SOFT3_T1))
    assert not check("tcpu-soften", list(ex.SOFT3) + [0.0]).ok
    assert check("tcpu-kd-loss", round(ex.KD4, 5)).ok
    assert "T^2" in str(check("tcpu-kd-loss", ex.KD4_NO_T2))
    assert "wrong way round" in str(check("tcpu-kd-loss", ex.KD4_REVERSED))
    assert not check("tcpu-kd-loss", float("nan")).ok
