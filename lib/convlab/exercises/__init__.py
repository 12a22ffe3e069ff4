"""Checkers and answer forms for the course's exercise notebooks.

A learner writes an answer and calls ``check("exercise-id", answer)``; the
result is a :class:`Feedback` that says whether the answer is right and, when it
is not, what is wrong with it (wrong shape, kernel not flipped, wrong mode ...).
``check`` never raises. ``hint("exercise-id")`` shows the exercise's next
hint. ``answer_form("exercise-id")`` gives the same check behind a text box
that works in the page (also in the static HTML book, with no kernel: the
exercise's :class:`AnswerSpec` goes to the page as JSON);
``show_quiz(questions)`` shows conceptual questions that work there too.

Each chapter's checkers live in their own module and register themselves with
:func:`register`; :func:`load_all` imports them all.
"""

from __future__ import annotations

import importlib

from .feedback import Feedback
from .forms import answer_form, parse_answer
from .hinting import hint
from .quiz import show_quiz, validate_questions
from .registry import EXERCISES, check, register, set_loader
from .spec import AnswerSpec, answer_spec

__all__ = [
    "Feedback",
    "check",
    "hint",
    "answer_form",
    "answer_spec",
    "AnswerSpec",
    "parse_answer",
    "show_quiz",
    "validate_questions",
    "EXERCISES",
    "register",
    "load_all",
    "CHAPTER_MODULES",
]

# One module per chapter that has exercises, in course order.
CHAPTER_MODULES = (
    "continuous_convolution",
    "discrete_convolution",
    "convolution_properties",
    "constraining_mlp",
    "edge_detection",
    "learning_kernel",
    "padding_stride_dilation",
    "channels",
    "pooling",
    "layer_cost",
    "fast_convolution",
    "transposed_convolution",
    "convolution_zoo",
    "lenet",
    "alexnet_vgg",
    "nin_googlenet",
    "resnet",
    "densenet",
    "mobilenet",
    "comparing_architectures",
    "channel_attention",
    "pixel_attention",
    "mixing_local_global",
    "hybrid_network",
    "activation_functions",
    "training_well_on_a_cpu",
    "architecture_search",
    "depth_width",
)


def load_all() -> list[str]:
    """Import every chapter's checker module (registering its exercises).

    Returns the names of listed modules that do not exist (yet); an error
    *inside* a module is raised. The test suite requires the list to be empty.
    """
    missing = []
    for name in CHAPTER_MODULES:
        full = f"{__name__}.{name}"
        try:
            importlib.import_module(full)
        except ModuleNotFoundError as exc:
            if exc.name != full:
                raise
            missing.append(name)
    return missing


set_loader(load_all)  # lookups in registry load every chapter first
