"""Checks of torch tensor arguments shared by the torch side of ``convlab``
(attention operators, models, data and training helpers).

:mod:`convlab.validation` checks plain numbers and NumPy arrays; this module
does the same for tensors. Each check raises ``TypeError`` (not a tensor, or
the wrong dtype) or ``ValueError`` (wrong shape) with a message that names
the function and shows what was passed.
"""

from __future__ import annotations

import torch

__all__ = ["shape_or_type", "check_image_batch"]


def shape_or_type(value):
    """What an error message shows for an argument that should be a tensor:
    its shape as a tuple when it is a tensor, else the name of its type."""
    if isinstance(value, torch.Tensor):
        return tuple(value.shape)
    return type(value).__name__


def check_image_batch(x, func: str) -> torch.Tensor:
    """Return ``x`` if it is a tensor of shape ``(N, C, H, W)``; raise
    ``TypeError`` for anything but a tensor and ``ValueError`` for another
    number of dimensions."""
    if not isinstance(x, torch.Tensor):
        raise TypeError(
            f"{func}: x must be a torch tensor of shape (N, C, H, W), got {type(x).__name__}."
        )
    if x.ndim != 4:
        raise ValueError(
            f"{func}: x must have shape (N, C, H, W), but it has {x.ndim} dimensions "
            f"(shape {tuple(x.shape)})."
        )
    return x
