"""Checking a learner's function that builds a torch module.

Several exercises ask for a function such as ``make_vgg_block(c_in, c_out, n)``
that returns an ``nn.Module``. Before a checker can look at the module's shape
or parameters, it has to survive whatever the learner wrote: no function yet, a
module passed instead of the function, a function that raises, returns ``None``
or something that is not a module, and a module whose forward pass fails. The
three helpers here turn each of those into a :class:`~.feedback.Feedback` that
says what to change; a checker returns that feedback as soon as it gets one
(a Feedback that is not correct is falsy, so test for ``None``, not truth)::

    problem = builder_problem(answer, "make_vgg_block")
    if problem is not None:
        return problem
    block = call_builder(answer, "make_vgg_block", case)
    if isinstance(block, Feedback):
        return block
    y = run_module(block, x, f"the block of make_vgg_block{case}")
    if isinstance(y, Feedback):
        return y
"""

from __future__ import annotations

from typing import Callable

from .compare import describe
from .feedback import CODE_NOTE, Feedback, wrong

__all__ = ["builder_problem", "call_builder", "run_module"]


def builder_problem(
    answer, name: str, what: str = "a block"
) -> Feedback | None:
    """Feedback when ``answer`` is not a function that builds ``what``; None when it is one."""
    import torch.nn as nn

    if answer is None:
        return wrong(
            f"no answer yet (the function is None). Define {name} and pass "
            "it in.",
            CODE_NOTE,
        )
    if isinstance(answer, nn.Module) or not callable(answer):
        return wrong(
            f"this exercise wants a function that builds {what}, but you gave {describe(answer)}. "
            f"Pass {name} itself, without calling it."
        )
    return None


def call_builder(
    answer: Callable,
    name: str,
    args: tuple = (),
    returns: str = "the module you built",
):
    """``answer(*args)`` when it is an ``nn.Module``; otherwise a Feedback saying what went wrong."""
    import torch.nn as nn

    call = f"{name}{tuple(args)}" if args else f"{name}()"
    try:
        module = answer(*args)
    except Exception as exc:  # the learner's code may fail in any way
        return wrong(f"{call} raised {type(exc).__name__}: {exc}.")
    if module is None:
        return wrong(
            f"no answer yet: {call} returned None. Return {returns}.",
            CODE_NOTE,
        )
    if not isinstance(module, nn.Module):
        return wrong(
            f"{call} returned {describe(module)}; return an nn.Module (e.g. nn.Sequential(...))."
        )
    return module


def run_module(
    module, x, what: str, hint: Callable[[Exception], str] | None = None
):
    """``module(x)`` without gradients when it runs; otherwise a Feedback naming ``what`` failed.

    ``hint(exc)`` may add a sentence about a likely cause of the error.
    """
    import torch

    try:
        with torch.no_grad():
            return module(x)
    except Exception as exc:  # the learner's code may fail in any way
        extra = hint(exc) if hint else ""
        return wrong(
            f"{what} fails on an input of shape {tuple(x.shape)}: {type(exc).__name__}: {exc}.{extra}"
        )
