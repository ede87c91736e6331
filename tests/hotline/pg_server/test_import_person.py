"""A shift lead imports cases on a server with a login role per person, signed in as their
own role: row-level security refuses ``COPY FROM`` and the id sequences may not be set by
hand, so the import inserts row by row and moves the sequences forward through
``hotline_sequence_past_ids``, which moves nothing back."""

from __future__ import annotations

import json
from pathlib import Path

import psycopg2

from hotline import access, cases, db
from hotline.enums import Role
from hotline.models import Case
from hotline.transfer import importing
from tests.conftest import sample_case
from tests.hotline.pg_server.conftest import PEOPLE, Centre, sign_in_person
from tests.hotline.pg_server.refusals import one, refused


def _file(path: Path, count: int) -> Path:
    records = [
        {
            "case_no": f"YS20260302-{n:04d}",
            **sample_case(received_at="2026-03-02T09:30:00", subject=f"导入的第{n}件诉求"),
            "confidential": n == 1,
            "status": "registered",
            "timeline": [],
        }
        for n in range(1, count + 1)
    ]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    return path


def test_a_shift_lead_imports_cases_as_their_own_role(settled: Centre, tmp_path: Path) -> None:
    lead = sign_in_person(settled, PEOPLE[Role.SHIFT_LEAD][0])
    try:
        report = importing.import_file(lead, _file(tmp_path / "cases.json", 3))
        assert (report.imported, report.rejected) == (3, 0)
        # The sequence moved past the imported ids: the next case registered gets a new one.
        later = cases.register(lead, sample_case(subject="导入之后登记的诉求"))
        assert Case.select().count() == 4 and later.id == 4
    finally:
        access.end_session()
        db.close()


def test_the_sequence_function_moves_forward_only_and_for_writers(settled: Centre) -> None:
    owner = psycopg2.connect(settled.owner_url())
    lead = settled.as_role(Role.SHIFT_LEAD)
    try:
        refused(lead, "SELECT setval('case_id_seq', 1000)")  # no hand on the sequence itself
        one(owner, "SELECT setval('case_id_seq', 50)")
        one(lead, "SELECT hotline_sequence_past_ids('case')")  # no case has an id above 50
        assert one(owner, "SELECT last_value FROM case_id_seq") == 50  # not moved back
        manager = settled.as_role(Role.MANAGER)
        refused(manager, "SELECT hotline_sequence_past_ids('case')")  # may not insert cases
        refused(manager, "SELECT hotline_sequence_past_ids('no_such_table')")
        manager.close()
    finally:
        owner.close()
        lead.close()
