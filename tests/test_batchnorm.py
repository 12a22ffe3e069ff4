"""convlab.batchnorm.batch_norm against torch.nn.BatchNorm1d/2d (float64), in training and evaluation
mode, with the running estimates; and its error messages."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab.batchnorm import batch_norm
from strategies import finite
from tolerances import SAME_SUM, THROUGH_TRANSFORM


@st.composite
def bn_case(draw):
    spatial = draw(st.booleans())
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    shape = (
        (n, c, draw(st.integers(1, 4)), draw(st.integers(1, 4)))
        if spatial
        else (draw(st.integers(2, 6)), c)
    )
    if spatial and shape[0] * shape[2] * shape[3] < 2:
        shape = (2,) + shape[1:]
    x = draw(arrays(np.float64, shape, elements=finite(5)))
    per_channel = lambda lo, hi: draw(
        arrays(np.float64, (c,), elements=st.floats(lo, hi, width=64))
    )
    return (
        x,
        per_channel(0.1, 3),
        per_channel(-2, 2),
        per_channel(-1, 1),
        per_channel(0.1, 2),
    )


def torch_bn(x, gamma, beta, mean, var, momentum, eps):
    bn = (torch.nn.BatchNorm2d if x.ndim == 4 else torch.nn.BatchNorm1d)(
        x.shape[1], eps=eps, momentum=momentum
    )
    bn = bn.double()
    with torch.no_grad():
        bn.weight.copy_(torch.from_numpy(gamma))
        bn.bias.copy_(torch.from_numpy(beta))
        bn.running_mean.copy_(torch.from_numpy(mean))
        bn.running_var.copy_(torch.from_numpy(var))
    return bn


@settings(max_examples=150, deadline=None)
@given(bn_case(), st.floats(0.01, 1.0), st.sampled_from([1e-5, 1e-3, 0.1]))
def test_training_mode_equals_torch(case, momentum, eps):
    x, gamma, beta, mean, var = case
    bn = torch_bn(x, gamma, beta, mean, var, momentum, eps).train()
    expected = bn(torch.from_numpy(x)).detach().numpy()
    y, new_mean, new_var = batch_norm(
        x, gamma, beta, mean, var, training=True, momentum=momentum, eps=eps
    )
    np.testing.assert_allclose(y, expected, **THROUGH_TRANSFORM)
    np.testing.assert_allclose(
        new_mean, bn.running_mean.numpy(), **SAME_SUM
    )
    np.testing.assert_allclose(new_var, bn.running_var.numpy(), **SAME_SUM)


@settings(max_examples=150, deadline=None)
@given(bn_case(), st.sampled_from([1e-5, 1e-3, 0.1]))
def test_eval_mode_equals_torch_and_keeps_running_estimates(case, eps):
    x, gamma, beta, mean, var = case
    bn = torch_bn(x, gamma, beta, mean, var, 0.1, eps).eval()
    expected = bn(torch.from_numpy(x)).detach().numpy()
    y, new_mean, new_var = batch_norm(
        x, gamma, beta, mean, var, training=False, eps=eps
    )
    np.testing.assert_allclose(y, expected, **SAME_SUM)
    np.testing.assert_array_equal(new_mean, mean)
    np.testing.assert_array_equal(new_var, var)


def test_training_output_has_zero_mean_unit_variance_per_channel():
    rng = np.random.default_rng(0)
    x = (
        rng.normal(3.0, 2.0, size=(8, 3, 5, 5))
        * np.array([1.0, 10.0, 0.1])[None, :, None, None]
    )
    y, _, _ = batch_norm(
        x, np.ones(3), np.zeros(3), np.zeros(3), np.ones(3), eps=1e-12
    )
    np.testing.assert_allclose(y.mean(axis=(0, 2, 3)), 0, atol=1e-12)
    np.testing.assert_allclose(y.var(axis=(0, 2, 3)), 1, rtol=1e-9)


def test_eval_output_of_a_sample_does_not_depend_on_the_batch_but_training_output_does():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(4, 2, 3, 3))
    args = (np.ones(2), np.zeros(2), rng.normal(size=2), np.ones(2))
    alone, _, _ = batch_norm(x[:1], *args, training=False)
    in_batch, _, _ = batch_norm(x, *args, training=False)
    np.testing.assert_allclose(alone[0], in_batch[0], rtol=1e-14)
    train_a, _, _ = batch_norm(x[:2], *args, training=True)
    train_b, _, _ = batch_norm(x, *args, training=True)
    assert not np.allclose(train_a[0], train_b[0])


def test_inputs_are_not_modified():
    x, mean, var = np.ones((2, 1, 2, 2)), np.zeros(1), np.ones(1)
    x[0] = 3.0
    batch_norm(x, np.ones(1), np.zeros(1), mean, var)
    assert (
        mean.tolist() == [0.0]
        and var.tolist() == [1.0]
        and x[0, 0, 0, 0] == 3.0
    )


ONE = np.ones(2)


@pytest.mark.parametrize(
    "kwargs,error,fragment",
    [
        (dict(x=np.ones((2, 2, 3))), ValueError, "(N, C, H, W) or (N, C)"),
        (dict(x=None), TypeError, "x is None"),
        (
            dict(x=np.ones((2, 3, 2, 2))),
            ValueError,
            "one value per channel, shape (3,)",
        ),
        (
            dict(gamma=np.ones(3)),
            ValueError,
            "gamma must hold one value per channel",
        ),
        (dict(running_var=-ONE), ValueError, "cannot be negative"),
        (dict(momentum=0.0), ValueError, "momentum must be in (0.0, 1.0]"),
        (dict(momentum="0.1"), TypeError, "momentum must be a number"),
        (dict(eps=0), ValueError, "eps must be greater than 0"),
        (dict(x=np.ones((1, 2, 1, 1))), ValueError, "at least 2 values"),
    ],
)
def test_errors_are_explained(kwargs, error, fragment):
    args = dict(
        x=np.ones((2, 2, 2, 2)),
        gamma=ONE,
        beta=ONE,
        running_mean=ONE,
        running_var=ONE,
    )
    args.update(kwargs)
    with pytest.raises(error) as info:
        batch_norm(**args)
    assert fragment in str(info.value)


def test_a_single_value_is_fine_in_eval_mode():
    y, _, _ = batch_norm(
        np.full((1, 2, 1, 1), 2.0),
        ONE,
        np.zeros(2),
        ONE,
        np.full(2, 4.0),
        training=False,
        eps=1e-12,
    )
    np.testing.assert_allclose(y.ravel(), [0.5, 0.5])
