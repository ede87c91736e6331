"""One meaning per shortcut: the table, the windows that use it, F1 listing it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import QApplication, QWidget

from hotline import cases, enterprises
from tests.conftest import sample_case
from tests.ui.conftest import insert_cases
from ui.case.action_dialogs import TextActionDialog
from ui.case.detail import CaseDetailWindow
from ui.common import shortcuts
from ui.common.shortcuts_dialog import ShortcutsDialog
from ui.enterprise.window import EnterpriseWindow
from ui.exemption.panel import ExemptionPanel
from ui.handover.dialog import HandoverDialog
from ui.intake.form import IntakeWindow
from ui.main_window.window import MainWindow
from ui.reports.preview import ReportJob, ReportPreviewWindow

PORTABLE = QKeySequence.SequenceFormat.PortableText


def _portable(key: str | QKeySequence) -> str:
    return QKeySequence(key).toString(PORTABLE)


def _table_by_key() -> dict[str, shortcuts.Shortcut]:
    return {_portable(k): item for item in shortcuts.SHORTCUTS for k in item.keys}


def test_no_key_has_two_meanings():
    seen: dict[str, str] = {}
    for item in shortcuts.SHORTCUTS:
        for key in item.keys:
            portable = _portable(key)
            assert portable, f"{key!r} is not a key Qt understands"
            assert portable not in seen, f"{portable} means both {seen[portable]} and {item.name}"
            seen[portable] = item.name
        assert set(item.where) <= set(shortcuts.WHERE)
    assert len({item.name for item in shortcuts.SHORTCUTS}) == len(shortcuts.SHORTCUTS)
    assert shortcuts.key("enterprise") == "Ctrl+E"
    assert shortcuts.key("close_case") != "Ctrl+E"


def _keys_of(widget: QWidget) -> set[str]:
    """Every key the widget's own actions and shortcuts (its children's included) listen to."""
    found = set()
    for action in [*widget.actions(), *widget.findChildren(QAction)]:
        found |= {_portable(s) for s in action.shortcuts() if not s.isEmpty()}
    for item in widget.findChildren(QShortcut):
        found.add(_portable(item.key()))
    return found


def _assert_from_table(widget: QWidget, where: str) -> set[str]:
    table = _table_by_key()
    keys = _keys_of(widget)
    assert keys, f"{where}: no shortcuts found"
    for key in keys:
        assert key in table, f"{where} uses {key}, which is not in the shortcut table"
        assert where in table[key].where, f"{key} ({table[key].name}) is not listed for {where}"
    return keys


@pytest.fixture
def case_id(database, cli_actor) -> int:
    return cases.register(cli_actor, sample_case()).id


def test_every_window_takes_its_keys_from_the_table(qtbot, session, case_id):
    insert_cases(3)
    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: not main.model.loading)
    main_keys = _assert_from_table(main, "main")
    assert {"Ctrl+E", "Ctrl+P", "Ctrl+Shift+R", "F1", "Ctrl+N"} <= main_keys

    window = CaseDetailWindow(session, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=5000)
    panel = window.findChild(ExemptionPanel)
    assert panel is not None
    _assert_from_table(panel, "checklist")
    case_own = {
        _portable(s.key())
        for s in window.findChildren(QShortcut)
        if not panel.isAncestorOf(s.parent())
    } | {_portable(k) for a in window.findChildren(QAction) for k in a.shortcuts()}
    table = _table_by_key()
    for key in case_own:
        assert "case" in table[key].where, key
    assert {"Ctrl+E", "Ctrl+J", "Ctrl+D", "Ctrl+P", "F1"} <= case_own

    dialog = TextActionDialog("t", "t", "note", "n", lambda v: None, window)
    qtbot.addWidget(dialog)
    _assert_from_table(dialog, "dialog")

    intake = IntakeWindow(session)
    qtbot.addWidget(intake)
    _assert_from_table(intake, "intake")

    enterprise = enterprises.find("鹤壁市华联商贸有限公司", None)
    assert enterprise is not None
    enterprise_window = EnterpriseWindow(session, enterprise.id)
    qtbot.addWidget(enterprise_window)
    _assert_from_table(enterprise_window, "enterprise")

    handover = HandoverDialog(session)
    qtbot.addWidget(handover)
    _assert_from_table(handover, "handover")

    preview = ReportPreviewWindow(ReportJob("t", "t.pdf", lambda path: None))
    qtbot.addWidget(preview)
    _assert_from_table(preview, "preview")


def test_ctrl_e_is_the_enterprise_in_the_case_window_too(qtbot, session, case_id):
    window = CaseDetailWindow(session, case_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.snapshot is not None, timeout=5000)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    with qtbot.waitSignal(window.enterprise_requested) as blocker:
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert blocker.args == [window.snapshot.enterprise.id]
    assert window.active_dialog is None  # not 办结
    assert "Ctrl+J" in window.buttons["close"].toolTip()


def test_f1_lists_every_shortcut(qtbot, session):
    main = MainWindow(session)
    qtbot.addWidget(main)
    main.show()
    qtbot.waitUntil(lambda: not main.model.loading)
    main.actions_by_name["shortcuts"].trigger()
    dialog = main.findChild(ShortcutsDialog)
    assert dialog is not None and dialog.isVisible()
    listed = " ".join(dialog.keys_listed())
    native = QKeySequence.SequenceFormat.NativeText
    for item in shortcuts.SHORTCUTS:
        for key in item.keys:
            assert QKeySequence(key).toString(native) in listed
    assert dialog.table.rowCount() == len(shortcuts.SHORTCUTS)
    texts = [dialog.table.item(r, 1).text() for r in range(dialog.table.rowCount())]
    assert "营商环境周报" in texts
    assert any(t.startswith("打印") for t in texts)
