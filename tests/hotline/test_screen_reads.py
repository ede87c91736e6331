"""What the enterprise window, the intake form and the handover dialog read: plain frozen
records built in the core (issue 13), never a live row."""

from __future__ import annotations

import dataclasses

from hotline import admin, cases, enterprises, handover
from hotline.case_briefs import CaseBrief
from hotline.enums import Role
from hotline.permissions import Actor
from tests.conftest import sample_case

OPERATOR = Actor("坐席甲", Role.OPERATOR, None)
NAME, USCC = "鹤壁市华联商贸有限公司", "91410600MA44XKQ35C"


def _frozen(record: object) -> bool:
    return dataclasses.is_dataclass(record) and type(record).__dataclass_params__.frozen  # type: ignore[attr-defined]


def test_the_enterprise_window_reads_the_enterprise_its_district_and_latest_cases(database):
    first = cases.register(OPERATOR, sample_case(subject="第一件"))
    second = cases.register(OPERATOR, sample_case(subject="第二件"))
    view = enterprises.enterprise_view(first.enterprise_id, case_limit=1)
    assert _frozen(view) and _frozen(view.info)
    assert (view.info.name, view.info.uscc) == (NAME, USCC)
    assert view.district == admin.district_names()["410611"]
    assert [c.id for c in view.cases] == [second.id]  # newest first, at most the limit
    assert all(isinstance(c, CaseBrief) for c in view.cases)


def test_intake_finds_the_enterprise_by_name_when_the_code_has_a_typo(database):
    registered = cases.register(OPERATOR, sample_case())
    found = enterprises.intake_context(f" {NAME} ", USCC[:-1] + "X")
    assert found is not None and _frozen(found)
    assert found.enterprise.id == registered.enterprise_id
    assert [c.id for c in found.cases] == [registered.id]
    assert enterprises.intake_context("没有登记过的公司", "") is None
    assert enterprises.clean_uscc(USCC.lower()) == USCC
    assert enterprises.clean_uscc("91410600") is None


def test_intake_suggestions_and_the_likely_repeat_are_plain_records(database):
    registered = cases.register(OPERATOR, sample_case())
    assert [e.name for e in enterprises.suggestions("鹤壁市华联")] == [NAME]
    assert all(isinstance(e, enterprises.EnterpriseInfo) for e in enterprises.suggestions(USCC))
    repeat = cases.repeat_brief_for_draft(NAME, "", "approval")
    assert isinstance(repeat, CaseBrief) and repeat.id == registered.id
    assert cases.repeat_brief_for_draft(NAME, USCC, "") is None  # no category yet
    assert cases.repeat_brief_for_draft(" ", " ", "approval") is None
    assert cases.repeat_brief_for_draft(NAME, USCC, "tax_fees") is None


def test_the_district_choices_are_the_active_districts(database):
    code, name = next((d.code, d.name) for d in admin.district_records() if d.active)
    assert (name, code) in admin.district_choices()
    assert all(
        d.code in {c for _n, c in admin.district_choices()}
        for d in admin.district_records()
        if d.active
    )
    assert len(admin.district_choices()) == sum(d.active for d in admin.district_records())


def test_the_handover_view_names_the_author_and_lists_the_cases(database):
    cases.register(OPERATOR, sample_case(urgency="urgent"))
    handover.write_note(OPERATOR, "晚班：无特别事项")
    view = handover.handover_view()
    assert _frozen(view)
    assert view.note_author == "坐席甲" and view.note_text == "晚班：无特别事项"
    assert view.urgent_total == 1 and all(isinstance(c, CaseBrief) for c in view.urgent)
