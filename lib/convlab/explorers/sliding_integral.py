"""Chapter 1's explorer: flip, shift, multiply, integrate, with a slider.

The page gets the samples ``f(tau_j)`` on the midpoint grid of
:func:`convlab.continuous.midpoint_grid` and the samples of ``g`` at every
``t - tau_j`` the slider can reach, and computes what
:func:`convlab.continuous.convolve_integral` computes: the product
``f(tau_j) g(t - tau_j)`` and the midpoint sum
``(f*g)(t) ~ step * sum_j f(tau_j) g(t - tau_j)``.

Sample layout (one pair): ``tau_j = lo + (j + 1/2) step``, ``j < N``; the
slider's times are ``t_n = lo + n * t_step`` with ``t_step = r * step``
(``r`` an integer), so ``t_n - tau_j = (n r - j - 1/2) step`` always falls
on the grid ``u_m = (m - (N - 1) - 1/2) step``, at ``m = n r - j + N - 1``.
"""

from __future__ import annotations

import math

import numpy as np

from .. import continuous as cc
from ..validation import as_positive_number
from . import show

__all__ = ["PAIRS", "sliding_integral_data", "show_sliding_integral"]


def _gauss(sigma):
    return lambda t: cc.gaussian(t, sigma)


# key: (label of f, f, label of g, g, exact f*g, (lo, hi)); the chapter's
# pairs. f must be negligible outside [lo, hi], the range drawn and summed.
PAIRS = {
    "box*decay": (
        "box",
        cc.box,
        "decay",
        cc.decay,
        cc.box_conv_decay,
        (-1.5, 3.5),
    ),
    "box*box": ("box", cc.box, "box", cc.box, cc.triangle, (-2.0, 2.0)),
    "triangle*triangle": (
        "triangle",
        cc.triangle,
        "triangle",
        cc.triangle,
        cc.triangle_conv_triangle,
        (-2.5, 2.5),
    ),
    "gauss0.6*gauss0.8": (
        "gaussian, sigma 0.6",
        _gauss(0.6),
        "gaussian, sigma 0.8",
        _gauss(0.8),
        lambda t: cc.gaussian_conv_gaussian(t, 0.6, 0.8),
        (-3.5, 3.5),
    ),
}


def _times(lo, hi, t_step):
    """The slider's times ``lo + n * t_step`` up to ``hi``."""
    count = round((hi - lo) / t_step) + 1
    return lo + t_step * np.arange(count)


def sliding_integral_data(
    pairs=None, *, step: float = 0.025, t_step: float = 0.05, t=0.3
):
    """The explorer's data: for each pair, the samples and the exact output.

    ``pairs``: keys of :data:`PAIRS` (default: all, the first one shown);
    ``step``: the width of a slice (``dtau`` of the midpoint rule);
    ``t_step``: the slider's step, a whole multiple of ``step``; ``t``: the
    time shown first. Returns a dict of plain lists (see the module's doc
    for the layout). Samples are rounded to 7 decimals (so that the stored
    output does not depend on the last bits of ``exp``); the page's sums
    then equal ``convolve_integral``'s to within ``(hi - lo) * 5e-8``.
    """
    pairs = list(PAIRS) if pairs is None else pairs
    if isinstance(pairs, str) or not pairs:
        raise ValueError(
            "pairs must be a non-empty list of names, e.g. ['box*decay']; "
            f"known: {list(PAIRS)}."
        )
    for key in pairs:
        if key not in PAIRS:
            raise ValueError(
                f"no signal pair called {key!r}; known: {list(PAIRS)}."
            )
    step = as_positive_number(step, "step", "sliding_integral")
    t_step = as_positive_number(t_step, "t_step", "sliding_integral")
    ratio = round(t_step / step)
    if ratio < 1 or not math.isclose(ratio * step, t_step, rel_tol=1e-9):
        raise ValueError(
            f"t_step={t_step} must be a whole multiple of step={step}, so "
            "that every t - tau_j falls on the grid of g's samples."
        )
    out = []
    for key in pairs:
        f_label, f, g_label, g, exact, (lo, hi) = PAIRS[key]
        tau = cc.midpoint_grid(lo, hi, step)
        n_tau = len(tau)
        if not math.isclose(n_tau * step, hi - lo, rel_tol=1e-9):
            raise ValueError(
                f"step={step} must divide the range [{lo}, {hi}] of "
                f"{key!r} into whole slices."
            )
        t_n = _times(lo, hi, t_step)
        m = np.arange((len(t_n) - 1) * ratio + n_tau)
        u = (m - (n_tau - 1) - 0.5) * step
        out.append(
            {
                "key": key,
                "f_label": f_label,
                "g_label": g_label,
                "lo": lo,
                "hi": hi,
                "step": step,
                "t_step": t_step,
                "ratio": ratio,
                "f": np.round(f(tau), 7),
                "g": np.round(g(u), 7),
                "exact": np.round(exact(t_n), 7),
            }
        )
    first = out[0]
    n0 = round((t - first["lo"]) / t_step)
    if not 0 <= n0 < len(_times(first["lo"], first["hi"], t_step)):
        raise ValueError(
            f"t={t} is outside the range [{first['lo']}, {first['hi']}] "
            f"of {first['key']!r}."
        )
    return {"pairs": out, "t": round(first["lo"] + n0 * t_step, 10)}


def show_sliding_integral(pairs=None, **kwargs):
    """The explorer, ready to display (the last expression of a cell)."""
    return show(
        "sliding_integral",
        sliding_integral_data(pairs, **kwargs),
        title="Flip, shift, multiply, integrate: slide t",
    )
