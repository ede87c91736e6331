"""Example adapter: an Asterisk-style manager interface (AMI) turned into screen pops.

The desk owns the event format (``main.py call``, README "Incoming calls"); a telephone
system's adapter only watches its own events and hands each ringing call over. This one logs in
to the AMI of an Asterisk server, watches for a call ringing at one agent's extension, and runs

    python main.py call --from CALLER --extension EXT --line TRUNK --call-id LINKEDID

once per call (a ring group's repeated events pop once). It is an example to adapt, not a
telephone system: nothing here is bundled or started by the desk.

    AMI_SECRET=… python tools/asterisk_ami_adapter.py --host 127.0.0.1 --user hotline --extension 8001
    python tools/asterisk_ami_adapter.py --replay recorded.txt --extension 8001 --dry-run

What it reads (Asterisk 13 and later): ``DialBegin`` (the caller's ``CallerIDNum``, the
extension in ``DestCallerIDNum``/``DestChannel``, the call's ``Linkedid``) and, for phones
rung without a dial, ``Newstate`` with ``ChannelStateDesc: Ringing`` on the extension's channel
(the caller in ``ConnectedLineNum``).
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
UNKNOWN = {"", "<unknown>", "anonymous", "unknown"}


def read_events(lines: Iterable[str]) -> Iterator[dict[str, str]]:
    """AMI messages ("Key: Value" lines, a blank line after each) as dicts; the banner line
    and responses are passed over."""
    message: dict[str, str] = {}
    for raw in lines:
        line = raw.rstrip("\r\n")
        if not line:
            if "Event" in message:
                yield message
            message = {}
            continue
        key, sep, value = line.partition(":")
        if sep:
            message[key.strip()] = value.strip()
    if "Event" in message:
        yield message


def _extension_of(channel: str) -> str:
    """``PJSIP/8001-0000002a`` -> ``8001``"""
    match = re.match(r"^[A-Za-z0-9]+/([^-@;]+)", channel)
    return match.group(1) if match else ""


def _trunk_of(channel: str) -> str:
    """The line a call came in on: ``PJSIP/trunk-cnc-00000029`` -> ``trunk-cnc``."""
    match = re.match(r"^[A-Za-z0-9]+/(.+)-[0-9a-f]+$", channel)
    return match.group(1) if match else channel


def call_for(event: dict[str, str], extension: str) -> dict[str, str] | None:
    """The hotline event for an AMI event that rings ``extension``, else None."""
    kind = event.get("Event")
    if kind == "DialBegin":
        rung = event.get("DestCallerIDNum") or _extension_of(event.get("DestChannel", ""))
        if rung != extension and _extension_of(event.get("DestChannel", "")) != extension:
            return None
        number, line = event.get("CallerIDNum", ""), _trunk_of(event.get("Channel", ""))
    elif kind == "Newstate" and event.get("ChannelStateDesc") == "Ringing":
        if _extension_of(event.get("Channel", "")) != extension:
            return None
        number, line = event.get("ConnectedLineNum", ""), ""
    else:
        return None
    if number.strip().lower() in UNKNOWN:
        return None  # a withheld number: nothing to recognise
    call = {"from": number, "extension": extension}
    if line:
        call["line"] = line
    call_id = event.get("Linkedid") or event.get("Uniqueid") or ""
    if call_id:
        call["call_id"] = call_id
    return call


def command_for(call: dict[str, str]) -> list[str]:
    """``main.py call`` for ``call`` (run with this Python, from the desk's folder)."""
    command = [sys.executable, str(ROOT / "main.py"), "call", "--from", call["from"]]
    for key, option in (("line", "--line"), ("extension", "--extension"), ("call_id", "--call-id")):
        if call.get(key):
            command += [option, call[key]]
    return command


def run_command(command: list[str]) -> int:
    done = subprocess.run(command, check=False, capture_output=True, text=True, timeout=30)
    if done.returncode:
        print((done.stderr or done.stdout).strip(), file=sys.stderr)
    return done.returncode


def watch(
    events: Iterable[dict[str, str]],
    extension: str,
    hand_over: Callable[[list[str]], int] = run_command,
) -> int:
    """Hand each call ringing at ``extension`` over once; how many were handed over."""
    seen: set[str] = set()
    handed = 0
    for event in events:
        call = call_for(event, extension)
        if call is None:
            continue
        key = call.get("call_id") or f"{call['from']}@{event.get('Uniqueid', '')}"
        if key in seen:
            continue
        seen.add(key)
        hand_over(command_for(call))
        handed += 1
    return handed


def ami_lines(host: str, port: int, user: str, secret: str) -> Iterator[str]:
    """Log in to the manager interface and yield what it sends, line by line."""
    with socket.create_connection((host, port), timeout=10) as conn:
        conn.settimeout(None)
        conn.sendall(
            f"Action: Login\r\nUsername: {user}\r\nSecret: {secret}\r\nEvents: call\r\n\r\n".encode()
        )
        with conn.makefile("r", encoding="utf-8", errors="replace", newline="") as stream:
            yield from stream


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--extension", required=True, help="the agent's extension, e.g. 8001")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5038)
    parser.add_argument("--user", default="hotline", help="the AMI user (manager.conf)")
    parser.add_argument("--replay", type=Path, help="read recorded AMI text instead")
    parser.add_argument(
        "--dry-run", action="store_true", help="print the commands instead of running them"
    )
    args = parser.parse_args(argv)

    def show(command: list[str]) -> int:
        print(" ".join(command[1:]))
        return 0

    hand_over = show if args.dry_run else run_command
    if args.replay is not None:
        with args.replay.open(encoding="utf-8") as recorded:
            watch(read_events(recorded), args.extension, hand_over)
        return 0
    secret = os.environ.get("AMI_SECRET", "")
    if not secret:
        parser.error("set the AMI password in the environment variable AMI_SECRET")
    watch(
        read_events(ami_lines(args.host, args.port, args.user, secret)), args.extension, hand_over
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
