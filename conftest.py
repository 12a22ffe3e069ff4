"""Test-suite set-up shared by the library tests and nbval.

Notebook kernels are started by nbval as child processes of pytest and
inherit its environment: pin the CPU kernels here, before any kernel starts,
exactly as ``tools/execute_notebooks.py`` does when it stores the outputs
(see ``lib/convlab/determinism.py`` for why). Failing notebook cells are
reported readably (``tests/nbval_report.py``).
"""

from convlab.determinism import pin_cpu_kernels

pin_cpu_kernels()


def _install_readable_nbval_reports():
    """nbval failures name the cell as JupyterLab shows it and show both
    outputs in full with a git-style diff (``tests/nbval_report.py``)."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).parent / "tests" / "nbval_report.py"
    spec = importlib.util.spec_from_file_location("nbval_report", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.install()


_install_readable_nbval_reports()
