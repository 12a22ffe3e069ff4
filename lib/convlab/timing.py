"""Measuring the wall-clock time of a function fairly on a CPU: the one
timing helper of the course (chapters 10, 11, 13, 22, 23, 26, the
cost table of ``convlab.nas`` and ``make bench``).

A fair measurement does four things, and :func:`best_times` does all four:

* **Warm-up.** The first call of a function pays one-time costs (PyTorch
  picks and caches a kernel, memory is allocated and touched, caches are
  cold). ``warmup`` untimed calls (default 1) are made first.
* **Repeats.** One timed call is at the mercy of whatever else the machine
  does in that millisecond; ``repeats`` timed calls (default 5) give a
  sample.
* **The minimum of the repeats.** On a CPU, noise only ever *adds* time:
  another program taking the core, an interrupt, a cache line evicted by a
  neighbour, a lower clock frequency. Nothing makes the same work run
  faster than the machine can do it. The smallest of the repeats is
  therefore the best estimate of what the code itself costs, and the most
  repeatable one on a shared, busy machine: the median still carries the
  load of the moment (with half the calls disturbed it moves, while the
  minimum needs only one clean call). This is the choice of Python's
  ``timeit`` ("the min() of the result is probably the only number you
  should be interested in"). Use the minimum to compare *code*; it is not
  the time a user waits on a loaded machine, which is a different question.
* **Interleaving, and a fixed number of threads.** When several functions
  are compared, round ``r`` calls every function once, so a burst of load
  hits all of them alike rather than the one that happened to run then.
  ``threads=1`` (:func:`limited_threads`) runs them all on one thread of
  PyTorch and of NumPy's BLAS, so the comparison does not depend on how
  many cores happen to be free; ``threads=None`` leaves the settings alone.

Timings change from run to run: a lesson prints them in cells tagged
``nbval-ignore-output`` and asserts only verdicts with a wide margin.
The clock is ``time.perf_counter`` (monotonic, the highest resolution
available); tests pass a fake ``clock`` whose readings they choose.
"""

from __future__ import annotations

import contextlib
import time

from .validation import as_int

__all__ = ["wall_times", "best_times", "best_time", "limited_threads"]


@contextlib.contextmanager
def limited_threads(threads: int | None):
    """Run the ``with`` block on at most ``threads`` threads of PyTorch and
    of NumPy's BLAS/OpenMP pools (``threadpoolctl``); restore both after.

    ``None`` changes nothing. PyTorch is imported only if it is already
    loaded (a NumPy-only timing does not pull it in). The training loops
    (``train``, ``distillation``, ``nas``) use it too, for one-thread runs.
    """
    if threads is None:
        yield
        return
    threads = as_int(threads, "threads", "limited_threads", minimum=1)
    import sys

    from threadpoolctl import threadpool_limits

    torch = sys.modules.get("torch")
    before = torch.get_num_threads() if torch is not None else None
    try:
        with threadpool_limits(limits=threads):
            if torch is not None:
                torch.set_num_threads(threads)
            yield
    finally:
        if torch is not None:
            torch.set_num_threads(before)


def _check_fns(fns, func) -> dict:
    if not isinstance(fns, dict) or not fns:
        raise TypeError(
            f"{func}: pass the functions to time as a non-empty dict "
            f"{{name: function}}, got {type(fns).__name__}"
            + (" (empty)" if isinstance(fns, dict) else "")
            + "."
        )
    for name, fn in fns.items():
        if not callable(fn):
            raise TypeError(
                f"{func}: {name} must be a function to call with no "
                f"arguments (e.g. lambda: f(x)), got {type(fn).__name__}."
            )
    return fns


def wall_times(
    fns: dict,
    repeats: int = 5,
    *,
    warmup: int = 1,
    threads: int | None = None,
    clock=time.perf_counter,
) -> dict:
    """Seconds of every timed call: ``{name: [t_1, ..., t_repeats]}``.

    ``fns`` is ``{name: fn}``, each ``fn`` called with no arguments (wrap
    arguments in a ``lambda``). First ``warmup`` untimed rounds, then
    ``repeats`` timed rounds; every round calls each function once, in the
    order of the dict (interleaved, so that load hits all alike). Each
    time is ``clock()`` after the call minus ``clock()`` before it.
    ``threads``: see :func:`limited_threads`. The raw sample, for plots of
    the spread; :func:`best_times` reduces it to the statistic to report.
    """
    func = "wall_times"
    fns = _check_fns(fns, func)
    repeats = as_int(repeats, "repeats", func, minimum=1)
    warmup = as_int(warmup, "warmup", func, minimum=0)
    if not callable(clock):
        raise TypeError(
            f"{func}: clock must be a function returning seconds, "
            f"got {type(clock).__name__}."
        )
    times = {name: [] for name in fns}
    with limited_threads(threads):
        for _ in range(warmup):
            for fn in fns.values():
                fn()
        for _ in range(repeats):
            for name, fn in fns.items():
                start = clock()
                fn()
                times[name].append(clock() - start)
    return times


def best_times(
    fns: dict,
    repeats: int = 5,
    *,
    warmup: int = 1,
    threads: int | None = None,
    clock=time.perf_counter,
) -> dict:
    """The smallest of ``repeats`` interleaved timed calls of each function,
    ``{name: seconds}`` (why the minimum: see the module's docstring).

    Example: ``best_times({"conv": lambda: conv(x), "copy": lambda: x + 1},
    threads=1)``. Arguments as in :func:`wall_times`.
    """
    times = wall_times(
        _check_fns(fns, "best_times"),
        repeats,
        warmup=warmup,
        threads=threads,
        clock=clock,
    )
    return {name: float(min(t)) for name, t in times.items()}


def best_time(
    fn,
    repeats: int = 5,
    *,
    warmup: int = 1,
    threads: int | None = None,
    clock=time.perf_counter,
) -> float:
    """The smallest of ``repeats`` timed calls of ``fn()`` in seconds, after
    ``warmup`` untimed calls: :func:`best_times` for one function."""
    if not callable(fn):
        raise TypeError(
            "best_time: fn must be a function to call with no arguments "
            f"(e.g. lambda: f(x)), got {type(fn).__name__}."
        )
    return best_times(
        {"fn": fn}, repeats, warmup=warmup, threads=threads, clock=clock
    )["fn"]
