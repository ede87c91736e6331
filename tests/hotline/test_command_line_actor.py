"""Work done on the command line is stored as such: the timeline, the case, handover notes
and the audit log never show it as the same person's work in the app."""

from __future__ import annotations

import json

import pytest

from hotline import auth, cases, db, handover, i18n
from hotline.enums import Role
from hotline.errors import ValidationError
from hotline.models import AuditEntry, CaseEvent, HandoverNote
from hotline.permissions import Actor, shown_name
from tests.conftest import sample_case


@pytest.fixture
def night(database):
    setup = Actor("测试准备", Role.ADMIN, via="setup")
    return auth.create_user(setup, "night1", "夜班坐席", "operator", "Seat#2026a")


def test_command_line_work_is_stored_with_its_mark(night) -> None:
    at_desk = auth.actor_for(night)
    on_cli = auth.command_line_actor("night1", require_account=True)
    assert on_cli.user_id == night.id and on_cli.name == "夜班坐席（命令行）"
    first = cases.register(at_desk, sample_case())
    second = cases.register(on_cli, sample_case(subject="命令行登记"))
    handover.write_note(on_cli, "交班：命令行写的说明")
    names = {
        e.case_id: e.actor_name for e in CaseEvent.select().where(CaseEvent.action == "register")
    }
    assert names == {first.id: "夜班坐席", second.id: "夜班坐席（命令行）"}
    assert second.registered_by_name == "夜班坐席（命令行）"
    assert HandoverNote.get().author_name == "夜班坐席（命令行）"
    entries = list(AuditEntry.select().where(AuditEntry.action == "case.register"))
    roles = db.server_roles()
    if roles is None:
        assert {e.actor for e in entries} == {"夜班坐席", "夜班坐席（命令行）@cli"}
    else:  # the database names the login role; how the person acted is kept beside
        assert {e.actor for e in entries} == {roles.login("night1")}
        assert sorted(json.loads(e.detail).get("via", "app") for e in entries) == ["app", "cli"]


def test_a_long_name_keeps_its_mark_within_the_stored_length(database) -> None:
    actor = Actor.command_line("x" * 40)
    assert actor.name.endswith("（命令行）") and len(actor.name) == 40
    case = cases.register(actor, sample_case())  # PostgreSQL refuses a name over 40
    assert case.registered_by_name == actor.name


def test_the_mark_is_shown_in_the_users_language() -> None:
    assert shown_name("张三（命令行）") == "张三（命令行）"
    assert shown_name("张三") == "张三"
    i18n.set_locale("en")
    assert shown_name("张三（命令行）") == "张三 (command line)"


@pytest.mark.parametrize("name", ["张\u200b三", "张\u202e三", "张\x1b三", "张\n三", "张\ufeff三"])
def test_administration_refuses_invisible_and_control_characters_in_names(night, name: str) -> None:
    admin = Actor("管理员", Role.ADMIN, via="setup")
    with pytest.raises(ValidationError) as info:
        auth.create_user(admin, "op7", name, "operator", "Seat#2026a")
    assert info.value.fields() == {"display_name"}
    assert "控制字符" in info.value.problems[0].text
