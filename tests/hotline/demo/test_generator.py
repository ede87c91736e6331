"""The demo generator: valid identifiers, timelines that agree with the cases, searchable."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from collections import Counter

import pytest

from hotline import clock, contacts, deadlines, numbering
from hotline.demo import generator
from hotline.models import AuditEntry, Case, CaseCounter, CaseEvent, Enterprise
from hotline.search import search
from hotline.transfer.replay import TimelineEvent, replay
from hotline.validation import is_valid_uscc, normalize_phone

NOW = dt.datetime(2026, 11, 25, 15, 30)
CASES = 300


@pytest.fixture
def generated(database):
    with clock.frozen(NOW):
        written = generator.generate(CASES, seed=5)
    return written


def _events(case_id: int) -> list[TimelineEvent]:
    rows = CaseEvent.select().where(CaseEvent.case == case_id).order_by(CaseEvent.id)
    return [
        TimelineEvent(e.at, e.action, e.actor_name, e.internal, e.text, json.loads(e.data))
        for e in rows
    ]


def test_writes_the_cases_asked_for(generated) -> None:
    assert generated == CASES == Case.select().count()
    entries = AuditEntry.select().where(AuditEntry.action == "demo.generate")
    batches = AuditEntry.select().where(AuditEntry.action == "demo.batch")
    assert entries.count() == 1  # the run, after one entry per batch written
    knowledge = AuditEntry.select().where(AuditEntry.action == "knowledge.import")
    assert knowledge.count() == 1  # the demo knowledge base, written once after the cases
    # (A server set up by ``server setup`` has its entry, and the database's own ``db.*`` ones.)
    programs = AuditEntry.select().where(
        ~AuditEntry.action.startswith("db.") & (AuditEntry.action != "server.setup")
    )
    assert batches.count() >= 2 and programs.count() == batches.count() + 2
    audited = sum(json.loads(b.detail)["count"] for b in batches if b.entity == "case")
    assert audited == CASES


def test_the_knowledge_base_gets_its_demo_articles_once(generated) -> None:
    from hotline.demo import knowledge
    from hotline.knowledge.schema import KnowledgeArticle, KnowledgeToken

    written = KnowledgeArticle.select().count()
    assert written == len(list(knowledge.seeds())) > 200
    assert KnowledgeToken.select().count() > written * 50  # indexed
    assert knowledge.write_articles() == 0  # never twice


def test_credit_codes_and_phones_are_valid(generated) -> None:
    codes = [e.uscc for e in Enterprise.select() if e.uscc]
    assert codes and all(is_valid_uscc(code) for code in codes)
    assert len(set(codes)) == len(codes)
    callers = contacts.stored(case.id for case in Case.select(Case.id))
    for case in Case.select():
        caller = callers[case.id]
        assert normalize_phone(caller.phone) == caller.phone
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", caller.name)
        assert contacts.masked_columns(caller.name, caller.phone) == {
            "contact_name_masked": case.contact_name_masked,
            "contact_phone_masked": case.contact_phone_masked,
        }
        assert 60 <= len(case.description) <= 300
        assert case.received_at <= NOW
        assert case.district_id == case.enterprise.district_id


def test_timelines_agree_with_the_case_columns(generated) -> None:
    ceiling = deadlines.load_policy().ceiling_days
    for case in Case.select():
        events = _events(case.id)
        assert all(a.at <= b.at for a, b in itertools.pairwise(events))
        assert events[-1].at <= NOW and events[0].at >= case.received_at
        state = replay(events, kind=case.kind, received_at=case.received_at, ceiling_days=ceiling)
        assert state.status == case.status
        assert state.version == case.version and state.round == case.round
        assert state.deadline == case.deadline and state.reply == case.reply
        assert (case.department.name if case.department_id else None) == state.department
        if case.repeat_of_id:
            assert state.repeat_of == case.repeat_of.case_no


def test_a_believable_mix(generated) -> None:
    statuses = Counter(c.status for c in Case.select())
    assert statuses["closed"] > CASES // 2
    assert set(statuses) - {"closed"}, "some cases are still open"
    kinds = Counter(c.kind for c in Case.select())
    assert len(kinds) >= 5 and len({c.category for c in Case.select()}) >= 8
    actions = Counter(e.action for e in CaseEvent.select())
    for action in ("dispatch", "reply", "callback", "close", "answer_on_spot"):
        assert actions[action] > 0
    received = sorted(c.received_at for c in Case.select())
    assert received[-1] - received[0] > dt.timedelta(days=500)


def test_numbers_follow_the_day_counters(generated) -> None:
    per_day: dict[str, list[int]] = {}
    for case in Case.select().order_by(Case.id):
        match = numbering.PATTERN.match(case.case_no)
        assert match and match.group(2) == f"{case.received_at:%Y%m%d}"
        per_day.setdefault(match.group(2), []).append(int(match.group(3)))
    counters = {c.day: c.last for c in CaseCounter.select()}
    for day, sequence in per_day.items():
        assert sequence == list(range(1, len(sequence) + 1))
        assert counters[day] == len(sequence)


def test_search_finds_an_enterprise_by_two_characters(generated) -> None:
    enterprise = Enterprise.select().join(Case).order_by(Enterprise.id).first()
    match = re.search(
        r"(?:鹤壁市|鹤壁|河南省|河南|淇县|浚县|淇滨区|山城区|鹤山区|开发区)?(..)", enterprise.name
    )
    assert match
    found = search(match.group(1), limit=500).case_ids
    assert any(Case.get_by_id(i).enterprise_id == enterprise.id for i in found)


def test_same_seed_same_data(database, tmp_path) -> None:
    from hotline import db

    def snapshot() -> list[tuple[object, ...]]:
        return list(Case.select(Case.case_no, Case.subject, Case.status).tuples())

    with clock.frozen(NOW):
        generator.generate(40, seed=9)
    first = snapshot()
    db.close()
    db.open_database(tmp_path / "again.sqlite3")
    with clock.frozen(NOW):
        generator.generate(40, seed=9)
    assert snapshot() == first
    db.close()


def test_a_cancelled_run_keeps_what_it_wrote_indexed(database, monkeypatch) -> None:
    monkeypatch.setattr(generator, "BATCH_CASES", 50)

    class Cancelled(Exception):
        pass

    def progress(done: int, total: int) -> None:
        if done >= 100:
            raise Cancelled

    with clock.frozen(NOW), pytest.raises(Cancelled):
        generator.generate(400, seed=2, progress=progress)
    written = Case.select().count()
    assert 100 <= written < 400
    newest = Case.select().order_by(Case.id.desc()).first()
    assert newest.id in search(newest.case_no).case_ids
    entry = AuditEntry.get(AuditEntry.action == "demo.generate")
    assert json.loads(entry.detail)["complete"] is False


def test_rows_made_in_a_second_process_are_the_same(database, tmp_path, monkeypatch) -> None:
    from hotline import db

    def snapshot() -> list[tuple[object, ...]]:
        return list(Case.select(Case.case_no, Case.description, Case.status).tuples())

    with clock.frozen(NOW):
        generator.generate(60, seed=4)
    here = snapshot()
    db.close()
    db.open_database(tmp_path / "spawned.sqlite3")
    monkeypatch.setattr(generator, "SUBPROCESS_FROM", 1)
    with clock.frozen(NOW):
        generator.generate(60, seed=4)
    assert snapshot() == here
    db.close()


def test_stops_when_another_program_writes_meanwhile(database, cli_actor, monkeypatch) -> None:
    from hotline import cases
    from hotline.errors import ConflictError
    from tests.conftest import sample_case

    monkeypatch.setattr(generator, "BATCH_CASES", 50)

    def progress(done: int, total: int) -> None:
        if done and done < 2 * 300 and Case.select().count() == done:
            cases.register(cli_actor, sample_case())  # an operator, between two batches

    with clock.frozen(NOW), pytest.raises(ConflictError):
        generator.generate(300, seed=2, progress=progress)
    numbers = [c.case_no for c in Case.select()]
    assert len(numbers) == len(set(numbers)) and 50 <= len(numbers) < 300


@pytest.mark.sqlite_only("compares the FTS5 tables with a rebuilt copy")
@pytest.mark.parametrize("second_process", [False, True])
def test_the_index_written_with_the_rows_is_the_index_rebuilt(
    database, cli_actor, monkeypatch, second_process: bool
) -> None:
    from hotline import cases, workflow
    from tests.conftest import sample_case
    from tests.hotline.index_check import assert_index_is_as_rebuilt

    earlier = cases.register(cli_actor, sample_case())  # demo data appended to real cases
    if second_process:
        monkeypatch.setattr(generator, "SUBPROCESS_FROM", 1)
    with clock.frozen(NOW):
        generator.generate(120, seed=6)
    some = Case.select().where(Case.id != earlier.id).order_by(Case.id.desc()).first()
    workflow.add_note(cli_actor, some.id, "企业来电补充 13912345678")  # removes its demo row
    assert search("13912345678").case_ids == [some.id]
    assert some.id in search(some.case_no).case_ids
    assert_index_is_as_rebuilt(database)
