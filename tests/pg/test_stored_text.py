"""Text PostgreSQL cannot store is refused as bad input, with nothing written."""

from __future__ import annotations

import pytest

from hotline import cases, workflow
from hotline.errors import ValidationError
from hotline.models import Case, CaseEvent
from tests.conftest import sample_case


def test_a_nul_character_is_refused_not_a_crash(pg_database, cli_actor) -> None:
    with pytest.raises(ValidationError) as info:
        cases.register(cli_actor, sample_case(description="复制来的文字\x00带有空字符"))
    assert "NUL" in info.value.text
    assert Case.select().count() == 0
    case = cases.register(cli_actor, sample_case())
    events = CaseEvent.select().count()
    with pytest.raises(ValidationError):
        workflow.add_note(cli_actor, case.id, "备注\x00")
    assert CaseEvent.select().count() == events
