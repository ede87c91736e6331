"""The enterprise directory: former names (曾用名), merging duplicates, the credit-code question
at intake. Each rule on both backends."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import audit, cases, clock, enterprise_directory, enterprises, search
from hotline.enterprises import EnterpriseNameMismatch
from hotline.enums import Role
from hotline.errors import HotlineError, PermissionDenied, ValidationError
from hotline.models import AuditEntry, Case, Enterprise, EnterpriseFormerName
from hotline.permissions import Actor
from tests.conftest import sample_case
from tests.hotline.old_schema import back_to

LEAD = Actor("值班长", Role.SHIFT_LEAD, None)
OPERATOR = Actor("坐席", Role.OPERATOR, None)
NOW = dt.datetime(2026, 11, 23, 9, 30)
CODE = "91410600MA44XKQ35C"
OTHER_CODE = "91410611MA3X4YQ215"


@pytest.fixture
def frozen_now():
    with clock.frozen(NOW):
        yield


def _register(name: str, uscc: str | None = None, **more) -> Case:
    enterprise = {"name": name, "uscc": uscc} if uscc else {"name": name}
    enterprise.update(more)
    return cases.register(OPERATOR, sample_case(enterprise=enterprise))


def test_a_corrected_name_keeps_the_former_name_and_both_are_found(database, frozen_now) -> None:
    case = _register("鹤壁市华联商贸有限公司", CODE)
    enterprise_id = case.enterprise_id
    row = enterprise_directory.rename(
        LEAD, enterprise_id, "鹤壁华联集团有限公司", reason="营业执照变更"
    )
    assert row.name == "鹤壁华联集团有限公司"
    assert row.former_names == ("鹤壁市华联商贸有限公司",)
    (former,) = enterprise_directory.former_names(enterprise_id)
    assert (former.valid_to, former.reason) == (NOW.date(), "营业执照变更")
    # The directory finds it by the old name, the new name and the credit code.
    for text in ("华联商贸", "华联集团", "MA44XKQ", "ma44xkq"):
        page = enterprise_directory.search_page(text)
        assert [r.id for r in page.rows] == [enterprise_id], text
    assert enterprise_directory.search_page("华联商贸").rows[0].matched_former
    # Intake suggestions find it by the old name too, saying which.
    (suggested,) = enterprise_directory.suggest_by_former_name("华联商贸")
    assert (suggested.id, suggested.former_name) == (enterprise_id, "鹤壁市华联商贸有限公司")
    # Its cases are found by the new name in the case search.
    assert case.id in search.search("华联集团").case_ids
    entry = AuditEntry.select().where(AuditEntry.action == "enterprise.rename").get()
    assert json.loads(entry.detail)["before"] == "鹤壁市华联商贸有限公司"
    assert audit.verify().ok


def test_a_second_renaming_dates_the_first_new_name(database) -> None:
    with clock.frozen(NOW):
        case = _register("甲公司", CODE)
        enterprise_directory.rename(LEAD, case.enterprise_id, "乙公司")
    with clock.frozen(NOW + dt.timedelta(days=40)):
        with pytest.raises(ValidationError) as early:
            enterprise_directory.rename(
                LEAD, case.enterprise_id, "丙公司", changed_on=NOW.date() - dt.timedelta(days=1)
            )
        assert early.value.fields() == {"changed_on"}
        enterprise_directory.rename(LEAD, case.enterprise_id, "丙公司")
    names = enterprise_directory.former_names(case.enterprise_id)
    assert [(f.name, f.valid_from, f.valid_to) for f in names] == [
        ("乙公司", NOW.date(), (NOW + dt.timedelta(days=40)).date()),
        ("甲公司", None, NOW.date()),
    ]


def test_renaming_is_refused_without_permission_or_onto_another_record(database) -> None:
    first = _register("甲公司", CODE)
    _register("乙公司", OTHER_CODE)
    with pytest.raises(PermissionDenied):
        enterprise_directory.rename(OPERATOR, first.enterprise_id, "丙公司")
    with pytest.raises(ValidationError) as taken:
        enterprise_directory.rename(LEAD, first.enterprise_id, "乙公司")
    assert "请合并两条档案" in taken.value.problems[0].text
    assert Enterprise.get_by_id(first.enterprise_id).name == "甲公司"
    assert EnterpriseFormerName.select().count() == 0


def test_merging_moves_every_case_and_keeps_the_duplicate_name(database, frozen_now) -> None:
    kept = [_register("鹤壁市华联商贸有限公司") for _ in range(2)]
    moved = [_register("华联商贸", CODE, **{}) for _ in range(3)]
    survivor, duplicate = kept[0].enterprise_id, moved[0].enterprise_id
    assert survivor != duplicate
    versions = {c.id: Case.get_by_id(c.id).version for c in moved}
    result = enterprise_directory.merge(LEAD, survivor, duplicate, "同一企业重复建档")
    assert sorted(result.moved_case_nos) == sorted(c.case_no for c in moved)
    for case in kept + moved:
        assert Case.get_by_id(case.id).enterprise_id == survivor
    for case in moved:
        assert Case.get_by_id(case.id).version == versions[case.id] + 1
    assert Enterprise.get_or_none(Enterprise.id == duplicate) is None
    merged = Enterprise.get_by_id(survivor)
    assert merged.uscc == CODE  # taken from the duplicate
    assert enterprise_directory.row(survivor).former_names == ("华联商贸",)
    assert Case.select().count() == 5
    # The moved cases are found under the survivor's name; the code finds the survivor.
    found = search.search("鹤壁市华联商贸").case_ids
    assert {c.id for c in kept + moved} <= set(found)
    assert [e.id for e in search.suggest_enterprises("MA44XKQ35C")] == [survivor]
    entry = AuditEntry.select().where(AuditEntry.action == "enterprise.merge").get()
    assert sorted(json.loads(entry.detail)["cases"]) == sorted(c.case_no for c in moved)
    assert audit.verify().ok


def test_merging_refuses_two_credit_codes_and_changes_nothing(database) -> None:
    first = _register("甲公司", CODE)
    second = _register("甲公司（分号）", OTHER_CODE)
    with pytest.raises(HotlineError) as refused:
        enterprise_directory.merge(LEAD, first.enterprise_id, second.enterprise_id)
    assert CODE in refused.value.text and OTHER_CODE in refused.value.text
    assert Case.get_by_id(second.id).enterprise_id == second.enterprise_id
    assert Enterprise.select().count() == 2
    with pytest.raises(PermissionDenied):
        enterprise_directory.merge(OPERATOR, first.enterprise_id, second.enterprise_id)
    with pytest.raises(HotlineError):
        enterprise_directory.merge(LEAD, first.enterprise_id, first.enterprise_id)


def test_a_known_code_with_a_new_name_asks_instead_of_taking_the_archived_one(database) -> None:
    first = _register("鹤壁市华联商贸有限公司", CODE)
    before = Case.select().count()
    with pytest.raises(EnterpriseNameMismatch) as asked:
        _register("鹤壁华联集团有限公司", CODE)
    assert (asked.value.registered, asked.value.typed) == (
        "鹤壁市华联商贸有限公司",
        "鹤壁华联集团有限公司",
    )
    assert Case.select().count() == before  # nothing written
    # Keep: the case goes to the enterprise as registered.
    kept = _register("鹤壁华联集团有限公司", CODE, name_choice="keep")
    assert kept.enterprise_id == first.enterprise_id
    assert Enterprise.get_by_id(first.enterprise_id).name == "鹤壁市华联商贸有限公司"
    # Rename: the name is corrected, the old one kept as a former name.
    renamed = _register("鹤壁华联集团有限公司", CODE, name_choice="rename")
    assert renamed.enterprise_id == first.enterprise_id
    assert Enterprise.get_by_id(first.enterprise_id).name == "鹤壁华联集团有限公司"
    assert enterprise_directory.row(first.enterprise_id).former_names == ("鹤壁市华联商贸有限公司",)
    # The former name, or the same name in other widths, asks nothing.
    assert _register("鹤壁市华联商贸有限公司", CODE).enterprise_id == first.enterprise_id
    assert _register(" 鹤壁华联集团有限公司 ", CODE).enterprise_id == first.enterprise_id


def test_the_command_line_says_how_to_answer_the_question(database) -> None:
    _register("甲公司", CODE)
    with pytest.raises(ValidationError) as refused:
        cases.register_many(OPERATOR, [sample_case(enterprise={"name": "乙公司", "uscc": CODE})])
    (problem,) = refused.value.problems
    assert problem.field == "[1].enterprise.name" and "name_choice" in problem.text
    with pytest.raises(ValidationError):
        cases.register(
            OPERATOR, sample_case(enterprise={"name": "乙", "uscc": CODE, "name_choice": "maybe"})
        )


def test_same_name_ignores_width_and_spaces() -> None:
    assert enterprises.same_name("华联（鹤壁）有限公司", "华联(鹤壁) 有限公司")
    assert not enterprises.same_name("华联有限公司", "华联集团有限公司")


def test_a_directory_page_counts_and_pages(database) -> None:
    for n in range(5):
        _register(f"测试企业{n}号")
    page = enterprise_directory.search_page("测试企业", offset=2, limit=2)
    assert page.total == 5
    assert [r.name for r in page.rows] == ["测试企业2号", "测试企业3号"]
    assert page.rows[0].cases == 1
    assert enterprise_directory.search_page("100%").total == 0


def test_migration_10_adds_former_names_to_an_older_database(database_target) -> None:
    from hotline import db, migrations

    handle = db.connect(database_target)
    try:
        back_to(handle, database_target, 8, "DROP TABLE IF EXISTS enterprise_former_name")
        assert "enterprise_former_name" not in handle.get_tables()
        assert migrations.upgrade(handle, database_target) == migrations.latest_version()
        assert "enterprise_former_name" in handle.get_tables()
        ten = next(m for m in migrations.MIGRATIONS if m.version == 10)
        ten.apply(handle)  # idempotent: applied twice changes nothing
        case = _register("甲公司", CODE)
        enterprise_directory.rename(LEAD, case.enterprise_id, "乙公司")
        assert enterprise_directory.row(case.enterprise_id).former_names == ("甲公司",)
        if db.is_sqlite(handle):
            import sqlite3

            from hotline import schema_check

            with sqlite3.connect(database_target) as conn:
                assert schema_check.differences(conn, migrations.latest_version()) == []
    finally:
        db.close()
