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


def _plain(markdown: str) -> str:
    """Caption markdown as plain text for alt text ($x$ -> x, no markup)."""
    text = re.sub(r"\$([^$]*)\$", r"\1", markdown)  # $x$ -> x
    text = re.sub(r"\\([A-Za-z]+)", r"\1 ", text)  # \Delta\tau -> Delta tau
    text = re.sub(r"[*_`\\{}]", "", text).replace("\n", " ")
    return re.sub(r"\s+", " ", text).strip()


def _figure_name(key: str, caption: str, taken: set) -> str:
    text = re.sub(r"\$[^$]*\$", " ", caption)  # no maths in a name
    words = re.findall(r"[a-z0-9]+", _plain(text).lower())
    stop = {"the", "a", "an", "of", "and", "its", "at", "on", "in", "to"}
    slug = "-".join([w for w in words if w not in stop][:4]) or "figure"
    name, n = f"fig-{key}-{slug}", 2
    while name in taken:
        name, n = f"fig-{key}-{slug}-{n}", n + 1
    taken.add(name)
    return name


def captions_to_figures(nb, key: str) -> None:
    """Turn the old caption convention into numbered figures: a figure cell
    followed by a markdown paragraph ``*Figure: ...*`` gets that text as its
    ``mystnb.figure.caption`` (and a ``name`` to reference it, ``fig-<key>-...``)
    and the paragraph is removed (the cell too if nothing else is left)."""
    taken = {
        c.metadata.get("mystnb", {}).get("figure", {}).get("name")
        for c in nb.cells
    }
    keep = []
    cells = nb.cells
    skip = set()
    for i, cell in enumerate(cells):
        if i in skip:
            continue
        keep.append(cell)
        following = cells[i + 1] if i + 1 < len(cells) else None
        if not (_has_image(cell) and following is not None):
            continue
        figure = cell.metadata.get("mystnb", {}).get("figure", {})
        if figure.get("caption") or caption_of(following) is None:
            continue
        paragraphs = following.source.strip().split("\n\n")
        caption = CAPTION.match(paragraphs[0]).group(2).strip()
        caption = caption.rstrip("*_").strip().replace("\n", " ")
        if caption[:1].islower():
            caption = caption[0].upper() + caption[1:]
        cell.metadata.setdefault("mystnb", {})["figure"] = {
            "caption": caption,
            "name": _figure_name(key, caption, taken),
        }
        rest = "\n\n".join(paragraphs[1:]).strip()
        if rest:
            following.source = rest
        else:
            skip.add(i + 1)
    nb.cells = keep


def _has_image(cell) -> bool:
    return cell.cell_type == "code" and any(
        "image/png" in out.get("data", {})
        for out in cell.get("outputs", [])
    )


def set_alt_text(nb) -> None:
    """Give every figure the text of its caption as alt text (read by screen
    readers, shown when an image cannot load). The caption is the figure
    cell's ``mystnb.figure.caption``, shown under the numbered figure."""
    for cell in nb.cells:
        if not _has_image(cell):
            continue
        caption = (
            cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        )
        if caption:
            cell.metadata["mystnb"].setdefault("image", {})["alt"] = _plain(
                caption
            )


def figure_key(path: Path) -> str:
    """``14`` for chapter 14's lesson, ``14x`` for its exercises."""
    number = path.name.split("-")[0]
    return number + ("x" if "exercises" in path.name else "")


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


# What a terminal (and Jupyter, and nbval before comparing) does with a carriage
# return inside a line: the text after it overwrites the line.
_OVERWRITTEN = re.compile(r"^.*\r(?=[^\n])", re.MULTILINE)


def keep_final_line_states(nb) -> None:
    """Store a progress bar as Jupyter shows it once the cell has run: only its
    final state. A bar redraws its line with carriage returns (``\\r``); stored
    raw, every state would appear as a line of its own in the book."""
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and "\r" in out["text"]:
                out["text"] = _OVERWRITTEN.sub("", out["text"])


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
    keep_final_line_states(nb)
    captions_to_figures(nb, figure_key(path))
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
