"""The subcommands, run in-process: output, JSON output and exit codes (0, 1, 2)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from hotline import db
from hotline.models import AuditEntry, Case, CaseEvent, User
from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner, add_account


def _count_cases(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return conn.execute('SELECT COUNT(*) FROM "case"').fetchone()[0]


def test_init_creates_schema_and_first_admin(run_cli: Runner, db_path: Path) -> None:
    result = run_cli("init", "--admin", "chief", "--password-stdin", stdin="Str0ng-pass\n")
    assert result.code == 0, result.err
    assert "chief" in result.out
    db.open_database(db_path)
    user = User.get(User.username == "chief")
    assert user.role == "admin"
    db.close()
    again = run_cli("--json", "init")
    assert again.code == 0
    assert again.json()["previous_version"] == again.json()["schema_version"]


def test_init_refuses_a_weak_password_with_reasons(run_cli: Runner, db_path: Path) -> None:
    result = run_cli("init", "--admin", "chief", "--password-stdin", stdin="short\n")
    assert result.code == 1
    assert "password" in result.err and "8" in result.err
    db.open_database(db_path)
    assert User.select().count() == 0
    db.close()


def test_init_password_stdin_needs_admin(run_cli: Runner) -> None:
    assert run_cli("init", "--password-stdin", stdin="x\n").code == 2


def test_intake_one_object_prints_its_number(run_cli: Runner, db_path: Path) -> None:
    result = run_cli("intake", "-", stdin=json.dumps(sample_case()))
    assert result.code == 0, result.err
    number = result.out.strip()
    assert number.startswith("YS") and len(number.splitlines()) == 1
    db.open_database(db_path)
    case = Case.get(Case.case_no == number)
    assert case.subject == sample_case()["subject"]
    db.close()


def test_intake_array_json_output_and_user(run_cli: Runner, db_path: Path) -> None:
    add_account(db_path, "night1", "夜班坐席")
    items = [sample_case(), sample_case(subject="第二个案件")]
    result = run_cli("--json", "--user", "night1", "intake", "-", stdin=json.dumps(items))
    assert result.code == 0, result.err
    numbers = [row["case_no"] for row in result.json()]
    assert len(set(numbers)) == 2
    db.open_database(db_path)
    event = CaseEvent.select().where(CaseEvent.action == "register").first()
    assert event.actor_name == "夜班坐席（命令行）"
    assert AuditEntry.select().where(AuditEntry.actor == "夜班坐席（命令行）@cli").exists()
    db.close()


def test_intake_with_a_lone_surrogate_escape_is_refused(run_cli: Runner, db_path: Path) -> None:
    """JSON may spell a character that does not exist ("\\ud800"): refused, not a crash."""
    text = json.dumps(sample_case(subject="坏\ud800字", channel="电\ud800报"))
    assert "\\ud800" in text
    result = run_cli("intake", "-", stdin=text)
    assert result.code == 1
    assert "subject" in result.err and "channel" in result.err
    result.err.encode("utf-8")
    db.open_database(db_path)
    assert Case.select().count() == 0
    db.close()


def test_intake_from_a_file(run_cli: Runner, tmp_path: Path) -> None:
    source = tmp_path / "case.json"
    source.write_text(json.dumps(sample_case(), ensure_ascii=False), encoding="utf-8")
    assert run_cli("intake", str(source)).code == 0


def test_invalid_intake_lists_every_problem_and_registers_nothing(
    run_cli: Runner, db_path: Path
) -> None:
    bad = sample_case(
        channel="电报",
        enterprise={"name": "", "uscc": "91410600MA44XKQ35D"},
        contact={"name": "张伟", "phone": "12345"},
    )
    result = run_cli("intake", "-", stdin=json.dumps([sample_case(), bad]))
    assert result.code == 1
    for field in ("[2].channel", "[2].enterprise.name", "[2].enterprise.uscc", "[2].contact.phone"):
        assert field in result.err
    assert "[1]." not in result.err
    assert _count_cases(db_path) == 0


def test_invalid_intake_json_output(run_cli: Runner) -> None:
    result = run_cli("--json", "intake", "-", stdin=json.dumps(sample_case(kind="闲聊")))
    assert result.code == 1
    problems = result.json()["problems"]
    assert {"field": "kind", "message": "无法识别的取值：闲聊"} in problems


def test_intake_of_text_that_is_not_json(run_cli: Runner) -> None:
    result = run_cli("intake", "-", stdin="{not json")
    assert result.code == 1
    assert "JSON" in result.err


def test_missing_intake_file_is_an_error_not_a_traceback(run_cli: Runner, tmp_path: Path) -> None:
    result = run_cli("intake", str(tmp_path / "nowhere.json"))
    assert result.code == 1
    assert "nowhere.json" in result.err and "Traceback" not in result.err


def test_search_human_and_json(run_cli: Runner) -> None:
    run_cli("intake", "-", stdin=json.dumps(sample_case()))
    human = run_cli("search", "华联")
    assert human.code == 0 and "华联" in human.out
    found = run_cli("search", "施工许可", "--json", "--limit", "5")
    rows = found.json()
    assert set(rows[0]) == {"case_no", "received_at", "status", "subject", "enterprise"}
    assert rows[0]["enterprise"] == "鹤壁市华联商贸有限公司"
    assert run_cli("--json", "search", "没有这种东西").json() == []


def test_global_options_after_the_subcommand(run_cli: Runner, tmp_path: Path) -> None:
    other = tmp_path / "other.sqlite3"
    run_cli("intake", "-", stdin=json.dumps(sample_case()), db=other)
    result = run_cli("search", "华联", "--db", str(other), "--json")
    assert len(result.json()) == 1


def test_usage_errors_exit_2(run_cli: Runner) -> None:
    assert run_cli("no-such-command").code == 2
    assert run_cli("search").code == 2
    assert run_cli("search", "x", "--limit", "0").code == 2
    assert run_cli("export", "--format", "xml").code == 2
    assert run_cli("audit").code == 2
    assert run_cli("--user", "", "search", "x").code == 2


def test_a_file_that_is_not_a_database_is_refused(run_cli: Runner, tmp_path: Path) -> None:
    bogus = tmp_path / "notes.sqlite3"
    bogus.write_text("shopping list", encoding="utf-8")
    result = run_cli("search", "x", db=bogus)
    assert result.code == 1
    assert "不是本程序的数据库" in result.err and "Traceback" not in result.err
    assert bogus.read_text(encoding="utf-8") == "shopping list"
    as_json = run_cli("--json", "search", "x", db=bogus)
    assert "不是本程序的数据库" in as_json.json()["error"]


def test_audit_verify_ok_then_broken(run_cli: Runner, db_path: Path) -> None:
    run_cli("intake", "-", stdin=json.dumps(sample_case()))
    ok = run_cli("audit", "verify", "--json")
    assert ok.code == 0 and ok.json()["ok"] is True and ok.json()["checked"] >= 2
    with sqlite3.connect(db_path) as conn:
        conn.execute("UPDATE audit_entry SET detail = '{}' WHERE id = 1")
    broken = run_cli("audit", "verify")
    assert broken.code == 1
    assert "第 1 条" in broken.out


def test_demo_refuses_a_database_with_cases_unless_appending(run_cli: Runner) -> None:
    run_cli("intake", "-", stdin=json.dumps(sample_case()))
    refused = run_cli("demo", "--cases", "20")
    assert refused.code == 1 and "--append" in refused.err
    appended = run_cli("--json", "demo", "--cases", "20", "--seed", "3", "--append")
    assert appended.code == 0 and appended.json()["cases"] == 20


def test_english_messages(run_cli: Runner) -> None:
    from hotline import i18n

    i18n.set_locale("en")
    result = run_cli("--json", "intake", "-", stdin=json.dumps(sample_case(subject="")))
    assert result.json()["problems"][0]["message"] == "Required"
