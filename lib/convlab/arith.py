"""Shape arithmetic for convolution and pooling layers.

All sizes are along one spatial axis (apply once for height, once for width).
``n`` input size, ``k`` kernel size, ``s`` stride, ``p`` padding added on *each*
side, ``d`` dilation. The formulas are those of ``torch.nn.functional.conv2d``
and ``max_pool2d`` / ``avg_pool2d``; the tests check them against PyTorch.
"""

from __future__ import annotations

import math

from typing import NamedTuple

from .validation import as_int

__all__ = [
    "conv_output_size",
    "pool_output_size",
    "effective_kernel_size",
    "conv_transpose_output_size",
    "receptive_field",
    "ReceptiveField",
    "count_params",  # noqa: F822 (from convlab.cost, see __getattr__)
    "count_macs",  # noqa: F822
]

# Counting the cost of torch modules needs torch, which this module (imported by ``ops``) does not
# load: ``count_params`` and ``count_macs`` live in ``convlab.cost`` and are fetched from there on
# first use (``from convlab.arith import count_macs`` works).
_FROM_COST = ("count_params", "count_macs")


def __getattr__(name):
    if name in _FROM_COST:
        from . import cost

        return getattr(cost, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def effective_kernel_size(k: int, d: int = 1) -> int:
    """Number of input cells a dilated kernel spans: ``d*(k - 1) + 1``."""
    k = as_int(k, "k", "effective_kernel_size", minimum=1)
    d = as_int(d, "d", "effective_kernel_size", minimum=1)
    return d * (k - 1) + 1


def conv_output_size(
    n: int, k: int, s: int = 1, p: int = 0, d: int = 1
) -> int:
    """Output size of a convolution: ``floor((n + 2p - d(k-1) - 1) / s) + 1``.

    Raises ``ValueError`` when the setting produces no output (the dilated
    kernel is larger than the padded input).
    """
    func = "conv_output_size"
    n, k = as_int(n, "n", func, minimum=1), as_int(k, "k", func, minimum=1)
    s, p, d = (
        as_int(s, "s", func, minimum=1),
        as_int(p, "p", func, minimum=0),
        as_int(d, "d", func, minimum=1),
    )
    span = d * (k - 1) + 1
    if span > n + 2 * p:
        raise ValueError(
            f"{func}: no output: the kernel spans d*(k-1)+1 = {span} cells but the padded input has only "
            f"n + 2p = {n + 2 * p}. Use a smaller kernel or dilation, or more padding."
        )
    return (n + 2 * p - span) // s + 1


def pool_output_size(
    n: int,
    k: int,
    s: int | None = None,
    p: int = 0,
    d: int = 1,
    ceil_mode: bool = False,
) -> int:
    """Output size of max/avg pooling, as PyTorch computes it.

    ``s`` defaults to ``k`` (non-overlapping windows). With ``ceil_mode`` the
    division rounds up, so a last, partial window is kept, except when it
    would start in the right-hand padding. PyTorch also requires ``p <= k/2``.
    """
    return _pool_output_size(n, k, s, p, d, ceil_mode, "pool_output_size")


def _pool_output_size(n, k, s, p, d, ceil_mode, func):
    n, k = as_int(n, "n", func, minimum=1), as_int(k, "k", func, minimum=1)
    s = k if s is None else as_int(s, "s", func, minimum=1)
    p, d = as_int(p, "p", func, minimum=0), as_int(d, "d", func, minimum=1)
    if not isinstance(ceil_mode, bool):
        raise TypeError(
            f"{func}: ceil_mode must be True or False, got {ceil_mode!r}."
        )
    if 2 * p > k:
        raise ValueError(
            f"{func}: padding {p} is more than half the kernel size {k}; a window could then "
            "lie entirely in the padding, so PyTorch forbids it."
        )
    span = d * (k - 1) + 1
    rounded = math.ceil if ceil_mode else math.floor
    out = rounded((n + 2 * p - span) / s) + 1
    if (
        ceil_mode and (out - 1) * s >= n + p
    ):  # the last window would start inside the right padding
        out -= 1
    if out < 1:
        raise ValueError(
            f"{func}: no output: the window spans {span} cells but the padded input has only {n + 2 * p}."
        )
    return out


def conv_transpose_output_size(
    n: int,
    k: int,
    s: int = 1,
    p: int = 0,
    output_padding: int = 0,
    d: int = 1,
) -> int:
    """Output size of a transposed convolution, as ``torch.nn.functional.conv_transpose2d`` computes it:
    ``(n - 1)s - 2p + d(k - 1) + output_padding + 1``.

    It is the input size of the convolution with the same ``k, s, p, d`` whose output size is ``n``;
    ``output_padding`` (smaller than ``s`` or ``d``) picks one of the several input sizes a strided
    convolution maps to the same ``n``. Raises ``ValueError`` when the result is not positive.
    """
    func = "conv_transpose_output_size"
    n, k = as_int(n, "n", func, minimum=1), as_int(k, "k", func, minimum=1)
    s, p, d = (
        as_int(s, "s", func, minimum=1),
        as_int(p, "p", func, minimum=0),
        as_int(d, "d", func, minimum=1),
    )
    output_padding = as_int(
        output_padding, "output_padding", func, minimum=0
    )
    if output_padding >= s and output_padding >= d:
        raise ValueError(
            f"{func}: output_padding must be smaller than the stride or the dilation, "
            f"got output_padding={output_padding}, s={s}, d={d}."
        )
    out = (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1
    if out < 1:
        raise ValueError(
            f"{func}: no output: (n-1)s - 2p + d(k-1) + output_padding + 1 = {out}; "
            "the padding removes more than the transposed convolution produces."
        )
    return out


class ReceptiveField(NamedTuple):
    """Receptive field of the last layer of a stack, along one axis, in input pixels.

    ``size``    span of the input seen by one output: ``r`` in ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``.
    ``jump``    distance in the input between neighbouring outputs: ``j_l = j_{l-1} s_l``.
    ``start``   first input index seen by output 0 (negative: it reaches into the zero padding);
                output ``i`` sees ``start + i*jump`` up to ``start + i*jump + size - 1``.
    ``offsets`` the positions within the span that actually influence the output (``0`` and
                ``size - 1`` always do); fewer than ``size`` when dilation or a stride larger than
                the kernel leaves holes (the "gridding" of stacked dilated layers).
    """

    size: int
    jump: int
    start: int
    offsets: tuple

    @property
    def dense(self) -> bool:
        """True when every input position in the span influences the output."""
        return len(self.offsets) == self.size


_LAYER_KEYS = ("kernel", "stride", "dilation", "padding")


def _layer_params(layer, i, axis, func):
    """(k, s, d, p) of one layer, given as a tuple, a dict or a module with kernel_size/stride/... attributes."""
    if isinstance(layer, (tuple, list)):
        if not 1 <= len(layer) <= 4:
            raise ValueError(
                f"{func}: layer {i} must be a tuple (kernel, stride, dilation, padding) with 1 to 4 "
                f"ints (stride, dilation default to 1, padding to 0), got {tuple(layer)!r}."
            )
        values = dict(zip(_LAYER_KEYS, layer))
    elif isinstance(layer, dict):
        values = dict(layer)
        if "kernel_size" in values:
            values["kernel"] = values.pop("kernel_size")
        unknown = set(values) - set(_LAYER_KEYS)
        if unknown or "kernel" not in values:
            raise ValueError(
                f"{func}: layer {i} must be a dict with keys 'kernel' (required), 'stride', "
                f"'dilation', 'padding', got keys {sorted(values)}."
            )
    elif (
        getattr(layer, "transposed", False) is True
    ):  # nn.ConvTranspose2d spreads, rather than gathers, its input
        raise TypeError(
            f"{func}: layer {i} is a transposed convolution ({type(layer).__name__}); it upsamples, so "
            "the recurrence for convolution and pooling layers does not apply to it."
        )
    elif hasattr(
        layer, "kernel_size"
    ):  # nn.Conv2d, nn.MaxPool2d, nn.AvgPool2d, ...
        values = {
            "kernel": layer.kernel_size,
            "stride": getattr(layer, "stride", None) or layer.kernel_size,
            "dilation": getattr(layer, "dilation", 1),
            "padding": getattr(layer, "padding", 0),
        }
    else:
        raise TypeError(
            f"{func}: layer {i} is a {type(layer).__name__}, not a (kernel, stride, dilation) tuple, a "
            "dict or a convolution/pooling module. Layers that act on each pixel alone (ReLU, "
            "BatchNorm) do not change the receptive field: leave them out."
        )
    if isinstance(
        values.get("padding"), str
    ):  # torch's padding='valid' / 'same' (stride 1)
        k_, d_ = (
            _pick(values[key] if key in values else 1, key, i, axis, func)
            for key in ("kernel", "dilation")
        )
        values["padding"] = (
            0 if values["padding"] == "valid" else d_ * (k_ - 1) // 2
        )
    out = []
    for key, default, minimum in (
        ("kernel", None, 1),
        ("stride", 1, 1),
        ("dilation", 1, 1),
        ("padding", 0, 0),
    ):
        v = values.get(key, default)
        out.append(
            as_int(
                _pick(v, key, i, axis, func),
                f"layer {i} {key}",
                func,
                minimum=minimum,
            )
        )
    return out


def _pick(value, key, i, axis, func):
    if isinstance(value, (tuple, list)):
        if axis is not None:
            if not 0 <= axis < len(value):
                raise ValueError(
                    f"{func}: axis {axis} is out of range for layer {i} {key} {tuple(value)!r}."
                )
            return value[axis]
        if len(set(value)) > 1:
            raise ValueError(
                f"{func}: layer {i} has {key} {tuple(value)!r}, different along the axes; pass axis=0 "
                "(height) or axis=1 (width) to get the receptive field along one of them."
            )
        return value[0]
    return value


def receptive_field(layers, axis: int | None = None) -> ReceptiveField:
    """Receptive field of a stack of convolution/pooling layers, along one spatial axis.

    ``layers`` is a sequence, first layer first, of tuples ``(kernel, stride, dilation, padding)``
    (trailing items optional: stride and dilation default to 1, padding to 0), of dicts with those
    keys (``kernel`` required), or of torch modules with ``kernel_size``/``stride``/``dilation``/
    ``padding`` attributes (``nn.Conv2d``, ``nn.MaxPool2d``, ``nn.AvgPool2d``). Pairs (height, width)
    must be equal unless ``axis`` (0 height, 1 width) picks one. With ``r_0 = 1``, ``j_0 = 1``,
    ``start_0 = 0``, each layer does

        ``r_l = r_{l-1} + d_l (k_l - 1) j_{l-1}``,  ``j_l = j_{l-1} s_l``,  ``start_l = start_{l-1} - p_l j_{l-1}``.

    Padding moves where the field starts, never its size (zero padding: with ``padding_mode="reflect"``
    an output near the border also sees the reflected pixels). An empty stack gives ``(1, 1, 0, (0,))``.
    ``convlab.cost.measure_receptive_field`` measures the same field from gradients.
    """
    func = "receptive_field"
    if isinstance(layers, (str, bytes, dict)) or not hasattr(
        layers, "__iter__"
    ):
        raise TypeError(
            f"{func}: layers must be a sequence of layers, first layer first, e.g. [(3, 1, 1), (2, 2, 1)]; "
            f"got {type(layers).__name__}."
        )
    if axis is not None:
        axis = as_int(axis, "axis", func, minimum=0)
    size, jump, start, offsets = 1, 1, 0, {0}
    for i, layer in enumerate(layers):
        k, s, d, p = _layer_params(layer, i, axis, func)
        start -= p * jump
        step = d * jump  # distance between two taps, in input pixels
        offsets = {o + t * step for o in offsets for t in range(k)}
        size += d * (k - 1) * jump
        jump *= s
    return ReceptiveField(size, jump, start, tuple(sorted(offsets)))
