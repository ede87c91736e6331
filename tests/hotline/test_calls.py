"""Incoming-call events: the protocol line, numbers as the telephone system sends them, the
HTTP request of a softphone, and handing an event to the app (hotline/calls.py)."""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import threading

import pytest

from hotline import calls
from hotline.errors import ValidationError

NOW = dt.datetime(2026, 12, 7, 9, 30)


@pytest.mark.parametrize(
    ("sent", "phone"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("0086 138 1234 5678", "13812345678"),
        ("013812345678", "13812345678"),  # a 0 dialled for an outside line
        ("03923311234", "0392-3311234"),
        ("+86 392 3311234", "0392-3311234"),
        ("0392-3311234-801", "0392-3311234"),  # the extension is not the caller's number
        ("0392-3311234;ext=801", "0392-3311234"),
        ("0392 3311234 转 801", "0392-3311234"),
    ],
)
def test_numbers_are_normalised_as_at_intake(sent: str, phone: str) -> None:
    assert calls.caller_phone(sent) == (phone, True)


def test_a_number_that_is_not_chinese_is_kept_as_its_digits() -> None:
    assert calls.caller_phone("8001") == ("8001", False)
    assert calls.caller_phone("+44 20 7946 0958") == ("+442079460958", False)


def test_an_event_line_is_read_with_every_field() -> None:
    call = calls.parse_line(
        b'{"type":"call","from":"0392-3311234","line":"2","extension":"8001",'
        b'"call_id":"1733.42","at":"2026-12-07T01:29:50Z"}',
        now=NOW,
    )
    assert call.phone == "0392-3311234" and call.recognised
    assert (call.line, call.extension, call.call_id) == ("2", "8001", "1733.42")
    assert call.at == dt.datetime(2026, 12, 7, 9, 29, 50)  # China time
    assert calls.parse_event(call.as_event(), now=NOW) == call


def test_an_event_without_time_came_in_now() -> None:
    assert calls.parse_line('{"from": 13812345678}', now=NOW).at == NOW


@pytest.mark.parametrize(
    ("line", "fields"),
    [
        (b"not json", {"event"}),
        (b"[1, 2]", {"event"}),
        (b"\xff\xfe", {"event"}),
        (b'{"type": "hangup", "from": "1"}', {"type"}),
        (b'{"line": "1"}', {"from"}),
        (b'{"from": "anonymous"}', {"from"}),
        (b'{"from": "138", "at": "yesterday", "call_id": "' + b"x" * 65 + b'"}', {"at", "call_id"}),
        (b'{"from": "138\\u0007"}', {"from"}),
        (b'{"from": "138", "extension": ["1"]}', {"extension"}),
    ],
)
def test_a_bad_event_names_every_wrong_field(line: bytes, fields: set[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        calls.parse_line(line, now=NOW)
    assert {p.field for p in caught.value.problems} == fields
    assert all(p.text for p in caught.value.problems)  # a message to show, in Chinese


def test_the_socket_lives_in_an_owner_only_folder(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "h"))
    address = calls.socket_address()
    folder = os.path.dirname(address)
    assert os.stat(folder).st_mode & 0o077 == 0
    assert len(address) <= calls.SOCKET_PATH_LIMIT


def test_a_data_folder_too_deep_for_a_socket_gets_a_short_private_address(
    tmp_path, monkeypatch
) -> None:
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    monkeypatch.setenv("HOTLINE_HOME", str(deep))
    address = calls.socket_address()
    assert len(address) <= calls.SOCKET_PATH_LIMIT
    assert os.stat(os.path.dirname(address)).st_mode & 0o077 == 0
    monkeypatch.setenv("HOTLINE_HOME", str(deep / "other"))
    assert calls.socket_address() != address  # two data folders never share one


def test_sending_when_no_app_listens_says_so(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "h"))
    with pytest.raises(calls.NoAppRunning) as caught:
        calls.send({"from": "13812345678"})
    assert "没有" in caught.value.text


def test_sending_hands_the_line_over_and_returns_the_reply(tmp_path) -> None:
    address = str(tmp_path / "s.sock")
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(address)
    server.listen(1)
    received: list[bytes] = []

    def answer() -> None:
        conn, _ = server.accept()
        with conn:
            received.append(conn.recv(4096))
            assert calls.peer_is_same_user(conn.fileno()) in (True, None)
            conn.sendall(calls.encode_line({"ok": True, "shown": "form"}))

    thread = threading.Thread(target=answer)
    thread.start()
    reply = calls.send({"type": "call", "from": "13812345678"}, address=address)
    thread.join(5)
    server.close()
    assert reply == {"ok": True, "shown": "form"}
    assert json.loads(received[0]) == {"type": "call", "from": "13812345678"}


def _request(target: str, headers: str = "", body: bytes = b"", method: str = "GET") -> bytes:
    length = f"Content-Length: {len(body)}\r\n" if body else ""
    return f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}{length}\r\n".encode() + body


def test_a_softphone_url_with_the_token_is_a_call() -> None:
    answer = calls.handle_http(
        _request("/call?from=13812345678&call_id=9&token=s3cret"),
        token="s3cret",
        peer="127.0.0.1",
        now=NOW,
    )
    assert answer.status == 200 and answer.call is not None
    assert (answer.call.phone, answer.call.call_id) == ("13812345678", "9")
    assert answer.encode().startswith(b"HTTP/1.1 200 OK\r\n")


@pytest.mark.parametrize(
    "headers", ["Authorization: Bearer s3cret\r\n", "X-Hotline-Token: s3cret\r\n"]
)
def test_the_token_may_come_in_a_header_and_the_event_as_json(headers: str) -> None:
    body = json.dumps({"from": "0392-3311234", "line": "1"}).encode()
    answer = calls.handle_http(
        _request("/call", headers + "Content-Type: application/json\r\n", body, "POST"),
        token="s3cret",
        peer="127.0.0.1",
    )
    assert answer.status == 200 and answer.call is not None and answer.call.line == "1"


@pytest.mark.parametrize(
    ("request_bytes", "peer", "status"),
    [
        (_request("/call?from=13812345678&token=wrong"), "127.0.0.1", 403),
        (_request("/call?from=13812345678"), "127.0.0.1", 403),
        (_request("/call?from=13812345678&token=s3cret"), "192.168.1.20", 403),
        (_request("/other?token=s3cret"), "127.0.0.1", 404),
        (_request("/call?token=s3cret"), "127.0.0.1", 400),
        (_request("/call?from=1&token=s3cret", method="DELETE"), "127.0.0.1", 405),
        (b"garbage", "127.0.0.1", 400),
    ],
)
def test_a_wrong_request_is_refused_and_shows_nothing(
    request_bytes: bytes, peer: str, status: int
) -> None:
    answer = calls.handle_http(request_bytes, token="s3cret", peer=peer)
    assert answer.status == status and answer.call is None
    assert answer.body["ok"] is False and answer.body["error"]


def test_an_empty_configured_token_never_matches() -> None:
    assert not calls.token_matches("", "")
    assert calls.token_matches("abc", "abc") and not calls.token_matches("abd", "abc")


def test_the_head_is_complete_only_with_the_announced_body() -> None:
    body = b'{"from":"1"}'
    full = _request("/call", "", body, "POST")
    assert not calls.http_head_complete(full[:-3])
    assert calls.http_head_complete(full)


def test_a_socket_folder_others_can_open_is_refused(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("HOTLINE_HOME", str(tmp_path / "h"))
    folder = os.path.dirname(calls.socket_address())
    os.chmod(folder, 0o777)  # as if another user had made it, open to all
    with pytest.raises(calls.NoAppRunning) as caught:
        calls.socket_address()
    assert folder in caught.value.text
