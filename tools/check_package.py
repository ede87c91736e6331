"""Install the .deb for real, use it, time it, remove it: the package's end-to-end check.

    sudo .venv/bin/python tools/check_package.py                     # build, then check
    sudo .venv/bin/python tools/check_package.py --deb out/hotline-desk_0.1.0-1_amd64.deb
    sudo .venv/bin/python tools/check_package.py --deb NEW.deb --older OLD.deb  # + upgrade

Needs root (dpkg), Xvfb, xdotool and ImageMagick's ``import`` (the screenshot), and the
package's dependencies installed (``apt-get install ./out/hotline-desk_*.deb`` brings them;
.ci/run installs them for the tests). Too slow for every CI run (the PyInstaller build takes
minutes): run it before a release; CI checks the build script on a fake build folder
(tests/tools/test_build_package.py).

Steps, each failing loudly:
1. ``dpkg -i`` (timed); ``hotline --version`` names the package's version;
2. as the installed copy, with no Python on PATH, in a throwaway data folder: ``hotline init``,
   ``hotline demo --cases 100``, ``hotline report weekly`` (Chinese and English PDFs);
3. the installed app starts under Xvfb to its sign-in window (screenshot kept in --artefacts);
4. start-up to the sign-in window, installed beside source (``main.py``), alternating, in this run;
5. ``dpkg -r``: nothing left under /opt/hotline, no menu entry, no icon, no /usr/bin/hotline,
   the users' data untouched; ``dpkg -P``: the package is gone;
6. with ``--older``: the older package installed and used, the new one installed over it, the
   database upgraded on first use with its automatic copy beside it, every case still there.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tools import build_package  # noqa: E402
from tools.package_rules import read_version  # noqa: E402

PACKAGE = build_package.PACKAGE
INSTALL_DIR = Path(build_package.INSTALL_DIR)
COMMAND = Path("/usr/bin") / build_package.COMMAND
DESKTOP_FILE = Path("/usr/share/applications") / f"{build_package.DESKTOP_ID}.desktop"
ICON_FILE = Path("/usr/share/icons/hicolor/48x48/apps") / f"{build_package.DESKTOP_ID}.png"
SIGN_IN_TITLE = "登录 — 营商环境投诉热线工作台"
ADMIN, PASSWORD = "admin", "Check-Package-2026!"
# The installed copy must not lean on the checkout's Python: a PATH without it.
CLEAN_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"


class CheckFailed(Exception):
    pass


def say(message: str) -> None:
    print(f"[check_package] {message}", flush=True)


def expect(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)
    say("ok: " + message)


def run(
    command: list[str],
    *,
    env: dict[str, str] | None = None,
    stdin: str = "",
    cwd: str = "/",
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, input=stdin, capture_output=True, text=True, env=env, cwd=cwd, timeout=timeout
    )


def must(command: list[str], **kwargs: object) -> str:
    result = run(command, **kwargs)  # type: ignore[arg-type]
    if result.returncode != 0:
        raise CheckFailed(
            f"{' '.join(command)} -> exit {result.returncode}\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def user_env(home: Path, lang: str = "zh_CN") -> dict[str, str]:
    env = {
        "PATH": CLEAN_PATH,
        "HOME": str(home),
        "HOTLINE_HOME": str(home / "data"),
        "HOTLINE_LANG": lang,
        "LANG": "C.UTF-8",
    }
    for name in ("DISPLAY", "XAUTHORITY"):
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def installed_version() -> str | None:
    result = run(["dpkg-query", "-W", "-f=${Status} ${Version}", PACKAGE])
    if result.returncode != 0 or "install ok installed" not in result.stdout:
        return None
    return result.stdout.rsplit(" ", 1)[1]


def install(deb: Path) -> float:
    started = time.perf_counter()
    must(["dpkg", "-i", str(deb)])
    return time.perf_counter() - started


def use_installed(home: Path, database: Path, cases: int) -> None:
    env = user_env(home)
    must(
        [str(COMMAND), "--db", str(database), "init", "--admin", ADMIN, "--password-stdin"],
        env=env,
        stdin=PASSWORD + "\n",
    )
    out = must([str(COMMAND), "--db", str(database), "demo", "--cases", str(cases)], env=env)
    say("demo: " + out.strip().splitlines()[0])


def count_cases(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute('SELECT count(*) FROM "case"').fetchone()[0])


def schema_version(database: Path) -> int:
    with sqlite3.connect(database) as connection:
        return int(connection.execute("SELECT max(version) FROM schema_version").fetchone()[0])


def check_reports(home: Path, database: Path, artefacts: Path, version: str) -> None:
    for lang in ("zh_CN", "en"):
        pdf = artefacts / f"weekly-{lang}.pdf"
        pdf.unlink(missing_ok=True)
        out = must(
            [str(COMMAND), "--db", str(database), "report", "weekly", "-o", str(pdf)],
            env=user_env(home, lang),
        )
        expect(
            pdf.read_bytes()[:5] == b"%PDF-",
            f"report weekly ({lang}) wrote {pdf.name}: {out.strip()}",
        )
        if shutil.which("pdftotext"):
            text = must(["pdftotext", str(pdf), "-"])
            expect(version in text, f"the {lang} PDF's footer names version {version}")


def wait_for_window(title: str, deadline: float) -> str | None:
    while time.perf_counter() < deadline:
        result = run(["xdotool", "search", "--onlyvisible", "--name", title], timeout=10)
        if result.returncode == 0 and result.stdout.strip():
            return result.stdout.split()[0]
        time.sleep(0.005)
    return None


def start_to_sign_in(
    command: list[str], env: dict[str, str], cwd: str = "/"
) -> tuple[float, subprocess.Popen[bytes]]:
    started = time.perf_counter()
    process = subprocess.Popen(
        command,
        env=env,
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
    )
    window = wait_for_window(SIGN_IN_TITLE, started + 60)
    elapsed = time.perf_counter() - started
    if window is None:
        stop(process)
        raise CheckFailed(
            f"no sign-in window within 60 s: {' '.join(command)}\n"
            f"{process.stderr.read().decode(errors='replace') if process.stderr else ''}"
        )
    return elapsed, process


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def check_gui(home: Path, database: Path, artefacts: Path) -> None:
    elapsed, process = start_to_sign_in([str(COMMAND), "--db", str(database)], user_env(home))
    try:
        time.sleep(1.0)  # let it paint before the screenshot (not part of any figure)
        shot = artefacts / "installed-sign-in.png"
        must(["import", "-window", "root", str(shot)], env={**os.environ})
        expect(
            shot.stat().st_size > 0,
            f"the installed app shows its sign-in window ({elapsed:.2f} s): {shot}",
        )
    finally:
        stop(process)


def compare_start_up(home: Path, database: Path, runs: int) -> dict[str, list[float]]:
    """Process start to the sign-in window, installed and from source, alternating."""
    source_env = {**user_env(home), "PATH": os.environ.get("PATH", CLEAN_PATH)}
    source_env.pop("PYTHONDONTWRITEBYTECODE", None)
    source = [sys.executable, str(ROOT / "main.py"), "--db", str(database)]
    installed = [str(COMMAND), "--db", str(database)]
    # One start of each first: bytecode compiled, files in the page cache, as for a user.
    for command, env in ((source, source_env), (installed, user_env(home))):
        stop(start_to_sign_in(command, env, cwd=str(ROOT))[1])
    times: dict[str, list[float]] = {"installed": [], "source": []}
    for _ in range(runs):
        for name, command, env in (
            ("installed", installed, user_env(home)),
            ("source", source, source_env),
        ):
            elapsed, process = start_to_sign_in(command, env, cwd=str(ROOT))
            stop(process)
            times[name].append(elapsed)
    for name, values in times.items():
        say(
            f"start-up to the sign-in window, {name}: median {statistics.median(values) * 1000:.0f} ms "
            f"({min(values) * 1000:.0f}-{max(values) * 1000:.0f}, {len(values)} runs)"
        )
    return times


def remove_and_purge(home: Path, database: Path) -> None:
    must(["dpkg", "-r", PACKAGE])
    leftovers = [str(p) for p in INSTALL_DIR.rglob("*")] if INSTALL_DIR.exists() else []
    expect(not leftovers, f"dpkg -r leaves nothing under {INSTALL_DIR} ({len(leftovers)} files)")
    expect(not INSTALL_DIR.exists(), f"dpkg -r removes {INSTALL_DIR} itself")
    expect(not DESKTOP_FILE.exists() and not ICON_FILE.exists(), "no menu entry and no icon left")
    expect(not COMMAND.exists() and not COMMAND.is_symlink(), f"no {COMMAND} left")
    menu = run(["grep", "-rl", "hotline", "/usr/share/applications"]).stdout.strip()
    expect(not menu, "no start menu entry mentions hotline")
    expect(database.exists() and count_cases(database) > 0, "the user's database is untouched")
    must(["dpkg", "-P", PACKAGE])
    expect(installed_version() is None and not INSTALL_DIR.exists(), "dpkg -P: the package is gone")
    status = run(["dpkg-query", "-W", "-f=${Status}", PACKAGE]).stdout
    expect("config-files" not in status, f"no configuration files left ({status or 'unknown'})")


def check_upgrade(older: Path, deb: Path, home: Path, artefacts: Path) -> float:
    install(older)
    old_version = installed_version()
    say(f"older package installed: {old_version}")
    database = home / "data" / "upgrade.sqlite3"
    use_installed(home, database, 100)
    before, old_schema = count_cases(database), schema_version(database)
    seconds = install(deb)
    expect(
        installed_version() != old_version,
        f"dpkg -i upgrades {old_version} to {installed_version()} in {seconds:.1f} s",
    )
    # The first use of the new program upgrades the schema, after copying the file.
    check_reports(home, database, artefacts, read_version(ROOT))
    after_schema = schema_version(database)
    copies = sorted(database.parent.glob(f"{database.name}.v{old_schema}-*.bak"))
    expect(after_schema > old_schema, f"schema {old_schema} -> {after_schema} on the first use")
    expect(
        len(copies) == 1 and count_cases(copies[0]) == before,
        f"the copy before the upgrade: {copies[0].name if copies else None}",
    )
    expect(count_cases(database) == before, f"all {before} cases are still there after the upgrade")
    return seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deb", type=Path, help="the package (default: build it first)")
    parser.add_argument("--older", type=Path, help="an older package: check upgrading over it")
    parser.add_argument("--artefacts", type=Path, default=ROOT / "out" / "check")
    parser.add_argument("--runs", type=int, default=5, help="start-ups timed of each kind")
    parser.add_argument("--cases", type=int, default=100)
    args = parser.parse_args(argv)
    if os.geteuid() != 0:
        print("check_package needs root (dpkg -i / -r / -P): run it with sudo", file=sys.stderr)
        return 2
    for tool in ("dpkg", "xdotool", "import"):
        if shutil.which(tool) is None:
            print(f"check_package needs {tool}", file=sys.stderr)
            return 2
    if installed_version() is not None:
        print(
            f"{PACKAGE} {installed_version()} is installed: remove it first (dpkg -r {PACKAGE})",
            file=sys.stderr,
        )
        return 2
    xvfb = None
    if "DISPLAY" not in os.environ:
        display = ":99"
        xvfb = subprocess.Popen(
            ["Xvfb", display, "-screen", "0", "1280x800x24"], stderr=subprocess.DEVNULL
        )
        os.environ["DISPLAY"] = display
        time.sleep(1)
    args.artefacts.mkdir(parents=True, exist_ok=True)
    figures: dict[str, object] = {}
    home = Path(tempfile.mkdtemp(prefix="hotline-check-"))
    try:
        if args.deb is None:
            if build_package.main(["--out", str(ROOT / "out")]) != 0:
                return 1
            version = read_version(ROOT)
            (deb,) = (ROOT / "out").glob(f"{PACKAGE}_{version}-*.deb")
        else:
            deb = args.deb.resolve()
        version = read_version(ROOT)
        figures["package_mb"] = round(deb.stat().st_size / 1e6, 1)
        seconds = install(deb)
        figures["install_s"] = round(seconds, 2)
        figures["installed_mb"] = round(build_package.folder_size(INSTALL_DIR) / 1e6, 1)
        expect(installed_version() is not None, f"dpkg -i {deb.name} in {seconds:.1f} s")
        out = must([str(COMMAND), "--version"], env=user_env(home))
        expect(version in out, f"hotline --version: {out.strip()}")
        database = home / "data" / "hotline.sqlite3"
        use_installed(home, database, args.cases)
        expect(
            count_cases(database) >= args.cases,
            f"{count_cases(database)} cases in the installed copy's database",
        )
        check_reports(home, database, args.artefacts, version)
        check_gui(home, database, args.artefacts)
        times = compare_start_up(home, database, args.runs)
        figures["start_up_installed_ms"] = round(statistics.median(times["installed"]) * 1000)
        figures["start_up_source_ms"] = round(statistics.median(times["source"]) * 1000)
        figures["runs"] = args.runs
        remove_and_purge(home, database)
        if args.older is not None:
            figures["upgrade_s"] = round(
                check_upgrade(args.older.resolve(), deb, home, args.artefacts), 2
            )
            remove_and_purge(home, home / "data" / "upgrade.sqlite3")
    except CheckFailed as exc:
        print(f"[check_package] FAILED: {exc}", file=sys.stderr)
        if installed_version() is not None:
            run(["dpkg", "-P", PACKAGE])
        return 1
    finally:
        shutil.rmtree(home, ignore_errors=True)
        if xvfb is not None:
            xvfb.terminate()
    say("figures: " + json.dumps(figures, ensure_ascii=False))
    (args.artefacts / "figures.json").write_text(json.dumps(figures, indent=2), encoding="utf-8")
    say("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
