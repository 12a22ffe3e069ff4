"""What every model constructor of :mod:`convlab.models` shares.

* the checks of the common arguments: :func:`check_width` (the channel
  multiplier), :func:`check_dropout` (a probability in [0, 1)),
  :func:`check_network_args` (``num_classes``, ``in_channels`` and, when
  given, ``width`` and ``dropout`` at once) and :func:`check_block_args`
  (a block's ``in_channels``, ``channels`` and ``stride``);
* :func:`scaled_channels`, the rounding of ``channels * width``;
* :func:`builder`, which makes a named constructor (``alexnet``,
  ``resnet18``, ...) out of a network class and a fixed configuration, so
  that the argument list is written once, in the class.

Every check returns the cleaned value or raises ``TypeError`` (wrong kind)
or ``ValueError`` (impossible value) with a message naming the function.
"""

from __future__ import annotations

import functools
import inspect

from ..validation import as_int, as_positive_number

__all__ = [
    "check_width",
    "check_block_args",
    "check_dropout",
    "check_network_args",
    "scaled_channels",
    "builder",
]


def check_width(width, func: str) -> float:
    """Return ``width`` as a float, raising ``TypeError``/``ValueError`` unless it is a positive number."""
    return as_positive_number(
        width, "width", func, note="a channel multiplier such as 0.25"
    )


def check_block_args(func: str, in_channels, channels, stride) -> tuple:
    """Check the arguments every convolutional block starts with,
    ``in_channels``, ``channels`` (its output or inner width) and
    ``stride``, all ints >= 1; return them in that order."""
    return tuple(
        as_int(value, name, func, minimum=1)
        for value, name in (
            (in_channels, "in_channels"),
            (channels, "channels"),
            (stride, "stride"),
        )
    )


def scaled_channels(channels: int, width: float, multiple: int = 1) -> int:
    """``channels * width`` rounded to the nearest multiple of ``multiple`` (at least ``multiple``)."""
    return max(multiple, multiple * round(channels * width / multiple))


def check_dropout(dropout, func: str) -> float:
    """Return the dropout probability as a float, raising unless it is a number in [0, 1)."""
    if isinstance(dropout, bool) or not isinstance(dropout, (int, float)):
        raise TypeError(
            f"{func}: dropout must be a probability (a number in [0, 1)), got {dropout!r}."
        )
    if not 0 <= dropout < 1:
        raise ValueError(
            f"{func}: dropout is the probability of zeroing a unit and must be in [0, 1), "
            f"got {dropout!r}."
        )
    return float(dropout)


def check_network_args(
    func: str, num_classes, in_channels, width=None, dropout=None
) -> tuple:
    """Check a network's ``num_classes`` and ``in_channels`` (ints >= 1)
    and, unless None, its ``width`` (:func:`check_width`) and ``dropout``
    (:func:`check_dropout`); return the cleaned values in that order,
    ``width`` and ``dropout`` only when given."""
    values = [
        as_int(num_classes, "num_classes", func, minimum=1),
        as_int(in_channels, "in_channels", func, minimum=1),
    ]
    if width is not None:
        values.append(check_width(width, func))
    if dropout is not None:
        values.append(check_dropout(dropout, func))
    return tuple(values)


def builder(network, name: str, doc: str):
    """A constructor called ``name`` that returns ``network(*args, **kwargs)``.

    ``network`` is a network class, or a :func:`functools.partial` of one
    (or of a function building one) that fixes a configuration, e.g.
    ``partial(ResNet, BasicBlock, (2, 2, 2, 2))``. The constructor takes the
    remaining arguments, shows them in ``help`` (its signature is that of
    ``network``) and has the docstring ``doc``.
    """

    def build(*args, **kwargs):
        return network(*args, **kwargs)

    base = (
        network.func if isinstance(network, functools.partial) else network
    )
    build.__name__ = build.__qualname__ = name
    build.__doc__ = doc
    build.__module__ = base.__module__
    build.__signature__ = inspect.signature(network)
    return build
