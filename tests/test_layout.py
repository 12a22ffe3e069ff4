"""The book reads well on a screen: nothing needs a horizontal scroll bar and figures are shown at a
size where their text can be read, measured in headless Chromium on every lesson and exercise page
at 1280 px (the book's content column is then about 690 px wide), and on a few pages at 768 px.

Each page is opened once per width and measured by ``layout_probe`` (``scrollWidth >
clientWidth`` for every code block, output and display equation; displayed / natural width for
every figure); the tests below read those measurements.
"""

from __future__ import annotations

import pytest
from book_browser import NARROW, SCREENSHOTS, WIDE, open_page
from layout_probe import MIN_SCALE, overflows, shrunk_images
from test_book import PAGES

LESSONS = [p for p in PAGES if p.startswith(("book/part", "exercises/"))]

# Pages also measured on a narrow screen (a tablet held upright, 768 px): lessons with wide
# tables, figures and equations.
NARROW_PAGES = [
    "book/part2-convolutional-layer/05-edge-detection",
    "book/part4-architectures/14-lenet",
    "book/part5-convolution-and-attention/23-mixing-local-and-global",
    "book/part5-convolution-and-attention/24-a-hybrid-network",
]

# Pages whose screenshot at 1280 px is kept in _build/screenshots/ for a human to look at.
SCREENSHOT_PAGES = {
    "book/part2-convolutional-layer/05-edge-detection": "layout-05.png",
    "book/part4-architectures/14-lenet": "layout-14.png",
    "book/part5-convolution-and-attention/23-mixing-local-and-global": "layout-23.png",
}

# Outputs or equations allowed to need a horizontal scroll bar: (page, first characters) -> why.
# Keep this empty unless wrapping would make a result unreadable.
SCROLL_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Figures allowed below MIN_SCALE because their text was sized for the shrunk width:
# (page, start of the alt text) -> why.
FIGURE_EXCEPTIONS: dict[tuple[str, str], str] = {}

_measured: dict[tuple[str, str], dict] = {}


def measure(browser, site, page_name, viewport):
    """Open the page once per width and keep what ``layout_probe`` finds there."""
    key = (page_name, viewport["width"])
    if key not in _measured:
        context, page, _ = open_page(
            browser, site + page_name + ".html", viewport=viewport
        )
        try:
            _measured[key] = {
                "overflows": overflows(page),
                "shrunk": shrunk_images(page),
            }
            shot = SCREENSHOT_PAGES.get(page_name)
            if shot and viewport is WIDE:
                SCREENSHOTS.mkdir(parents=True, exist_ok=True)
                page.screenshot(
                    path=str(SCREENSHOTS / shot), full_page=True
                )
        finally:
            context.close()
    return _measured[key]


def _excepted(page_name, text, exceptions):
    return any(
        page == page_name and text.startswith(start)
        for page, start in exceptions
    )


def _report(page_name, found):
    return f"{page_name}:\n" + "\n".join(
        f"- {f['kind']} needs {f['scroll']} px in a {f['client']} px box: "
        f"{f['text']!r}"
        for f in found
    )


@pytest.mark.parametrize("page_name", LESSONS)
def test_outputs_and_equations_fit_the_column(browser, site, page_name):
    found = [
        f
        for f in measure(browser, site, page_name, WIDE)["overflows"]
        if f["kind"] in ("output", "equation")
        and not _excepted(page_name, f["text"], SCROLL_EXCEPTIONS)
    ]
    assert not found, _report(page_name, found)


@pytest.mark.parametrize("page_name", NARROW_PAGES)
def test_outputs_and_equations_fit_a_narrow_screen(
    browser, site, page_name
):
    found = [
        f
        for f in measure(browser, site, page_name, NARROW)["overflows"]
        if f["kind"] in ("output", "equation")
        and not _excepted(page_name, f["text"], SCROLL_EXCEPTIONS)
    ]
    assert not found, _report(page_name, found)


@pytest.mark.parametrize("page_name", LESSONS)
def test_figures_are_shown_at_a_legible_size(browser, site, page_name):
    small = [
        s
        for s in measure(browser, site, page_name, WIDE)["shrunk"]
        if not _excepted(page_name, s["alt"], FIGURE_EXCEPTIONS)
    ]
    assert not small, (
        f"{page_name}: figures shown below {MIN_SCALE:.0%} of their width "
        "(their text shrinks with them; draw them for the column with "
        "convlab.plotting.panels, see CONTRIBUTING.md):\n"
        + "\n".join(
            f"- {s['shown']:.0f} of {s['natural']} px ({s['scale']:.0%}): "
            f"{s['alt']!r}"
            for s in small
        )
    )


def test_code_fits_the_column(browser, site):
    found = []
    for page_name in LESSONS:
        code = [
            f
            for f in measure(browser, site, page_name, WIDE)["overflows"]
            if f["kind"] == "code"
        ]
        if code:
            found.append(_report(page_name, code))
    assert not found, "\n".join(found)
