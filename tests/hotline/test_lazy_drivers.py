"""peewee comes without the PostgreSQL driver; PostgreSQL databases load it themselves."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SQLITE_ONLY = """
import sys
from hotline import db
db.connect(sys.argv[1])
print(sorted(name for name in ("psycopg2", "psycopg") if name in sys.modules))
"""

POSTGRESQL = """
from hotline.pg.connection import Psycopg2Adapter, ReconnectingPostgresqlDatabase
import peewee, psycopg2
assert peewee.psycopg2 is None  # hotline imported peewee with the driver hidden
database = ReconnectingPostgresqlDatabase("x", dsn="postgresql://u@127.0.0.1:1/x", connect_timeout=2)
adapter = database._adapter
assert isinstance(adapter, Psycopg2Adapter)
assert adapter.get_binary_type() is psycopg2.Binary
assert adapter.txn_inerror == psycopg2.extensions.TRANSACTION_STATUS_INERROR
assert adapter.json_type is psycopg2.extras.Json
try:
    database.connect()
except peewee.OperationalError as exc:  # the driver's own error, not "driver not found"
    print("refused:", type(exc.__cause__ or exc.__context__).__module__)
"""


def _run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", script, *args], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_an_sqlite_database_never_loads_the_postgresql_driver(tmp_path: Path) -> None:
    assert _run(SQLITE_ONLY, str(tmp_path / "hotline.sqlite3")) == "[]"


def test_a_postgresql_database_gets_the_driver_all_the_same() -> None:
    assert _run(POSTGRESQL) == "refused: psycopg2"
