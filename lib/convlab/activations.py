"""Activation functions f(z), their derivatives f'(z), and dead units.

Every function here acts element-wise on a NumPy array ``z`` of
pre-activations (any shape) and returns an array of the same shape, in
float64. The family, with the names used as keys of :data:`ACTIVATIONS`:

============  ===========================================  ==================
name          f(z)                                         f'(z)
============  ===========================================  ==================
relu          max(z, 0)                                    1 if z > 0 else 0
leaky_relu    z if z > 0 else a z        (a = 0.01)        1 or a
prelu         z if z > 0 else a z        (a learned)       1 or a
elu           z if z > 0 else a (e^z - 1) (a = 1)          1 or a e^z
silu          z sigma(z)   (Swish with beta = 1)           sigma(z) (1 + z (1 - sigma(z)))
gelu          z Phi(z)     (Phi: standard normal CDF)      Phi(z) + z phi(z)
============  ===========================================  ==================

At z = 0, where ReLU has no derivative, ``derivative`` returns the value
PyTorch's autograd uses: the left one (0 for ReLU, ``a`` for the leaky
variants and 1 for ELU). :func:`torch_module` gives the matching
``torch.nn`` module; :func:`dead_units` measures, in a trained network,
the ReLU channels that are never positive on a data set (they pass no
gradient, so training cannot revive them).
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn

__all__ = [
    "ACTIVATIONS",
    "activation",
    "derivative",
    "torch_module",
    "normal_cdf",
    "dead_units",
]

#: The activations of this module, in the order the lesson shows them.
ACTIVATIONS = ("relu", "leaky_relu", "prelu", "elu", "silu", "gelu")

#: The slope or scale ``a`` used when none is given (PyTorch's defaults:
#: LeakyReLU 0.01, PReLU's initial value 0.25, ELU 1).
DEFAULT_ALPHA = {"leaky_relu": 0.01, "prelu": 0.25, "elu": 1.0}

_erf = np.vectorize(math.erf, otypes=[float])


def _check(name, z, alpha, func):
    if name not in ACTIVATIONS:
        raise ValueError(
            f"{func}: unknown activation {name!r}; choose one of "
            f"{', '.join(ACTIVATIONS)}."
        )
    if alpha is not None and name not in DEFAULT_ALPHA:
        raise ValueError(
            f"{func}: {name} has no parameter alpha (only "
            f"{', '.join(DEFAULT_ALPHA)} have one)."
        )
    if alpha is None:
        alpha = DEFAULT_ALPHA.get(name)
    elif isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise TypeError(f"{func}: alpha must be a number, got {alpha!r}.")
    try:
        z = np.asarray(z, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(
            f"{func}: z must be numbers (an array of pre-activations), "
            f"got {type(z).__name__}."
        ) from None
    return z, alpha


def normal_cdf(z):
    """Phi(z) = (1 + erf(z / sqrt 2)) / 2, the standard normal CDF."""
    z = np.asarray(z, dtype=float)
    return 0.5 * (1.0 + _erf(z / math.sqrt(2.0)))


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # = 1 / (1 + e^-z), no overflow


def activation(name: str, z, alpha: float | None = None) -> np.ndarray:
    """f(z) for the activation ``name`` (see the module docstring)."""
    z, a = _check(name, z, alpha, "activation")
    if name == "relu":
        return np.maximum(z, 0.0)
    if name in ("leaky_relu", "prelu"):
        return np.where(z > 0, z, a * z)
    if name == "elu":
        return np.where(z > 0, z, a * np.expm1(np.minimum(z, 0.0)))
    if name == "silu":
        return z * _sigmoid(z)
    return z * normal_cdf(z)  # gelu


def derivative(name: str, z, alpha: float | None = None) -> np.ndarray:
    """f'(z) for the activation ``name``; at z = 0 the left derivative,
    as PyTorch's autograd computes it."""
    z, a = _check(name, z, alpha, "derivative")
    if name == "relu":
        return (z > 0).astype(float)
    if name in ("leaky_relu", "prelu"):
        return np.where(z > 0, 1.0, a)
    if name == "elu":
        return np.where(z > 0, 1.0, a * np.exp(np.minimum(z, 0.0)))
    if name == "silu":
        s = _sigmoid(z)
        return s * (1.0 + z * (1.0 - s))
    phi = np.exp(-0.5 * z**2) / math.sqrt(2.0 * math.pi)  # gelu
    return normal_cdf(z) + z * phi


def torch_module(name: str) -> nn.Module:
    """A fresh ``torch.nn`` module computing activation ``name`` with this
    module's default ``alpha`` (PReLU: one learned slope, initially 0.25)."""
    _check(name, 0.0, None, "torch_module")
    return {
        "relu": nn.ReLU,
        "leaky_relu": lambda: nn.LeakyReLU(DEFAULT_ALPHA["leaky_relu"]),
        "prelu": lambda: nn.PReLU(init=DEFAULT_ALPHA["prelu"]),
        "elu": lambda: nn.ELU(DEFAULT_ALPHA["elu"]),
        "silu": nn.SiLU,
        "gelu": nn.GELU,
    }[name]()


@torch.no_grad()
def dead_units(model: nn.Module, x: torch.Tensor) -> list[tuple[int, int]]:
    """For every ``nn.ReLU`` in ``model`` (in call order), ``(dead, total)``:
    the number of channels whose input is <= 0 at every position of every
    example of the batch ``x`` (N, C, H, W), and the number of channels.

    A dead channel outputs 0 everywhere and its gradient is 0 everywhere,
    so no step of gradient descent changes the weights that feed it.
    """
    if not isinstance(model, nn.Module):
        raise TypeError("dead_units: model must be a torch.nn.Module.")
    if not isinstance(x, torch.Tensor) or x.dim() < 2:
        raise TypeError(
            "dead_units: x must be a batch tensor (N, C, ...) of inputs."
        )
    relus = [m for m in model.modules() if isinstance(m, nn.ReLU)]
    if not relus:
        raise ValueError("dead_units: the model has no nn.ReLU module.")
    seen: list[torch.Tensor] = []

    def hook(_module, inputs, _output):
        z = inputs[0]
        dims = [d for d in range(z.dim()) if d != 1]
        seen.append(z.amax(dim=dims) if dims else z)

    handles = [m.register_forward_hook(hook) for m in relus]
    was_training = model.training
    try:
        model.eval()
        model(x)
    finally:
        model.train(was_training)
        for h in handles:
            h.remove()
    return [(int((m <= 0).sum()), int(m.numel())) for m in seen]
