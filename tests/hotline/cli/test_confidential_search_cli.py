"""``search`` on the command line finds a confidential case by its caller only for a role
allowed to see confidential callers, and shows the others its subject scrubbed (issue 12,
class 5). The command line acts as an administrator unless ``--user`` names an account with
another role; that role is stood in for here."""

from __future__ import annotations

from pathlib import Path

import pytest

from hotline import db
from hotline.cli.context import Context
from hotline.enums import Role
from hotline.permissions import Actor
from tests.hotline import confidential_case as caller
from tests.hotline.cli.conftest import Runner
from tests.hotline.confidential_case import NAME, PHONE_SPELLINGS, leaks


@pytest.fixture
def planted(db_path: Path, cli_actor: Actor) -> str:
    db.open_database(db_path)
    try:
        return caller.make(cli_actor).case_no
    finally:
        db.close()


def test_the_administrator_finds_the_caller(run_cli: Runner, planted: str) -> None:
    for query in (NAME, PHONE_SPELLINGS[0]):
        found = run_cli("--json", "search", query).json()
        assert [row["case_no"] for row in found] == [planted]


def test_a_role_without_the_right_does_not(run_cli: Runner, planted: str, monkeypatch) -> None:
    monkeypatch.setattr(Context, "actor", property(lambda self: Actor("科长", Role.MANAGER)))
    for query in (NAME, *PHONE_SPELLINGS[:4]):
        assert run_cli("--json", "search", query).json() == [], query
    (row,) = run_cli("--json", "search", "审批拖延").json()
    assert row["case_no"] == planted and leaks(row["subject"]) == []
    human = run_cli("search", "审批拖延")
    assert planted in human.out and leaks(human.out) == []
