"""Facts that the course states in prose or in quiz feedback, checked numerically."""

import numpy as np


def test_triangle_convolved_with_itself_is_c2_but_not_c3():
    # triangle = box * box; triangle * triangle = box^{*4}, the cubic B-spline:
    # its 2nd derivative is continuous, its 3rd jumps (at the knots -2..2)
    h = 1e-3
    t = np.arange(-1, 1 + h / 2, h)
    tri = 1 - np.abs(t)  # support [-1, 1]
    f = np.convolve(tri, tri) * h  # support [-2, 2]
    s = np.arange(len(f)) * h - 2
    d2 = np.diff(f, 2) / h**2
    d3 = np.diff(f, 3) / h**3
    inside = (s[2:-1] > -1.9) & (s[2:-1] < 1.9)
    # C^2: no jump in the 2nd derivative (steps of order h)
    assert np.abs(np.diff(d2[1:][inside])).max() < 50 * h
    # not C^3: the 3rd derivative jumps at the knots, by 4, 6, 4 at t = -1, 0, 1
    jumps = np.abs(np.diff(d3[inside]))
    assert 5.5 < jumps.max() < 6.5 and (jumps > 3).sum() == 3
    assert np.isclose(f.max(), 2 / 3, atol=1e-4)  # B-spline peak (box^{*4})
