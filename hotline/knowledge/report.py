"""The knowledge base in a period's report: consultations answered on the spot with an
article, the articles used most, and the articles that need an editor (flagged, past their
review date or expired)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from peewee import SQL, fn

from hotline.i18n import _
from hotline.knowledge.schema import CaseKnowledge, KnowledgeArticle, KnowledgeFlag
from hotline.knowledge.status import Status
from hotline.models import CaseEvent, tuples

TOP = 10
ATTENTION_LIMIT = 30


@dataclass
class KnowledgeFigures:
    answered_on_spot: int = 0  # consultations closed on the spot in the period
    with_article: int = 0  # … of which with a knowledge article
    top: list[tuple[int, str, int]] = field(default_factory=list)  # (id, title, uses)
    # (id, title, why), the flagged first; ``more`` beyond the limit
    attention: list[tuple[int, str, str]] = field(default_factory=list)
    attention_more: int = 0

    @property
    def share(self) -> float | None:
        return self.with_article / self.answered_on_spot if self.answered_on_spot else None


def figures_between(start: dt.datetime, end: dt.datetime, today: dt.date) -> KnowledgeFigures:
    figures = KnowledgeFigures()
    figures.answered_on_spot = int(
        CaseEvent.select()
        .where(
            (CaseEvent.action == "answer_on_spot") & (CaseEvent.at >= start) & (CaseEvent.at < end)
        )
        .count()
    )
    in_period = (CaseKnowledge.used_at >= start) & (CaseKnowledge.used_at < end)
    figures.with_article = int(
        CaseKnowledge.select(fn.COUNT(fn.DISTINCT(CaseKnowledge.case))).where(in_period).scalar()
        or 0
    )
    uses = fn.COUNT(SQL("*"))
    figures.top = [
        (int(i), str(t), int(n))
        for i, t, n in tuples(
            CaseKnowledge.select(KnowledgeArticle.id, KnowledgeArticle.title, uses)
            .join(KnowledgeArticle)
            .where(in_period)
            .group_by(KnowledgeArticle.id, KnowledgeArticle.title)
            .order_by(uses.desc(), KnowledgeArticle.id)
            .limit(TOP)
        )
    ]
    flagged = dict(
        tuples(
            KnowledgeFlag.select(KnowledgeFlag.article, fn.COUNT(SQL("*")))
            .where(KnowledgeFlag.resolved_at.is_null())
            .group_by(KnowledgeFlag.article)
        )
    )
    found: list[tuple[int, int, str, str]] = []
    for article_id, title, review_on, expires_on in tuples(
        KnowledgeArticle.select(
            KnowledgeArticle.id,
            KnowledgeArticle.title,
            KnowledgeArticle.review_on,
            KnowledgeArticle.expires_on,
        )
        .where(KnowledgeArticle.status != Status.RETIRED.value)
        .order_by(KnowledgeArticle.id)
    ):
        why: list[str] = []
        count = int(flagged.get(article_id, 0))
        if count:
            why.append(_("被标记 {count} 次").format(count=count))
        if expires_on is not None and _day(expires_on) < today:
            why.append(_("已失效（{date}）").format(date=_day(expires_on).isoformat()))
        if review_on is not None and _day(review_on) <= today:
            why.append(_("已过复核日期（{date}）").format(date=_day(review_on).isoformat()))
        if why:
            found.append((0 if count else 1, int(article_id), str(title), "；".join(why)))
    found.sort()
    figures.attention = [(i, t, w) for _rank, i, t, w in found[:ATTENTION_LIMIT]]
    figures.attention_more = max(0, len(found) - ATTENTION_LIMIT)
    return figures


def _day(value: object) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])
