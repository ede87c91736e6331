"""What each simulated workstation does in the concurrency test (run in its own process)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from hotline import cases, db, workflow
from hotline.errors import ConflictError
from hotline.models import Case
from hotline.permissions import Actor
from tests.conftest import sample_case


@dataclass
class Outcome:
    registered: list[str] = field(default_factory=list)  # case numbers
    applied: list[tuple[int, int, str]] = field(
        default_factory=list
    )  # (case, from version, action)
    conflicts: int = 0
    errors: list[str] = field(default_factory=list)


def _change(actor: Actor, case_id: int, outcome: Outcome) -> None:
    """Read a shared case as a form would, then change it with the version that was read."""
    case = Case.get_by_id(case_id)
    action = "dispatch" if case.status in ("registered", "returned") else "return"
    try:
        if action == "dispatch":
            workflow.dispatch(actor, case_id, 1 + case_id % 3, expected_version=case.version)
        else:
            workflow.return_case(actor, case_id, "非本单位职责", expected_version=case.version)
    except ConflictError:
        outcome.conflicts += 1
    else:
        outcome.applied.append((case_id, case.version, action))


def workstation(target: str, seat: int, count: int, shared: list[int], seed: int) -> Outcome:
    rng = random.Random(seed * 100 + seat)
    actor = Actor.command_line(f"seat{seat}")
    outcome = Outcome()
    db.open_database(target)
    try:
        for n in range(count):
            try:
                case = cases.register(
                    actor,
                    sample_case(
                        subject=f"坐席{seat}第{n}件",
                        contact={"name": "王芳", "phone": "13812345678"},
                    ),
                )
                outcome.registered.append(case.case_no)
                _change(actor, rng.choice(shared), outcome)
            except Exception as exc:  # reported to the test, which fails on any
                outcome.errors.append(f"{type(exc).__name__}: {exc}")
    finally:
        db.close()
    return outcome


def first_start(target: str) -> str:
    """Open (and so create or upgrade) the database as a workstation starting up does."""
    from hotline import migrations

    try:
        handle = db.open_database(target)
        try:
            return str(migrations.current_version(handle))
        finally:
            db.close()
    except Exception as exc:  # reported to the test, which fails on any
        return f"{type(exc).__name__}: {exc}"


def first_start_together(target: str, barrier: Any) -> str:
    """:func:`first_start` once every desk is ready (the imports done), so that they open the
    database at the same moment rather than one after another as their processes come up."""
    from hotline import migrations  # noqa: F401 (imported before the wait, not after)

    barrier.wait(timeout=120)
    return first_start(target)
