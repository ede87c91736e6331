"""Four workstations at once: every case there once, numbers unique, no change lost.

Four processes register 250 cases each against the same database and, between
registrations, change a few shared cases the way a form does (read, then write with the
version read). Every change must be either applied or refused with a conflict; an applied
change from a version someone else already changed would be a lost update.
"""

from __future__ import annotations

import collections
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

from hotline import audit, cases, db, numbering
from hotline.models import AuditEntry, Case, CaseEvent
from tests.conftest import sample_case
from tests.pg.workers import first_start, first_start_together, workstation

SEATS = 4
PER_SEAT = 250
SHARED = 3


def test_four_workstations_register_and_change_shared_cases(database_target, cli_actor) -> None:
    db.open_database(database_target)
    shared = [cases.register(cli_actor, sample_case(subject=f"共享{n}")).id for n in range(SHARED)]
    db.close()

    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(SEATS, mp_context=context) as pool:
        futures = [
            pool.submit(workstation, database_target, seat, PER_SEAT, shared, 1)
            for seat in range(SEATS)
        ]
        outcomes = [f.result(timeout=300) for f in futures]

    assert [o.errors for o in outcomes] == [[]] * SEATS
    db.open_database(database_target)
    try:
        registered = [no for o in outcomes for no in o.registered]
        assert len(registered) == SEATS * PER_SEAT
        numbers = [c.case_no for c in Case.select(Case.case_no)]
        assert len(numbers) == len(set(numbers)) == SEATS * PER_SEAT + SHARED
        assert set(registered) <= set(numbers)
        by_day = collections.defaultdict(list)
        for number in numbers:
            match = numbering.PATTERN.match(number)
            assert match, number
            by_day[match.group(2)].append(int(match.group(3)))
        for sequence in by_day.values():  # unique and without gaps
            assert sorted(sequence) == list(range(1, len(sequence) + 1))

        applied = [a for o in outcomes for a in o.applied]
        conflicts = sum(o.conflicts for o in outcomes)
        assert len(applied) + conflicts == SEATS * PER_SEAT
        # No two workstations changed the same case from the same version: nothing overwritten.
        assert len({(case, version) for case, version, _ in applied}) == len(applied)
        for case_id in shared:
            mine = sorted(v for c, v, _ in applied if c == case_id)
            case = Case.get_by_id(case_id)
            assert mine == list(range(1, case.version))  # every version bump is one applied change
            recorded = (
                CaseEvent.select()
                .where((CaseEvent.case == case_id) & CaseEvent.action.in_(["dispatch", "return"]))
                .count()
            )
            assert recorded == len(mine)
        changes = AuditEntry.select().where(AuditEntry.action.in_(["case.dispatch", "case.return"]))
        assert changes.count() == len(applied)
        assert audit.verify().ok
    finally:
        db.close()


def _start_at_once(target: str) -> list[str]:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(SEATS, mp_context=context) as pool:
        futures = [pool.submit(first_start, target) for _ in range(SEATS)]
        return [f.result(timeout=300) for f in futures]


def test_workstations_starting_at_once_on_a_new_server_database(empty_pg_url: str) -> None:
    """Each creates the schema or waits for the one that does; none sees an error."""
    from hotline import migrations

    assert _start_at_once(empty_pg_url) == [str(migrations.latest_version())] * SEATS


def test_workstations_starting_at_once_on_a_new_file(tmp_path) -> None:
    from hotline import migrations

    target = str(tmp_path / "shared.sqlite3")
    assert _start_at_once(target) == [str(migrations.latest_version())] * SEATS


def test_workstations_upgrading_at_once_copy_the_database_once(tmp_path) -> None:
    """A new program started at four desks at once on an older file: each opens it (one
    migrates, the others wait and find it done), and the copy kept before migrating is made
    once, under the write lock, not by each desk while another is half-way through."""
    from hotline import migrations

    target = tmp_path / "shared.sqlite3"
    handle = db.open_database(target, migrate=False)
    older = sorted(m.version for m in migrations.MIGRATIONS)[-3]
    migrations.upgrade(handle, str(target), up_to=older)
    db.close()
    context = multiprocessing.get_context("spawn")
    with context.Manager() as manager, ProcessPoolExecutor(SEATS, mp_context=context) as pool:
        barrier = manager.Barrier(SEATS)
        futures = [pool.submit(first_start_together, str(target), barrier) for _ in range(SEATS)]
        opened = [f.result(timeout=300) for f in futures]
    assert opened == [str(migrations.latest_version())] * SEATS
    assert len(list(tmp_path.glob("shared.sqlite3.v*.bak"))) == 1
