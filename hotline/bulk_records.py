"""What a list hands to an action on several cases, and what it gets back: plain records, so
that the list can hold them without loading the services (:mod:`hotline.bulk_actions`)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChosenCase:
    """A case as the list showed it: the version the user saw guards against changes since."""

    id: int
    case_no: str
    version: int | None = None


@dataclass(frozen=True)
class BulkResult:
    case_no: str
    ok: bool
    text: str  # what was done (the deadline set), or why not
