"""Shared by every test of the built book (imported as ``from book_browser import ...``).

The book is built once per test run, whichever pytest-xdist worker gets there first (a file lock
makes the others wait and reuse it), served on localhost, and driven in headless Chromium by
Playwright, as a reader would use it. The fixtures ``built_book``, ``site`` and ``browser`` live in
``tests/conftest.py``; :func:`open_page` opens one page and records what went wrong on it.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCREENSHOTS = ROOT / "_build" / "screenshots"
BOOK_DIR = ROOT / "_build" / "test-book"

# Widths a reader uses: a laptop and a narrow screen (a tablet held upright).
WIDE = {"width": 1280, "height": 900}
NARROW = {"width": 768, "height": 1000}

# How the tests and `make pdf` find and start Chromium: defined once, in the
# tool (tools/ cannot import the tests).
sys.path.insert(0, str(ROOT / "tools"))
from build_pdf import CHROMIUM_FLAGS, find_chromium  # noqa: E402, F401


def open_page(browser, url, **context_options):
    """Open ``url`` in a new browser context; return ``(context, page, log)``.

    ``log`` collects every request, failed request, console error and uncaught exception, also
    those raised later while the test types, clicks and drags: check ``log["errors"]`` at the end.
    The page is returned once the network is idle and MathJax has typeset it.
    """
    context_options.setdefault("viewport", WIDE)
    context = browser.new_context(**context_options)
    page = context.new_page()
    log = {"requests": [], "failed": [], "errors": []}
    page.on("request", lambda r: log["requests"].append(r.url))
    page.on(
        "requestfailed",
        lambda r: log["failed"].append(f"{r.url} ({r.failure})"),
    )
    page.on(
        "response",
        lambda r: (
            log["failed"].append(f"{r.url} (HTTP {r.status})")
            if r.status >= 400
            else None
        ),
    )
    page.on(
        "console",
        lambda m: (
            log["errors"].append(m.text) if m.type == "error" else None
        ),
    )
    page.on("pageerror", lambda e: log["errors"].append(f"uncaught: {e}"))
    page.goto(url, wait_until="networkidle")
    page.evaluate(
        "() => window.MathJax && MathJax.startup"
        " ? MathJax.startup.promise : null"
    )
    return context, page, log
