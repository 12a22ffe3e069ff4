"""Explorers: interactive figures that run in the page, with no kernel.

An explorer is one small JavaScript file in this folder (``<name>.js``) that
draws from data Python prepares with ``convlab`` (``<name>.py`` beside it).
:func:`explorer_html` puts both into one HTML output: the script of
``common.js``, the explorer's script and its data as JSON. So the same code runs

- in the built book, as the page loads (no kernel, no request to any host:
  everything is inline in the page);
- in JupyterLab, when the cell is run (JupyterLab does not run scripts in the
  stored outputs of an untrusted notebook: run the cell, or trust the notebook).

The output is deterministic (its element id is a hash of the name, the data
and the scripts), so nbval can compare it like any other output.

Writing one: ``<name>.js`` calls
``ConvlabExplorers.register("<name>", function (root, data) {...})`` and
builds its controls and drawing inside ``root`` with the helpers of
``common.js`` (labelled sliders and selects, SVG grids, number formatting).
Every number it draws is also shown as text, and elements a test reads carry
``data-role`` attributes. ``<name>.py`` computes the data and returns
``explorer_html(...)`` wrapped in ``IPython.display.HTML``. Keep a captioned
static figure beside every explorer, for print and readers without JavaScript.
"""

from __future__ import annotations

import hashlib
import html
import json
import math
from pathlib import Path

__all__ = ["explorer_html", "show", "script_source"]

_HERE = Path(__file__).resolve().parent


def script_source(name: str) -> str:
    """The JavaScript source of explorer ``name`` (``<name>.js``)."""
    if not isinstance(name, str) or not name.replace("_", "").isalnum():
        raise ValueError(
            f"explorer names are letters, digits and '_', got {name!r}."
        )
    path = _HERE / f"{name}.js"
    if not path.exists():
        known = sorted(
            p.stem for p in _HERE.glob("*.js") if p.stem != "common"
        )
        raise ValueError(
            f"there is no explorer called {name!r}; known: {known}."
        )
    return path.read_text(encoding="utf-8")


def _plain(value, where="data"):
    """Check that ``value`` is JSON made of dicts, lists, str, bool, finite
    numbers and None; NumPy arrays and scalars become lists and numbers."""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, dict):
        return {
            str(k): _plain(v, f"{where}[{k!r}]") for k, v in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [_plain(v, f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(
            f"{where} is {value}: an explorer's data must be finite numbers."
        )
    if value is None or isinstance(value, (str, bool, int, float)):
        return value
    raise TypeError(
        f"{where} is a {type(value).__name__}; an explorer's data must be "
        "numbers, strings, lists and dicts."
    )


def explorer_html(name: str, data: dict, *, title: str) -> str:
    """The HTML of explorer ``name`` drawing ``data``; ``title`` names it for
    screen readers (the ``aria-label`` of its group)."""
    if not isinstance(title, str) or not title.strip():
        raise ValueError(
            "give the explorer a title (what it lets one explore)."
        )
    common = (_HERE / "common.js").read_text(encoding="utf-8")
    source = script_source(name)
    payload = json.dumps(
        _plain(data), sort_keys=True, separators=(",", ":"), allow_nan=False
    )
    payload = payload.replace("</", "<\\/")  # never close the script early
    digest = hashlib.sha256(
        "\0".join((name, payload, common, source)).encode()
    ).hexdigest()[:12]
    root_id = f"cx-{name}-{digest}"
    return (
        f'<div class="convlab-explorer" id="{root_id}" '
        f'data-explorer="{name}" role="group" '
        f'aria-label="{html.escape(title)}">'
        '<p class="cx-nojs">This explorer runs in the page with JavaScript '
        "(in JupyterLab: run the cell). The static figure beside it shows "
        "one setting.</p></div>\n"
        f"<script>\n{common}\n{source}\n"
        f'ConvlabExplorers.start("{name}", "{root_id}", {payload});\n'
        "</script>"
    )


def show(name: str, data: dict, *, title: str):
    """Explorer ``name`` as an ``IPython.display.HTML`` object (leave it as
    the last expression of a cell, or ``display`` it)."""
    from IPython.display import HTML

    return HTML(explorer_html(name, data, title=title))
