"""Every timeline row says what its step decided (issue 14, item 2): the core's wording, read
through the case window's read model, on both backends; old events without the facts
recorded today; renamed departments; English."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import admin, i18n, timeline_words
from hotline.case_view import TimelineRow, load_case_window
from hotline.models import CaseEvent, Department
from hotline.timeline_words import Step, word_timeline
from hotline.transitions import TRANSITIONS
from tests.hotline.timeline_story import (
    NOT_WRITTEN_HERE,
    OPERATOR,
    at,
    every_kind,
    long_case,
    short_cases,
)


def _rows(case_id: int) -> list[TimelineRow]:
    return load_case_window(case_id, OPERATOR).events


def _one(rows: list[TimelineRow], action: str, nth: int = 0) -> TimelineRow:
    return [row for row in rows if row.action == action][nth]


def test_every_kind_of_event_has_its_wording() -> None:
    assert every_kind() <= set(timeline_words.WORDINGS)
    assert set(TRANSITIONS) <= set(timeline_words.WORDINGS)


def test_each_step_names_what_it_decided(database) -> None:
    story = long_case()
    rows = _rows(story.case.id)
    short_cases_by_kind = short_cases()
    written = {row.action for row in rows} | {
        row.action for c in short_cases_by_kind.values() for row in _rows(c.id)
    }
    assert every_kind() - NOT_WRITTEN_HERE <= written  # the test covers every kind

    urged = _rows(short_cases_by_kind["urged"].id)
    assert "签收" in _one(urged, "accept").facts
    supervised = _one(urged, "supervise")
    assert supervised.label == "督办" and "限 2026-11-25 前答复" in supervised.facts
    assert supervised.detail == "督办内容：请今日答复企业"
    assert "答复督办 1 件" in _one(urged, "answer_supervision").facts
    assert "开放保密来电人信息" in _one(urged, "grant_caller").facts

    shared = _rows(short_cases_by_kind["shared"].id)
    second, third = (d.name for d in Department.select().order_by(Department.id)[1:3])
    dispatched = _one(shared, "dispatch").facts
    assert f"会办单位 {second}、{third}（2026-11-25 前向主办单位答复）" in dispatched
    part = _one(shared, "answer_assist")
    assert part.label == "会办意见" and part.detail == "会办意见：本单位同意企业申请"
    assert f"{second} 向主办单位答复会办意见" in part.facts and "按期答复" in part.facts
    replied = _one(shared, "reply").facts
    assert "收到会办意见 1 份" in replied and f"未答复的会办单位：{third}" in replied

    corrected = _one(rows, "correct")
    assert "→ 更正后的标题" in corrected.facts and corrected.detail == "更正原因：来电人补充"

    register = _one(rows, "register").content
    assert "热线电话 · 投诉 · 行政审批 · 一般" in register and "淇滨区" in register
    first = _one(rows, "dispatch")
    assert f"派单至 {story.first}" in first.content and "办理期限" in first.content
    assert first.detail == "派单说明：请核实"
    returned = _one(rows, "return")
    assert f"由 {story.first} 退回" in returned.content
    assert "退回理由：不属于本单位职责" in returned.content
    second = _one(rows, "dispatch", 1)
    assert f"退回后改派至 {story.second}" in second.content
    assert f"办理期限 {story.deadline.isoformat()}" in second.content
    asked = _one(rows, "request_extension")
    assert (
        f"申请将办理期限由 {story.deadline.isoformat()} 延至 {story.extended_to.isoformat()}"
        in asked.content
    )
    assert "申请理由：需要现场核查" in asked.content
    approved = _one(rows, "decide_extension")
    assert approved.label == "批准延期" and approved.actor_name == "值班长乙"
    assert (
        f"办理期限由 {story.deadline.isoformat()} 延至 {story.extended_to.isoformat()}"
        in approved.content
    )
    assert "申请人 坐席甲" in approved.content and "审批意见：同意" in approved.content
    note = _one(rows, "note")
    assert note.internal and note.content == "已电话催办"
    exemption = _one(rows, "exemption").content
    assert (
        "可以不予行政处罚" in exemption
        and "清单 2026.1 版 SC-001 未将营业执照置于住所" in exemption
    )
    reply = _one(rows, "reply")
    assert f"答复单位 {story.second}" in reply.content
    assert f"办理期限 {story.extended_to.isoformat()}，按期答复" in reply.content
    assert "答复内容：已办理完毕" in reply.content
    callback = _one(rows, "callback")
    assert "满意度：基本满意" in callback.content and "回访意见：还算及时" in callback.content
    reopen = _one(rows, "reopen")
    assert "进入第 2 轮办理" in reopen.content
    assert f"上一轮承办单位 {story.second}" in reopen.content
    assert "上一轮满意度：基本满意" in reopen.content
    third = _one(rows, "dispatch", 2)
    assert f"第 2 轮派单至 {story.third}" in third.content
    refused = _one(rows, "decide_extension", 1)
    assert refused.label == "驳回延期"
    assert f"不同意延至 {story.refused_until.isoformat()}" in refused.content
    assert f"办理期限仍为 {story.round_two_deadline.isoformat()}" in refused.content
    late = _one(rows, "reply", 1)
    assert f"答复单位 {story.third}" in late.content
    assert f"办理期限 {story.round_two_deadline.isoformat()}，超期答复" in late.content
    closed = _one(rows, "close")
    assert "未经回访办结" in closed.content and "办结说明：企业电话无人接听" in closed.content


def test_the_short_kinds_name_their_facts(database) -> None:
    made = short_cases()
    repeat = _one(_rows(made["repeat"].id), "repeat")
    assert repeat.internal and f"与案件 {made['original'].case_no} 重复" in repeat.content
    on_spot = _one(_rows(made["asked"].id), "answer_on_spot")
    assert on_spot.content == "答复内容：已告知办理流程"
    withdrawn = _one(_rows(made["original"].id), "withdraw")
    assert "撤销前状态：已派单" in withdrawn.content
    assert "撤销理由：企业撤回诉求" in withdrawn.content


def test_a_renamed_department_keeps_the_name_it_had_then(database, cli_actor) -> None:
    story = long_case()
    department = Department.get(Department.name == story.first)
    admin.save_department(
        cli_actor, department_id=department.id, code=department.code, name="市新名称局"
    )
    rows = _rows(story.case.id)
    assert f"派单至 {story.first}（现名 市新名称局）" in _one(rows, "dispatch").content
    assert f"由 {story.first}（现名 市新名称局） 退回" in _one(rows, "return").content


def test_old_events_take_the_facts_from_the_steps_before_them(database) -> None:
    """Events written before this change recorded less (a reply no department, an extension
    no earlier deadline, a close nothing): the earlier steps of the same case supply it."""
    story = long_case()
    trimmed = {
        "reply": {},
        "close": {},
        "return": {"department": story.first},
        "request_extension": {"until": story.extended_to.isoformat()},
        "dispatch": None,  # as before, minus the id, ceiling and round
    }
    for event in CaseEvent.select().where(CaseEvent.case == story.case.id):
        if event.action in trimmed:
            data = timeline_words.step_of(event).data
            kept = trimmed[event.action]
            if kept is None:
                kept = {k: data[k] for k in ("department", "deadline", "warnings")}
            event.data = json.dumps(kept, ensure_ascii=False)
            event.save()
    rows = _rows(story.case.id)
    assert f"答复单位 {story.second}" in _one(rows, "reply").content
    assert f"办理期限 {story.extended_to.isoformat()}，按期答复" in _one(rows, "reply").content
    assert f"由 {story.deadline.isoformat()} 延至" in _one(rows, "request_extension").content
    assert f"第 2 轮派单至 {story.third}" in _one(rows, "dispatch", 2).content
    assert "未经回访办结" in _one(rows, "close").content


def _steps(*events: tuple[str, dict], actor: str = "坐席甲") -> list[Step]:
    return [
        Step(at=at(day), actor=actor, action=action, data=data)
        for day, (action, data) in enumerate(events)
    ]


def test_a_close_after_a_callback_names_the_rating_when_old_events_did_not_record_it() -> None:
    worded = word_timeline(
        _steps(
            ("dispatch", {"department": "市场监管局", "deadline": "2026-12-07"}),
            ("reply", {}),
            ("callback", {"satisfaction": "satisfied"}),
            ("close", {}),
        )
    )
    assert worded[1].facts == "答复单位 市场监管局；办理期限 2026-12-07，按期答复"
    assert worded[3].facts == "回访后办结，满意度：满意"


def test_facts_missing_everywhere_are_left_out_not_guessed() -> None:
    worded = word_timeline(_steps(("register", {}), ("reply", {}), ("import", {})))
    assert [w.facts for w in worded] == ["", "", ""]
    assert worded[2].label == "导入"
    unknown = word_timeline([Step(at=at(0), actor="x", action="legacy", text="旧系统记录")])
    assert (unknown[0].label, unknown[0].content) == ("legacy", "旧系统记录")


def test_an_id_only_department_reads_its_current_name() -> None:
    worded = word_timeline(
        _steps(("dispatch", {"department_id": 7, "deadline": "2026-12-07"})), {7: "市税务局"}
    )
    assert worded[0].facts.startswith("派单至 市税务局；")


@pytest.fixture
def english():
    previous = i18n.current_locale()
    i18n.set_locale("en")
    yield
    i18n.set_locale(previous)


def test_the_words_are_in_the_reader_s_language(english) -> None:
    worded = word_timeline(
        _steps(
            ("dispatch", {"department": "市场监管局", "deadline": "2026-12-07"}),
            ("request_extension", {"until": "2026-12-14"}),
            ("decide_extension", {"approved": True, "until": "2026-12-14"}),
            ("callback", {"satisfaction": "dissatisfied"}),
        )
    )
    assert worded[0].facts == "Dispatched to 市场监管局; deadline 2026-12-07"
    assert worded[1].facts == "Asked to extend the deadline from 2026-12-07 to 2026-12-14"
    assert worded[2].label == "Extension approved"
    assert "Deadline extended from 2026-12-07 to 2026-12-14" in worded[2].facts
    assert worded[3].facts == "Satisfaction: Dissatisfied"


def test_a_late_reply_is_measured_by_its_day_not_its_hour() -> None:
    steps = [
        Step(at=at(0), actor="a", action="dispatch", data={"deadline": "2026-11-23"}),
        Step(at=dt.datetime(2026, 11, 23, 23, 59), actor="a", action="reply", data={}, text="好"),
    ]
    assert word_timeline(steps)[1].facts == "办理期限 2026-11-23，按期答复"


def test_a_deadline_that_is_no_date_is_shown_as_recorded() -> None:
    worded = word_timeline(
        _steps(("dispatch", {"department": "市场监管局", "deadline": "月底前"}), ("reply", {}))
    )
    assert worded[1].facts == "答复单位 市场监管局；办理期限 月底前"


def test_attachment_steps_name_the_document(database) -> None:
    documented = short_cases()["documented"]
    rows = _rows(documented.id)
    added = _one(rows, "attach")
    assert added.label == "添加附件"
    assert "处罚决定书.pdf" in added.facts and "PDF 文档" in added.facts
    assert "SHA-256 " in added.facts
    viewed = _one(rows, "attachment_view")
    assert viewed.internal and viewed.facts.startswith("打开")
    removed = _one(rows, "attachment_remove")
    assert removed.label == "删除附件" and removed.detail == "删除理由：上传错了"
