"""``exemption list|assess|import|versions|penalty`` run in-process: output, JSON, exit codes."""

from __future__ import annotations

import json
from pathlib import Path

from hotline import db
from hotline.exemption.catalogue import default_catalogue
from hotline.exemption.schema import Assessment, CatalogueVersion
from hotline.models import AuditEntry, Case, CaseEvent
from tests.conftest import sample_case
from tests.hotline.cli.conftest import Runner, add_account

FACTS = {
    "item": "SC-001",
    "corrected": True,
    "harm": "none",
    "conditions": {"licence_valid": True},
}


def _register(run_cli: Runner, **overrides: object) -> str:
    result = run_cli("intake", "-", stdin=json.dumps(sample_case(**overrides)))
    assert result.code == 0, result.err
    return result.out.strip()


def test_list_finds_items_by_pinyin_initials_and_body(run_cli: Runner) -> None:
    result = run_cli("exemption", "list", "--search", "yyzz")
    assert result.code == 0, result.err
    codes = [line.split()[0] for line in result.out.splitlines()]
    assert codes[0] == "SC-001"
    assert "示例" in result.err  # the catalogue says it is a sample
    listed = run_cli("--json", "exemption", "list", "--body", "消防救援机构").json()
    assert listed and {item["body"] for item in listed} == {"消防救援机构"}
    assert all(item["catalogue_version"] == "2026.1" for item in listed)
    everything = run_cli("exemption", "list", "--json").json()
    assert len(everything) == len(default_catalogue())


def test_assess_prints_the_decision_as_json(run_cli: Runner) -> None:
    result = run_cli("exemption", "assess", "--json", stdin=json.dumps(FACTS))
    assert result.code == 0, result.err
    decision = result.json()
    assert decision["outcome"] == "no_penalty_minor"
    assert decision["mandatory"] is True
    assert decision["reasons"][0]["basis"] == "《中华人民共和国行政处罚法》第三十三条第一款"
    assert {"text", "basis"} <= set(decision["reasons"][0])
    assert "first_offense_source" in decision and "missing" in decision
    assert decision["saved"] is False


def test_assess_human_output_lists_reasons_and_missing_facts(run_cli: Runner) -> None:
    facts = {"item": "SC-001", "harm": "minor", "corrected": True}
    result = run_cli("exemption", "assess", stdin=json.dumps(facts))
    assert result.code == 0, result.err
    assert "需要补充事实" in result.out
    assert "是否初次违法" in result.out
    assert "依据：《中华人民共和国行政处罚法》" in result.out


def test_invalid_facts_exit_1_with_the_reason_and_store_nothing(
    run_cli: Runner, db_path: Path
) -> None:
    number = _register(run_cli)
    bad = {"item": "SC-001", "act_date": "2026-05-02", "discovered_date": "2026-05-01"}
    result = run_cli("exemption", "assess", "--case", number, "--save", stdin=json.dumps(bad))
    assert result.code == 1
    assert "discovered_date" in result.err
    unknown = run_cli("--json", "exemption", "assess", stdin=json.dumps({"item": "ZZ-9"}))
    assert unknown.code == 1 and unknown.json()["problems"][0]["field"] == "item"
    assert run_cli("exemption", "assess", stdin="{not json").code == 1
    db.open_database(db_path)
    try:
        assert Assessment.select().count() == 0
        assert Case.get(Case.case_no == number).version == 1
    finally:
        db.close()


def test_assess_with_save_stores_it_on_the_case(run_cli: Runner, db_path: Path) -> None:
    number = _register(run_cli)
    add_account(db_path, "lead1", "值班长")
    result = run_cli(
        "--user", "lead1", "exemption", "assess", "--case", number, "--save", "--json",
        stdin=json.dumps(FACTS),
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.json()["saved"] is True
    db.open_database(db_path)
    try:
        row = Assessment.get()
        assert row.case.case_no == number and row.outcome == "no_penalty_minor"
        assert row.assessed_by_name == "值班长（命令行）"
        assert CaseEvent.select().where(CaseEvent.action == "exemption").count() == 1
        assert AuditEntry.select().where(AuditEntry.action == "case.exemption").count() == 1
    finally:
        db.close()


def test_history_and_override_from_the_command_line(run_cli: Runner, db_path: Path) -> None:
    first = _register(run_cli, category="enforcement")
    second = _register(run_cli, category="approval")
    facts = {**FACTS, "harm": "minor", "act_date": "2026-03-02", "act_end_date": "2026-03-02"}
    granted = run_cli(
        "exemption", "assess", "--case", first, "--save", "--json",
        stdin=json.dumps({**facts, "first_offense": True}),
    )  # fmt: skip
    assert granted.json()["outcome"] == "no_penalty_first_offense"
    later = {**facts, "act_date": "2026-09-01", "act_end_date": "2026-09-01"}
    found = run_cli("--json", "exemption", "assess", "--case", second, stdin=json.dumps(later))
    assert found.json()["first_offense_source"] == first
    assert found.json()["grounds"]["no_penalty_first_offense"] is False
    overridden = run_cli(
        "--json", "exemption", "assess", "--case", second, "--save",
        "--override-reason", "前案为另一门店", stdin=json.dumps(later),
    )  # fmt: skip
    assert overridden.code == 0, overridden.err
    assert overridden.json()["outcome"] == "no_penalty_first_offense"
    db.open_database(db_path)
    try:
        entry = AuditEntry.get(AuditEntry.action == "exemption.override")
        assert json.loads(entry.detail)["reason"] == "前案为另一门店"
    finally:
        db.close()


def test_save_without_case_is_a_usage_error(run_cli: Runner) -> None:
    assert run_cli("exemption", "assess", "--save", stdin=json.dumps(FACTS)).code == 2
    assert run_cli("exemption").code == 2


def test_import_and_versions(run_cli: Runner, db_path: Path, tmp_path: Path) -> None:
    data = default_catalogue().to_dict()
    data.update(version="2026.2", effective_date="2026-02-01", name="正式清单")
    path = tmp_path / "official.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    result = run_cli("exemption", "import", str(path))
    assert result.code == 0, result.err
    assert "2026.2" in result.out
    versions = run_cli("--json", "exemption", "versions").json()
    assert [(v["version"], v["in_force"]) for v in versions] == [
        ("2026.2", True),
        ("2026.1", False),
    ]
    again = run_cli("exemption", "import", str(path))
    assert again.code == 1 and "2026.2" in again.err


def test_import_of_a_broken_spreadsheet_names_row_and_column(
    run_cli: Runner, db_path: Path, tmp_path: Path
) -> None:
    path = tmp_path / "broken.csv"
    path.write_text(
        "编号,实施主体,监管领域,违法行为,违法依据,处罚依据,适用条件,首违回溯期（天）\n"
        "X-1,市场监督管理部门,登记,某行为,某条,某条,no_gain：没有违法所得,365\n"
        "X-2,市场监督管理部门,登记,某行为,某条,某条,no_gain：没有违法所得,很多天\n",
        encoding="utf-8",
    )
    result = run_cli(
        "exemption", "import", str(path), "--version", "2026.3",
        "--effective-date", "2026-03-01", "--name", "坏清单",
    )  # fmt: skip
    assert result.code == 1
    assert "row 3, column 首违回溯期（天）" in result.err
    db.open_database(db_path)
    try:
        assert [v.version for v in CatalogueVersion.select()] == ["2026.1"]
    finally:
        db.close()


def test_penalty_is_recorded_and_counts(run_cli: Runner) -> None:
    number = _register(run_cli)
    result = run_cli(
        "exemption", "penalty", "--enterprise", "91410600MA44XKQ35C", "--item", "SC-001",
        "--date", "2026-04-10", "--note", "鹤市监罚〔2026〕12号",
    )  # fmt: skip
    assert result.code == 0, result.err
    facts = {**FACTS, "harm": "minor", "act_date": "2026-09-01"}
    found = run_cli("--json", "exemption", "assess", "--case", number, stdin=json.dumps(facts))
    assert "2026-04-10" in found.json()["first_offense_source"]
    bad = run_cli(
        "exemption", "penalty", "--enterprise", "123", "--item", "SC-001", "--date", "2026-04-10"
    )
    assert bad.code == 1
