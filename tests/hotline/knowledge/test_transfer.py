"""Import and export of articles: XLSX, CSV, a Markdown folder, Word; row-and-column errors;
all or nothing."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from hotline.errors import PermissionDenied, ValidationError
from hotline.knowledge import articles, transfer
from hotline.knowledge.schema import KnowledgeArticle
from hotline.knowledge.status import Status
from hotline.models import AuditEntry
from tests.hotline.desk import LEAD, OPERATOR
from tests.hotline.knowledge.helpers import article_input, published

HEAD = [
    "编号",
    "标题",
    "问法",
    "答案",
    "分类",
    "责任单位",
    "政策依据",
    "文号",
    "生效日期",
    "失效日期",
    "复核日期",
    "状态",
]


def _csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([HEAD, *rows])
    return path


def test_round_trip_through_xlsx_csv_and_markdown(database, tmp_path) -> None:
    first = published(answer="- 第一步\n- =1+1 不是公式")
    articles.retire(LEAD, published(title="旧政策").id, "废止")
    for target in (tmp_path / "kb.xlsx", tmp_path / "kb.csv", tmp_path / "folder"):
        assert transfer.export_articles(LEAD, target) == 2
        rows = transfer.read_source(target)
        assert [r.article_id for r in rows] == [first.id, first.id + 1]
        assert rows[0].data.answer == first.answer
        assert rows[0].data.questions == first.questions
        assert rows[1].status is Status.RETIRED
    assert len(list((tmp_path / "folder").glob("*.md"))) == 2


def test_import_creates_and_updates_all_or_nothing(database, tmp_path) -> None:
    existing = published()
    good = _csv(
        tmp_path / "good.csv",
        [
            [
                str(existing.id),
                "如何办理营业执照",
                "执照在哪办",
                "新答案",
                "企业开办",
                "SCJG",
                "",
                "",
                "",
                "",
                "2027-01-01",
                "已发布",
            ],
            [
                "",
                "公积金缴存比例",
                "公积金交多少；单位交多少",
                "5%至12%",
                "社会保险",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ],
        ],
    )
    result = transfer.import_articles(LEAD, good)
    assert (result.created, result.updated) == (1, 1)
    updated = articles.get(LEAD, existing.id)
    assert updated.version == 2 and updated.answer == "新答案" and updated.department_name
    new = KnowledgeArticle.get(KnowledgeArticle.title == "公积金缴存比例")
    assert new.status == "published" and new.questions == "公积金交多少\n单位交多少"
    assert AuditEntry.select().where(AuditEntry.action == "knowledge.import").count() == 1

    bad = _csv(
        tmp_path / "bad.csv",
        [
            ["", "好的一行", "", "答案", "企业开办", "", "", "", "", "", "", ""],
            ["", "", "", "答案", "企业开办", "", "", "", "2026-02-30", "", "", ""],
            ["999", "x", "", "答案", "企业开办", "不存在的局", "", "", "", "", "", "作废"],
        ],
    )
    before = KnowledgeArticle.select().count()
    with pytest.raises(ValidationError) as caught:
        transfer.import_articles(LEAD, bad)
    text = caught.value.text
    assert "第 3 行，标题" in text and "第 3 行，生效日期" in text and "2026-02-30" in text
    assert "第 4 行，编号" in text and "第 4 行，责任单位" in text and "第 4 行，状态" in text
    assert KnowledgeArticle.select().count() == before  # the good row was not written either


def test_markdown_folder_errors_name_the_file(database, tmp_path) -> None:
    folder = tmp_path / "md"
    folder.mkdir()
    (folder / "a.md").write_text(
        "---\n标题: 开办企业\n分类: 企业开办\n问法:\n- 怎么开公司\n---\n# 办理\n- 网上",
        encoding="utf-8",
    )
    (folder / "b.md").write_text("---\n标题: 缺分类\n---\n答案", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        transfer.import_articles(LEAD, folder)
    assert caught.value.text.endswith("b.md，分类：请填写分类")
    (folder / "b.md").unlink()
    assert transfer.import_articles(LEAD, folder).created == 1
    row = KnowledgeArticle.get(KnowledgeArticle.title == "开办企业")
    assert row.answer == "# 办理\n- 网上" and row.questions == "怎么开公司"


def test_word_document_import(database, tmp_path) -> None:
    import docx

    document = docx.Document()
    document.add_heading("新办企业领发票", level=1)
    document.add_paragraph("问法：新公司怎么领发票；第一次开票")
    document.add_paragraph("文号：税务总局公告2024年第11号")
    document.add_heading("流程", level=2)
    document.add_paragraph("电子税务局申请", style="List Number")
    document.add_paragraph("当日办结", style="List Bullet")
    document.add_heading("个体户年报", level=1)
    document.add_paragraph("每年1月1日至6月30日报送。")
    path = tmp_path / "answers.docx"
    document.save(str(path))
    assert transfer.import_articles(LEAD, path, category="税费服务").created == 2
    row = KnowledgeArticle.get(KnowledgeArticle.title == "新办企业领发票")
    assert row.answer == "## 流程\n1. 电子税务局申请\n- 当日办结"
    assert row.questions == "新公司怎么领发票\n第一次开票" and row.category == "税费服务"
    assert row.source_number == "税务总局公告2024年第11号"


def test_only_editors_import_and_export(database, tmp_path) -> None:
    with pytest.raises(PermissionDenied):
        transfer.export_articles(OPERATOR, tmp_path / "x.csv")
    with pytest.raises(PermissionDenied):
        transfer.import_articles(OPERATOR, tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()


def test_a_file_without_headings_is_refused(database, tmp_path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(ValidationError) as caught:
        transfer.import_articles(LEAD, path)
    assert "标题" in caught.value.text
    assert article_input  # the helpers are shared


def test_new_articles_link_to_each_other_by_the_files_numbers(database, tmp_path) -> None:
    published(title="已有的一条")  # number 1 here; the file's 1 is another article
    path = _csv(
        tmp_path / "links.csv",
        [
            ["1", "甲", "", "见[乙](kb:2)和[丙](kb:3)", "企业开办", "", "", "", "", "", "", ""],
            ["2", "乙", "", "见[丙](kb:3)", "企业开办", "", "", "", "", "", "", ""],
            ["3", "丙", "", "独立的答案", "企业开办", "", "", "", "", "", "", ""],
        ],
    )
    assert transfer.import_articles(LEAD, path, dry_run=True, as_new=True).created == 3
    assert KnowledgeArticle.select().count() == 1
    assert transfer.import_articles(LEAD, path, as_new=True).created == 3
    ids = {r.title: r.id for r in KnowledgeArticle.select()}
    answers = {r.title: r.answer for r in KnowledgeArticle.select()}
    assert answers["甲"] == f"见[乙](kb:{ids['乙']})和[丙](kb:{ids['丙']})"
    assert answers["乙"] == f"见[丙](kb:{ids['丙']})"


def test_new_articles_linking_in_a_circle_or_outside_the_file_are_refused(
    database, tmp_path
) -> None:
    path = _csv(
        tmp_path / "circle.csv",
        [
            ["1", "甲", "", "见[乙](kb:2)", "企业开办", "", "", "", "", "", "", ""],
            ["2", "乙", "", "见[甲](kb:1)", "企业开办", "", "", "", "", "", "", ""],
            ["3", "丙", "", "见[丁](kb:9)", "企业开办", "", "", "", "", "", "", ""],
        ],
    )
    with pytest.raises(ValidationError) as caught:
        transfer.import_articles(LEAD, path, as_new=True)
    text = caught.value.text
    assert "第 2 行，答案：答案与文件中其他知识互相链接（编号 2）" in text
    assert "第 3 行，答案：答案与文件中其他知识互相链接（编号 1）" in text
    assert "第 4 行，答案：答案链接的知识 9 不在文件中" in text
    assert KnowledgeArticle.select().count() == 0


def test_a_published_article_is_not_made_a_draft_and_titles_are_not_doubled(
    database, tmp_path
) -> None:
    existing = published()
    path = _csv(
        tmp_path / "x.csv",
        [
            [
                str(existing.id),
                existing.title,
                "",
                "答案",
                "企业开办",
                "",
                "",
                "",
                "",
                "",
                "",
                "草稿",
            ],
            ["", "新的", "", "答案", "企业开办", "", "", "", "", "", "", ""],
            ["", "新的", "", "答案", "企业开办", "", "", "", "", "", "", ""],
            ["", existing.title, "", "答案", "企业开办", "", "", "", "", "", "", ""],
        ],
    )
    with pytest.raises(ValidationError) as caught:
        transfer.import_articles(LEAD, path)
    text = caught.value.text
    assert f"第 2 行，状态：知识 {existing.id} 已发布，不能改回草稿" in text
    assert "第 4 行，标题：标题与第 3 行相同" in text
    assert f"第 5 行，标题：已有标题相同的知识（编号 {existing.id}）" in text
    assert KnowledgeArticle.select().count() == 1
    assert articles.get(LEAD, existing.id).version == 1


def test_importing_an_export_back_writes_no_new_version(database, tmp_path) -> None:
    first = published()
    articles.retire(LEAD, published(title="旧政策").id, "废止")
    target = tmp_path / "kb.xlsx"
    transfer.export_articles(LEAD, target)
    result = transfer.import_articles(LEAD, target)
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)
    assert articles.get(LEAD, first.id).version == 1
