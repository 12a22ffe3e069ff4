"""convlab.distillation against PyTorch's F.kl_div, and fit_distilled against convlab.train.fit."""

from __future__ import annotations

import pytest
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.data import TensorDataset

from convlab import distillation as kd
from convlab import train


def _direct(z, v, y, t, alpha):
    kl = F.kl_div(
        F.log_softmax(z / t, 1), F.softmax(v / t, 1), reduction="batchmean"
    )
    return alpha * t * t * kl + (1 - alpha) * F.cross_entropy(z, y)


@pytest.mark.parametrize("t", [0.5, 1.0, 4.0, 20.0])
@pytest.mark.parametrize("alpha", [0.0, 0.3, 1.0])
def test_loss_equals_kl_div_formula(t, alpha):
    g = torch.Generator().manual_seed(1)
    z = torch.randn(
        7, 5, generator=g, dtype=torch.float64, requires_grad=True
    )
    v = 4 * torch.randn(7, 5, generator=g, dtype=torch.float64)
    y = torch.randint(0, 5, (7,), generator=g)
    ours = kd.distillation_loss(z, v, y, t, alpha)
    direct = _direct(z, v, y, t, alpha)
    assert torch.allclose(ours, direct, rtol=1e-12, atol=1e-14)
    (gz,) = torch.autograd.grad(ours, z)
    (gd,) = torch.autograd.grad(direct, z)
    assert torch.allclose(gz, gd, rtol=1e-10, atol=1e-14)


def test_soft_term_is_zero_when_student_equals_teacher_and_t2_scales_gradients():
    v = torch.tensor([[2.0, -1.0, 0.5]], dtype=torch.float64)
    y = torch.tensor([0])
    assert (
        kd.distillation_loss(v.clone(), v, y, 3.0, 1.0).abs().item() < 1e-15
    )
    # for large T the soft gradient ~ (z - v) / (K T^2); times T^2 it stays of order 1
    grads = []
    for t in (10.0, 100.0):
        z = torch.zeros(1, 3, dtype=torch.float64, requires_grad=True)
        (g,) = torch.autograd.grad(kd.distillation_loss(z, v, y, t, 1.0), z)
        grads.append(g)
    assert torch.allclose(grads[0], grads[1], rtol=0, atol=0.05)
    # no gradient flows into the teacher
    vt = v.clone().requires_grad_(True)
    kd.distillation_loss(
        torch.zeros(1, 3, dtype=torch.float64), vt, y, 2.0, 0.5
    )
    assert vt.grad is None


def test_soften_is_softmax_of_scaled_logits():
    z = torch.tensor([[3.0, 1.0, -2.0]])
    assert torch.allclose(kd.soften(z, 2.0), torch.softmax(z / 2, -1))
    assert torch.allclose(
        kd.soften(z, 1e6), torch.full((1, 3), 1 / 3), atol=1e-5
    )
    assert kd.soften(z, 0.01).argmax().item() == 0


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: kd.soften(torch.zeros(3), 0), ValueError, "positive"),
        (lambda: kd.soften([1.0, 2.0], 1.0), TypeError, "tensor"),
        (lambda: kd.soften(torch.zeros(3), "2"), TypeError, "temperature"),
        (
            lambda: kd.distillation_loss(
                torch.zeros(2, 3),
                torch.zeros(2, 4),
                torch.zeros(2).long(),
                1,
                0.5,
            ),
            ValueError,
            "shape",
        ),
        (
            lambda: kd.distillation_loss(
                torch.zeros(2, 3),
                torch.zeros(2, 3),
                torch.zeros(2).long(),
                1,
                1.5,
            ),
            ValueError,
            "alpha",
        ),
        (
            lambda: kd.distillation_loss(
                torch.zeros(3),
                torch.zeros(3),
                torch.zeros(1).long(),
                1,
                0.5,
            ),
            ValueError,
            "N, K",
        ),
        (
            lambda: kd.distillation_loss(
                torch.zeros(2, 3),
                torch.zeros(2, 3),
                torch.zeros(3).long(),
                1,
                0.5,
            ),
            ValueError,
            "targets",
        ),
        (
            lambda: kd.fit_distilled(
                "net", nn.Linear(2, 2), None, None, 1, 0.1, 1, 0
            ),
            TypeError,
            "student",
        ),
    ],
)
def test_bad_arguments_are_explained(call, error, words):
    with pytest.raises(error, match=words):
        call()


def _data():
    g = torch.Generator().manual_seed(0)
    x = torch.randn(96, 1, 4, 4, generator=g)
    y = (x.mean((1, 2, 3)) > 0).long() + (x[:, 0, 0, 0] > 0).long()
    return TensorDataset(x, y), TensorDataset(x[:32], y[:32])


def _net(seed):
    torch.manual_seed(seed)
    return nn.Sequential(
        nn.Flatten(), nn.Linear(16, 8), nn.ReLU(), nn.Linear(8, 3)
    )


def test_alpha_zero_takes_exactly_the_steps_of_fit():
    train_set, test_set = _data()
    teacher = _net(9)
    a, b = _net(1), _net(1)
    ha = train.fit(
        a,
        train_set,
        test_set,
        epochs=3,
        lr=0.01,
        seed=4,
        batch_size=16,
        progress=False,
    )
    hb = kd.fit_distilled(
        b,
        teacher,
        train_set,
        test_set,
        epochs=3,
        lr=0.01,
        temperature=3.0,
        alpha=0.0,
        seed=4,
        batch_size=16,
    )
    assert ha.train_loss == hb.train_loss and ha.test_acc == hb.test_acc
    for p, q in zip(a.parameters(), b.parameters()):
        assert torch.equal(p, q)


def test_alpha_one_student_moves_towards_the_teacher():
    train_set, _ = _data()
    teacher = _net(9).double()
    x = train_set.tensors[0].double()
    student = _net(2)
    before = kd.distillation_loss(
        student.double()(x),
        teacher(x).detach(),
        train_set.tensors[1],
        2.0,
        1.0,
    )
    h = kd.fit_distilled(
        student,
        teacher,
        train_set,
        None,
        epochs=20,
        lr=0.01,
        temperature=2.0,
        alpha=1.0,
    )
    after = kd.distillation_loss(
        student(x), teacher(x).detach(), train_set.tensors[1], 2.0, 1.0
    )
    assert after < 0.5 * before
    assert h.test_acc == [] and len(h.train_loss) == 20
    assert teacher.training  # the teacher's mode is restored
