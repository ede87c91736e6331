"""A confidential caller stays hidden in every masked copy: exports, the log, search results
and the lists of a role without the right to see confidential callers (issue 12, class 5).

The case of :mod:`tests.hotline.confidential_case` repeats the caller's name and phone in its
subject, description, request, dispatch note, notes, reply, callback comment and a timeline
event's data, in every spelling (separators, +86/0086/86, full-width digits, a landline with
its area code, the name with spaces).
"""

from __future__ import annotations

import csv
import io
import json
import logging
from pathlib import Path

import pytest

from hotline import case_queries, logsetup
from hotline.enums import Role
from hotline.permissions import Action, Actor
from hotline.search import search
from hotline.transfer import exporting
from tests.hotline import confidential_case as caller
from tests.hotline.confidential_case import LANDLINE_SPELLINGS, NAME, PHONE_SPELLINGS, leaks

MANAGER = Actor("科长", Role.MANAGER)  # exports and searches, may not see confidential callers


def test_the_planted_case_does_hold_the_caller_everywhere(database, cli_actor) -> None:
    """The checks below are real: the unmasked export shows every text with the caller."""
    caller.make(cli_actor)
    out = io.StringIO()
    exporting.export(cli_actor, out, "json")
    record = json.loads(out.getvalue())[0]
    texts = [record["subject"], record["description"], record["request"]]
    texts += [event["text"] for event in record["timeline"] if event["text"]]
    texts.append(json.dumps(record["timeline"][-1]["data"], ensure_ascii=False))
    assert all(leaks(text) for text in texts)


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("who", ["asked", "role"])
def test_a_masked_export_holds_no_spelling_of_the_caller(database, cli_actor, fmt, who) -> None:
    caller.make(cli_actor)
    out = io.StringIO()
    if who == "asked":
        exporting.export(cli_actor, out, fmt, mask_confidential=True)
    else:
        exporting.export(MANAGER, out, fmt)
    text = out.getvalue()
    assert leaks(text) == []
    if fmt == "csv":
        row = next(csv.DictReader(io.StringIO(text)))
        assert row["contact.name"] == "欧阳**" and row["contact.phone"] == "138****5678"
        assert "138****5678" in row["description"] and "欧阳**" in row["subject"]
    else:
        record = json.loads(text)[0]
        assert "欧阳**" in record["request"]
        data = record["timeline"][-1]["data"]
        assert "138****5678" in data["said"] and "１３８****５６７８" in data["numbers"]


def test_the_log_masks_every_spelling_of_a_phone(tmp_path: Path) -> None:
    target = logsetup.configure(directory=tmp_path)
    log = logging.getLogger("hotline.test")
    try:
        for spelling in (*PHONE_SPELLINGS, *LANDLINE_SPELLINGS):
            log.warning("caller rang from %s", spelling)
        try:
            raise ValueError(f"bad number ＋８６ １３８ １２３４ ５６７８ in {caller.mention(3)}")
        except ValueError:
            log.exception("failed")
        for handler in logging.getLogger().handlers:
            handler.flush()
        text = target.read_text(encoding="utf-8")
        assert text.count("caller rang from") == len(PHONE_SPELLINGS) + len(LANDLINE_SPELLINGS)
        assert [leak for leak in leaks(text) if leak != NAME] == []
    finally:
        logging.getLogger().handlers[:] = [
            h for h in logging.getLogger().handlers if not getattr(h, "_hotline", False)
        ]


def test_the_log_leaves_other_numbers_alone() -> None:
    line = "case YS20261206-0001: 1000000 cases, schema 6, uscc 91410600MA44XKQ35C, 2026-12-06"
    assert logsetup.scrub(line) == line


SEARCHES = (
    *PHONE_SPELLINGS[:4],
    "13812345678",
    "1381234",
    "12345678",
    "8613812345678",
    NAME,
    "欧阳明",
    "明华",
    "0392-1234567",
    "1234567",
    f"{NAME} 审批",
)


@pytest.mark.parametrize("query", SEARCHES)
def test_a_role_without_the_right_does_not_find_the_caller(database, cli_actor, query) -> None:
    case = caller.make(cli_actor)
    assert search(query, reveal_confidential=True).case_ids == [case.id]
    assert not MANAGER.can(Action.CASE_VIEW_CONFIDENTIAL)
    assert search(query, reveal_confidential=False).case_ids == []


def test_without_the_right_the_rest_of_the_case_is_still_found(database, cli_actor) -> None:
    case = caller.make(cli_actor)
    for query in ("审批拖延", "反映审批", "鹤壁市华联", "5678", "138", "欧阳"):
        assert search(query).case_ids == [case.id], query


def test_a_case_that_becomes_confidential_leaves_the_shared_index(database, cli_actor) -> None:
    from hotline.db import write_transaction
    from hotline.models import Case
    from hotline.search.index import CaseIndexUpdate

    case = caller.make(cli_actor)
    with write_transaction(), CaseIndexUpdate(case.id):
        Case.update(confidential=False).where(Case.id == case.id).execute()
    assert search(NAME).case_ids == [case.id]
    with write_transaction(), CaseIndexUpdate(case.id):
        Case.update(confidential=True).where(Case.id == case.id).execute()
    assert search(NAME).case_ids == []
    assert search(NAME, reveal_confidential=True).case_ids == [case.id]


def test_paging_with_the_right_merges_both_indexes(database, cli_actor) -> None:
    from hotline import cases
    from tests.conftest import sample_case

    open_case = cases.register(cli_actor, sample_case(subject=f"{NAME}的同名企业咨询"))
    hidden = caller.make(cli_actor)
    later = cases.register(cli_actor, sample_case(description=f"又是{NAME}来电"))
    first = search(NAME, limit=1, reveal_confidential=True)
    second = search(NAME, limit=1, before_id=first.next_before, reveal_confidential=True)
    third = search(NAME, limit=1, before_id=second.next_before, reveal_confidential=True)
    assert first.case_ids + second.case_ids + third.case_ids == [later.id, hidden.id, open_case.id]
    assert third.next_before is None
    assert search(NAME).case_ids == [later.id, open_case.id]


def test_the_list_shows_the_subject_scrubbed(database, cli_actor) -> None:
    case = caller.make(cli_actor)
    (row,) = case_queries.fetch_page(case_queries.CaseFilter())
    assert row.id == case.id and leaks(row.subject) == [] and "欧阳**" in row.subject
    (shown,) = case_queries.fetch_page(case_queries.CaseFilter(), reveal_confidential=True)
    assert NAME in shown.subject


def test_a_database_indexed_before_opens_with_the_caller_hidden(
    database, database_target, cli_actor
) -> None:
    """A database whose index still holds a confidential caller's real tokens (schema 6)
    gets them moved to the private index when it is opened."""
    from hotline import db
    from hotline.pg import search as pg_search
    from hotline.search.documents import case_documents, case_sources
    from hotline.search.index import backend
    from hotline.search.tokens import documents

    case = caller.make(cli_actor)
    confidential, texts = case_sources([case.id])[case.id]
    if db.is_sqlite():
        tokens, codes, private = case_documents(confidential, texts)
        backend().write_case_documents([(case.id, tokens, codes, private)], delete=True)
        backend().write_case_documents([(case.id, *documents(texts), "")])
        database.execute_sql("DROP TABLE case_private_fts")
    else:
        database.execute_sql(
            "UPDATE case_search SET tokens = %s WHERE case_id = %s",
            (sorted(pg_search.grams(texts)), case.id),
        )
        database.execute_sql("DROP TABLE case_private_search")
    database.execute_sql("DELETE FROM schema_version WHERE version >= 7")
    # As before: anyone found the caller by a query the index alone answers.
    assert search("明华").case_ids == [case.id]
    db.close()

    db.open_database(database_target)
    assert search("明华").case_ids == search(NAME).case_ids == []
    assert search(PHONE_SPELLINGS[0]).case_ids == []
    assert search(NAME, reveal_confidential=True).case_ids == [case.id]
