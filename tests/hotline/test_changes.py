"""Other workstations' changes show up in the next poll, on both backends."""

from __future__ import annotations

import threading

from hotline import admin, cases, changes, db, workflow
from hotline.models import Case
from tests.conftest import sample_case


def _elsewhere(work) -> None:  # type: ignore[no-untyped-def]
    """Run ``work`` on another connection, as another workstation would."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:  # handed to the test
            errors.append(exc)
        finally:
            db.current().close()  # this thread's connection only, as the app's workers do

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    assert errors == []


def test_starting_to_watch_reports_nothing(database, cli_actor) -> None:
    cases.register(cli_actor, sample_case())
    first = changes.changes_since(None)
    assert first.token == changes.current_token() > 0
    assert not first.any
    assert not changes.changes_since(first.token).any


def test_new_and_changed_cases_from_another_workstation(database, cli_actor) -> None:
    existing = cases.register(cli_actor, sample_case())
    untouched = cases.register(cli_actor, sample_case(subject="无人改动"))
    token = changes.current_token()
    made: list[Case] = []
    _elsewhere(lambda: made.append(cases.register(cli_actor, sample_case(subject="别处新登记"))))
    _elsewhere(lambda: workflow.dispatch(cli_actor, existing.id, 1))

    seen = changes.changes_since(token)
    assert seen.case_ids == {made[0].id, existing.id}
    assert untouched.id not in seen.case_ids
    assert not seen.reload_all
    assert changes.changes_since(seen.token).case_ids == frozenset()


def test_other_records_are_named(database, cli_actor) -> None:
    token = changes.current_token()
    admin.save_department(cli_actor, code="D99", name="测试局")
    seen = changes.changes_since(token)
    assert "department" in seen.entities and not seen.case_ids


def test_far_behind_or_unknown_token_asks_for_a_full_reload(database, cli_actor) -> None:
    token = changes.current_token()
    for n in range(3):
        cases.register(cli_actor, sample_case(subject=f"第{n}件"))
    assert changes.changes_since(token, limit=2).reload_all
    assert changes.changes_since(token + 1000).reload_all  # e.g. a restored older database
    # (A server set up by ``server setup`` adds the database's own entries of each row.)
    assert not changes.changes_since(token, limit=50).reload_all
