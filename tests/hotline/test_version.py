"""The program's version is written once and shown by --version, the About box and the PDFs."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from hotline import __version__, i18n, version
from hotline.cli import runner
from hotline.migrations import latest_version

ROOT = Path(__file__).resolve().parents[2]


def test_the_version_is_written_in_one_place() -> None:
    """pyproject.toml reads it from hotline/__init__.py; no other module assigns a version."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "hotline.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", __version__)
    assigned = []
    for path in [*ROOT.glob("hotline/**/*.py"), *ROOT.glob("ui/**/*.py"), ROOT / "main.py"]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
                value = node.value.value
                if isinstance(value, str) and value == __version__:
                    assigned.append(path.relative_to(ROOT).as_posix())
    assert assigned == ["hotline/__init__.py"]


def test_the_version_line_names_program_and_schema_version() -> None:
    line = version.version_line()
    assert __version__ in line and str(latest_version()) in line
    assert version.schema_version() == latest_version()
    i18n.set_locale("en")
    try:
        english = version.version_line()
    finally:
        i18n.set_locale("zh_CN")
    assert english == (
        f"Business Environment Hotline Desk {__version__} (database schema {latest_version()})"
    )


def test_version_option_prints_program_and_schema_version(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exit_:
        runner.parse_args(["--version"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert out.strip() == version.version_line()
    assert f"{__version__}（数据库架构 {latest_version()}）" in out


def test_the_command_is_called_hotline_in_the_package(monkeypatch: pytest.MonkeyPatch) -> None:
    assert runner.build_parser().prog == "main.py"
    monkeypatch.setattr("sys.frozen", True, raising=False)
    assert runner.build_parser().prog == "hotline"
    assert runner.build_parser().format_usage().startswith("usage: hotline")
