"""The audit trail in words: sentences with names, in Chinese and English, raw on demand."""

from __future__ import annotations

import re

import pytest

from hotline import admin, audit, audit_text, auth, cases, i18n, workflow
from hotline.enums import Role
from hotline.models import Department
from hotline.permissions import Actor
from tests.conftest import sample_case

ADMIN = Actor("管理员甲", Role.ADMIN, None)


@pytest.fixture
def english():
    i18n.set_locale("en")
    yield
    i18n.set_locale("zh_CN")


@pytest.fixture
def trail(database, cli_actor) -> dict[str, object]:
    user = auth.create_user(ADMIN, "zhangsan", "张三", "operator", "Seat#2026a", must_change=False)
    department = Department.get(code="SCJG")
    case = cases.register(cli_actor, sample_case(subject="审计文字"))
    workflow.dispatch(cli_actor, case.id, department.id)
    workflow.reply(cli_actor, case.id, "已办理")
    workflow.callback(cli_actor, case.id, "basically_satisfied", "基本满意")
    workflow.close(cli_actor, case.id)
    auth.set_active(ADMIN, user.id, False)
    admin.save_department(
        ADMIN, department_id=department.id, code="SCJG", name="市市场监督管理局（新）"
    )
    return {"case_no": case.case_no, "department": department.name, "user": user}


def _sentences() -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for entry in audit_text.worded_entries(ADMIN, limit=100):
        found.setdefault(entry.action, []).append(entry.sentence)
    return found


def test_each_action_is_a_sentence_with_names(trail) -> None:
    case_no = trail["case_no"]
    said = _sentences()
    assert said["case.register"] == [
        f"登记案件 {case_no}（投诉 · 行政审批，企业：鹤壁市华联商贸有限公司）"
    ]
    (dispatch,) = said["case.dispatch"]
    assert dispatch.startswith(f"将案件 {case_no} 派至市")  # the department's name, not its id
    assert re.search(r"办理期限 \d{4}-\d\d-\d\d$", dispatch)
    assert said["case.callback"] == [f"回访案件 {case_no}，企业评价：基本满意"]
    assert said["case.close"] == [f"办结案件 {case_no}"]
    assert said["user.create"] == ["创建用户 张三（zhangsan），角色：坐席"]
    assert said["user.deactivate"] == ["停用用户 张三（zhangsan）"]
    assert said["department.update"] == [
        f"修改承办单位 市市场监督管理局（新）（原为：{trail['department']}）"
    ]
    for sentences in said.values():
        for text in sentences:
            assert "{" not in text and '"' not in text  # no raw JSON
            assert not re.search(r"#\d", text)  # no internal ids


def test_the_same_in_english(trail, english) -> None:
    said = _sentences()
    assert said["case.callback"] == [
        f"Called back on case {trail['case_no']}; the enterprise's rating: Mostly satisfied"
    ]
    assert said["user.create"][0].startswith("Created the user 张三（zhangsan）, role: Operator")
    assert all(not re.search(r"[\u4e00-\u9fff]{3}", s) for s in said["case.close"])


def test_the_raw_record_stays_available_and_unknown_actions_are_shown(trail) -> None:
    entries = audit_text.worded_entries(ADMIN, limit=100)
    dispatch = next(e for e in entries if e.action == "case.dispatch")
    assert '"department":' in dispatch.raw and "case.dispatch" in dispatch.raw
    line = audit.AuditLine(
        1, dispatch.at, "root（命令行）@cli", "case.merge", "case", "YS1", '{"into": "YS2"}'
    )
    (worded,) = audit_text.worded([line])
    assert worded.sentence == "case.merge：案件 YS1"
    assert worded.actor == "root（命令行）"
    assert audit_text.shown_actor("admin@setup") == "admin（首次设置）"


def _written_actions() -> set[str]:
    """Every action the core writes to the audit trail: the literal second argument of each
    ``audit.record(...)`` call, and ``case.<transition>`` for the state machine's steps."""
    import ast
    from pathlib import Path

    from hotline.transitions import TRANSITIONS

    found = {f"case.{name}" for name in TRANSITIONS}
    root = Path(audit.__file__).parent
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or len(node.args) < 2:
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name != "record":
                continue
            for arg in node.args[1:2]:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    found.add(arg.value)
                elif isinstance(arg, ast.IfExp):  # "report.weekly_pdf" if … else "…"
                    found.update(
                        part.value
                        for part in (arg.body, arg.orelse)
                        if isinstance(part, ast.Constant) and isinstance(part.value, str)
                    )
    found.update({"report.weekly_pdf", "report.period_pdf"})  # chosen by a variable
    return found


def test_every_action_the_core_writes_has_a_sentence() -> None:
    """An action added without a sentence would show as its code in the audit window."""
    names = audit_text.Names(users={}, departments={}, districts={}, enterprises={})
    actions = _written_actions()
    assert {"case.correct", "enterprise.merge", "user.sign_out"} <= actions  # the scan works
    for action in sorted(actions):
        entity = action.split(".")[0]
        line = audit.AuditLine(
            1, audit_text.dt.datetime(2026, 12, 1), "甲", action, entity, "1", "{}"
        )
        text = audit_text.sentence(line, names)
        assert not text.startswith(action), f"{action} has no sentence"
