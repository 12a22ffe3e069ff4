"""The receptive-field explorer of chapter 10, run in the page.

A stack of 1 to 4 layers without padding, each with kernel ``k``, stride
``s`` and dilation ``d``, on an input of ``n`` cells (one axis; the same
holds along the other). Pick an output cell of the last layer and the page
marks the cells of every layer below it that the output depends on, and
prints ``r = 1 + sum_l (k_l - 1) d_l s_1...s_{l-1}`` with the numbers. The
recurrence is that of :func:`convlab.arith.receptive_field`;
``tests/test_explorers_grid.py`` checks in Chromium that the marked input
cells are ``start + o*jump + offsets`` of that function, for many stacks.
"""

from __future__ import annotations

from ..arith import conv_output_size, receptive_field
from . import show
from ._checks import in_range

__all__ = ["RANGES", "receptive_field_data", "receptive_field_explorer"]

#: The range of each control (inclusive).
RANGES = {
    "n": (4, 32),
    "k": (1, 5),
    "s": (1, 3),
    "d": (1, 3),
    "layers": (1, 4),
}
#: A layer that a fourth (or third...) layer starts with when it is added.
SPARE = (3, 1, 1)


def receptive_field_data(
    layers=((3, 1, 1), (3, 2, 1), (3, 1, 2)), n=24, o=0
):
    """The explorer's starting state: ``layers`` is a sequence of
    ``(k, s, d)`` tuples, first layer first. Raises ``ValueError`` when a
    value is outside its control's range or the stack has no output
    ``o``."""
    func = "receptive_field_explorer"
    layers = list(layers)
    lo, hi = RANGES["layers"]
    if not lo <= len(layers) <= hi:
        raise ValueError(
            f"{func}: give 1 to 4 layers as (k, s, d) tuples, got "
            f"{len(layers)}."
        )
    checked = []
    for idx, layer in enumerate(layers, start=1):
        if not (isinstance(layer, (tuple, list)) and len(layer) == 3):
            raise ValueError(
                f"{func}: layer {idx} must be a (k, s, d) tuple, got "
                f"{layer!r}."
            )
        checked.append(
            [
                in_range(value, f"layer {idx} {name}", RANGES[name], func)
                for name, value in zip("ksd", layer)
            ]
        )
    n = in_range(n, "n", RANGES["n"], func)
    size = n
    for k, s, d in checked:  # raises when the stack has no output
        size = conv_output_size(size, k, s, 0, d)
    o = in_range(o, "o", (0, size - 1), func)
    field = receptive_field([tuple(layer) for layer in checked])
    return {
        "n": n,
        "o": o,
        "layers": checked,
        "spare": list(SPARE),
        "size": field.size,
        "jump": field.jump,
        "ranges": {key: list(r) for key, r in RANGES.items()},
    }


def receptive_field_explorer(
    layers=((3, 1, 1), (3, 2, 1), (3, 1, 2)), n=24, o=0
):
    """The explorer as an ``IPython.display.HTML`` object (leave it last in
    a cell)."""
    return show(
        "receptive_field",
        receptive_field_data(layers, n, o),
        title="The receptive field of a stack of layers",
    )
