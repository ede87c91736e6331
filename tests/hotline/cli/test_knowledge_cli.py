"""``knowledge import|export|list`` on both backends: the knowledge window's service from the
command line, with its permission, its audit entries, all or nothing, every problem located
in the user's language on standard error, and files written only through output_files."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from hotline import cli, db
from hotline.cli.context import Context
from hotline.knowledge import articles
from hotline.knowledge.schema import KnowledgeArticle, KnowledgeVersion
from hotline.models import AuditEntry
from tests import backends
from tests.hotline.cli.conftest import Result
from tests.hotline.desk import LEAD, OPERATOR
from tests.hotline.knowledge.helpers import article_input, published

HEAD = ["编号", "标题", "问法", "答案", "分类", "责任单位", "生效日期", "复核日期", "状态"]


def _run(target: str, *args: str) -> Result:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["--db", target, *args], stdin=io.StringIO(""), stdout=out, stderr=err)
    return Result(code, out.getvalue(), err.getvalue())


@contextlib.contextmanager
def _opened(target: str) -> Iterator[None]:
    db.open_database(target)
    try:
        yield
    finally:
        db.close()


def _state(target: str) -> tuple[list[tuple[object, ...]], int, int]:
    """Every article as stored, how many versions and audit entries: what a refused or
    checked-only command must leave as it was."""
    with _opened(target):
        rows = [
            (r.id, r.version, r.title, r.questions, r.answer, r.category, r.status)
            for r in KnowledgeArticle.select().order_by(KnowledgeArticle.id)
        ]
        return rows, KnowledgeVersion.select().count(), AuditEntry.select().count()


def _content(target: str) -> list[tuple[object, ...]]:
    """What an export carries of each article, without the numbers a database gives."""
    with _opened(target):
        return [
            (
                a.title,
                a.questions,
                a.answer,
                a.category,
                a.department_name,
                a.source_name,
                a.source_number,
                a.effective_on,
                a.expires_on,
                a.review_on,
                a.status,
            )
            for a in sorted(articles.listed(LEAD), key=lambda a: a.title)
        ]


@pytest.fixture
def kb(database_target: str) -> str:
    """Four articles: two published (one with cells a spreadsheet would run as formulas), one
    retired, one draft."""
    with _opened(database_target):
        published()
        published(
            title='=HYPERLINK("http://example.com","点我")',
            questions=("+86 怎么办", "@所有人"),
            answer="- 第一步\n=1+1 不是公式",
            category="税费服务",
        )
        articles.retire(LEAD, published(title="旧政策", category="惠企政策").id, "废止")
        articles.create(LEAD, article_input(title="草稿一条"))
    return database_target


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEAD, *rows])
    return path


def _row(**cells: str) -> list[str]:
    keys = ["id", "title", "questions", "answer", "category", "department", "effective", "review"]
    keys.append("status")
    return [cells.get(k, "") for k in keys]


def test_a_good_file_is_imported_and_audited(kb: str, tmp_path: Path) -> None:
    good = _csv(
        tmp_path / "good.csv",
        [
            _row(id="1", title="如何办理营业执照", answer="新答案", category="企业开办"),
            _row(
                title="公积金缴存比例",
                questions="交多少；单位交多少",
                answer="5%至12%",
                category="社会保险",
                department="SCJG",
                review="2027-06-30",
            ),
        ],
    )
    result = _run(kb, "knowledge", "import", str(good))
    assert result.code == 0, result.err
    assert result.out.strip() == "已导入知识：新建 1 条，更新 1 条，未变 0 条"
    assert result.err == ""
    with _opened(kb):
        assert articles.get(LEAD, 1).answer == "新答案"
        new = KnowledgeArticle.get(KnowledgeArticle.title == "公积金缴存比例")
        assert new.status == "published" and new.questions == "交多少\n单位交多少"
        entry = AuditEntry.select().where(AuditEntry.action == "knowledge.import").get()
        # (On a set-up server the actor is the login role and how it acted is kept beside.)
        via = json.loads(entry.detail).get("via")
        assert entry.actor.endswith("（命令行）") or "cli" in entry.actor or via == "cli"
    # the same file again: the row without a number would double its article, and is refused
    again = _run(kb, "--json", "knowledge", "import", str(good))
    assert again.code == 1
    assert again.json()["problems"] == [
        {
            "field": "title",
            "row": 3,
            "column": "标题",
            "reason": f"已有标题相同的知识（编号 {new.id}）：要更新它，请在“编号”列填写 {new.id}",
            "message": f"第 3 行，标题：已有标题相同的知识（编号 {new.id}）："
            f"要更新它，请在“编号”列填写 {new.id}",
        }
    ]
    numbered = _csv(
        tmp_path / "numbered.csv",
        [
            _row(
                id=str(new.id),
                title="公积金缴存比例",
                questions="交多少；单位交多少",
                answer="5%至12%",
                category="社会保险",
                department="SCJG",
                review="2027-06-30",
            )
        ],
    )
    assert _run(kb, "knowledge", "import", str(numbered)).out.strip().endswith("未变 1 条")


def test_a_file_with_errors_writes_nothing_and_says_where_in_chinese(
    kb: str, tmp_path: Path
) -> None:
    before = _state(kb)
    bad = _csv(
        tmp_path / "bad.csv",
        [
            _row(title="好的一行", answer="答案", category="企业开办"),
            _row(answer="答案", category="企业开办", effective="2026-02-30"),
            _row(
                id="999",
                title="x",
                answer="答案",
                category="企业开办",
                department="不存在的局",
                status="作废",
            ),
            _row(id="3", title="旧政策改了", answer="答案", category="惠企政策", status="已停用"),
            _row(id="1", title="一", answer="答案", category="企业开办"),
            _row(id="1", title="二", answer="答案", category="企业开办"),
        ],
    )
    result = _run(kb, "knowledge", "import", str(bad))
    assert result.code == 1
    assert result.out == ""
    lines = result.err.splitlines()
    assert lines[0] == "未导入任何知识：发现 7 处问题"
    assert "  第 3 行，标题：请填写标题" in lines
    assert "  第 3 行，生效日期：日期“2026-02-30”无效，应为 YYYY-MM-DD" in lines
    assert "  第 4 行，编号：没有编号为 999 的知识" in lines
    assert "  第 4 行，责任单位：没有名为或代码为“不存在的局”的单位" in lines
    assert "  第 4 行，状态：状态“作废”无效，应为 草稿、已发布 或 已停用" in lines
    assert "  第 5 行，标题：知识 3 已停用，不能修改或重新启用" in lines
    assert "  第 7 行，编号：编号 1 已出现在第 6 行" in lines
    assert _state(kb) == before  # the good rows were not written either, nothing audited

    as_json = _run(kb, "--json", "knowledge", "import", str(bad))
    assert as_json.code == 1
    problems = as_json.json()["problems"]
    assert len(problems) == 7
    assert {
        "field": "effective_on",
        "row": 3,
        "column": "生效日期",
        "reason": "日期“2026-02-30”无效，应为 YYYY-MM-DD",
        "message": "第 3 行，生效日期：日期“2026-02-30”无效，应为 YYYY-MM-DD",
    } in problems
    assert _state(kb) == before


def test_markdown_problems_name_the_file(kb: str, tmp_path: Path) -> None:
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "a.md").write_text("---\n标题: 开办企业\n分类: 企业开办\n---\n答案", "utf-8")
    (folder / "b.md").write_text("---\n标题: 缺分类\n---\n答案", "utf-8")
    before = _state(kb)
    result = _run(kb, "knowledge", "import", str(folder))
    assert result.code == 1
    assert result.err.splitlines() == ["未导入任何知识：发现 1 处问题", "  b.md，分类：请填写分类"]
    assert (
        _run(kb, "--json", "knowledge", "import", str(folder)).json()["problems"][0]["file"]
        == "b.md"
    )
    assert _state(kb) == before


def test_dry_run_checks_everything_and_writes_nothing(kb: str, tmp_path: Path) -> None:
    good = _csv(
        tmp_path / "good.csv",
        [
            _row(id="1", title="如何办理营业执照", answer="改过的答案", category="企业开办"),
            _row(title="新的一条", answer="答案", category="企业开办"),
        ],
    )
    before = _state(kb)
    result = _run(kb, "knowledge", "import", str(good), "--dry-run")
    assert result.code == 0, result.err
    assert result.out.strip() == "试运行：可新建 1 条，更新 1 条，未变 0 条；未写入任何数据"
    assert _state(kb) == before
    assert _run(kb, "--json", "knowledge", "import", str(good), "--dry-run").json()["dry_run"]
    bad = _csv(tmp_path / "bad.csv", [_row(title="缺答案", category="企业开办")])
    refused = _run(kb, "knowledge", "import", str(bad), "--dry-run")
    assert refused.code == 1
    assert refused.err.splitlines() == [
        "试运行：发现 1 处问题；未写入任何数据",
        "  第 2 行，答案：请填写答案",
    ]
    assert _state(kb) == before


@pytest.mark.parametrize("name", ["kb.xlsx", "kb.csv", "folder"])
def test_export_then_import_round_trip(
    kb: str, database_target: str, tmp_path: Path, name: str
) -> None:
    target = tmp_path / name
    exported = _run(kb, "knowledge", "export", str(target))
    assert exported.code == 0, exported.err
    assert exported.out.strip() == f"已导出 4 条知识到 {target}"
    before = _state(kb)
    back = _run(kb, "knowledge", "import", str(target))
    assert back.code == 0, back.err
    assert back.out.strip() == "已导入知识：新建 0 条，更新 0 条，未变 4 条"
    rows, versions, _audit = _state(kb)
    assert (rows, versions) == before[:2]  # no new version of anything

    backend = "postgresql" if db.is_url(database_target) else "sqlite"
    (tmp_path / "other").mkdir()
    with backends.fresh_target(backend, tmp_path / "other") as other:
        if backend == "sqlite":
            assert _run(other, "init").code == 0
        refused = _run(other, "knowledge", "import", str(target))
        assert refused.code == 1 and "没有编号为 1 的知识" in refused.err
        loaded = _run(other, "knowledge", "import", str(target), "--new")
        assert loaded.code == 0, loaded.err
        assert loaded.out.strip() == "已导入知识：新建 4 条，更新 0 条，未变 0 条"
        assert _content(other) == _content(kb)


def test_export_filters_and_formats(
    kb: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = _run(
        kb,
        "--json",
        "knowledge",
        "export",
        str(tmp_path / "x.txt"),
        "--format",
        "csv",
        "--status",
        "已发布,draft",
    )
    assert result.code == 0, result.out
    assert result.json() == {"exported": 3, "file": str(tmp_path / "x.txt"), "format": "csv"}
    with (tmp_path / "x.txt").open(encoding="utf-8-sig", newline="") as handle:
        statuses = {row[-1] for row in list(csv.reader(handle))[1:]}
    assert statuses == {"已发布", "草稿"}
    retired = _run(kb, "knowledge", "export", str(tmp_path / "r.csv"), "--status", "retired")
    assert retired.out.strip() == f"已导出 1 条知识到 {tmp_path / 'r.csv'}"
    wrong = _run(kb, "knowledge", "export", str(tmp_path / "y.csv"), "--status", "作废")
    assert wrong.code == 2 and "状态“作废”无效" in capsys.readouterr().err  # argparse's
    assert not (tmp_path / "y.csv").exists()
    with _opened(kb):
        details = [
            e.detail for e in AuditEntry.select().where(AuditEntry.action == "knowledge.export")
        ]
    assert len(details) == 2 and "草稿" not in str(details)


def test_csv_export_neutralises_formulas_and_imports_them_back(kb: str, tmp_path: Path) -> None:
    target = tmp_path / "kb.csv"
    assert _run(kb, "knowledge", "export", str(target)).code == 0
    with target.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    cells = [cell for row in rows[1:] for cell in row]
    assert '\'=HYPERLINK("http://example.com","点我")' in cells
    assert "'+86 怎么办\n@所有人" in cells
    assert "'- 第一步\n=1+1 不是公式" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    xlsx = tmp_path / "kb.xlsx"
    assert _run(kb, "knowledge", "export", str(xlsx)).code == 0
    from openpyxl import load_workbook

    book = load_workbook(xlsx)
    sheet = book.active
    assert sheet is not None
    formula = [c for row in sheet.iter_rows() for c in row if str(c.value).startswith("=HYPER")]
    assert formula and all(c.data_type == "s" for c in formula)  # text, never a formula
    assert _run(kb, "knowledge", "import", str(target)).out.strip().endswith("未变 4 条")


def test_a_folder_export_replaces_an_earlier_one_and_refuses_other_markdown(
    kb: str, tmp_path: Path
) -> None:
    folder = tmp_path / "kb"
    assert _run(kb, "knowledge", "export", str(folder)).code == 0
    first = sorted(p.name for p in folder.iterdir())
    assert len(first) == 4 and first[0].startswith("00001-")
    with _opened(kb):
        article = articles.get(LEAD, 1)
        articles.update(LEAD, 1, replace(article.as_input(), title="营业执照怎么办"))
    assert _run(kb, "knowledge", "export", str(folder)).code == 0
    second = sorted(p.name for p in folder.iterdir())
    assert len(second) == 4 and "00001-营业执照怎么办.md" in second
    assert not (folder / first[0]).exists()  # the renamed article's old file is gone
    assert _run(kb, "knowledge", "import", str(folder)).out.strip().endswith("未变 4 条")

    (folder / "notes.md").write_text("我的笔记", encoding="utf-8")
    kept = {p.name: p.read_bytes() for p in folder.iterdir()}
    refused = _run(kb, "knowledge", "export", str(folder))
    assert refused.code == 1
    assert refused.err.strip() == (
        f"文件夹 {folder} 中已有不是知识导出的 Markdown 文件（如 notes.md），未导出：请选择空文件夹"
    )
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == kept
    a_file = tmp_path / "plain"
    a_file.write_text("x", encoding="utf-8")
    as_md = _run(kb, "knowledge", "export", str(a_file), "--format", "md")
    assert as_md.code == 1 and "Markdown 导出须是文件夹" in as_md.err
    missing_parent = _run(kb, "knowledge", "export", str(tmp_path / "no" / "kb.xlsx"))
    assert missing_parent.code == 1 and "不存在" in missing_parent.err


def test_list_shows_number_status_category_and_review_date(kb: str) -> None:
    human = _run(kb, "knowledge", "list", "--status", "published")
    assert human.code == 0, human.err
    lines = human.out.splitlines()
    assert len(lines) == 2
    assert lines[0].split() == ["1", "已发布", "企业开办", "2027-03-01", "如何办理营业执照"]
    rows = _run(kb, "--json", "knowledge", "list", "--category", "惠企政策").json()
    assert [(r["id"], r["status"], r["review_on"]) for r in rows] == [(3, "retired", "2027-03-01")]
    nothing = _run(kb, "knowledge", "list", "--category", "没有的分类")
    assert nothing.code == 0 and nothing.out == "" and nothing.err.strip() == "没有符合条件的知识"


@pytest.mark.parametrize("command", ["import", "export", "list"])
def test_a_user_without_the_right_is_refused(
    kb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    good = _csv(tmp_path / "good.csv", [_row(title="新的", answer="答案", category="企业开办")])
    out = tmp_path / "out.csv"
    args = {"import": [str(good)], "export": [str(out)], "list": []}[command]
    monkeypatch.setattr(Context, "actor", property(lambda self: OPERATOR))
    before = _state(kb)
    result = _run(kb, "knowledge", command, *args)
    assert result.code == 1
    assert result.err.strip() == "当前角色（坐席）无权执行此操作：编辑知识库"
    assert result.out == ""
    assert _state(kb) == before
    assert not out.exists()


def test_hostile_paths_are_refused_with_a_reason(kb: str, tmp_path: Path) -> None:
    before = _state(kb)
    missing = _run(kb, "knowledge", "import", str(tmp_path / "nothere.csv"))
    assert (missing.code, missing.err.strip()) == (
        1,
        f"文件或文件夹 {tmp_path / 'nothere.csv'} 不存在",
    )
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "readme.txt").write_text("不是知识", encoding="utf-8")
    folder = _run(kb, "knowledge", "import", str(empty))
    assert folder.code == 1 and f"文件 {empty} 中没有知识" in folder.err
    pipe = tmp_path / "pipe.csv"
    os.mkfifo(pipe)
    fifo = _run(kb, "knowledge", "import", str(pipe))
    assert (fifo.code, fifo.err.strip()) == (1, f"{pipe} 不是普通文件或文件夹")
    odd = tmp_path / "kb.pdf"
    odd.write_bytes(b"%PDF")
    assert "不支持的文件类型 .pdf" in _run(kb, "knowledge", "import", str(odd)).err
    damaged = tmp_path / "damaged.xlsx"
    damaged.write_bytes(b"PK\x03\x04 not really")
    broken = _run(kb, "knowledge", "import", str(damaged))
    assert broken.code == 1 and "无法读取 Excel 文件" in broken.err
    huge = tmp_path / "huge.csv"
    huge.write_text(
        "标题,答案,分类\n好,答案,企业开办\n坏," + "长" * 20_001 + ",企业开办\n", "utf-8"
    )
    too_long = _run(kb, "knowledge", "import", str(huge))
    assert (too_long.code, too_long.err.splitlines()[1:]) == (
        1,
        ["  第 3 行，答案：不能超过 20000 个字符（现有 20001 个）"],
    )
    limit = csv.field_size_limit(10_000)  # a cell past the csv module's limit: a broken file
    try:
        broken_csv = _run(kb, "knowledge", "import", str(huge))
    finally:
        csv.field_size_limit(limit)
    assert broken_csv.code == 1
    assert "CSV 文件第 3 行无法读取：单元格超过 10000 个字符，文件可能已损坏" in broken_csv.err
    assert _state(kb) == before


def test_an_unreadable_file_or_folder_is_named(
    kb: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = _csv(tmp_path / "locked.csv", [_row(title="新的", answer="答案", category="企业开办")])
    folder = tmp_path / "locked"
    folder.mkdir()
    real_open, real_iterdir = Path.open, Path.iterdir

    def deny_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
        if self == source:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

    def deny_list(self: Path):  # type: ignore[no-untyped-def]
        if self == folder:
            raise PermissionError(13, "Permission denied", str(self))
        return real_iterdir(self)

    monkeypatch.setattr(Path, "open", deny_open)
    monkeypatch.setattr(Path, "iterdir", deny_list)
    before = _state(kb)
    locked = _run(kb, "knowledge", "import", str(source))
    assert (locked.code, locked.err.strip()) == (1, f"无法读取 {source}：没有读取权限")
    closed = _run(kb, "knowledge", "import", str(folder))
    assert (closed.code, closed.err.strip()) == (1, f"无法读取 {folder}：没有读取权限")
    assert _state(kb) == before


@pytest.mark.sqlite_only("a server's database is no file to write over")
def test_export_never_writes_over_the_database(kb: str) -> None:
    before = Path(kb).read_bytes()
    result = _run(kb, "knowledge", "export", kb, "--format", "csv")
    assert result.code == 1 and "未做任何改动" in result.err
    assert Path(kb).read_bytes() == before


def test_help_in_chinese_and_english(capsys: pytest.CaptureFixture[str]) -> None:
    from hotline import i18n

    assert cli.main(["knowledge", "--help"]) == 0
    assert "知识库的批量导入、导出和清单" in capsys.readouterr().out
    i18n.set_locale("en")
    assert cli.main(["knowledge", "import", "--help"]) == 0
    shown = capsys.readouterr().out
    assert "check only" in shown and "FILE_OR_FOLDER" in shown
