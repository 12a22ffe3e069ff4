"""Time torch's conv2d and the course's NumPy convolutions on this machine (``make bench``).

    python tools/bench_conv.py [--repeats 3] [--threads 1] [--quick]

Every layer is float32, batch 1, 'same' padding; the methods are direct, im2col, kn2col, FFT and
Winograd (3x3 only). Each time is the best of a few calls, the methods taking turns
(``convlab.timing.best_times``); the table shows torch's time in milliseconds and every
other method's time as a multiple of torch's, measured in the same run. Timings change from
run to run and machine to machine; the ratios are what to compare. Chapter 11 explains the table.
"""

from __future__ import annotations

import argparse
import time

from convlab.fast_conv import (
    BENCH_METHODS,
    benchmark_layer,
    multiplication_counts,
)

# (what the row varies, C_in = C_out, image size, kernel size)
GRID = (
    [("kernel", 4, 64, k) for k in (3, 5, 7, 11, 15)]
    + [("image", 4, n, k) for k in (3, 11) for n in (32, 128)]
    + [("channels", c, 32, 3) for c in (1, 16, 64)]
    + [("ResNet layer", 64, 56, 3)]
)
QUICK = [
    ("kernel", 4, 64, 3),
    ("kernel", 4, 64, 11),
    ("ResNet layer", 64, 56, 3),
]
LIB = [m for m in BENCH_METHODS if m != "torch"]


def run(grid, repeats, threads):
    """Print the table; return the rows as (label, c, n, k, seconds per method)."""
    print(
        f"{'varies':13s} {'C':>3s} {'HxW':>7s} {'k':>3s} {'torch ms':>9s}"
        + "".join(f"{m:>10s}" for m in LIB)
        + "   best lib method"
    )
    rows = []
    for label, c, n, k in grid:
        t = benchmark_layer(c, n, k, repeats=repeats, threads=threads)
        ratios = {m: t[m] / t["torch"] for m in LIB if m in t}
        best = min(ratios, key=ratios.get)
        cells = "".join(
            f"{ratios[m]:>9.1f}x" if m in ratios else f"{'-':>10s}"
            for m in LIB
        )
        print(
            f"{label:13s} {c:3d} {f'{n}x{n}':>7s} {k:3d} {t['torch'] * 1e3:9.2f}{cells}   {best} ({ratios[best]:.1f}x)"
        )
        rows.append((label, c, n, k, t))
    return rows


def main(argv=None):
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--repeats",
        type=int,
        default=3,
        help="timed calls per method (the best counts); default 3",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=1,
        help="threads for torch and NumPy's BLAS while timing; default 1 (0: leave them as they are)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="three layers only (a few seconds)",
    )
    args = parser.parse_args(argv)
    start = time.perf_counter()
    threads = args.threads or None
    print(
        "Times as multiples of torch.nn.functional.conv2d (float32, batch 1, 'same' padding; "
        f"best of {args.repeats}; {threads or 'default'} thread(s)):"
    )
    rows = run(QUICK if args.quick else GRID, args.repeats, threads)
    label, c, n, k, t = rows[-1]
    best = min(LIB, key=lambda m: t[m])
    counts = multiplication_counts((n, n), c, c)
    print(
        f"\n{c}-channel {n}x{n} {k}x{k} layer: best lib method {best}, {t[best] / t['torch']:.1f}x torch's time "
        f"({t[best] * 1e3:.1f} ms vs {t['torch'] * 1e3:.2f} ms)."
    )
    print(
        f"Multiplications: direct {counts['direct']:,}, Winograd F(2x2,3x3) {counts['winograd']:,} "
        f"({counts['direct'] / counts['winograd']:.2f}x fewer)."
    )
    # the two again, head to head, with more calls (best of at least 9)
    duel = benchmark_layer(
        c,
        n,
        k,
        repeats=max(9, args.repeats),
        methods=("im2col", "winograd"),
        threads=threads,
    )
    ratio = duel["winograd"] / duel["im2col"]
    print(
        f"Winograd / im2col time: {ratio:.2f} ({duel['winograd'] * 1e3:.1f} "
        f"ms vs {duel['im2col'] * 1e3:.1f} ms, best of "
        f"{max(9, args.repeats)}): "
        + ("Winograd is faster." if ratio < 1 else "im2col is faster.")
    )
    print(f"Benchmark took {time.perf_counter() - start:.1f} s.")


if __name__ == "__main__":
    main()
