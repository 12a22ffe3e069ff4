"""What a reader would have to scroll sideways, and figures shown too small (imported by
``tests/test_layout.py`` and usable from a script to count offenders on the built book).

:func:`overflows` returns, for one open page, every code block, output and display equation whose
content is wider than the box that shows it (``scrollWidth > clientWidth``: the reader needs a
horizontal scroll bar), or that sticks out of the book's content column. :func:`shrunk_images`
returns every figure displayed below ``MIN_SCALE`` of its natural width (its text then shrinks by
the same factor).
"""

from __future__ import annotations

#: A figure shown below this fraction of its natural width has text too small to read.
MIN_SCALE = 0.75

_OVERFLOWS_JS = r"""
() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('article');
  if (!article) return [];
  const right = article.getBoundingClientRect().right;
  const found = [];
  const text = e => (e.innerText || e.textContent || '').replace(/\s+/g, ' ').trim().slice(0, 70);
  const wide = e => e.scrollWidth > e.clientWidth + 1
        || e.getBoundingClientRect().right > right + 1;
  const report = (kind, e, label) => {
    found.push({kind, text: label === undefined ? text(e) : label,
                scroll: e.scrollWidth, client: e.clientWidth});
  };
  article.querySelectorAll('div.cell_input pre').forEach(e => { if (wide(e)) report('code', e); });
  article.querySelectorAll('div.cell_output').forEach(out => {
    // every box inside an output that could hide what it holds behind a scroll bar
    const boxes = [out, ...out.querySelectorAll('pre, div.output, table, div.highlight')];
    const bad = boxes.find(wide);
    if (bad) report('output', bad);
  });
  article.querySelectorAll('div.math, mjx-container[display="true"]').forEach(e => {
    if (e.closest('div.cell_output')) return;
    if (wide(e)) {
      const tex = e.closest('div.math') ? e.closest('div.math') : e;
      const math = tex.querySelector('mjx-assistive-mml, math');
      report('equation', e, (math ? math.textContent : text(e)).replace(/\s+/g, ' ').slice(0, 70));
    }
  });
  // one report per equation (the div and the mjx-container inside it)
  const seen = new Set();
  return found.filter(f => {
    const key = f.kind + '|' + f.text;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
"""

_SHRUNK_JS = r"""
(minScale) => Array.from(document.querySelectorAll('article img'))
  .filter(i => i.complete && i.naturalWidth > 0 && !i.closest('.jupyter-widgets'))
  .map(i => ({src: i.getAttribute('src'), alt: (i.alt || '').slice(0, 70),
              shown: i.getBoundingClientRect().width, natural: i.naturalWidth,
              scale: i.getBoundingClientRect().width / i.naturalWidth}))
  .filter(i => i.scale < minScale)
"""


def overflows(page) -> list[dict]:
    """Every code block (kind ``code``), output (``output``) and display equation (``equation``)
    of the open page that needs a horizontal scroll bar or leaves the content column:
    dicts with ``kind``, ``text`` (its first characters), ``scroll`` and ``client`` widths."""
    return page.evaluate(_OVERFLOWS_JS)


def shrunk_images(page, min_scale: float = MIN_SCALE) -> list[dict]:
    """Every figure of the open page displayed below ``min_scale`` of its natural width:
    dicts with ``src``, ``alt``, ``shown`` and ``natural`` widths (px) and ``scale``."""
    return page.evaluate(_SHRUNK_JS, min_scale)


# Outputs or equations allowed to need a horizontal scroll bar: (page, first characters) -> why.
# Keep this empty unless wrapping would make a result unreadable.
SCROLL_EXCEPTIONS: dict[tuple[str, str], str] = {}

# Figures allowed below MIN_SCALE because their text was sized for the shrunk width:
# (page, start of the alt text) -> why.
FIGURE_EXCEPTIONS: dict[tuple[str, str], str] = {}


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


def layout_problems(page, page_name) -> list[str]:
    """What needs a horizontal scroll bar (code, outputs, equations) and
    which figures are shrunk below ``MIN_SCALE`` on the open ``page``."""
    problems = []
    found = [
        f
        for f in overflows(page)
        if f["kind"] == "code"
        or not _excepted(page_name, f["text"], SCROLL_EXCEPTIONS)
    ]
    if found:
        problems.append(_report(page_name, found))
    small = [
        s
        for s in shrunk_images(page)
        if not _excepted(page_name, s["alt"], FIGURE_EXCEPTIONS)
    ]
    if small:
        problems.append(
            f"figures shown below {MIN_SCALE:.0%} of their width (their "
            "text shrinks with them; draw them for the column with "
            "convlab.plotting.panels, see CONTRIBUTING.md):\n"
            + "\n".join(
                f"- {s['shown']:.0f} of {s['natural']} px "
                f"({s['scale']:.0%}): {s['alt']!r}"
                for s in small
            )
        )
    return problems
