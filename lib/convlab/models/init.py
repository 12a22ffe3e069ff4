"""Weight initialisers that give the same weights on every CPU.

``torch.nn.init.normal_`` and ``kaiming_normal_`` on a float32 tensor draw their Gaussian
numbers with vectorised code whose last bits depend on the CPU's instruction set (AVX2,
AVX-512 or none): the same seed gives weights that differ by about 1e-6 from one machine to
the next, and training amplifies that into different printed losses. Drawn in float64 the
numbers are the same everywhere; they are then rounded once to the tensor's own type.
Uniform initialisers (PyTorch's default for ``nn.Conv2d`` and ``nn.Linear``) are already
the same everywhere and need nothing from here.

Both functions consume PyTorch's global random number generator (seed it with
``torch.manual_seed``) and fill ``tensor`` in place, returning it, like their ``nn.init``
namesakes; ``kaiming_normal_`` takes the same ``a``, ``mode`` and ``nonlinearity``.
"""

from __future__ import annotations

import math

import torch
from torch import nn

from ..validation import as_positive_number

__all__ = ["normal_", "kaiming_normal_"]


def normal_(
    tensor: torch.Tensor, mean: float = 0.0, std: float = 1.0
) -> torch.Tensor:
    """Fill ``tensor`` with draws from N(mean, std^2), drawn in float64 (see the module docstring)."""
    if (
        not isinstance(tensor, torch.Tensor)
        or not tensor.is_floating_point()
    ):
        raise TypeError(
            f"normal_: tensor must be a floating-point torch.Tensor, got {type(tensor).__name__}"
            + (
                f" of {tensor.dtype}"
                if isinstance(tensor, torch.Tensor)
                else ""
            )
            + "."
        )
    std = as_positive_number(std, "std", "normal_", allow_zero=True)
    if tensor.is_meta:
        # shapes only (e.g. counting parameters): nothing to draw, and
        # drawing on the meta device would load torch's compiler (seconds)
        return tensor
    with torch.no_grad():
        draws = torch.empty(tensor.shape, dtype=torch.float64).normal_(
            mean, std
        )
        return tensor.copy_(draws)


def kaiming_normal_(
    tensor: torch.Tensor,
    a: float = 0.0,
    mode: str = "fan_in",
    nonlinearity: str = "leaky_relu",
) -> torch.Tensor:
    """He initialisation, N(0, gain^2 / fan), ``fan`` the fan-in or fan-out of ``tensor``
    (``mode``), ``gain`` that of ``nonlinearity`` (sqrt(2) for ReLU), as ``nn.init.kaiming_normal_``."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(
            f"kaiming_normal_: mode must be 'fan_in' or 'fan_out', got {mode!r}."
        )
    if not isinstance(tensor, torch.Tensor) or tensor.ndim < 2:
        raise ValueError(
            "kaiming_normal_: tensor must be a weight with at least 2 dimensions (out, in, ...)."
        )
    receptive = math.prod(tensor.shape[2:])
    fan = (
        tensor.shape[1] if mode == "fan_in" else tensor.shape[0]
    ) * receptive
    gain = nn.init.calculate_gain(nonlinearity, a)
    return normal_(tensor, 0.0, gain / math.sqrt(fan))
