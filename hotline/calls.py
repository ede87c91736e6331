"""Incoming calls from the telephone system (CTI screen pop): the event, its one-line protocol,
where the running app listens for it, and handing an event to that app.

The app owns the event format; a telephone system's adapter only turns its own events into
one line of JSON (or runs ``main.py call --from NUMBER``)::

    {"type": "call", "from": "0392-3311234", "line": "2", "extension": "8001", "call_id": "1733"}

``from`` is required; ``line``, ``extension``, ``call_id`` and ``at`` (ISO 8601, China time when
no offset is given; default: when the app receives it) are optional. The app answers with one
line: ``{"ok": true, "shown": "form"}`` (the intake form was opened for the call),
``{"ok": true, "shown": "banner"}`` (a form was being filled: a banner offers a new one), or
``{"ok": false, "error": "…"}``.

The app listens, for the signed-in desktop user only, on a local socket
(:func:`socket_address`: a Unix socket in the user's runtime folder, owner-only, whose peer's
user id is checked where the system tells it; a named pipe of the user on Windows) and, when an
administrator turns it on, on ``http://127.0.0.1:PORT/call?from=…`` with a shared token
(:mod:`hotline.call_listener_policy`). The Qt side of both is ``ui/calls/``; everything that
reads or checks an event is here, without Qt.
"""

from __future__ import annotations

import datetime as dt
import getpass
import hashlib
import hmac
import json
import os
import re
import socket
import struct
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from hotline import clock
from hotline.errors import HotlineError, Problems, ValidationError
from hotline.i18n import N_
from hotline.storable import has_control_characters
from hotline.validation import normalize_phone

PROTOCOL_VERSION = 1
MAX_LINE = 4096  # bytes of one event line
LIMITS = {"from": 40, "line": 32, "extension": 16, "call_id": 64}
SOCKET_NAME = "calls.sock"
# An extension after the number: 0392-1234567-801, …#801, … ext. 801, … 转801, … x801
EXTENSION = re.compile(r"\s*(?:[-#;,]|ext\.?|转|x)\s*\d{1,6}\s*$", re.IGNORECASE)
SOCKET_PATH_LIMIT = 100  # a Unix socket's path must fit in sockaddr_un (104–108 bytes)

MSG_NO_APP = N_("本机没有为当前用户运行的热线工作台（或尚未登录），来电未能弹屏。")
MSG_NO_REPLY = N_("热线工作台没有回应来电事件：{reason}")
MSG_REQUIRED = N_("此项必填")
MSG_TOO_LONG = N_("不能超过 {limit} 个字符")
MSG_CONTROL = N_("含有不可见的控制字符")
MSG_NOT_JSON = N_("来电事件应为一行 JSON 对象")
MSG_TYPE = N_("未知的事件类型：{value}")
MSG_AT = N_("来电时间应为 ISO 8601 格式，如 2026-12-07T09:30:00+08:00")
MSG_NUMBER = N_("来电号码中没有数字")
MSG_UNSAFE_FOLDER = N_("文件夹 {path} 不属于当前用户或他人可访问，不在其中接收来电事件。")


class NoAppRunning(HotlineError):
    """Nobody listens for calls for this user on this workstation."""


@dataclass(frozen=True)
class IncomingCall:
    """One ringing call, as the app shows it."""

    number: str  # as the telephone system sent it
    phone: str  # normalised as everywhere (13812345678, 0392-1234567); else the digits sent
    recognised: bool  # whether ``phone`` is a valid Chinese number
    at: dt.datetime  # when the call came in (China time, naive)
    line: str = ""
    extension: str = ""  # the agent's extension the call rang at
    call_id: str = ""  # the telephone system's id of the call (its recording)

    def as_event(self) -> dict[str, str]:
        """The event line's object (what :func:`parse_event` reads back)."""
        event = {"type": "call", "from": self.number, "at": self.at.isoformat()}
        for key in ("line", "extension", "call_id"):
            value = getattr(self, key)
            if value:
                event[key] = value
        return event


def caller_phone(number: str) -> tuple[str, bool]:
    """``number`` as the phone field holds it, and whether it is a valid Chinese number.

    The same normalisation as every phone typed at intake (:func:`normalize_phone`), after what
    telephone systems add: ``+86``/``0086``, a ``0`` dialled before a mobile for an outside
    line (``013812345678``), and an extension (``0392-1234567-801``, ``…;ext=801``: the main
    number is the caller's). A number it cannot read is kept as its digits (``+`` kept).
    """
    text = number.strip()
    candidates = [text]
    digits = re.sub(r"[^\d+]", "", text)
    if re.fullmatch(r"01[3-9]\d{9}", digits):
        candidates.append(digits[1:])
    for candidate in candidates:
        try:
            return normalize_phone(candidate), True
        except ValueError:
            continue
    import phonenumbers  # on first use: 20-30 ms the main window's start does not need

    try:  # an extension written in a way normalize_phone's parse does not take
        parsed = phonenumbers.parse(EXTENSION.split(text)[0], "CN")
        if parsed.country_code == 86 and phonenumbers.is_valid_number(parsed):
            national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)
            return normalize_phone(national), True
    except (phonenumbers.NumberParseException, ValueError):
        pass
    return digits, False


def _text(problems: Problems, data: dict[str, Any], key: str) -> str:
    value = data.get(key, "")
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        problems.add(key, MSG_NOT_JSON)
        return ""
    value = value.strip()
    if len(value) > LIMITS[key]:
        problems.add(key, MSG_TOO_LONG, limit=LIMITS[key])
    if has_control_characters(value):
        problems.add(key, MSG_CONTROL)
    return value


def _when(problems: Problems, value: object, now: dt.datetime) -> dt.datetime:
    if value in (None, ""):
        return now
    if not isinstance(value, str):
        problems.add("at", MSG_AT)
        return now
    try:
        when = dt.datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        problems.add("at", MSG_AT)
        return now
    if when.tzinfo is not None:
        when = when.astimezone(clock.CHINA_TZ).replace(tzinfo=None)
    return when


def parse_event(data: object, *, now: dt.datetime | None = None) -> IncomingCall:
    """Check one event object; every problem is reported together (ValidationError)."""
    problems = Problems()
    if not isinstance(data, dict):
        problems.add("event", MSG_NOT_JSON)
        problems.raise_if_any()
        raise AssertionError  # not reached
    kind = data.get("type", "call")
    if kind != "call":
        problems.add("type", MSG_TYPE, value=str(kind)[:40])
    number = _text(problems, data, "from")
    if not number:
        problems.add("from", MSG_REQUIRED)
    elif not re.search(r"\d", number):
        problems.add("from", MSG_NUMBER)
    line = _text(problems, data, "line")
    extension = _text(problems, data, "extension")
    call_id = _text(problems, data, "call_id")
    at = _when(problems, data.get("at"), clock.now() if now is None else now)
    problems.raise_if_any()
    phone, recognised = caller_phone(number)
    return IncomingCall(
        number=number,
        phone=phone,
        recognised=recognised,
        at=at.replace(microsecond=0),
        line=line,
        extension=extension,
        call_id=call_id,
    )


def parse_line(line: bytes | str, *, now: dt.datetime | None = None) -> IncomingCall:
    """One line of the socket protocol (UTF-8 JSON object) as a call."""
    if isinstance(line, bytes):
        if len(line) > MAX_LINE:
            raise ValidationError.single("event", MSG_TOO_LONG, limit=MAX_LINE)
        try:
            line = line.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError.single("event", MSG_NOT_JSON) from exc
    try:
        data = json.loads(line)
    except ValueError as exc:
        raise ValidationError.single("event", MSG_NOT_JSON) from exc
    return parse_event(data, now=now)


def encode_line(value: dict[str, Any]) -> bytes:
    """One protocol line (an event or a reply)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def error_reply(exc: BaseException) -> dict[str, Any]:
    """The reply line for an event the app refused."""
    reply: dict[str, Any] = {"ok": False, "error": str(exc)}
    if isinstance(exc, ValidationError):
        reply["problems"] = [p.as_dict() for p in exc.problems]
    return reply


# Where the app listens --------------------------------------------------------------------


def _user_key() -> str:
    """Who the socket belongs to: the operating-system user (their uid where there is one)."""
    if hasattr(os, "getuid"):
        return str(os.getuid())
    return re.sub(r"[^A-Za-z0-9_.-]", "_", getpass.getuser())[:40]


def runtime_dir() -> Path:
    """The user's runtime folder for the socket (owner-only): ``$XDG_RUNTIME_DIR`` and the
    like (platformdirs), or beside the data under ``HOTLINE_HOME``."""
    import platformdirs

    from hotline import paths
    from hotline.private_files import private_folder

    override = os.environ.get("HOTLINE_HOME")
    if override:
        return private_folder(Path(override) / "run")
    with warnings.catch_warnings():  # no XDG_RUNTIME_DIR: platformdirs' fallback, said once
        warnings.simplefilter("ignore")
        folder = platformdirs.user_runtime_dir(paths.APP_NAME, paths.APP_AUTHOR)
    return private_folder(Path(folder))


def socket_address() -> str:
    """What the app listens on and ``main.py call`` connects to: a Unix socket's path, or on
    Windows the name of a named pipe of this user (``\\\\.\\pipe\\NAME``)."""
    if sys.platform == "win32":
        return f"hotline-desk-calls-{_user_key()}"
    path = runtime_dir() / SOCKET_NAME
    if len(str(path)) <= SOCKET_PATH_LIMIT:
        _require_private(path.parent)
        return str(path)
    # Too long for a socket's address: an owner-only folder of this user in the temp folder,
    # named after the long path (so two data folders never share a socket).
    from hotline.private_files import private_folder

    digest = hashlib.sha256(str(path).encode()).hexdigest()[:16]
    folder = private_folder(Path(tempfile.gettempdir()) / f"hotline-desk-{_user_key()}")
    _require_private(folder)
    return str(folder / f"{digest}.sock")


def _require_private(folder: Path) -> None:
    """The socket's folder must be this user's alone, and its parent this user's or the
    system's (another user who owns the parent could swap the folder)."""
    if not hasattr(os, "getuid"):
        return
    mine = os.getuid()
    info, parent = folder.stat(), folder.parent.stat()
    if info.st_uid != mine or info.st_mode & 0o077 or parent.st_uid not in (mine, 0):
        raise NoAppRunning(MSG_UNSAFE_FOLDER, path=str(folder))


def peer_is_same_user(fd: int) -> bool | None:
    """Whether the process at the other end of the Unix socket ``fd`` runs as this user:
    True or False where the system tells (Linux: ``SO_PEERCRED``), None where it does not
    (there the socket's owner-only folder and mode are the guard)."""
    peercred = getattr(socket, "SO_PEERCRED", None)
    if peercred is None or not hasattr(os, "getuid"):
        return None
    sock = socket.socket(fileno=os.dup(fd))
    try:
        raw = sock.getsockopt(socket.SOL_SOCKET, peercred, struct.calcsize("3i"))
    except OSError:
        return False
    finally:
        sock.close()
    _pid, uid, _gid = struct.unpack("3i", raw)
    return bool(uid == os.getuid())


def send(
    call: dict[str, Any], *, timeout: float = 5.0, address: str | None = None
) -> dict[str, Any]:
    """Hand an event to the app running for this user; its reply. NoAppRunning when none
    listens (nobody signed in, or no app started)."""
    address = address or socket_address()
    line = encode_line(call)
    try:
        if sys.platform == "win32":  # pragma: no cover - the named pipe of Windows
            with open(rf"\\.\pipe\{address}", "r+b", buffering=0) as pipe:
                pipe.write(line)
                answer = pipe.readline()
        else:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(timeout)
                sock.connect(address)
                sock.sendall(line)
                answer = _read_line(sock)
    except (FileNotFoundError, ConnectionRefusedError) as exc:
        raise NoAppRunning(MSG_NO_APP) from exc
    except OSError as exc:
        raise NoAppRunning(
            MSG_NO_REPLY, reason=os.strerror(exc.errno) if exc.errno else str(exc)
        ) from exc
    try:
        reply = json.loads(answer.decode("utf-8"))
    except ValueError as exc:
        raise NoAppRunning(MSG_NO_REPLY, reason=answer[:80].decode("utf-8", "replace")) from exc
    if not isinstance(reply, dict):
        raise NoAppRunning(MSG_NO_REPLY, reason=str(reply)[:80])
    return reply


def _read_line(sock: socket.socket) -> bytes:
    data = b""
    while b"\n" not in data and len(data) <= MAX_LINE:
        chunk = sock.recv(MAX_LINE)
        if not chunk:
            break
        data += chunk
    return data.split(b"\n", 1)[0]


# The HTTP listener for softphones that can only open a URL -----------------------------------


@dataclass(frozen=True)
class HttpAnswer:
    status: int
    body: dict[str, Any]
    call: IncomingCall | None = None  # the event to show, when the request was accepted

    def encode(self) -> bytes:
        reasons = {
            200: "OK",
            400: "Bad Request",
            403: "Forbidden",
            404: "Not Found",
            405: "Method Not Allowed",
            413: "Payload Too Large",
            503: "Service Unavailable",
        }
        body = json.dumps(self.body, ensure_ascii=False).encode("utf-8")
        head = (
            f"HTTP/1.1 {self.status} {reasons.get(self.status, 'Error')}\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            "Cache-Control: no-store\r\nConnection: close\r\n\r\n"
        )
        return head.encode("ascii") + body


MSG_HTTP_TOKEN = N_("令牌不正确")
MSG_HTTP_PATH = N_("只接受 /call")
MSG_HTTP_METHOD = N_("只接受 GET 或 POST")
MSG_HTTP_HOST = N_("只接受本机（127.0.0.1）发来的请求")
MSG_HTTP_BAD = N_("无法读取的 HTTP 请求")


def token_matches(given: str, expected: str) -> bool:
    """Compare in constant time; an empty expected token never matches."""
    if not expected:
        return False
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def http_head_complete(data: bytes) -> bool:
    """Whether ``data`` holds the whole request head and the body it announces."""
    head, sep, body = data.partition(b"\r\n\r\n")
    if not sep:
        return False
    match = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
    return len(body) >= (int(match.group(1)) if match else 0)


def handle_http(
    data: bytes, *, token: str, peer: str, now: dt.datetime | None = None
) -> HttpAnswer:
    """Answer one HTTP request: ``GET /call?from=…&token=…`` or ``POST /call`` with a JSON
    event or form fields, the token in ``Authorization: Bearer …``, ``X-Hotline-Token`` or
    the ``token`` parameter. Only a request from the loopback address is read at all."""
    from hotline.i18n import _

    if peer not in ("127.0.0.1", "::1", "::ffff:127.0.0.1"):
        return HttpAnswer(403, {"ok": False, "error": _(MSG_HTTP_HOST)})
    if len(data) > MAX_LINE * 2:
        return HttpAnswer(413, {"ok": False, "error": _(MSG_HTTP_BAD)})
    head, _sep, body = data.partition(b"\r\n\r\n")
    try:
        lines = head.decode("latin-1").split("\r\n")
        method, target, _version = lines[0].split(" ", 2)
    except ValueError:
        return HttpAnswer(400, {"ok": False, "error": _(MSG_HTTP_BAD)})
    headers = {}
    for line in lines[1:]:
        name, _colon, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    url = urlsplit(target)
    if url.path.rstrip("/") != "/call":
        return HttpAnswer(404, {"ok": False, "error": _(MSG_HTTP_PATH)})
    if method not in ("GET", "POST"):
        return HttpAnswer(405, {"ok": False, "error": _(MSG_HTTP_METHOD)})
    params: dict[str, Any] = {k: v[-1] for k, v in parse_qs(url.query).items()}
    if method == "POST" and body:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return HttpAnswer(400, {"ok": False, "error": _(MSG_NOT_JSON)})
        if "json" in headers.get("content-type", ""):
            try:
                posted = json.loads(text)
            except ValueError:
                return HttpAnswer(400, {"ok": False, "error": _(MSG_NOT_JSON)})
            if not isinstance(posted, dict):
                return HttpAnswer(400, {"ok": False, "error": _(MSG_NOT_JSON)})
            params.update(posted)
        else:
            params.update({k: v[-1] for k, v in parse_qs(text).items()})
    given = str(params.pop("token", "") or "")
    authorization = headers.get("authorization", "")
    if authorization.lower().startswith("bearer "):
        given = authorization[7:].strip()
    given = headers.get("x-hotline-token", given)
    if not token_matches(given, token):
        return HttpAnswer(403, {"ok": False, "error": _(MSG_HTTP_TOKEN)})
    try:
        call = parse_event(params, now=now)
    except ValidationError as exc:
        return HttpAnswer(400, error_reply(exc))
    return HttpAnswer(200, {"ok": True}, call)
