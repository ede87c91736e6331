"""Articles the knowledge tests share."""

from __future__ import annotations

import datetime as dt

from hotline.knowledge import articles
from hotline.knowledge.articles import Article, ArticleInput
from tests.hotline.desk import LEAD


def article_input(**overrides: object) -> ArticleInput:
    values: dict[str, object] = {
        "title": "如何办理营业执照",
        "answer": "# 办理渠道\n- 登录企业开办一网通办平台\n- 或到政务服务大厅市场监管窗口\n\n**一个工作日**内办结。",
        "category": "企业开办",
        "questions": ("开公司要去哪里办执照", "营业执照怎么申请"),
        "source_name": "市场主体登记管理条例",
        "source_number": "国令第746号",
        "effective_on": dt.date(2022, 3, 1),
        "review_on": dt.date(2027, 3, 1),
    }
    values.update(overrides)
    return ArticleInput(**values)  # type: ignore[arg-type]


def published(**overrides: object) -> Article:
    return articles.create(LEAD, article_input(**overrides), publish=True)
