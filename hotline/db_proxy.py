"""The models' database handle: the database opened, or on one thread for a while another one.

:class:`RoutingProxy` is peewee's ``DatabaseProxy`` whose target a thread may replace for the
length of a block (``routed``): :mod:`hotline.read_replica` sends a report's or a search's
queries to a read replica that way, while every other thread, and the same thread after the
block, keeps using the database :mod:`hotline.db` opened.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from peewee import Database, DatabaseProxy

# The slot DatabaseProxy keeps its database in: the opened (primary) database here.
_PRIMARY: Any = DatabaseProxy.__dict__["obj"]


class RoutingProxy(DatabaseProxy):
    __slots__ = ("_routes",)

    def __init__(self) -> None:
        object.__setattr__(self, "_routes", threading.local())
        super().__init__()

    @property
    def obj(self) -> Any:
        routed = getattr(self._routes, "database", None)
        return routed if routed is not None else _PRIMARY.__get__(self, type(self))

    def __setattr__(self, attr: str, value: Any) -> None:
        if attr == "obj":  # initialize(): the database opened
            _PRIMARY.__set__(self, value)
        else:
            object.__setattr__(self, attr, value)

    @property
    def primary(self) -> Database | None:
        """The database opened, whatever this thread is routed to."""
        found: Database | None = _PRIMARY.__get__(self, type(self))
        return found

    def routed_to(self) -> Database | None:
        """The database this thread's queries are routed to instead of the primary, if any."""
        found: Database | None = getattr(self._routes, "database", None)
        return found

    @contextlib.contextmanager
    def routed(self, database: Database) -> Iterator[None]:
        """This thread's queries go to ``database`` for the block."""
        before = getattr(self._routes, "database", None)
        self._routes.database = database
        try:
            yield
        finally:
            self._routes.database = before
