"""peewee without the PostgreSQL drivers until a PostgreSQL database is opened.

peewee imports psycopg2 (and psycopg) as it is imported, whichever database is used: about
10 ms of every start-up on SQLite. :func:`import_peewee` (run by ``hotline/__init__.py``,
before any module of the package imports peewee) imports it with those drivers hidden.
PostgreSQL databases get an adapter that imports psycopg2 itself
(:class:`hotline.pg.connection.Psycopg2Adapter`), so they work however peewee was imported.
"""

from __future__ import annotations

import importlib
import sys

HIDDEN = ("psycopg2", "psycopg")


def import_peewee() -> None:
    if "peewee" in sys.modules:
        return
    hidden = [name for name in HIDDEN if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # "import name" fails at once
    try:
        importlib.import_module("peewee")
    finally:
        for name in hidden:
            if name in sys.modules and sys.modules[name] is None:
                del sys.modules[name]
