"""Writing, publishing and retiring articles, each change a new version with who, when, what.

Every write checks :attr:`Action.KNOWLEDGE_EDIT`, validates everything at once (a
:class:`ValidationError` naming each field), refuses to overwrite a newer version than the
editor saw (:class:`ConflictError`), writes a full copy of the article into its history,
re-indexes it and records an audit entry, in one transaction. Reading is open to every
signed-in person for published and retired articles (a case answered with a retired article
still shows it); drafts are the editors'.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from peewee import fn

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.errors import ConflictError, NotFound, PermissionDenied, Problems, ValidationError
from hotline.i18n import N_, _
from hotline.knowledge import markup
from hotline.knowledge.schema import (
    CaseKnowledge,
    KnowledgeArticle,
    KnowledgeFlag,
    KnowledgeVersion,
)
from hotline.knowledge.status import Status
from hotline.models import Department, tuples
from hotline.permissions import Action, Actor
from hotline.storable import MSG_CONTROL, has_control_characters, required_text, visible_text

TITLE_LIMIT = 100
QUESTION_LIMIT = 200
ANSWER_LIMIT = 20_000
CATEGORY_LIMIT = 30
SOURCE_NAME_LIMIT = 200
SOURCE_NUMBER_LIMIT = 100
NOTE_LIMIT = 500

# The categories an editor picks from (another may be typed).
CATEGORIES = (
    N_("企业开办"),
    N_("税费服务"),
    N_("社会保险"),
    N_("不动产登记"),
    N_("行政许可"),
    N_("水电气网"),
    N_("首错免罚"),
    N_("投诉办理"),
    N_("惠企政策"),
    N_("市场监管"),
)


# The fields of an article as the history names them.
FIELD_LABELS = {
    "title": N_("标题"),
    "questions": N_("问法"),
    "answer": N_("答案"),
    "category": N_("分类"),
    "department_id": N_("责任单位"),
    "source_name": N_("政策依据"),
    "source_number": N_("文号"),
    "effective_on": N_("生效日期"),
    "expires_on": N_("失效日期"),
    "review_on": N_("下次复核日期"),
    "status": N_("状态"),
}
CONTENT_FIELDS = tuple(k for k in FIELD_LABELS if k != "status")

MSG_TITLE = N_("请填写标题")
MSG_ANSWER = N_("请填写答案")
MSG_CATEGORY = N_("请填写分类")
MSG_QUESTION_LONG = N_("第 {line} 个问法不能超过 {limit} 个字符")
MSG_DATES = N_("失效日期不能早于生效日期")
MSG_DEPARTMENT = N_("没有这个责任单位")
MSG_LINK = N_("答案链接的知识 {id} 不存在")
MSG_NOT_FOUND = N_("知识 {id} 不存在")
MSG_CHANGED = N_("知识“{title}”已被 {who} 修改（现为第 {version} 版），请重新打开后再改")
MSG_STATE = N_("知识“{title}”当前为“{status}”，不能{action}")
MSG_REASON = N_("请填写停用原因")


@dataclass(frozen=True)
class ArticleInput:
    """What an editor writes (a form, an import row)."""

    title: str
    answer: str
    category: str
    questions: Sequence[str] = ()
    department_id: int | None = None
    source_name: str = ""
    source_number: str = ""
    effective_on: dt.date | None = None
    expires_on: dt.date | None = None
    review_on: dt.date | None = None


@dataclass(frozen=True)
class Article:
    """An article (or one of its versions) as the program shows it."""

    id: int
    version: int
    title: str
    questions: tuple[str, ...]
    answer: str
    category: str
    department_id: int | None
    department_name: str
    source_name: str
    source_number: str
    effective_on: dt.date | None
    expires_on: dt.date | None
    review_on: dt.date | None
    status: Status
    changed_at: dt.datetime
    changed_by_name: str
    latest_version: int  # the article's current version (== version unless an old one is shown)
    open_flags: int = 0

    @property
    def is_current(self) -> bool:
        return self.version == self.latest_version

    def attention(self, today: dt.date) -> list[str]:
        """Why an editor should look at it now (past review, expired, flagged), translated."""
        found: list[str] = []
        if self.status is Status.RETIRED:
            return found
        if self.expires_on is not None and self.expires_on < today:
            found.append(_("已失效（{date}）").format(date=self.expires_on.isoformat()))
        if self.review_on is not None and self.review_on <= today:
            found.append(_("已过复核日期（{date}）").format(date=self.review_on.isoformat()))
        if self.open_flags:
            found.append(_("被标记 {count} 次").format(count=self.open_flags))
        return found

    def as_input(self) -> ArticleInput:
        return ArticleInput(
            title=self.title,
            answer=self.answer,
            category=self.category,
            questions=self.questions,
            department_id=self.department_id,
            source_name=self.source_name,
            source_number=self.source_number,
            effective_on=self.effective_on,
            expires_on=self.expires_on,
            review_on=self.review_on,
        )

    @property
    def answer_text(self) -> str:
        """The answer as plain text, as a reply to the caller carries it."""
        return markup.plain(self.answer)


@dataclass(frozen=True)
class HistoryLine:
    version: int
    changed_at: dt.datetime
    changed_by_name: str
    status: Status
    changes: tuple[str, ...]  # the fields' labels, translated
    note: str = ""


@dataclass
class RetirementPreview:
    """What retiring the articles of a policy source touches (shown before it is done)."""

    source_number: str
    articles: list[tuple[int, str]] = field(default_factory=list)  # (id, title)
    linking: list[tuple[int, str, int]] = field(default_factory=list)  # (id, title, links to)
    cases: list[tuple[str, int, int]] = field(default_factory=list)  # (case_no, article, version)


def split_questions(text: str) -> tuple[str, ...]:
    """Question forms from a text field: one per line (or separated by "；"), empty dropped."""
    parts = [p.strip() for line in (text or "").splitlines() for p in line.split("；")]
    return tuple(dict.fromkeys(p for p in parts if p))


def validate(data: ArticleInput, *, check_links: bool = True) -> ArticleInput:
    """The input as stored, or every problem at once (``check_links``: that every article the
    answer links to exists; an import of new articles checks its links itself)."""
    problems = Problems()
    title = required_text(problems, "title", data.title, MSG_TITLE, TITLE_LIMIT)
    answer = required_text(problems, "answer", data.answer, MSG_ANSWER, ANSWER_LIMIT)
    category = required_text(problems, "category", data.category, MSG_CATEGORY, CATEGORY_LIMIT)
    questions: list[str] = []
    for number, question in enumerate(data.questions, 1):
        text = visible_text(question)
        if not text:
            continue
        if has_control_characters(text):
            problems.add("questions", MSG_CONTROL)
        elif len(text) > QUESTION_LIMIT:
            problems.add("questions", MSG_QUESTION_LONG, line=number, limit=QUESTION_LIMIT)
        questions.append(text)
    source_name = _optional(problems, "source_name", data.source_name, SOURCE_NAME_LIMIT)
    source_number = _optional(problems, "source_number", data.source_number, SOURCE_NUMBER_LIMIT)
    if data.effective_on and data.expires_on and data.expires_on < data.effective_on:
        problems.add("expires_on", MSG_DATES)
    if data.department_id is not None and not Department.get_or_none(
        Department.id == data.department_id
    ):
        problems.add("department_id", MSG_DEPARTMENT)
    for linked in markup.linked_articles(answer) if check_links else ():
        if not KnowledgeArticle.get_or_none(KnowledgeArticle.id == linked):
            problems.add("answer", MSG_LINK, id=linked)
    problems.raise_if_any()
    return replace(
        data,
        title=title,
        answer=answer,
        category=category,
        questions=tuple(dict.fromkeys(questions)),
        source_name=source_name,
        source_number=source_number,
    )


def _optional(problems: Problems, name: str, value: str, limit: int) -> str:
    text = visible_text(value)
    if has_control_characters(text):
        problems.add(name, MSG_CONTROL)
    else:
        problems.too_long(name, text, limit)
    return text


def _values(data: ArticleInput) -> dict[str, Any]:
    return {
        "title": data.title,
        "questions": "\n".join(data.questions),
        "answer": data.answer,
        "category": data.category,
        "department_id": data.department_id,
        "source_name": data.source_name,
        "source_number": data.source_number,
        "effective_on": data.effective_on,
        "expires_on": data.expires_on,
        "review_on": data.review_on,
    }


def _initials(title: str) -> str:
    from hotline.exemption.search import pinyin_of

    return pinyin_of(title).initials[:100]


def record_version(row: KnowledgeArticle, actor: Actor, changes: list[str], note: str) -> None:
    """The article as it now is, kept as its version ``row.version`` (its history)."""
    KnowledgeVersion.create(
        article=row.id,
        version=row.version,
        title=row.title,
        questions=row.questions,
        answer=row.answer,
        category=row.category,
        department_id=row.department_id,
        source_name=row.source_name,
        source_number=row.source_number,
        effective_on=row.effective_on,
        expires_on=row.expires_on,
        review_on=row.review_on,
        status=row.status,
        changed_at=row.updated_at,
        changed_by=actor.user_id,
        changed_by_name=actor.name[:40],
        change=json.dumps(changes),
        note=note,
    )


def _reindex(row: KnowledgeArticle) -> None:
    from hotline.knowledge import search

    search.index_article(row)


def create(actor: Actor, data: ArticleInput, *, publish: bool = False) -> Article:
    actor.require(Action.KNOWLEDGE_EDIT)
    with write_transaction():
        checked = validate(data)
        now = clock.now()
        row = KnowledgeArticle.create(
            **_values(checked),
            status=(Status.PUBLISHED if publish else Status.DRAFT).value,
            version=1,
            initials=_initials(checked.title),
            created_at=now,
            updated_at=now,
            updated_by_name=actor.name[:40],
        )
        record_version(row, actor, ["created"], "")
        _reindex(row)
        audit.record(
            actor,
            "knowledge.create",
            "knowledge",
            row.id,
            {"title": row.title, "status": row.status, "version": 1},
        )
    return get(actor, row.id)


def _load(article_id: int, expected_version: int | None) -> KnowledgeArticle:
    row = KnowledgeArticle.get_or_none(KnowledgeArticle.id == article_id)
    if row is None:
        raise NotFound(MSG_NOT_FOUND, id=article_id)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError(
            MSG_CHANGED, title=row.title, who=row.updated_by_name, version=row.version
        )
    return row


def _comparable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def _write(
    actor: Actor,
    row: KnowledgeArticle,
    values: dict[str, Any],
    action: str,
    note: str = "",
    extra: dict[str, Any] | None = None,
) -> list[str]:
    changed = [k for k, v in values.items() if _comparable(getattr(row, k)) != _comparable(v)]
    if not changed and not note:
        return []
    before = {k: _comparable(getattr(row, k)) for k in changed}
    for key in changed:
        setattr(row, key, values[key])
    row.version += 1
    row.updated_at = clock.now()
    row.updated_by_name = actor.name[:40]
    if "title" in changed:
        row.initials = _initials(row.title)
    row.save()
    record_version(row, actor, changed, note)
    _reindex(row)
    detail: dict[str, Any] = {
        "title": row.title,
        "version": row.version,
        "changed": changed,
        "before": {k: v for k, v in before.items() if k not in ("answer", "questions")},
    }
    if note:
        detail["note"] = note[:500]
    audit.record(actor, action, "knowledge", row.id, {**detail, **(extra or {})})
    return changed


def update(
    actor: Actor,
    article_id: int,
    data: ArticleInput,
    *,
    expected_version: int | None = None,
    note: str = "",
) -> Article:
    """Save an editor's changes as a new version (nothing when nothing changed)."""
    actor.require(Action.KNOWLEDGE_EDIT)
    with write_transaction():
        row = _load(article_id, expected_version)
        if row.status == Status.RETIRED:
            raise ValidationError.single(
                "status",
                MSG_STATE,
                title=row.title,
                status=Status.RETIRED.label,
                action=_("修改"),
            )
        checked = validate(data)
        if article_id in markup.linked_articles(checked.answer):
            raise ValidationError.single("answer", N_("答案不能链接到知识自身"))
        _write(actor, row, _values(checked), "knowledge.update", _note(note))
    return get(actor, article_id)


def _note(note: str) -> str:
    text = visible_text(note)
    problems = Problems()
    if has_control_characters(text):
        problems.add("note", MSG_CONTROL)
    else:
        problems.too_long("note", text, NOTE_LIMIT)
    problems.raise_if_any()
    return text


def publish(actor: Actor, article_id: int, *, expected_version: int | None = None) -> Article:
    actor.require(Action.KNOWLEDGE_EDIT)
    with write_transaction():
        row = _load(article_id, expected_version)
        if row.status != Status.DRAFT:
            raise ValidationError.single(
                "status",
                MSG_STATE,
                title=row.title,
                status=Status(row.status).label,
                action=_("发布"),
            )
        _write(actor, row, {"status": Status.PUBLISHED.value}, "knowledge.publish")
    return get(actor, article_id)


def retire(
    actor: Actor, article_id: int, reason: str, *, expected_version: int | None = None
) -> Article:
    """Retire an article: never suggested again, still readable from the cases that used it."""
    actor.require(Action.KNOWLEDGE_EDIT)
    text = _reason(reason)
    with write_transaction():
        row = _load(article_id, expected_version)
        _retire_row(actor, row, text)
    return get(actor, article_id)


def _reason(reason: str) -> str:
    problems = Problems()
    text = required_text(problems, "reason", reason, MSG_REASON, NOTE_LIMIT)
    problems.raise_if_any()
    return text


def _retire_row(actor: Actor, row: KnowledgeArticle, reason: str, **extra: Any) -> None:
    if row.status == Status.RETIRED:
        raise ValidationError.single(
            "status", MSG_STATE, title=row.title, status=Status.RETIRED.label, action=_("停用")
        )
    _write(actor, row, {"status": Status.RETIRED.value}, "knowledge.retire", reason, extra)


def retirement_preview(actor: Actor, source_number: str) -> RetirementPreview:
    """The articles citing a policy source (by its 文号), the articles linking to them and the
    cases answered with them: what an editor reads before retiring them together."""
    actor.require(Action.KNOWLEDGE_EDIT)
    number = visible_text(source_number)
    preview = RetirementPreview(number)
    if not number:
        return preview
    rows = list(
        tuples(
            KnowledgeArticle.select(KnowledgeArticle.id, KnowledgeArticle.title)
            .where(
                (KnowledgeArticle.source_number == number)
                & (KnowledgeArticle.status != Status.RETIRED.value)
            )
            .order_by(KnowledgeArticle.id)
        )
    )
    preview.articles = [(int(i), str(t)) for i, t in rows]
    ids = {i for i, _ in preview.articles}
    if not ids:
        return preview
    for other_id, title, answer in tuples(
        KnowledgeArticle.select(
            KnowledgeArticle.id, KnowledgeArticle.title, KnowledgeArticle.answer
        ).where(
            (KnowledgeArticle.status != Status.RETIRED.value)
            & (KnowledgeArticle.answer.contains("kb:"))
        )
    ):
        if other_id in ids:
            continue
        for linked in markup.linked_articles(answer):
            if linked in ids:
                preview.linking.append((int(other_id), str(title), linked))
    from hotline.models import Case

    preview.cases = [
        (str(no), int(a), int(v))
        for no, a, v in tuples(
            CaseKnowledge.select(Case.case_no, CaseKnowledge.article, CaseKnowledge.version)
            .join(Case)
            .where(CaseKnowledge.article.in_(sorted(ids)))
            .order_by(CaseKnowledge.id)
        )
    ]
    return preview


def retire_by_source(actor: Actor, source_number: str, reason: str) -> list[int]:
    """Retire every article citing a retired policy source, in one transaction."""
    actor.require(Action.KNOWLEDGE_EDIT)
    text = _reason(reason)
    number = visible_text(source_number)
    with write_transaction():
        rows = list(
            KnowledgeArticle.select().where(
                (KnowledgeArticle.source_number == number)
                & (KnowledgeArticle.status != Status.RETIRED.value)
            )
        )
        if not rows or not number:
            raise ValidationError.single(
                "source_number", N_("没有引用文号“{number}”的在用知识"), number=number
            )
        for row in rows:
            _retire_row(actor, row, text, source_number=number)
    return [row.id for row in rows]


def may_read(actor: Actor, status: Status) -> bool:
    return status is not Status.DRAFT or actor.can(Action.KNOWLEDGE_EDIT)


def _department_name(department_id: int | None) -> str:
    if department_id is None:
        return ""
    department = Department.get_or_none(Department.id == department_id)
    return department.name if department else ""


def _open_flags(article_id: int) -> int:
    return int(
        KnowledgeFlag.select()
        .where((KnowledgeFlag.article == article_id) & KnowledgeFlag.resolved_at.is_null())
        .count()
    )


def get(actor: Actor, article_id: int, version: int | None = None) -> Article:
    """The article as it is now, or as it was at ``version`` (a case's, the history's)."""
    row = KnowledgeArticle.get_or_none(KnowledgeArticle.id == article_id)
    if row is None:
        raise NotFound(MSG_NOT_FOUND, id=article_id)
    if version is None or version == row.version:
        source: Any = row
        shown = row.version
        changed_at, changed_by = row.updated_at, row.updated_by_name
    else:
        source = KnowledgeVersion.get_or_none(
            (KnowledgeVersion.article == article_id) & (KnowledgeVersion.version == version)
        )
        if source is None:
            raise NotFound(N_("知识 {id} 没有第 {version} 版"), id=article_id, version=version)
        shown = version
        changed_at, changed_by = source.changed_at, source.changed_by_name
    status = Status(source.status)
    if not may_read(actor, Status(row.status)) and not may_read(actor, status):
        raise PermissionDenied(N_("草稿只有知识库编辑可以查看"))
    return Article(
        id=row.id,
        version=shown,
        title=source.title,
        questions=split_questions(source.questions),
        answer=source.answer,
        category=source.category,
        department_id=source.department_id,
        department_name=_department_name(source.department_id),
        source_name=source.source_name,
        source_number=source.source_number,
        effective_on=source.effective_on,
        expires_on=source.expires_on,
        review_on=source.review_on,
        status=status,
        changed_at=changed_at,
        changed_by_name=changed_by,
        latest_version=row.version,
        open_flags=_open_flags(row.id),
    )


def listed(actor: Actor, statuses: Sequence[Status] = (), category: str = "") -> list[Article]:
    """Every current article (of ``statuses`` and ``category`` when given), by number, read
    in three queries whatever their count (an export or a list of thousands). Drafts only for
    editors."""
    query = KnowledgeArticle.select().order_by(KnowledgeArticle.id)
    wanted = [s for s in (statuses or tuple(Status)) if may_read(actor, s)]
    query = query.where(KnowledgeArticle.status.in_([s.value for s in wanted]))
    if category:
        query = query.where(KnowledgeArticle.category == category)
    departments = {
        int(i): str(n) for i, n in tuples(Department.select(Department.id, Department.name))
    }
    flags = dict(
        tuples(
            KnowledgeFlag.select(KnowledgeFlag.article, fn.COUNT(KnowledgeFlag.id))
            .where(KnowledgeFlag.resolved_at.is_null())
            .group_by(KnowledgeFlag.article)
        )
    )
    return [
        Article(
            id=row.id,
            version=row.version,
            title=row.title,
            questions=split_questions(row.questions),
            answer=row.answer,
            category=row.category,
            department_id=row.department_id,
            department_name=departments.get(row.department_id, "")
            if row.department_id is not None
            else "",
            source_name=row.source_name,
            source_number=row.source_number,
            effective_on=_date(row.effective_on),
            expires_on=_date(row.expires_on),
            review_on=_date(row.review_on),
            status=Status(row.status),
            changed_at=row.updated_at,
            changed_by_name=row.updated_by_name,
            latest_version=row.version,
            open_flags=int(flags.get(row.id, 0)),
        )
        for row in query
    ]


def _date(value: Any) -> dt.date | None:
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def changed_fields(row: KnowledgeArticle, data: ArticleInput) -> list[str]:
    """The fields of ``row`` that the validated ``data`` would change (none: the same)."""
    return [k for k, v in _values(data).items() if _comparable(getattr(row, k)) != _comparable(v)]


def history(actor: Actor, article_id: int) -> list[HistoryLine]:
    """Every version of an article, newest first: who, when, which fields changed."""
    get(actor, article_id)  # exists and may be read
    lines: list[HistoryLine] = []
    for row in (
        KnowledgeVersion.select()
        .where(KnowledgeVersion.article == article_id)
        .order_by(KnowledgeVersion.version.desc())
    ):
        keys = json.loads(row.change or "[]")
        labels = tuple(
            _("新建") if key == "created" else _(FIELD_LABELS.get(key, key)) for key in keys
        )
        lines.append(
            HistoryLine(
                row.version,
                row.changed_at,
                row.changed_by_name,
                Status(row.status),
                labels,
                row.note,
            )
        )
    return lines
