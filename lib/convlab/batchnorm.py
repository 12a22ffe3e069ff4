"""Batch normalisation in NumPy, written to be read and compared with ``torch.nn.BatchNorm2d``.

For a batch ``x`` of shape ``(N, C, H, W)`` (or ``(N, C)``, as ``BatchNorm1d``) each channel ``c``
is normalised with statistics over the ``m = N H W`` values it has in the batch:

    mu_c      = mean of x[:, c]                       (over N, H, W)
    sigma2_c  = mean of (x[:, c] - mu_c) ** 2          (biased: divides by m)
    y[:, c]   = gamma_c * (x[:, c] - mu_c) / sqrt(sigma2_c + eps) + beta_c

``gamma`` (weight) and ``beta`` (bias) are learned, one per channel. In **training** mode the batch
statistics are used, and running estimates are updated with ``momentum``:

    running_mean <- (1 - momentum) * running_mean + momentum * mu
    running_var  <- (1 - momentum) * running_var  + momentum * sigma2 * m / (m - 1)

(PyTorch stores the *unbiased* variance in ``running_var`` while it normalises with the biased
one.) In **evaluation** mode the running estimates replace ``mu`` and ``sigma2`` and nothing is
updated, so the output of one sample no longer depends on the rest of the batch.
"""

from __future__ import annotations

import numbers

import numpy as np

from .validation import as_float_array, check_ndim

__all__ = ["batch_norm"]


def _per_channel(value, name: str, channels: int, func: str) -> np.ndarray:
    arr = as_float_array(value, name, func)
    if arr.shape != (channels,):
        raise ValueError(
            f"{func}: {name} must hold one value per channel, shape ({channels},), "
            f"but it has shape {arr.shape}."
        )
    return arr


def _number(
    value, name: str, func: str, low: float, high: float | None = None
) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{func}: {name} must be a number, got {type(value).__name__} {value!r}."
        )
    if not (value > low and (high is None or value <= high)):
        bound = (
            f"in ({low}, {high}]"
            if high is not None
            else f"greater than {low}"
        )
        raise ValueError(f"{func}: {name} must be {bound}, got {value!r}.")
    return float(value)


def batch_norm(
    x,
    gamma,
    beta,
    running_mean,
    running_var,
    training: bool = True,
    momentum: float = 0.1,
    eps: float = 1e-5,
):
    """Batch normalisation of ``x`` ``(N, C, H, W)`` or ``(N, C)`` with per-channel ``gamma``,
    ``beta``, ``running_mean`` and ``running_var`` (each of shape ``(C,)``).

    Returns ``(y, new_running_mean, new_running_var)``; ``y`` has the shape of ``x``. The inputs
    are not modified. In training mode ``N H W`` must be at least 2 (one value has no variance).
    """
    func = "batch_norm"
    x = as_float_array(x, "x", func)
    check_ndim(x, (2, 4), "x", func, "(N, C, H, W) or (N, C)")
    C = x.shape[1]
    gamma, beta = (
        _per_channel(gamma, "gamma", C, func),
        _per_channel(beta, "beta", C, func),
    )
    running_mean = _per_channel(running_mean, "running_mean", C, func)
    running_var = _per_channel(running_var, "running_var", C, func)
    if np.any(running_var < 0):
        raise ValueError(
            f"{func}: running_var holds variances, which cannot be negative; got {running_var.tolist()}."
        )
    momentum = _number(momentum, "momentum", func, 0.0, 1.0)
    eps = _number(eps, "eps", func, 0.0)
    axes = (0,) + tuple(
        range(2, x.ndim)
    )  # every axis except the channel axis
    shape = (1, C) + (1,) * (x.ndim - 2)  # broadcast a (C,) vector over x
    if training:
        m = x.size // C
        if m < 2:
            raise ValueError(
                f"{func}: in training mode each channel needs at least 2 values (N*H*W >= 2) to "
                f"estimate a variance, got x of shape {x.shape}; use training=False for one value."
            )
        mu = x.mean(axis=axes)
        sigma2 = ((x - mu.reshape(shape)) ** 2).mean(axis=axes)
        new_mean = (1 - momentum) * running_mean + momentum * mu
        new_var = (1 - momentum) * running_var + momentum * sigma2 * m / (
            m - 1
        )
    else:
        mu, sigma2 = running_mean, running_var
        new_mean, new_var = running_mean.copy(), running_var.copy()
    x_hat = (x - mu.reshape(shape)) / np.sqrt(sigma2.reshape(shape) + eps)
    return (
        gamma.reshape(shape) * x_hat + beta.reshape(shape),
        new_mean,
        new_var,
    )
