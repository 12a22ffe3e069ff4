"""The helpers that check a learner's module-building function explain every failure."""

import torch
from torch import nn

from convlab.exercises.builders import (
    builder_problem,
    call_builder,
    run_module,
)
from convlab.exercises.feedback import Feedback


def test_builder_problem_explains_missing_or_called_function():
    assert "no answer yet" in builder_problem(None, "make_block").message
    called = builder_problem(nn.ReLU(), "make_block")
    assert not called and "without calling it" in called.message
    assert (
        "builds a model"
        in builder_problem(3, "make_model", what="a model").message
    )
    assert builder_problem(lambda: nn.ReLU(), "make_block") is None


def test_call_builder_returns_the_module_or_says_what_went_wrong():
    assert isinstance(
        call_builder(lambda c: nn.Conv2d(c, c, 1), "make_block", (2,)),
        nn.Conv2d,
    )

    def broken(c):
        raise RuntimeError("oops")

    failure = call_builder(broken, "make_block", (2,))
    assert (
        isinstance(failure, Feedback)
        and "make_block(2,) raised RuntimeError: oops" in failure.message
    )
    assert (
        "no answer yet: make_block() returned None. Return the block"
        in call_builder(
            lambda: None, "make_block", returns="the block"
        ).message
    )
    assert (
        "returned int 3; return an nn.Module"
        in call_builder(lambda: 3, "make_block").message
    )


def test_run_module_runs_without_gradients_or_explains_the_failure_with_a_hint():
    y = run_module(nn.Linear(3, 2), torch.ones(4, 3), "your layer")
    assert y.shape == (4, 2) and not y.requires_grad
    failure = run_module(
        nn.Linear(3, 2),
        torch.ones(4, 5),
        "your layer",
        hint=lambda exc: " Check the width.",
    )
    assert isinstance(failure, Feedback) and not failure
    assert failure.message.startswith(
        "your layer fails on an input of shape (4, 5): RuntimeError"
    )
    assert failure.message.endswith(" Check the width.")
