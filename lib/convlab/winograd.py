"""Winograd's minimal filtering: F(m, r) from interpolation points, and a
layer computed with F(2x2, 3x3).

F(m, r) computes ``m`` outputs of an ``r``-tap *correlation* (what a layer
computes) from a tile of ``n = m + r - 1`` inputs ``d`` with ``n``
multiplications instead of ``m * r``:

    y = AT @ ((G @ g) * (BT @ d)),   y[i] = sum_a d[i + a] * g[a].

:func:`toom_cook` builds ``AT, G, BT`` from the interpolation points
(Toom-Cook, chapter 11 derives it); ``WINOGRAD_AT, WINOGRAD_G, WINOGRAD_BT``
are F(2, 3) as Lavin & Gray (2016) print it, from the points 0, 1, -1 and
infinity. Nested, ``AT [(G g GT) * (BT d B)] A`` is F(m x m, r x r).
:func:`conv2d_winograd` computes a whole 3x3 layer with F(2x2, 3x3) as 16
matrix products, one per position of the transformed 4x4 tile.
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np

from .conv_algorithms import _finish
from .validation import (
    as_float_array,
    as_int,
    as_weights,
    check_conv_args,
)

__all__ = [
    "toom_cook",
    "WINOGRAD_BT",
    "WINOGRAD_G",
    "WINOGRAD_AT",
    "winograd_f23",
    "winograd_f2x2_3x3",
    "conv2d_winograd",
]


# --------------------------------------------------------------------------- Toom-Cook
def _poly_from_roots(roots):
    """Coefficients, lowest degree first, of prod_i (x - roots[i])."""
    coeffs = [Fraction(1)]
    for p in roots:  # multiply by (x - p)
        shifted = [Fraction(0)] + coeffs  # x * poly
        coeffs = [
            s - p * c for s, c in zip(shifted, coeffs + [Fraction(0)])
        ]
    return coeffs


def toom_cook(m: int, r: int, points) -> tuple:
    """The matrices ``(AT, G, BT)`` of F(m, r) from ``m + r - 2`` finite
    interpolation points (the point at infinity is always added, last).

    The derivation (chapter 11): the *linear convolution* of an ``r``-tap
    kernel ``g`` with an ``m``-sample signal ``h`` is the product polynomial
    ``s(x) = g(x) h(x)`` of degree ``n - 1``, ``n = m + r - 1``. Evaluate
    ``g`` and ``h`` at the ``n`` points (``E_r g``, ``E_m h``; at infinity a
    polynomial "evaluates" to its leading coefficient), multiply the ``n``
    values, and interpolate (Lagrange, plus the leading coefficient times
    ``M(x) = prod_j (x - p_j)``): ``s = C [(E_r g) * (E_m h)]``. The
    correlation ``y`` of a tile ``d`` with ``g`` is the transpose of that
    map from ``h`` to ``s``, so ``y = E_m^T [(E_r g) * (C^T d)]``:
    ``AT = E_m^T``, ``G = E_r`` and ``BT = C^T``, with each Lagrange
    denominator ``D_j = prod_{i != j} (p_j - p_i)`` moved from ``BT`` into
    row ``j`` of ``G`` (the kernel side, transformed once per layer), so
    that ``BT`` holds the coefficients of ``prod_{i != j}(x - p_i)``.

    Returns float64 arrays of shapes ``(m, n)``, ``(n, r)``, ``(n, n)``.
    With the points ``(0, 1, -1)``, F(2, 3) is ``WINOGRAD_*`` up to the sign
    of the product at infinity (last row of ``BT``, last column of ``AT``).
    """
    func = "toom_cook"
    m = as_int(m, "m", func, minimum=1)
    r = as_int(r, "r", func, minimum=1)
    n = m + r - 1
    try:
        pts = [Fraction(p) for p in points]
    except (TypeError, ValueError):
        raise TypeError(
            f"{func}: points must be numbers (integers or fractions), "
            f"got {points!r}."
        ) from None
    if len(pts) != n - 1:
        raise ValueError(
            f"{func}: F({m}, {r}) multiplies n = m + r - 1 = {n} values, "
            f"so it needs {n - 1} finite points (infinity is added); "
            f"got {len(pts)}."
        )
    if len(set(pts)) != len(pts):
        raise ValueError(
            f"{func}: the interpolation points must be distinct, "
            f"got {points!r}."
        )

    def evaluation(k):  # n x k: row j evaluates a k-coefficient polynomial
        rows = [[p**e for e in range(k)] for p in pts]
        return rows + [[Fraction(0)] * (k - 1) + [Fraction(1)]]  # infinity

    e_r, e_m = evaluation(r), evaluation(m)
    bt, g = [], []
    for j, p in enumerate(pts):
        others = pts[:j] + pts[j + 1 :]
        denom = np.prod([p - q for q in others], dtype=object)
        sign = 1 if denom > 0 else -1  # keep the denominators positive
        bt.append([sign * c for c in _poly_from_roots(others)] + [0])
        g.append([sign * v / denom for v in e_r[j]])
    bt.append(_poly_from_roots(pts))  # the leading coefficient's term M(x)
    g.append(e_r[-1])
    at = [[row[i] for row in e_m] for i in range(m)]
    return tuple(
        np.array([[float(v) for v in row] for row in mat])
        for mat in (at, g, bt)
    )


# --------------------------------------------------------------------------- F(2, 3)
# y[0] = d0 g0 + d1 g1 + d2 g2,  y[1] = d1 g0 + d2 g1 + d3 g2,
# with 4 multiplications instead of 6 (Winograd 1980; Lavin & Gray 2016).
WINOGRAD_BT = np.array(
    [
        [1.0, 0.0, -1.0, 0.0],
        [0.0, 1.0, 1.0, 0.0],
        [0.0, -1.0, 1.0, 0.0],
        [0.0, 1.0, 0.0, -1.0],
    ]
)
WINOGRAD_G = np.array(
    [[1.0, 0.0, 0.0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0.0, 0.0, 1.0]]
)
WINOGRAD_AT = np.array([[1.0, 1.0, 1.0, 0.0], [0.0, 1.0, -1.0, -1.0]])


def winograd_f23(d, g) -> np.ndarray:
    """1-D F(2, 3): the two correlation outputs of a length-4 tile ``d``
    with a length-3 kernel ``g``: ``AT @ ((G @ g) * (BT @ d))``, 4 products.
    """
    func = "winograd_f23"
    d, g = as_float_array(d, "d", func), as_float_array(g, "g", func)
    if d.shape != (4,) or g.shape != (3,):
        raise ValueError(
            f"{func}: needs a tile d of shape (4,) and a kernel g of shape "
            f"(3,), got {d.shape} and {g.shape}."
        )
    return WINOGRAD_AT @ ((WINOGRAD_G @ g) * (WINOGRAD_BT @ d))


def winograd_f2x2_3x3(d, g) -> np.ndarray:
    """2-D F(2x2, 3x3) on one tile: the 2x2 correlation outputs of a 4x4
    tile ``d`` with a 3x3 kernel ``g``,

    ``AT [(G g GT) * (BT d B)] A``: F(2, 3) along the rows and then along
    the columns; the ``*`` is 16 element-wise products (36 for the direct
    2x2x9).
    """
    func = "winograd_f2x2_3x3"
    d, g = as_float_array(d, "d", func), as_float_array(g, "g", func)
    if d.shape != (4, 4) or g.shape != (3, 3):
        raise ValueError(
            f"{func}: needs a tile d of shape (4, 4) and a kernel g of "
            f"shape (3, 3), got {d.shape} and {g.shape}."
        )
    U = WINOGRAD_G @ g @ WINOGRAD_G.T  # transformed kernel (4, 4)
    V = WINOGRAD_BT @ d @ WINOGRAD_BT.T  # transformed tile (4, 4)
    return WINOGRAD_AT @ (U * V) @ WINOGRAD_AT.T


# --------------------------------------------------------------------------- a layer
# BT's rows as additions: (operation, i, k) computes d_i op d_k
_BT_ROWS = (
    (np.subtract, 0, 2),
    (np.add, 1, 2),
    (np.subtract, 2, 1),
    (np.subtract, 1, 3),
)


def _bt(rows, out):
    """``BT @ d`` along the first axis of ``out`` (4 entries): additions.

    ``rows`` are the 4 inputs ``d0..d3`` (arrays of one shape)."""
    for a, (op, i, k) in enumerate(_BT_ROWS):
        op(rows[i], rows[k], out=out[a])


def _at_in_place(m):
    """``AT @ m`` along the first axis (4 -> 2), into ``m[0]`` and ``m[1]``:
    ``m0 + m1 + m2`` and ``m1 - m2 - m3``."""
    m[0] += m[1]
    m[0] += m[2]
    m[1] -= m[2]
    m[1] -= m[3]


def conv2d_winograd(x, w, b=None, padding=0) -> np.ndarray:
    """``conv2d`` of 3x3 kernels with F(2x2, 3x3): stride 1, dilation 1,
    groups 1.

    x: ``(N, C_in, H, W)`` or ``(C_in, H, W)``; w: ``(C_out, C_in, 3, 3)``;
    b: ``(C_out,)`` or None; padding as in ``conv2d`` (int, pair, 'same'
    or 'valid'). The output is cut into 2x2 tiles; tile ``(t, u)`` reads
    the 4x4 input tile ``d`` at ``(2t, 2u)`` (neighbours overlap by 2).

    1. Input transform ``V = BT d B`` of every tile and channel, as the
       additions it is: ``(4, 4, tiles, C_in)``.
    2. Kernel transform ``U = G g GT``, once per layer:
       ``(4, 4, C_in, C_out)``.
    3. For each of the 16 positions ``(i, j)`` of the transformed tile, the
       products summed over input channels are one matrix product
       ``V[i, j] @ U[i, j]``, ``(tiles x C_in) @ (C_in x C_out)``: 16 matrix
       products doing 16 multiplications per tile and channel pair where
       the direct method (and im2col's one big product) does 36.
    4. Output transform ``AT M A`` (additions), tiles put back in place.

    Odd output sizes: the last row/column of tiles is computed on zero
    padding and cropped (that tile does 16 multiplications for 2 or 1
    outputs).

    How it is arranged for speed in NumPy: the padded input is stored
    channels last and split by row and column parity, so that every
    addition runs over long contiguous blocks; steps 1 and 3 go one row
    ``i`` of the transformed tile at a time (4 products each), feeding the
    first pass of the output transform, so that no temporary holds all 16
    positions (fewer fresh pages of memory, which a busy machine makes
    expensive).
    """
    func = "conv2d_winograd"
    w = as_weights(w, func, "(C_out, C_in, 3, 3)")
    if w.shape[2:] != (3, 3):
        raise ValueError(
            f"{func}: F(2x2, 3x3) needs 3x3 kernels, got "
            f"{w.shape[2]}x{w.shape[3]}; use conv2d_im2col or "
            "conv2d_fft for other sizes."
        )
    args = check_conv_args(x, w, b, 1, padding, 1, 1, func)
    x, w = args.x, args.w
    (pt, _), (pl, _) = args.pads
    ho, wo = args.out_hw
    n, c, h, wd = x.shape
    o = w.shape[0]
    dtype = np.result_type(x, w)
    th, tw = -(-ho // 2), -(-wo // 2)  # 2x2 output tiles per side (ceil)
    # The padded input (2 th + 2) x (2 tw + 2), split by parity, channels
    # last: P[p, s, n, q, v, c] = x_pad[n, c, 2q + p, 2v + s].
    P = np.zeros((2, 2, n, th + 1, tw + 1, c), dtype=dtype)
    for p in range(2):
        r0 = pt + (p - pt) % 2  # first padded row of parity p inside x
        rows = range(r0 - pt, h, 2)
        for s in range(2):
            c0 = pl + (s - pl) % 2
            cols = range(c0 - pl, wd, 2)
            P[
                p,
                s,
                :,
                r0 // 2 : r0 // 2 + len(rows),
                c0 // 2 : c0 // 2 + len(cols),
            ] = x[:, :, r0 - pt :: 2, c0 - pl :: 2].transpose(0, 2, 3, 1)
    # 2. G g GT for every (o, c) as one product with kron(G, G): (16, 9),
    # as U[a, j] = (C_in x C_out) matrices
    GG = np.kron(WINOGRAD_G, WINOGRAD_G).astype(dtype)
    U = (GG @ w.reshape(o * c, 9).T.astype(dtype)).reshape(4, 4, o, c)
    U = np.ascontiguousarray(U.transpose(0, 1, 3, 2))
    # 1. and 3., one row a of the transformed tile at a time: BT along the
    # rows (tile row i reads P[i % 2] from q = i // 2), then along the
    # columns, gives V[a, j] (tiles x C_in) for j = 0..3; the 4 products
    # V[a, j] @ U[a, j] go straight into AT's first pass, which sums over
    # a: T[0] = M[0] + M[1] + M[2], T[1] = M[1] - M[2] - M[3].
    tiles = n * th * tw
    d = [P[i % 2, :, :, i // 2 : i // 2 + th] for i in range(4)]
    r = np.empty((2, n, th, tw + 1, c), dtype=dtype)  # one row of BT d
    V = np.empty((4, n, th, tw, c), dtype=dtype)  # its 4 columns
    M = np.empty((2, 4, tiles, o), dtype=dtype)  # AT's first pass
    Ma = np.empty((4, tiles, o), dtype=dtype)
    for a, (op, i, k) in enumerate(_BT_ROWS):
        op(d[i], d[k], out=r)
        _bt([r[j % 2, :, :, j // 2 : j // 2 + tw] for j in range(4)], V)
        Va = V.reshape(4, tiles, c)
        if a < 2:  # T[0] = M[0], T[1] = M[1], then T[0] += M[1]
            np.matmul(Va, U[a], out=M[a])
        else:
            np.matmul(Va, U[a], out=Ma)
        if a == 1:
            M[0] += M[1]
        elif a == 2:
            M[0] += Ma
            M[1] -= Ma
        elif a == 3:
            M[1] -= Ma
    del P, d, r, V, Ma
    M = M.reshape(2, 4, n, th, tw, o)
    # 4. AT's second pass (over j), in place; each pixel to its place
    _at_in_place(M.swapaxes(0, 1))
    out = np.empty((n, o, th, 2, tw, 2), dtype=dtype)
    out.transpose(3, 5, 0, 2, 4, 1)[...] = M[:2, :2]
    out = out.reshape(n, o, 2 * th, 2 * tw)
    if (2 * th, 2 * tw) != (ho, wo):
        out = out[:, :, :ho, :wo]
    return _finish(out, args.b, args.unbatched)
