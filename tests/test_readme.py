"""README for a newcomer: its first steps, the set-up script with or without sudo, and the
generated tables (roles, shortcuts) in step with the code."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from ui.common import shortcuts

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block(name: str) -> str:
    match = re.search(rf"<!-- {name}:begin -->\n(.*?)<!-- {name}:end -->", README, re.DOTALL)
    assert match, name
    return match.group(1)


def test_the_first_lines_set_up_run_and_test():
    commands = re.findall(r"```sh\n(.*?)\n```", README, re.DOTALL)[:3]
    assert commands == [
        "sh tools/setup.sh",
        ".venv/bin/python main.py",
        ".venv/bin/python -m pytest -n 2",
    ]


def test_readme_lists_exactly_the_shortcut_table():
    listed = re.findall(r"`([^`]+)`", _block("shortcuts"))
    table = [key for item in shortcuts.SHORTCUTS for key in item.keys]
    assert sorted(listed) == sorted(table)
    assert {"Ctrl+P", "Ctrl+Shift+R", "F1", "Ctrl+E", "Ctrl+J"} <= set(listed)


def test_the_generated_tables_are_up_to_date():
    result = subprocess.run(
        [sys.executable, "tools/readme_tables.py", "--check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    roles = _block("roles")
    assert "| approve or reject an extension |  | ✓ |  | ✓ |" in roles


def test_readme_names_the_languages_and_where_files_live():
    for words in ("HOTLINE_LANG", "`en`", "zh_CN", "HOTLINE_HOME", "drafts/", "backups/"):
        assert words in README
    assert "Library/Logs/hotline-desk" in README and "%LOCALAPPDATA%" in README


STUB = '#!/bin/sh\necho "$(basename "$0") $*" >> "$CALLS"\n'
FAKE_PYTHON = (
    STUB + "mkdir -p .venv/bin\nprintf '%s' \"$PIP\" > .venv/bin/pip\nchmod +x .venv/bin/pip\n"
)


def _setup_run(tmp_path: Path, *, uid: int, with_sudo: bool) -> tuple[int, list[str], str]:
    clone = tmp_path / "clone"
    (clone / "tools").mkdir(parents=True)
    shutil.copy(ROOT / "tools" / "setup.sh", clone / "tools" / "setup.sh")
    (clone / "requirements.txt").write_text("peewee\n")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    stubs = {"apt-get": STUB, "python3": FAKE_PYTHON, "id": f"#!/bin/sh\necho {uid}\n"}
    if with_sudo:
        stubs["sudo"] = STUB + 'exec "$@"\n'
    for name, body in stubs.items():
        path = bin_dir / name
        path.write_text(body)
        path.chmod(path.stat().st_mode | stat.S_IEXEC)
    # The few real tools the script and the stubs use, alone in a folder: whatever this
    # machine has (a real sudo, apt-get or python3) is out of reach.
    tools = tmp_path / "tools"
    tools.mkdir()
    for name in ("sh", "basename", "dirname", "env", "mkdir", "chmod", "printf"):
        real = shutil.which(name)
        assert real is not None, name
        (tools / name).symlink_to(real)
    calls = tmp_path / "calls"
    env = {
        "PATH": f"{bin_dir}:{tools}",
        "CALLS": str(calls),
        "PIP": STUB,
        "HOME": str(tmp_path),
    }
    for real in ("sudo", "apt-get", "python3"):
        assert real in stubs or shutil.which(real, path=env["PATH"]) in (None, str(bin_dir / real))
    result = subprocess.run(
        ["sh", str(clone / "tools" / "setup.sh")], env=env, capture_output=True, text=True
    )
    lines = calls.read_text().splitlines() if calls.exists() else []
    return result.returncode, lines, result.stderr


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
def test_setup_as_root_without_sudo(tmp_path):
    code, calls, stderr = _setup_run(tmp_path, uid=0, with_sudo=False)
    assert code == 0, stderr
    assert calls[0] == "apt-get update -qq"
    assert calls[1].startswith("apt-get install -y -qq python3-venv libegl1")
    assert "fonts-wqy-microhei" in calls[1]
    assert calls[2:] == ["python3 -m venv .venv", "pip install --quiet -r requirements.txt"]


@pytest.mark.skipif(os.name != "posix", reason="a POSIX shell script")
def test_setup_as_a_user_goes_through_sudo_and_says_when_there_is_none(tmp_path):
    code, calls, stderr = _setup_run(tmp_path / "a", uid=1000, with_sudo=True)
    assert code == 0, stderr
    assert calls[0] == "sudo apt-get update -qq"
    assert calls[2].startswith("sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y")
    code, calls, stderr = _setup_run(tmp_path / "b", uid=1000, with_sudo=False)
    assert code == 1
    assert "root" in stderr and "sudo" in stderr
    assert calls == []  # nothing half done
