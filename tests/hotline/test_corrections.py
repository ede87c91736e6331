"""Correcting a registered case: each field, the reason, who may, the version check in the
database, validation, the deadline question, search, masking on the timeline, the audit."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import audit, cases, clock, contacts, corrections, timeline, workflow
from hotline.case_view import load_case_window
from hotline.corrections import DeadlineChoice, DeadlineQuestion
from hotline.enums import Role, Status
from hotline.errors import ConflictError, PermissionDenied, ValidationError
from hotline.models import AuditEntry, Case, CaseEvent, Enterprise
from hotline.search.query import search
from tests.conftest import sample_case
from tests.hotline.desk import LEAD, MANAGER, NOW, OPERATOR
from tests.hotline.desk import register_case as _case


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield


def _correct(case: Case, changed: dict, reason: str = "来电人核对后更正", **kwargs) -> Case:
    return corrections.correct(
        OPERATOR, case.id, changed, reason, expected_version=case.version, **kwargs
    )


def _events(case_id: int, action: str) -> list[CaseEvent]:
    return [e for e in timeline.events(case_id) if e.action == action]


# (form key, value typed, column, value stored)
FIELDS = [
    ("contact.name", "李娜", "contact_name", "李娜"),
    ("contact.phone", "139 0000 1111", "contact_phone", "13900001111"),
    ("confidential", True, "confidential", True),
    ("kind", "建议", "kind", "suggestion"),
    ("category", "policy", "category", "policy"),
    ("urgency", "urgent", "urgency", "urgent"),
    ("channel", "网络平台", "channel", "web"),
    ("district", "淇滨区", "district_id", "410611"),
    ("subject", "施工许可审批超期", "subject", "施工许可审批超期"),
    ("description", "补充：窗口要求补交材料三次。", "description", "补充：窗口要求补交材料三次。"),
    ("request", "书面答复", "request", "书面答复"),
    ("received_at", "2026-11-20T08:15", "received_at", dt.datetime(2026, 11, 20, 8, 15)),
]


@pytest.mark.parametrize(("key", "typed", "column", "stored"), FIELDS, ids=[f[0] for f in FIELDS])
def test_each_field_is_corrected_with_before_and_after(
    database, frozen_now, key, typed, column, stored
) -> None:
    case = _case(district="410602") if key == "district" else _case()
    before_no = case.case_no
    updated = _correct(case, {key: typed})
    if column.startswith("contact_"):  # the caller is kept apart (hotline.contacts)
        assert getattr(contacts.of(updated), column.removeprefix("contact_")) == stored
        assert getattr(updated, f"{column}_masked") != stored
    else:
        assert getattr(updated, column) == stored
    assert updated.case_no == before_no
    assert updated.version == case.version + 1
    (event,) = _events(case.id, "correct")
    assert event.text == "来电人核对后更正"
    (change,) = timeline.event_data(event)["changes"]
    assert change["field"] == key
    assert change["before"] != change["after"]
    assert change["after"] in (str(stored), "true", "2026-11-20 08:15", "淇滨区")


def test_the_enterprise_is_relinked_not_renamed(database, frozen_now) -> None:
    case = _case()
    old = Enterprise.get_by_id(case.enterprise_id)
    updated = _correct(case, {"enterprise.name": "鹤壁市新华建材有限公司", "enterprise.uscc": ""})
    assert updated.enterprise_id != old.id
    assert Enterprise.get_by_id(old.id).name == old.name  # the other enterprise is untouched
    assert Enterprise.get_by_id(updated.enterprise_id).name == "鹤壁市新华建材有限公司"
    (change,) = timeline.event_data(_events(case.id, "correct")[0])["changes"]
    assert change == {
        "field": "enterprise",
        "before": "鹤壁市华联商贸有限公司（91410600MA44XKQ35C）",
        "after": "鹤壁市新华建材有限公司",
    }
    lines = corrections.describe(timeline.event_data(_events(case.id, "correct")[0]))
    assert lines == ["企业：鹤壁市华联商贸有限公司（91410600MA44XKQ35C） → 鹤壁市新华建材有限公司"]


def test_only_what_changed_is_recorded(database, frozen_now) -> None:
    case = _case()
    _correct(case, {"subject": "施工许可审批超期", "kind": "complaint", "contact.name": "张伟"})
    changes = timeline.event_data(_events(case.id, "correct")[0])["changes"]
    assert [c["field"] for c in changes] == ["subject"]


def test_nothing_changed_is_refused(database, frozen_now) -> None:
    case = _case()
    with pytest.raises(ValidationError) as refused:
        _correct(case, {"subject": "施工许可审批拖延"})
    assert refused.value.fields() == {"case"}
    assert Case.get_by_id(case.id).version == case.version


@pytest.mark.parametrize("reason", ["", "   ", "\u200b"])
def test_a_reason_is_required(database, frozen_now, reason: str) -> None:
    case = _case()
    audit_before = AuditEntry.select().count()
    with pytest.raises(ValidationError) as refused:
        _correct(case, {"subject": "新主题"}, reason=reason)
    assert refused.value.fields() == {"reason"}
    stored = Case.get_by_id(case.id)
    assert (stored.subject, stored.version) == ("施工许可审批拖延", case.version)
    assert AuditEntry.select().count() == audit_before
    assert not _events(case.id, "correct")


def test_a_manager_may_not_correct(database, frozen_now) -> None:
    case = _case()
    assert not corrections.may_correct(case, MANAGER)
    with pytest.raises(PermissionDenied):
        corrections.correct(MANAGER, case.id, {"subject": "新"}, "理由", expected_version=1)
    assert Case.get_by_id(case.id).subject == "施工许可审批拖延"


def test_a_closed_case_needs_a_shift_lead(database, frozen_now) -> None:
    case = _case()
    case = workflow.withdraw(OPERATOR, case.id, "重复登记")
    assert Status(case.status).is_terminal
    assert not corrections.may_correct(case, OPERATOR)
    assert "correct" not in load_case_window(case.id, OPERATOR).allowed
    with pytest.raises(PermissionDenied):
        _correct(case, {"subject": "新主题"})
    assert corrections.may_correct(case, LEAD)
    assert "correct" in load_case_window(case.id, LEAD).allowed
    updated = corrections.correct(
        LEAD, case.id, {"subject": "新主题"}, "值班长核对", expected_version=case.version
    )
    assert (updated.subject, updated.status) == ("新主题", Status.WITHDRAWN.value)


def test_a_stale_version_is_refused(database, frozen_now) -> None:
    case = _case()
    seen = case.version
    workflow.dispatch(LEAD, case.id, 1, expected_version=seen)
    with pytest.raises(ConflictError) as refused:
        _correct(case, {"contact.phone": "13900001111"})
    assert "值班长乙" in refused.value.text
    assert contacts.of(Case.get_by_id(case.id)).phone == "13812345678"


def test_two_loads_one_write_the_database_refuses_the_second(
    database, frozen_now, monkeypatch
) -> None:
    """Both users read version 1; the first correction is written between the second user's
    read and write: only the ``WHERE version = ?`` of the UPDATE can catch it."""
    case = _case()
    first_load = Case.get_by_id(case.id)
    second_load = Case.get_by_id(case.id)
    corrections.correct(
        LEAD, case.id, {"subject": "值班长的主题"}, "核对", expected_version=first_load.version
    )
    # The second user's transaction read the row before the first one committed.
    monkeypatch.setattr(workflow, "load_for_change", lambda case_id, version: second_load)
    audit_before = AuditEntry.select().count()
    with pytest.raises(ConflictError):
        corrections.correct(
            OPERATOR,
            case.id,
            {"description": "坐席的补充"},
            "补充描述",
            expected_version=second_load.version,
        )
    stored = Case.get_by_id(case.id)
    assert (stored.subject, stored.version) == ("值班长的主题", 2)
    assert stored.description.startswith("企业反映")
    assert len(_events(case.id, "correct")) == 1
    assert AuditEntry.select().count() == audit_before
    assert audit.verify().ok


def test_validation_reports_every_problem_by_field(database, frozen_now) -> None:
    case = _case()
    with pytest.raises(ValidationError) as refused:
        _correct(
            case,
            {"contact.phone": "12345", "kind": "没有这种类型", "subject": "", "district": "火星"},
        )
    assert refused.value.fields() == {"contact.phone", "kind", "subject", "district"}
    assert Case.get_by_id(case.id).version == case.version


def test_an_unknown_field_is_refused(database, frozen_now) -> None:
    case = _case()
    with pytest.raises(ValidationError) as refused:
        _correct(case, {"case_no": "X"})
    assert refused.value.fields() == {"case_no"}


def test_deadline_change_asks_first_and_writes_nothing(database, frozen_now) -> None:
    case = workflow.dispatch(OPERATOR, _case().id, 1)
    old_deadline = case.deadline
    with pytest.raises(DeadlineQuestion) as asked:
        _correct(case, {"urgency": "urgent"})
    moved = asked.value.preview.deadline
    assert moved is not None
    assert moved.before == old_deadline
    assert moved.after < old_deadline
    assert [c.field for c in asked.value.preview.changes] == ["urgency"]
    stored = Case.get_by_id(case.id)
    assert (stored.urgency, stored.deadline, stored.version) == (
        "normal",
        old_deadline,
        case.version,
    )
    # The preview says the same without trying to write.
    assert corrections.preview(OPERATOR, case.id, {"urgency": "urgent"}).deadline == moved


def test_deadline_recomputed_when_confirmed(database, frozen_now) -> None:
    case = workflow.dispatch(OPERATOR, _case().id, 1)
    expected = workflow.preview_deadline(case)  # what a dispatch today gives a complaint
    updated = _correct(case, {"urgency": "urgent"}, deadline=DeadlineChoice.RECOMPUTE)
    assert updated.urgency == "urgent"
    assert updated.deadline < expected.due
    assert updated.deadline == workflow.preview_deadline(updated).due  # working days, urgent
    assert updated.case_no == case.case_no
    data = timeline.event_data(_events(case.id, "correct")[0])
    assert data["deadline"]["choice"] == "recompute"
    assert corrections.describe(data)[-1].startswith("办理期限：")


def test_deadline_kept_when_the_user_says_so(database, frozen_now) -> None:
    case = workflow.dispatch(OPERATOR, _case().id, 1)
    updated = _correct(case, {"kind": "consultation"}, deadline=DeadlineChoice.KEEP)
    assert (updated.kind, updated.deadline) == ("consultation", case.deadline)
    data = timeline.event_data(_events(case.id, "correct")[0])
    assert data["deadline"]["choice"] == "keep"
    assert "保持" in corrections.describe(data)[-1]


def test_no_question_before_dispatch(database, frozen_now) -> None:
    case = _case()
    updated = _correct(case, {"urgency": "urgent"})
    assert (updated.urgency, updated.deadline) == ("urgent", None)


def test_repeat_check_runs_again(database, frozen_now) -> None:
    first = _case(category="policy")
    second = _case(enterprise={"name": "鹤壁市另一家公司"})
    assert second.repeat_of_id is None
    updated = _correct(second, {"enterprise.name": "鹤壁市华联商贸有限公司", "category": "policy"})
    assert updated.repeat_of_id == first.id
    data = timeline.event_data(_events(second.id, "correct")[0])
    assert data["repeat"] == {"before": None, "after": first.case_no}
    assert [e.action for e in timeline.events(second.id)][-1] == "repeat"
    # And back: no longer a repeat once the category is corrected again.
    again = _correct(updated, {"category": "tax_fees"})
    assert again.repeat_of_id is None


def test_search_follows_the_corrected_text(database, frozen_now) -> None:
    case = _case(description="企业反映消防验收一直没有安排时间。")
    assert case.id in search("消防验收").case_ids
    _correct(case, {"description": "企业反映环评批复一直没有下达。"})
    assert case.id not in search("消防验收").case_ids
    assert case.id in search("环评批复").case_ids


def test_private_index_follows_a_corrected_confidential_contact(database, frozen_now) -> None:
    case = _case(confidential=True)
    assert case.id in search("13812345678", reveal_confidential=True).case_ids
    _correct(case, {"contact.phone": "13900001111", "contact.name": "王芳"})
    for text in ("13812345678", "13900001111", "王芳"):
        assert case.id not in search(text).case_ids  # nobody finds a confidential caller
    assert case.id not in search("13812345678", reveal_confidential=True).case_ids
    assert case.id in search("13900001111", reveal_confidential=True).case_ids
    assert case.id in search("王芳", reveal_confidential=True).case_ids


def test_before_and_after_are_masked_for_roles_that_may_not_see_the_caller(
    database, frozen_now
) -> None:
    case = _case(confidential=True)
    _correct(case, {"contact.phone": "13900001111", "contact.name": "王芳"})
    seen = {
        actor.role: next(
            e for e in load_case_window(case.id, actor).events if e.action == "correct"
        )
        for actor in (OPERATOR, MANAGER)
    }
    real = {c["field"]: c for c in seen[Role.OPERATOR].data["changes"]}
    assert (real["contact.phone"]["before"], real["contact.phone"]["after"]) == (
        "13812345678",
        "13900001111",
    )
    masked = {c["field"]: c for c in seen[Role.MANAGER].data["changes"]}
    assert (masked["contact.phone"]["before"], masked["contact.phone"]["after"]) == (
        "138****5678",
        "139****1111",
    )
    assert (masked["contact.name"]["before"], masked["contact.name"]["after"]) == ("张*", "王*")
    shown = "\n".join(corrections.describe(seen[Role.MANAGER].data))
    for secret in ("13812345678", "13900001111", "张伟", "王芳"):
        assert secret not in shown


def test_making_a_case_confidential_masks_the_earlier_contact_too(database, frozen_now) -> None:
    case = _case()
    _correct(case, {"confidential": True, "contact.name": "王芳"})
    row = next(e for e in load_case_window(case.id, MANAGER).events if e.action == "correct")
    names = next(c for c in row.data["changes"] if c["field"] == "contact.name")
    assert (names["before"], names["after"]) == ("张*", "王*")


def test_audit_entry_names_the_changes_masked_where_confidential(database, frozen_now) -> None:
    case = _case(confidential=True)
    _correct(case, {"contact.phone": "13900001111", "subject": "新主题"})
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.action, entry.entity_id) == ("case.correct", case.case_no)
    detail = json.loads(entry.detail)
    assert detail["reason"] == "来电人核对后更正"
    assert detail["before_version"] == case.version
    fields = {c["field"]: c for c in detail["changes"]}
    assert fields["subject"]["after"] == "新主题"
    assert fields["contact.phone"]["after"] == "139****1111"
    assert "13900001111" not in entry.detail
    assert audit.verify().ok


def test_received_after_registration_is_refused(database, frozen_now) -> None:
    case = cases.register(OPERATOR, sample_case(received_at="2026-11-20T08:00"))
    with pytest.raises(ValidationError) as refused:
        _correct(case, {"received_at": "2026-11-23T09:31"})  # registered at 09:30
    assert refused.value.fields() == {"received_at"}
    assert "09:30" in refused.value.text
    assert Case.get_by_id(case.id).received_at == dt.datetime(2026, 11, 20, 8, 0)
