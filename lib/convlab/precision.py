"""Low-precision number formats, gradient underflow, loss scaling and saved tensors.

Formats. A binary floating-point number with ``e`` exponent bits and ``m`` stored mantissa
(fraction) bits is ``(-1)^s * 1.f * 2^(E - bias)`` with ``bias = 2^(e-1) - 1`` for the normal
exponents ``E = 1 .. 2^e - 2``, and ``(-1)^s * 0.f * 2^(1 - bias)`` (a *subnormal*) for
``E = 0``. :func:`float_format` derives from ``(e, m)`` alone the machine epsilon ``2^-m``
(the gap between 1 and the next number), the smallest normal ``2^(1-bias)``, the smallest
subnormal ``2^(1-bias-m)`` and the largest finite number ``(2 - 2^-m) * 2^bias``; the tests
compare them with ``torch.finfo``. float16 has ``(e, m) = (5, 10)``, bfloat16 ``(8, 7)``:
bfloat16 keeps float32's range (8 exponent bits) with 3 significant decimal digits, float16
has 3-4 digits but a range that ends at 65504 above and 6e-8 below.

Underflow. Casting a number to a format rounds it to the nearest representable one (ties to
even): anything smaller in magnitude than half the smallest subnormal becomes 0.
:func:`underflow_fraction` measures the fraction of the non-zero entries of an array (e.g.
gradients) that a cast to a format *flushes to zero* after multiplying them by ``scale``;
:func:`overflow_fraction` the fraction that become infinite.

Loss scaling. Multiplying the loss by ``S`` multiplies every gradient by ``S`` (the chain rule
is linear), which moves small gradients out of the underflow zone; dividing the gradients by
``S`` (in float32) before the optimizer step gives the true ones back. :class:`DynamicLossScaler`
chooses ``S`` as ``torch.amp.GradScaler`` does: after ``growth_interval`` steps in a row with
finite gradients it multiplies ``S`` by ``growth_factor`` (2); on a step with an ``inf`` or
``nan`` gradient it skips the step and multiplies ``S`` by ``backoff_factor`` (1/2).

Saved tensors. :func:`saved_tensors` runs a function (a forward pass) and records every tensor
autograd keeps for the backward pass (``torch.autograd.graph.saved_tensors_hooks``), with its
dtype and bytes: the memory that mixed precision halves, or not.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from .validation import as_int, as_positive_number

__all__ = [
    "FloatFormat",
    "float_format",
    "FORMATS",
    "underflow_fraction",
    "overflow_fraction",
    "DynamicLossScaler",
    "SavedTensors",
    "saved_tensors",
]

#: (exponent bits, stored mantissa bits) of the formats the course compares.
_LAYOUT = {
    torch.float16: (5, 10),
    torch.bfloat16: (8, 7),
    torch.float32: (8, 23),
    torch.float64: (11, 52),
}

#: The dtypes :func:`float_format` knows, narrowest first.
FORMATS = tuple(_LAYOUT)


@dataclass(frozen=True)
class FloatFormat:
    """The layout of a binary floating-point format and the numbers it implies.

    ``bits = 1 + exponent_bits + mantissa_bits`` (sign, exponent, stored fraction);
    ``eps`` is the gap between 1 and the next representable number, ``2^-mantissa_bits``;
    ``smallest_normal``, ``smallest_subnormal`` and ``max`` are positive numbers.
    """

    name: str
    exponent_bits: int
    mantissa_bits: int

    @property
    def bits(self) -> int:
        return 1 + self.exponent_bits + self.mantissa_bits

    @property
    def bias(self) -> int:
        return 2 ** (self.exponent_bits - 1) - 1

    @property
    def eps(self) -> float:
        return 2.0**-self.mantissa_bits

    @property
    def smallest_normal(self) -> float:
        return 2.0 ** (1 - self.bias)

    @property
    def smallest_subnormal(self) -> float:
        return 2.0 ** (1 - self.bias - self.mantissa_bits)

    @property
    def max(self) -> float:
        return (2.0 - 2.0**-self.mantissa_bits) * 2.0**self.bias

    @property
    def decimal_digits(self) -> float:
        """Significant decimal digits, ``(mantissa_bits + 1) log10 2``."""
        return (self.mantissa_bits + 1) * math.log10(2.0)


def _dtype(dtype, func):
    if dtype not in _LAYOUT:
        names = ", ".join(str(d) for d in _LAYOUT)
        raise ValueError(
            f"{func}: dtype must be one of {names}, got {dtype!r}."
        )
    return dtype


def float_format(dtype) -> FloatFormat:
    """The :class:`FloatFormat` of ``dtype`` (``torch.float16``, ``bfloat16``, ``float32``, ``float64``)."""
    dtype = _dtype(dtype, "float_format")
    e, m = _LAYOUT[dtype]
    return FloatFormat(str(dtype).replace("torch.", ""), e, m)


def _values(values, func) -> torch.Tensor:
    """A float64 tensor of the values (a tensor, array, list or number)."""
    if isinstance(values, torch.Tensor):
        t = values.detach()
    else:
        try:
            t = torch.as_tensor(np.asarray(values, dtype=np.float64))
        except (TypeError, ValueError):
            raise TypeError(
                f"{func}: values must be numbers (a tensor, an array or a list), got "
                f"{type(values).__name__}."
            ) from None
    if not (t.is_floating_point() or t.dtype in (torch.int32, torch.int64)):
        raise TypeError(
            f"{func}: values must be real numbers, got dtype {t.dtype}."
        )
    return t.to(torch.float64).reshape(-1)


def _cast(values, dtype, scale, func):
    dtype = _dtype(dtype, func)
    scale = as_positive_number(scale, "scale", func)
    t = _values(values, func)
    t = t[torch.isfinite(t) & (t != 0)]
    if t.numel() == 0:
        raise ValueError(
            f"{func}: values must hold at least one finite non-zero number."
        )
    return (t * scale).to(dtype)


def underflow_fraction(values, dtype, scale: float = 1.0) -> float:
    """Fraction of the finite non-zero ``values`` that become 0 when ``scale * values`` is cast to ``dtype``.

    ``values`` are read in float64 (a tensor of any float dtype, an array or a list); zeros,
    infinities and nans are left out of the count. With ``scale = 1`` this is the share of
    gradient entries a float16 cast would lose; with a loss scale ``S`` the share lost when the
    loss is multiplied by ``S`` first.
    """
    cast = _cast(values, dtype, scale, "underflow_fraction")
    return float((cast == 0).double().mean())


def overflow_fraction(values, dtype, scale: float = 1.0) -> float:
    """Fraction of the finite non-zero ``values`` that become infinite when ``scale * values`` is cast to ``dtype``."""
    cast = _cast(values, dtype, scale, "overflow_fraction")
    return float(torch.isinf(cast).double().mean())


def _factor(value, name, func, above_one: bool) -> float:
    """A positive number above 1 (``above_one``) or below 1."""
    value = as_positive_number(value, name, func)
    if above_one and value <= 1:
        raise ValueError(
            f"{func}: {name} must be greater than 1, got {value}."
        )
    if not above_one and value >= 1:
        raise ValueError(
            f"{func}: {name} must be less than 1, got {value}."
        )
    return value


class DynamicLossScaler:
    """A dynamic loss scale: grow it while gradients stay finite, halve it and skip on overflow.

    Use, once per step::

        (scaler.scale * loss).backward()      # or scaler.scale_loss(loss).backward()
        stepped = scaler.step(optimizer)      # unscale, check, step or skip, update

    :meth:`step` divides every gradient of the optimizer's parameters by the scale (in place),
    looks for ``inf``/``nan``, calls ``optimizer.step()`` only if there is none, and then
    :meth:`update`\\ s the scale. ``history`` lists the scale used at every step so far;
    ``skipped`` counts the skipped steps. The rule is ``torch.amp.GradScaler``'s (same
    defaults: ``init_scale=2**16``, ``growth_factor=2``, ``backoff_factor=0.5``,
    ``growth_interval=2000``).
    """

    def __init__(
        self,
        init_scale: float = 2.0**16,
        growth_factor: float = 2.0,
        backoff_factor: float = 0.5,
        growth_interval: int = 2000,
    ):
        func = "DynamicLossScaler"
        self.scale = as_positive_number(init_scale, "init_scale", func)
        self.growth_factor = _factor(
            growth_factor, "growth_factor", func, above_one=True
        )
        self.backoff_factor = _factor(
            backoff_factor, "backoff_factor", func, above_one=False
        )
        self.growth_interval = as_int(
            growth_interval, "growth_interval", func, minimum=1
        )
        self.good_steps = 0
        self.skipped = 0
        self.history: list[float] = []

    def scale_loss(self, loss: torch.Tensor) -> torch.Tensor:
        """``scale * loss`` (back-propagate this instead of ``loss``)."""
        return loss * self.scale

    def update(self, found_inf: bool) -> bool:
        """Record one step; return whether its update should be applied (no inf/nan found)."""
        if not isinstance(found_inf, (bool, np.bool_)):
            raise TypeError(
                f"DynamicLossScaler.update: found_inf must be True or False, got {found_inf!r}."
            )
        self.history.append(self.scale)
        if found_inf:
            self.scale *= self.backoff_factor
            self.good_steps = 0
            self.skipped += 1
            return False
        self.good_steps += 1
        if self.good_steps == self.growth_interval:
            self.scale *= self.growth_factor
            self.good_steps = 0
        return True

    def unscale_(self, params) -> bool:
        """Divide the gradients of ``params`` by the scale in place; return whether any is inf/nan."""
        found = False
        for p in params:
            if p.grad is None:
                continue
            p.grad.div_(self.scale)
            if not torch.isfinite(p.grad).all():
                found = True
        return found

    def step(self, optimizer: torch.optim.Optimizer) -> bool:
        """Unscale the gradients, step ``optimizer`` unless one is inf/nan, update the scale.

        Returns whether the optimizer stepped.
        """
        if not isinstance(optimizer, torch.optim.Optimizer):
            raise TypeError(
                f"DynamicLossScaler.step: optimizer must be a torch.optim.Optimizer, got {type(optimizer).__name__}."
            )
        params = [p for g in optimizer.param_groups for p in g["params"]]
        found_inf = self.unscale_(params)
        if not found_inf:
            optimizer.step()
        return self.update(found_inf)


@dataclass(frozen=True)
class SavedTensors:
    """What autograd kept for the backward pass of one forward computation.

    ``count`` and ``nbytes`` are per dtype (``{torch.float32: ..., torch.bfloat16: ...}``);
    a tensor kept by several operations (one ReLU output read by two backward formulas) is
    counted once, by its storage address, shape and dtype.
    """

    count: dict
    nbytes: dict

    @property
    def total_bytes(self) -> int:
        return sum(self.nbytes.values())

    @property
    def total_count(self) -> int:
        return sum(self.count.values())


def saved_tensors(fn) -> tuple[object, SavedTensors]:
    """Run ``fn()`` and record the tensors autograd saves for backward: ``(fn's result, SavedTensors)``.

    ``fn`` is typically ``lambda: loss_fn(model(x), y)`` run with gradients enabled (and, to
    measure mixed precision, inside ``torch.autocast``). Parameters saved as they are (a float32
    weight) count as saved tensors too: they are kept in memory either way.
    """
    if not callable(fn):
        raise TypeError(
            f"saved_tensors: fn must be a function of no arguments, got {type(fn).__name__}."
        )
    seen = {}

    def pack(t):
        key = (t.data_ptr(), tuple(t.shape), t.dtype)
        seen.setdefault(key, t.element_size() * t.numel())
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        out = fn()
    count, nbytes = {}, {}
    for (_, _, dtype), size in seen.items():
        count[dtype] = count.get(dtype, 0) + 1
        nbytes[dtype] = nbytes.get(dtype, 0) + size
    return out, SavedTensors(count, nbytes)
