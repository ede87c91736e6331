"""``report case`` and ``report weekly`` run as a scheduled job would, PDFs read back with pypdf.

The week's figures are counted by hand from the rows inserted here (see the comments of
``report_db``), following README's definitions, not by calling the report code.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from hotline import clock, contacts, db
from hotline.models import AuditEntry, Case, CaseEvent, Enterprise
from tests.hotline.cli.conftest import Runner, add_account
from tests.hotline.reports.conftest import pdf_pages, squeeze

ROOT = Path(__file__).resolve().parents[3]
PHONE = "13812341234"
SECRET_NOTE = "内部沟通：承办人称材料缺项，暂不告知企业"
PUBLIC_REPLY_EVENT = "已派至市市场监督管理局"


def _case(number: str, received: dt.datetime, **fields: Any) -> Case:
    values: dict[str, Any] = {
        "case_no": number,
        "channel": "hotline",
        "kind": "complaint",
        "category": "approval",
        "urgency": "normal",
        "district": "410611",
        "contact_name": "王芳",
        "contact_phone": "13912345678",
        "subject": f"测试诉求{number[-4:]}",
        "description": "企业反映审批拖延。",
        "status": "registered",
        "received_at": received,
        "registered_at": received,
        "registered_by_name": "坐席甲",
        "updated_at": received,
    }
    values.update(fields)
    name, phone = values.pop("contact_name", ""), values.pop("contact_phone", "")
    case = Case.create(**values, **contacts.masked_columns(name, phone))
    contacts.save(case.id, confidential=bool(values.get("confidential")), name=name, phone=phone)
    return case


@pytest.fixture
def report_db(db_path: Path) -> dict[str, str]:
    """Week 2026-W47 (Mon 11-16 .. Sun 11-22) and the week before, counted by hand:

    W47: received A B C D E = 5; closed A B D = 3, on time A D = 2; overdue at the end C = 1;
    replied after dispatch A B = 2; called back A F = 2, satisfied A = 1; repeat E = 1.
    W46: received F = 1; replied F = 1; nothing else.
    """
    db.open_database(str(db_path))
    day = lambda d, h=9, m=0: dt.datetime(2026, 11, d, h, m)  # noqa: E731
    firm = Enterprise.create(name="鹤壁市华联商贸有限公司", created_at=day(1), updated_at=day(1)).id
    dispatched = {"department": 1, "enterprise": firm}
    a = _case(
        "YS20261116-0001",
        day(16),
        **dispatched,
        status="closed",
        dispatched_at=day(16, 10),
        deadline=dt.date(2026, 11, 20),
        handled_at=day(19),
        reply="已办理完毕。",
        callback_at=day(20),
        satisfaction="satisfied",
        closed_at=day(20, 10),
    )
    _case(
        "YS20261117-0001",
        day(17),
        **dispatched,
        status="closed",
        dispatched_at=day(17, 10),
        deadline=dt.date(2026, 11, 18),
        handled_at=day(21),
        closed_at=day(21, 10),
    )
    c = _case(
        "YS20261118-0001",
        day(18),
        **dispatched,
        status="dispatched",
        dispatched_at=day(18, 10),
        deadline=dt.date(2026, 11, 19),
        subject="施工许可审批拖延",
        description="保密来电，联系人要求回电" + PHONE + "，不要透露姓名张三丰。",
        contact_name="张三丰",
        contact_phone=PHONE,
        confidential=True,
    )
    _case(
        "YS20261119-0001",
        day(19, 10),
        kind="consultation",
        status="closed",
        handled_at=day(19, 10, 10),
        closed_at=day(19, 10, 10),
        deadline=dt.date(2026, 11, 19),
    )
    _case("YS20261120-0001", day(20), repeat_of=a.id)
    _case(
        "YS20261110-0001",
        day(10),
        **dispatched,
        status="called_back",
        dispatched_at=day(10, 10),
        deadline=dt.date(2026, 11, 20),
        handled_at=day(13),
        callback_at=day(18),
        satisfaction="dissatisfied",
    )
    _case("YS20261123-0001", day(23))
    CaseEvent.create(
        case=c.id, at=day(18, 10), actor_name="值班长乙", action="dispatch", text=PUBLIC_REPLY_EVENT
    )
    CaseEvent.create(
        case=c.id,
        at=day(18, 11),
        actor_name="值班长乙",
        action="note",
        text=SECRET_NOTE,
        internal=True,
    )
    db.close()
    return {"confidential": c.case_no, "closed": a.case_no}


def _text(path: Path) -> str:
    return squeeze("".join(pdf_pages(path)))


def test_weekly_report_shows_the_figures_counted_by_hand(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "w47.pdf"
    result = run_cli("report", "weekly", "--week", "2026-W47", "-o", str(out))
    assert result.code == 0, result.err
    assert result.out.strip() == str(out)
    first = squeeze(pdf_pages(out)[0])
    assert "营商环境投诉热线周报" in first
    for name, now, before in (
        ("受理量", 5, 1),
        ("办结量", 3, 0),
        ("期末超期未办", 1, 0),
        ("重复诉求", 1, 0),
    ):
        assert f"{name}{now}{before}" in first, name
    assert "按时办结率66.7%（2/3）—（0/0）" in first
    # Of the two cases answered in the week, one was called back in it; the case answered the
    # week before and called back in this one counts for neither rate here (old: 2/2).
    assert "回访率50.0%（1/2）0.0%（0/1）" in first
    assert "满意率50.0%（1/2）—（0/0）" in first
    text = _text(out)
    listed = ["YS20261116-0001", "YS20261117-0001", "YS20261118-0001", "YS20261119-0001"]
    assert all(number in text for number in [*listed, "YS20261120-0001"])
    assert "YS20261110-0001" not in text and "YS20261123-0001" not in text
    assert PHONE not in text


def test_with_cases_appends_every_summary_and_masks_the_confidential_contact(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path
) -> None:
    plain = run_cli("--json", "report", "weekly", "--week", "2026W47", "-o", str(tmp_path))
    full = run_cli(
        "report",
        "weekly",
        "--week",
        "2026-W47",
        "--with-cases",
        "-o",
        str(tmp_path / "f.pdf"),
        "--json",
    )
    assert plain.code == 0 and full.code == 0, plain.err + full.err
    plain_info, full_info = plain.json(), full.json()
    assert plain_info["file"] == str(tmp_path / "weekly-2026-W47.pdf")
    assert (plain_info["week"], plain_info["from"], plain_info["to"]) == (
        "2026-W47",
        "2026-11-16",
        "2026-11-22",
    )
    assert plain_info["cases"] == full_info["cases"] == 5
    assert full_info["pages"] > plain_info["pages"]
    text = _text(Path(full_info["file"]))
    assert "附：案件摘要（共5件）" in text
    plain_text = _text(Path(plain_info["file"]))
    for number in [
        "YS20261116-0001",
        "YS20261117-0001",
        "YS20261118-0001",
        "YS20261119-0001",
        "YS20261120-0001",
    ]:
        assert plain_text.count(number) == 1  # in the list
        assert text.count(number) >= 2  # in the list and heading its summary
    assert "施工许可审批拖延" in text and SECRET_NOTE in text
    assert PHONE not in text and "138****1234" in text
    assert "张三丰" not in text
    outward = run_cli(
        "report",
        "weekly",
        "--week",
        "2026-W47",
        "--with-cases",
        "--no-internal",
        "-o",
        str(tmp_path / "o.pdf"),
    )
    assert outward.code == 0
    assert SECRET_NOTE not in _text(tmp_path / "o.pdf")


def test_the_default_week_is_the_last_complete_one(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path
) -> None:
    with clock.frozen(dt.datetime(2026, 11, 23, 7, 0)):  # Monday 07:00, the cron time
        result = run_cli("--json", "report", "weekly", "-o", str(tmp_path))
    assert result.code == 0, result.err
    assert result.json()["week"] == "2026-W47"
    assert (tmp_path / "weekly-2026-W47.pdf").is_file()


def test_case_summary_with_and_without_internal_notes(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path, db_path: Path
) -> None:
    number = report_db["confidential"]
    add_account(db_path, "chief3", "科长丙")
    inside, outside = tmp_path / "in.pdf", tmp_path / "out.pdf"
    first = run_cli("--user", "chief3", "report", "case", number, "-o", str(inside))
    second = run_cli("report", "case", number, "--no-internal", "-o", str(outside), "--json")
    assert first.code == 0 and second.code == 0, first.err + second.err
    assert first.out.strip() == str(inside)
    info = second.json()
    assert info["case_no"] == number and info["file"] == str(outside)
    assert info["pages"] >= 1 and info["bytes"] == outside.stat().st_size
    internal, external = _text(inside), _text(outside)
    assert number in internal and "施工许可审批拖延" in internal
    assert "打印：科长丙（命令行）" in internal
    assert SECRET_NOTE in internal and SECRET_NOTE not in external
    assert PUBLIC_REPLY_EVENT in internal and PUBLIC_REPLY_EVENT in external
    assert "本副本不含内部记录" in external
    for text in (internal, external):
        assert PHONE not in text and "138****1234" in text
        assert "张三丰" not in text
    db.open_database(str(inside.parent / "cli.sqlite3"))
    try:
        made = [
            (entry.entity_id, json.loads(entry.detail)["internal"])
            for entry in AuditEntry.select().where(AuditEntry.action == "report.case_pdf")
        ]
    finally:
        db.close()
    assert made == [(number, True), (number, False)]


def test_an_unknown_case_is_an_error_and_writes_nothing(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    result = run_cli("report", "case", "YS20990101-0001", "-o", str(out))
    assert result.code == 1
    assert "没有编号为 YS20990101-0001 的案件" in result.err
    assert not out.exists()
    as_json = run_cli("--json", "report", "case", "NOPE", "-o", str(out))
    assert as_json.code == 1 and "NOPE" in as_json.json()["error"]


@pytest.mark.parametrize("week", ["2026-W60", "47", "2026-13"])
def test_a_bad_week_is_an_error(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path, week: str
) -> None:
    result = run_cli("report", "weekly", "--week", week, "-o", str(tmp_path))
    assert result.code == 1
    assert "week" in result.err and ("2026-W47" in result.err or "没有第 60 周" in result.err)
    assert list(tmp_path.glob("*.pdf")) == []


def test_a_path_that_cannot_be_written_is_an_error(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "w.pdf"
    result = run_cli("report", "weekly", "--week", "2026-W47", "-o", str(missing))
    assert result.code == 1
    assert f"无法写入 {missing}" in result.err and "不存在" in result.err
    not_a_folder = tmp_path / "file.txt"
    not_a_folder.write_text("x")
    result = run_cli("report", "case", report_db["closed"], "-o", str(not_a_folder / "c.pdf"))
    assert result.code == 1 and "无法写入" in result.err


def test_a_failed_write_leaves_the_old_file_and_no_fragment(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hotline.reports import case_pdf

    out = tmp_path / "c.pdf"
    out.write_bytes(b"old")

    def disk_full(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(case_pdf, "render_case_summary", disk_full)
    result = run_cli("report", "case", report_db["closed"], "-o", str(out))
    assert result.code == 1
    assert "磁盘已满" in result.err  # the system's English reason, said in the user's language
    assert out.read_bytes() == b"old"
    assert not [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")]


@pytest.mark.parametrize(
    "args",
    [
        ["report"],
        ["report", "case", "YS20261116-0001"],
        ["report", "weekly"],
        ["report", "weekly", "-o", "x.pdf", "--bogus"],
        ["report", "yearly", "-o", "x.pdf"],
    ],
)
def test_usage_errors_exit_with_2(run_cli: Runner, args: list[str]) -> None:
    assert run_cli(*args).code == 2


def test_runs_headless_from_main_py_without_loading_qt(
    report_db: dict[str, str], db_path: Path, tmp_path: Path
) -> None:
    out = tmp_path / "job.pdf"
    script = (
        "import sys, main\n"
        f"code = main.main(['--db', {str(db_path)!r}, 'report', 'weekly', '--week', '2026-W47', '-o', {str(out)!r}])\n"
        "qt = sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'ui')))\n"
        "print('QT', qt, file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert "QT []" in result.stderr
    assert "YS20261118-0001" in _text(out)


def test_a_missing_database_is_an_error_not_an_empty_report(
    run_cli: Runner, tmp_path: Path
) -> None:
    missing = tmp_path / "typo.sqlite3"
    result = run_cli("report", "weekly", "--week", "2026-W47", "-o", str(tmp_path), db=missing)
    assert result.code == 1
    assert "数据库文件不存在" in result.err
    assert not missing.exists() and list(tmp_path.glob("*.pdf")) == []


@pytest.mark.parametrize(
    ("args", "name", "title", "heading"),
    [
        (["monthly", "2026-11"], "monthly-2026-11.pdf", "营商环境投诉热线月报", "本月（2026-11）"),
        (
            ["quarterly", "2026Q4"],
            "quarterly-2026Q4.pdf",
            "营商环境投诉热线季报",
            "本季度（2026Q4）",
        ),
        (["annual", "2026"], "annual-2026.pdf", "营商环境投诉热线年报", "本年（2026）"),
        (
            ["period", "--from", "2026-11-16", "--to", "2026-11-22"],
            "period-20261116-20261122.pdf",
            "营商环境投诉热线统计报告",
            "本期（2026-11-16~2026-11-22）",
        ),
    ],
)
def test_monthly_quarterly_annual_and_any_dates(
    run_cli: Runner,
    report_db: dict[str, str],
    tmp_path: Path,
    args: list[str],
    name: str,
    title: str,
    heading: str,
) -> None:
    result = run_cli("--json", "report", *args, "-o", str(tmp_path))
    assert result.code == 0, result.err
    made = json.loads(result.out)
    assert made["file"] == str(tmp_path / name) and made["pages"] >= 2
    pages = pdf_pages(tmp_path / name)
    first = squeeze(pages[0])
    assert title in first and heading in first
    # Counted by hand: November holds A-F and the case of 11-23 (7), the period before none;
    # the dates of W47 hold A-E (5), the seven days before F (1).
    assert ("受理量51+4" if args[0] == "period" else "受理量70+7") in first
    text = squeeze("".join(pages))
    assert "指标说明" in text and "不会超过100%" in text
    if args[0] != "period":  # a long period leaves the list out unless asked for
        assert "YS20261116-0001" not in text and "清单从略" in text


def test_a_monthly_report_can_list_its_cases(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path
) -> None:
    out = tmp_path / "m.pdf"
    assert run_cli("report", "monthly", "2026-11", "--case-list", "-o", str(out)).code == 0
    assert "YS20261116-0001" in squeeze("".join(pdf_pages(out)))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["monthly", "2026-13"], "月份格式应为 2026-11"),
        (["quarterly", "2026Q5"], "季度格式应为 2026Q3"),
        (["period", "--from", "2026-11-10", "--to", "2026-11-01"], "早于开始日期"),
        (["period", "--from", "2026-11-31", "--to", "2026-12-01"], "日期格式应为"),
    ],
)
def test_a_bad_period_is_named(
    run_cli: Runner, report_db: dict[str, str], tmp_path: Path, args: list[str], message: str
) -> None:
    result = run_cli("report", *args, "-o", str(tmp_path / "x.pdf"))
    assert result.code == 1 and message in result.err
    assert not (tmp_path / "x.pdf").exists()
