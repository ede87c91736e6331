"""An article as PDF: the formatted answer (headings, numbered and bulleted lists, bold)."""

from __future__ import annotations

from hotline.knowledge import articles, pdf
from tests.hotline.desk import LEAD
from tests.hotline.knowledge.helpers import article_input, published
from tests.hotline.reports.conftest import pdf_pages, squeeze


def test_an_old_version_prints_as_it_was(database, tmp_path) -> None:
    other = published(title="另一条")
    article = published(
        answer=f"# 办理渠道\n1. 网上申请\n2. 窗口领取\n\n- 带**身份证**\n见[另一条](kb:{other.id})"
    )
    articles.update(LEAD, article.id, article_input(answer="新答案"))
    old = articles.get(LEAD, article.id, 1)
    path = pdf.write_article_pdf(old, tmp_path)
    assert path.name == f"knowledge-{article.id}-v1.pdf"
    text = squeeze("".join(pdf_pages(path)))
    assert "办理渠道" in text and "网上申请" in text and "带身份证" in text and "另一条" in text
    assert "第1版" in text and "新答案" not in text
    assert "**" not in text and "kb:" not in text
