"""Test-suite set-up shared by the library tests and nbval.

Notebook kernels are started by nbval as child processes of pytest and inherit its
environment: pin the CPU kernels here, before any kernel starts, exactly as
``tools/execute_notebooks.py`` does when it stores the outputs (see
``lib/convlab/determinism.py`` for why).
"""

from convlab.determinism import pin_cpu_kernels

pin_cpu_kernels()
