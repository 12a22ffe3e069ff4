"""Copy the JavaScript the book serves itself into _vendor/vendor/ (a Sphinx static path).

    python tools/vendor_assets.py

The packages come from the npm registry, pinned in web/package.json and
web/package-lock.json and installed by the set-up (`npm ci --prefix web`).
Nothing here is downloaded at build or read time: the built book asks no other
host, so formulas and saved widgets render offline.

    _vendor/vendor/mathjax/          MathJax 3 (tex-mml-chtml.js and the parts it loads on demand)
    _vendor/vendor/require.js        RequireJS, which the widget manager uses to load its modules
    _vendor/vendor/html-manager/     the Jupyter widgets HTML manager (embed-amd.js and its fonts)
    _vendor/vendor/widgets-setup.js  ours (web/): where the manager finds its fonts; MathJax 3 for its labels
"""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODULES = ROOT / "web" / "node_modules"
OUT = ROOT / "_vendor" / "vendor"
FONT_SUFFIXES = {".woff", ".woff2", ".ttf", ".eot", ".svg"}


def check_installed() -> None:
    wanted = json.loads((ROOT / "web" / "package.json").read_text())[
        "dependencies"
    ]
    for name, version in wanted.items():
        meta = MODULES / name / "package.json"
        found = (
            json.loads(meta.read_text())["version"]
            if meta.exists()
            else None
        )
        if found != version:
            sys.exit(
                f"error: web asset {name}@{version} is not installed (found {found}). "
                "Run `npm ci --prefix web` (make does this), which needs Node.js and npm."
            )


def copy_tree(src: Path, dst: Path, keep=lambda p: True) -> int:
    n = 0
    for f in sorted(src.rglob("*")):
        if f.is_file() and keep(f):
            target = dst / f.relative_to(src)
            if (
                not target.exists()
                or target.stat().st_size != f.stat().st_size
            ):
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(f, target)
            n += 1
    return n


def main() -> None:
    check_installed()
    OUT.mkdir(parents=True, exist_ok=True)
    n = copy_tree(MODULES / "mathjax" / "es5", OUT / "mathjax")
    shutil.copy2(MODULES / "requirejs" / "require.js", OUT / "require.js")
    shutil.copy2(
        ROOT / "web" / "widgets-setup.js", OUT / "widgets-setup.js"
    )
    dist = MODULES / "@jupyter-widgets" / "html-manager" / "dist"
    n += copy_tree(
        dist,
        OUT / "html-manager",
        keep=lambda p: (
            p.name == "embed-amd.js" or p.suffix in FONT_SUFFIXES
        ),
    )
    print(f"vendored {n + 2} files into {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
