"""Answering a case on the spot with an article, and which article versions cases used.

:func:`answer_with_article` closes a consultation as answered on the spot (through
:func:`hotline.workflow.answer_on_spot`: its permission, state and audit entry) with the
article's answer as the reply, and keeps the article and its version with the case in the
same transaction: the case shows that version for ever, whatever becomes of the article.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from hotline import audit, clock, workflow
from hotline.db import write_transaction
from hotline.errors import ConflictError, ValidationError
from hotline.i18n import N_
from hotline.knowledge import articles
from hotline.knowledge.articles import Article
from hotline.knowledge.schema import CaseKnowledge, KnowledgeArticle
from hotline.knowledge.status import Status
from hotline.models import Case
from hotline.permissions import Action, Actor

if TYPE_CHECKING:
    from hotline.attachments.service import NewFile
    from hotline.case_calls import CallRecord
    from hotline.intake import CaseDraft


@dataclass(frozen=True)
class CaseUse:
    """An article a case was answered with, at the version it was answered with."""

    article_id: int
    version: int
    title: str
    used_at: dt.datetime
    used_by_name: str
    current_version: int
    current_status: Status


def answer_with_article(
    actor: Actor,
    case_id: int,
    article_id: int,
    article_version: int,
    *,
    expected_version: int | None = None,
    answer: str | None = None,
) -> Case:
    """Close ``case_id`` as answered on the spot with the article at ``article_version`` (the
    one the operator read; a newer one is refused so the caller is never told unread text).
    ``answer`` is the reply as the operator edited it (default: the article's answer)."""
    actor.require(Action.CASE_ANSWER_ON_SPOT)
    with write_transaction():
        row = KnowledgeArticle.get_or_none(KnowledgeArticle.id == article_id)
        article = articles.get(actor, article_id)
        if row is None or article.status is not Status.PUBLISHED:
            raise ValidationError.single(
                "article", N_("知识“{title}”未发布，不能用来答复"), title=article.title
            )
        if article.version != article_version:
            raise ConflictError(
                N_("知识“{title}”刚被修改（现为第 {version} 版），请看过新版本再答复"),
                title=article.title,
                version=article.version,
            )
        reply = answer if answer is not None else article.answer_text
        case = workflow.answer_on_spot(
            actor,
            case_id,
            reply,
            expected_version=expected_version,
            data={
                "article_id": article.id,
                "article_version": article.version,
                "article_title": article.title,
            },
        )
        CaseKnowledge.create(
            case=case.id,
            article=article.id,
            version=article.version,
            used_at=clock.now(),
            used_by_name=actor.name[:40],
        )
        audit.record(
            actor,
            "knowledge.use",
            "case",
            case.case_no,
            {"article": article.id, "version": article.version, "title": article.title},
        )
    return case


def case_uses(case_id: int) -> list[CaseUse]:
    """The articles a case was answered with, oldest first, each at its version then."""
    from hotline.knowledge.schema import KnowledgeVersion

    uses: list[CaseUse] = []
    query = (
        CaseKnowledge.select(CaseKnowledge, KnowledgeArticle, KnowledgeVersion)
        .join(KnowledgeArticle)
        .switch(CaseKnowledge)
        .join(
            KnowledgeVersion,
            on=(
                (KnowledgeVersion.article == CaseKnowledge.article)
                & (KnowledgeVersion.version == CaseKnowledge.version)
            ),
        )
        .where(CaseKnowledge.case == case_id)
        .order_by(CaseKnowledge.id)
    )
    for use in query:
        uses.append(
            CaseUse(
                article_id=use.article_id,
                version=use.version,
                title=use.knowledgeversion.title,  # type: ignore[attr-defined]
                used_at=use.used_at,
                used_by_name=use.used_by_name,
                current_version=use.article.version,
                current_status=Status(use.article.status),
            )
        )
    return uses


def case_article(actor: Actor, case_id: int, article_id: int) -> Article:
    """The article a case used, at the version it used (readable even when retired)."""
    use = (
        CaseKnowledge.select()
        .where((CaseKnowledge.case == case_id) & (CaseKnowledge.article == article_id))
        .order_by(CaseKnowledge.id.desc())
        .first()
    )
    if use is None:
        return articles.get(actor, article_id)
    return articles.get(actor, article_id, use.version)


def register_and_answer(
    actor: Actor,
    draft: CaseDraft,
    article_id: int,
    article_version: int,
    files: Sequence[NewFile] = (),
    *,
    call: CallRecord | None = None,
) -> Case:
    """Register the call being typed and answer it on the spot with the article, all or
    nothing (the intake window's "answer with this article"); ``call``: the telephone call
    it came from (hotline.cases.register)."""
    from hotline import cases

    with write_transaction():
        case = cases.register(actor, draft, files, call=call)
        return answer_with_article(actor, case.id, article_id, article_version)
