"""The weekly report's department figures: accepted on time, returned, extensions requested
and granted, supervision notices and their answers, working days to answer, co-handling."""

from __future__ import annotations

import datetime as dt
import io

from hotline import cases, clock, workflow
from hotline.enums import Role
from hotline.permissions import Actor
from hotline.reports import definitions
from hotline.reports import department_work as work
from hotline.reports.gather import gather_weekly
from hotline.reports.weekly_pdf import render_weekly_report
from hotline.reports.weeks import IsoWeek
from tests.conftest import sample_case
from tests.hotline.desk import add_people, department_person
from tests.hotline.reports.conftest import pdf_pages, squeeze
from tests.pg_person import SERVER_CLOCK

LEAD = Actor("值班长乙", Role.SHIFT_LEAD, None)
SJ = department_person("市监科员", 1, 901)
SW = department_person("税务科员", 2, 902)
JT = department_person("交通科员", 3, 903)
MONDAY = dt.datetime(2026, 11, 23, 9, 30)


def _case(**overrides: object) -> int:
    return cases.register(LEAD, sample_case(received_at=clock.now().isoformat(), **overrides)).id


def _week_of_work() -> dict[str, int]:
    add_people(SJ, SW, JT)  # on a server each acts as its own login
    ids: dict[str, int] = {}
    with clock.frozen(MONDAY):
        ids["plain"] = _case()
        workflow.dispatch(LEAD, ids["plain"], 1)
        workflow.accept(SJ, ids["plain"])
        ids["returned"] = _case()
        workflow.dispatch(LEAD, ids["returned"], 1)
        workflow.return_case(SJ, ids["returned"], "非本单位职责")
        workflow.dispatch(LEAD, ids["returned"], 2)  # now the tax office's
        ids["co"] = _case(urgency="紧急")
        workflow.dispatch(LEAD, ids["co"], 1, assisting=[3], assist_workdays=1)
        workflow.accept(SJ, ids["co"])
        workflow.request_extension(SJ, ids["co"], dt.date(2026, 12, 4), "需现场检测")
        workflow.decide_extension(LEAD, ids["co"], True, "同意")
        workflow.supervise(LEAD, ids["co"], "请加快", 1, "supervision")
        workflow.answer_assist(JT, ids["co"], "同意")  # due today: urgent
    with clock.frozen(MONDAY + dt.timedelta(days=1)):  # Tuesday
        workflow.reply(SJ, ids["co"], "已解决", resolution="resolved", contact_made=True)
    with clock.frozen(MONDAY + dt.timedelta(days=4)):  # Friday: late acceptance
        workflow.accept(SW, ids["returned"])
        workflow.reply(SW, ids["returned"], "已处理", resolution="resolved", contact_made=True)
    return ids


@SERVER_CLOCK
def test_each_department_is_counted_for_its_own_steps(database) -> None:
    ids = _week_of_work()
    with clock.frozen(dt.datetime(2026, 12, 1, 9)):
        report = gather_weekly(IsoWeek(2026, 48))
    rows = {row.name: row for row in report.department_work}
    sj, sw, jt = rows["市市场监督管理局"], rows["国家税务总局鹤壁市税务局"], rows["市交通运输局"]
    assert sj.counts[work.DISPATCHED] == 3
    assert (sj.counts[work.ACCEPTED], sj.counts[work.ACCEPTED_ON_TIME]) == (2, 2)
    assert sj.counts[work.RETURNED] == 1 and sj.cases[work.RETURNED] == {ids["returned"]}
    assert (sj.counts[work.EXTENSION_REQUESTED], sj.counts[work.EXTENSION_GRANTED]) == (1, 1)
    assert (sj.counts[work.SUPERVISION_ISSUED], sj.counts[work.SUPERVISION_ON_TIME]) == (1, 1)
    assert sj.counts[work.REPLIED] == 1 and sj.average_workdays == 1.0
    # The returned case went on to the tax office: its steps are the tax office's.
    assert sw.counts[work.DISPATCHED] == 1 and sw.counts[work.RETURNED] == 0
    assert (sw.counts[work.ACCEPTED], sw.counts[work.ACCEPTED_ON_TIME]) == (1, 0)  # Friday
    assert sw.average_workdays == 4.0
    assert (jt.counts[work.PARTS_ASSIGNED], jt.counts[work.PARTS_ON_TIME]) == (1, 1)
    assert jt.counts[work.DISPATCHED] == 0
    summed = work.total(report.department_work)
    assert summed.counts[work.DISPATCHED] == 4 and summed.average_workdays == 2.5


@SERVER_CLOCK
def test_the_weekly_pdf_prints_the_table_and_its_definition(database, ttf_fonts) -> None:
    _week_of_work()
    with clock.frozen(dt.datetime(2026, 12, 1, 9)):
        report = gather_weekly(IsoWeek(2026, 48))
        out = io.BytesIO()
        render_weekly_report(report, out, fonts=ttf_fonts)
    text = squeeze("".join(pdf_pages(out.getvalue())))
    assert "承办单位办理情况" in text and "平均答复工作日" in text
    assert "市市场监督管理局32/21" in text  # dispatched 3, accepted 2 of which on time 2
    names = [name for name, _text in definitions.kpi_definitions()]
    assert "承办单位办理情况" in names
    assert "平均答复工作日为从派单日到答复日" in text
