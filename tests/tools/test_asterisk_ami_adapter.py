"""The example Asterisk adapter, fed recorded manager-interface text: each call ringing at the
agent's extension becomes one ``main.py call``, which the desk's event check accepts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from hotline import calls
from tools import asterisk_ami_adapter as adapter

RECORDING = Path(__file__).with_name("ami_recording.txt")


def _calls(extension: str) -> list[list[str]]:
    commands: list[list[str]] = []
    with RECORDING.open(encoding="utf-8") as recorded:
        adapter.watch(adapter.read_events(recorded), extension, commands.append)  # type: ignore[arg-type]
    return commands


def test_each_call_ringing_at_the_extension_is_handed_over_once() -> None:
    commands = _calls("8001")
    assert [c[2:] for c in commands] == [
        [
            "call",
            "--from",
            "03923311234",
            "--line",
            "trunk-cnc",
            "--extension",
            "8001",
            "--call-id",
            "1733561390.41",
        ],
        [
            "call",
            "--from",
            "+8613812345678",
            "--line",
            "trunk-cmcc",
            "--extension",
            "8001",
            "--call-id",
            "1733561460.52",
        ],
    ]  # the withheld number is left out; the ring group's second event pops nothing more
    assert commands[0][1].endswith("main.py")


def test_another_extension_gets_only_its_own_calls() -> None:
    assert [c[4] for c in _calls("8002")] == ["03923311234"]
    assert _calls("8009") == []


def test_what_it_hands_over_is_an_event_the_desk_accepts() -> None:
    for command in _calls("8001"):
        options = dict(zip(command[3::2], command[4::2], strict=True))
        call = calls.parse_event(
            {
                "from": options["--from"],
                "line": options.get("--line"),
                "extension": options.get("--extension"),
                "call_id": options.get("--call-id"),
            }
        )
        assert call.recognised


def test_the_script_replays_a_recording_as_commands() -> None:
    done = subprocess.run(
        [
            sys.executable,
            str(Path(adapter.__file__)),
            "--replay",
            str(RECORDING),
            "--extension",
            "8001",
            "--dry-run",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    lines = done.stdout.splitlines()
    assert len(lines) == 2 and lines[0].endswith(
        "main.py call --from 03923311234 --line trunk-cnc --extension 8001 --call-id 1733561390.41"
    )
