"""Five ways to compute a convolutional layer, what they cost, and the
matrix behind it (chapter 11): one namespace for the lessons.

The code lives in three modules, one per idea, re-exported here:

* :mod:`convlab.conv_algorithms`: :func:`im2col` and
  :func:`conv2d_im2col` (copy the windows, one matrix product),
  :func:`conv2d_kn2col` and :func:`kn2col_product` (``k*k`` shifted 1x1
  convolutions, no copies), :func:`conv2d_fft` (multiply spectra) and
  :func:`conv_matrix` (the layer as one dense matrix).
* :mod:`convlab.winograd`: :func:`toom_cook` (F(m, r) from interpolation
  points), F(2, 3)'s ``WINOGRAD_BT``, ``WINOGRAD_G``, ``WINOGRAD_AT``,
  :func:`winograd_f23`, :func:`winograd_f2x2_3x3` and
  :func:`conv2d_winograd` (a 3x3 layer as 16 matrix products).
* :mod:`convlab.conv_costs`: multiplication counts and memory
  (:func:`multiplication_counts`, :func:`direct_multiplications`,
  :func:`fft_multiplications`, :func:`im2col_bytes`) and timings
  (:func:`benchmark_layer`, ``BENCH_METHODS``; the timing itself is
  :mod:`convlab.timing`).

Every convolution computes what ``torch.nn.functional.conv2d`` computes: a
cross-correlation of an NCHW input with OIHW weights.

A namespace on purpose, for the lessons of chapter 11 (``fast_conv.im2col``,
``fast_conv.median_time``...): it defines nothing, and no module of
``convlab`` imports it (library code imports each name from its home
module), so it can never close an import circle; ``tools/import_graph.py``
and its test check both.
"""

from __future__ import annotations

from .conv_algorithms import (
    conv2d_fft,
    conv2d_im2col,
    conv2d_kn2col,
    conv_matrix,
    im2col,
    kn2col_product,
)
from .conv_costs import (
    BENCH_METHODS,
    benchmark_layer,
    direct_multiplications,
    fft_multiplications,
    im2col_bytes,
    multiplication_counts,
)
from .winograd import (
    WINOGRAD_AT,
    WINOGRAD_BT,
    WINOGRAD_G,
    conv2d_winograd,
    toom_cook,
    winograd_f2x2_3x3,
    winograd_f23,
)

__all__ = [
    "im2col",
    "conv2d_im2col",
    "kn2col_product",
    "conv2d_kn2col",
    "conv2d_fft",
    "conv2d_winograd",
    "conv_matrix",
    "toom_cook",
    "WINOGRAD_BT",
    "WINOGRAD_G",
    "WINOGRAD_AT",
    "winograd_f23",
    "winograd_f2x2_3x3",
    "multiplication_counts",
    "im2col_bytes",
    "direct_multiplications",
    "fft_multiplications",
    "benchmark_layer",
    "BENCH_METHODS",
]
