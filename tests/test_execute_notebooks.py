"""tools/execute_notebooks.py: what it stores besides the outputs (captions, alt text, bars)."""

import sys
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import execute_notebooks as ex  # noqa: E402


def figure_cell():
    cell = new_code_cell("plot()")
    cell.outputs = [
        nbformat.v4.new_output(
            "display_data", data={"image/png": "iVBOR", "text/plain": "<F>"}
        )
    ]
    return cell


def test_old_captions_become_numbered_figures_with_alt_text():
    nb = new_notebook(
        cells=[
            figure_cell(),
            new_markdown_cell(
                "*Figure: the kernel $g(\\tau)$ and\nits mirror.*\n\nMore text."
            ),
            figure_cell(),
            new_markdown_cell("*Figure: the kernel again.*"),
        ]
    )
    ex.captions_to_figures(nb, "07")
    ex.set_alt_text(nb)
    assert len(nb.cells) == 3  # the caption-only cell is gone
    first = nb.cells[0].metadata["mystnb"]
    assert (
        first["figure"]["caption"]
        == "The kernel $g(\\tau)$ and its mirror."
    )
    assert first["figure"]["name"] == "fig-07-kernel-mirror"
    assert first["image"]["alt"] == "The kernel g(tau ) and its mirror."
    assert nb.cells[1].source == "More text."
    assert (
        nb.cells[2].metadata["mystnb"]["figure"]["name"]
        == "fig-07-kernel-again"
    )
    before = nbformat.writes(nb)
    ex.captions_to_figures(nb, "07")  # running it again changes nothing
    assert nbformat.writes(nb) == before


def test_progress_bars_keep_their_final_state_only():
    cell = new_code_cell("fit()")
    cell.outputs = [
        nbformat.v4.new_output(
            "stream",
            name="stdout",
            text="\r0/2 epochs |  |\r1/2 epochs |# | a\r2/2 epochs |##| b"
            "\r2/2 epochs |##| b\nresult 1\n",
        )
    ]
    nb = new_notebook(cells=[cell])
    ex.keep_final_line_states(nb)
    assert cell.outputs[0].text == "2/2 epochs |##| b\nresult 1\n"


def test_figure_keys():
    assert ex.figure_key(Path("14-lenet.ipynb")) == "14"
    assert ex.figure_key(Path("14-lenet-exercises.ipynb")) == "14x"
