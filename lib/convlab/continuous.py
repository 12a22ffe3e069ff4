"""Continuous-time signals and the numerical convolution integral.

Conventions
-----------
* The convolution of two functions of a real variable is
  ``(f * g)(t) = integral of f(tau) g(t - tau) over all tau``: ``g`` is flipped
  (``tau -> -tau``), shifted by ``t``, multiplied by ``f`` and integrated.
* A *signal* here is a Python function of one argument that accepts a NumPy
  array of any shape and returns a real array of the same shape (a vectorised
  function such as :func:`box`). All the signals below work that way.
* Every closed form takes ``t`` (a number or an array) and returns a float64
  array of the same shape as ``t``.
* Numerical integrals use the *midpoint rule* on a uniform grid:
  ``tau_j = lo + (j + 1/2) * step`` for ``j = 0, ..., N - 1``, where
  ``N = ceil((hi - lo) / step)``. The grid covers ``[lo, lo + N * step]``; the
  integrand must be negligible outside it.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from .validation import as_float_array, as_positive_number, check_ndim

__all__ = [
    "box",
    "triangle",
    "gaussian",
    "decay",
    "box_conv_box",
    "triangle_conv_triangle",
    "gaussian_conv_gaussian",
    "box_conv_decay",
    "midpoint_grid",
    "convolve_integral",
    "sampled_convolution",
    "observed_orders",
]


# --------------------------------------------------------------------- checks
def _real(value, name: str, func: str) -> float:
    """Return ``value`` as a float, or raise if it is not a finite real number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{func}: {name} must be a real number, got {type(value).__name__} {value!r}."
        )
    value = float(value)
    if not math.isfinite(value):
        raise ValueError(f"{func}: {name} must be finite, got {value!r}.")
    return value


def _times(t, func: str) -> np.ndarray:
    """``t`` as a float64 array (any shape)."""
    return as_float_array(t, "t", func).astype(np.float64, copy=False)


def _call(signal, points: np.ndarray, name: str, func: str) -> np.ndarray:
    """Evaluate a signal at ``points`` and check that it gave one real value per point."""
    values = as_float_array(signal(points), f"the output of {name}", func)
    if values.shape != points.shape:
        try:  # a constant signal may return a scalar
            values = np.broadcast_to(values, points.shape)
        except ValueError:
            raise ValueError(
                f"{func}: {name} must return one value per input point: called with an array of shape "
                f"{points.shape}, it returned shape {values.shape}. Write it with NumPy operations "
                "(np.where, np.exp, ...) so that it works element-wise."
            ) from None
    return values


# ---------------------------------------------------------------- the signals
def box(t, width: float = 1.0) -> np.ndarray:
    """The box (rectangle) of height 1 on ``|t| < width / 2``, centred at 0.

    At the two edges ``|t| = width / 2`` the value is 1/2 (half way up the
    jump); outside it is 0. Its area is ``width``; ``box(t, w) / w`` has area 1
    and is the kernel of a moving average over a window of width ``w``.
    """
    width = as_positive_number(width, "width", "box")
    a = np.abs(_times(t, "box"))
    return np.where(a < width / 2, 1.0, np.where(a == width / 2, 0.5, 0.0))


def triangle(t) -> np.ndarray:
    """The unit triangle ``max(1 - |t|, 0)``: support ``[-1, 1]``, peak 1, area 1.

    It equals ``box_conv_box(t, 1, 1)``, the convolution of two unit boxes.
    """
    return np.clip(1.0 - np.abs(_times(t, "triangle")), 0.0, None)


def gaussian(t, sigma: float = 1.0, mu: float = 0.0) -> np.ndarray:
    """The normal density with mean ``mu`` and standard deviation ``sigma`` (area 1):
    ``exp(-(t - mu)**2 / (2 sigma**2)) / (sigma sqrt(2 pi))``."""
    sigma = as_positive_number(sigma, "sigma", "gaussian")
    mu = _real(mu, "mu", "gaussian")
    z = (_times(t, "gaussian") - mu) / sigma
    return np.exp(-0.5 * z * z) / (sigma * math.sqrt(2.0 * math.pi))


def decay(t, rate: float = 1.0) -> np.ndarray:
    """The one-sided exponential ``rate * exp(-rate * t)`` for ``t >= 0``, 0 for ``t < 0``.

    It has area 1 and is not symmetric, so flipping it is visible. It is the
    impulse response of a first-order low-pass system (an RC circuit with time
    constant ``1 / rate``).
    """
    rate = as_positive_number(rate, "rate", "decay")
    t = _times(t, "decay")
    return np.where(t >= 0, rate * np.exp(-rate * np.maximum(t, 0.0)), 0.0)


# ------------------------------------------------------------- closed forms
def box_conv_box(t, a: float = 1.0, b: float = 1.0) -> np.ndarray:
    """Exact ``(box_a * box_b)(t)`` for boxes of widths ``a`` and ``b`` (height 1).

    A trapezoid: ``clip((a + b) / 2 - |t|, 0, min(a, b))``. Its support is
    ``|t| <= (a + b) / 2`` (width ``a + b``), its flat top ``|t| <= |a - b| / 2``
    has height ``min(a, b)``; for ``a == b`` it is a triangle.
    """
    a = as_positive_number(a, "a", "box_conv_box")
    b = as_positive_number(b, "b", "box_conv_box")
    return np.clip(
        (a + b) / 2 - np.abs(_times(t, "box_conv_box")), 0.0, min(a, b)
    )


def triangle_conv_triangle(t) -> np.ndarray:
    """Exact ``(triangle * triangle)(t)``: the cubic B-spline on ``[-2, 2]``,
    ``2/3 - t**2 + |t|**3 / 2`` for ``|t| <= 1`` and ``(2 - |t|)**3 / 6`` for
    ``1 <= |t| <= 2`` (the convolution of four unit boxes)."""
    a = np.abs(_times(t, "triangle_conv_triangle"))
    inner = 2.0 / 3.0 - a**2 + a**3 / 2.0
    outer = np.maximum(2.0 - a, 0.0) ** 3 / 6.0
    return np.where(a <= 1.0, inner, outer)


def gaussian_conv_gaussian(
    t, sigma_f: float, sigma_g: float, mu_f: float = 0.0, mu_g: float = 0.0
) -> np.ndarray:
    """Exact convolution of two normal densities: a normal density whose mean
    is ``mu_f + mu_g`` and whose *variance* is ``sigma_f**2 + sigma_g**2``."""
    func = "gaussian_conv_gaussian"
    sigma_f = as_positive_number(sigma_f, "sigma_f", func)
    sigma_g = as_positive_number(sigma_g, "sigma_g", func)
    mu = _real(mu_f, "mu_f", func) + _real(mu_g, "mu_g", func)
    return gaussian(_times(t, func), math.hypot(sigma_f, sigma_g), mu)


def box_conv_decay(t, width: float = 1.0, rate: float = 1.0) -> np.ndarray:
    """Exact ``(box * decay)(t)`` for ``box(., width)`` and ``decay(., rate)``.

    With ``m = min(t, width / 2)``: ``exp(-rate (t - m)) - exp(-rate (t + width / 2))``
    for ``t > -width / 2`` and 0 before. The output rises as ``1 - exp(...)``
    while the box is "on" and decays exponentially after it.
    """
    width = as_positive_number(width, "width", "box_conv_decay")
    rate = as_positive_number(rate, "rate", "box_conv_decay")
    t = _times(t, "box_conv_decay")
    m = np.minimum(t, width / 2)
    inside = np.exp(-rate * np.maximum(t - m, 0.0)) - np.exp(
        -rate * np.maximum(t + width / 2, 0.0)
    )
    return np.where(t > -width / 2, inside, 0.0)


# ------------------------------------------------------- numerical integrals
def _check_grid(lo, hi, step, func):
    lo, hi = _real(lo, "lo", func), _real(hi, "hi", func)
    step = as_positive_number(step, "step", func)
    if not lo < hi:
        raise ValueError(
            f"{func}: the integration range needs lo < hi, got lo={lo!r}, hi={hi!r}."
        )
    n = math.ceil((hi - lo) / step - 1e-9)
    if n > 10_000_000:
        raise ValueError(
            f"{func}: step={step!r} on [{lo!r}, {hi!r}] needs {n} grid points; use a larger step "
            "or a shorter range (at most 10 million points)."
        )
    return lo, hi, step, n


def midpoint_grid(lo: float, hi: float, step: float) -> np.ndarray:
    """The midpoints ``lo + (j + 1/2) * step``, ``j = 0, ..., N - 1``, with
    ``N = ceil((hi - lo) / step)``; an array of shape ``(N,)``."""
    lo, _, step, n = _check_grid(lo, hi, step, "midpoint_grid")
    return lo + (np.arange(n) + 0.5) * step


def convolve_integral(
    f, g, t, *, step: float = 1e-3, lo: float = -10.0, hi: float = 10.0
):
    """Approximate ``(f * g)(t) = integral f(tau) g(t - tau) dtau`` by a Riemann sum.

    ``(f * g)(t) ~ step * sum_j f(tau_j) g(t - tau_j)`` over the midpoints
    ``tau_j`` of :func:`midpoint_grid` ``(lo, hi, step)``: flip and shift ``g``,
    multiply by ``f``, add up, times the width ``step`` of each slice.

    Parameters
    ----------
    f, g : signals (vectorised functions of one array argument).
    t : a number or an array of any shape: where to evaluate ``f * g``.
    step : the grid spacing ``dtau`` (> 0). The error shrinks as ``step``
        shrinks; how fast depends on how smooth ``f(tau) g(t - tau)`` is.
    lo, hi : ``f`` must be negligible outside ``[lo, hi]``.

    Returns a float64 array with the shape of ``t`` (a float for a scalar ``t``).
    """
    func = "convolve_integral"
    for name, signal in (("f", f), ("g", g)):
        if not callable(signal):
            raise TypeError(
                f"{func}: {name} must be a function of one array argument, got {type(signal).__name__}; "
                "pass the function itself, e.g. convlab.continuous.box, not its values."
            )
    t = _times(t, func)
    if not np.all(np.isfinite(t)):
        raise ValueError(
            f"{func}: t must be finite, but it contains NaN or infinity."
        )
    _, _, step, _ = _check_grid(lo, hi, step, func)
    tau = midpoint_grid(lo, hi, step)
    f_tau = _call(f, tau, "f", func)
    out = np.empty(t.shape)
    for i, t_i in np.ndenumerate(
        t
    ):  # one output value at a time: flip, shift, multiply, integrate
        out[i] = step * np.sum(f_tau * _call(g, t_i - tau, "g", func))
    return float(out) if out.ndim == 0 else out


def sampled_convolution(f, g, step: float, f_range: tuple, g_range: tuple):
    """The discrete bridge: ``y[t] = step * sum_m x[m] k[t - m]`` with samples
    ``x[m] = f(tau_m)`` and ``k[m] = g(s_m)`` on midpoint grids of spacing
    ``step`` over ``f_range = (lo, hi)`` and ``g_range`` (output index ``t``,
    summation index ``m``, as in chapter 2).

    Returns ``(times, y)``, two arrays of shape ``(len(x) + len(k) - 1,)``:
    ``y = step * np.convolve(x, k)`` (equal to ``convlab.ops.conv1d``) and the
    times ``times[t] = tau_0 + s_0 + t * step`` at which ``y[t]`` approximates
    ``(f * g)(times[t])``. Both ``f`` and ``g`` must be negligible outside their ranges.
    """
    func = "sampled_convolution"
    for name, signal in (("f", f), ("g", g)):
        if not callable(signal):
            raise TypeError(
                f"{func}: {name} must be a function of one array argument, got {type(signal).__name__}."
            )
    ranges = []
    for name, rng in (("f_range", f_range), ("g_range", g_range)):
        if not isinstance(rng, (tuple, list)) or len(rng) != 2:
            raise ValueError(
                f"{func}: {name} must be a pair (lo, hi), got {rng!r}."
            )
        ranges.append(midpoint_grid(rng[0], rng[1], step))
    tau, s = ranges
    x, k = _call(f, tau, "f", func), _call(g, s, "g", func)
    y = step * np.convolve(x, k)
    t = tau[0] + s[0] + step * np.arange(len(y))
    return t, y


def observed_orders(steps, errors) -> np.ndarray:
    """Measured convergence orders ``p`` from ``error ~ C * step**p``.

    For consecutive pairs, ``p_i = log(errors[i] / errors[i+1]) / log(steps[i] / steps[i+1])``.
    ``steps`` and ``errors`` are 1-D arrays of the same length ``n >= 2`` with
    positive entries; the result has shape ``(n - 1,)``.
    """
    func = "observed_orders"
    steps = as_float_array(steps, "steps", func)
    errors = as_float_array(errors, "errors", func)
    check_ndim(steps, 1, "steps", func, "(n,)")
    check_ndim(errors, 1, "errors", func, "(n,)")
    if steps.shape != errors.shape:
        raise ValueError(
            f"{func}: steps and errors need the same length, got {len(steps)} and {len(errors)}."
        )
    if len(steps) < 2:
        raise ValueError(
            f"{func}: an order needs at least two (step, error) pairs, got {len(steps)}."
        )
    if not (
        np.all(steps > 0)
        and np.all(errors > 0)
        and np.all(np.isfinite(steps))
        and np.all(np.isfinite(errors))
    ):
        raise ValueError(
            f"{func}: steps and errors must be positive and finite (an error of 0 has no order)."
        )
    if np.any(steps[:-1] == steps[1:]):
        raise ValueError(
            f"{func}: consecutive steps must differ, got steps {steps.tolist()}."
        )
    return np.log(errors[:-1] / errors[1:]) / np.log(steps[:-1] / steps[1:])
