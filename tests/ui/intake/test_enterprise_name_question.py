"""A credit code on file typed with another name: the intake window asks which is right,
never silently taking the archived name."""

from __future__ import annotations

import pytest

from hotline import cases, enterprise_directory
from hotline.models import Case, Enterprise
from tests.conftest import sample_case
from ui.intake.form import IntakeWindow
from ui.intake.name_question import NameQuestion

REGISTERED = "鹤壁市华联商贸有限公司"
TYPED = "鹤壁华联集团有限公司"


@pytest.fixture
def window(qtbot, operator_session, cli_actor):
    cases.register(cli_actor, sample_case())  # REGISTERED with the sample's credit code
    win = IntakeWindow(operator_session)
    qtbot.addWidget(win)
    win.show()
    win.fields.set_values(
        sample_case(enterprise={"name": TYPED, "uscc": "91410600MA44XKQ35C"}, subject="新来电")
    )
    return win


def _asked(qtbot, window) -> NameQuestion:
    window.save()
    qtbot.waitUntil(lambda: window.name_question is not None and window.name_question.isVisible())
    question = window.name_question
    assert isinstance(question, NameQuestion)
    assert REGISTERED in question.text() and TYPED in question.text()
    assert Case.select().count() == 1  # nothing saved while asking
    assert question.defaultButton() is question.cancel_button  # Enter by habit decides nothing
    return question


def test_keeping_the_registered_name(qtbot, window):
    question = _asked(qtbot, window)
    with qtbot.waitSignal(window.case_registered, timeout=5000) as saved:
        question.keep_button.click()
    case = Case.get_by_id(saved.args[0])
    assert case.subject == "新来电"
    assert Enterprise.get_by_id(case.enterprise_id).name == REGISTERED
    assert enterprise_directory.former_names(case.enterprise_id) == []


def test_correcting_the_name_keeps_the_old_one_as_a_former_name(qtbot, window):
    question = _asked(qtbot, window)
    with qtbot.waitSignal(window.case_registered, timeout=5000) as saved:
        question.rename_button.click()
    case = Case.get_by_id(saved.args[0])
    assert Enterprise.get_by_id(case.enterprise_id).name == TYPED
    (former,) = enterprise_directory.former_names(case.enterprise_id)
    assert former.name == REGISTERED


def test_going_back_keeps_the_form_and_saves_nothing(qtbot, window):
    question = _asked(qtbot, window)
    question.cancel_button.click()
    assert Case.select().count() == 1
    assert window.fields.enterprise_name.text() == TYPED  # what was typed is kept
    assert window.save_button.isEnabled()
    assert "未保存" in window.draft_status.text()
