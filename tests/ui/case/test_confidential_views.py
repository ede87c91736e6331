"""What a role without the right to see confidential callers is shown of a confidential case
(issue 12, class 5): the case window, the list and the search box never give away the caller's
name or phone, in any spelling; a role with the right sees and finds them as before."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from hotline.enums import Role
from tests.hotline import confidential_case as caller
from tests.hotline.confidential_case import NAME, PHONE_SPELLINGS, leaks
from tests.ui.case.conftest import open_window
from tests.ui.conftest import make_user
from tests.ui.main_window.test_main_window import _window
from tests.ui.typing_helpers import press
from ui.common.session import Session


def _window_text(window) -> str:  # type: ignore[no-untyped-def]
    parts = [window.fields.values[name].text() for name in window.fields.values]
    parts.append(window.header.subject.text())
    model = window.timeline.timeline
    for row in range(model.rowCount()):
        parts.append(str(model.index(row, 3).data(Qt.ItemDataRole.DisplayRole)))
    parts += [json.dumps(event.data, ensure_ascii=False) for event in window.snapshot.events]
    parts += [window.snapshot.texts[name] for name in window.snapshot.texts]
    return "\n".join(parts)


def test_the_case_window_shows_a_manager_no_spelling_of_the_caller(
    qtbot, database, database_target, cli_actor
):
    case = caller.make(cli_actor)
    manager = Session(make_user("boss", Role.MANAGER, "科长"), database_target)
    text = _window_text(open_window(qtbot, manager, case.id))
    assert leaks(text) == []
    assert "欧阳**" in text and "138****5678" in text

    operator = Session(make_user("seat9", Role.OPERATOR, "坐席九"), database_target)
    assert NAME in leaks(_window_text(open_window(qtbot, operator, case.id)))


def _search(qtbot, window, text: str) -> list[int]:  # type: ignore[no-untyped-def]
    window.focus_search()
    window.search_box.setText(text)
    with qtbot.waitSignal(window.case_search.results, timeout=5000):
        press(window.search_box, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not window.model.loading)
    found = [window.model.row_at(i).id for i in range(window.model.rowCount())]
    window.focus_search()
    press(window.search_box, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: window.case_search.case_ids is None and not window.model.loading)
    return found


def test_the_search_box_finds_the_caller_only_for_a_role_with_the_right(
    qtbot, database, database_target, cli_actor
):
    case = caller.make(cli_actor)
    manager = _window(qtbot, Session(make_user("boss", Role.MANAGER, "科长"), database_target))
    assert leaks(manager.model.row_at(0).subject) == []
    for query in (NAME, PHONE_SPELLINGS[0], PHONE_SPELLINGS[2]):
        assert _search(qtbot, manager, query) == [], query
    assert _search(qtbot, manager, "审批拖延") == [case.id]

    operator = _window(qtbot, Session(make_user("seat9", Role.OPERATOR, "坐席九"), database_target))
    for query in (NAME, PHONE_SPELLINGS[0]):
        assert _search(qtbot, operator, query) == [case.id], query
