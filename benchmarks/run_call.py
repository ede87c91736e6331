"""The phone rings: three callers handled as an operator does, keys only, in a real window.

    DISPLAY=:66 .venv/bin/python benchmarks/run_call.py --db /path/to/1m.sqlite3 [--repeats 7]

The app runs in its own process on the display (Xvfb is enough), signed in programmatically as
an operator (typing a password is not part of the figure), listening for calls as it does for
any user. For each caller the benchmark runs ``main.py call --from NUMBER --call-id …`` (a
separate process, as a telephone system's adapter does), then presses keys into whatever has
the focus, as the operator would, and counts the keys that are not text:

1. a returning caller with an open case who chases it (催办): a follow-up note, no new case;
2. a returning caller with a new complaint: caller and enterprise from the pop, then the case;
3. a new caller: the whole form.

It prints the non-text keys of each, how many of them went to the caller's identity and
enterprise (goal: at most 2 for a returning caller), and the time from the event reaching the
app to the form ready (the phone filled and the number's callers and cases shown; goal
< 150 ms), median and maximum of ``--repeats`` events; then JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

DRIVER = r"""
import json, os, statistics, subprocess, sys, time
sys.path.insert(0, {root!r})
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QLabel
from PySide6.QtTest import QTest
from ui.app import create_application, show_main_window
from hotline import auth, case_calls, db, cases as core_cases
from hotline.enums import Role
from hotline.models import Case, User
from hotline.permissions import Actor
from ui.calls.router import CallRouter
from ui.common.session import Session

app = create_application(sys.argv)
db.open_database({db!r})
user = User.get_or_none(User.username == "bench_seat")
if user is None:
    admin = Actor("基准测试", Role.ADMIN, None)
    auth.create_user(admin, "bench_seat", "基准坐席", "operator", "Bench-2026!", must_change=False)
    user = User.get(User.username == "bench_seat")
window = show_main_window(Session(user, {db!r}))
window.idle_lock.set_minutes(0)
router = CallRouter(lambda: window)
assert router.start(), "cannot listen for calls"
phones = {phones!r}
repeats = {repeats}
results = {{}}
state = {{"keys": [], "arrived": None}}
handle = router.handle
def timed_handle(call):
    state["arrived"] = time.perf_counter()
    return handle(call)
router.local.handler = timed_handle
wait_start = time.perf_counter()

def wait(predicate, timeout=30.0):
    start = time.perf_counter()
    end = start + timeout
    while not predicate():
        if time.perf_counter() > end:
            modal = QApplication.activeModalWidget()
            shown = [w.text() for w in modal.findChildren(QLabel)] if modal else []
            raise TimeoutError(f"waited too long; dialog open: {{shown}}")
        QApplication.processEvents()
        # 1 ms steps while a figure may be taken; a long wait polls less (each processEvents
        # call from Python wears out PySide's reference count of None: a crash after ~2 s)
        time.sleep(0.001 if time.perf_counter() - start < 0.5 else 0.01)

def intake():
    return window.menu_actions.open_windows.get(("intake", 0))

def ring(number, call_id):
    # The adapter's command, in its own process; the clock starts when the app receives it.
    state["arrived"] = None
    done = {{"ready": None}}
    form = intake()
    proc = subprocess.Popen([sys.executable, "main.py", "call", "--from", number, "--call-id", call_id],
                            cwd={root!r}, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wait(lambda: state["arrived"] is not None)
    wait(lambda: intake() is not None)
    form = intake()
    def ready():
        return (form.call is not None and form.call.call_id == call_id
                and form.caller_panel.history is not None)
    wait(ready)
    form.repaint()  # what the operator sees, painted
    took = (time.perf_counter() - state["arrived"]) * 1000
    proc.communicate(timeout=30)
    return form, took

def settle():
    # What follows a key (a list closing, the focus moving on) is done before the next key,
    # as it is between an operator's keystrokes (30 ms apart at the fastest).
    end = time.perf_counter() + 0.03
    while time.perf_counter() < end:
        QApplication.processEvents()
        time.sleep(0.002)  # (a tight loop of processEvents wears out PySide's None refcount)

def key(name, key, modifiers=Qt.KeyboardModifier.NoModifier, identity=False):
    # Through Qt's key handling (shortcuts included), to whatever has the focus.
    target = QApplication.focusWidget()
    popup = QApplication.activePopupWidget()
    QTest.keyClick(popup or target, key, modifiers)
    settle()
    after = QApplication.focusWidget()
    if os.environ.get("BENCH_DEBUG"):
        print("KEY", name, "popup" if popup else "", target.objectName() if target else None,
              "->", after.objectName() if after else None, file=sys.stderr, flush=True)
    state["keys"].append((name, identity))

def text(value):
    for ch in value:
        target = QApplication.focusWidget()
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QCoreApplication.sendEvent(target, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch))
        QApplication.processEvents()

def suggestions_shown(combo):
    popup = combo.completer().popup()
    try:
        wait(lambda: popup.isVisible() and popup.currentIndex().isValid(), 10)
    except TimeoutError:
        focus = QApplication.focusWidget()
        raise TimeoutError(f"no suggestions in {{combo.objectName()}}: focus on "
                           f"{{focus.objectName() if focus else None}}, text {{combo.currentText()!r}}")

def reset(form):
    form.keeper.start_new(); form._reset_form()

def timing(name, number):
    times = []
    for n in range(repeats):
        form, took = ring(number, f"T{{name}}{{n}}")
        times.append(took)
        reset(form)
    return times

CTRL = Qt.KeyboardModifier.ControlModifier
before = Case.select().count()
# The desk has been open a moment when the first call comes: the form is made ahead by then.
wait(lambda: window.menu_actions._spare_intake is not None)

# 1. A returning caller chases an open case: F4, the note, Ctrl+Enter.
form, took = ring(phones["open"], "K1")
state["keys"] = []
key("F4", Qt.Key.Key_F4)
wait(lambda: QApplication.activeModalWidget() is not None
     and QApplication.activeModalWidget().text.hasFocus())  # the operator sees it first
text("企业来电询问办理进度，请加快")
key("Ctrl+Enter", Qt.Key.Key_Return, CTRL)
wait(lambda: form.call is None)
results["follow_up"] = dict(keys=list(state["keys"]), first_ms=took, new_cases=Case.select().count() - before)

# 2. A returning caller with a new complaint: Enter takes caller and enterprise.
form, took = ring(phones["closed"], "K2")
state["keys"] = []
key("Enter", Qt.Key.Key_Return, identity=True)
f = form.fields
assert f.enterprise_name.text(), "the enterprise was not taken"
text("投"); suggestions_shown(f.kind); key("Tab", Qt.Key.Key_Tab)
text("审批"); suggestions_shown(f.category); key("Tab", Qt.Key.Key_Tab)
key("Tab", Qt.Key.Key_Tab)  # urgency: 一般
text("施工许可审批超期未办")
key("Tab", Qt.Key.Key_Tab)
text("申请已提交四十五个工作日，窗口称等待领导签字，至今未办理。")
saved = []
form.case_registered.connect(saved.append)
key("Ctrl+S", Qt.Key.Key_S, CTRL)
wait(lambda: bool(saved))
case = Case.get_by_id(saved[0])
[call] = case_calls.calls_of(case.id)
results["returning"] = dict(keys=list(state["keys"]), first_ms=took, call_id=call.call_id,
                            enterprise=case.enterprise.name, phone=case.contact_phone_masked)

# 3. A new caller: the whole form.
form, took = ring(phones["new"], "K3")
state["keys"] = []
f = form.fields
text("鹤壁市新来电科技有限公司")
key("Tab", Qt.Key.Key_Tab); key("Tab", Qt.Key.Key_Tab)  # credit code left empty
text("淇滨"); suggestions_shown(f.district); key("Tab", Qt.Key.Key_Tab)
text("赵敏"); key("Tab", Qt.Key.Key_Tab)  # the phone is the call's
key("Tab", Qt.Key.Key_Tab); key("Tab", Qt.Key.Key_Tab)  # phone, confidential
text("咨"); suggestions_shown(f.kind); key("Tab", Qt.Key.Key_Tab)
text("政策"); suggestions_shown(f.category); key("Tab", Qt.Key.Key_Tab)
key("Tab", Qt.Key.Key_Tab)
text("咨询高新技术企业认定条件")
key("Tab", Qt.Key.Key_Tab)
text("企业想了解高新技术企业认定的申报条件和时间。")
saved = []
form.case_registered.connect(saved.append)
key("Ctrl+S", Qt.Key.Key_S, CTRL)
wait(lambda: bool(saved))
results["new"] = dict(keys=list(state["keys"]), first_ms=took,
                      enterprise=Case.get_by_id(saved[0]).enterprise.name)

for name, number in (("follow_up", phones["open"]), ("returning", phones["closed"]), ("new", "13500000123")):
    results[name]["ready_ms"] = timing(name, number)
results["cases"] = Case.select().count()
print("RESULT", json.dumps(results, ensure_ascii=False), flush=True)
router.stop()
app.quit()
"""


def pick_phones(db_path: str) -> dict[str, str]:
    """A returning caller whose newest case is open, one whose cases are all closed (a
    typical caller: 2 to 20 cases), and a number never seen."""
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        # The real numbers are in case_contact (migration 19); case holds the masked forms.
        open_phone = conn.execute(
            'SELECT k.contact_phone FROM "case" c JOIN case_contact k ON k.case_id = c.id '
            "WHERE c.status IN ('registered', 'dispatched', 'returned', 'replied') "
            "AND c.confidential = 0 AND k.contact_phone <> '' "
            "GROUP BY k.contact_phone HAVING COUNT(*) BETWEEN 1 AND 20 LIMIT 1"
        ).fetchone()[0]
        closed_phone = conn.execute(
            'SELECT k.contact_phone FROM "case" c JOIN case_contact k ON k.case_id = c.id '
            "WHERE c.confidential = 0 AND k.contact_phone <> '' "
            "GROUP BY k.contact_phone HAVING COUNT(*) BETWEEN 2 AND 20 AND "
            "SUM(c.status IN ('closed', 'withdrawn')) = COUNT(*) LIMIT 1"
        ).fetchone()[0]
        new = next(
            f"135{n:08d}"
            for n in range(10_000_000, 99_999_999, 7919)
            if conn.execute(
                "SELECT 1 FROM case_contact WHERE contact_phone = ?", (f"135{n:08d}",)
            ).fetchone()
            is None
        )
    finally:
        conn.close()
    return {"open": open_phone, "closed": closed_phone, "new": new}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="an SQLite database with cases (demo)")
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY"):
        parser.error("needs a display (e.g. Xvfb :66 and DISPLAY=:66): a real window")
    phones = pick_phones(args.db)
    home = tempfile.mkdtemp(prefix="hotline-call-bench-")
    Path(home, "settings.ini").write_text("[General]\nbackups_kept=0\n", encoding="utf-8")
    env = {**os.environ, "HOTLINE_HOME": home, "QT_QPA_PLATFORM": "xcb"}
    script = DRIVER.format(root=str(ROOT), db=args.db, phones=phones, repeats=args.repeats)
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=1800,
    )
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None or os.environ.get("BENCH_DEBUG"):
        print(done.stdout[-3000:], done.stderr[-5000:], file=sys.stderr)
    if line is None:
        return 1
    results = json.loads(line[7:])
    report(results)
    print(json.dumps(results, ensure_ascii=False))
    return 0


def report(results: dict) -> None:
    import statistics

    print(f"database: {results['cases']:,} cases")
    names = {
        "follow_up": "returning caller, open case: follow-up note (催办)",
        "returning": "returning caller, new complaint",
        "new": "new caller",
    }
    width = max(len(x) for x in names.values())
    print(
        f"{'caller':<{width}}  non-text keys  identity+enterprise  event -> form ready (median / max)"
    )
    for key, name in names.items():
        result = results[key]
        keys = result["keys"]
        identity = sum(1 for _name, is_identity in keys if is_identity)
        times = result["ready_ms"]
        shown = " ".join(k for k, _i in keys)
        print(
            f"{name:<{width}}  {len(keys):>13}  {identity:>19}  "
            f"{statistics.median(times):.1f} / {max(times):.1f} ms   [{shown}]"
        )


if __name__ == "__main__":
    sys.exit(main())
