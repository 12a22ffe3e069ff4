"""Print the built HTML book to one PDF, ``_build/pdf/book.pdf``.

``make pdf`` runs it. Every page of ``_toc.yml`` (the landing page, then
each part's chapters, each followed by its exercises) is opened in headless
Chromium from a local server, as a reader's browser would open it; MathJax
finishes typesetting, the print
stylesheet ``tools/print.css`` is added (it hides the navigation and the
interactive controls, whose static figures stay, and wraps long code lines),
and the page is printed with Chromium's own PDF writer. pypdf then joins the
pages and writes the outline: one bookmark per part, one per chapter under
it, and each chapter's exercises under the chapter. No LaTeX is involved.

Usage::

    python tools/build_pdf.py [--html _build/html]
                              [--out _build/pdf/book.pdf]
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import http.server
import io
import os
import shutil
import sys
import threading
import time
from pathlib import Path

import yaml
from pypdf import PdfReader, PdfWriter

ROOT = Path(__file__).resolve().parent.parent
PRINT_CSS = Path(__file__).with_name("print.css")
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
PAGE = dict(
    format="A4",
    print_background=True,
    margin={
        "top": "16mm",
        "bottom": "16mm",
        "left": "14mm",
        "right": "14mm",
    },
    display_header_footer=True,
    header_template="<span></span>",
    footer_template=(
        '<div style="font-size:8px;width:100%;text-align:center;">'
        '<span class="title"></span> &middot; <span class="pageNumber">'
        "</span></div>"
    ),
)


def toc_entries(toc_path=ROOT / "_toc.yml"):
    """The book's pages in reading order, from ``_toc.yml``: a list of
    ``(kind, caption, file)`` with kind ``"root"``, ``"part"`` (file None),
    ``"chapter"`` or ``"section"`` (a chapter's exercises)."""
    toc = yaml.safe_load(Path(toc_path).read_text())
    entries = [("root", None, toc["root"])]
    for part in toc.get("parts", []):
        entries.append(("part", part["caption"], None))
        for chapter in part.get("chapters", []):
            entries.append(("chapter", None, chapter["file"]))
            for section in chapter.get("sections", []):
                entries.append(("section", None, section["file"]))
    return entries


def find_chromium():
    for name in (
        os.environ.get("CHROMIUM"),
        "chromium",
        "chromium-browser",
        "google-chrome",
    ):
        if name and shutil.which(name):
            return shutil.which(name)
    return None


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _serve(html_dir):
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0),
        functools.partial(_QuietHandler, directory=str(html_dir)),
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


# What the printed page shows, read in print media at the width of the
# paper: its first heading, the code blocks wider than the column (cut at
# the page edge), the interactive controls still visible.
_INSPECT = """() => {
  const h = document.querySelector('main h1, article h1, h1');
  const shown = (e) => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden';
  const cut = [...document.querySelectorAll('pre')]
    .filter((e) => shown(e) && e.scrollWidth > e.clientWidth + 1)
    .map((e) => e.textContent.trim().slice(0, 60));
  const controls = [...document.querySelectorAll(
      '.convlab-explorer, input, button, select, textarea')]
    .filter(shown).map((e) => e.outerHTML.slice(0, 80));
  return {title: h ? h.textContent.replace(/#$/, '').trim()
                   : document.title, cut, controls};
}"""


async def _print_page(page, url, css):
    """Open ``url``, wait for MathJax and the fonts, print it: ``(info,
    pdf bytes)``, ``info`` as read by ``_INSPECT``."""
    await page.goto(url, wait_until="load")
    await page.evaluate(
        "() => window.MathJax && MathJax.startup"
        " ? MathJax.startup.promise : null"
    )
    await page.add_style_tag(content=css)
    await page.emulate_media(media="print")
    await page.evaluate("() => document.fonts.ready.then(() => true)")
    info = await page.evaluate(_INSPECT)
    return info, await page.pdf(**PAGE)


async def _print_all(urls, css, chromium, workers, log):
    """Print ``urls`` with ``workers`` pages at a time (Chromium renders
    them in parallel processes); the results in the order of ``urls``."""
    from playwright.async_api import async_playwright

    results = [None] * len(urls)
    queue = list(enumerate(urls))

    async with async_playwright() as p:
        browser = await p.chromium.launch(
            executable_path=chromium, args=CHROMIUM_FLAGS
        )
        # the printable width of A4 with PAGE's margins: 182 mm
        context = await browser.new_context(
            viewport={"width": 688, "height": 1000}
        )

        async def work():
            page = await context.new_page()
            while queue:
                i, url = queue.pop(0)
                results[i] = await _print_page(page, url, css)
                log(f"printed {url}")
            await page.close()

        await asyncio.gather(*(work() for _ in range(workers)))
        await browser.close()
    return results


def build_pdf(
    html_dir, out, toc_path=ROOT / "_toc.yml", log=print, workers=2
):
    """Print every page of ``toc_path`` from the built book in ``html_dir``
    into ``out``, ``workers`` pages at a time; return ``{"pages": n,
    "outline": [(level, title, page_index)], "seconds": t, "cut": [(file,
    code)], "controls": [(file, html)]}`` (the last two should be empty)."""
    html_dir, out = Path(html_dir), Path(out)
    entries = toc_entries(toc_path)
    missing = [
        f
        for _, _, f in entries
        if f and not (html_dir / f"{f}.html").exists()
    ]
    if missing:
        raise FileNotFoundError(
            f"build_pdf: the HTML book in {html_dir} lacks {missing[:3]}; "
            "build it first (make book)."
        )
    chromium = find_chromium()
    if chromium is None:
        raise RuntimeError(
            "build_pdf: Chromium is needed to print the book (Debian "
            "package 'chromium'; or set CHROMIUM=/path/to/chrome)."
        )
    css = PRINT_CSS.read_text()
    start = time.perf_counter()
    server, base = _serve(html_dir)
    pages = [(k, c, f) for k, c, f in entries if k != "part"]
    try:
        printed = asyncio.run(
            _print_all(
                [f"{base}{f}.html" for _, _, f in pages],
                css,
                chromium,
                workers,
                log,
            )
        )
    finally:
        server.shutdown()
    writer = PdfWriter()
    outline, parents = [], {}
    problems = {"cut": [], "controls": []}
    printed = iter(printed)
    part = None
    for kind, caption, file in entries:
        if kind == "part":
            part = caption
            continue
        info, data = next(printed)
        title = info["title"]
        for what in ("cut", "controls"):
            problems[what] += [(file, x) for x in info[what]]
        first = len(writer.pages)
        writer.append(PdfReader(io.BytesIO(data)))
        if kind == "root":
            writer.add_outline_item(title=title, page_number=first)
            outline.append((0, title, first))
        elif kind == "chapter":
            if part not in parents:
                parents[part] = writer.add_outline_item(
                    title=part, page_number=first
                )
                outline.append((0, part, first))
            parents["chapter"] = writer.add_outline_item(
                title=title, page_number=first, parent=parents[part]
            )
            outline.append((1, title, first))
        else:  # a chapter's exercises
            writer.add_outline_item(
                title=title, page_number=first, parent=parents["chapter"]
            )
            outline.append((2, title, first))
    writer.add_metadata({"/Title": _book_title()})
    writer.page_mode = "/UseOutlines"
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "wb") as f:
        writer.write(f)
    return {
        "pages": len(writer.pages),
        "outline": outline,
        "seconds": time.perf_counter() - start,
        **problems,
    }


def _book_title():
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config.get("title", "book")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", default=ROOT / "_build" / "html")
    parser.add_argument(
        "--out", default=ROOT / "_build" / "pdf" / "book.pdf"
    )
    args = parser.parse_args(argv)
    result = build_pdf(args.html, args.out)
    for what, text in (
        ("cut", "code cut at the page edge"),
        ("controls", "interactive control printed"),
    ):
        for file, detail in result[what]:
            print(f"warning: {text}: {file}: {detail}", file=sys.stderr)
    size = Path(args.out).stat().st_size / 1e6
    print(
        f"{args.out}: {result['pages']} pages, {size:.1f} MB, "
        f"{result['seconds']:.0f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
