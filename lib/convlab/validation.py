"""Argument checking shared by every ``convlab`` function.

Each helper either returns a cleaned-up value or raises ``TypeError`` (the
argument has the wrong kind) or ``ValueError`` (right kind, impossible value)
with a message that names the function, the argument and what was expected, so
that a learner who passes the wrong thing is told how to fix it.
"""

from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

__all__ = [
    "as_float_array",
    "as_int",
    "as_int_tuple",
    "as_positive_number",
    "as_pair",
    "as_tuple",
    "check_ndim",
    "as_image_batch",
    "as_weights",
    "as_bias",
    "check_shape",
    "check_groups",
    "conv_padding",
    "check_padding_mode",
    "conv_geometry",
    "check_conv_args",
    "ConvArgs",
    "PADDING_MODES",
]


def as_float_array(value, name: str, func: str) -> np.ndarray:
    """Return ``value`` as a real floating NumPy array.

    Integer, boolean and list inputs become float64; float16/32/64 arrays keep
    their dtype. Complex, object and string inputs are rejected.
    """
    if value is None:
        raise TypeError(
            f"{func}: {name} is None; pass an array of numbers."
        )
    try:
        arr = np.asarray(value)
    except Exception as exc:  # ragged nested lists, for example
        raise TypeError(
            f"{func}: {name} could not be read as an array ({exc})."
        ) from None
    if arr.dtype.kind in "biu":
        return arr.astype(np.float64)
    if arr.dtype.kind == "f":
        return arr
    if arr.dtype.kind == "c":
        raise TypeError(
            f"{func}: {name} is complex; only real-valued arrays are supported."
        )
    raise TypeError(
        f"{func}: {name} must hold real numbers, got an array of dtype {arr.dtype}."
    )


def check_ndim(
    arr: np.ndarray, ndims, name: str, func: str, layout: str
) -> None:
    """Raise ``ValueError`` unless ``arr.ndim`` is one of ``ndims`` (``arr``
    a NumPy array or a torch tensor).

    ``layout`` describes the expected shape, e.g. ``"(N, C, H, W)"``.
    """
    if isinstance(ndims, int):
        ndims = (ndims,)
    if arr.ndim not in ndims:
        raise ValueError(
            f"{func}: {name} must have shape {layout}, but it has {arr.ndim} "
            f"dimension{'s' if arr.ndim != 1 else ''} "
            f"(shape {tuple(arr.shape)})."
        )


def _as_int(value, name: str, func: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(
            f"{func}: {name} must be an int, got {type(value).__name__} {value!r}."
        )
    return int(value)


def as_int(value, name: str, func: str, minimum: int | None = None) -> int:
    """Return ``value`` as an int, raising ``TypeError`` for non-integers (bool
    included) and ``ValueError`` when it is below ``minimum``."""
    v = _as_int(value, name, func)
    if minimum is not None and v < minimum:
        kind = "non-negative" if minimum == 0 else f"at least {minimum}"
        raise ValueError(f"{func}: {name} must be {kind}, got {v}.")
    return v


def as_positive_number(
    value, name: str, func: str, allow_zero: bool = False, note: str = ""
) -> float:
    """Return ``value`` as a float, raising ``TypeError`` unless it is a
    real number (bools excluded) and ``ValueError`` when it is NaN,
    infinite, or not positive (negative, with ``allow_zero=True``).

    ``note`` says what the number is, in the message's parentheses: e.g.
    ``note="a learning rate such as 3e-3"`` gives "f: lr must be positive
    (a learning rate such as 3e-3), got 0."."""
    note = f" ({note})" if note else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{func}: {name} must be a number{note}, got "
            f"{type(value).__name__} {value!r}."
        )
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(
            f"{func}: {name} must be a finite number{note}, got {value!r}."
        )
    if v < 0 or (v == 0 and not allow_zero):
        kind = "non-negative" if allow_zero else "positive"
        raise ValueError(
            f"{func}: {name} must be {kind}{note}, got {value!r}."
        )
    return v


_INTERVALS = {
    "closed": ("[0, 1]", lambda v: 0.0 <= v <= 1.0),
    "open": ("(0, 1)", lambda v: 0.0 < v < 1.0),
    "left-open": ("(0, 1]", lambda v: 0.0 < v <= 1.0),
    "right-open": ("[0, 1)", lambda v: 0.0 <= v < 1.0),
}


def as_fraction(
    value, name: str, func: str, interval: str = "closed", note: str = ""
) -> float:
    """Return ``value``, a number between 0 and 1, as a float.

    ``interval`` says which ends are allowed: ``"closed"`` [0, 1],
    ``"open"`` (0, 1), ``"left-open"`` (0, 1], ``"right-open"`` [0, 1).
    Raises ``TypeError`` unless ``value`` is a real number (bools excluded)
    and ``ValueError`` when it is NaN or outside the interval; ``note`` says
    what the number is, e.g. ``note="a probability"`` gives "f: p must lie
    in [0, 1] (a probability), got 1.5."."""
    text, inside = _INTERVALS[interval]
    note = f" ({note})" if note else ""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(
            f"{func}: {name} must be a number in {text}{note}, got "
            f"{type(value).__name__} {value!r}."
        )
    v = float(value)
    if not inside(v):  # NaN fails every comparison
        raise ValueError(
            f"{func}: {name} must lie in {text}{note}, got {value!r}."
        )
    return v


def as_int_tuple(
    value,
    name: str,
    func: str,
    length: int | None = None,
    minimum: int = 1,
    what: str = "",
) -> tuple[int, ...]:
    """Return ``value``, a tuple or list of ints, as a tuple of ints.

    Raises ``TypeError`` when ``value`` is not a tuple or list, or an entry
    is not an int, and ``ValueError`` when it has the wrong number of
    entries (``length``; any number but zero when ``length`` is None) or an
    entry is below ``minimum``. ``what`` describes the tuple in the
    messages, e.g. ``"four block counts, one per stage, e.g. (2, 2, 2, 2)"``
    (default: "a non-empty tuple of ints" or "a tuple of ``length`` ints").
    """
    if not what:
        what = (
            "a non-empty tuple of ints"
            if length is None
            else f"a tuple of {length} ints"
        )
    if not isinstance(value, (tuple, list)):
        raise TypeError(f"{func}: {name} must be {what}; got {value!r}.")
    if len(value) != length if length is not None else not value:
        raise ValueError(
            f"{func}: {name} must be {what}; got {len(value)} values "
            f"{tuple(value)!r}."
        )
    return tuple(
        as_int(v, f"each entry of {name}", func, minimum=minimum)
        for v in value
    )


_AXES = {
    2: "a pair (height, width)",
    3: "three ints (depth, height, width)",
}


def as_tuple(value, n: int, name: str, func: str, minimum: int) -> tuple:
    """Turn an int or ``n`` ints into an ``n``-tuple (one value per spatial
    axis: ``(height, width)`` for ``n = 2``, ``(depth, height, width)`` for
    3).

    Raises ``TypeError`` for anything else and ``ValueError`` when a value is
    below ``minimum`` (1 for stride and dilation, 0 for padding).
    """
    if isinstance(value, (tuple, list)):
        if len(value) != n:
            raise ValueError(
                f"{func}: {name} must be an int or {_AXES.get(n, n)}, "
                f"got {len(value)} values {tuple(value)!r}."
            )
        values = tuple(_as_int(v, name, func) for v in value)
    else:
        values = (_as_int(value, name, func),) * n
    if min(values) < minimum:
        if minimum == 0:
            raise ValueError(
                f"{func}: {name} must be non-negative, got {value!r}."
            )
        raise ValueError(
            f"{func}: {name} must be a positive int (at least {minimum}), "
            f"got {value!r}."
        )
    return values


def as_pair(value, name: str, func: str, minimum: int) -> tuple[int, int]:
    """:func:`as_tuple` for the two axes ``(height, width)``."""
    return as_tuple(value, 2, name, func, minimum)


# --------------------------------------------------------------------------- layers
IMAGE_LAYOUT = "(N, C, H, W), or (C, H, W) for a single image"
CONV_WEIGHT_LAYOUT = "(C_out, C_in // groups, kH, kW)"


def as_image_batch(x, func: str, layout: str = IMAGE_LAYOUT):
    """Return ``(x4, unbatched)``: ``x`` as a float ``(N, C, H, W)`` array and
    whether it came as one ``(C, H, W)`` image (then the caller drops the batch
    axis of its result). Empty inputs are rejected."""
    x = as_float_array(x, "x", func)
    check_ndim(x, (3, 4), "x", func, layout)
    if min(x.shape) == 0:
        raise ValueError(f"{func}: the input x is empty (shape {x.shape}).")
    return (x[None], True) if x.ndim == 3 else (x, False)


def as_weights(w, func: str, layout: str = CONV_WEIGHT_LAYOUT):
    """Return the 4-D weights ``w`` as a float array; reject empty ones."""
    w = as_float_array(w, "w", func)
    check_ndim(w, 4, "w", func, layout)
    if min(w.shape) == 0:
        raise ValueError(
            f"{func}: the weights w are empty (shape {w.shape})."
        )
    return w


def check_shape(shape, expected, what: tuple, func: str) -> None:
    """Raise ``ValueError`` unless ``tuple(shape) == expected``. ``what`` is
    ``(name, meaning)``, e.g. ``("bias b", "one value per output channel")``,
    which gives "f: bias b must have shape (4,), one value per output
    channel, got (3,)."."""
    name, meaning = what
    if tuple(shape) != tuple(expected):
        raise ValueError(
            f"{func}: {name} must have shape {tuple(expected)}, {meaning}, "
            f"got {tuple(shape)}."
        )


def as_bias(b, c_out: int, func: str):
    """``None``, or the bias as a float array of shape ``(c_out,)``."""
    if b is None:
        return None
    b = as_float_array(b, "b", func)
    check_shape(
        b.shape, (c_out,), ("bias b", "one value per output channel"), func
    )
    return b


def check_groups(groups, c_in: int, c_out: int | None, func: str) -> int:
    """``groups`` as an int that divides both channel counts (``c_out=None``
    when the output channels are a multiple of ``groups`` by construction)."""
    groups = as_int(groups, "groups", func, minimum=1)
    if c_in % groups:
        raise ValueError(
            f"{func}: groups={groups} does not divide the {c_in} input "
            "channels."
        )
    if c_out is not None and c_out % groups:
        raise ValueError(
            f"{func}: groups={groups} does not divide the {c_out} output "
            "channels (w.shape[0])."
        )
    return groups


def conv_padding(padding, kernel_hw, dilation, stride, func: str):
    """``((top, bottom), (left, right))`` from torch's forms of ``padding``:
    an int, a ``(height, width)`` pair (both sides), ``"valid"`` (none) or
    ``"same"`` (output as large as the input, stride 1 only; an odd total
    puts the extra row or column at the bottom or right, as PyTorch does)."""
    if not isinstance(padding, str):
        ph, pw = as_pair(padding, "padding", func, minimum=0)
        return (ph, ph), (pw, pw)
    if padding == "valid":
        return (0, 0), (0, 0)
    if padding != "same":
        raise ValueError(
            f"{func}: padding must be an int, a pair, 'same' or 'valid', "
            f"got {padding!r}."
        )
    if tuple(stride) != (1, 1):
        raise ValueError(
            f"{func}: padding='same' is only supported with stride 1 "
            "(as in PyTorch)."
        )
    totals = [d * (k - 1) for k, d in zip(kernel_hw, dilation)]
    return tuple((t // 2, t - t // 2) for t in totals)


PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def check_padding_mode(mode, pads, hw, func: str) -> str:
    """Check ``padding_mode`` (torch's names) against the padding it must
    produce: ``"reflect"`` mirrors without repeating the border pixel, so it
    needs padding smaller than the input; ``"circular"`` wraps around at most
    once, so it needs padding no larger than the input (PyTorch's rules)."""
    if not isinstance(mode, str) or mode not in PADDING_MODES:
        raise ValueError(
            f"{func}: padding_mode must be one of {PADDING_MODES}, "
            f"got {mode!r}."
        )
    for axis, (before, after), n in zip(("height", "width"), pads, hw):
        if mode == "reflect" and max(before, after) >= n:
            raise ValueError(
                f"{func}: padding_mode='reflect' needs padding smaller than "
                f"the input; the input {axis} is {n} but the padding is "
                f"{(before, after)}."
            )
        if mode == "circular" and max(before, after) > n:
            raise ValueError(
                f"{func}: padding_mode='circular' wraps around at most once, "
                f"so the padding may not exceed the input {axis} {n}; "
                f"got {(before, after)}."
            )
    return mode


def conv_geometry(hw, kernel_hw, stride, pads, dilation, func: str):
    """``(out_hw, span)``: the output size and the extent ``d(k-1)+1`` the
    (dilated) kernel covers; ``ValueError`` when it does not fit the padded
    input."""
    (pt, pb), (pl, pr) = pads
    hp, wp = hw[0] + pt + pb, hw[1] + pl + pr
    span = tuple(d * (k - 1) + 1 for k, d in zip(kernel_hw, dilation))
    if span[0] > hp or span[1] > wp:
        raise ValueError(
            f"{func}: the kernel covers {span[0]}x{span[1]} pixels (kernel "
            f"{kernel_hw[0]}x{kernel_hw[1]}, dilation {dilation}) but the "
            f"padded input is only {hp}x{wp}; use a smaller kernel or "
            "dilation, or more padding."
        )
    out_hw = (
        (hp - span[0]) // stride[0] + 1,
        (wp - span[1]) // stride[1] + 1,
    )
    return out_hw, span


class ConvArgs(NamedTuple):
    """The checked arguments of a 2-D convolution layer (see
    :func:`check_conv_args`)."""

    x: np.ndarray  # (N, C_in, H, W), float
    w: np.ndarray  # (C_out, C_in // groups, kH, kW), float
    b: np.ndarray | None  # (C_out,) or None
    unbatched: bool  # x came as one (C, H, W) image
    stride: tuple[int, int]
    pads: tuple  # ((top, bottom), (left, right))
    dilation: tuple[int, int]
    groups: int
    out_hw: tuple[int, int]  # (H_out, W_out)
    span: tuple[int, int]  # d*(k-1)+1 along each axis


def check_conv_args(
    x, w, b, stride, padding, dilation, groups, func: str
) -> ConvArgs:
    """Check the arguments of ``torch.nn.functional.conv2d``'s signature once
    for every convolution of the library and return them normalised.

    Raises ``TypeError`` for a wrong kind (a float stride, a string array) and
    ``ValueError`` for impossible values (channel mismatch, a kernel larger
    than the padded input, ...), each message naming ``func``.
    """
    x, unbatched = as_image_batch(x, func)
    w = as_weights(w, func)
    c_in, c_out, c_in_g = x.shape[1], w.shape[0], w.shape[1]
    groups = check_groups(groups, c_in, c_out, func)
    if c_in_g * groups != c_in:
        raise ValueError(
            f"{func}: channel mismatch: the input has {c_in} channels, so "
            f"with groups={groups} the weights need shape (C_out, "
            f"{c_in // groups}, kH, kW), but w.shape[1] is {c_in_g}."
        )
    stride = as_pair(stride, "stride", func, minimum=1)
    dilation = as_pair(dilation, "dilation", func, minimum=1)
    pads = conv_padding(padding, w.shape[2:], dilation, stride, func)
    b = as_bias(b, c_out, func)
    out_hw, span = conv_geometry(
        x.shape[2:], w.shape[2:], stride, pads, dilation, func
    )
    return ConvArgs(
        x, w, b, unbatched, stride, pads, dilation, groups, out_hw, span
    )
