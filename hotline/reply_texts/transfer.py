"""Reply texts to and from a spreadsheet (XLSX or CSV): one row per text.

The columns are 简码, 标题, 适用, 范围, 正文 (or their English headings, or the codes
``code``, ``title``, ``kinds``, ``scope``, ``body``); 适用 lists the fields a text is for
(答复、回访…), 范围 says 共享 or 个人 (empty: 个人). An import is all or nothing: every
problem of every row is reported with its line and column and nothing is saved unless the
whole file is right. A row whose code the same scope already has replaces that text (an
export edited and imported again updates the texts). Shared rows need ``reply_text.shared``;
they are audited in one entry naming their codes.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline import audit, clock, output_files
from hotline.db import write_transaction
from hotline.errors import Problem, ValidationError
from hotline.i18n import LOCALES, N_, _, translated
from hotline.permissions import Action, Actor
from hotline.reply_texts import service
from hotline.reply_texts.kinds import TextKind
from hotline.reply_texts.schema import ReplyText
from hotline.spreadsheet_text import csv_row, restore, xlsx_row
from hotline.transfer import sources

COLUMNS: tuple[tuple[str, str], ...] = (
    ("code", N_("简码")),
    ("title", N_("标题")),
    ("kinds", N_("适用")),
    ("scope", N_("范围")),
    ("body", N_("正文")),
)
LABELS = dict(COLUMNS)
MAX_ROWS = 5000
SCOPES = {"shared": service.SHARED_LABEL, "private": service.PRIVATE_LABEL}
_LIST_SEPARATORS = re.compile(r"[、，,;；/\s]+")

MSG_ROW = N_("第 {line} 行“{column}”列：{problem}")
MSG_FORMAT = N_("只能导入 .xlsx 或 .csv 文件")
MSG_NO_COLUMN = N_("文件缺少“{column}”列（第 1 行须为表头：简码、标题、适用、范围、正文）")
MSG_TOO_MANY = N_("文件有 {count} 行，一次最多导入 {limit} 条常用语")
MSG_EMPTY = N_("文件中没有常用语")
MSG_SCOPE = N_("范围须为“共享”或“个人”")
MSG_SHARED_DENIED = N_("当前角色无权导入共享常用语")
MSG_TWICE = N_("简码 {code} 在文件第 {first} 行已出现过（同一范围内简码不能重复）")


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int


def _heading_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    for key, label in COLUMNS:
        keys[key] = key
        for locale in LOCALES:
            keys[translated(label, locale).strip().casefold()] = key
    return keys


def _scope(value: str) -> str | None:
    text = value.strip().casefold()
    if not text:
        return "private"
    for code, label in SCOPES.items():
        if text == code or any(translated(label, loc).casefold() == text for loc in LOCALES):
            return code
    return None


@dataclass
class _Row:
    line: int
    cells: dict[str, str]  # by column key
    headings: dict[str, str]  # column key -> the file's heading


def _rows(path: Path) -> list[_Row]:
    fmt = sources.file_format(path)
    if fmt not in ("csv", "xlsx"):
        raise ValidationError.single("file", MSG_FORMAT)
    keys = _heading_keys()
    found: list[_Row] = []
    for row in sources.read_rows(path):
        if len(found) >= MAX_ROWS:
            raise ValidationError.single(
                "file", MSG_TOO_MANY, count=f"> {MAX_ROWS}", limit=MAX_ROWS
            )
        cells: dict[str, str] = {}
        headings: dict[str, str] = {}
        for heading, value in dict(row.raw).items():
            key = keys.get(str(heading or "").strip().casefold())
            if key is None or key in cells:
                continue
            text = "" if value is None else str(restore(value))
            cells[key] = text
            headings[key] = str(heading).strip()
        if not found:
            for key, label in COLUMNS:
                if key not in headings and key != "scope":
                    raise ValidationError.single("file", MSG_NO_COLUMN, column=_(label))
        found.append(_Row(row.line, cells, headings))
    if not found:
        raise ValidationError.single("file", MSG_EMPTY)
    return found


def import_file(actor: Actor, path: Path) -> ImportResult:
    """Add or replace the texts of ``path``; ValidationError (nothing saved) listing every
    problem with its line and column."""
    rows = _rows(Path(path))
    problems: list[Problem] = []

    def report(row: _Row, key: str, problem: str) -> None:
        column = row.headings.get(key) or _(LABELS.get(key, key))
        problems.append(
            Problem("file", MSG_ROW, {"line": row.line, "column": column, "problem": problem})
        )

    may_share = actor.can(Action.REPLY_TEXT_SHARED)
    first_line: dict[tuple[str, str], int] = {}
    with write_transaction():
        planned: list[tuple[ReplyText | None, dict[str, Any], bool]] = []
        for row in rows:
            refused = False  # the row's scope is wrong: its other cells are checked still
            scope = _scope(row.cells.get("scope", ""))
            if scope is None:
                report(row, "scope", _(MSG_SCOPE))
                scope, refused = "private", True
            shared = scope == "shared"
            if shared and not may_share:
                report(row, "scope", _(MSG_SHARED_DENIED))
                refused = True
            if not shared and actor.user_id is None:
                report(row, "scope", _(service.MSG_NO_USER))
                refused = True
            owner_id = None if shared else actor.user_id
            code = row.cells.get("code", "").strip().lower()
            existing = (
                ReplyText.get_or_none(
                    ReplyText.code == code,
                    ReplyText.owner.is_null() if shared else ReplyText.owner == owner_id,
                )
                if code
                else None
            )
            entered = service.TextInput(
                code=row.cells.get("code", ""),
                title=row.cells.get("title", ""),
                body=row.cells.get("body", ""),
                kinds=[k for k in _LIST_SEPARATORS.split(row.cells.get("kinds", "")) if k],
                shared=shared,
            )
            fields, row_problems = service.check_input(
                entered, own_id=existing.id if existing else None, owner_id=owner_id
            )
            for problem in row_problems:
                report(row, problem.field, problem.text)
            if code and (scope, code) in first_line:
                report(row, "code", _(MSG_TWICE).format(code=code, first=first_line[(scope, code)]))
            first_line.setdefault((scope, code), row.line)
            if not row_problems and not refused:
                planned.append((existing, {**fields, "owner": owner_id}, shared))
        if problems:
            raise ValidationError(problems)
        return _write(actor, planned)


def _write(
    actor: Actor, planned: list[tuple[ReplyText | None, dict[str, Any], bool]]
) -> ImportResult:
    now = clock.now()
    stamp = {"updated_at": now, "updated_by_name": actor.name[:40]}
    added = updated = 0
    shared_codes: list[str] = []
    for existing, fields, shared in planned:
        if existing is None:
            ReplyText.create(created_at=now, version=1, **fields, **stamp)
            added += 1
        else:
            ReplyText.update(version=ReplyText.version + 1, **fields, **stamp).where(
                ReplyText.id == existing.id
            ).execute()
            updated += 1
        if shared:
            shared_codes.append(fields["code"])
    if shared_codes:
        audit.record(
            actor,
            "reply_text.import",
            "reply_text",
            "",
            {"count": len(shared_codes), "codes": shared_codes},
        )
    return ImportResult(added, updated)


def _cells(text: service.TextInfo) -> list[str]:
    kinds = "、".join(TextKind(k).label for k in text.kinds)
    scope = _(service.SHARED_LABEL if text.shared else service.PRIVATE_LABEL)
    return [text.code, text.title, kinds, scope, text.body]


def export_file(actor: Actor, path: Path, *, shared: bool | None = None) -> int:
    """Write the texts ``actor`` sees (only the shared ones, or only their own, when
    ``shared`` says so) to ``path`` (.xlsx or .csv); returns how many."""
    texts = [t for t in service.visible_texts(actor) if shared is None or t.shared == shared]
    headings = [_(label) for _key, label in COLUMNS]
    fmt = sources.file_format(Path(path))
    if fmt == "csv":
        with output_files.replacing(path, encoding="utf-8-sig", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(headings)
            for text in texts:
                writer.writerow(csv_row(_cells(text)))
        return len(texts)
    if fmt != "xlsx":
        raise ValidationError.single("file", MSG_FORMAT)
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("常用语"))
    for letter, width in zip("ABCDE", (12, 28, 18, 8, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"
    header = xlsx_row(sheet, headings)
    for cell in header:
        cell.font = Font(bold=True)
    sheet.append(header)
    for text in texts:
        sheet.append(xlsx_row(sheet, _cells(text)))
    with output_files.replacing(path) as out:
        book.save(out)
    return len(texts)
