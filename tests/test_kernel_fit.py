"""convlab.kernel_fit: the window matrix reproduces corr2d, the Hessian is the
one autograd finds, and the critical step size separates convergence from
divergence; bad arguments get clear errors."""

import re

import numpy as np
import pytest
import torch
from hypothesis import given, settings, strategies as st
from hypothesis.extra.numpy import arrays

from convlab import kernel_fit, ops
from strategies import finite
from tolerances import SAME_SUM, THROUGH_TRANSFORM


@st.composite
def image_and_kernel(draw):
    kh, kw = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(kh, 7)), draw(st.integers(kw, 7))
    X = draw(arrays(np.float64, (h, w), elements=finite(5)))
    K = draw(arrays(np.float64, (kh, kw), elements=finite(5)))
    b = draw(finite(5))
    return X, K, b


@settings(max_examples=150, deadline=None)
@given(image_and_kernel())
def test_window_matrix_reproduces_corr2d(XKb):
    X, K, b = XKb
    A = kernel_fit.window_matrix(X, K.shape)
    assert A.shape == (
        (X.shape[0] - K.shape[0] + 1) * (X.shape[1] - K.shape[1] + 1),
        K.size,
    )
    np.testing.assert_allclose(
        A @ K.ravel(), ops.corr2d(X, K).ravel(), **SAME_SUM
    )
    Ab = kernel_fit.window_matrix(X, K.shape, bias=True)
    np.testing.assert_allclose(
        Ab @ np.append(K.ravel(), b),
        ops.corr2d(X, K).ravel() + b,
        **SAME_SUM,
    )


@settings(max_examples=40, deadline=None)
@given(image_and_kernel(), st.sampled_from(kernel_fit.REDUCTIONS))
def test_hessian_and_gradient_match_autograd(XKb, reduction):
    X, K, _ = XKb
    A = kernel_fit.window_matrix(X, K.shape)
    y = np.linspace(-1, 1, len(A))
    At, yt = torch.from_numpy(A), torch.from_numpy(y)

    def loss(w):
        r = At @ w - yt
        return (r**2).sum() if reduction == "sum" else (r**2).mean()

    w = torch.from_numpy(K.ravel().copy()).requires_grad_()
    H = torch.autograd.functional.hessian(loss, w.detach()).numpy()
    np.testing.assert_allclose(
        kernel_fit.hessian(A, reduction), H, **THROUGH_TRANSFORM
    )
    loss(w).backward()
    np.testing.assert_allclose(
        kernel_fit.gradient(A, y, K, reduction),
        w.grad.numpy(),
        rtol=1e-10,
        atol=1e-8,
    )
    assert np.isclose(
        kernel_fit.squared_error(A, y, K, reduction),
        loss(w).item(),
        rtol=1e-12,
    )


@st.composite
def random_problem(draw):
    seed = draw(st.integers(0, 10_000))
    rng = np.random.default_rng(seed)
    h, w = draw(st.integers(3, 7)), draw(st.integers(3, 7))
    X = rng.normal(size=(h, w))
    return (
        X,
        rng.normal(size=(1, 2)),
        draw(st.booleans()),
        draw(st.sampled_from(kernel_fit.REDUCTIONS)),
    )


@settings(max_examples=40, deadline=None)
@given(random_problem())
def test_critical_step_separates_convergence_from_divergence(problem):
    X, K_true, bias, reduction = problem
    A = kernel_fit.window_matrix(X, K_true.shape, bias=bias)
    w_true = np.append(K_true.ravel(), 0.3) if bias else K_true.ravel()
    y = A @ w_true
    lam = np.linalg.eigvalsh(kernel_fit.hessian(A, reduction))
    crit = kernel_fit.critical_step_size(A, reduction)
    assert np.isclose(crit, 2 / lam[-1])
    if lam[0] < 1e-6 * lam[-1]:
        return  # (nearly) singular: too slow to converge in a test, the separation still holds for the top mode
    w0 = np.zeros(A.shape[1])
    steps = int(50 * lam[-1] / lam[0]) + 200
    steps = min(steps, 20_000)
    below = kernel_fit.gradient_descent(
        A, y, w0, 0.9 * crit, steps, reduction
    )
    above = kernel_fit.gradient_descent(
        A, y, w0, 1.1 * crit, 5000, reduction
    )
    assert (
        not below.diverged
        and below.losses[-1] < 1e-6 * max(below.losses[0], 1e-12) + 1e-20
    )
    assert above.diverged and above.losses[-1] > 1e10


def test_mean_scales_the_critical_step_by_N():
    rng = np.random.default_rng(1)
    A = kernel_fit.window_matrix(rng.normal(size=(5, 6)), (2, 2), bias=True)
    assert np.isclose(
        kernel_fit.critical_step_size(A, "mean"),
        len(A) * kernel_fit.critical_step_size(A, "sum"),
    )


def test_bias_column_never_raises_the_critical_step():
    rng = np.random.default_rng(2)
    for _ in range(20):
        X = rng.normal(size=(4, 5))
        assert kernel_fit.critical_step_size(
            kernel_fit.window_matrix(X, (1, 2), bias=True)
        ) <= kernel_fit.critical_step_size(
            kernel_fit.window_matrix(X, (1, 2))
        ) * (1 + 1e-12)


def test_gradient_descent_records_start_loss_and_stops_on_blowup():
    A = np.array([[1.0, 0.0], [0.0, 2.0]])
    run = kernel_fit.gradient_descent(
        A, [1.0, 2.0], [0.0, 0.0], lr=1.0, steps=100
    )
    assert (
        run.losses[0] == 5.0
        and run.diverged
        and run.losses[-1] > 1e10
        and len(run.losses) < 100
    )
    assert (
        kernel_fit.gradient_descent(
            A, [1.0, 2.0], [0.0, 0.0], lr=0.1, steps=0
        ).losses.size
        == 0
    )


# ---- bad input: one test per case, each checks the message ----


def raises(exc, fragment):
    return pytest.raises(exc, match=re.escape(fragment))


def test_window_matrix_rejects_1d_image():
    with raises(
        ValueError,
        "window_matrix: X must have shape (height, width), but it has 1 dimension",
    ):
        kernel_fit.window_matrix([1.0, 2.0], (1, 1))


def test_window_matrix_rejects_too_large_kernel():
    with raises(
        ValueError,
        "window_matrix: a 1x4 kernel does not fit inside the 2x3 image X",
    ):
        kernel_fit.window_matrix(np.ones((2, 3)), (1, 4))


def test_window_matrix_rejects_bad_kernel_shape():
    with raises(
        ValueError, "window_matrix: kernel_shape must be a positive int"
    ):
        kernel_fit.window_matrix(np.ones((2, 3)), (0, 1))
    with raises(
        TypeError, "window_matrix: kernel_shape must be an int, got float"
    ):
        kernel_fit.window_matrix(np.ones((2, 3)), (1.5, 1))


def test_window_matrix_rejects_non_boolean_bias():
    with raises(TypeError, "window_matrix: bias must be True or False"):
        kernel_fit.window_matrix(np.ones((2, 3)), (1, 2), bias="yes")


def test_critical_step_rejects_unknown_reduction():
    with raises(
        ValueError, "critical_step_size: reduction must be 'sum' or 'mean'"
    ):
        kernel_fit.critical_step_size(np.ones((3, 2)), reduction="avg")


def test_critical_step_rejects_zero_matrix():
    with raises(ValueError, "critical_step_size: A is all zeros"):
        kernel_fit.critical_step_size(np.zeros((3, 2)))


def test_critical_step_rejects_vector():
    with raises(ValueError, "critical_step_size: A must have shape (N, P)"):
        kernel_fit.critical_step_size(np.ones(3))


def test_critical_step_rejects_nan():
    with raises(
        ValueError, "critical_step_size: A contains NaN or infinity"
    ):
        kernel_fit.critical_step_size(np.array([[1.0, np.nan]]))


def test_gradient_rejects_mismatched_target():
    with raises(ValueError, "gradient: y has 2 values but A has 3 rows"):
        kernel_fit.gradient(np.ones((3, 2)), [1.0, 2.0], [0.0, 0.0])


def test_squared_error_rejects_mismatched_weights():
    with raises(
        ValueError, "squared_error: w has 3 values but A has 2 columns"
    ):
        kernel_fit.squared_error(
            np.ones((3, 2)), [1.0, 2.0, 3.0], [0.0, 0.0, 0.0]
        )


def test_gradient_descent_rejects_bad_step_size():
    with raises(
        ValueError, "gradient_descent: lr must be positive, got -0.1"
    ):
        kernel_fit.gradient_descent(
            np.ones((3, 2)), np.ones(3), np.zeros(2), lr=-0.1, steps=3
        )
    with raises(
        TypeError,
        "gradient_descent: lr must be a number, got str '0.1'",
    ):
        kernel_fit.gradient_descent(
            np.ones((3, 2)), np.ones(3), np.zeros(2), lr="0.1", steps=3
        )


def test_gradient_descent_rejects_bad_steps():
    with raises(
        TypeError, "gradient_descent: steps must be an int, got float 2.5"
    ):
        kernel_fit.gradient_descent(
            np.ones((3, 2)), np.ones(3), np.zeros(2), lr=0.1, steps=2.5
        )
