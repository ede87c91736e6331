"""The caller apart (migration 19): the real contact in ``case_contact``, the masked forms on
the case; every way a case is written keeps both, and the readers show what they showed."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from hotline import case_queries, case_view, cases, contacts, corrections, db, migrations
from hotline.case_queries import CaseFilter
from hotline.enums import Role
from hotline.models import Case, CaseContact, SchemaVersion
from hotline.permissions import Actor
from hotline.search import search
from hotline.transfer import exporting
from tests import backends
from tests.conftest import sample_case
from tests.hotline import old_schema

OPERATOR = Actor("坐席甲", Role.OPERATOR, user_id=None)
MANAGER = Actor("科长", Role.MANAGER, user_id=None)
NAME, PHONE = "欧阳娜娜", "13912348765"


@contextlib.contextmanager
def _empty(backend: str, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        yield str(tmp_path / "old.sqlite3")
    else:
        with backends.server().empty() as url:
            yield url


@pytest.mark.parametrize("backend", backends.BACKENDS)
def test_migration_19_moves_the_contacts_apart(backend: str, tmp_path: Path) -> None:
    with _empty(backend, tmp_path) as target:
        handle = db.connect(target)
        try:
            assert migrations.upgrade(handle, target, up_to=14) == 14
            enterprise = old_schema.enterprise("鹤壁市华联商贸有限公司")
            plain = old_schema.case_before_19(
                handle, "YS20260302-0001", enterprise_id=enterprise, subject="普通来电"
            )
            secret = old_schema.case_before_19(
                handle, "YS20260302-0002", enterprise_id=enterprise, subject="保密来电",
                name=NAME, phone=PHONE, confidential=True,
            )  # fmt: skip
            assert migrations.upgrade(handle, target) == migrations.latest_version()
            stored = contacts.stored([plain, secret])
            assert stored[plain] == contacts.Contact("刘强", "13912345678")
            assert stored[secret] == contacts.Contact(NAME, PHONE)
            row = Case.get_by_id(secret)
            assert (row.contact_name_masked, row.contact_phone_masked) == ("欧阳**", "139****8765")
            assert CaseContact.get_by_id(secret).confidential is True
            # Idempotent: applied again it changes nothing.
            nineteen = next(m for m in migrations.MIGRATIONS if m.version == 19)
            nineteen.apply(handle)
            assert CaseContact.select().count() == 2
            assert Case.get_by_id(secret).contact_name_masked == "欧阳**"
            if backend == "sqlite":
                from hotline import schema_check

                with contextlib.closing(sqlite3.connect(target)) as conn:
                    assert schema_check.differences(conn, migrations.latest_version()) == []
                # The older versions' reference is what they made: the contacts on the case.
                assert '"contact_name" VARCHAR(40)' in str(schema_check.reference(14))
            assert SchemaVersion.get_by_id(19).description.startswith("callers' contacts")
        finally:
            db.close()


def _case(database: object, **fields: object) -> Case:
    return cases.register(
        Actor.command_line("t"),
        sample_case(contact={"name": NAME, "phone": PHONE}, **fields),
    )


def test_intake_writes_the_contact_apart_and_masked(database) -> None:
    case = _case(database, confidential=True, subject=f"来电人{NAME}的手机{PHONE}")
    assert contacts.of(case) == contacts.Contact(NAME, PHONE)
    assert (case.contact_name_masked, case.contact_phone_masked) == ("欧阳**", "139****8765")
    assert CaseContact.get_by_id(case.id).confidential is True
    # The readers show what they showed before the split.
    assert case_view.load_case_window(case.id, MANAGER).contact_phone == "139****8765"
    assert case_view.load_case_window(case.id, OPERATOR).contact_phone == PHONE
    (row,) = case_queries.fetch_page(CaseFilter())
    assert (row.contact_name, row.contact_phone) == ("欧阳**", "139****8765")
    assert NAME not in row.subject and PHONE not in row.subject
    (shown,) = case_queries.fetch_page(CaseFilter(), reveal_confidential=True)
    assert (shown.contact_name, shown.contact_phone) == (NAME, PHONE)
    assert search(NAME).case_ids == [] and search(NAME, reveal_confidential=True).case_ids == [
        case.id
    ]


def test_a_correction_of_the_flag_and_the_contact_keeps_both_places(database) -> None:
    case = _case(database)
    assert case_queries.fetch_page(CaseFilter())[0].contact_phone == PHONE  # not confidential
    corrected = corrections.correct(
        OPERATOR,
        case.id,
        {"confidential": True, "contact.phone": "13800001111"},
        "来电人要求保密并更正电话",
        expected_version=case.version,
    )
    assert contacts.of(corrected) == contacts.Contact(NAME, "13800001111")
    assert corrected.contact_phone_masked == "138****1111"
    assert CaseContact.get_by_id(case.id).confidential is True
    assert case_queries.fetch_page(CaseFilter())[0].contact_phone == "138****1111"


def test_an_export_reads_the_contact_apart(database) -> None:
    case = _case(database, confidential=True)
    (masked,) = exporting.iter_cases(mask_confidential=True)
    assert masked["contact"] == {"name": "欧阳**", "phone": "139****8765"}
    (real,) = exporting.iter_cases(case_filter=CaseFilter(case_ids=[case.id]))
    assert real["contact"] == {"name": NAME, "phone": PHONE}


def test_where_the_contact_cannot_be_read_the_masked_forms_stand_in(database) -> None:
    """On a server a role without the right gets no row (row-level security): the readers
    fall back to the case's masked forms, never masking them twice."""
    case = _case(database, confidential=True)
    CaseContact.delete().where(CaseContact.case == case.id).execute()  # as if unreadable
    assert contacts.of(case) == contacts.Contact("欧阳**", "139****8765", real=False)
    view = case_view.load_case_window(case.id, MANAGER)
    assert (view.contact_name, view.contact_phone) == ("欧阳**", "139****8765")
    (row,) = case_queries.fetch_page(CaseFilter())
    assert row.contact_phone == "139****8765"
    (record,) = exporting.iter_cases(mask_confidential=True)
    assert record["contact"] == {"name": "欧阳**", "phone": "139****8765"}
