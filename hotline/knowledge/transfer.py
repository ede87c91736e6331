"""Importing and exporting articles: XLSX or CSV (one row per article), a folder of Markdown
files (one file per article), and Word documents (import only).

As for cases, an import is all or nothing: every row (file, article) is read and checked
first, every problem is reported with where it is (the row and column, or the file and line)
and nothing is written unless there is none (``dry_run`` only checks). A row with the number
(编号) of an existing article updates it (a new version, only when something differs: an export
imported back changes nothing), any other row creates one; ``as_new`` creates every row (an
export of another database). A retired article stays as it is: a row that would change it or
bring it back is a problem. Files are written only through :mod:`hotline.output_files`
(complete or not at all); a folder export replaces an earlier export in that folder and
refuses a folder holding other Markdown files.

Columns, by their Chinese headings (English headings and the field names are read too):
编号, 标题, 问法 (one per line or separated by "；"), 答案, 分类, 责任单位 (name or code), 政策依据,
文号, 生效日期, 失效日期, 复核日期 (YYYY-MM-DD), 状态 (草稿, 已发布, 已停用).
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from hotline import audit, file_errors, output_files
from hotline.db import write_transaction
from hotline.errors import HotlineError, Problem, ValidationError
from hotline.i18n import LOCALES, N_, _, translated
from hotline.knowledge import articles, markup
from hotline.knowledge.articles import FIELD_LABELS, Article, ArticleInput
from hotline.knowledge.schema import KnowledgeArticle
from hotline.knowledge.status import Status
from hotline.models import Department, tuples
from hotline.permissions import Action, Actor
from hotline.private_files import private_folder
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
MSG_MISSING = N_("文件或文件夹 {path} 不存在")
MSG_NOT_A_FILE = N_("{path} 不是普通文件或文件夹")
MSG_CANNOT_READ = N_("无法读取 {path}：{reason}")
MSG_NO_READ_RIGHT = N_("没有读取权限")
MSG_CSV = N_("CSV 文件第 {line} 行无法读取：{reason}")
MSG_CELL_TOO_BIG = N_("单元格超过 {limit} 个字符，文件可能已损坏")
MSG_TWICE = N_("编号 {id} 已出现在{first}")
MSG_ROW = N_("第 {row} 行")
MSG_SAME_TITLE = N_("已有标题相同的知识（编号 {id}）：要更新它，请在“编号”列填写 {id}")
MSG_SAME_TITLE_IN_FILE = N_("标题与{first}相同")
MSG_LINK_OUTSIDE = N_(
    "答案链接的知识 {id} 不在文件中（作为新知识导入时，链接须指向文件中某一行的编号）"
)
MSG_LINK_CIRCLE = N_(
    "答案与文件中其他知识互相链接（编号 {ids}），无法作为新知识导入：请先去掉其中一处链接"
)
MSG_RETIRED = N_("知识 {id} 已停用，不能修改或重新启用")
MSG_UNPUBLISH = N_("知识 {id} 已发布，不能改回草稿")
MSG_FOLDER_TAKEN = N_(
    "文件夹 {path} 中已有不是知识导出的 Markdown 文件（如 {name}），未导出：请选择空文件夹"
)
MSG_FILE_NOT_FOLDER = N_("{path} 是一个文件，Markdown 导出须是文件夹")
MSG_NO_FOLDER = N_("无法写入 {path}：文件夹 {folder} 不存在")
FORMATS = ("xlsx", "csv", "md")
# The files of a folder export: the article's number, a dash, its title.
_EXPORTED_NAME = re.compile(r"^\d{5,}-[^/\\]*\.md$")


@dataclass(frozen=True)
class ImportedRow:
    where: str  # "第 3 行" or a file name, as the messages name it
    article_id: int | None
    data: ArticleInput
    status: Status
    changes: tuple[str, ...] = ()  # of an existing article: the fields the row changes
    current: Status | None = None  # of an existing article: its status now
    file_number: int | None = None  # as_new: the number the file gives it (answers link to it)

    @property
    def is_change(self) -> bool:
        return self.article_id is None or bool(self.changes) or self.status is not self.current


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    unchanged: int = 0  # rows the same as their article (an export imported back)
    dry_run: bool = False  # then the counts are what an import would do; nothing was written

    @property
    def read(self) -> int:
        return self.created + self.updated + self.unchanged


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
        except OSError:
            raise
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
            reader = csv.reader(handle)
            try:
                rows = list(reader)
            except csv.Error as exc:  # a cell past the csv module's limit: a broken file
                reason = (
                    _(MSG_CELL_TOO_BIG).format(limit=csv.field_size_limit())
                    if "field larger" in str(exc)
                    else str(exc)
                )
                raise ValidationError.single(
                    "file", MSG_CSV, line=reader.line_num, reason=reason
                ) from exc
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


def _column_key(field: str) -> str:
    """The column a problem with an article's field is shown in."""
    key = "department" if field == "department_id" else field
    return key if key in HEADINGS else "title"


class _RowReader:
    """Turns cells into an article input, collecting each problem with where it is."""

    def __init__(self, where: str = MSG_WHERE_ROW, *, as_new: bool = False) -> None:
        self.where = where  # how a problem's place is worded (a row, a file, an article)
        self.as_new = as_new  # every row a new article, the numbers ignored
        self.seen: dict[int, str] = {}  # article number -> where it was, in words
        self.titles: dict[str, int] = {  # so that importing a file twice never doubles it
            str(title).casefold(): int(i)
            for i, title in tuples(
                KnowledgeArticle.select(KnowledgeArticle.id, KnowledgeArticle.title)
            )
        }
        self.file_titles: dict[str, str] = {}  # title -> where it was, in words
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

    def _place(self, where: str) -> str:
        return _(MSG_ROW).format(row=where) if self.where == MSG_WHERE_ROW else where

    def finish(self, rows: list[ImportedRow]) -> list[ImportedRow]:
        """The rows in the order to write them, or every problem found in all of them.

        New articles (``as_new``) link to each other by the file's numbers: each link must
        name a row of the file, and a linked article is written before the one linking to
        it (links in a circle cannot be written so, and are a problem)."""
        if self.as_new:
            rows = self._linked_order(rows)
        if self.problems:
            raise ValidationError(self.problems)
        return rows

    def _linked_order(self, rows: list[ImportedRow]) -> list[ImportedRow]:
        by_number = {r.file_number: r for r in rows if r.file_number is not None}
        links: dict[str, list[int]] = {}
        for row in rows:
            links[row.where] = markup.linked_articles(row.data.answer)
            for target in links[row.where]:
                if target not in self.seen:
                    self._add(row.where, "answer", MSG_LINK_OUTSIDE, id=target)
        ordered: list[ImportedRow] = []
        done: set[str] = set()
        waiting = list(rows)
        while waiting:
            ready = [
                r
                for r in waiting
                if all(
                    t not in by_number or by_number[t].where in done or by_number[t] is r
                    for t in links[r.where]
                )
            ]
            if not ready:
                for row in waiting:
                    numbers = "、".join(str(t) for t in links[row.where] if t in by_number)
                    self._add(row.where, "answer", MSG_LINK_CIRCLE, ids=numbers)
                break
            ordered.extend(ready)
            done.update(r.where for r in ready)
            waiting = [r for r in waiting if r.where not in done]
        return ordered

    def read(self, where: str, cells: dict[str, Any]) -> ImportedRow | None:
        before = len(self.problems)
        article_id: int | None = None
        existing: KnowledgeArticle | None = None
        number = _text(cells.get("id"))
        file_number: int | None = None
        if self.as_new:
            if number.isdigit():
                file_number = int(number)
                if file_number in self.seen:
                    self._add(where, "id", MSG_TWICE, id=number, first=self.seen[file_number])
                self.seen.setdefault(file_number, self._place(where))
            number = ""
        if number:
            if number.isdigit():
                existing = KnowledgeArticle.get_or_none(KnowledgeArticle.id == int(number))
            if existing is None:
                self._add(where, "id", MSG_NO_ID, id=number)
            elif existing.id in self.seen:
                self._add(where, "id", MSG_TWICE, id=number, first=self.seen[existing.id])
            else:
                article_id = existing.id
                self.seen[existing.id] = self._place(where)
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
            # a new article's links name the file's numbers: checked in finish()
            data = articles.validate(data, check_links=not self.as_new)
        except ValidationError as exc:
            for problem in exc.problems:
                self._add(where, _column_key(problem.field), problem.message, **problem.params)
        if data.title:
            key = data.title.casefold()
            other = self.titles.get(key)
            if other is not None and other != article_id:
                self._add(where, "title", MSG_SAME_TITLE, id=other)
            elif key in self.file_titles:
                self._add(where, "title", MSG_SAME_TITLE_IN_FILE, first=self.file_titles[key])
            self.file_titles.setdefault(key, self._place(where))
        if len(self.problems) > before:
            return None
        if existing is None:
            return ImportedRow(where, article_id, data, status, file_number=file_number)
        changes = tuple(articles.changed_fields(existing, data))
        current = Status(existing.status)
        if current is Status.RETIRED and (changes or status is not Status.RETIRED):
            self._add(
                where, _column_key(changes[0] if changes else "status"), MSG_RETIRED, id=number
            )
            return None
        if current is Status.PUBLISHED and status is Status.DRAFT:
            self._add(where, "status", MSG_UNPUBLISH, id=number)
            return None
        return ImportedRow(where, article_id, data, status, changes, current)


def read_table(path: Path, *, as_new: bool = False) -> list[ImportedRow]:
    reader = _RowReader(as_new=as_new)
    rows: list[ImportedRow] = []
    for number, cells in _table_rows(path):
        row = reader.read(str(number), cells)
        if row is not None:
            rows.append(row)
    return reader.finish(rows)


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


def read_markdown_folder(folder: Path, *, as_new: bool = False) -> list[ImportedRow]:
    reader = _RowReader(MSG_WHERE_FILE, as_new=as_new)
    rows: list[ImportedRow] = []
    files = sorted(
        p
        for p in folder.iterdir()
        if p.suffix.lower() in (".md", ".markdown") and not p.name.startswith(".")
    )
    if not files:
        raise ValidationError.single("file", MSG_EMPTY, path=str(folder))
    for path in files:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise HotlineError(MSG_CANNOT_READ, path=str(path), reason=_read_reason(exc)) from exc
        except UnicodeDecodeError as exc:
            raise ValidationError.single(
                "file", N_("文件 {path} 不是 UTF-8 文本"), path=str(path)
            ) from exc
        cells, _answer = _markdown_cells(text)
        row = reader.read(path.name, cells)
        if row is not None:
            rows.append(row)
    return reader.finish(rows)


def read_docx(path: Path, category: str, *, as_new: bool = False) -> list[ImportedRow]:
    """A Word document of answers: each Heading 1 starts an article (its title); lines
    ``问法：…``, ``分类：…``, ``责任单位：…``, ``政策依据：…``, ``文号：…`` and the date lines set
    those fields; Heading 2 becomes a heading of the answer, list paragraphs its items, the
    rest its paragraphs. ``category`` is used where the document names none."""
    import docx

    try:
        document = docx.Document(str(path))
    except OSError:
        raise
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
    reader = _RowReader(MSG_WHERE_FILE, as_new=as_new)
    rows: list[ImportedRow] = []
    for title, cells, answer in found:
        cells.setdefault("category", category)
        cells["answer"] = "\n".join(answer).strip()
        row = reader.read(f"“{title}”", cells)
        if row is not None:
            rows.append(row)
    return reader.finish(rows)


def _read_reason(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM):
        return _(MSG_NO_READ_RIGHT)
    return file_errors.reason(exc)


def read_source(path: Path, category: str = "", *, as_new: bool = False) -> list[ImportedRow]:
    """Every article of ``path`` (a file or a Markdown folder), checked; every problem at once
    (:class:`ValidationError`), or :class:`HotlineError` for a path that cannot be read."""
    path = Path(path)
    try:
        if not path.exists():
            raise HotlineError(MSG_MISSING, path=str(path))
        if path.is_dir():
            return read_markdown_folder(path, as_new=as_new)
        if not path.is_file():  # a device, a pipe, a socket
            raise HotlineError(MSG_NOT_A_FILE, path=str(path))
        suffix = path.suffix.lower()
        if suffix in (".xlsx", ".xlsm", ".csv", ".txt"):
            return read_table(path, as_new=as_new)
        if suffix == ".docx":
            return read_docx(path, category, as_new=as_new)
    except OSError as exc:
        raise HotlineError(
            MSG_CANNOT_READ, path=exc.filename or str(path), reason=_read_reason(exc)
        ) from exc
    raise HotlineError(MSG_FORMAT, suffix=suffix or "?")


# Writing the database -------------------------------------------------------------------------


def import_articles(
    actor: Actor,
    path: Path,
    *,
    category: str = "",
    dry_run: bool = False,
    as_new: bool = False,
) -> ImportResult:
    """Import every article of ``path`` (a file or a Markdown folder), all or nothing.

    ``dry_run``: read and check everything, write nothing, and say what an import would do.
    ``as_new``: every row a new article (the numbers of another database ignored)."""
    actor.require(Action.KNOWLEDGE_EDIT)
    rows = read_source(Path(path), category, as_new=as_new)
    if not rows:
        raise ValidationError.single("file", MSG_EMPTY, path=str(path))
    created = sum(1 for row in rows if row.article_id is None)
    updated = sum(1 for row in rows if row.article_id is not None and row.is_change)
    result = ImportResult(created, updated, len(rows) - created - updated, dry_run)
    if dry_run:
        return result
    numbers: dict[int, int] = {}  # as_new: the file's number -> the new article's
    with write_transaction():
        for row in rows:
            if not row.is_change:
                continue
            if row.article_id is None:
                data = row.data
                if as_new:
                    data = replace(data, answer=markup.relink(data.answer, numbers))
                article = articles.create(actor, data, publish=row.status is Status.PUBLISHED)
                if row.file_number is not None:
                    numbers[row.file_number] = article.id
            elif row.changes:
                article = articles.update(actor, row.article_id, row.data, note=_("导入"))
            else:
                article = articles.get(actor, row.article_id)
            if row.status is Status.RETIRED and article.status is not Status.RETIRED:
                articles.retire(actor, article.id, _("导入时为停用"))
            elif row.status is Status.PUBLISHED and article.status is Status.DRAFT:
                articles.publish(actor, article.id)
        audit.record(
            actor,
            "knowledge.import",
            "knowledge",
            "",
            {
                "count": created + updated,
                "created": created,
                "updated": updated,
                "unchanged": result.unchanged,
                "file": str(path),
            },
        )
    return result


# Exporting ------------------------------------------------------------------------------------


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


def format_of(target: Path) -> str:
    """The export format a target names: ``xlsx``, ``csv``, or ``md`` (a folder)."""
    suffix = Path(target).suffix.lower()
    if suffix in (".xlsx", ".csv"):
        return suffix[1:]
    if Path(target).is_dir() or suffix == "":
        return "md"
    raise HotlineError(MSG_FORMAT, suffix=suffix)


def export_articles(
    actor: Actor,
    target: Path,
    *,
    fmt: str | None = None,
    statuses: Sequence[Status] = (),
    category: str = "",
) -> int:
    """The articles (all, drafts and retired included, or those of ``statuses`` and
    ``category``) to ``target``: an .xlsx or .csv file, or a folder of Markdown files (one
    each); ``fmt`` (``xlsx``, ``csv``, ``md``) else by the target's name. Returns how many."""
    actor.require(Action.KNOWLEDGE_EDIT)
    target = Path(target)
    fmt = fmt or format_of(target)
    if fmt not in FORMATS:
        raise HotlineError(MSG_FORMAT, suffix=fmt)
    rows = articles.listed(actor, statuses, category)
    if fmt == "md":
        _export_folder(rows, target)
    elif fmt == "xlsx":
        _export_xlsx(rows, target)
    else:
        with output_files.replacing(target, encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([_column_name(k) for k in COLUMNS])
            writer.writerows(csv_row(_cells(article)) for article in rows)
    detail: dict[str, Any] = {"count": len(rows), "file": str(target), "format": fmt}
    if statuses:
        detail["statuses"] = [s.value for s in statuses]
    if category:
        detail["category"] = category
    with write_transaction():
        audit.record(actor, "knowledge.export", "knowledge", "", detail)
    return len(rows)


def _export_xlsx(rows: Sequence[Article], target: Path) -> None:
    from openpyxl import Workbook

    with output_files.replacing(target) as handle:  # a refused target before any work
        book = Workbook(write_only=True)
        sheet = book.create_sheet(_("知识库"))
        sheet.append([_column_name(k) for k in COLUMNS])
        for article in rows:
            sheet.append(xlsx_row(sheet, _cells(article)))
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


def _file_name(article: Article) -> str:
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", article.title)[:40]
    return f"{article.id:05d}-{name}.md"


def _export_folder(rows: Sequence[Article], folder: Path) -> None:
    """One Markdown file per article in ``folder`` (made when missing). An earlier export
    there is replaced: its files not written again (a renamed article, one left out by the
    filters) are removed, so that importing the folder gives exactly this export. A folder
    holding any other Markdown file is refused before anything is written."""
    folder = folder.expanduser()
    if folder.exists() and not folder.is_dir():
        raise HotlineError(MSG_FILE_NOT_FOLDER, path=str(folder))
    if not folder.exists():
        if not folder.parent.is_dir():
            raise HotlineError(MSG_NO_FOLDER, path=str(folder), folder=str(folder.parent))
        private_folder(folder)
    earlier: list[Path] = []
    for entry in sorted(folder.iterdir()):
        if entry.suffix.lower() not in (".md", ".markdown") or entry.name.startswith("."):
            continue
        if not _EXPORTED_NAME.match(entry.name) or not entry.is_file():
            raise HotlineError(MSG_FOLDER_TAKEN, path=str(folder), name=entry.name)
        earlier.append(entry)
    written = set()
    for article in rows:
        name = _file_name(article)
        with output_files.replacing(folder / name, encoding="utf-8") as handle:
            handle.write(markdown(article))
        written.add(name)
    for entry in earlier:
        if entry.name not in written:
            try:
                entry.unlink()
            except OSError as exc:
                raise HotlineError(
                    output_files.CANNOT_WRITE, path=str(entry), reason=file_errors.reason(exc)
                ) from exc
