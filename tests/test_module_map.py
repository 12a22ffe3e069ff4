"""The module map in ``convlab/__init__.py`` names every module and package of the library, and
nothing that does not exist: a newcomer reads it to find where a function lives."""

import re
from pathlib import Path

import convlab

PACKAGE = Path(convlab.__file__).parent


def _mapped():
    """The first word of each line of the docstring's map (lines that start a module's entry)."""
    return {
        m.group(1)
        for m in re.finditer(r"^([a-z_0-9]+) {2,}\S", convlab.__doc__, re.M)
    }


def _modules():
    names = {p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"}
    names |= {p.parent.name for p in PACKAGE.glob("*/__init__.py")}
    return names


def test_every_module_is_in_the_map():
    missing = sorted(_modules() - _mapped())
    assert not missing, (
        f"add a line for {missing} to the map in convlab/__init__.py"
    )


def test_the_map_names_only_modules_that_exist():
    stale = sorted(_mapped() - _modules())
    assert not stale, (
        f"the map in convlab/__init__.py names {stale}, which do not exist"
    )
