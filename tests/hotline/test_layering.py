"""The core never loads Qt: importing every module of hotline leaves PySide6 out."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import importlib, pkgutil, sys
import hotline
for info in pkgutil.walk_packages(hotline.__path__, "hotline."):
    importlib.import_module(info.name)
loaded = sorted(m for m in sys.modules if m.startswith(("PySide6", "shiboken6", "ui")))
print(",".join(loaded))
"""


def test_importing_hotline_loads_no_qt() -> None:
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""


# -- issue 13: ui/ reads plain data from the core, never the database layer ----------------------

FORBIDDEN_IN_UI = ("peewee", "hotline.models")


def _imported_modules(tree: ast.AST) -> set[str]:
    """Every module an import statement anywhere in the tree names (inside functions too):
    ``from hotline import models`` counts as ``hotline.models``."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _forbidden(names: set[str]) -> set[str]:
    return {
        name
        for name in names
        for banned in FORBIDDEN_IN_UI
        if name == banned or name.startswith(banned + ".")
    }


def ui_imports_of_the_database_layer() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in sorted((ROOT / "ui").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        bad = _forbidden(_imported_modules(tree))
        if bad:
            found[path.relative_to(ROOT).as_posix()] = bad
    return found


def test_the_check_sees_every_spelling_of_the_import() -> None:
    source = """
import peewee
from hotline import models
def later():
    from hotline.models import Case
    import hotline.models as m
from hotline import cases
"""
    assert _forbidden(_imported_modules(ast.parse(source))) == {
        "peewee",
        "hotline.models",
        "hotline.models.Case",
    }


def test_no_ui_module_imports_peewee_or_the_models() -> None:
    """Screens get plain records from core functions, never a database row or a query."""
    assert ui_imports_of_the_database_layer() == {}
