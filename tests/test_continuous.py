"""convlab.continuous: closed forms, the numerical convolution integral and its
convergence, properties of convolution, and clear errors for bad input."""

import math
import re

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st

from convlab import continuous as cc
from convlab import ops

widths = st.floats(0.2, 3.0, allow_nan=False, allow_infinity=False)
times = st.floats(-4.0, 4.0, allow_nan=False, allow_infinity=False)


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def gauss(sigma, mu=0.0):
    return lambda t: cc.gaussian(t, sigma, mu)


# ------------------------------------------------------------ the signals
def test_box_values_inside_on_the_edge_and_outside():
    np.testing.assert_array_equal(
        cc.box([-1.0, -0.5, 0.0, 0.25, 0.5, 0.7], width=1.0),
        [0, 0.5, 1, 1, 0.5, 0],
    )


def test_signals_keep_the_shape_of_t():
    t = np.zeros((2, 3))
    for signal in (
        cc.box,
        cc.triangle,
        cc.gaussian,
        cc.decay,
        cc.box_conv_box,
        cc.triangle_conv_triangle,
        cc.box_conv_decay,
        lambda s: cc.gaussian_conv_gaussian(s, 1.0, 2.0),
    ):
        assert signal(t).shape == (2, 3)


@pytest.mark.parametrize(
    "signal,area",
    [
        (cc.box, 1.0),
        (lambda t: cc.box(t, 2.5), 2.5),
        (cc.triangle, 1.0),
        (cc.triangle_conv_triangle, 1.0),
        (gauss(0.3, 1.0), 1.0),
        (lambda t: cc.decay(t, 2.0), 1.0),
    ],
)
def test_areas(signal, area):
    tau = cc.midpoint_grid(-10, 10, 1e-3)
    assert abs(1e-3 * np.sum(signal(tau)) - area) < 1e-5


def test_gaussian_peak_and_decay_start():
    assert math.isclose(
        float(cc.gaussian(0.0, 2.0)), 1 / (2 * math.sqrt(2 * math.pi))
    )
    np.testing.assert_allclose(
        cc.decay([-1e-9, 0.0, 1.0], rate=3.0), [0.0, 3.0, 3 * math.exp(-3)]
    )


# ------------------------------------------------------- the closed forms
@settings(max_examples=40, deadline=None)
@given(a=widths, b=widths, t=times)
def test_box_conv_box_is_the_integral_of_the_overlap(a, b, t):
    overlap = max(
        0.0, min(a / 2, t + b / 2) - max(-a / 2, t - b / 2)
    )  # length of the interval where both are 1
    assert math.isclose(
        float(cc.box_conv_box(t, a, b)), overlap, abs_tol=1e-12
    )


def test_box_conv_box_shape_facts():
    a, b = 3.0, 1.0
    assert float(cc.box_conv_box(0.0, a, b)) == min(a, b)  # flat top
    assert (
        float(cc.box_conv_box((a + b) / 2, a, b)) == 0.0
    )  # support ends at (a + b) / 2
    np.testing.assert_array_equal(
        cc.box_conv_box(np.linspace(-3, 3, 13), 1, 1),
        cc.triangle(np.linspace(-3, 3, 13)),
    )


CLOSED_FORMS = [
    ("box*box", cc.box, cc.box, cc.triangle),
    (
        "box2*box0.5",
        lambda t: cc.box(t, 2.0),
        lambda t: cc.box(t, 0.5),
        lambda t: cc.box_conv_box(t, 2.0, 0.5),
    ),
    ("tri*tri", cc.triangle, cc.triangle, cc.triangle_conv_triangle),
    (
        "gauss*gauss",
        gauss(0.6, 0.5),
        gauss(0.8, -1.0),
        lambda t: cc.gaussian_conv_gaussian(t, 0.6, 0.8, 0.5, -1.0),
    ),
    (
        "box*decay",
        lambda t: cc.box(t, 1.5),
        lambda t: cc.decay(t, 2.0),
        lambda t: cc.box_conv_decay(t, 1.5, 2.0),
    ),
]


@pytest.mark.parametrize(
    "name,f,g,exact", CLOSED_FORMS, ids=[c[0] for c in CLOSED_FORMS]
)
def test_numerical_integral_matches_closed_form(name, f, g, exact):
    t = np.linspace(-4, 4, 81) + 0.013  # off the grid's special points
    for step in (1e-2, 2.5e-3):
        err = np.max(
            np.abs(cc.convolve_integral(f, g, t, step=step) - exact(t))
        )
        assert (
            err < 2 * step
        )  # every integrand here is bounded by 2 with at most a few jumps


@pytest.mark.parametrize(
    "f,g,exact,order",
    [
        (
            cc.box,
            cc.box,
            cc.triangle,
            1.0,
        ),  # the integrand jumps: first order
        (
            cc.triangle,
            cc.triangle,
            cc.triangle_conv_triangle,
            2.0,
        ),  # the integrand has kinks: second order
    ],
)
def test_measured_convergence_orders(f, g, exact, order):
    t = np.linspace(-2.5, 2.5, 501)
    steps = 2.0 ** -np.arange(1, 7)
    errors = [
        np.max(
            np.abs(
                cc.convolve_integral(f, g, t, step=h, lo=-6, hi=6)
                - exact(t)
            )
        )
        for h in steps
    ]
    np.testing.assert_allclose(
        cc.observed_orders(steps, errors), order, atol=0.05
    )


def test_smooth_gaussian_converges_faster_than_any_fixed_order():
    sigma = 1 / math.sqrt(12)
    t = np.linspace(-2.5, 2.5, 501)
    errors = [
        np.max(
            np.abs(
                cc.convolve_integral(
                    gauss(sigma), gauss(sigma), t, step=h, lo=-6, hi=6
                )
                - cc.gaussian_conv_gaussian(t, sigma, sigma)
            )
        )
        for h in (0.5, 0.25)
    ]
    assert (
        errors[1] < 1e-5 and cc.observed_orders([0.5, 0.25], errors)[0] > 10
    )


# ---------------------------------------------------------- properties
@settings(max_examples=25, deadline=None)
@given(t=times, a=widths, rate=st.floats(0.3, 3.0))
def test_commutative(t, a, rate):
    f, g = (lambda s: cc.box(s, a)), (lambda s: cc.decay(s, rate))
    fg = cc.convolve_integral(f, g, t, step=1e-3, lo=-20, hi=20)
    gf = cc.convolve_integral(g, f, t, step=1e-3, lo=-20, hi=20)
    assert (
        abs(fg - gf) < 4e-3
    )  # both are within 2 * step of the same exact value


@settings(max_examples=25, deadline=None)
@given(
    t=times,
    alpha=st.floats(-3, 3),
    beta=st.floats(-3, 3),
    s1=widths,
    s2=widths,
)
def test_linear_in_the_first_argument(t, alpha, beta, s1, s2):
    g = lambda s: cc.decay(s, 1.0)  # noqa: E731
    combo = lambda s: alpha * cc.gaussian(s, s1) + beta * cc.box(s, s2)  # noqa: E731
    left = cc.convolve_integral(combo, g, t, step=1e-2)
    right = alpha * cc.convolve_integral(
        gauss(s1), g, t, step=1e-2
    ) + beta * cc.convolve_integral(
        lambda s: cc.box(s, s2), g, t, step=1e-2
    )
    assert math.isclose(
        left, right, rel_tol=1e-9, abs_tol=1e-12
    )  # exact: the sum is linear too


@settings(max_examples=25, deadline=None)
@given(t=times, shift=st.floats(-2, 2), s1=widths)
def test_shifting_f_shifts_the_output(t, shift, s1):
    g = lambda s: cc.box(s, 1.0)  # noqa: E731
    shifted = cc.convolve_integral(gauss(s1, shift), g, t, step=1e-3)
    assert (
        abs(
            shifted
            - cc.convolve_integral(gauss(s1), g, t - shift, step=1e-3)
        )
        < 2e-3
    )


def test_variances_add():
    t = cc.midpoint_grid(-12, 12, 1e-2)
    for f, g, var in [
        (gauss(0.6), gauss(0.8), 1.0),
        (cc.box, cc.box, 2 / 12),
        (cc.box, lambda s: cc.box(s, 3.0), 10 / 12),
    ]:
        area_f, area_g = (1e-2 * np.sum(s(t)) for s in (f, g))
        y = cc.convolve_integral(f, g, t, step=1e-3, lo=-6, hi=6) / (
            area_f * area_g
        )
        assert abs(1e-2 * np.sum(t**2 * y) - var) < 1e-3


def test_narrow_unit_box_reproduces_the_impulse_response():
    t = np.linspace(0.2, 3, 15)
    for eps in (0.1, 0.01):
        y = cc.convolve_integral(
            lambda s: cc.box(s, eps) / eps,
            cc.decay,
            t,
            step=eps / 100,
            lo=-eps,
            hi=eps,
        )
        assert np.max(np.abs(y - cc.decay(t))) < eps


def test_sampled_convolution_is_step_times_discrete_convolution():
    t, y = cc.sampled_convolution(cc.box, cc.decay, 0.01, (-1, 1), (-1, 15))
    tau, s = cc.midpoint_grid(-1, 1, 0.01), cc.midpoint_grid(-1, 15, 0.01)
    np.testing.assert_allclose(
        y, 0.01 * ops.conv1d(cc.box(tau), cc.decay(s)), atol=1e-12
    )
    assert t.shape == y.shape == (len(tau) + len(s) - 1,)
    assert math.isclose(t[0], tau[0] + s[0]) and math.isclose(
        t[1] - t[0], 0.01
    )
    assert np.max(np.abs(y - cc.box_conv_decay(t))) < 0.01


def test_observed_orders_recovers_a_power_law():
    steps = np.array([0.1, 0.05, 0.01])
    np.testing.assert_allclose(
        cc.observed_orders(steps, 3 * steps**2.5), [2.5, 2.5]
    )


def test_midpoint_grid_points():
    np.testing.assert_allclose(
        cc.midpoint_grid(0, 1, 0.25), [0.125, 0.375, 0.625, 0.875]
    )
    assert (
        len(cc.midpoint_grid(0, 1, 0.3)) == 4
    )  # covers [0, 1.2], at least [lo, hi]


def test_scalar_t_gives_a_float_and_array_t_keeps_its_shape():
    assert isinstance(
        cc.convolve_integral(cc.box, cc.box, 0.3, step=0.01), float
    )
    assert cc.convolve_integral(
        cc.box, cc.box, np.zeros((2, 2)), step=0.01
    ).shape == (2, 2)


def test_constant_signal_may_return_a_scalar():
    assert math.isclose(
        cc.convolve_integral(cc.box, lambda s: 2.0, 0.0, step=0.01), 2.0
    )


# ------------------------------------------------------------ bad input
@pytest.mark.parametrize(
    "call,exc,fragment",
    [
        (
            lambda: cc.box(0.0, width=0),
            ValueError,
            "box: width must be positive, got 0.",
        ),
        (
            lambda: cc.box(0.0, width="1"),
            TypeError,
            "box: width must be a number, got str '1'",
        ),
        (
            lambda: cc.gaussian(0.0, sigma=-1),
            ValueError,
            "gaussian: sigma must be positive, got -1.",
        ),
        (
            lambda: cc.gaussian(0.0, mu=float("nan")),
            ValueError,
            "gaussian: mu must be finite",
        ),
        (
            lambda: cc.decay(0.0, rate=True),
            TypeError,
            "decay: rate must be a number, got bool True",
        ),
        (lambda: cc.box(np.array([1j])), TypeError, "box: t is complex"),
        (lambda: cc.triangle(None), TypeError, "triangle: t is None"),
        (
            lambda: cc.box_conv_box(0.0, 1.0, float("inf")),
            ValueError,
            "box_conv_box: b must be a finite number, got inf",
        ),
        (
            lambda: cc.convolve_integral(np.ones(3), cc.box, 0.0),
            TypeError,
            "convolve_integral: f must be a function",
        ),
        (
            lambda: cc.convolve_integral(cc.box, None, 0.0),
            TypeError,
            "convolve_integral: g must be a function",
        ),
        (
            lambda: cc.convolve_integral(cc.box, cc.box, 0.0, step=0),
            ValueError,
            "convolve_integral: step must be positive, got 0.",
        ),
        (
            lambda: cc.convolve_integral(cc.box, cc.box, 0.0, lo=1, hi=-1),
            ValueError,
            "convolve_integral: the integration range needs lo < hi, got lo=1.0, hi=-1.0",
        ),
        (
            lambda: cc.convolve_integral(cc.box, cc.box, [0.0, np.nan]),
            ValueError,
            "convolve_integral: t must be finite",
        ),
        (
            lambda: cc.convolve_integral(cc.box, cc.box, 0.0, step=1e-9),
            ValueError,
            "needs 20000000000 grid points",
        ),
        (
            lambda: cc.convolve_integral(
                lambda s: np.ones(3), cc.box, 0.0, step=0.5
            ),
            ValueError,
            "convolve_integral: f must return one value per input point: called with an array of shape (40,), "
            "it returned shape (3,)",
        ),
        (
            lambda: cc.convolve_integral(
                cc.box, lambda s: s.astype(complex), 0.0
            ),
            TypeError,
            "convolve_integral: the output of g is complex",
        ),
        (
            lambda: cc.sampled_convolution(cc.box, cc.box, 0.1, (-1, 1), 3),
            ValueError,
            "sampled_convolution: g_range must be a pair (lo, hi), got 3",
        ),
        (
            lambda: cc.sampled_convolution(
                "box", cc.box, 0.1, (-1, 1), (-1, 1)
            ),
            TypeError,
            "sampled_convolution: f must be a function",
        ),
        (
            lambda: cc.midpoint_grid(0, 1, -0.1),
            ValueError,
            "midpoint_grid: step must be positive, got -0.1",
        ),
        (
            lambda: cc.observed_orders([0.1, 0.05], [1e-3, 0.0]),
            ValueError,
            "an error of 0 has no order",
        ),
        (
            lambda: cc.observed_orders([0.1], [1e-3]),
            ValueError,
            "at least two (step, error) pairs, got 1",
        ),
        (
            lambda: cc.observed_orders([0.1, 0.05], [1e-3]),
            ValueError,
            "same length, got 2 and 1",
        ),
        (
            lambda: cc.observed_orders([0.1, 0.1], [1e-3, 1e-4]),
            ValueError,
            "consecutive steps must differ",
        ),
        (
            lambda: cc.observed_orders([[0.1, 0.05]], [[1e-3, 1e-4]]),
            ValueError,
            "observed_orders: steps must have shape (n,), but it has 2 dimensions",
        ),
    ],
)
def test_bad_input_is_explained(call, exc, fragment):
    with raises(exc, fragment):
        call()
