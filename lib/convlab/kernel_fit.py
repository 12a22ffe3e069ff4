"""Fitting a convolution kernel by gradient descent, seen as least squares.

A single-channel, bias-optional "valid" cross-correlation is linear in its
weights: every output pixel ``Y[i, j]`` is the dot product of the window
``X[i:i+kh, j:j+kw]`` with the kernel ``K``. Stacking the windows as the rows
of a matrix ``A`` (one row per output pixel, row-major like ``Y.ravel()``; one
column per kernel weight, row-major like ``K.ravel()``; optionally a last
column of ones for the bias) gives

    corr2d(X, K).ravel() + b == A @ w,   w = [K.ravel(), b].

The squared-error loss of a kernel is then a quadratic in ``w``:

* ``reduction="sum"``:  ``L(w) = ||A w - y||^2``,       Hessian ``2 A^T A``;
* ``reduction="mean"``: ``L(w) = ||A w - y||^2 / N``,   Hessian ``2 A^T A / N``,

with ``N`` the number of output pixels (rows of ``A``). Plain gradient descent
``w <- w - lr * grad L(w)`` on a quadratic converges (from any start) exactly
when ``0 < lr < 2 / lambda_max(Hessian)``: the *critical step size*.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validation import (
    as_float_array,
    as_int,
    as_pair,
    as_positive_number,
    check_ndim,
)

__all__ = [
    "window_matrix",
    "hessian",
    "critical_step_size",
    "squared_error",
    "gradient",
    "gradient_descent",
    "DescentRun",
    "REDUCTIONS",
]

REDUCTIONS = ("sum", "mean")


def _check_reduction(reduction, func):
    if not isinstance(reduction, str) or reduction not in REDUCTIONS:
        raise ValueError(
            f"{func}: reduction must be 'sum' or 'mean' (how the squared errors are combined), "
            f"got {reduction!r}."
        )


def _check_A(A, func):
    A = as_float_array(A, "A", func)
    check_ndim(
        A,
        2,
        "A",
        func,
        "(N, P): one row per output pixel, one column per weight",
    )
    if A.size == 0:
        raise ValueError(
            f"{func}: A is empty (shape {A.shape}); it needs at least one row and one column."
        )
    if not np.all(np.isfinite(A)):
        raise ValueError(f"{func}: A contains NaN or infinity.")
    return A


def window_matrix(X, kernel_shape, bias: bool = False) -> np.ndarray:
    """The matrix ``A`` with ``A @ w == corr2d(X, K).ravel() (+ b)``.

    Parameters
    ----------
    X : 2-D array ``(h, w)``, one channel.
    kernel_shape : ``(kh, kw)`` (or an int for a square kernel); must fit in ``X``.
    bias : add a last column of ones, the coefficient of the bias ``b``.

    Returns a float array of shape ``((h-kh+1)*(w-kw+1), kh*kw [+ 1])``: row
    ``r = i*(w-kw+1) + j`` is the window ``X[i:i+kh, j:j+kw].ravel()``. This is
    the "im2col" matrix of a one-channel input.
    """
    func = "window_matrix"
    X = as_float_array(X, "X", func)
    check_ndim(X, 2, "X", func, "(height, width)")
    kh, kw = as_pair(kernel_shape, "kernel_shape", func, minimum=1)
    if not isinstance(bias, bool):
        raise TypeError(
            f"{func}: bias must be True or False, got {bias!r}."
        )
    h, w = X.shape
    if kh > h or kw > w:
        raise ValueError(
            f"{func}: a {kh}x{kw} kernel does not fit inside the {h}x{w} image X."
        )
    h_out, w_out = h - kh + 1, w - kw + 1
    rows = [
        X[i : i + kh, j : j + kw].ravel()
        for i in range(h_out)
        for j in range(w_out)
    ]
    A = np.array(rows, dtype=np.float64)
    if bias:
        A = np.hstack([A, np.ones((len(A), 1))])
    return A


def hessian(A, reduction: str = "sum") -> np.ndarray:
    """Hessian of the squared-error loss: ``2 A^T A`` (sum) or ``2 A^T A / N`` (mean)."""
    return _hessian(A, reduction, "hessian")


def _hessian(A, reduction, func):
    A = _check_A(A, func)
    _check_reduction(reduction, func)
    H = 2.0 * A.T @ A
    return H / len(A) if reduction == "mean" else H


def critical_step_size(A, reduction: str = "sum") -> float:
    """``2 / lambda_max(H)`` for the Hessian ``H`` of :func:`hessian`.

    Gradient descent on the loss converges for every start iff the step size
    lies in ``(0, critical_step_size)``; at or above it the component of the
    error along the top eigenvector of ``H`` no longer shrinks.
    Raises ``ValueError`` if ``A`` is zero (the loss is then flat).
    """
    func = "critical_step_size"
    H = _hessian(A, reduction, func)  # validates A and reduction
    lam_max = float(np.linalg.eigvalsh(H)[-1])
    if lam_max <= 0:
        raise ValueError(
            f"{func}: A is all zeros, so the loss does not depend on the weights; "
            "every step size is 'stable' and there is nothing to learn."
        )
    return 2.0 / lam_max


def _check_problem(A, y, w, func):
    A = _check_A(A, func)
    y = as_float_array(y, "y", func).ravel()
    w = as_float_array(w, "w", func).ravel()
    if y.shape != (A.shape[0],):
        raise ValueError(
            f"{func}: y has {y.size} values but A has {A.shape[0]} rows (one per output pixel)."
        )
    if w.shape != (A.shape[1],):
        raise ValueError(
            f"{func}: w has {w.size} values but A has {A.shape[1]} columns (one per weight)."
        )
    return A, y, w


def squared_error(A, y, w, reduction: str = "sum") -> float:
    """``||A w - y||^2`` (sum) or that divided by ``N = len(y)`` (mean)."""
    A, y, w = _check_problem(A, y, w, "squared_error")
    _check_reduction(reduction, "squared_error")
    r = A @ w - y
    return float(r @ r / (len(y) if reduction == "mean" else 1))


def gradient(A, y, w, reduction: str = "sum") -> np.ndarray:
    """``2 A^T (A w - y)`` (sum) or that divided by ``N`` (mean); shape ``(P,)``."""
    A, y, w = _check_problem(A, y, w, "gradient")
    _check_reduction(reduction, "gradient")
    g = 2.0 * A.T @ (A @ w - y)
    return g / len(y) if reduction == "mean" else g


@dataclass(frozen=True)
class DescentRun:
    """Result of :func:`gradient_descent`.

    ``weights`` are the last weights reached, ``losses[t]`` the loss at the
    weights *before* step ``t`` (so ``losses[0]`` is the starting loss), and
    ``diverged`` says whether the run was stopped because the loss passed
    ``blowup``.
    """

    weights: np.ndarray
    losses: np.ndarray
    diverged: bool


def gradient_descent(
    A,
    y,
    w0,
    lr: float,
    steps: int,
    reduction: str = "sum",
    blowup: float = 1e10,
) -> DescentRun:
    """Plain gradient descent ``w <- w - lr * grad`` on the squared-error loss.

    Runs ``steps`` steps from ``w0`` (shape ``(P,)`` or anything with ``P``
    values), recording the loss before each step. Stops early, with
    ``diverged=True``, as soon as a loss exceeds ``blowup``, long before the
    numbers overflow to infinity.
    """
    func = "gradient_descent"
    A, y, w = _check_problem(A, y, w0, func)
    _check_reduction(reduction, func)
    steps = as_int(steps, "steps", func, minimum=0)
    lr = as_positive_number(lr, "lr", func)
    blowup = as_positive_number(
        blowup, "blowup", func, note="the loss at which to stop"
    )
    w = w.copy()
    losses = []
    for _ in range(steps):
        loss = squared_error(A, y, w, reduction)
        losses.append(loss)
        if loss > blowup:
            return DescentRun(w, np.array(losses), True)
        w = w - lr * gradient(A, y, w, reduction)
    return DescentRun(w, np.array(losses), False)
