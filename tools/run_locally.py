"""The book's "Run locally" item: running a downloaded notebook elsewhere.

A downloaded notebook imports ``convlab``, the course's library, and its
stored outputs were computed with the pinned versions of Python, NumPy,
PyTorch and MXNet. This part of the book's Sphinx extension (set up from
``course_html.py``):

* adds to every notebook page's download menu, after ".ipynb", an item
  "Run locally" whose tooltip names those versions and which opens the page
  ``book/running-locally`` (how to install convlab from a clone or from its
  wheel);
* fills that page's versions table (the line ``PINNED_VERSIONS_TABLE``) and
  clone address (``COURSE_REPOSITORY``) and wheel name (``CONVLAB_WHEEL``)
  from ``requirements.txt``,
  ``pyproject.toml`` and ``COURSE_REPOSITORY_URL``, so the page and the
  pins never disagree.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = "book/running-locally"
LIBRARIES = ("numpy", "torch", "mxnet", "matplotlib", "ipywidgets")


def pinned_versions(root: Path = ROOT) -> dict[str, str]:
    """``{"Python": "3.11", "numpy": "1.23.5", ...}`` from the pins."""
    pyproject = (root / "pyproject.toml").read_text()
    match = re.search(r'requires-python\s*=\s*"==\s*([\d.]+)', pyproject)
    if not match:
        raise ValueError("pyproject.toml has no requires-python pin")
    versions = {"Python": match.group(1).rstrip(".")}
    pins = {}
    for line in (root / "requirements.txt").read_text().splitlines():
        line = line.split("#")[0].strip()
        if "==" in line:
            name, version = line.split("==", 1)
            pins[name.strip().lower()] = version.strip()
    for name in LIBRARIES:
        if name not in pins:
            raise ValueError(f"requirements.txt does not pin {name}")
        versions[name] = pins[name]
    return versions


def wheel_name(root: Path = ROOT) -> str:
    """The file name of the wheel ``make wheel`` builds."""
    pyproject = (root / "pyproject.toml").read_text()
    version = re.search(r'^version\s*=\s*"([^"]+)"', pyproject, re.M)
    return f"convlab-{version.group(1)}-py3-none-any.whl"


def versions_sentence(versions: dict[str, str]) -> str:
    return ", ".join(f"{name} {v}" for name, v in versions.items())


def versions_table(versions: dict[str, str]) -> str:
    rows = ["| package | version |", "|---|---|"]
    rows += [f"| {name} | {v} |" for name, v in versions.items()]
    return "\n".join(rows)


def fill_page(app, docname, source):
    """``source-read``: the versions table and the clone address."""
    if docname != PAGE:
        return
    url = os.environ.get("COURSE_REPOSITORY_URL", "").strip().rstrip("/")
    text = source[0].replace(
        "PINNED_VERSIONS_TABLE", versions_table(pinned_versions())
    )
    text = text.replace(
        "COURSE_REPOSITORY", url or "<address-of-the-course-repository>"
    )
    text = text.replace("CONVLAB_WHEEL", wheel_name())
    source[0] = text


def add_menu_item(app, pagename, templatename, context, doctree):
    """``html-page-context``, after the theme built its header buttons."""
    for group in context.get("header_buttons") or []:
        if group.get("label") != "download-buttons":
            continue
        buttons = group.get("buttons", [])
        labels = [b.get("label") for b in buttons]
        # A notebook page offers its .ipynb either as its source file or
        # (for a page converted to a notebook) as an extra button.
        notebook = [
            i
            for i, b in enumerate(buttons)
            if b.get("label") == "download-notebook-button"
            or (
                b.get("label") == "download-source-button"
                and b.get("text") == ".ipynb"
            )
        ]
        if not notebook or "run-locally-button" in labels:
            return
        tooltip = (
            "Run the notebook on your computer: install convlab (pip, "
            "from a clone or its wheel). Outputs computed with "
            + versions_sentence(pinned_versions())
        )
        item = {
            "type": "link",
            "url": context["pathto"](PAGE),
            "text": "Run locally",
            "tooltip": tooltip,
            "icon": "fas fa-terminal",
            "label": "run-locally-button",
        }
        buttons.insert(notebook[0] + 1, item)


def setup(app):
    app.connect("source-read", fill_page)
    # The theme adds its header buttons at the default priority (500).
    app.connect("html-page-context", add_menu_item, priority=800)
