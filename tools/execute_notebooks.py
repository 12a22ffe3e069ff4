"""Re-execute notebooks and store their outputs, the way nbval re-checks them.

    python tools/execute_notebooks.py [PATH ...]     (files or folders; default: book exercises)

Each notebook runs top to bottom in a fresh ``python3`` kernel of this
environment, with the notebook's folder as working directory (as nbval does).
Widget state is saved into the notebook so widgets render in the HTML book.
The CPU kernels are pinned as under nbval (``convlab.determinism``).

The stored file is made reproducible: no timing metadata, and the random widget
model ids are replaced by ids derived from the notebook path and the order in
which the widgets were created, so running this twice leaves git clean.
"""

from __future__ import annotations

import re
import sys
import time
import uuid
from pathlib import Path

import nbformat
from nbclient import NotebookClient

from convlab.determinism import pin_cpu_kernels

ROOT = Path(__file__).resolve().parent.parent
UUID_HEX = re.compile(r"(?<![0-9a-f])[0-9a-f]{32}(?![0-9a-f])")


def notebooks(paths):
    for p in map(Path, paths):
        if p.is_dir():
            yield from sorted(
                q
                for q in p.rglob("*.ipynb")
                if ".ipynb_checkpoints" not in q.parts
                and "_build" not in q.parts
            )
        elif p.suffix == ".ipynb":
            yield p
        else:
            raise SystemExit(f"not a notebook or folder: {p}")


def stabilise_widget_ids(nb, key: str) -> None:
    """Rename widget model ids to ids derived from ``key`` and creation order."""
    state = (
        nb.metadata.get("widgets", {})
        .get("application/vnd.jupyter.widget-state+json", {})
        .get("state", {})
    )
    if not state:
        nb.metadata.pop("widgets", None)
        return
    mapping = {
        old: uuid.uuid5(uuid.NAMESPACE_URL, f"{key}#{i}").hex
        for i, old in enumerate(state)
    }
    text = nbformat.writes(nb)
    text = UUID_HEX.sub(lambda m: mapping.get(m.group(0), m.group(0)), text)
    new = nbformat.reads(text, as_version=4)
    nb.clear()
    nb.update(new)


CAPTION = re.compile(
    r"^\s*[*_](Figure|Fig\.)\s*[:.]?\s*(.+?)[*_]?\s*$", re.S
)


def caption_of(cell) -> str | None:
    """The caption paragraph of a markdown cell (``*Figure: ...*``), as plain text, or None."""
    if cell.cell_type != "markdown":
        return None
    first = cell.source.strip().split("\n\n")[0]
    m = CAPTION.match(first)
    if not m:
        return None
    text = re.sub(r"\$([^$]*)\$", r"\1", m.group(2))  # $x$ -> x
    text = re.sub(r"\\([A-Za-z]+)", r"\1 ", text)  # \Delta\tau -> Delta tau
    text = re.sub(r"[*_`\\{}]", "", text).replace("\n", " ")
    return re.sub(r"\s+", " ", text).strip().rstrip("*_").strip()


def set_alt_text(nb) -> None:
    """Give every figure the text of its caption as alt text (read by screen readers, shown when an
    image cannot load): the caption is the markdown cell right after the cell that draws the figure."""
    for cell, following in zip(nb.cells, nb.cells[1:] + [None]):
        has_image = cell.cell_type == "code" and any(
            "image/png" in out.get("data", {})
            for out in cell.get("outputs", [])
        )
        if not has_image:
            continue
        alt = caption_of(following) if following is not None else None
        if alt:
            cell.metadata.setdefault("mystnb", {}).setdefault("image", {})[
                "alt"
            ] = alt


def merge_split_streams(nb) -> None:
    """Join consecutive outputs of the same stream. A kernel may deliver one printed line in two
    messages (it does under load), which would make the stored file depend on timing."""
    for cell in nb.cells:
        merged = []
        for out in cell.get("outputs", []):
            prev = merged[-1] if merged else None
            if (
                out.get("output_type") == "stream"
                and prev is not None
                and prev.get("output_type") == "stream"
                and prev.get("name") == out.get("name")
            ):
                prev["text"] += out["text"]
            else:
                merged.append(out)
        if "outputs" in cell:
            cell["outputs"] = merged


def execute(path: Path) -> float:
    nb = nbformat.read(path, as_version=4)
    # The run stores the state of the widgets it creates; a widget that a
    # notebook no longer creates must not stay behind from an older run.
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3 (ipykernel)",
        "language": "python",
    }
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        record_timing=False,
        store_widget_state=True,
        resources={"metadata": {"path": str(path.parent)}},
    )
    client.execute()
    elapsed = time.perf_counter() - start
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
    nb.metadata.pop(
        "jupytext", None
    )  # authoring-tool metadata; the .ipynb is the source
    merge_split_streams(nb)
    set_alt_text(nb)
    stabilise_widget_ids(nb, path.resolve().relative_to(ROOT).as_posix())
    nbformat.write(nb, path)
    return elapsed


def main(argv):
    pin_cpu_kernels()  # the kernels inherit it: the same CPU code paths as under nbval (conftest.py)
    paths = argv or [str(ROOT / "book"), str(ROOT / "exercises")]
    for nb_path in notebooks(paths):
        seconds = execute(nb_path)
        print(f"{seconds:6.1f} s  {nb_path}")


if __name__ == "__main__":
    main(sys.argv[1:])
