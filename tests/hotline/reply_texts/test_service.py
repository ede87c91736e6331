"""Reply texts: private and shared, permissions, audit, placeholders checked and filled."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import audit_text, auth, case_view, cases, clock, i18n
from hotline.enums import Role
from hotline.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from hotline.models import AuditEntry
from hotline.permissions import Actor
from hotline.reply_texts import placeholders, service
from hotline.reply_texts.schema import DEFAULTS, ReplyText
from hotline.reply_texts.service import TextInput
from tests.conftest import sample_case

ADMIN = Actor("管理员", Role.ADMIN, None)


@pytest.fixture
def people(database) -> dict[str, Actor]:
    made = {}
    for name, role in (
        ("op1", Role.OPERATOR),
        ("op2", Role.OPERATOR),
        ("lead", Role.SHIFT_LEAD),
        ("boss", Role.MANAGER),
    ):
        user = auth.create_user(ADMIN, name, name.upper(), role.value, "Seat#2026a")
        made[name] = Actor(name.upper(), role, user.id)
    return made


def text(code: str = "wd", body: str = "您好，{企业名称}", **kw: object) -> TextInput:
    return TextInput(
        code=code, title=kw.pop("title", "问候"), body=body, kinds=kw.pop("kinds", ["reply"]), **kw
    )  # type: ignore[arg-type]


def _audit_actions() -> list[str]:
    return [e.action for e in AuditEntry.select().order_by(AuditEntry.id)]


def test_a_new_database_has_the_centres_default_texts(database, people) -> None:
    shared = [t for t in service.visible_texts(people["op1"]) if t.shared]
    assert {t.code for t in shared} == {code for code, *_rest in DEFAULTS}
    for t in shared:  # every default uses only known placeholders
        assert not placeholders.unknown_names(t.body), t.code
        assert t.kinds
    dfsl = next(t for t in shared if t.code == "dfsl")
    assert dfsl.initials.startswith("df")  # 答复：已受理并转办


def test_private_texts_are_invisible_to_another_user(database, people) -> None:
    mine = service.save_text(people["op1"], text("wd", title="我的问候"))
    assert not mine.shared
    assert mine.id in {t.id for t in service.visible_texts(people["op1"])}
    assert mine.id not in {t.id for t in service.visible_texts(people["op2"])}
    with pytest.raises(NotFound):
        service.save_text(people["op2"], text("wd2"), text_id=mine.id)
    with pytest.raises(NotFound):
        service.delete_text(people["op2"], mine.id)
    # The same code is free for another person, and a private text is never audited.
    service.save_text(people["op2"], text("wd"))
    assert not [a for a in _audit_actions() if a.startswith("reply_text.")]


def test_only_shift_leads_and_admins_write_shared_texts_and_each_change_is_audited(
    database, people
) -> None:
    with pytest.raises(PermissionDenied):
        service.save_text(people["op1"], text("gx", shared=True))
    with pytest.raises(PermissionDenied):
        service.save_text(people["boss"], text("gx", shared=True))
    shared = service.save_text(people["lead"], text("gx", shared=True))
    assert shared.shared
    dfsl = next(t for t in service.visible_texts(people["op1"]) if t.code == "dfsl")
    with pytest.raises(PermissionDenied):
        service.save_text(people["op1"], text("dfsl", body="改"), text_id=dfsl.id)
    with pytest.raises(PermissionDenied):
        service.delete_text(people["op1"], dfsl.id)
    changed = service.save_text(
        people["lead"],
        text("gx", body="新的：{案件编号}", shared=True),
        text_id=shared.id,
        expected_version=1,
    )
    assert changed.version == 2
    with pytest.raises(ConflictError):
        service.save_text(
            people["lead"], text("gx", shared=True), text_id=shared.id, expected_version=1
        )
    service.delete_text(people["lead"], shared.id, expected_version=2)
    assert [a for a in _audit_actions() if a.startswith("reply_text.")] == [
        "reply_text.create",
        "reply_text.update",
        "reply_text.delete",
    ]
    update = AuditEntry.get(AuditEntry.action == "reply_text.update")
    detail = json.loads(update.detail)
    assert detail["before"]["body"] == "您好，{企业名称}"
    assert detail["after"]["body"] == "新的：{案件编号}"
    worded = [e.sentence for e in audit_text.worded_entries(ADMIN, limit=20)]
    assert "修改共享常用语 gx（问候）" in worded


def test_an_unknown_placeholder_is_refused_when_saving_with_its_name_and_line(
    database, people
) -> None:
    with pytest.raises(ValidationError) as raised:
        service.save_text(people["op1"], text("x1", body="您好\n{企业名}，编号{案件编号}{foo}"))
    (problem,) = raised.value.problems
    assert problem.field == "body"
    assert "{企业名}、{foo}" in problem.text and "第 2 行" in problem.text
    assert "{企业名称}" in problem.text  # the known ones are listed
    assert not ReplyText.select().where(ReplyText.code == "x1").exists()


def test_every_problem_at_once(database, people) -> None:
    with pytest.raises(ValidationError) as raised:
        service.save_text(people["op1"], TextInput(code="1a", title="", body="", kinds=[]))
    assert {p.field for p in raised.value.problems} == {"code", "title", "body", "kinds"}
    service.save_text(people["op1"], text("dup"))
    with pytest.raises(ValidationError) as again:
        service.save_text(people["op1"], text("DUP"))
    assert [p.field for p in again.value.problems] == ["code"]


def test_own_text_takes_the_place_of_a_shared_one_with_its_code(database, people) -> None:
    own = service.save_text(people["op1"], text("dfsl", title="我的版本"))
    offered = service.for_field(service.visible_texts(people["op1"]), "reply")
    chosen = [t for t in offered if t.code == "dfsl"]
    assert [t.id for t in chosen] == [own.id]
    others = service.for_field(service.visible_texts(people["op2"]), "reply")
    assert next(t for t in others if t.code == "dfsl").shared
    assert all("reply" in t.kinds for t in offered)


def test_placeholders_filled_from_a_case_and_english_aliases(database, people) -> None:
    case = cases.register(people["op1"], sample_case())
    values = service.values_for_case(people["op1"], case.case_no).values
    filled = placeholders.fill("{企业名称}/{enterprise}/{ Case_No }/{{字面}}/{承办单位}", values)
    assert filled.text == f"鹤壁市华联商贸有限公司/鹤壁市华联商贸有限公司/{case.case_no}/{{字面}}/"
    assert filled.empty == ("{承办单位}",)  # not dispatched yet: reported, not invented
    assert filled.unknown == ()
    assert values["来电人"] == "张伟"
    assert values["经办人"] == "OP1"
    today = clock.today()
    assert values["今天"] == f"{today.year}年{today.month}月{today.day}日"
    assert placeholders.fill("{nope}", values).unknown == ("{nope}",)


def test_a_confidential_callers_placeholder_is_masked_for_a_role_without_the_right(
    database, people
) -> None:
    case = cases.register(people["op1"], sample_case(confidential=True))
    body = "来电人：{来电人}，电话 {来电人电话}"
    seen_by_operator = placeholders.fill(
        body, service.values_for_case(people["op1"], case.case_no).values
    )
    assert "张伟" in seen_by_operator.text and "13812345678" in seen_by_operator.text
    view = case_view.load_case_window(case.id, people["boss"])  # a manager may not see it
    masked = placeholders.fill(body, placeholders.case_values(view, "科长", dt.date(2026, 12, 1)))
    assert "张伟" not in masked.text and "13812345678" not in masked.text
    assert "张" in masked.text  # the surname stays, as the case window shows it


def test_english_defaults_write_the_english_aliases(database_target) -> None:
    i18n.set_locale("en")
    try:
        assert placeholders.in_language("{企业名称} {today} {x}") == "{enterprise} {today} {x}"
    finally:
        i18n.set_locale("zh_CN")
    assert placeholders.in_language("{enterprise}") == "{企业名称}"
