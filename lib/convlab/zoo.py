"""Helpers for the zoo of convolution variants (chapter 13): each variant written as an ordinary convolution.

* :func:`expand_grouped_weight` turns the ``(C_out, C_in // groups, kH, kW)`` weights of a grouped
  convolution into the ``(C_out, C_in, kH, kW)`` weights of an ordinary one that is zero outside the
  diagonal blocks, so ``conv2d(x, w, groups=g) == conv2d(x, expand_grouped_weight(w, g))``.
* :func:`depthwise_separable_weight` does the same for a depthwise convolution followed by a 1x1 one:
  the product is an ordinary convolution whose kernel factorises, ``W[o, c] = P[o, c] * D[c]``.
* :func:`rank1_approximation` is the best rank-1 (spatially separable) approximation of a 2-D kernel.
* :func:`input_dependence` measures, with autograd, which input pixels one output depends on.

Weights are OIHW and images NCHW, as in ``convlab.ops.conv2d`` and PyTorch.
"""

from __future__ import annotations

import numpy as np
import torch

from .validation import as_float_array, as_int, check_ndim

__all__ = [
    "expand_grouped_weight",
    "depthwise_separable_weight",
    "rank1_approximation",
    "input_dependence",
]


def expand_grouped_weight(w, groups: int) -> np.ndarray:
    """Weights ``(C_out, C_in // groups, kH, kW)`` of a grouped convolution -> ``(C_out, C_in, kH, kW)``.

    Output channel ``o`` belongs to group ``g = o // (C_out // groups)`` and reads only input channels
    ``g * C_in/groups ... (g+1) * C_in/groups - 1``; the other entries of the result are zero. Viewed as a
    ``(C_out, C_in)`` matrix of kernels the result is **block diagonal** with ``groups`` blocks.
    """
    func = "expand_grouped_weight"
    w = as_float_array(w, "w", func)
    check_ndim(w, 4, "w", func, "(C_out, C_in // groups, kH, kW)")
    groups = as_int(groups, "groups", func, minimum=1)
    c_out, c_in_g, kh, kw = w.shape
    if c_out % groups:
        raise ValueError(
            f"{func}: groups={groups} does not divide the {c_out} output channels (w.shape[0])."
        )
    o_g = c_out // groups
    full = np.zeros((c_out, c_in_g * groups, kh, kw), dtype=w.dtype)
    for g in range(groups):
        full[g * o_g : (g + 1) * o_g, g * c_in_g : (g + 1) * c_in_g] = w[
            g * o_g : (g + 1) * o_g
        ]
    return full


def depthwise_separable_weight(w_depthwise, w_pointwise) -> np.ndarray:
    """The single ordinary kernel equal to a depthwise convolution followed by a 1x1 (pointwise) one.

    ``w_depthwise`` is ``(C, 1, kH, kW)`` (one kernel ``D[c]`` per channel, ``groups=C``) and ``w_pointwise``
    ``(C_out, C, 1, 1)`` or ``(C_out, C)``. Returns ``W`` of shape ``(C_out, C, kH, kW)`` with
    ``W[o, c] = P[o, c] * D[c]``: every kernel is a multiple of its input channel's spatial kernel, so the
    ``(C_out, C * kH * kW)`` matrix has the structure of a product of a channel mixing and a spatial filter.
    """
    func = "depthwise_separable_weight"
    d = as_float_array(w_depthwise, "w_depthwise", func)
    p = as_float_array(w_pointwise, "w_pointwise", func)
    check_ndim(d, 4, "w_depthwise", func, "(C, 1, kH, kW)")
    check_ndim(
        p, (2, 4), "w_pointwise", func, "(C_out, C, 1, 1) or (C_out, C)"
    )
    if d.shape[1] != 1:
        raise ValueError(
            f"{func}: a depthwise kernel has one input channel per group, shape (C, 1, kH, kW); "
            f"got {d.shape}."
        )
    if p.ndim == 4:
        if p.shape[2:] != (1, 1):
            raise ValueError(
                f"{func}: pointwise weights must have a 1x1 kernel, shape (C_out, C, 1, 1), got {p.shape}."
            )
        p = p[:, :, 0, 0]
    if p.shape[1] != d.shape[0]:
        raise ValueError(
            f"{func}: the depthwise layer has {d.shape[0]} channels but w_pointwise has shape "
            f"{p.shape}; it needs one column per channel, (C_out, {d.shape[0]})."
        )
    return p[:, :, None, None] * d[None, :, 0]


def rank1_approximation(K) -> np.ndarray:
    """The rank-1 matrix closest to the 2-D kernel ``K`` (Eckart-Young): ``s0 * outer(U[:, 0], V[0])``.

    With singular values ``s0 >= s1 >= ...``, the error ``K - approximation`` has spectral norm ``s1`` and
    Frobenius norm ``sqrt(s1**2 + s2**2 + ...)``, and no rank-1 kernel does better in either norm. Factor the
    result with :func:`convlab.separable.separate` to get the two 1-D kernels.
    """
    func = "rank1_approximation"
    K = as_float_array(K, "K", func)
    check_ndim(K, 2, "K", func, "(kernel height, kernel width)")
    if K.size == 0:
        raise ValueError(f"{func}: K is empty (shape {K.shape}).")
    U, s, Vt = np.linalg.svd(K)
    return s[0] * np.outer(U[:, 0], Vt[0])


def input_dependence(f, input_shape, out_index) -> np.ndarray:
    """Which input pixels the output ``f(x)[out_index]`` depends on, measured with autograd.

    ``f`` maps a float64 tensor of shape ``input_shape = (N, C, H, W)`` to a tensor; ``out_index`` indexes one
    element of the result. Returns an ``(H, W)`` float64 array: at each pixel the gradient of that output with
    respect to the input, summed over batch and channels. It is non-zero exactly on the pixels the output
    reads, provided the gradient cannot cancel (use non-negative weights, e.g. all ones, for this purpose);
    with all-ones kernels the value counts the paths from that pixel to the output.
    """
    func = "input_dependence"
    if not callable(f):
        raise TypeError(
            f"{func}: f must be a function of the input tensor, got {type(f).__name__}."
        )
    if not (
        isinstance(input_shape, (tuple, list)) and len(input_shape) == 4
    ):
        raise ValueError(
            f"{func}: input_shape must be (N, C, H, W), got {input_shape!r}."
        )
    x = torch.zeros(
        tuple(input_shape), dtype=torch.float64, requires_grad=True
    )
    y = f(x)
    try:
        y[tuple(out_index)].backward()
    except (IndexError, TypeError, RuntimeError) as exc:
        raise ValueError(
            f"{func}: out_index {out_index!r} does not pick one element of the output of shape "
            f"{tuple(y.shape)} ({exc})."
        ) from None
    return x.grad.sum(dim=(0, 1)).numpy()
