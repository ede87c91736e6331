"""``python main.py …`` as a user runs it: exit codes, no Qt for subcommands, the log file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import sample_case

ROOT = Path(__file__).resolve().parents[3]


def _main(*args: str, stdin: str = "", home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HOTLINE_HOME": str(home), "HOTLINE_LANG": "zh_CN"}
    env.pop("HOTLINE_DB", None)
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=ROOT,
        timeout=120,
    )


def test_subcommands_exit_codes_and_log(tmp_path: Path) -> None:
    home = tmp_path / "home"
    target = str(tmp_path / "main.sqlite3")
    ok = _main("--db", target, "--json", "intake", "-", stdin=json.dumps(sample_case()), home=home)
    assert ok.returncode == 0, ok.stderr
    assert ok.stdout.strip().startswith("[")
    bad = _main(
        "--db", target, "intake", "-", stdin=json.dumps(sample_case(district="火星")), home=home
    )
    assert bad.returncode == 1
    assert "district" in bad.stderr and "Traceback" not in bad.stderr
    usage = _main("--db", target, "frobnicate", home=home)
    assert usage.returncode == 2
    assert _main("--help", home=home).returncode == 0
    log_file = home / "logs" / "hotline.log"
    assert log_file.exists()


def test_database_from_environment(tmp_path: Path) -> None:
    home = tmp_path / "home"
    target = tmp_path / "env.sqlite3"
    env_run = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "intake", "-"],
        input=json.dumps(sample_case()),
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "HOTLINE_HOME": str(home), "HOTLINE_DB": str(target)},
        cwd=ROOT,
        timeout=120,
    )
    assert env_run.returncode == 0, env_run.stderr
    assert target.exists()


def test_subcommands_never_load_qt(tmp_path: Path) -> None:
    from hotline import db

    db.open_database(tmp_path / "q.sqlite3")
    db.close()
    code = (
        "import sys, main\n"
        f"rc = main.main(['--db', {str(tmp_path / 'q.sqlite3')!r}, 'search', 'x'])\n"
        "print(rc, any(name.startswith(('PySide6', 'ui')) for name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**os.environ, "HOTLINE_HOME": str(tmp_path / "home")},
        cwd=ROOT,
        timeout=120,
    )
    assert result.stdout.split() == ["0", "False"], result.stderr


def test_without_arguments_the_desktop_app_starts_on_the_default_database(monkeypatch) -> None:
    import main
    from ui import app

    monkeypatch.setattr(main, "configure_logging", lambda: None)
    started: list[tuple[object, list[str]]] = []
    monkeypatch.setattr(app, "run", lambda target, argv: started.append((target, argv)) or 0)
    assert main.main([]) == 0
    assert main.main(["--db", "x.sqlite3"]) == 0
    assert started == [(None, []), ("x.sqlite3", ["--db", "x.sqlite3"])]


def test_the_packaged_program_lets_worker_processes_start(monkeypatch) -> None:
    """Frozen (PyInstaller), a worker process runs the executable again: freeze_support()
    must run first, or the worker would start a second program."""
    import multiprocessing

    import main
    from ui import app

    monkeypatch.setattr(main, "configure_logging", lambda: None)
    monkeypatch.setattr(app, "run", lambda target, argv: 0)
    called: list[bool] = []
    monkeypatch.setattr(multiprocessing, "freeze_support", lambda: called.append(True))
    assert main.main([]) == 0 and called == []  # run from source: nothing to do
    monkeypatch.setattr(sys, "frozen", True, raising=False)
    assert main.main([]) == 0 and called == [True]
