"""nbval's failure report names the cell as JupyterLab shows it and shows
both outputs in full with a git-style diff (``tests/nbval_report.py``)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

# A long line that differs only at its end: pytest's own report shortens
# both values to the same text ("'values: 0, 1, 2, 3...' == ...").
LONG = "values: " + ", ".join(str(i) for i in range(60))


def _notebook(stored_tail: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    setup = nbformat.v4.new_code_cell("n = 60", execution_count=1)
    setup.id = "setup-cell"
    shown = nbformat.v4.new_code_cell(
        "# the cell a reader sees as [7]\n"
        'print("values: " + ", ".join(str(i) for i in range(n)))\n'
        'print("done")',
        execution_count=7,
    )
    shown.id = "values-cell"
    stored = LONG[: -len(stored_tail)] + stored_tail
    shown.outputs = [
        nbformat.v4.new_output(
            "stream", name="stdout", text=stored + "\ndone\n"
        )
    ]
    nb.cells = [
        nbformat.v4.new_markdown_cell("# A tiny notebook"),
        setup,
        shown,
    ]
    return nb


def _run_pytest(tmp_path: Path, nb) -> subprocess.CompletedProcess:
    # A temporary copy of what the suite's set-up consists of.
    shutil.copy(ROOT / "conftest.py", tmp_path)
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    (tmp_path / "tests").mkdir()
    for name in ("nbval_report.py", "sanitize.cfg"):
        shutil.copy(ROOT / "tests" / name, tmp_path / "tests")
    nbformat.write(nb, tmp_path / "tiny.ipynb")
    env = dict(os.environ, PYTHONPATH=str(ROOT / "lib"))
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tiny.ipynb", "-p", "no:xdist"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_changed_output_is_reported_readably(tmp_path):
    result = _run_pytest(tmp_path, _notebook(stored_tail="58, 60"))
    out = result.stdout
    assert result.returncode == 1, out + result.stderr
    # The cell as JupyterLab shows it, with its first source line.
    assert "cell [7]" in out, out
    assert "3rd cell of the file" in out and "'values-cell'" in out, out
    assert "First line: # the cell a reader sees as [7]" in out, out
    # Both values in full, not shortened to the same text.
    stored = LONG[:-2] + "60"
    assert f"Stored output (in the notebook file):\n    {stored}\n" in out
    assert f"New output (this run):\n    {LONG}\n" in out
    # git's convention: "-" is the stored line, "+" the new one.
    assert f"\n    -{stored}\n" in out, out
    assert f"\n    +{LONG}\n" in out, out
    assert "\n     done" in out  # an unchanged line is context
    assert "...' ==" not in out  # no truncated pytest comparison
