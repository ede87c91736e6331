"""Separation of duties in the case window: whoever requested an extension is not offered
its approval; another shift lead is."""

from __future__ import annotations

from hotline import cases, workflow
from hotline.enums import Role
from hotline.models import Case, Department
from tests.conftest import sample_case
from tests.ui.case.conftest import open_window
from tests.ui.case.test_case_detail import act, visible_actions
from tests.ui.conftest import make_user
from tests.ui.typing_helpers import type_text
from ui.common.session import Session


def test_the_requester_is_not_offered_the_decision(
    qtbot, frozen, database, database_target, cli_actor
):
    case = cases.register(cli_actor, sample_case())
    workflow.dispatch(cli_actor, case.id, Department.select().first().id)
    requester = Session(make_user("lead1", Role.SHIFT_LEAD, "值班长甲"), database_target)
    window = open_window(qtbot, requester, case.id)
    dialog = window.perform("request_extension")
    type_text(dialog.reason, "需补充消防审查意见")
    act(qtbot, window, dialog)
    assert Case.get_by_id(case.id).extension_status == "requested"
    assert "decide_extension" not in visible_actions(window)  # a shift lead, but the requester

    other = Session(make_user("lead2", Role.SHIFT_LEAD, "值班长乙"), database_target)
    other_window = open_window(qtbot, other, case.id)
    assert "decide_extension" in visible_actions(other_window)
