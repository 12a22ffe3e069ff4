"""convlab.activations against PyTorch: values, autograd slopes, dead units."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from torch import nn

from convlab import activations as act
from tolerances import SAME_SUM

finite = st.floats(-30, 30, allow_nan=False, allow_subnormal=False)


@settings(max_examples=40, deadline=None)
@given(
    name=st.sampled_from(act.ACTIVATIONS),
    z=arrays(np.float64, st.integers(1, 20), elements=finite),
)
def test_values_and_slopes_equal_torch(name, z):
    module = act.torch_module(name).double()
    zt = torch.tensor(z, requires_grad=True)
    a = module(zt)
    a.sum().backward()
    np.testing.assert_allclose(
        act.activation(name, z), a.detach().numpy(), **SAME_SUM
    )
    np.testing.assert_allclose(
        act.derivative(name, z), zt.grad.numpy(), **SAME_SUM
    )


@pytest.mark.parametrize("name", act.ACTIVATIONS)
def test_slope_is_the_derivative_of_the_value(name):
    z = np.linspace(-4, 4, 81) + 0.0125  # avoid the kink at 0
    h = 1e-6
    numeric = (
        act.activation(name, z + h) - act.activation(name, z - h)
    ) / (2 * h)
    np.testing.assert_allclose(act.derivative(name, z), numeric, atol=1e-7)


def test_alpha_changes_the_negative_side_only():
    z = np.array([-2.0, 3.0])
    assert act.activation("leaky_relu", z, 0.2).tolist() == [-0.4, 3.0]
    assert act.derivative("elu", z, 2.0)[0] == pytest.approx(2 * np.exp(-2))


def test_dead_units_counts_channels_never_positive():
    conv = nn.Conv2d(1, 3, 1)
    with torch.no_grad():
        conv.weight.copy_(torch.tensor([1.0, -1.0, 0.0]).view(3, 1, 1, 1))
        conv.bias.copy_(torch.tensor([0.0, 0.0, 0.0]))
    model = nn.Sequential(conv, nn.ReLU())
    x = torch.rand(4, 1, 5, 5) + 0.1  # positive inputs
    # channel 0 positive, channel 1 negative, channel 2 exactly 0: 2 dead
    assert act.dead_units(model, x) == [(2, 3)]
    assert model.training  # the mode is restored


@pytest.mark.parametrize(
    "call, error, fragment",
    [
        (lambda: act.activation("tanhh", 1.0), ValueError, "unknown"),
        (lambda: act.activation("relu", 1.0, 0.1), ValueError, "alpha"),
        (lambda: act.derivative("elu", 1.0, "big"), TypeError, "number"),
        (lambda: act.activation("gelu", "x"), TypeError, "numbers"),
        (lambda: act.torch_module("swish"), ValueError, "unknown"),
        (
            lambda: act.dead_units(nn.Tanh(), torch.ones(1, 1)),
            ValueError,
            "no nn.ReLU",
        ),
        (
            lambda: act.dead_units("net", torch.ones(1, 1)),
            TypeError,
            "Module",
        ),
    ],
)
def test_bad_input_gets_a_clear_error(call, error, fragment):
    with pytest.raises(error, match=fragment):
        call()
