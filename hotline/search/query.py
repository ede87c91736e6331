"""Answering a search: candidates from the bigram index, checked against the real text.

A query is split on white space into terms; a case matches when every term occurs in one of
its texts (case number, subject, description, request, contact, enterprise, timeline).
Characters that mean something to FTS5 (quotes, ``*``, brackets, ``AND``) are just text here.
Results are newest first (highest id first), paged by the last id seen.

A query holding codes (a credit code, a phone or case number: see :mod:`hotline.search.tokens`)
takes its candidates from the code index instead, when they are few there.

A confidential case's caller is found only by a role allowed to see it
(``reveal_confidential``): the shared index holds such a case's texts masked, and only that
role's query also asks the private index of confidential cases (see
:mod:`hotline.search.index`). The check against the text reads the same version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN, fn

from hotline.db import current
from hotline.models import Case, CaseEvent, Enterprise
from hotline.search import index
from hotline.search.tokens import Term, normalize, parse_query

BATCH = 200
MAX_BATCH = 3200


MAX_EXAMINED = 20_000  # candidates checked against their text in one call, at most
# A query of codes only takes its candidates from the code index. A query with codes and
# other words does when the codes have at most this many there: a common code ("2026") with
# a name leaves it to the bigrams.
CODE_CANDIDATES = 2_000


@dataclass(frozen=True)
class SearchPage:
    case_ids: list[int]
    next_before: int | None  # pass as ``before_id`` for the next page; None when no more
    # True when the call stopped after checking MAX_EXAMINED candidates without filling the
    # page: older cases may still match (continue from ``next_before``, or refine the query).
    partial: bool = False


def _storable(text: str) -> str:
    """``text`` without NUL characters, which no stored text holds (PostgreSQL refuses them)."""
    return (text or "").replace("\x00", "")


def _verify(case_ids: Sequence[int], terms: Sequence[Term], reveal: bool) -> list[int]:
    texts = index.case_texts(case_ids, reveal=reveal)
    kept = []
    for case_id in case_ids:
        parts = texts.get(case_id)
        if parts is None:
            continue
        haystack = normalize("\n".join(parts))
        if all(term.text in haystack for term in terms):
            kept.append(case_id)
    return kept


def _fts_candidates(
    expression: str, before_id: int | None, limit: int, table: str = "case_fts"
) -> list[int]:
    sql = f"SELECT rowid FROM {table} WHERE {table} MATCH ?"
    params: list[object] = [expression]
    if before_id is not None:
        sql += " AND rowid < ?"
        params.append(before_id)
    sql += " ORDER BY rowid DESC LIMIT ?"
    params.append(limit)
    return [row[0] for row in current().execute_sql(sql, params)]


def _with_private(
    expression: str, before_id: int | None, limit: int, table: str, reveal: bool
) -> list[int]:
    """Candidates from ``table``, and for a role that may see confidential callers also from
    the private index of confidential cases: the newest ``limit`` of both."""
    found = _fts_candidates(expression, before_id, limit, table)
    if not reveal:
        return found
    private = _fts_candidates(expression, before_id, limit, "case_private_fts")
    if not private:
        return found
    return sorted(set(found).union(private), reverse=True)[:limit]


def _index_candidates(
    terms: Sequence[Term], expression: str, before_id: int | None, limit: int, reveal: bool
) -> list[int]:
    if index.enabled():
        return _with_private(expression, before_id, limit, "case_fts", reveal)
    from hotline.pg import search as pg_search

    return pg_search.case_candidates(terms, before_id, limit, reveal=reveal)


def _code_expression(terms: Sequence[Term]) -> str | None:
    """The code-index query to take candidates from, or None to use the bigrams."""
    expression = " AND ".join(f"({t.code})" for t in terms if t.code)
    if not expression or not index.enabled():
        return None
    if all(t.code_only for t in terms):
        return expression
    (count,) = (
        current()
        .execute_sql(
            "SELECT count(*) FROM (SELECT rowid FROM case_code_fts "
            "WHERE case_code_fts MATCH ? LIMIT ?)",
            (expression, CODE_CANDIDATES + 1),
        )
        .fetchone()
    )
    return expression if count <= CODE_CANDIDATES else None


def _indexed() -> bool:
    """SQLite's FTS5 tables or PostgreSQL's token tables (see :mod:`hotline.pg.search`)."""
    from hotline.pg import search as pg_search

    return index.enabled() or pg_search.enabled()


def _scan_candidates(terms: Sequence[Term], before_id: int | None, limit: int) -> list[int]:
    """For a query with no letters or digits (nothing indexed): scan the rows."""
    query = Case.select(Case.id).join(
        Enterprise, on=(Case.enterprise == Enterprise.id), join_type=JOIN.LEFT_OUTER
    )
    for term in terms:
        like = f"%{term.text}%"
        notes = CaseEvent.select(CaseEvent.case).where(fn.LOWER(CaseEvent.text) ** like)
        query = query.where(
            (fn.LOWER(Case.case_no) ** like)
            | (fn.LOWER(Case.subject) ** like)
            | (fn.LOWER(Case.description) ** like)
            | (fn.LOWER(Case.request) ** like)
            | (fn.LOWER(Case.contact_name) ** like)
            | (Case.contact_phone**like)
            | (fn.LOWER(Enterprise.name) ** like)
            | (fn.LOWER(Enterprise.uscc) ** like)
            | Case.id.in_(notes)
        )
    if before_id is not None:
        query = query.where(Case.id < before_id)
    return [row[0] for row in query.order_by(Case.id.desc()).limit(limit).tuples()]


def search(
    text: str,
    limit: int = 50,
    before_id: int | None = None,
    *,
    reveal_confidential: bool = False,
) -> SearchPage:
    """Cases matching every term of ``text``, newest first.

    Without ``reveal_confidential`` (a role lacking ``Action.CASE_VIEW_CONFIDENTIAL``) a
    confidential case is matched against its masked texts: its caller's name or phone does
    not find it."""
    reveal = reveal_confidential
    text = _storable(text)
    terms = parse_query(text)
    if not terms or limit <= 0:
        return SearchPage([], None)
    expression = " AND ".join(f"({t.match})" for t in terms if t.match)
    use_index = bool(expression) and _indexed()
    must_verify = not use_index or any(not t.exact for t in terms)
    if use_index and not index.enabled():  # PostgreSQL: one array holds pairs and 4-grams
        must_verify = not all(t.exact or t.code_exact for t in terms)
    code_expression = _code_expression(terms) if use_index else None
    if code_expression is not None:
        must_verify = not all(t.code_exact for t in terms)
    found: list[int] = []
    examined = 0
    cursor = before_id
    batch = max(limit + 1, BATCH) if must_verify else limit + 1
    while len(found) <= limit:
        if code_expression is not None:
            candidates = _with_private(code_expression, cursor, batch, "case_code_fts", reveal)
        elif use_index:
            candidates = _index_candidates(terms, expression, cursor, batch, reveal)
        else:
            candidates = _scan_candidates(terms, cursor, batch)
        if not candidates:
            break
        found.extend(_verify(candidates, terms, reveal) if must_verify else candidates)
        examined += len(candidates)
        cursor = candidates[-1]
        if len(candidates) < batch:
            break
        if must_verify and examined >= MAX_EXAMINED and len(found) <= limit:
            # Words whose bigrams are everywhere but never in this order would otherwise have
            # every case read: stop, say so, and let the caller go on from here.
            return SearchPage(found[:limit], cursor, partial=True)
        if must_verify:  # few candidates pass the check: take bigger steps, fewer round trips
            batch = min(batch * 2, MAX_BATCH)
    page = found[:limit]
    more = len(found) > limit
    return SearchPage(page, page[-1] if more and page else None)


def suggest_enterprises(text: str, limit: int = 10) -> list[Enterprise]:
    """Enterprises whose name or credit code contains ``text``: prefix matches first."""
    text = _storable(text)
    terms = parse_query(text)
    if not terms:
        return []
    needle = normalize(text).strip()
    expression = " AND ".join(f"({t.match})" for t in terms if t.match)
    if expression and _indexed():
        if index.enabled():
            rows = current().execute_sql(
                "SELECT rowid FROM enterprise_fts WHERE enterprise_fts MATCH ? "
                "ORDER BY rowid DESC LIMIT 200",
                (expression,),
            )
            ids = [row[0] for row in rows]
        else:
            from hotline.pg import search as pg_search

            ids = pg_search.enterprise_candidates(terms, 200)
        candidates = list(Enterprise.select().where(Enterprise.id.in_(ids))) if ids else []
    else:
        like = f"%{needle}%"
        candidates = list(
            Enterprise.select()
            .where((fn.LOWER(Enterprise.name) ** like) | (fn.LOWER(Enterprise.uscc) ** like))
            .limit(200)
        )
    words = [t.text for t in terms]

    def matches(e: Enterprise) -> bool:
        haystack = normalize(f"{e.name}\n{e.uscc or ''}")
        return all(word in haystack for word in words)

    def rank(e: Enterprise) -> tuple[int, int, str]:
        name = normalize(e.name)
        starts = name.startswith(needle) or normalize(e.uscc or "").startswith(needle)
        return (0 if starts else 1, len(e.name), e.name)

    return sorted(filter(matches, candidates), key=rank)[:limit]
