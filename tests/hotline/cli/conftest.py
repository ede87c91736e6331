"""Running the command line in-process, with its streams captured."""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from hotline import cli, db


@dataclass
class Result:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., Result]


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """A new, empty database (commands other than init/demo/intake/import do not create one)."""
    path = tmp_path / "cli.sqlite3"
    db.open_database(path)
    db.close()
    return path


@pytest.fixture
def run_cli(db_path: Path) -> Runner:
    """``run_cli("search", "x", stdin="…")``: ``--db`` points at a per-test file."""

    def run(*args: str, stdin: str = "", db: Path | None = None) -> Result:
        out, err = io.StringIO(), io.StringIO()
        argv = ["--db", str(db or db_path), *args]
        code = cli.main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err)
        return Result(code, out.getvalue(), err.getvalue())

    return run


def add_account(path: Path, username: str, display_name: str, *, active: bool = True) -> int:
    """An account in the SQLite file at ``path`` (``--user`` must name one there)."""
    from hotline import auth
    from hotline.enums import Role
    from hotline.permissions import Actor

    db.open_database(path)
    try:
        setup = Actor("测试准备", Role.ADMIN, via="setup")
        user = auth.create_user(setup, username, display_name, "operator", "Seat#2026a")
        if not active:
            auth.set_active(setup, user.id, False)
        return user.id
    finally:
        db.close()
