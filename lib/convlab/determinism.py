"""The same printed numbers on every machine: which CPU kernels the course pins, and why.

A notebook's stored outputs are checked by nbval on whatever machine runs the tests. Most
numbers in the course are exact (counts, shapes) or printed at a precision that round-off
cannot reach. Training is different: it is chaotic. Two runs whose first gradients differ
in the 16th digit print different losses after a few hundred Adam steps (measured on the
small MobileNet of chapter 19, in float64: a difference of 1e-15 after the first step grows
to 2e-8 after 43 steps, and to the 3rd printed decimal after one epoch).

Such last-bit differences come from the kernels, not from the course's code: PyTorch picks
its vectorised kernels by the CPU's instruction set (AVX2, AVX-512, none), and Intel's MKL
(PyTorch's BLAS) picks its code path by processor. Both can be pinned with environment
variables, read when the library starts:

* ``ATEN_CPU_CAPABILITY=avx2``: PyTorch's own kernels use AVX2 on every x86 CPU that has
  it, instead of AVX-512 where present;
* ``MKL_CBWR=AVX2,STRICT``: MKL's "conditional numerical reproducibility", the same AVX2
  code path (and the same results) on every processor that supports it;
* ``OPENBLAS_CORETYPE=Haswell``: NumPy's OpenBLAS uses its AVX2 ("Haswell") kernels, instead
  of the ones it picks for the processor model (on this course's build machine, an AMD EPYC,
  it picks "Zen").

Together with a fixed number of threads (``convlab.train.fit`` trains with one) and the
float64 training of ``convlab.train``, they make a stored training run reproducible on any
x86-64 machine with AVX2. The variables are set only on such machines (Linux, where
``/proc/cpuinfo`` lists ``avx2``): on other processors, an ARM laptop for example, the lessons
run the same but a trained model's last printed digits may differ.

:func:`pin_cpu_kernels` sets the variables (keeping any value already set) and must run
before PyTorch computes anything: the test suite's ``conftest.py`` and
``tools/execute_notebooks.py`` call it before any notebook kernel starts, and
``python -m convlab.determinism CMD ...`` runs a command with them (``make lab`` starts
JupyterLab that way).
"""

from __future__ import annotations

import os
import platform
import sys

__all__ = ["PINNED_ENVIRONMENT", "pin_cpu_kernels", "cpu_has_avx2"]

#: The environment variables that pin the CPU kernels (x86-64 machines with AVX2 only).
PINNED_ENVIRONMENT = {
    "ATEN_CPU_CAPABILITY": "avx2",
    "MKL_CBWR": "AVX2,STRICT",
    "OPENBLAS_CORETYPE": "Haswell",
}


def cpu_has_avx2(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """True on an x86-64 CPU whose ``/proc/cpuinfo`` flags include ``avx2`` (False where that
    file does not exist, e.g. on macOS or Windows)."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return False
    try:
        with open(cpuinfo) as f:
            return any(
                line.startswith("flags") and " avx2" in line for line in f
            )
    except OSError:
        return False


def pin_cpu_kernels(environ=None) -> dict:
    """Set :data:`PINNED_ENVIRONMENT` in ``environ`` (default ``os.environ``) where a variable
    is not set already, on x86-64 machines with AVX2 (:func:`cpu_has_avx2`); elsewhere change
    nothing. Returns the variables it set. Child processes (notebook kernels) inherit them; the
    running process only if PyTorch and the BLAS libraries have not started yet."""
    environ = os.environ if environ is None else environ
    if not cpu_has_avx2():
        return {}
    added = {
        k: v for k, v in PINNED_ENVIRONMENT.items() if k not in environ
    }
    environ.update(added)
    return added


def main(argv=None) -> None:
    """``python -m convlab.determinism CMD [ARGS ...]``: run CMD with the kernels pinned."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        raise SystemExit(
            "usage: python -m convlab.determinism CMD [ARGS ...]   (e.g. jupyter lab)"
        )
    pin_cpu_kernels()
    os.execvp(argv[0], argv)


if __name__ == "__main__":
    main()
