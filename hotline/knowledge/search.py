"""Finding articles as the operator types, and in the knowledge window.

The index is the case search's: normalised text split into runs of letters and digits, each
run into its character bigrams (a one-character run is its own token), kept in one plain
table ``knowledge_token(token, article_id, weight)`` that SQLite and PostgreSQL query alike.
Each token keeps the weight of the most telling field it occurs in (title, then the ways
callers ask, the category and department, then the answer and policy source).

A query is ranked, not filtered: every bigram of what was typed (subject and description, any
length) counts for the articles holding it, by its field weight times its rarity (inverse
document frequency), so a caller's own words find the article whose title says it otherwise.
The editors' synonym groups (:mod:`hotline.knowledge.synonyms`) add the bigrams of the other
words of a group a query holds, at a lower weight. Bigrams in nearly every article say
nothing and are left out once the base is large (they are also what would make a query slow).

Retired articles have no tokens: they are never suggested, yet stay readable by id.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from peewee import SQL, fn

from hotline import clock
from hotline.knowledge import synonyms
from hotline.knowledge.schema import KnowledgeArticle, KnowledgeFlag, KnowledgeToken
from hotline.knowledge.status import Status
from hotline.models import Department, database_proxy, tuples
from hotline.permissions import Action, Actor
from hotline.search.tokens import normalize, runs

W_TITLE, W_QUESTION, W_LABEL, W_BODY = 6, 4, 2, 2
SYNONYM_FACTOR = 0.8
COMMON_SHARE = 0.2  # a bigram in more than this share of articles is left out ...
COMMON_FROM = 500  # ... once there are this many articles
LIST_LIMIT = 200  # rows of the knowledge window's list
MAX_QUERY_TOKENS = 64  # the rarest bigrams of a long description
_INITIALS = re.compile(r"^[a-z]{2,20}$")
# Bigrams of how a question is put, not of what it is about: they say nothing of the article.
STOP_BIGRAMS = frozenset(
    [
        "怎么",
        "怎样",
        "如何",
        "什么",
        "哪里",
        "哪些",
        "哪个",
        "哪儿",
        "在哪",
        "去哪",
        "可以",
        "能否",
        "能不",
        "是否",
        "请问",
        "我们",
        "你们",
        "他们",
        "我想",
        "我要",
        "想问",
        "问一",
        "一下",
        "需要",
        "要求",
        "的话",
        "还是",
        "或者",
        "这个",
        "那个",
        "现在",
        "已经",
        "为什么",
        "多少",
        "有没",
        "没有",
        "是不",
        "不是",
        "会不",
        "不会",
        "可不",
        "有什",
        "有哪",
        "要办",
        "办什",
        "要去",
        "要带",
        "带什",
        "一家",
        "一个",
        "开个",
        "么办",
        "么样",
        "么交",
        "么弄",
        "么申",
        "么查",
        "么处",
        "么收",
        "么算",
        "怎么办",
    ]
)


def tokens(text: str) -> list[str]:
    """The bigrams (and one-character runs) of ``text``, each once, in order."""
    found: dict[str, None] = {}
    for run in runs(text):
        if len(run) == 1:
            found[run] = None
        else:
            found.update((run[i : i + 2], None) for i in range(len(run) - 1))
    return list(found)


def article_tokens(
    title: str,
    questions: str,
    category: str,
    department: str,
    answer: str,
    source: str,
) -> dict[str, int]:
    """Each token of an article with the weight of the best field it occurs in."""
    weights: dict[str, int] = {}
    for text, weight in (
        (answer, W_BODY),
        (source, W_BODY),
        (category, W_LABEL),
        (department, W_LABEL),
        (questions, W_QUESTION),
        (title, W_TITLE),
    ):
        for token in tokens(text):
            if len(token.encode("utf-8")) <= 8 * 4:
                weights[token] = max(weights.get(token, 0), weight)
    return weights


def _department_names() -> dict[int, str]:
    return {int(i): str(n) for i, n in tuples(Department.select(Department.id, Department.name))}


def _row_tokens(row: KnowledgeArticle, departments: dict[int, str]) -> dict[str, int]:
    return article_tokens(
        row.title,
        row.questions,
        row.category,
        departments.get(row.department_id or 0, ""),
        row.answer,
        f"{row.source_name} {row.source_number}",
    )


def index_article(row: KnowledgeArticle) -> None:
    """Re-index one article (inside the transaction that changed it)."""
    KnowledgeToken.delete().where(KnowledgeToken.article == row.id).execute()
    if row.status == Status.RETIRED:
        return
    weights = _row_tokens(row, _department_names())
    KnowledgeToken.insert_many(
        [(token, row.id, weight) for token, weight in weights.items()],
        fields=[KnowledgeToken.token, KnowledgeToken.article, KnowledgeToken.weight],
    ).execute()


def index_articles(ids: Iterable[int]) -> None:
    """Re-index articles written in bulk (an import, the demo), a batch at a time."""
    departments = _department_names()
    batch: list[tuple[str, int, int]] = []
    id_list = list(ids)
    for start in range(0, len(id_list), 500):
        chunk = id_list[start : start + 500]
        KnowledgeToken.delete().where(KnowledgeToken.article.in_(chunk)).execute()
        for row in KnowledgeArticle.select().where(KnowledgeArticle.id.in_(chunk)):
            if row.status == Status.RETIRED:
                continue
            batch.extend((t, row.id, w) for t, w in _row_tokens(row, departments).items())
        for part in range(0, len(batch), 5000):
            KnowledgeToken.insert_many(
                batch[part : part + 5000],
                fields=[KnowledgeToken.token, KnowledgeToken.article, KnowledgeToken.weight],
            ).execute()
        batch.clear()


@dataclass(frozen=True)
class Hit:
    """An article found: what a list of suggestions or search results shows."""

    id: int
    version: int
    title: str
    category: str
    department_name: str
    status: Status
    score: float
    review_on: dt.date | None
    expires_on: dt.date | None
    effective_on: dt.date | None
    open_flags: int = 0

    def attention(self, today: dt.date) -> list[str]:
        from hotline.i18n import _

        found: list[str] = []
        if self.status is Status.RETIRED:
            return found
        if self.expires_on is not None and self.expires_on < today:
            found.append(_("已失效"))
        if self.review_on is not None and self.review_on <= today:
            found.append(_("已过复核日期"))
        if self.effective_on is not None and self.effective_on > today:
            found.append(_("{date} 起施行").format(date=self.effective_on.isoformat()))
        if self.open_flags:
            found.append(_("被标记"))
        return found


@dataclass(frozen=True)
class Filters:
    category: str = ""
    department_id: int | None = None
    statuses: tuple[Status, ...] = (Status.PUBLISHED,)
    attention_only: bool = False  # past review, expired or flagged


def _weighted(text: str) -> dict[str, float]:
    """The query's tokens with their multiplier (1 typed, below 1 from a synonym)."""
    wanted: dict[str, float] = dict.fromkeys(
        (t for t in tokens(text) if t not in STOP_BIGRAMS), 1.0
    )
    for word in synonyms.expansions(normalize(text)):
        for token in tokens(word):
            wanted.setdefault(token, SYNONYM_FACTOR)
    return wanted


def _idf(wanted: dict[str, float], total: int) -> dict[str, float]:
    counts = dict(
        tuples(
            KnowledgeToken.select(KnowledgeToken.token, fn.COUNT(SQL("*")))
            .where(KnowledgeToken.token.in_(list(wanted)))
            .group_by(KnowledgeToken.token)
        )
    )
    weights: dict[str, float] = {}
    for token, factor in wanted.items():
        df = int(counts.get(token, 0))
        if df == 0:
            continue
        if total >= COMMON_FROM and df > total * COMMON_SHARE:
            continue
        weights[token] = factor * math.log(1 + total / df)
    if len(weights) > MAX_QUERY_TOKENS:
        kept = sorted(weights.items(), key=lambda kv: -kv[1])[:MAX_QUERY_TOKENS]
        weights = dict(kept)
    return weights


def _indexed_count() -> int:
    """How many articles there are (retired ones too: close enough for the rarity of a
    token, and a plain count is quick)."""
    return int(KnowledgeArticle.select().count())


def _status_codes(actor: Actor, statuses: Sequence[Status]) -> list[str]:
    allowed = [s for s in statuses if s is not Status.DRAFT or actor.can(Action.KNOWLEDGE_EDIT)]
    return [s.value for s in allowed]


def _ranked(
    weights: dict[str, float], where: list[str], params: list[object], limit: int
) -> list[tuple[int, float]]:
    """The best articles for ``weights`` among those ``where`` admits.

    The token table alone is ranked first (one GROUP BY over the query's tokens, the fast
    part) and its best few candidates are checked against ``where``; only when too few pass
    (a narrow filter) is the ranking done again joined with the articles."""
    if not weights:
        return []
    db = database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    cases = " ".join("WHEN %s THEN %s" for _ in weights)
    case_params: list[object] = []
    for token, weight in weights.items():
        case_params.extend((token, round(weight, 4)))
    marks = ", ".join("%s" for _ in weights)
    score = f"SUM(t.weight * CASE t.token {cases} END)"
    wanted = max(limit * 4, 50)
    sql = (
        f"SELECT t.article_id, {score} AS score FROM knowledge_token t "
        f"WHERE t.token IN ({marks}) GROUP BY t.article_id "
        "ORDER BY score DESC, t.article_id DESC LIMIT %s"
    ).replace("%s", db.param)
    candidates = [
        (int(i), float(v))
        for i, v in db.execute_sql(sql, [*case_params, *weights, wanted]).fetchall()
    ]
    if candidates:
        ids = [i for i, _score in candidates]
        check = (
            f"SELECT a.id FROM knowledge_article a WHERE a.id IN ({', '.join('%s' for _ in ids)})"
            + "".join(f" AND {condition}" for condition in where)
        ).replace("%s", db.param)
        passed = {int(r[0]) for r in db.execute_sql(check, [*ids, *params]).fetchall()}
        kept = [(i, v) for i, v in candidates if i in passed]
        if len(kept) >= limit or len(candidates) < wanted:
            return kept[:limit]
    conditions = " AND ".join([f"t.token IN ({marks})", *where])
    joined = (
        f"SELECT t.article_id, {score} AS score "
        "FROM knowledge_token t JOIN knowledge_article a ON a.id = t.article_id "
        f"WHERE {conditions} GROUP BY t.article_id ORDER BY score DESC, t.article_id DESC "
        "LIMIT %s"
    ).replace("%s", db.param)
    cursor = db.execute_sql(joined, [*case_params, *weights, *params, limit])
    return [(int(i), float(v)) for i, v in cursor.fetchall()]


def _filter_sql(
    flt: Filters, statuses: list[str], today: dt.date
) -> tuple[list[str], list[object]]:
    where = [f"a.status IN ({', '.join('%s' for _ in statuses)})"]
    params: list[object] = list(statuses)
    if flt.category:
        where.append("a.category = %s")
        params.append(flt.category)
    if flt.department_id is not None:
        where.append("a.department_id = %s")
        params.append(flt.department_id)
    if flt.attention_only:
        where.append(
            "((a.review_on IS NOT NULL AND a.review_on <= %s) OR "
            "(a.expires_on IS NOT NULL AND a.expires_on < %s) OR EXISTS "
            "(SELECT 1 FROM knowledge_flag f WHERE f.article_id = a.id AND f.resolved_at IS NULL))"
        )
        params.extend((_day(today), _day(today)))
    return where, params


def _day(day: dt.date) -> object:
    """A date as a query parameter: SQLite keeps dates as ISO text."""
    from hotline.db import is_sqlite

    return day.isoformat() if is_sqlite() else day


def _hits(scored: list[tuple[int, float]]) -> list[Hit]:
    if not scored:
        return []
    ids = [i for i, _ in scored]
    rows = {row.id: row for row in KnowledgeArticle.select().where(KnowledgeArticle.id.in_(ids))}
    flags = dict(
        tuples(
            KnowledgeFlag.select(KnowledgeFlag.article, fn.COUNT(SQL("*")))
            .where(KnowledgeFlag.article.in_(ids) & KnowledgeFlag.resolved_at.is_null())
            .group_by(KnowledgeFlag.article)
        )
    )
    departments = _department_names()
    hits: list[Hit] = []
    for article_id, score in scored:
        row = rows.get(article_id)
        if row is None:
            continue
        hits.append(
            Hit(
                id=row.id,
                version=row.version,
                title=row.title,
                category=row.category,
                department_name=departments.get(row.department_id or 0, ""),
                status=Status(row.status),
                score=score,
                review_on=row.review_on,
                expires_on=row.expires_on,
                effective_on=row.effective_on,
                open_flags=int(flags.get(article_id, 0)),
            )
        )
    return hits


def suggest(actor: Actor, subject: str, description: str = "", limit: int = 5) -> list[Hit]:
    """Published articles for what the operator has typed so far, best first; an article
    past its expiry date is not suggested (its policy no longer holds)."""
    text = f"{subject} {subject} {description}"  # the subject says most: it counts twice
    weights = _idf(_weighted(text), _indexed_count())
    today = clock.today()
    where = ["a.status = %s", "(a.expires_on IS NULL OR a.expires_on >= %s)"]
    return _hits(_ranked(weights, where, [Status.PUBLISHED.value, _day(today)], limit))


def search(actor: Actor, query: str, flt: Filters | None = None, limit: int = 200) -> list[Hit]:
    """The knowledge window's search: by words (ranked), pinyin initials of the title (``yyzz``)
    or the article's number; with no words, the newest changed articles under the filters."""
    flt = flt or Filters()
    statuses = _status_codes(actor, flt.statuses)
    if not statuses:
        return []
    today = clock.today()
    where, params = _filter_sql(flt, statuses, today)
    text = normalize(query).strip()
    if not text:
        return _newest(where, params, limit)
    found: list[tuple[int, float]] = []
    compact = text.replace(" ", "")
    if compact.isdigit():
        found.extend(_by_sql([*where, "a.id = %s"], [*params, int(compact)], 1, 1000.0))
    if _INITIALS.match(compact):
        found.extend(
            _by_sql([*where, "a.initials LIKE %s"], [*params, f"%{compact}%"], limit, 500.0)
        )
    weights = _idf(_weighted(text), _indexed_count())
    found.extend(_ranked(weights, where, params, limit))
    best: dict[int, float] = {}
    for article_id, score in found:
        best[article_id] = max(best.get(article_id, 0.0), score)
    ordered = sorted(best.items(), key=lambda kv: (-kv[1], -kv[0]))[:limit]
    return _hits(ordered)


def _by_sql(
    where: list[str], params: list[object], limit: int, score: float
) -> list[tuple[int, float]]:
    db = database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    sql = (
        f"SELECT a.id FROM knowledge_article a WHERE {' AND '.join(where)} "
        "ORDER BY a.id DESC LIMIT %s"
    ).replace("%s", db.param)
    return [(int(r[0]), score) for r in db.execute_sql(sql, [*params, limit]).fetchall()]


def _newest(where: list[str], params: list[object], limit: int) -> list[Hit]:
    db = database_proxy.obj
    if db is None:
        raise RuntimeError("no database is open")
    sql = (
        f"SELECT a.id FROM knowledge_article a WHERE {' AND '.join(where)} "
        "ORDER BY a.updated_at DESC, a.id DESC LIMIT %s"
    ).replace("%s", db.param)
    ids = [int(r[0]) for r in db.execute_sql(sql, [*params, limit]).fetchall()]
    return _hits([(i, 0.0) for i in ids])
