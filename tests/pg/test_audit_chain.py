"""A change that is rolled back leaves no trace in the audit chain, on either backend.

PostgreSQL sequences do not roll back: an id drawn by a transaction that failed is gone. The
chain's check treats a missing id as a deleted entry, so audit ids must not come from a
sequence.
"""

from __future__ import annotations

import pytest

from hotline import audit, cases, db
from tests.conftest import sample_case


def test_a_rolled_back_registration_leaves_the_chain_intact(
    database, cli_actor, request: pytest.FixtureRequest
) -> None:
    cases.register(cli_actor, sample_case(subject="第一件"))
    with pytest.raises(RuntimeError), db.write_transaction():
        cases.register(cli_actor, sample_case(subject="撤销的登记"))
        raise RuntimeError("the operator's workstation lost power")
    cases.register(cli_actor, sample_case(subject="第二件"))
    result = audit.verify()
    assert result.ok, result
