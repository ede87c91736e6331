"""What a case puts in the search index: its texts in a fixed order, masked where confidential.

One index row per case holds the tokens of its number, subject, description, request,
contact, enterprise and every timeline text (notes, replies, reasons), and the 4-grams of the
codes in the same texts (credit codes, phone and case numbers; see
:mod:`hotline.search.tokens`).

A confidential case is indexed in the shared rows as a role without the right to see its
caller reads it: contact masked, the caller's name and phone scrubbed from every free text
(:func:`masked_texts`). Its real texts go into a private index that only the query of a role
with the right also asks, so the caller's name or phone never finds the case for the others.
Both backends (:mod:`hotline.search.sqlite_backend`, :mod:`hotline.pg.search`) index these
texts; the check of a candidate against its text (:mod:`hotline.search.query`) reads them too.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from peewee import Database

from hotline import contacts
from hotline.masking import Scrubber, mask_name, mask_phone
from hotline.models import Case, CaseEvent, tuples
from hotline.search.tokens import documents

# A case's own indexed texts, in index order; its enterprise's name and code and its timeline
# texts follow (case_texts). The index depends on the order.
CASE_TEXT_COLUMNS = (
    "case_no",
    "subject",
    "description",
    "request",
    "contact_name",
    "contact_phone",
)
CONTACT_NAME, CONTACT_PHONE = 4, 5  # their places in a case's texts
FREE_TEXTS = (1, 2, 3)  # subject, description, request; timeline texts follow the enterprise
ENTERPRISE_TEXTS = slice(6, 8)  # where case_texts puts the enterprise's name and code
TIMELINE_TEXTS = 8


def _case_rows(ids: list[int]) -> list[tuple[Any, ...]]:
    """(id, confidential, the case's texts in CASE_TEXT_COLUMNS order, enterprise name and
    code) of the cases ``ids``; the contact is its masked forms (the real one is apart), or,
    while an older migration rebuilds the index (:func:`hotline.contacts.base_schema`), the
    contact the case row then held."""
    columns = [
        f"c.{column}_masked" if column.startswith("contact_") and not contacts.base_schema()
        else f"c.{column}"
        for column in CASE_TEXT_COLUMNS
    ]  # fmt: skip
    db = Case._meta.database
    marks = ", ".join([db.param] * len(ids))
    sql = (
        f"SELECT c.id, c.confidential, {', '.join(columns)}, e.name, e.uscc "
        'FROM "case" c LEFT OUTER JOIN enterprise e ON e.id = c.enterprise_id '
        f"WHERE c.id IN ({marks})"
    )
    return [tuple(row) for row in db.execute_sql(sql, ids)]


CaseSource = tuple[bool, list[str]]  # whether the case is confidential, its real texts


def masked_texts(texts: list[str]) -> list[str]:
    """A confidential case's texts as a role without the right sees them: the contact masked,
    the caller's name and phone scrubbed from the subject, description, request and timeline."""
    clean = Scrubber(texts[CONTACT_NAME], texts[CONTACT_PHONE])
    out = list(texts)
    for place in (*FREE_TEXTS, *range(TIMELINE_TEXTS, len(out))):
        out[place] = clean(out[place])
    out[CONTACT_NAME] = mask_name(texts[CONTACT_NAME])
    out[CONTACT_PHONE] = mask_phone(texts[CONTACT_PHONE])
    return out


def case_sources(case_ids: Iterable[int]) -> dict[int, CaseSource]:
    """Whether each case is confidential, and its real indexed texts in a fixed order."""
    ids = list(case_ids)
    out: dict[int, CaseSource] = {}
    if not ids:
        return out
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        texts: dict[int, list[str]] = {}
        rows = _case_rows(chunk)
        if not contacts.base_schema():
            # The real contacts (the masked forms where this session may not read them).
            callers = contacts.of_ids(
                {row[0]: (row[2 + CONTACT_NAME], row[2 + CONTACT_PHONE]) for row in rows}
            )
            rows = [
                (*row[: 2 + CONTACT_NAME], callers[row[0]].name, callers[row[0]].phone,
                 *row[3 + CONTACT_PHONE :])
                for row in rows
            ]  # fmt: skip
        for row in rows:
            texts[row[0]] = [value or "" for value in row[2:]]
            out[row[0]] = (bool(row[1]), texts[row[0]])
        events = tuples(
            CaseEvent.select(CaseEvent.case, CaseEvent.text)
            .where(CaseEvent.case.in_(chunk), CaseEvent.text != "")
            .order_by(CaseEvent.id)
        )
        for case_id, text in events:
            if case_id in texts:
                texts[case_id].append(text)
    return out


def every_case_source(db: Database, batch: int) -> Iterator[list[tuple[int, bool, list[str]]]]:
    """Every case of ``db`` as (id, confidential, texts), ``batch`` cases at a time, by id:
    what a rebuild of the index reads."""
    sql = f'SELECT id FROM "case" WHERE id > {db.param} ORDER BY id LIMIT {db.param}'
    last = 0
    while True:
        ids = [row[0] for row in db.execute_sql(sql, (last, batch))]
        if not ids:
            return
        sources = case_sources(ids)
        yield [(case_id, *sources[case_id]) for case_id in ids if case_id in sources]
        last = ids[-1]


def case_texts(case_ids: Iterable[int], *, reveal: bool = True) -> dict[int, list[str]]:
    """Every indexed text of each case, in a fixed order (the index depends on it); without
    ``reveal``, a confidential case's texts as :func:`masked_texts` gives them."""
    return {
        case_id: masked_texts(texts) if confidential and not reveal else texts
        for case_id, (confidential, texts) in case_sources(case_ids).items()
    }


CaseDocuments = tuple[str, str, str]  # tokens, code tokens, private tokens ("" if not confidential)


def case_documents(confidential: bool, texts: list[str]) -> CaseDocuments:
    """What a case puts in SQLite's ``case_fts``, ``case_code_fts`` and ``case_private_fts``."""
    if not confidential:
        return (*documents(texts), "")
    tokens, codes = documents(masked_texts(texts))
    private = " ".join(part for part in documents(texts) if part)
    return tokens, codes, private
