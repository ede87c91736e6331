"""The administrator turns the HTTP call interface on: port and a generated token, saved off
the GUI thread, and a running app follows the new setting."""

from __future__ import annotations

from hotline import call_listener_policy
from hotline.call_listener_policy import CallListenerPolicy
from tests.backends import free_port
from ui.admin.call_policy import CallListenerBox
from ui.calls.router import CallRouter
from ui.common.events import app_events


def test_turning_the_http_interface_on_and_off(qtbot, session, tmp_path) -> None:
    box = CallListenerBox(session)
    qtbot.addWidget(box)
    qtbot.waitUntil(box.isEnabled)
    assert not box.enabled.isChecked()
    router = CallRouter(lambda: None)
    assert router.start(str(tmp_path / "c.sock"))

    box.enabled.setChecked(True)
    port = free_port()  # below the ephemeral range: no outgoing connection takes it meanwhile
    box.port.setValue(port)
    box.save()  # no token yet: refused, named
    qtbot.waitUntil(lambda: bool(box.error.text()))
    assert "令牌" in box.error.text()
    assert not call_listener_policy.load().enabled

    box.new_token.click()
    assert len(box.token.text()) >= call_listener_policy.MIN_TOKEN
    with qtbot.waitSignal(box.saved, timeout=5000):
        box.save()
    stored = call_listener_policy.load()
    assert stored.enabled and stored.port == port and stored.token == box.token.text()

    with qtbot.waitSignal(router.policy_applied, timeout=5000):
        router.current_window = lambda: object()  # type: ignore[assignment,return-value]
        router.reload_policy()
    assert router.http.port() == port and router.http.token == stored.token
    box.enabled.setChecked(False)
    with qtbot.waitSignal(router.policy_applied, timeout=5000):  # settings_changed: reloaded
        box.save()
    assert not router.http.server.isListening()
    router.stop()


def test_a_stopped_router_no_longer_follows_the_setting(qtbot, session, tmp_path) -> None:
    """A router that was stopped (an earlier test's, or the program's before a restart of the
    listeners) must not start listening on the next saved port: it took the port from the
    router that replaced it (CI saw "The bound address is already in use")."""
    stopped = CallRouter(lambda: object())  # type: ignore[arg-type,return-value]
    assert stopped.start(str(tmp_path / "old.sock"))
    stopped.stop()
    current = CallRouter(lambda: object())  # type: ignore[arg-type,return-value]
    assert current.start(str(tmp_path / "new.sock"))
    try:
        port = free_port()
        call_listener_policy.save(session.actor, CallListenerPolicy(True, port, "t" * 20))
        with (
            qtbot.assertNotEmitted(stopped.policy_applied, wait=1000),
            qtbot.waitSignal(current.policy_applied, timeout=5000),
        ):
            app_events().settings_changed.emit()
        assert current.http.port() == port and not stopped.http.server.isListening()
    finally:
        current.stop()
