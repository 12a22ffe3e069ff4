"""Convolution and the discrete Fourier transform.

Conventions
-----------
* All functions here compute *true* convolutions (the kernel is flipped), as
  :func:`convlab.ops.conv1d` does; none of them is a cross-correlation.
* Circular convolution of period ``N`` (indices taken modulo ``N``)::

      y[t] = sum_{m=0}^{N-1} x[m] k[(t - m) mod N],   t = 0, ..., N-1

  A kernel shorter than ``x`` is zero-padded to length ``N = len(x)``.
* The DFT is NumPy's: ``X[f] = sum_t x[t] exp(-2j pi f t / N)``. With it the
  convolution theorem reads ``fft(circular_conv1d(x, k)) == fft(x) * fft(k, N)``.
* The frequency response of a kernel is its discrete-time Fourier transform
  ``H(w) = sum_m k[m] exp(-1j w m)`` for ``w`` in ``[0, pi]`` (radians per sample;
  ``w = pi`` is the fastest oscillation a sampled signal can have,
  ``+1, -1, +1, ...``).
* Inputs are real 1-D arrays; integer and boolean inputs are computed in float64.
"""

from __future__ import annotations

import numbers

import numpy as np

from .validation import as_float_array, check_ndim

__all__ = ["circular_conv1d", "conv1d_fft", "frequency_response"]


def _vector(value, name: str, func: str) -> np.ndarray:
    arr = as_float_array(value, name, func)
    check_ndim(arr, 1, name, func, "(n,)")
    if arr.size == 0:
        raise ValueError(
            f"{func}: {name} is empty; it needs at least one element."
        )
    return arr


def circular_conv1d(x, k) -> np.ndarray:
    """Circular convolution of period ``N = len(x)``, computed from its definition.

    ``y[t] = sum_m x[m] k[(t - m) mod N]``: what falls off the right end wraps
    around to the left. ``k`` may be shorter than ``x`` (it is zero-padded to
    length ``N``) but not longer. Returns an array of shape ``(N,)``.
    """
    func = "circular_conv1d"
    x, k = _vector(x, "x", func), _vector(k, "k", func)
    n_period = len(x)
    if len(k) > n_period:
        raise ValueError(
            f"{func}: the kernel has {len(k)} taps but the period is len(x) = {n_period}; "
            "the kernel must not be longer than x (zero-pad x first if you want a longer period)."
        )
    y = np.zeros(n_period, dtype=np.result_type(x, k))
    for m, k_m in enumerate(
        k
    ):  # tap m adds k[m] times x delayed by m, wrapped around
        y += k_m * np.roll(x, m)
    return y


def conv1d_fft(x, k) -> np.ndarray:
    """Linear ('full') convolution through the FFT, equal to ``conv1d(x, k, "full")``.

    Both signals are zero-padded to length ``L = len(x) + len(k) - 1``, the
    length of the full result; with that much room the circular convolution
    of period ``L`` has nothing to wrap around, so it equals the linear one.
    Returns a float64 array of shape ``(L,)``.
    """
    func = "conv1d_fft"
    x, k = _vector(x, "x", func), _vector(k, "k", func)
    length = len(x) + len(k) - 1
    spectrum = np.fft.rfft(x, length) * np.fft.rfft(
        k, length
    )  # rfft(., L) zero-pads to L
    return np.fft.irfft(spectrum, length)


def frequency_response(k, n_points: int = 512):
    """Frequency response ``H(w) = sum_m k[m] exp(-1j w m)`` of a 1-D kernel.

    Parameters
    ----------
    k : 1-D array, the kernel taps ``k[0], ..., k[m-1]``.
    n_points : number of frequencies, evenly spaced from ``w = 0`` to ``w = pi``
        inclusive (at least 2).

    Returns ``(omega, H)``: ``omega`` of shape ``(n_points,)`` in radians per
    sample, and the complex ``H`` of the same shape. ``|H(w)|`` is the factor by
    which convolving with ``k`` scales a sampled cosine of frequency ``w``.
    """
    func = "frequency_response"
    k = _vector(k, "k", func)
    if isinstance(n_points, bool) or not isinstance(
        n_points, numbers.Integral
    ):
        raise TypeError(
            f"{func}: n_points must be an int, got {type(n_points).__name__} {n_points!r}."
        )
    if n_points < 2:
        raise ValueError(
            f"{func}: n_points must be at least 2 (to include 0 and pi), got {n_points}."
        )
    omega = np.linspace(0.0, np.pi, int(n_points))
    m = np.arange(len(k))
    H = np.exp(-1j * np.outer(omega, m)) @ k
    return omega, H
