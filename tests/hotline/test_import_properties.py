"""Generated import files: every row is imported or reported, never half-written."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hotline import audit, importing
from hotline.exporting import CSV_COLUMNS
from hotline.models import Case, CaseEvent
from hotline.permissions import Actor

ACTOR = Actor.command_line("property")
GOOD = {
    "channel": "hotline",
    "kind": "complaint",
    "category": "approval",
    "urgency": "normal",
    "district": "410611",
    "enterprise.name": "鹤壁市华联商贸有限公司",
    "enterprise.uscc": "91410600MA44XKQ35C",
    "contact.name": "张伟",
    "contact.phone": "13812345678",
    "subject": "施工许可审批拖延",
    "description": "申请已提交45个工作日仍未办理",
    "request": "尽快办理",
}
JUNK = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "",
            "咨询",
            "闲聊",
            "2026-13-40",
            "91410600MA44XKQ35D",
            "12345",
            "true",
            "[]",
            '[{"action": "dispatch"}]',
            "not json",
            "closed",
            "YS20260101-0001",
        ]
    ),
)
_counter = itertools.count()


@st.composite
def rows(draw: st.DrawFn) -> list[dict[str, str]]:
    out = []
    for _ in range(draw(st.integers(1, 4))):
        row = {column: GOOD.get(column, "") for column in CSV_COLUMNS}
        for column in draw(st.sets(st.sampled_from(CSV_COLUMNS), max_size=3)):
            row[column] = draw(JUNK)
        out.append(row)
    return out


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=rows())
def test_each_row_is_imported_or_reported(database, tmp_path: Path, data) -> None:
    path = tmp_path / f"import-{next(_counter)}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        writer.writerows(data)
    cases_before, events_before = Case.select().count(), CaseEvent.select().count()
    report = importing.import_file(ACTOR, path)
    assert report.imported + report.rejected + report.skipped == report.read == len(data)
    assert Case.select().count() == cases_before + report.imported
    if report.imported == 0:
        assert CaseEvent.select().count() == events_before
    if report.rejected:
        assert report.rejects_file is not None and report.rejects_file.exists()
    assert audit.verify().ok
