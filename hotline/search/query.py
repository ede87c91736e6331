"""Answering a search: candidates from the bigram index, checked against the real text.

A query is split on white space into terms; a case matches when every term occurs in one of
its texts (case number, subject, description, request, contact, enterprise, timeline).
Characters that mean something to FTS5 (quotes, ``*``, brackets, ``AND``) are just text here.
Results are newest first (highest id first), paged by the last id seen.

The open database's index (:mod:`hotline.search.backend`) gives the candidates; a query
holding codes (a credit code, a phone or case number: see :mod:`hotline.search.tokens`) may
take them from the 4-grams of codes there.

A confidential case's caller is found only by a role allowed to see it
(``reveal_confidential``): the shared index holds such a case's texts masked, and only that
role's query also asks the private index of confidential cases (see
:mod:`hotline.search.documents`). The check against the text reads the same version.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from peewee import JOIN, fn

from hotline import read_replica
from hotline.models import Case, CaseContact, CaseEvent, Enterprise, tuples
from hotline.search.backend import CaseLookup
from hotline.search.documents import case_texts
from hotline.search.index import backend
from hotline.search.tokens import Term, normalize, parse_query

BATCH = 200
MAX_BATCH = 3200


MAX_EXAMINED = 20_000  # candidates checked against their text in one call, at most


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
    texts = case_texts(case_ids, reveal=reveal)
    kept = []
    for case_id in case_ids:
        parts = texts.get(case_id)
        if parts is None:
            continue
        haystack = normalize("\n".join(parts))
        if all(term.text in haystack for term in terms):
            kept.append(case_id)
    return kept


def _scan_candidates(terms: Sequence[Term], before_id: int | None, limit: int) -> list[int]:
    """For a query with no letters or digits (nothing indexed): scan the rows."""
    query = Case.select(Case.id).join(
        Enterprise, on=(Case.enterprise == Enterprise.id), join_type=JOIN.LEFT_OUTER
    )
    for term in terms:
        like = f"%{term.text}%"
        notes = CaseEvent.select(CaseEvent.case).where(fn.LOWER(CaseEvent.text) ** like)
        callers = CaseContact.select(CaseContact.case).where(
            (fn.LOWER(CaseContact.contact_name) ** like) | (CaseContact.contact_phone**like)
        )
        query = query.where(
            (fn.LOWER(Case.case_no) ** like)
            | (fn.LOWER(Case.subject) ** like)
            | (fn.LOWER(Case.description) ** like)
            | (fn.LOWER(Case.request) ** like)
            | (fn.LOWER(Case.contact_name_masked) ** like)
            | (Case.contact_phone_masked**like)
            | Case.id.in_(callers)
            | (fn.LOWER(Enterprise.name) ** like)
            | (fn.LOWER(Enterprise.uscc) ** like)
            | Case.id.in_(notes)
        )
    if before_id is not None:
        query = query.where(Case.id < before_id)
    return [row[0] for row in tuples(query.order_by(Case.id.desc()).limit(limit))]


def _in_scope(case_ids: list[int]) -> list[int]:
    """Of ``case_ids``, those the signed-in person may see (hotline.access), in order."""
    from hotline import access

    scope = access.list_condition()
    if scope is None or not case_ids:
        return case_ids
    seen = {row[0] for row in tuples(Case.select(Case.id).where(Case.id.in_(case_ids) & scope))}
    return [case_id for case_id in case_ids if case_id in seen]


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
    not find it. Read from the read replica where there is one (:mod:`hotline.read_replica`)."""
    return read_replica.read(
        lambda: _search(text, limit, before_id, reveal_confidential=reveal_confidential)
    )


def _search(
    text: str, limit: int, before_id: int | None, *, reveal_confidential: bool
) -> SearchPage:
    reveal = reveal_confidential
    text = _storable(text)
    terms = parse_query(text)
    if not terms or limit <= 0:
        return SearchPage([], None)
    if any(t.match for t in terms):
        lookup = backend().case_lookup(terms, reveal)
    else:  # nothing the index holds: scan the rows
        lookup = CaseLookup(functools.partial(_scan_candidates, terms), exact=False)
    must_verify = not lookup.exact
    found: list[int] = []
    examined = 0
    cursor = before_id
    batch = max(limit + 1, BATCH) if must_verify else limit + 1
    while len(found) <= limit:
        candidates = lookup.fetch(cursor, batch)
        if not candidates:
            break
        matched = _verify(candidates, terms, reveal) if must_verify else candidates
        found.extend(_in_scope(matched))
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
    if any(t.match for t in terms):
        ids = backend().enterprise_candidates(terms, 200)
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
