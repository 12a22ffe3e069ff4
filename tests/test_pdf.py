"""The book as one PDF (``make pdf``, ``tools/build_pdf.py``), printed from
the test build of the HTML book: every page of ``_toc.yml`` in order, one
bookmark per part and chapter, titles and typeset formulas in the text, no
code cut at the page edge, no interactive control on paper."""

import json
import re
import sys
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from book_browser import ROOT, find_chromium
from pypdf import PdfReader

sys.path.insert(0, str(ROOT / "tools"))
import build_pdf  # noqa: E402


def source_title(file):
    """The ``# Title`` of a page's source (notebook or Markdown)."""
    nb = ROOT / f"{file}.ipynb"
    if nb.exists():
        cells = json.loads(nb.read_text())["cells"]
        lines = "".join(cells[0]["source"]).splitlines()
    else:
        lines = (ROOT / f"{file}.md").read_text().splitlines()
    return next(line[2:].strip() for line in lines if line.startswith("# "))


def words(text):
    """Text with runs of white space made one space and ligatures (fi)
    split into their letters."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


@pytest.fixture(scope="module")
def book_pdf(built_book, tmp_path_factory):
    returncode, _, html = built_book
    if returncode != 0:
        pytest.skip("the book did not build (see test_book.py)")
    if find_chromium() is None:
        pytest.skip("Chromium is not installed: the book cannot be printed")
    out = tmp_path_factory.mktemp("pdf") / "book.pdf"
    start = time.perf_counter()
    # build_pdf runs Playwright's async API with asyncio.run; the sync API of
    # the browser fixture may already run an event loop in this thread, so
    # print from a thread of its own
    with ThreadPoolExecutor(1) as pool:
        result = pool.submit(
            build_pdf.build_pdf, html, out, log=lambda *_: None
        ).result()
    seconds = time.perf_counter() - start
    print(f"book.pdf: {result['pages']} pages in {seconds:.0f} s")
    return result, PdfReader(out)


def flat_outline(reader, items=None, level=0):
    items = reader.outline if items is None else items
    out = []
    for item in items:
        if isinstance(item, list):
            out += flat_outline(reader, item, level + 1)
        else:
            out.append(
                (
                    level,
                    item.title,
                    reader.get_destination_page_number(item),
                )
            )
    return out


def test_every_page_in_order_with_a_bookmark_per_part_and_chapter(book_pdf):
    result, reader = book_pdf
    entries = build_pdf.toc_entries()
    files = [f for _, _, f in entries if f]
    assert len(reader.pages) == result["pages"]
    # at least a page per page of the book, and no runaway layout
    assert len(files) <= len(reader.pages) <= 25 * len(files)
    expected = []
    for kind, caption, file in entries:
        level = {"root": 0, "part": 0, "chapter": 1, "section": 2}[kind]
        expected.append((level, caption or source_title(file)))
    outline = flat_outline(reader)
    assert [(lvl, t) for lvl, t, _ in outline] == expected
    pages = [p for _, _, p in outline]
    assert pages == sorted(pages) and pages[0] == 0


def test_each_chapter_starts_with_its_title_and_typeset_formulas(book_pdf):
    _, reader = book_pdf
    parts = {c for kind, c, _ in build_pdf.toc_entries() if kind == "part"}
    for level, title, page in flat_outline(reader):
        if level == 0 and title in parts:
            continue
        text = words(reader.pages[page].extract_text())
        assert words(title) in text, (title, text[:200])
        # MathJax ran before printing: no TeX source left on the page
        assert not re.search(r"\$\$|\\\(|\\frac|\\sum|\\times", text), (
            title,
            text[:300],
        )


def test_figures_are_printed(book_pdf):
    _, reader = book_pdf
    outline = flat_outline(reader)
    start = next(p for _, t, p in outline if t == "Edge detection")
    end = next(p for _, t, p in outline if t == "Exercises: edge detection")
    images = sum(len(reader.pages[i].images) for i in range(start, end))
    assert images >= 5


def test_no_code_cut_and_no_controls_on_paper(book_pdf):
    result, _ = book_pdf
    assert result["cut"] == [], "code wider than the page: " + str(
        result["cut"][:5]
    )
    assert result["controls"] == [], "controls printed: " + str(
        result["controls"][:5]
    )


def test_print_stylesheet_wraps_code_and_hides_controls():
    css = Path(build_pdf.PRINT_CSS).read_text()
    media = css[css.index("@media print") :]
    assert re.search(r"pre[^{]*\{[^}]*white-space:\s*pre-wrap", media)
    assert ".convlab-explorer" in media and "input" in media
