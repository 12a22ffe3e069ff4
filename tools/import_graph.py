"""The import graph of ``lib/convlab``, in layers; fails on an import circle.

    python tools/import_graph.py [PACKAGE_DIR]    (default: lib/convlab)

Reads every module's source with ``ast`` (nothing is imported or run) and
collects the imports between modules of the package, wherever they are
written: at the top, inside a function (a "lazy" import still makes a circle)
or under ``if TYPE_CHECKING``. ``from . import ops`` and ``from .ops import
conv2d`` both count as an edge to ``ops``; ``from .models import resnet`` is
an edge to ``models.resnet`` when that is a module, else to ``models``.
Importing a submodule also runs its package's ``__init__``, but that is
Python's doing, not a dependency the code chose, so it is not an edge.

Prints the modules in layers: layer 0 imports nothing from the package, and
every module imports only from layers below its own. Exits with status 1
and prints the modules of each circle when there is one (then there are no
layers), 0 otherwise.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def module_names(package: Path) -> dict[str, Path]:
    """Dotted module name (relative to the package) -> file, e.g.
    ``"models.resnet"``; a sub-package is named by its ``__init__``."""
    names = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts) or "__init__"] = path
    return names


def _resolve(name: str, modules: dict) -> str | None:
    """The longest prefix of ``name`` that is a module of the package."""
    parts = name.split(".")
    while parts:
        candidate = ".".join(parts)
        if candidate in modules:
            return candidate
        parts.pop()
    return None


def imports_of(module: str, path: Path, modules: dict, pkg: str) -> set:
    """The package modules that ``module`` (at ``path``) imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    here = [] if module == "__init__" else module.split(".")
    # the package a relative import starts from
    base = here if path.name == "__init__.py" else here[:-1]
    found = set()

    def target(parts):
        return _resolve(".".join(parts), modules) or "__init__"

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == pkg or alias.name.startswith(pkg + "."):
                    found.add(target(alias.name.split(".")[1:]))
            continue
        if not isinstance(node, ast.ImportFrom):
            continue
        words = node.module.split(".") if node.module else []
        if node.level:  # from . import x, from ..y import z
            if node.level - 1 > len(base):
                continue  # above the package
            prefix = base[: len(base) - (node.level - 1)] + words
        elif words and words[0] == pkg:
            prefix = words[1:]
        else:
            continue  # numpy, torch, ...
        for alias in node.names:
            # "from .models import resnet": a module; else a name in prefix
            sub = ".".join(prefix + [alias.name])
            found.add(sub if sub in modules else target(prefix))
    found.discard(module)
    return found


def build_graph(package: Path) -> dict[str, set]:
    modules = module_names(package)
    pkg = package.name
    return {
        name: imports_of(name, path, modules, pkg)
        for name, path in modules.items()
    }


def layers(
    graph: dict[str, set],
) -> tuple[list[list[str]], list[list[str]]]:
    """``(layers, cycles)``: the layering when there is no circle, else the
    strongly connected components of more than one module (or a module
    importing itself)."""
    cycles = [c for c in _components(graph) if len(c) > 1]
    if cycles:
        return [], cycles
    level = {}

    def depth(m):
        if m not in level:
            level[m] = 1 + max((depth(d) for d in graph[m]), default=-1)
        return level[m]

    for m in graph:
        depth(m)
    out = [[] for _ in range(max(level.values(), default=-1) + 1)]
    for m in sorted(graph):
        out[level[m]].append(m)
    return out, []


def _components(graph):
    """Tarjan's strongly connected components (iterative)."""
    index, low, on_stack, stack, result = {}, {}, set(), [], []
    counter = 0
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    parent = work[-1][0]
                    low[parent] = min(low[parent], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        m = stack.pop()
                        on_stack.discard(m)
                        comp.append(m)
                        if m == node:
                            break
                    result.append(sorted(comp))
    return result


def main(argv: list[str]) -> int:
    package = Path(argv[0]) if argv else ROOT / "lib" / "convlab"
    if not (package / "__init__.py").is_file():
        print(f"import_graph: {package} is not a package (no __init__.py)")
        return 2
    graph = build_graph(package)
    found, cycles = layers(graph)
    if cycles:
        for cycle in cycles:
            edges = [
                f"{m} -> {d}"
                for m in cycle
                for d in sorted(graph[m])
                if d in cycle
            ]
            print(
                f"import circle among {len(cycle)} modules: "
                + ", ".join(cycle)
            )
            print("  edges: " + "; ".join(edges))
        return 1
    n_edges = sum(len(d) for d in graph.values())
    print(
        f"{package.name}: {len(graph)} modules, {n_edges} imports, "
        f"{len(found)} layers, no import circle"
    )
    for i, layer in enumerate(found):
        print(f"layer {i:2d}: " + " ".join(layer))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
