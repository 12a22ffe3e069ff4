"""Hints for the exercises, by exercise id: one to three per exercise, in
the order a learner gets them (a nudge first, the key step last).

``hint("exercise-id")`` in a notebook and the *Hint* button of a web answer
box both read this table.
"""

from __future__ import annotations

HINTS: dict[str, tuple[str, ...]] = {
    "dc-conv-by-hand": (
        "Full mode keeps every shift where kernel and input overlap: "
        "how many are there for lengths 3 and 2?",
        "y[t] = sum over m of x[m] k[t - m]; only 0 <= t - m <= 1 "
        "contributes.",
        "y[1] = x[0] k[1] + x[1] k[0] = 2*2 + (-1)*1.",
    ),
    "dc-corr2d-by-hand": (
        "A 3x3 input and a 2x2 kernel give a (3-2+1) x (3-2+1) output.",
        "Cross-correlation does not flip K: lay K on each 2x2 window of X.",
        "Y[0, 0] = 1*1 + 0*(-1) + 0*0 + 1*2 = 3.",
    ),
    "dc-mode-lengths": (
        "Count the positions of a kernel of length m over an input of "
        "length n.",
        "Full: n + m - 1; same: n; valid: n - m + 1.",
    ),
    "dc-write-conv1d": (
        "The output has len(x) + len(k) - 1 entries.",
        "Each pair (m, j) of input and kernel index adds x[m] k[j] to "
        "y[m + j].",
    ),
    "resnet-bn-by-hand": (
        "Training mode uses the mean and variance of this batch.",
        "The variance is the biased one: divide by m = 4, not m - 1.",
        "Mean 4, variance 5: y = 2 (x - 4) / sqrt(5) + 1.",
    ),
    "psd-output-size": (
        "Use the output-size formula of the chapter.",
        "floor((n + 2p - d(k - 1) - 1) / s) + 1.",
    ),
}
