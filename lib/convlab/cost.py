"""What a layer costs: parameters, multiply-accumulates, activations, and the measured receptive field.

All counts are for a PyTorch ``nn.Module`` and **one sample**: ``input_shape`` is the shape of
one input *without* the batch axis, ``(C, H, W)`` for an image model (``(C, L)`` for 1-D
convolutions, ``(L, E)`` for a sequence model). A batch axis of size 1 is added before the
forward pass; pass a shape such as ``(1, 3, 224, 224)`` and the model receives a 5-D tensor and
fails, with a message saying so. A model with several inputs takes a tuple of shapes,
``((L, E), (S, E), (S, E))``.

Conventions (those of the papers that report "mult-adds"):

* A **MAC** (multiply-accumulate) is one product added into a sum. FLOPs are about ``2 x MACs``.
* The forward pass runs on a copy of the model, in evaluation mode, on PyTorch's ``meta``
  device (shapes only, no arithmetic), so counting VGG-16 at 224x224 takes a fraction of a second
  and the model itself is not touched. Training-only branches (GoogLeNet's auxiliary
  classifiers) are therefore not counted. If an operation has no meta implementation, the
  copy runs on the CPU on an input of zeros instead.
* Counting is done on the *functions* the forward pass calls (``torch.overrides.TorchFunctionMode``),
  so ``nn.Conv2d`` and ``F.conv2d`` written in a ``forward`` are counted alike. Kinds:

  ``"conv"``    ``conv1d/2d/3d``: ``C_out * H_out * W_out * (C_in / g) * kH * kW`` (bias adds not
                counted, as in the papers); ``conv_transpose1d/2d/3d``: every input element is
                multiplied by ``(C_out / g) * kH * kW`` weights, ``C_in * H_in * W_in * (C_out/g) * kH * kW``.
  ``"linear"``  ``F.linear`` (``nn.Linear``): ``in_features * out_features`` per input row.
  ``"matmul"``  ``torch.matmul``/``@``/``mm``/``bmm``: output elements times the inner size;
                ``F.scaled_dot_product_attention``: ``L*S*E + L*S*E_v`` per head;
                ``nn.MultiheadAttention``: its four projections (as ``"linear"``) plus the two
                attention products (as ``"matmul"``).
  ``"norm"``    batch/layer/group/instance norm: 1 MAC per output element (at inference the
                normalisation folds into one scale-and-shift ``a*x + b``); local response norm:
                ``size`` MACs per output element (its sum of squares).
  ``"pool"``    max/average pooling: the window size per output element (comparisons or
                additions, not products); adaptive pooling: the exact size of each window.

  The default ``include=("conv", "linear", "matmul")`` gives the "mult-adds" papers report.
  Not counted, ever: element-wise operations (activations, ``x + y`` of a residual connection,
  softmax, dropout), ``einsum``, and anything outside the list above.

:func:`attention_macs` is the formula for one global self-attention over the
pixels of an image (:mod:`convlab.attention`), the counterpart of
``count_macs`` for an operator that is not a module.

Receptive fields are measured by :func:`measure_receptive_field` (the input pixels with a
non-zero gradient for one output pixel); :func:`convlab.arith.receptive_field` gives the formula.
"""

from __future__ import annotations

import copy
import math
import numbers
from typing import NamedTuple

import numpy as np
import torch
import torch.nn as nn
from torch.overrides import TorchFunctionMode

from .validation import as_int

__all__ = [
    "count_params",
    "count_macs",
    "layer_report",
    "LayerCost",
    "measure_receptive_field",
    "input_gradient_map",
    "attention_macs",
    "KINDS",
    "DEFAULT_KINDS",
]

KINDS = ("conv", "linear", "matmul", "norm", "pool")
DEFAULT_KINDS = ("conv", "linear", "matmul")


def _check_module(module, func):
    if not isinstance(module, nn.Module):
        raise TypeError(
            f"{func}: expected a torch.nn.Module (a layer or a model), got {type(module).__name__}. "
            "Build the layer first, e.g. nn.Conv2d(3, 64, 3), and pass the object."
        )


def count_params(module, trainable_only: bool = False) -> int:
    """Number of parameters of a torch module: the sum of ``p.numel()`` over ``module.parameters()``.

    Biases are included where the layers have them (``nn.Conv2d(..., bias=False)`` has none). A
    parameter shared by two layers is counted once. Buffers, such as the running mean and
    variance of ``nn.BatchNorm2d``, are *not* parameters (they are not learned by gradient
    descent) and are not counted. ``trainable_only=True`` counts only parameters with
    ``requires_grad`` (frozen ones excluded).
    """
    func = "count_params"
    _check_module(module, func)
    if not isinstance(trainable_only, bool):
        raise TypeError(
            f"{func}: trainable_only must be True or False, got {trainable_only!r}."
        )
    total = 0
    for name, p in module.named_parameters():
        if isinstance(p, nn.parameter.UninitializedParameter):
            raise ValueError(
                f"{func}: parameter {name!r} is not initialised yet (a lazy layer); run one forward "
                "pass so that its shape is known, then count."
            )
        if p.requires_grad or not trainable_only:
            total += p.numel()
    return int(total)


# ----------------------------------------------------------------- counting rules, one per function
def _arg(args, kwargs, i, name, default=None):
    if len(args) > i:
        return args[i]
    return kwargs.get(name, default)


def _prod(values):
    return int(math.prod(int(v) for v in values))


def _conv(args, kwargs, out):
    weight = _arg(args, kwargs, 1, "weight")  # (C_out, C_in/g, *k)
    return {"conv": out.numel() * _prod(weight.shape[1:])}


def _conv_transpose(args, kwargs, out):
    x, weight = (
        _arg(args, kwargs, 0, "input"),
        _arg(args, kwargs, 1, "weight"),
    )  # weight (C_in, C_out/g, *k)
    return {"conv": x.numel() * _prod(weight.shape[1:])}


def _linear(args, kwargs, out):
    weight = _arg(args, kwargs, 1, "weight")  # (out_features, in_features)
    return {"linear": out.numel() * int(weight.shape[-1])}


def _matmul(args, kwargs, out):
    a = _arg(args, kwargs, 0, "input")
    return {"matmul": out.numel() * int(a.shape[-1])}


def _sdpa(args, kwargs, out):
    q, k, v = (
        _arg(args, kwargs, i, n)
        for i, n in enumerate(("query", "key", "value"))
    )
    # q (..., L, E), k (..., S, E), v (..., S, E_v); out (..., L, E_v)
    scores = q.numel() * int(k.shape[-2])  # (...) * L * E * S
    return {"matmul": scores + out.numel() * int(k.shape[-2])}


def _mha_cost(batch_dim):
    """The cost function of a multi-head attention whose 3-D query has its
    batch axis at ``batch_dim`` (a 2-D query is one unbatched sample)."""

    def cost(args, kwargs, out):
        q, k, v = args[0], args[1], args[2]
        e = int(q.shape[-1])
        n = int(q.shape[batch_dim]) if q.dim() == 3 else 1
        return _attention_cost(
            q.numel() // e, k.numel() // int(k.shape[-1]) // n, n, k, v, e
        )

    return cost


# F.multi_head_attention_forward: query (L, N, E) or (L, E), key (S, N, kdim),
# value (S, N, vdim); torch._native_multi_head_attention (the inference fast
# path) is batch first, (N, L, E).
_mha = _mha_cost(batch_dim=1)
_native_mha = _mha_cost(batch_dim=0)


def _attention_cost(lq, s, n, k, v, e):
    """lq = L*N query rows, s = S keys per sample, n samples, embedding size e (summed over heads)."""
    linear = (
        lq * e * e + k.numel() * e + v.numel() * e + lq * e * e
    )  # q, k, v and output projections
    return {
        "linear": linear,
        "matmul": 2 * lq * s * e,
    }  # scores q k^T and weights @ v


def _norm(args, kwargs, out):
    return {"norm": out.numel()}


def _lrn(args, kwargs, out):
    return {"norm": out.numel() * int(_arg(args, kwargs, 1, "size"))}


def _pool(nd):
    def rule(args, kwargs, out):
        k = _arg(args, kwargs, 1, "kernel_size")
        k = (
            (k,) * nd
            if isinstance(k, numbers.Integral)
            else tuple(k) * (nd if len(tuple(k)) == 1 else 1)
        )
        return {"pool": _output(out).numel() * _prod(k)}

    return rule


def _adaptive_windows(n, m):
    """Total length of the windows adaptive pooling uses to map n cells onto m outputs:
    output i pools cells floor(i n / m) up to ceil((i + 1) n / m) - 1."""
    return sum(-(-((i + 1) * n) // m) - (i * n) // m for i in range(m))


def _adaptive_pool(nd):
    def rule(args, kwargs, out):
        x, o = _arg(args, kwargs, 0, "input"), _output(out)
        per_channel = _prod(
            _adaptive_windows(int(n), int(m))
            for n, m in zip(x.shape[-nd:], o.shape[-nd:])
        )
        return {"pool": per_channel * (o.numel() // _prod(o.shape[-nd:]))}

    return rule


def _output(out):
    return out[0] if isinstance(out, (tuple, list)) else out


_RULES = {
    "linear": _linear,
    "matmul": _matmul,
    "__matmul__": _matmul,
    "__rmatmul__": _matmul,
    "mm": _matmul,
    "bmm": _matmul,
    "scaled_dot_product_attention": _sdpa,
    "multi_head_attention_forward": _mha,
    "_native_multi_head_attention": _native_mha,
    "batch_norm": _norm,
    "layer_norm": _norm,
    "group_norm": _norm,
    "instance_norm": _norm,
    "local_response_norm": _lrn,
}
for _nd in (1, 2, 3):
    _RULES[f"conv{_nd}d"] = _conv
    _RULES[f"conv_transpose{_nd}d"] = _conv_transpose
    for _name in (
        f"max_pool{_nd}d",
        f"_max_pool{_nd}d",
        f"max_pool{_nd}d_with_indices",
        f"avg_pool{_nd}d",
    ):
        _RULES[_name] = _pool(_nd)
    for _name in (
        f"adaptive_avg_pool{_nd}d",
        f"adaptive_max_pool{_nd}d",
        f"_adaptive_max_pool{_nd}d",
        f"adaptive_max_pool{_nd}d_with_indices",
    ):
        _RULES[_name] = _adaptive_pool(_nd)


class _Counter(TorchFunctionMode):
    """Adds the MACs of every counted function call to the module that is running it."""

    def __init__(self):
        super().__init__()
        self.stack = [
            None
        ]  # index of the innermost running module call (None: outside every module)
        self.macs = {}  # call index -> {kind: MACs}

    def __torch_function__(self, func, types, args=(), kwargs=None):
        kwargs = kwargs or {}
        out = func(*args, **kwargs)
        rule = _RULES.get(getattr(func, "__name__", ""))
        if rule is not None:
            counts = self.macs.setdefault(self.stack[-1], {})
            for kind, n in rule(args, kwargs, out).items():
                counts[kind] = counts.get(kind, 0) + int(n)
        return out


class LayerCost(NamedTuple):
    """One row of :func:`layer_report`: one call of one module, for one sample.

    ``macs`` are the multiply-accumulates of the kinds counted; ``activations`` the number of
    elements of the tensor(s) the module returns (multiply by 4 for bytes in float32).
    """

    name: str
    type: str
    output_shape: tuple
    params: int
    macs: int
    activations: int


def _input_shapes(input_shape, func):
    def one(shape):
        if isinstance(shape, torch.Size):
            shape = tuple(shape)
        if not isinstance(shape, (tuple, list)) or not shape:
            raise TypeError(
                f"{func}: input_shape must be a tuple of ints, the shape of one sample without the batch "
                f"axis, e.g. (3, 224, 224); got {shape!r}."
            )
        for v in shape:
            if isinstance(v, bool) or not isinstance(v, numbers.Integral):
                raise TypeError(
                    f"{func}: input_shape must hold ints, got {shape!r}."
                )
            if v < 1:
                raise ValueError(
                    f"{func}: every size in input_shape must be at least 1, got {tuple(shape)!r}."
                )
        return tuple(int(v) for v in shape)

    if (
        isinstance(input_shape, (tuple, list))
        and input_shape
        and all(
            isinstance(s, (tuple, list, torch.Size)) for s in input_shape
        )
    ):
        return [one(s) for s in input_shape]
    return [one(input_shape)]


def _check_include(include, func):
    if isinstance(include, str):
        include = (include,)
    try:
        include = tuple(include)
    except TypeError:
        raise TypeError(
            f"{func}: include must be a tuple of kinds from {KINDS}, got {include!r}."
        ) from None
    unknown = [k for k in include if k not in KINDS]
    if unknown:
        raise ValueError(
            f"{func}: unknown kind(s) {unknown} in include; choose from {KINDS}."
        )
    return frozenset(include)


def _meta_copy(module):
    """A copy of ``module`` whose parameters and buffers live on the meta device (no data copied)."""
    memo = {}
    for t in list(module.parameters()) + list(module.buffers()):
        meta = torch.empty_like(t, device="meta")
        memo[id(t)] = (
            nn.Parameter(meta, requires_grad=t.requires_grad)
            if isinstance(t, nn.Parameter)
            else meta
        )
    return copy.deepcopy(module, memo)


def _trace(module, input_shape, func):
    """Run one forward pass of a copy of ``module``; return the calls as (name, module, output, macs)."""
    _check_module(module, func)
    for name, p in module.named_parameters():
        if isinstance(p, nn.parameter.UninitializedParameter):
            raise ValueError(
                f"{func}: parameter {name!r} is not initialised yet (a lazy layer); run one forward "
                "pass so that its shape is known, then count."
            )
    shapes = _input_shapes(input_shape, func)
    first = next(
        (p for p in module.parameters() if p.is_floating_point()), None
    )
    dtype = torch.float32 if first is None else first.dtype
    try:
        return _run(_meta_copy(module).eval(), shapes, "meta", dtype)
    except Exception:  # an operation without a meta kernel (or a bad shape): run for real on zeros
        pass
    model = copy.deepcopy(module).eval()
    device = "cpu" if first is None else first.device
    try:
        with torch.no_grad():
            return _run(model, shapes, device, dtype)
    except Exception as exc:
        raise ValueError(
            f"{func}: the model failed on an input of shape {tuple((1,) + s for s in shapes)} "
            f"(input_shape {shapes[0] if len(shapes) == 1 else tuple(shapes)} plus a batch axis of 1; "
            f"input_shape is one sample *without* the batch axis): {type(exc).__name__}: {exc}"
        ) from exc


def _run(model, shapes, device, dtype=torch.float32):
    names = {m: n for n, m in model.named_modules()}
    counter = _Counter()
    calls = []  # [name, module, output] per module call, in call order

    def pre(mod, args):
        calls.append([names.get(mod, ""), mod, None])
        counter.stack.append(len(calls) - 1)

    def post(mod, args, out):
        calls[counter.stack.pop()][2] = out

    handles = []
    for m in model.modules():
        handles += [
            m.register_forward_pre_hook(pre),
            m.register_forward_hook(post),
        ]
    inputs = [
        torch.zeros((1,) + s, device=device, dtype=dtype) for s in shapes
    ]
    try:
        with counter:
            model(*inputs)
    finally:
        for h in handles:
            h.remove()
    return [
        (name, mod, out, counter.macs.get(i, {}))
        for i, (name, mod, out) in enumerate(calls)
    ], counter.macs.get(None, {})


def _numel(out):
    if isinstance(out, torch.Tensor):
        return out.numel()
    if isinstance(out, (tuple, list)):
        return sum(_numel(o) for o in out)
    if isinstance(out, dict):
        return sum(_numel(o) for o in out.values())
    return 0


def _shape(out):
    if isinstance(out, torch.Tensor):
        return tuple(out.shape[1:])  # one sample: the batch axis is dropped
    if isinstance(out, (tuple, list)):
        return tuple(_shape(o) for o in out if _shape(o) is not None)
    return None


def count_macs(module, input_shape, include=DEFAULT_KINDS) -> int:
    """Multiply-accumulates of one forward pass of one sample (see the module docstring for the rules).

    ``input_shape`` is one sample without the batch axis, e.g. ``(3, 224, 224)``; ``include`` picks
    the kinds counted among ``("conv", "linear", "matmul", "norm", "pool")``; the default
    ``("conv", "linear", "matmul")`` is what papers report as "mult-adds". A module called twice
    in a forward pass (weight sharing) is counted twice. FLOPs are about twice the MACs.

    >>> count_macs(nn.Conv2d(3, 64, 7, stride=2, padding=3), (3, 224, 224))   # 64*112*112 * 3*7*7
    118013952
    """
    func = "count_macs"
    kinds = _check_include(include, func)
    calls, outside = _trace(module, input_shape, func)
    counts = [c for *_, c in calls] + [outside]
    return int(
        sum(n for c in counts for kind, n in c.items() if kind in kinds)
    )


def layer_report(
    module, input_shape, include=DEFAULT_KINDS
) -> list[LayerCost]:
    """One :class:`LayerCost` row per call of a leaf module (a layer without sub-modules), in the
    order the forward pass calls them, for one sample of shape ``input_shape`` (no batch axis).

    A container that computes something itself (say, a matrix product in its ``forward``) or owns
    parameters directly also gets a row, so that the rows' MACs add up to :func:`count_macs`
    and their params to :func:`count_params` (a module called twice shows its parameters on
    its first row only). ``activations`` counts the elements of each returned tensor; training
    keeps these for the backward pass, 4 bytes each in float32.
    """
    func = "layer_report"
    kinds = _check_include(include, func)
    calls, outside = _trace(module, input_shape, func)
    rows, seen = [], set()
    for name, mod, out, counts in calls:
        leaf = next(mod.children(), None) is None
        own = (
            sum(p.numel() for p in mod.parameters(recurse=leaf))
            if mod not in seen
            else 0
        )
        macs = sum(n for kind, n in counts.items() if kind in kinds)
        if leaf or macs or own:
            seen.add(mod)
            rows.append(
                LayerCost(
                    name or "(model)",
                    type(mod).__name__,
                    _shape(out),
                    int(own),
                    int(macs),
                    int(_numel(out)),
                )
            )
    extra = sum(n for kind, n in outside.items() if kind in kinds)
    if extra:
        rows.append(
            LayerCost("(outside modules)", "-", None, 0, int(extra), 0)
        )
    return rows


# ----------------------------------------------------------------------------- receptive field
def _counting_copy(module, func):
    """A float64 copy whose outputs are sums of positive terms, so that no gradient is zero by accident.

    Weights (parameters with 2 or more axes) become ``1 / fan_in``, every other parameter 1, batch
    norm statistics mean 0 and variance 1, evaluation mode. With a positive input every
    pre-activation is then positive (a ReLU passes it) and no sum can cancel. Max pooling, whose
    gradient flows only to the largest value of its window, is replaced by average pooling over
    the same window: the question is which pixels *can* influence the output.
    """
    model = copy.deepcopy(module).double().eval()
    with torch.no_grad():
        for p in model.parameters():
            if p.dim() >= 2:
                p.fill_(1.0 / (p.numel() // p.shape[0]))
            else:
                p.fill_(1.0)
    for name, m in list(model.named_modules()):
        if (
            isinstance(m, nn.modules.batchnorm._BatchNorm)
            and m.track_running_stats
        ):
            m.reset_running_stats()
        replacement = _average_instead_of_max(m, name, func)
        if replacement is not None:
            parent_name, _, child = name.rpartition(".")
            setattr(
                model.get_submodule(parent_name) if parent_name else model,
                child,
                replacement,
            )
    return model


def _average_instead_of_max(m, name, func):
    pools = {
        nn.MaxPool1d: nn.AvgPool1d,
        nn.MaxPool2d: nn.AvgPool2d,
        nn.MaxPool3d: nn.AvgPool3d,
    }
    adaptive = {
        nn.AdaptiveMaxPool1d: nn.AdaptiveAvgPool1d,
        nn.AdaptiveMaxPool2d: nn.AdaptiveAvgPool2d,
        nn.AdaptiveMaxPool3d: nn.AdaptiveAvgPool3d,
    }
    if type(m) in adaptive:
        return adaptive[type(m)](m.output_size)
    if type(m) in pools:
        d = (
            m.dilation
            if isinstance(m.dilation, (tuple, list))
            else (m.dilation,)
        )
        if any(v != 1 for v in d):
            raise ValueError(
                f"{func}: {name} is a dilated max pooling; its window cannot be measured through "
                "an average pooling (which has no dilation)."
            )
        return pools[type(m)](
            m.kernel_size,
            m.stride,
            m.padding,
            ceil_mode=m.ceil_mode,
            count_include_pad=True,
        )
    return None


def input_gradient_map(module, input_shape, out_index=None) -> np.ndarray:
    """Gradient of one output pixel with respect to the input, summed over channels, as a NumPy array.

    ``input_shape`` is one sample without the batch axis, ``(C, H, W)`` (or ``(C, L)``); the map has
    the spatial shape ``(H, W)``. The output pixel is ``out_index`` (a tuple of spatial indices of
    the output, summed over the output channels; default: the centre pixel ``(H_out // 2, W_out // 2)``).
    The module is evaluated as a positive "counting" copy (see :func:`measure_receptive_field`), so
    the map is positive exactly on the pixels the output depends on, and its values weight the paths
    from each pixel to the output (larger in the middle of the receptive field).
    """
    func = "input_gradient_map"
    _check_module(module, func)
    shapes = _input_shapes(input_shape, func)
    if len(shapes) != 1 or len(shapes[0]) < 2:
        raise ValueError(
            f"{func}: input_shape must be (C, H, W) or (C, L) for one image, got {input_shape!r}."
        )
    model = _counting_copy(module, func)
    x = torch.ones(
        (1,) + shapes[0], dtype=torch.float64, requires_grad=True
    )
    try:
        y = model(x)
    except Exception as exc:
        raise ValueError(
            f"{func}: the model failed on an input of shape {tuple(x.shape)} (input_shape plus a batch "
            f"axis of 1): {type(exc).__name__}: {exc}"
        ) from exc
    if not isinstance(y, torch.Tensor) or y.dim() != x.dim():
        raise ValueError(
            f"{func}: the model must return a feature map (N, C, *spatial) like its input "
            f"{tuple(x.shape)}, got {tuple(y.shape) if isinstance(y, torch.Tensor) else type(y).__name__}."
        )
    spatial = tuple(y.shape[2:])
    if out_index is None:
        out_index = tuple(n // 2 for n in spatial)
    if (
        isinstance(out_index, numbers.Integral)
        and not isinstance(out_index, bool)
        and len(spatial) == 1
    ):
        out_index = (out_index,)
    if (
        not isinstance(out_index, (tuple, list))
        or len(out_index) != len(spatial)
        or any(
            isinstance(i, bool) or not isinstance(i, numbers.Integral)
            for i in out_index
        )
    ):
        raise TypeError(
            f"{func}: out_index must be a tuple of {len(spatial)} int(s) indexing the output's spatial "
            f"shape {spatial}, got {out_index!r}."
        )
    if any(not 0 <= i < n for i, n in zip(out_index, spatial)):
        raise ValueError(
            f"{func}: out_index {tuple(out_index)} is outside the output's spatial shape {spatial}."
        )
    y[(0, slice(None)) + tuple(int(i) for i in out_index)].sum().backward()
    return x.grad[0].sum(dim=0).numpy()


def measure_receptive_field(
    module, input_shape, out_index=None
) -> np.ndarray:
    """Boolean mask of the input pixels that influence one output pixel: those with a non-zero gradient.

    ``input_shape`` is ``(C, H, W)`` without the batch axis (or ``(C, L)``); the mask has shape ``(H, W)``.
    ``out_index`` is the output pixel (default: the centre of the output).

    A gradient can be zero by accident - a ReLU that is off, two paths that cancel, a max pooling
    that sends its gradient to one pixel of its window - and a naive measurement then misses
    pixels. Here the gradient is taken through a copy of the module in float64 with positive
    weights (``1/fan_in``), biases and norm scales 1, a positive input, and average pooling in
    place of max pooling: every term is positive, nothing cancels, so the gradient is non-zero
    exactly where the output depends on the input. This holds for stacks of convolutions, linear
    layers, poolings, norms and increasing activations (ReLU, GELU, sigmoid, ...); a ``forward`` that
    subtracts one path from another could still cancel. The module passed in is not changed.
    Layers that mix all positions (layer or group normalisation, attention) make the whole
    input influence every output, and the mask shows it.
    """
    return input_gradient_map(module, input_shape, out_index) > 0


def attention_macs(
    h: int, w: int, c: int, d: int | None = None, c_v: int | None = None
) -> int:
    """Multiply-adds of one global self-attention on an ``h x w`` image with ``c`` channels
    (one sample): projections ``n c (2d + c_v)``, logits ``n^2 d``, weighted sum ``n^2 c_v``,
    with ``n = h w``; ``d`` and ``c_v`` default to ``c``. The softmax's exponentials are not
    multiply-adds and are not counted. Grows as ``n^2``: doubling the side of the image
    multiplies the attention terms by 16. Also importable as
    ``convlab.attention.attention_macs``."""
    func = "attention_macs"
    h = as_int(h, "h", func, minimum=1)
    w = as_int(w, "w", func, minimum=1)
    c = as_int(c, "c", func, minimum=1)
    d = c if d is None else d
    c_v = c if c_v is None else c_v
    n = h * w
    return n * c * (2 * d + c_v) + n * n * d + n * n * c_v
