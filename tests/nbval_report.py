"""Readable nbval failure reports.

nbval names a failing cell by its own count of code cells ("Cell 3"), which
is not what a reader sees; it compares outputs through pytest's assertion
report, whose first line truncates both values to the same text, and whose
diff marks the new output "-" and the stored one "+". This module replaces
those two reports (``install()`` is called from the suite's root
``conftest.py``):

* a failing cell is named as JupyterLab shows it, by its stored execution
  count (``[4]``), its position in the file, its cell id and the first line
  of its source;
* a differing output is shown in full, the stored value, then the new one,
  then a diff in git's convention: ``-`` stored, ``+`` new.
"""

from __future__ import annotations

import difflib

__all__ = ["install", "cell_label", "output_report"]


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            return line.strip()
    return "(empty cell)"


def _ordinal(n: int) -> str:
    if 10 <= n % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def cell_label(item) -> str:
    """How a reader finds nbval's cell ``item``: ``[4]``, position, id."""
    cell = item.cell
    count = cell.get("execution_count")
    prompt = f"[{count}]" if count is not None else "[ ] (never run)"
    position = ""
    cells = getattr(getattr(item.parent, "nb", None), "cells", None)
    if cells is not None:
        for index, other in enumerate(cells):
            if other is cell:
                position = f"{_ordinal(index + 1)} cell of the file, "
                break
    cell_id = cell.get("id")
    ident = f"id {cell_id!r}, " if cell_id else ""
    return (
        f"cell {prompt} ({position}{ident}nbval's 'Cell {item.cell_num}')"
    )


def _indent(text: str, prefix: str = "    ") -> str:
    lines = text.splitlines() or [""]
    return "\n".join(prefix + line for line in lines)


def output_report(key: str, stored, new) -> str:
    """The stored and the new value of one output, in full, and their diff
    in git's convention (``-`` stored, ``+`` new)."""
    stored = stored if isinstance(stored, str) else repr(stored)
    new = new if isinstance(new, str) else repr(new)
    diff = difflib.unified_diff(
        stored.splitlines(),
        new.splitlines(),
        fromfile="stored output (in the notebook file)",
        tofile="new output (this run)",
        lineterm="",
    )
    parts = [
        f"The output '{key}' differs.",
        "Stored output (in the notebook file):",
        _indent(stored),
        "New output (this run):",
        _indent(new),
        "Diff (- stored, + new):",
        _indent("\n".join(diff)),
    ]
    if stored.strip() == new.strip():
        parts.append(
            "(The two differ only in leading or trailing white space.)"
        )
    return "\n".join(parts)


def install() -> None:
    """Patch nbval's cell item with the readable reports (idempotent)."""
    try:
        from nbval.plugin import IPyNbCell, NbCellError, _trim_base64
    except ImportError:  # nbval not installed: nothing to improve
        return
    if getattr(IPyNbCell, "_convlab_readable", False):
        return
    original_repr_failure = IPyNbCell.repr_failure

    def format_output_compare(self, key, left, right):
        if isinstance(left, str):
            left = _trim_base64(left)
        if isinstance(right, str):
            right = _trim_base64(right)
        self.comparison_traceback.append(output_report(key, left, right))

    def repr_failure(self, excinfo):
        exc = excinfo.value
        if not isinstance(exc, NbCellError):
            return original_repr_failure(self, excinfo)
        parts = [
            f"{self.fspath.basename}, {cell_label(self)}: {exc}",
            f"First line: {_first_line(exc.source)}",
        ]
        if exc.inner_traceback:
            parts.append(exc.inner_traceback.strip("\n"))
        parts.append("Input:")
        parts.append(_indent(exc.source))
        return "\n".join(parts)

    def reportinfo(self):
        count = self.cell.get("execution_count")
        prompt = f" [{count}]" if count is not None else ""
        path = self.fspath.relto(self.config.rootdir) or str(self.fspath)
        return (
            self.fspath,
            0,
            f"{path}::Cell {self.cell_num}{prompt}: "
            f"{_first_line(self.cell.source)[:60]}",
        )

    IPyNbCell.format_output_compare = format_output_compare
    IPyNbCell.repr_failure = repr_failure
    IPyNbCell.reportinfo = reportinfo
    IPyNbCell._convlab_readable = True
