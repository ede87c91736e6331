"""The centre's idle-lock policy caps the settings dialog and the idle lock itself."""

from __future__ import annotations

from PySide6.QtWidgets import QLineEdit

from hotline import lock_policy
from hotline.lock_policy import IdleLockPolicy
from ui.common.events import app_events
from ui.common.settings import AppSettings
from ui.start import settings_dialog
from ui.start.idle_lock import IdleLock


def _save(session, policy: IdleLockPolicy) -> None:
    lock_policy.save(session.actor, policy)


def test_the_settings_dialog_is_capped_and_cannot_switch_the_lock_off(qtbot, session):
    _save(session, IdleLockPolicy(max_minutes=10, allow_off=False))
    AppSettings().idle_lock_minutes = 0  # switched off before the policy existed
    dialog = settings_dialog.SettingsDialog(session)
    qtbot.addWidget(dialog)
    assert not dialog.idle.isEnabled()  # not before the policy is known
    with qtbot.waitSignal(dialog.policy_loaded):
        pass
    assert (dialog.idle.minimum(), dialog.idle.maximum()) == (1, 10)
    assert dialog.idle.value() == 10  # "never" is not allowed: the longest allowed instead
    assert "10 分钟" in dialog.idle_policy.text() and "不能关闭" in dialog.idle_policy.text()
    dialog.idle.setValue(60)
    assert dialog.idle.value() == 10
    dialog.save()
    assert AppSettings().idle_lock_minutes == 10


def test_the_settings_dialog_offers_never_where_the_policy_allows(qtbot, session):
    _save(session, IdleLockPolicy(max_minutes=45, allow_off=True))
    dialog = settings_dialog.SettingsDialog(session)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(dialog.idle.isEnabled)
    assert (dialog.idle.minimum(), dialog.idle.maximum()) == (0, 45)
    dialog.idle.setValue(0)
    assert dialog.idle.text() == "从不锁定"


def test_the_idle_lock_applies_the_effective_time(qtbot, session):
    field = QLineEdit()
    qtbot.addWidget(field)
    _save(session, IdleLockPolicy(max_minutes=20, allow_off=False))
    lock = IdleLock(field, session, minutes=0)
    assert lock.minutes == 0  # until the policy is read
    with qtbot.waitSignal(lock.policy_applied) as applied:
        lock.choose(0)
    assert applied.args == [20] and lock.minutes == 20 and lock._timer.isActive()
    with qtbot.waitSignal(lock.policy_applied):
        lock.choose(90)
    assert lock.minutes == 20
    with qtbot.waitSignal(lock.policy_applied):
        lock.choose(5)
    assert lock.minutes == 5
    # The administrator allows switching off: a change of settings applies it.
    _save(session, IdleLockPolicy(max_minutes=20, allow_off=True))
    lock.chosen = 0
    with qtbot.waitSignal(lock.policy_applied):
        app_events().settings_changed.emit()
    assert lock.minutes == 0 and not lock._timer.isActive()
    lock.set_minutes(0)
