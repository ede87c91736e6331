"""Supervision notices in the reports: the weekly figures (issued, answered on time) with
their definitions, and the notices printed on the case summary."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from hotline import cases, clock, workflow
from hotline.enums import Role
from hotline.permissions import Actor
from hotline.reports import definitions
from hotline.reports.case_data import load_case_summary
from hotline.reports.case_pdf import render_case_summary
from hotline.reports.gather import gather_weekly
from hotline.reports.kpi_table import kpi_lines
from hotline.reports.weeks import IsoWeek
from tests.conftest import sample_case
from tests.hotline.desk import add_people, department_person
from tests.hotline.reports.conftest import pdf_pages, squeeze

LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
DEPT = department_person("市监科员", 1, 901)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def database(database):
    """The department people of this module exist (on a server each acts as its own login)."""
    add_people(DEPT)
    return database


def _supervised(text: str) -> int:
    case = cases.register(LEAD, sample_case(urgency="紧急", received_at=clock.now().isoformat()))
    workflow.dispatch(LEAD, case.id, 1)
    workflow.accept(DEPT, case.id)
    workflow.supervise(LEAD, case.id, text, 1, "supervision")  # answer by Tuesday
    return case.id


def test_weekly_figures_count_notices_and_answers_on_time(database) -> None:
    with clock.frozen(MONDAY):
        on_time = _supervised("请今日答复")
        late = _supervised("请尽快答复")
        _supervised("尚未答复的督办")
        workflow.answer_supervision(DEPT, on_time, "已处理")
    with clock.frozen(MONDAY + dt.timedelta(days=3)):  # Thursday: after the answer-by day
        workflow.reply(DEPT, late, "已解决", resolution="resolved", contact_made=True)
        report = gather_weekly(IsoWeek(2026, 48))
    assert (report.current.supervision_issued, report.current.supervision_on_time) == (3, 1)
    assert report.previous.supervision_issued == 0
    lines = {line.name: line for line in kpi_lines(report.current, report.previous)}
    assert lines["督办发出量"].current == "3"
    assert lines["其中：按时答复"].current.startswith("33.3%")
    names = [name for name, _text in definitions.kpi_definitions()]
    assert "督办发出量" in names and "其中：按时答复" in names


def test_the_case_summary_prints_its_notices(database, ttf_fonts) -> None:
    with clock.frozen(MONDAY):
        case_id = _supervised("企业多次来电，请加快办理")
    with clock.frozen(MONDAY + dt.timedelta(hours=2)):
        workflow.answer_supervision(DEPT, case_id, "已约企业现场核实")
        summary = load_case_summary(cases.get(case_id).case_no)
    assert [n.text for n in summary.supervision] == ["企业多次来电，请加快办理"]
    out = io.BytesIO()
    render_case_summary(summary, out, fonts=ttf_fonts)
    text = squeeze("".join(pdf_pages(out.getvalue())))
    assert "督办内容：企业多次来电，请加快办理" in text
    assert "答复：已约企业现场核实" in text
    assert "（按时）" in text and "限2026" in text
