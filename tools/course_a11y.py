"""Accessibility and layout fixes for the book's HTML (loaded by ``course_html``).

The theme (sphinx-book-theme on pydata-sphinx-theme) leaves a few things that screen readers
and keyboard users trip over; axe-core's WCAG 2 A/AA rules name them, and ``tests/test_a11y.py``
runs those rules on every page. After the build, :func:`accessible_html` rewrites each page:

- the sidebar's expand toggles (``<details><summary>`` with only a chevron icon) get a name,
  "Sections of <chapter title>";
- myst-nb's "Show code cell content" toggles keep their visible text as their name (their
  ``aria-label`` "Toggle hidden content" did not contain it);
- the wide search button is named by what it shows ("Search Ctrl+K"), and the colour-mode
  button's icons are hidden from screen readers (the button's own label names it).

``course_static/course.js`` names the quizzes' numeric answer fields by their question.
``course_static/course.css`` (added to every page) lets text outputs wrap inside the book's
column instead of needing a horizontal scroll bar, and gives the widget buttons a colour
with enough contrast for their white text.
"""

from __future__ import annotations

import html as html_lib
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "course_static"

_TOC_TOGGLE = re.compile(
    r'(<a class="(?:current )?reference internal" href="[^"]*">'
    r"(?P<title>(?:(?!</a>|<a ).)*)</a>"
    r"\s*<details(?:\s[^>]*)?>\s*)<summary>",
    re.S,
)
_HIDDEN_CONTENT = '<summary aria-label="Toggle hidden content">'
_SEARCH_FIELD = re.compile(
    r'(<button class="btn search-button-field[^"]*"[^>]*?) aria-label="Search"'
)
_THEME_ICON = re.compile(
    r'<i class="theme-switch ([^"]*)"([^>]*?) title="[^"]*">'
)


def _toggle_name(match) -> str:
    title = re.sub(r"<[^>]+>", "", match.group("title"))
    title = html_lib.escape(html_lib.unescape(title).strip(), quote=True)
    return f'{match.group(1)}<summary aria-label="Sections of {title}">'


def accessible_html(page: str) -> str:
    """The page's HTML with the fixes above applied (idempotent)."""
    page = _TOC_TOGGLE.sub(_toggle_name, page)
    page = page.replace(_HIDDEN_CONTENT, "<summary>")
    page = _SEARCH_FIELD.sub(r"\1", page)
    page = _THEME_ICON.sub(
        r'<i class="theme-switch \1"\2 aria-hidden="true">', page
    )
    return page


def rewrite_pages(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    for path in Path(app.outdir).rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        fixed = accessible_html(text)
        if fixed != text:
            path.write_text(fixed, encoding="utf-8")


def add_static(app, config) -> None:
    config.html_static_path.append(str(STATIC))


def setup(app) -> None:
    app.connect("config-inited", add_static)
    app.add_css_file("course.css")
    app.add_js_file("course.js", defer="defer")
    app.connect("build-finished", rewrite_pages)
