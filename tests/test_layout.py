"""The book reads well on a narrow screen too. At 1280 px every page is
measured by ``test_book.py`` in the same page load as its other checks
(``layout_probe.layout_problems``: ``scrollWidth > clientWidth`` for every
code block, output and display equation; displayed / natural width for every
figure); here the lessons with the widest tables, figures and equations are
measured at 768 px, a tablet held upright.
"""

from __future__ import annotations

import pytest
from book_browser import NARROW, open_page
from layout_probe import (
    SCROLL_EXCEPTIONS,
    _excepted,
    _report,
    overflows,
    shrunk_images,
)
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
        finally:
            context.close()
    return _measured[key]


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
