"""Co-handling (会办) on paper and in files: the case summary prints the parts; an export
names the assisting departments; an import rebuilds the parts from the timeline."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from hotline import cases, clock, cohandling, db, workflow
from hotline.enums import Role
from hotline.models import Case
from hotline.permissions import Actor
from hotline.reports.case_data import load_case_summary
from hotline.reports.case_pdf import render_case_summary
from hotline.transfer import exporting, importing
from tests.conftest import sample_case
from tests.hotline.desk import add_people, department_person
from tests.hotline.reports.conftest import pdf_pages, squeeze

LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
LEAD_DEPT = department_person("市监科员", 1, 901)
TRANSPORT = department_person("交通科员", 3, 903)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def database(database):
    """The department people of this module exist (on a server each acts as its own login)."""
    add_people(LEAD_DEPT, TRANSPORT)
    return database


def _co_handled() -> int:
    case = cases.register(LEAD, sample_case(received_at=clock.now().isoformat()))
    workflow.dispatch(LEAD, case.id, 1, assisting=[3, 9], assist_workdays=2)
    return case.id


def test_the_case_summary_prints_the_parts(database, ttf_fonts) -> None:
    with clock.frozen(MONDAY):
        case_id = _co_handled()
    with clock.frozen(MONDAY + dt.timedelta(hours=3)):
        workflow.answer_assist(TRANSPORT, case_id, "道路占用许可三日内可办结")
        summary = load_case_summary(cases.get(case_id).case_no)
    assert [p.department for p in summary.cohandling] == ["市交通运输局", "市人力资源和社会保障局"]
    out = io.BytesIO()
    render_case_summary(summary, out, fonts=ttf_fonts)
    text = squeeze("".join(pdf_pages(out.getvalue())))
    assert "会办意见：道路占用许可三日内可办结" in text
    assert "市交通运输局限2026-11-25前向主办单位答复" in text
    assert "（按时）" in text and "待答复" in text
    assert "会办单位市交通运输局、市人力资源和社会保障局" in text  # the timeline's dispatch


def test_export_names_the_parts_and_import_rebuilds_them(tmp_path: Path, cli_actor) -> None:
    db.open_database(tmp_path / "source.sqlite3")
    add_people(LEAD_DEPT, TRANSPORT)
    with clock.frozen(MONDAY):
        case_id = _co_handled()
        workflow.answer_assist(TRANSPORT, case_id, "同意")
        workflow.accept(LEAD_DEPT, case_id)
        workflow.reply(LEAD_DEPT, case_id, "综合答复", resolution="resolved", contact_made=True)
        returned = _co_handled()
        workflow.return_case(LEAD_DEPT, returned, "非本单位职责")
        workflow.dispatch(LEAD, returned, 1, assisting=[9])

    def parts() -> list[tuple[object, ...]]:
        return [
            (cases.get(p.case_id).case_no, p.department, p.deadline, p.state, p.answer)
            for cid in sorted(c.id for c in Case.select())
            for p in cohandling.case_parts(cid, with_cancelled=True)
        ]

    before = parts()
    record = next(exporting.iter_cases())
    cell = exporting.cohandling_cell(record["timeline"])
    assert "市交通运输局（2026-11-25 前；2026-11-23 已答复）" in cell
    assert "市人力资源和社会保障局（2026-11-25 前；未答复）" in cell
    out = io.StringIO()
    exporting.export(cli_actor, out, "json")
    db.close()
    source = tmp_path / "cases.json"
    source.write_text(out.getvalue(), encoding="utf-8")
    db.open_database(tmp_path / "target.sqlite3")
    with clock.frozen(MONDAY + dt.timedelta(days=1)):
        assert importing.import_file(cli_actor, source).imported == 2
    assert parts() == before
    assert {p[3] for p in before} == {"answered", "unanswered", "cancelled", "open"}
    db.close()
