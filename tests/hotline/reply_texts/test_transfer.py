"""Reply texts to and from XLSX and CSV: round trip, every problem with its line and column,
all or nothing, shared rows only for those who may write them (audited)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import Workbook

from hotline import auth, i18n
from hotline.enums import Role
from hotline.errors import ValidationError
from hotline.models import AuditEntry
from hotline.permissions import Actor
from hotline.reply_texts import service, transfer
from hotline.reply_texts.schema import ReplyText
from hotline.reply_texts.service import TextInput

ADMIN = Actor("管理员", Role.ADMIN, None)
HEAD = ["简码", "标题", "适用", "范围", "正文"]


@pytest.fixture
def people(database) -> dict[str, Actor]:
    made = {}
    for name, role in (("op1", Role.OPERATOR), ("lead", Role.SHIFT_LEAD)):
        user = auth.create_user(ADMIN, name, name.upper(), role.value, "Seat#2026a")
        made[name] = Actor(name.upper(), role, user.id)
    return made


def write_csv(path: Path, rows: list[list[str]], head: list[str] = HEAD) -> Path:
    import csv

    with path.open("w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(head)
        writer.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(HEAD)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _count() -> int:
    return ReplyText.select().count()


def test_export_then_import_round_trips_and_updates(database, people, tmp_path) -> None:
    op = people["op1"]
    service.save_text(op, TextInput("wd", "问候", "您好，{企业名称}", ["reply", "note"]))
    for name in ("texts.xlsx", "texts.csv"):
        path = tmp_path / name
        assert transfer.export_file(op, path, shared=False) == 1
        result = transfer.import_file(op, path)
        assert (result.added, result.updated) == (0, 1)
    (mine,) = [t for t in service.visible_texts(op) if not t.shared]
    assert (mine.code, mine.title, mine.body, mine.kinds) == (
        "wd",
        "问候",
        "您好，{企业名称}",
        ("reply", "note"),
    )
    assert mine.version == 3


def test_every_problem_is_reported_with_its_line_and_column_and_nothing_is_saved(
    database, people, tmp_path
) -> None:
    before = _count()
    path = write_csv(
        tmp_path / "bad.csv",
        [
            ["ok1", "好的", "答复", "个人", "编号 {案件编号}"],
            ["9x", "坏简码", "答复", "", "正文"],
            ["ok2", "", "回访、备注", "个人", "您好{企业名}"],
            ["ok1", "重复", "答复", "个人", "正文"],
            ["sh1", "共享的", "督办", "共享", "正文"],
            ["ok3", "适用不对", "答复,通知", "其他", "正文"],
        ],
    )
    with pytest.raises(ValidationError) as raised:
        transfer.import_file(people["op1"], path)
    texts = [p.text for p in raised.value.problems]
    assert any(t.startswith("第 3 行“简码”列：简码须以字母开头") for t in texts), texts
    assert "第 4 行“标题”列：此项必填" in texts
    assert any(t.startswith("第 4 行“正文”列：未知的占位符 {企业名}（第 1 行）") for t in texts)
    assert any(t.startswith("第 5 行“简码”列：简码 ok1 在文件第 2 行已出现过") for t in texts)
    assert "第 6 行“范围”列：当前角色无权导入共享常用语" in texts
    assert "第 7 行“范围”列：范围须为“共享”或“个人”" in texts
    assert _count() == before  # the good first row was not saved either


def test_an_xlsx_import_names_rows_and_columns_too(database, people, tmp_path) -> None:
    path = write_xlsx(tmp_path / "bad.xlsx", [["ok1", "好", "答复", "", "{今天} {bogus}"]])
    with pytest.raises(ValidationError) as raised:
        transfer.import_file(people["op1"], path)
    (problem,) = raised.value.problems
    assert problem.text.startswith("第 2 行“正文”列：未知的占位符 {bogus}")


def test_a_file_without_a_needed_column_or_of_another_kind_is_refused(
    database, people, tmp_path
) -> None:
    path = write_csv(tmp_path / "cols.csv", [["a", "b"]], head=["简码", "标题"])
    with pytest.raises(ValidationError) as raised:
        transfer.import_file(people["op1"], path)
    assert "文件缺少“适用”列" in raised.value.problems[0].text
    other = tmp_path / "texts.json"
    other.write_text("[]", encoding="utf-8")
    with pytest.raises(ValidationError):
        transfer.import_file(people["op1"], other)


def test_shared_rows_imported_by_a_shift_lead_are_audited_in_one_entry(
    database, people, tmp_path
) -> None:
    path = write_csv(
        tmp_path / "shared.csv",
        [
            ["gx1", "共享一", "答复", "共享", "您好 {enterprise}"],
            ["dfsl", "覆盖默认", "答复", "共享", "已受理 {案件编号}"],
            ["my1", "我的", "备注", "个人", "备注"],
        ],
    )
    result = transfer.import_file(people["lead"], path)
    assert (result.added, result.updated) == (2, 1)
    entry = AuditEntry.get(AuditEntry.action == "reply_text.import")
    assert json.loads(entry.detail) == {"count": 2, "codes": ["gx1", "dfsl"]}
    shared = {t.code: t for t in service.visible_texts(people["op1"]) if t.shared}
    assert shared["dfsl"].title == "覆盖默认"
    assert "my1" not in {t.code for t in service.visible_texts(people["op1"])}


def test_english_headings_and_labels_are_read(database, people, tmp_path) -> None:
    i18n.set_locale("en")
    try:
        head = [i18n._(label) for _key, label in transfer.COLUMNS]
        kinds = i18n._("回访")
    finally:
        i18n.set_locale("zh_CN")
    path = write_csv(
        tmp_path / "en.csv", [["cb1", "Callback", kinds, "private", "Hi {caller}"]], head
    )
    assert transfer.import_file(people["op1"], path).added == 1
    (text,) = [t for t in service.visible_texts(people["op1"]) if t.code == "cb1"]
    assert text.kinds == ("callback",)
