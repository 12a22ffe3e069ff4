"""What the ways of computing a layer cost: multiplications counted, memory,
and wall-clock time measured (chapter 11, ``make bench``).

Counts are models (what the algorithm does, not how fast the machine does
it); :func:`benchmark_layer` measures, with :func:`convlab.timing.best_times`,
and its results change from run to run.
"""

from __future__ import annotations

import numpy as np

from .conv_algorithms import conv2d_fft, conv2d_im2col, conv2d_kn2col
from .timing import best_times
from .validation import as_int, as_pair
from .winograd import conv2d_winograd

__all__ = [
    "im2col_bytes",
    "multiplication_counts",
    "direct_multiplications",
    "fft_multiplications",
    "benchmark_layer",
    "BENCH_METHODS",
]


# --------------------------------------------------------------------------- memory
def im2col_bytes(c_in: int, kernel_size, out_hw, itemsize: int = 8) -> int:
    """Bytes of the im2col matrix of one image: ``C_in*kH*kW * H_out*W_out * itemsize``."""
    func = "im2col_bytes"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    ho, wo = as_pair(out_hw, "out_hw", func, minimum=1)
    return (
        c_in
        * kh
        * kw
        * ho
        * wo
        * as_int(itemsize, "itemsize", func, minimum=1)
    )


# --------------------------------------------------------------------------- counts
def multiplication_counts(out_hw, c_in: int = 1, c_out: int = 1) -> dict:
    """Multiplications of a 3x3, stride-1 layer on one image of output size ``out_hw``.

    ``direct``: 9 per output pixel and (input, output) channel pair.
    ``winograd``: 16 per 2x2 output tile and channel pair, with ``ceil(H_out/2) * ceil(W_out/2)``
    tiles. The kernel transform is computed once per layer, and the data and output
    transforms multiply only by 0, +-1 and +-1/2 (additions and halvings), so neither is counted.
    Returns ``{"direct", "winograd", "tiles"}`` (Python ints).
    """
    func = "multiplication_counts"
    ho, wo = as_pair(out_hw, "out_hw", func, minimum=1)
    pairs = as_int(c_in, "c_in", func, minimum=1) * as_int(
        c_out, "c_out", func, minimum=1
    )
    tiles = -(-ho // 2) * -(-wo // 2)
    return {
        "direct": 9 * ho * wo * pairs,
        "winograd": 16 * tiles * pairs,
        "tiles": tiles,
    }


# --------------------------------------------------------------------------- costs and timings
def fft_multiplications(
    c_in: int, c_out: int, input_hw, kernel_size
) -> int:
    """Real multiplications of :func:`conv2d_fft` for one image, stride 1, no padding, by a simple model.

    The transform size is ``F = (H + kH - 1) x (W + kW - 1)``. A real FFT of ``F`` points is counted
    as ``F/2 * log2(F)`` complex multiplications of 4 real ones each (radix 2, half the work of a
    complex FFT): ``2 F log2 F``. There are ``c_in`` input, ``c_in*c_out`` kernel and ``c_out`` inverse
    transforms, and ``c_in*c_out`` products of half spectra (``F/2`` complex numbers, 4 real
    multiplications each). A model, not a measurement: it shows how the cost grows, not the time.
    """
    func = "fft_multiplications"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = as_int(c_out, "c_out", func, minimum=1)
    h, w = as_pair(input_hw, "input_hw", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    f = (h + kh - 1) * (w + kw - 1)
    transform = 2 * f * np.log2(f)
    return int(
        round(
            (c_in + c_in * c_out + c_out) * transform
            + c_in * c_out * 4 * (f / 2)
        )
    )


def direct_multiplications(
    c_in: int, c_out: int, input_hw, kernel_size
) -> int:
    """Multiplications of a direct (or im2col) convolution of one image, stride 1, no padding:
    ``c_in * c_out * kH * kW * H_out * W_out``."""
    func = "direct_multiplications"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = as_int(c_out, "c_out", func, minimum=1)
    h, w = as_pair(input_hw, "input_hw", func, minimum=1)
    kh, kw = as_pair(kernel_size, "kernel_size", func, minimum=1)
    if kh > h or kw > w:
        raise ValueError(
            f"{func}: the kernel {kh}x{kw} is larger than the input {h}x{w}."
        )
    return c_in * c_out * kh * kw * (h - kh + 1) * (w - kw + 1)


BENCH_METHODS = ("torch", "direct", "im2col", "kn2col", "fft", "winograd")


def benchmark_layer(
    c_in: int,
    size: int,
    kernel_size: int,
    c_out: int | None = None,
    repeats: int = 3,
    methods=BENCH_METHODS,
    seed: int = 0,
    threads: int | None = 1,
) -> dict:
    """Time one 'same'-padded float32 layer (batch 1) with every method; returns seconds per method.

    ``torch`` is ``torch.nn.functional.conv2d``; ``direct`` is ``convlab.ops.conv2d`` (a loop over the
    kernel taps); the others are this module's functions. ``winograd`` is timed for 3x3 kernels only.
    Each entry is the best of ``repeats`` calls after one warm-up call, the methods taking turns
    (:func:`convlab.timing.best_times`); timings vary between runs.
    ``threads`` limits both PyTorch and NumPy's BLAS to that many threads while timing (default 1:
    the same single core for everyone, and steadier numbers on a busy machine); ``None`` leaves them.
    """
    import torch  # imported here: the rest of the module needs only NumPy

    from .ops import conv2d

    func = "benchmark_layer"
    c_in = as_int(c_in, "c_in", func, minimum=1)
    c_out = (
        c_in if c_out is None else as_int(c_out, "c_out", func, minimum=1)
    )
    size = as_int(size, "size", func, minimum=1)
    k = as_int(kernel_size, "kernel_size", func, minimum=1)
    if k % 2 == 0:
        raise ValueError(
            f"{func}: use an odd kernel size (symmetric 'same' padding), got {k}."
        )
    unknown = set(methods) - set(BENCH_METHODS)
    if unknown:
        raise ValueError(
            f"{func}: unknown method(s) {sorted(unknown)}; choose from {BENCH_METHODS}."
        )
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((1, c_in, size, size), dtype=np.float32)
    w = rng.standard_normal((c_out, c_in, k, k), dtype=np.float32)
    xt, wt, p = torch.from_numpy(x), torch.from_numpy(w), k // 2
    calls = {
        "torch": lambda: torch.nn.functional.conv2d(xt, wt, padding=p),
        "direct": lambda: conv2d(x, w, padding=p),
        "im2col": lambda: conv2d_im2col(x, w, padding=p),
        "kn2col": lambda: conv2d_kn2col(x, w, padding=p),
        "fft": lambda: conv2d_fft(x, w, padding=p),
        "winograd": lambda: conv2d_winograd(x, w, padding=p),
    }
    if threads is not None:
        threads = as_int(threads, "threads", func, minimum=1)
    with torch.no_grad():
        return best_times(
            {m: calls[m] for m in methods if m != "winograd" or k == 3},
            repeats,
            threads=threads,
        )
