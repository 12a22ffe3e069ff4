"""Every number a lesson's text states is printed by a cell of the same notebook, or marked as
quoted from a cited source (see tests/prose_numbers.py for the rules and the marker)."""

import json
from collections import Counter

import pytest
from prose_numbers import LESSONS, ROOT, check_notebook

# Numbers the text of a lesson still states without printing or marking them: a ratchet that
# may only shrink. A number missing from the list fails the test (a new or edited number must be
# printed or marked), and so does a listed number that is gone from the text (remove it here).
PENDING = json.loads(
    (ROOT / "tests" / "prose_numbers_pending.json").read_text()
)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem[:2])
def test_numbers_in_the_text_are_printed_or_quoted(path):
    report = check_notebook(path)
    assert not report.errors, report.errors
    unmatched = Counter(n for _, n in report.unmatched)
    pending = Counter(PENDING.get(path.name, []))
    new = sorted((unmatched - pending).elements())
    assert not new, (
        f"{path.name}: the text states {new}, which no cell prints; print them, or mark a "
        "number quoted from a source with <!-- quoted from SOURCE: number, ... -->"
    )
    gone = sorted((pending - unmatched).elements())
    assert not gone, (
        f"{path.name}: {gone} are printed, marked or gone now; remove them from "
        "tests/prose_numbers_pending.json"
    )


def _one_cell_notebook(tmp_path, markdown, printed):
    nb = {
        "cells": [
            {
                "cell_type": "markdown",
                "id": "m",
                "metadata": {},
                "source": markdown,
            },
            {
                "cell_type": "code",
                "id": "c",
                "metadata": {},
                "execution_count": 1,
                "source": "",
                "outputs": [
                    {
                        "output_type": "stream",
                        "name": "stdout",
                        "text": printed,
                    }
                ],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb))
    return path


def test_an_edited_number_is_caught(tmp_path):
    # chapter 2 states 1·0 + 2·1 + 3·0.5 = 3.5, and a cell prints 3.5; change the text to 4.5
    ch02 = next(p for p in LESSONS if p.name.startswith("02-"))
    nb = json.loads(ch02.read_text())
    cell = next(c for c in nb["cells"] if "= 3.5$" in "".join(c["source"]))
    assert check_notebook(ch02).unmatched == []
    cell["source"] = "".join(cell["source"]).replace("= 3.5$", "= 4.5$")
    edited = tmp_path / ch02.name
    edited.write_text(json.dumps(nb))
    assert [n for _, n in check_notebook(edited).unmatched] == ["4.5"]


def test_number_formats_and_exemptions(tmp_path):
    text = (
        "In 2015 a layer of $1\\,769\\,472$ MACs, 61,706 weights, $0.0208$ and 3.50 and "
        "ResNet-152 and `alpha=0.75` and [link](ch-123.ipynb) and 224x224 and 120,000."
    )
    path = _one_cell_notebook(
        tmp_path, text, "1769472 61706 0.0208 3.5 224\n"
    )
    report = check_notebook(path)
    assert (report.found, report.printed, report.unmatched) == (6, 6, [])
    path = _one_cell_notebook(tmp_path, text, "1769472 0.0208 3.5\n")
    assert sorted(n for _, n in check_notebook(path).unmatched) == [
        "224",
        "224",
        "61706",
    ]


def test_quoted_marker(tmp_path):
    text = "The paper reports 71.5 % and 69.8 %.\n<!-- quoted from Howard et al. 2017: 71.5, 69.8 -->"
    report = check_notebook(_one_cell_notebook(tmp_path, text, ""))
    assert (
        report.found,
        report.marked,
        report.unmatched,
        report.errors,
    ) == (2, 2, [], [])
    stale = "The paper reports 71.5 %.\n<!-- quoted from Howard et al. 2017: 71.5, 69.8 -->"
    errors = check_notebook(_one_cell_notebook(tmp_path, stale, "")).errors
    assert errors == [
        ("m", "quoted 69.8 does not occur in the cell's text")
    ]
    anonymous = "It is 71.5 %.\n<!-- quoted from : 71.5 -->"
    errors = check_notebook(
        _one_cell_notebook(tmp_path, anonymous, "")
    ).errors
    assert errors == [("m", "a quoted marker names no source")]
