"""The phone rings: an incoming-call event reaches the signed-in operator's intake form through
the app's local socket (or HTTP), the caller is recognised, and one key takes them."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import os
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtNetwork import QLocalServer
from PySide6.QtWidgets import QApplication

from hotline import calls, case_calls, cases, clock, timeline, workflow
from hotline.models import Case
from tests.conftest import sample_case
from tests.ui.typing_helpers import press, type_text
from ui.calls.router import CallRouter
from ui.main_window.window import MainWindow

KNOWN = "13812345678"


@pytest.fixture
def main_window(qtbot, operator_session):
    window = MainWindow(operator_session)
    qtbot.addWidget(window)
    window.show()
    yield window
    for other in list(window.menu_actions.open_windows.values()):
        other.close()


@pytest.fixture
def router(qtbot, main_window, tmp_path):
    router = CallRouter(lambda: main_window)
    address = str(tmp_path / "c.sock")
    assert router.start(address)
    yield router
    router.stop()


def send(qtbot, router: CallRouter, event: dict) -> dict:
    """``main.py call`` as the telephone system's adapter runs it: over the real socket."""
    result: list[object] = []

    def client() -> None:
        try:
            result.append(calls.send(event, address=router.local.address))
        except Exception as exc:
            result.append(exc)

    thread = threading.Thread(target=client)
    thread.start()
    qtbot.waitUntil(lambda: bool(result), timeout=5000)
    thread.join()
    if isinstance(result[0], Exception):
        raise result[0]
    return result[0]  # type: ignore[return-value]


def intake_of(window: MainWindow, number: int = 0):  # type: ignore[no-untyped-def]
    return window.menu_actions.open_windows[("intake", number)]


def _register(phone: str = KNOWN, **overrides) -> Case:
    return cases.register(
        workflow_actor(), sample_case(contact={"name": "张伟", "phone": phone}, **overrides)
    )


def workflow_actor():  # type: ignore[no-untyped-def]
    from tests.hotline.desk import OPERATOR

    return OPERATOR


def test_a_known_number_fills_the_form_and_lists_its_callers_open_cases_first(
    qtbot, main_window, router
) -> None:
    closed = _register()
    workflow.withdraw(workflow_actor(), closed.id, "无效来电")
    open_case = _register(enterprise={"name": "淇县永兴机械厂", "uscc": ""})

    reply = send(qtbot, router, {"from": "+86 138 1234 5678", "line": "2", "call_id": "77"})
    assert reply == {"ok": True, "shown": "form"}
    intake = intake_of(main_window)
    qtbot.waitUntil(lambda: intake.caller_panel.history is not None, timeout=5000)
    assert intake.fields.contact_phone.text() == KNOWN
    panel = intake.caller_panel
    assert panel.isVisible() and "线路 2" in panel.title()
    assert [c.brief.id for c in panel._cases] == [open_case.id, closed.id]  # open first
    assert panel.callers.count() == 2
    assert "淇县永兴机械厂" in panel.callers.item(0).text()  # the caller with an open case
    assert panel.callers.hasFocus() and panel.callers.currentRow() == 0


def test_one_key_takes_the_caller_and_enterprise(qtbot, main_window, router) -> None:
    _register()
    send(qtbot, router, {"from": KNOWN})
    intake = intake_of(main_window)
    qtbot.waitUntil(lambda: intake.caller_panel.history is not None, timeout=5000)
    qtbot.waitUntil(intake.caller_panel.callers.hasFocus)

    press(intake.caller_panel.callers, Qt.Key.Key_Return)  # the only key

    f = intake.fields
    assert f.contact_name.text() == "张伟"
    assert f.enterprise_name.text() == "鹤壁市华联商贸有限公司"
    assert f.enterprise_uscc.text() == "91410600MA44XKQ35C"
    assert f.district.value() == "410611"
    assert f.kind.hasFocus()  # on to the first thing only the caller can say


def test_an_open_case_gets_a_follow_up_note_with_one_key(qtbot, main_window, router) -> None:
    case = _register()
    send(qtbot, router, {"from": KNOWN, "call_id": "1733.42"})
    intake = intake_of(main_window)
    qtbot.waitUntil(lambda: intake.caller_panel.history is not None, timeout=5000)

    qtbot.keyClick(intake.caller_panel.callers, Qt.Key.Key_F4)  # one key: the note's dialog
    dialog = intake.findChild(QApplication.activeModalWidget().__class__, "followUpDialog")
    assert dialog is not None and dialog.isVisible() and case.case_no in dialog.intro.text()
    type_text(dialog.text, "企业询问办理进度")
    with qtbot.waitSignal(intake.followed_up, timeout=5000) as done:
        qtbot.keyClick(dialog.text, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)

    assert done.args == [case.id]
    notes = [e for e in timeline.events(case.id) if e.action == "note"]
    assert notes[-1].text == "来电催办：企业询问办理进度" and not notes[-1].internal
    assert [c.call_id for c in case_calls.calls_of(case.id)] == ["1733.42"]
    assert Case.select().count() == 1  # no new case
    assert intake.fields.is_blank() and intake.caller_panel.isHidden()  # free for the next


def test_an_unknown_number_opens_a_blank_form_with_the_phone(qtbot, main_window, router) -> None:
    _register()
    send(qtbot, router, {"from": "0392-3311234-801"})
    intake = intake_of(main_window)
    qtbot.waitUntil(lambda: intake.caller_panel.history is not None, timeout=5000)
    f = intake.fields
    assert f.contact_phone.text() == "0392-3311234"
    assert not f.enterprise_name.text() and not f.contact_name.text()
    assert "新来电人" in intake.caller_panel.status.text()
    assert intake.caller_panel.callers.isHidden()
    assert f.enterprise_name.hasFocus()


def test_a_half_filled_form_is_never_touched_and_a_new_form_is_one_key_away(
    qtbot, main_window, router
) -> None:
    _register()
    main_window.menu_actions.new_case()
    intake = intake_of(main_window)
    type_text(intake.fields.subject, "正在记录的上一通来电")
    before = intake.fields.values()

    reply = send(qtbot, router, {"from": KNOWN, "call_id": "99"})

    assert reply == {"ok": True, "shown": "banner"}
    assert intake.fields.values() == before
    assert intake.call is None and intake.caller_panel.isHidden()
    assert intake.call_banner.isVisible() and KNOWN in intake.call_banner.text.text()
    qtbot.keyClick(
        intake.fields.subject,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    second = intake_of(main_window, 1)
    qtbot.waitUntil(lambda: second.caller_panel.history is not None, timeout=5000)
    assert second.fields.contact_phone.text() == KNOWN and second.call.call_id == "99"
    assert intake.fields.values() == before and intake.call_banner.isHidden()


def test_a_second_call_replaces_a_pop_nobody_has_typed_into(qtbot, main_window, router) -> None:
    send(qtbot, router, {"from": KNOWN})
    reply = send(qtbot, router, {"from": "13900000000"})
    assert reply["shown"] == "form"
    assert intake_of(main_window).fields.contact_phone.text() == "13900000000"


def test_a_case_saved_from_the_call_keeps_its_id_and_times(qtbot, main_window, router) -> None:
    at = (clock.now() - dt.timedelta(minutes=5)).replace(second=50, microsecond=0)
    send(qtbot, router, {"from": "13700000000", "call_id": "A-1", "at": at.isoformat()})
    intake = intake_of(main_window)
    qtbot.waitUntil(lambda: intake.caller_panel.history is not None, timeout=5000)
    data = sample_case(contact={"name": "李娜", "phone": "13700000000"})
    data["received_at"] = intake.fields.values()["received_at"]
    intake.fields.set_values(data)
    with qtbot.waitSignal(intake.case_registered, timeout=5000) as saved:
        intake.save()
    [call] = case_calls.calls_of(saved.args[0])
    assert (call.purpose, call.call_id, call.call_at) == ("intake", "A-1", at)
    assert Case.get_by_id(saved.args[0]).received_at == at.replace(second=0)


def test_an_event_with_a_wrong_field_is_refused_with_the_reason(qtbot, router) -> None:
    reply = send(qtbot, router, {"from": "匿名"})
    assert reply["ok"] is False and reply["problems"][0]["field"] == "from"


def test_nobody_signed_in_is_said(qtbot, tmp_path) -> None:
    router = CallRouter(lambda: None)
    assert router.start(str(tmp_path / "n.sock"))
    try:
        reply = send(qtbot, router, {"from": KNOWN})
    finally:
        router.stop()
    assert reply["ok"] is False and "没有人登录" in reply["error"]


def test_a_second_app_of_the_same_user_leaves_the_socket_to_the_first(qtbot, router) -> None:
    other = CallRouter(lambda: None)
    assert not other.local.start(router.local.address)
    reply = send(qtbot, router, {"from": KNOWN})
    assert reply["ok"] is True


@pytest.mark.skipif(
    not hasattr(os, "getuid") or os.getuid() != 0, reason="needs root to be another user"
)
@pytest.mark.parametrize("pause", [0.0, 0.3], ids=["at-once", "slow-sender"])
def test_an_event_from_another_user_is_refused(qtbot, main_window, pause) -> None:
    """Another account on the same machine: even through a socket it could reach, the peer's
    user id (SO_PEERCRED) is checked and the event refused. The refusal is an answer the
    sender reads, also when its line arrives after the connection was accepted (a socket
    closed at once left the sender a broken pipe; CI saw it as a race)."""
    router = CallRouter(lambda: main_window)
    folder = Path(tempfile.mkdtemp(prefix="hotline-peer-"))  # a folder the other user reaches
    os.chmod(folder, 0o777)
    router.local.server.setSocketOptions(QLocalServer.SocketOption.WorldAccessOption)
    assert router.start(str(folder / "c.sock"))
    answers: list[bytes] = []

    def as_nobody() -> None:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: another user sends the event
            try:
                os.close(read)
                os.setgid(65534)
                os.setuid(65534)
                if pause:  # connected first; the line comes later
                    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                        sock.settimeout(5)
                        sock.connect(str(folder / "c.sock"))
                        time.sleep(pause)
                        sock.sendall(calls.encode_line({"from": KNOWN}))
                        reply = json.loads(sock.makefile("rb").readline())
                else:
                    reply = calls.send({"from": KNOWN}, address=str(folder / "c.sock"))
                os.write(write, json.dumps(reply).encode())
            except BaseException as exc:
                os.write(write, json.dumps({"child": str(exc)}).encode())
            finally:
                os._exit(0)
        os.close(write)
        answers.append(os.read(read, 4096))
        os.waitpid(pid, 0)

    thread = threading.Thread(target=as_nobody)
    thread.start()
    qtbot.waitUntil(lambda: bool(answers), timeout=10000)
    thread.join()
    router.stop()
    shutil.rmtree(folder, ignore_errors=True)
    reply = json.loads(answers[0])
    assert reply["ok"] is False and "其他用户" in reply["error"]
    assert router.local.refused == 1
    assert ("intake", 0) not in main_window.menu_actions.open_windows


def test_the_http_listener_takes_a_softphone_url_with_the_token(qtbot, main_window) -> None:
    from hotline.call_listener_policy import CallListenerPolicy

    router = CallRouter(lambda: main_window)
    router.apply_policy(CallListenerPolicy(True, 0, "t" * 20))  # port 0: any free port
    port = router.http.port()
    assert port and router.http.server.serverAddress().toString() == "127.0.0.1"
    statuses: list[tuple[int, dict]] = []
    opened: list[bool] = []

    def get(path: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        conn.request("GET", path)
        response = conn.getresponse()
        statuses.append((response.status, json.loads(response.read())))
        conn.close()

    paths = (f"/call?from={KNOWN}&token=wrong", f"/call?from={KNOWN}&token={'t' * 20}")
    for count, path in enumerate(paths):
        thread = threading.Thread(target=get, args=(path,))
        thread.start()
        qtbot.waitUntil(lambda count=count: len(statuses) > count, timeout=5000)
        thread.join()
        opened.append(("intake", 0) in main_window.menu_actions.open_windows)
    router.apply_policy(CallListenerPolicy(False, 0, ""))
    assert not router.http.server.isListening()
    assert statuses[0][0] == 403 and opened == [False, True]
    assert statuses[1] == (200, {"ok": True, "shown": "form"})
    assert intake_of(main_window).fields.contact_phone.text() == KNOWN


def test_the_form_made_ahead_is_the_one_the_first_call_shows(qtbot, main_window, router) -> None:
    actions = main_window.menu_actions
    actions.prepare_intake()
    spare = actions._spare_intake
    assert spare is not None and not spare.isVisible()
    assert ("intake", 0) not in actions.open_windows  # not open until it is needed
    send(qtbot, router, {"from": KNOWN})
    assert intake_of(main_window) is spare and spare.isVisible()
    assert actions._spare_intake is None
    actions.prepare_intake()  # a form is open: none is made ahead
    assert actions._spare_intake is None
