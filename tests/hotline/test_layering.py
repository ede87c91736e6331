"""The core never loads Qt: importing every module of hotline leaves PySide6 out."""

from __future__ import annotations

import ast
import subprocess
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import grimp

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


# -- issue 13: no import cycles among the modules of hotline and ui ------------------------------


def import_cycles(graph: grimp.ImportGraph, modules: Iterable[str]) -> list[list[str]]:
    """The strongly connected groups of more than one module (or a module importing itself):
    each is a cycle of imports, whether they run at the top of a module or inside a function."""
    names = sorted(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []
    work: list[tuple[str, Iterator[str]]] = []  # the path of the search, each with what is left

    def enter(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        imported = sorted(graph.find_modules_directly_imported_by(module) & set(names))
        work.append((module, iter(imported)))

    # Tarjan's algorithm, iterative (a recursive one would reach Python's limit on a long chain).
    for root in names:
        if root in index:
            continue
        enter(root)
        while work:
            module, todo = work[-1]
            step = next(todo, None)
            if step is not None:
                if step not in index:
                    enter(step)
                elif step in on_stack:
                    low[module] = min(low[module], index[step])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[module])
            if low[module] == index[module]:
                group = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    group.append(member)
                    if member == module:
                        break
                if len(group) > 1 or module in graph.find_modules_directly_imported_by(module):
                    cycles.append(sorted(group))
    return sorted(cycles)


def _graph() -> grimp.ImportGraph:
    sys.path.insert(0, str(ROOT))
    try:
        # Imports made only for annotations (under TYPE_CHECKING) never run: a helper object
        # may name the window that owns it.
        return grimp.build_graph(
            "hotline", "ui", include_external_packages=False, exclude_type_checking_imports=True
        )
    finally:
        sys.path.remove(str(ROOT))


def test_the_cycle_check_finds_a_cycle_through_a_function_level_import() -> None:
    graph = grimp.ImportGraph()
    for name in ("a", "a.b", "a.c", "a.d"):
        graph.add_module(name)
    graph.add_import(importer="a.b", imported="a.c", line_number=1, line_contents="import a.c")
    graph.add_import(importer="a.c", imported="a.d", line_number=1, line_contents="import a.d")
    graph.add_import(importer="a.d", imported="a.b", line_number=9, line_contents="import a.b")
    assert import_cycles(graph, ["a.b", "a.c", "a.d"]) == [["a.b", "a.c", "a.d"]]
    graph.remove_import(importer="a.d", imported="a.b")
    assert import_cycles(graph, ["a.b", "a.c", "a.d"]) == []


def test_no_import_cycles_in_hotline_or_ui() -> None:
    """Every module of the core and of the user interface can be read bottom-up: none imports,
    directly or through others, a module that imports it back (not even inside a function)."""
    graph = _graph()
    modules = {m for m in graph.modules if m.split(".")[0] in {"hotline", "ui"}}
    assert import_cycles(graph, modules) == []
