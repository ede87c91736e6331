"""Importing and exporting articles: XLSX or CSV (one row per article), a folder of Markdown
files (one file per article), and Word documents (import only).

As for cases, an import is all or nothing: every row (file, article) is read and checked
first, every problem is reported with where it is (the row and column, or the file and line)
and nothing is written unless there is none. A row with the number (编号) of an existing
article updates it (a new version), any other row creates one. Files are written only through
:mod:`hotline.output_files` (complete or not at all).

Columns, by their Chinese headings (English headings and the field names are read too):
编号, 标题, 问法 (one per line or separated by "；"), 答案, 分类, 责任单位 (name or code), 政策依据,
文号, 生效日期, 失效日期, 复核日期 (YYYY-MM-DD), 状态 (草稿, 已发布, 已停用).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hotline import audit, output_files
from hotline.db import write_transaction
from hotline.errors import HotlineError, Problem, ValidationError
from hotline.i18n import LOCALES, N_, _, translated
from hotline.knowledge import articles
from hotline.knowledge.articles import FIELD_LABELS, Article, ArticleInput
from hotline.knowledge.schema import KnowledgeArticle
from hotline.knowledge.status import Status
from hotline.models import Department, tuples
from hotline.permissions import Action, Actor
from hotline.spreadsheet_text import csv_row, restore, xlsx_row

COLUMNS = (
    "id",
    "title",
    "questions",
    "answer",
    "category",
    "department",
    "source_name",
    "source_number",
    "effective_on",
    "expires_on",
    "review_on",
    "status",
)
HEADINGS = {
    "id": N_("编号"),
    "title": FIELD_LABELS["title"],
    "questions": FIELD_LABELS["questions"],
    "answer": FIELD_LABELS["answer"],
    "category": FIELD_LABELS["category"],
    "department": FIELD_LABELS["department_id"],
    "source_name": FIELD_LABELS["source_name"],
    "source_number": FIELD_LABELS["source_number"],
    "effective_on": FIELD_LABELS["effective_on"],
    "expires_on": FIELD_LABELS["expires_on"],
    "review_on": FIELD_LABELS["review_on"],
    "status": FIELD_LABELS["status"],
}
DATES = ("effective_on", "expires_on", "review_on")
MSG_WHERE_ROW = N_("第 {row} 行，{column}：{message}")
MSG_WHERE_FILE = N_("{row}，{column}：{message}")
MSG_NO_TITLE_COLUMN = N_("找不到“标题”列：第一行应是列名（编号、标题、问法、答案、分类……）")
MSG_DATE = N_("日期“{text}”无效，应为 YYYY-MM-DD")
MSG_STATUS = N_("状态“{text}”无效，应为 草稿、已发布 或 已停用")
MSG_DEPARTMENT = N_("没有名为或代码为“{text}”的单位")
MSG_NO_ID = N_("没有编号为 {id} 的知识")
MSG_EMPTY = N_("文件 {path} 中没有知识")
MSG_FORMAT = N_("不支持的文件类型 {suffix}：请用 .xlsx、.csv、.docx 或 Markdown 文件夹")


@dataclass(frozen=True)
class ImportedRow:
    where: str  # "第 3 行" or a file name, as the messages name it
    article_id: int | None
    data: ArticleInput
    status: Status


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int


def _heading_keys() -> dict[str, str]:
    found: dict[str, str] = {}
    for key, message in HEADINGS.items():
        found[key] = key
        for locale in LOCALES:
            found[translated(message, locale).strip().casefold()] = key
    return found


def _column_name(key: str) -> str:
    message = HEADINGS[key]
    return _(message)


# Reading --------------------------------------------------------------------------------------


def _table_rows(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, {column key: cell}) of a CSV or XLSX file, the first row the headings."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises many kinds for a damaged file
            raise ValidationError.single(
                "file", N_("无法读取 Excel 文件：{reason}"), reason=str(exc)
            ) from exc
        try:
            sheet: Any = book.active
            rows = list(sheet.iter_rows(values_only=True)) if sheet is not None else []
        finally:
            book.close()
    else:
        from hotline.transfer.sources import text_encoding

        with path.open("r", encoding=text_encoding(path), newline="") as handle:
            rows = list(csv.reader(handle))
    if not rows:
        return
    keys = _heading_keys()
    header = [keys.get(str(cell or "").strip().casefold(), "") for cell in rows[0]]
    if "title" not in header:
        raise ValidationError.single("file", MSG_NO_TITLE_COLUMN)
    for number, cells in enumerate(rows[1:], start=2):
        if not any(cell not in (None, "") for cell in cells):
            continue
        yield number, {k: restore(cell) for k, cell in zip(header, cells, strict=False) if k}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


class _RowReader:
    """Turns cells into an article input, collecting each problem with where it is."""

    def __init__(self, where: str = MSG_WHERE_ROW) -> None:
        self.where = where  # how a problem's place is worded (a row, a file, an article)
        self.departments: dict[str, int] = {}
        for department_id, code, name in tuples(
            Department.select(Department.id, Department.code, Department.name)
        ):
            self.departments[str(name)] = int(department_id)
            self.departments[str(code).casefold()] = int(department_id)
        self.problems: list[Problem] = []

    def _add(self, where: str, key: str, message: str, **params: Any) -> None:
        text = _(message).format(**params)
        self.problems.append(
            Problem(key, self.where, {"row": where, "column": _column_name(key), "message": text})
        )

    def read(self, where: str, cells: dict[str, Any]) -> ImportedRow | None:
        before = len(self.problems)
        article_id: int | None = None
        number = _text(cells.get("id"))
        if number:
            if not number.isdigit() or not KnowledgeArticle.get_or_none(
                KnowledgeArticle.id == int(number)
            ):
                self._add(where, "id", MSG_NO_ID, id=number)
            else:
                article_id = int(number)
        days: dict[str, dt.date | None] = {}
        for key in DATES:
            text = _text(cells.get(key))
            try:
                days[key] = dt.date.fromisoformat(text[:10]) if text else None
            except ValueError:
                days[key] = None
                self._add(where, key, MSG_DATE, text=text)
        department_id: int | None = None
        department = _text(cells.get("department"))
        if department:
            found = self.departments.get(department) or self.departments.get(department.casefold())
            if found is None:
                self._add(where, "department", MSG_DEPARTMENT, text=department)
            department_id = found
        status_text = _text(cells.get("status"))
        status = Status.parse(status_text) if status_text else Status.PUBLISHED
        if status is None:
            self._add(where, "status", MSG_STATUS, text=status_text)
            status = Status.DRAFT
        data = ArticleInput(
            title=_text(cells.get("title")),
            answer=str(cells.get("answer") or "").strip(),
            category=_text(cells.get("category")),
            questions=articles.split_questions(str(cells.get("questions") or "")),
            department_id=department_id,
            source_name=_text(cells.get("source_name")),
            source_number=_text(cells.get("source_number")),
            effective_on=days["effective_on"],
            expires_on=days["expires_on"],
            review_on=days["review_on"],
        )
        try:
            data = articles.validate(data)
        except ValidationError as exc:
            for problem in exc.problems:
                key = "department" if problem.field == "department_id" else problem.field
                key = key if key in HEADINGS else "title"
                self._add(where, key, problem.message, **problem.params)
        if len(self.problems) > before:
            return None
        return ImportedRow(where, article_id, data, status)


def read_table(path: Path) -> list[ImportedRow]:
    reader = _RowReader()
    rows: list[ImportedRow] = []
    for number, cells in _table_rows(path):
        row = reader.read(str(number), cells)
        if row is not None:
            rows.append(row)
    if reader.problems:
        raise ValidationError(reader.problems)
    return rows


_FRONT = re.compile(r"^---\s*$")


def _markdown_cells(text: str) -> tuple[dict[str, Any], str]:
    """The header block's fields (``标题: …`` lines, ``问法:`` followed by ``- `` items) and the
    answer after it."""
    lines = text.replace("\r\n", "\n").split("\n")
    cells: dict[str, Any] = {}
    if not lines or not _FRONT.match(lines[0]):
        return cells, text
    keys = _heading_keys()
    current = ""
    questions: list[str] = []
    end = 0
    for index, line in enumerate(lines[1:], start=1):
        if _FRONT.match(line):
            end = index
            break
        if line.lstrip().startswith("- ") and current == "questions":
            questions.append(line.lstrip()[2:].strip())
            continue
        name, _sep, value = line.partition(":")
        if not _sep:
            name, _sep, value = line.partition("：")
        current = keys.get(name.strip().casefold(), "")
        if current:
            cells[current] = value.strip()
    if questions:
        cells["questions"] = "\n".join(questions)
    cells["answer"] = "\n".join(lines[end + 1 :]).strip()
    return cells, cells["answer"]


def read_markdown_folder(folder: Path) -> list[ImportedRow]:
    reader = _RowReader(MSG_WHERE_FILE)
    rows: list[ImportedRow] = []
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".md", ".markdown"))
    if not files:
        raise ValidationError.single("file", MSG_EMPTY, path=str(folder))
    for path in files:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise ValidationError.single(
                "file", N_("无法读取 {path}：{reason}"), path=str(path), reason=str(exc)
            ) from exc
        cells, _answer = _markdown_cells(text)
        row = reader.read(path.name, cells)
        if row is not None:
            rows.append(row)
    if reader.problems:
        raise ValidationError(reader.problems)
    return rows


def read_docx(path: Path, category: str) -> list[ImportedRow]:
    """A Word document of answers: each Heading 1 starts an article (its title); lines
    ``问法：…``, ``分类：…``, ``责任单位：…``, ``政策依据：…``, ``文号：…`` and the date lines set
    those fields; Heading 2 becomes a heading of the answer, list paragraphs its items, the
    rest its paragraphs. ``category`` is used where the document names none."""
    import docx

    try:
        document = docx.Document(str(path))
    except Exception as exc:  # python-docx raises many kinds for a damaged file
        raise ValidationError.single(
            "file", N_("无法读取 Word 文件：{reason}"), reason=str(exc)
        ) from exc
    keys = _heading_keys()
    found: list[tuple[str, dict[str, Any], list[str]]] = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        style = (paragraph.style.name if paragraph.style is not None else "") or ""
        if style.startswith("Heading 1") or style == "Title":
            found.append((text, {"title": text}, []))
            continue
        if not found or not text:
            if found and not text:
                found[-1][2].append("")
            continue
        _title, cells, answer = found[-1]
        name, sep, value = text.partition("：")
        key = keys.get(name.strip().casefold(), "") if sep else ""
        if key and key not in ("title", "answer"):
            cells[key] = value.strip()
        elif style.startswith("Heading"):
            answer.append(f"## {text}")
        elif "List Number" in style:
            answer.append(f"1. {text}")
        elif "List" in style:
            answer.append(f"- {text}")
        else:
            answer.append(text)
    if not found:
        raise ValidationError.single("file", MSG_EMPTY, path=str(path))
    reader = _RowReader(MSG_WHERE_FILE)
    rows: list[ImportedRow] = []
    for title, cells, answer in found:
        cells.setdefault("category", category)
        cells["answer"] = "\n".join(answer).strip()
        row = reader.read(f"“{title}”", cells)
        if row is not None:
            rows.append(row)
    if reader.problems:
        raise ValidationError(reader.problems)
    return rows


def read_source(path: Path, category: str = "") -> list[ImportedRow]:
    if path.is_dir():
        return read_markdown_folder(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm", ".csv", ".txt"):
        return read_table(path)
    if suffix == ".docx":
        return read_docx(path, category)
    raise HotlineError(MSG_FORMAT, suffix=suffix or "?")


# Writing the database -------------------------------------------------------------------------


def import_articles(actor: Actor, path: Path, *, category: str = "") -> ImportResult:
    """Import every article of ``path`` (a file or a Markdown folder), all or nothing."""
    actor.require(Action.KNOWLEDGE_EDIT)
    rows = read_source(Path(path), category)
    if not rows:
        raise ValidationError.single("file", MSG_EMPTY, path=str(path))
    created = updated = 0
    with write_transaction():
        for row in rows:
            if row.article_id is None:
                article = articles.create(actor, row.data, publish=row.status is Status.PUBLISHED)
                created += 1
            else:
                article = articles.update(actor, row.article_id, row.data, note=_("导入"))
                updated += 1
            if row.status is Status.RETIRED and article.status is not Status.RETIRED:
                articles.retire(actor, article.id, _("导入时为停用"))
            elif row.status is Status.PUBLISHED and article.status is Status.DRAFT:
                articles.publish(actor, article.id)
        audit.record(
            actor,
            "knowledge.import",
            "knowledge",
            "",
            {"count": created + updated, "created": created, "updated": updated, "file": str(path)},
        )
    return ImportResult(created, updated)


# Exporting ------------------------------------------------------------------------------------


def _all(actor: Actor) -> list[Article]:
    ids = [
        int(i)
        for (i,) in tuples(
            KnowledgeArticle.select(KnowledgeArticle.id).order_by(KnowledgeArticle.id)
        )
    ]
    return [articles.get(actor, article_id) for article_id in ids]


def _cells(article: Article) -> list[str]:
    return [
        str(article.id),
        article.title,
        "\n".join(article.questions),
        article.answer,
        article.category,
        article.department_name,
        article.source_name,
        article.source_number,
        *(getattr(article, key).isoformat() if getattr(article, key) else "" for key in DATES),
        article.status.label,
    ]


def export_articles(actor: Actor, target: Path) -> int:
    """Every article (drafts and retired included) to ``target``: .xlsx, .csv, or a folder
    (one Markdown file each). Returns how many."""
    actor.require(Action.KNOWLEDGE_EDIT)
    rows = _all(actor)
    target = Path(target)
    if target.is_dir() or target.suffix == "":
        _export_folder(rows, target)
    elif target.suffix.lower() == ".xlsx":
        _export_xlsx(rows, target)
    elif target.suffix.lower() == ".csv":
        with output_files.replacing(target, encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([_column_name(k) for k in COLUMNS])
            writer.writerows(csv_row(_cells(article)) for article in rows)
    else:
        raise HotlineError(MSG_FORMAT, suffix=target.suffix)
    with write_transaction():
        audit.record(
            actor, "knowledge.export", "knowledge", "", {"count": len(rows), "file": str(target)}
        )
    return len(rows)


def _export_xlsx(rows: Sequence[Article], target: Path) -> None:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("知识库"))
    sheet.append([_column_name(k) for k in COLUMNS])
    for article in rows:
        sheet.append(xlsx_row(sheet, _cells(article)))
    with output_files.replacing(target) as handle:
        book.save(handle)


def markdown(article: Article) -> str:
    """An article as a Markdown file with its fields in a header block."""
    lines = ["---"]
    for key, value in zip(COLUMNS, _cells(article), strict=True):
        if key in ("answer", "questions"):
            continue
        lines.append(f"{_column_name(key)}: {value}")
    lines.append(f"{_column_name('questions')}:")
    lines.extend(f"- {question}" for question in article.questions)
    lines.append("---")
    lines.append(article.answer)
    return "\n".join(lines) + "\n"


def _export_folder(rows: Sequence[Article], folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for article in rows:
        name = re.sub(r'[\\/:*?"<>|\s]+', "_", article.title)[:40]
        with output_files.replacing(
            folder / f"{article.id:05d}-{name}.md", encoding="utf-8"
        ) as handle:
            handle.write(markdown(article))
