"""A downloaded notebook runs outside the repository, with convlab installed
from its wheel (`make wheel`).

The test builds the wheel from a copy of the package's sources, creates a
fresh virtual environment that sees the shared environment's packages but
*not* the editable convlab, installs the wheel there with pip (offline),
and executes chapter 2's notebook, alone in an empty directory, with that
environment's kernel.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER = (
    ROOT
    / "book/part1-what-is-convolution"
    / "02-discrete-convolution-and-correlation.ipynb"
)

RUN = r"""
import sys
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import convlab, sys\nprint(convlab.__file__)\nprint(sys.executable)"
))
NotebookClient(nb, timeout=120, kernel_name="python3").execute()
print("".join(o.get("text", "") for o in nb.cells[-1].outputs))
"""


def _run(args, **kwargs):
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=300, **kwargs
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def _filtered_site_packages(view: Path) -> None:
    """A directory that shows every package of the shared environment
    except convlab (its editable install and its metadata)."""
    shared = Path(sysconfig.get_paths()["purelib"])
    view.mkdir()
    for entry in shared.iterdir():
        name = entry.name.lower()
        if name.startswith(("convlab", "__editable__")):
            continue
        if name.endswith(".pth"):
            continue
        (view / entry.name).symlink_to(entry)


def test_a_downloaded_chapter_runs_with_the_wheel(tmp_path):
    # 1. Build the wheel the way `make wheel` does, from a copy of the
    #    sources (so the worktree gets no build/ or egg-info).
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src)
    shutil.copytree(
        ROOT / "lib",
        src / "lib",
        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"),
    )
    dist = tmp_path / "dist"
    _run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps"]
        + ["--no-build-isolation", "--no-index", "--wheel-dir", str(dist)]
        + [str(src)]
    )
    (wheel,) = dist.glob("convlab-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "convlab/explorers/common.js" in names
    assert "convlab/exercises/__init__.py" in names

    # 2. A fresh environment that reuses the shared packages, minus convlab.
    venv = tmp_path / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)])
    python = venv / "bin" / "python"
    site = Path(
        _run(
            [str(python), "-c"]
            + ["import sysconfig; print(sysconfig.get_paths()['purelib'])"]
        ).stdout.strip()
    )
    _filtered_site_packages(tmp_path / "shared")
    (site / "shared-packages.pth").write_text(f"{tmp_path / 'shared'}\n")
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")
    }
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    missing = subprocess.run(
        [str(python), "-c", "import convlab"], env=env, capture_output=True
    )
    assert missing.returncode != 0, "convlab importable before installing"

    # 3. Install the wheel with pip, offline.
    _run(
        [str(python), "-m", "pip", "install", "--quiet", "--no-index"]
        + ["--no-deps", "--disable-pip-version-check", str(wheel)],
        env=env,
    )

    # 4. Run a downloaded chapter, alone in an empty directory.
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    notebook = downloads / CHAPTER.name
    shutil.copy(CHAPTER, notebook)
    out = _run(
        [str(python), "-c", RUN, str(notebook)], cwd=downloads, env=env
    ).stdout.split()
    module, executable = Path(out[-2]), out[-1]
    assert module.is_relative_to(site), module
    assert Path(executable).parent == venv / "bin", executable
