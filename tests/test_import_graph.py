"""tools/import_graph.py: convlab has no import circle, and the tool sees one.

The tool reads the sources with ``ast``; these tests run it as a command (as
CI and a teacher would) on the real package and on temporary copies with a
circle planted, at the top of a module and inside a function.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "import_graph.py"
PACKAGE = ROOT / "lib" / "convlab"

sys.path.insert(0, str(ROOT / "tools"))
import import_graph  # noqa: E402


def run(package: Path):
    return subprocess.run(
        [sys.executable, str(TOOL), str(package)],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_convlab_has_no_import_circle_and_prints_its_layers():
    result = run(PACKAGE)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no import circle" in result.stdout
    layer_of = {}
    for line in result.stdout.splitlines()[1:]:
        number, modules = line.split(":", 1)
        for m in modules.split():
            layer_of[m] = int(number.split()[1])
    graph = import_graph.build_graph(PACKAGE)
    assert set(layer_of) == set(graph)
    # every module imports only from lower layers
    for module, deps in graph.items():
        assert all(layer_of[d] < layer_of[module] for d in deps), module


def test_the_operators_import_one_way():
    graph = import_graph.build_graph(PACKAGE)
    assert graph["validation"] == set()
    assert graph["ops"] == {"validation"}
    for module in ("pooling", "conv_algorithms", "winograd", "deformable"):
        assert "ops" not in graph[module], module
    # ops re-exports nothing: nothing of Part III is imported by it
    assert not graph["ops"] & {
        "pooling",
        "fast_conv",
        "transposed",
        "deformable",
        "conv_algorithms",
    }
    assert {"ops", "validation"} <= graph["transposed"]
    # a lazy import inside a function is an edge too
    assert "ops" in graph["conv_costs"]


def test_fast_conv_is_a_namespace_nothing_imports():
    graph = import_graph.build_graph(PACKAGE)
    assert graph["fast_conv"] == {
        "conv_algorithms",
        "winograd",
        "conv_costs",
    }
    importers = [m for m, deps in graph.items() if "fast_conv" in deps]
    assert importers == []


def _copy(tmp_path):
    copy = tmp_path / "convlab"
    shutil.copytree(
        PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    return copy


def test_a_planted_circle_fails(tmp_path):
    copy = _copy(tmp_path)
    validation = copy / "validation.py"
    validation.write_text(
        validation.read_text() + "\nfrom .ops import conv2d  # planted\n"
    )
    result = run(copy)
    assert result.returncode == 1
    assert "import circle among 2 modules: ops, validation" in result.stdout
    assert "validation -> ops" in result.stdout


def test_a_lazy_circle_inside_a_function_fails(tmp_path):
    copy = _copy(tmp_path)
    pooling = copy / "arith.py"
    pooling.write_text(
        pooling.read_text()
        + "\n\ndef planted():\n    from convlab.pooling import max_pool2d\n"
        + "    return max_pool2d\n"
    )
    result = run(copy)
    assert result.returncode == 1
    assert "arith" in result.stdout and "pooling" in result.stdout


@pytest.mark.parametrize(
    "source,edge",
    [
        ("from . import ops\n", "ops"),
        ("from .ops import conv2d\n", "ops"),
        ("import convlab.ops\n", "ops"),
        ("from convlab.models import resnet\n", "models.resnet"),
        ("from .models import ResNet18\n", "models"),
    ],
)
def test_every_form_of_import_is_an_edge(tmp_path, source, edge):
    copy = _copy(tmp_path)
    (copy / "planted.py").write_text(source)
    assert edge in import_graph.build_graph(copy)["planted"]
