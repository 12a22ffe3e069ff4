"""Separable 2-D kernels: kernels that are an outer product of two 1-D kernels.

A ``(kh, kw)`` kernel ``K`` is *separable* when ``K = np.outer(u, v)``, i.e.
``K[a, b] = u[a] * v[b]`` for a column kernel ``u`` of shape ``(kh,)`` and a row
kernel ``v`` of shape ``(kw,)``. That is the same as ``K`` having matrix rank 1
(rank 0 for the all-zero kernel). Then a 2-D filter is two 1-D passes: one
along every row with ``v``, then one along every column with ``u``.

The factors are unique only up to a scale: ``np.outer(c * u, v / c)`` is the
same kernel for any ``c != 0``. :func:`separate` picks the balanced factors
(``|u| == |v|``, the largest-magnitude entry of ``u`` positive).

Like :func:`convlab.ops.corr2d`, :func:`corr2d_separable` is a
*cross-correlation* in 'valid' mode (the kernel is not flipped).
"""

from __future__ import annotations

import numbers

import numpy as np

from .ops import corr1d
from .validation import as_float_array, check_ndim

__all__ = ["kernel_rank", "separate", "corr2d_separable"]


def _kernel(K, func: str) -> np.ndarray:
    K = as_float_array(K, "K", func)
    check_ndim(K, 2, "K", func, "(kernel height, kernel width)")
    if K.size == 0:
        raise ValueError(
            f"{func}: K is empty (shape {K.shape}); it needs at least one row and one column."
        )
    return K


def _tolerance(tol, func: str) -> float:
    if isinstance(tol, bool) or not isinstance(tol, numbers.Real):
        raise TypeError(
            f"{func}: tol must be a number, got {type(tol).__name__} {tol!r}."
        )
    if not 0 <= tol < 1:
        raise ValueError(
            f"{func}: tol is relative to the largest singular value and must be in [0, 1), got {tol!r}."
        )
    return float(tol)


def kernel_rank(K, tol: float = 1e-10) -> int:
    """Numerical rank of a 2-D kernel ``K`` of shape ``(kh, kw)``.

    Counts the singular values larger than ``tol`` times the largest one, so
    that round-off (a singular value of 1e-17) does not count as a direction.
    The all-zero kernel has rank 0.
    """
    func = "kernel_rank"
    K = _kernel(K, func)
    tol = _tolerance(tol, func)
    s = np.linalg.svd(K, compute_uv=False)
    if s[0] == 0:
        return 0
    return int(np.sum(s > tol * s[0]))


def separate(K, tol: float = 1e-10):
    """Factor a rank-1 kernel ``K`` of shape ``(kh, kw)`` as ``np.outer(u, v)``.

    Returns ``(u, v)`` with shapes ``(kh,)`` and ``(kw,)``, computed from the
    singular value decomposition ``K = s0 * U[:, 0] V[0, :] + ...``. The scale
    is split evenly (``|u| = |v| = sqrt(s0)``) and the largest-magnitude entry
    of ``u`` is made positive; any ``(c * u, v / c)`` is an equally valid answer.

    Raises ``ValueError`` naming the rank when ``K`` is not rank 1 within
    ``tol`` (relative to the largest singular value).
    """
    func = "separate"
    K = _kernel(K, func)
    tol = _tolerance(tol, func)
    U, s, Vt = np.linalg.svd(K)
    if (
        s[0] == 0
    ):  # the zero kernel is the outer product of two zero vectors
        return np.zeros(K.shape[0]), np.zeros(K.shape[1])
    rank = int(np.sum(s > tol * s[0]))
    if rank > 1:
        shown = ", ".join(f"{v:.3g}" for v in s)
        raise ValueError(
            f"{func}: the kernel has rank {rank} (singular values {shown}), so it is not the outer product "
            "of two 1-D kernels; only rank-1 kernels are separable."
        )
    u, v = U[:, 0] * np.sqrt(s[0]), Vt[0] * np.sqrt(s[0])
    if (
        u[np.argmax(np.abs(u))] < 0
    ):  # fix the sign: (-u, -v) is the same kernel
        u, v = -u, -v
    return u, v


def corr2d_separable(X, u, v) -> np.ndarray:
    """Cross-correlate an ``(h, w)`` image with ``np.outer(u, v)`` in two 1-D passes.

    First every row of ``X`` is cross-correlated with the row kernel ``v``
    (length ``kw``), then every column of the result with the column kernel
    ``u`` (length ``kh``), both in 'valid' mode. The result, of shape
    ``(h - kh + 1, w - kw + 1)``, equals ``corr2d(X, np.outer(u, v))`` with
    ``kh + kw`` instead of ``kh * kw`` multiplications per output pixel
    (plus the row pass over the ``kh - 1`` extra rows the columns need).
    """
    func = "corr2d_separable"
    X = as_float_array(X, "X", func)
    check_ndim(X, 2, "X", func, "(height, width)")
    u = as_float_array(u, "u", func)
    v = as_float_array(v, "v", func)
    check_ndim(u, 1, "u", func, "(kernel height,)")
    check_ndim(v, 1, "v", func, "(kernel width,)")
    if u.size == 0 or v.size == 0:
        raise ValueError(
            f"{func}: u and v need at least one element each, got shapes {u.shape} and {v.shape}."
        )
    if len(u) > X.shape[0] or len(v) > X.shape[1]:
        raise ValueError(
            f"{func}: the kernel ({len(u)}, {len(v)}) does not fit inside the image {X.shape}; "
            "'valid' mode needs len(u) <= image height and len(v) <= image width."
        )
    rows_done = np.array(
        [corr1d(row, v, "valid") for row in X]
    )  # shape (h, w - kw + 1)
    return np.array([corr1d(col, u, "valid") for col in rows_done.T]).T
