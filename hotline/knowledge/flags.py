"""Operators flag an article as wrong or outdated; the flags wait in the editors' queue.

A flag keeps the version the operator read and a note; an editor resolves it with what was
done (corrected, retired, nothing wrong). Both are audited.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.enums import LabelledEnum
from hotline.errors import NotFound, Problems, ValidationError
from hotline.i18n import N_
from hotline.knowledge.schema import KnowledgeArticle, KnowledgeFlag
from hotline.permissions import Action, Actor
from hotline.storable import required_text

NOTE_LIMIT = 500


class FlagReason(LabelledEnum):
    WRONG = "wrong"
    OUTDATED = "outdated"

    @classmethod
    def labels(cls) -> dict[str, str]:
        return _REASONS


_REASONS = {"wrong": N_("内容有误"), "outdated": N_("已过时")}


@dataclass(frozen=True)
class Flag:
    id: int
    article_id: int
    article_title: str
    version: int
    reason: FlagReason
    note: str
    flagged_at: dt.datetime
    flagged_by_name: str
    resolved_at: dt.datetime | None
    resolved_by_name: str
    resolution: str


def flag(actor: Actor, article_id: int, version: int, reason: FlagReason, note: str) -> Flag:
    """Report an article (at the version read) as wrong or outdated, with a note."""
    if not (actor.can(Action.CASE_REGISTER) or actor.can(Action.KNOWLEDGE_EDIT)):
        actor.require(Action.CASE_REGISTER)
    problems = Problems()
    text = required_text(problems, "note", note, N_("请说明哪里有误或过时"), NOTE_LIMIT)
    problems.raise_if_any()
    with write_transaction():
        article = KnowledgeArticle.get_or_none(KnowledgeArticle.id == article_id)
        if article is None:
            raise NotFound(N_("知识 {id} 不存在"), id=article_id)
        row = KnowledgeFlag.create(
            article=article_id,
            version=version,
            reason=FlagReason(reason).value,
            note=text,
            flagged_at=clock.now(),
            flagged_by=actor.user_id,
            flagged_by_name=actor.name[:40],
        )
        audit.record(
            actor,
            "knowledge.flag",
            "knowledge",
            article_id,
            {"title": article.title, "version": version, "reason": row.reason, "note": text},
        )
    return _flag(row, article.title)


def resolve(actor: Actor, flag_id: int, resolution: str) -> Flag:
    actor.require(Action.KNOWLEDGE_EDIT)
    problems = Problems()
    text = required_text(problems, "resolution", resolution, N_("请填写处理结果"), NOTE_LIMIT)
    problems.raise_if_any()
    with write_transaction():
        row = KnowledgeFlag.get_or_none(KnowledgeFlag.id == flag_id)
        if row is None:
            raise NotFound(N_("标记 {id} 不存在"), id=flag_id)
        if row.resolved_at is not None:
            raise ValidationError.single(
                "resolution", N_("该标记已由 {who} 处理"), who=row.resolved_by_name
            )
        row.resolved_at = clock.now()
        row.resolved_by_name = actor.name[:40]
        row.resolution = text
        row.save()
        title = KnowledgeArticle.get_by_id(row.article_id).title
        audit.record(
            actor,
            "knowledge.resolve_flag",
            "knowledge",
            row.article_id,
            {"title": title, "flag": row.id, "resolution": text},
        )
    return _flag(row, title)


def _flag(row: KnowledgeFlag, title: str) -> Flag:
    return Flag(
        id=row.id,
        article_id=row.article_id,
        article_title=title,
        version=row.version,
        reason=FlagReason(row.reason),
        note=row.note,
        flagged_at=row.flagged_at,
        flagged_by_name=row.flagged_by_name,
        resolved_at=row.resolved_at,
        resolved_by_name=row.resolved_by_name or "",
        resolution=row.resolution or "",
    )


def queue(actor: Actor, *, open_only: bool = True, limit: int = 500) -> list[Flag]:
    """The editors' queue: open flags (or all), oldest open first."""
    actor.require(Action.KNOWLEDGE_EDIT)
    query = KnowledgeFlag.select(KnowledgeFlag, KnowledgeArticle.id, KnowledgeArticle.title).join(
        KnowledgeArticle
    )
    if open_only:
        query = query.where(KnowledgeFlag.resolved_at.is_null())
    rows = query.order_by(KnowledgeFlag.id).limit(limit)
    return [_flag(row, row.article.title) for row in rows]
