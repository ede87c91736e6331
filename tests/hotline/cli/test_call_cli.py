"""``main.py call``: an incoming call handed to the desk running for this user, or told that
none is; a wrong number named before anything is sent."""

from __future__ import annotations

import json
import socket
import threading

import pytest

from hotline import calls


@pytest.fixture
def desk(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """A stand-in for the running desk on the user's socket, answering ``reply``."""
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "home"))
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(calls.socket_address())
    server.listen(1)
    seen: list[dict] = []
    state = {"reply": {"ok": True, "shown": "form"}}

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            seen.append(json.loads(conn.recv(4096)))
            conn.sendall(calls.encode_line(state["reply"]))

    thread = threading.Thread(target=answer, daemon=True)
    thread.start()
    yield seen, state
    server.close()


def test_the_call_is_handed_to_the_desk(run_cli, desk) -> None:
    seen, _state = desk
    result = run_cli(
        "call", "--from", "0392-3311234", "--line", "2", "--extension", "8001", "--call-id", "77"
    )
    assert result.code == 0 and "已弹出登记表单" in result.out
    assert seen == [
        {"type": "call", "from": "0392-3311234", "line": "2", "extension": "8001", "call_id": "77"}
    ]


def test_a_refusal_of_the_desk_is_said_with_exit_code_1(run_cli, desk) -> None:
    _seen, state = desk
    state["reply"] = {"ok": False, "error": "工作站已锁定，请先解锁；来电未能弹屏。"}
    result = run_cli("call", "--from", "13812345678", "--json")
    assert result.code == 1 and result.json()["ok"] is False


def test_no_desk_running_is_said_with_exit_code_1(run_cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "nobody"))
    result = run_cli("call", "--from", "13812345678")
    assert result.code == 1 and "没有为当前用户运行的热线工作台" in result.err


def test_a_wrong_number_is_named_and_nothing_sent(run_cli, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "nobody"))
    result = run_cli("call", "--from", "anonymous", "--at", "yesterday")
    assert result.code == 1
    assert "from:" in result.err and "at:" in result.err


def test_the_number_is_required(run_cli) -> None:
    assert run_cli("call").code == 2
