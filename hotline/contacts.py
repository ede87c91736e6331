"""A case's caller: the real name and phone in ``case_contact``, the masked forms on ``case``.

Every writer of a contact goes through :func:`save` (intake, corrections) or
:func:`rows_for` (bulk inserts: imports, demo data): the real values go to ``case_contact``
and the masked ones (:func:`hotline.masking.mask_name`/``mask_phone``) to the case's
``contact_name_masked``/``contact_phone_masked``, which every role reads. Readers ask for the
real contact with :func:`of` or :func:`of_cases`; where it cannot be read (on a shared server,
a role without ``case.view_confidential`` gets no row for a confidential caller: row-level
security, docs/server-security.md section 4) the masked forms stand in for it. What a person
is *shown* is decided by the callers (:func:`hotline.access.may_see_caller` and the like), as
before the split; this module only says where the values are.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from hotline.masking import mask_name, mask_phone
from hotline.models import Case, CaseContact, tuples

BATCH = 500  # ids per IN (...) list

_base_schema = threading.local()


@contextlib.contextmanager
def reading_base_schema() -> Iterator[None]:
    """While a migration older than 19 reads cases (the search index's rebuild), the case row
    still holds the real contact under its base-schema names and ``case_contact`` does not
    exist: readers that know both (:mod:`hotline.search.documents`) read it there."""
    _base_schema.on = True
    try:
        yield
    finally:
        _base_schema.on = False


def base_schema() -> bool:
    return bool(getattr(_base_schema, "on", False))


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str
    # False: the real contact was not readable (masked forms from the case row).
    real: bool = True

    @property
    def masked(self) -> Contact:
        if not self.real:
            return self
        return Contact(mask_name(self.name), mask_phone(self.phone), real=False)


def masked_columns(name: str | None, phone: str | None) -> dict[str, str]:
    """The case's columns holding the masked forms of ``name`` and ``phone``."""
    return {
        "contact_name_masked": mask_name(name or ""),
        "contact_phone_masked": mask_phone(phone or ""),
    }


def save(case_id: int, *, confidential: bool, name: str, phone: str) -> None:
    """Record the caller of ``case_id`` (its masked forms on the case are the caller's to
    write, in the same transaction: see :func:`masked_columns`)."""
    updated = (
        CaseContact.update(confidential=confidential, contact_name=name, contact_phone=phone)
        .where(CaseContact.case == case_id)
        .execute()
    )
    if not updated:
        CaseContact.insert(
            case=case_id, confidential=confidential, contact_name=name, contact_phone=phone
        ).execute()


def set_confidential(case_id: int, confidential: bool) -> None:
    CaseContact.update(confidential=confidential).where(CaseContact.case == case_id).execute()


def rows_for(case_rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """``case_contact`` rows for inserted cases given as dicts with ``id``, ``confidential``,
    ``contact_name``, ``contact_phone`` (bulk writers insert them right after the cases)."""
    return [
        {
            "case_id": row["id"],
            "confidential": bool(row.get("confidential")),
            "contact_name": row.get("contact_name") or "",
            "contact_phone": row.get("contact_phone") or "",
        }
        for row in case_rows
    ]


def insert_many(case_rows: Iterable[dict[str, Any]]) -> None:
    rows = rows_for(case_rows)
    for start in range(0, len(rows), BATCH):
        CaseContact.insert_many(rows[start : start + BATCH]).execute()


def stored(case_ids: Iterable[int]) -> dict[int, Contact]:
    """The real contact of each case whose row this session may read."""
    ids = list(dict.fromkeys(case_ids))
    out: dict[int, Contact] = {}
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        query = CaseContact.select(
            CaseContact.case, CaseContact.contact_name, CaseContact.contact_phone
        ).where(CaseContact.case.in_(chunk))
        for case_id, name, phone in tuples(query):
            out[case_id] = Contact(name or "", phone or "")
    return out


def from_case(case: Case) -> Contact:
    """The masked forms the case row holds."""
    return Contact(case.contact_name_masked or "", case.contact_phone_masked or "", real=False)


def of(case: Case) -> Contact:
    """The case's caller: real where readable, else the masked forms."""
    found = stored([case.id]).get(case.id)
    return found if found is not None else from_case(case)


def of_cases(cases: Iterable[Case]) -> dict[int, Contact]:
    """:func:`of` for many cases in one query (a page's rows, never a table's)."""
    rows = list(cases)
    found = stored(case.id for case in rows)
    return {case.id: found.get(case.id) or from_case(case) for case in rows}


def of_ids(masked: dict[int, tuple[str, str]]) -> dict[int, Contact]:
    """:func:`of` for rows read with their masked columns (id → (name, phone) masked)."""
    found = stored(masked)
    return {
        case_id: found.get(case_id) or Contact(name or "", phone or "", real=False)
        for case_id, (name, phone) in masked.items()
    }
