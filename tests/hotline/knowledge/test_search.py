"""Finding articles: bigrams ranked, synonyms, pinyin initials, filters, statuses."""

from __future__ import annotations

import datetime as dt

import pytest

from hotline.errors import PermissionDenied, ValidationError
from hotline.knowledge import articles, search, synonyms
from hotline.knowledge.search import Filters
from hotline.knowledge.status import Status
from hotline.models import Department
from tests.hotline.desk import LEAD, OPERATOR
from tests.hotline.knowledge.helpers import article_input, published


def _base() -> dict[str, int]:
    department = Department.select().order_by(Department.id).first()
    found = {
        "licence": published().id,
        "tax": published(
            title="增值税小规模纳税人免征额",
            questions=("小规模交税有优惠吗",),
            answer="月销售额10万元以下免征增值税。",
            category="税费服务",
            department_id=department.id,
        ).id,
        "social": published(
            title="新员工如何参加社会保险",
            questions=("给员工交社保在哪办",),
            answer="在社保经办窗口或网上办理参保登记。",
            category="社会保险",
        ).id,
    }
    return found


def test_a_callers_words_find_the_article(database) -> None:
    ids = _base()
    assert search.suggest(OPERATOR, "刚招了人，五险怎么交") == []  # no word of any article
    assert (
        search.suggest(OPERATOR, "小规模纳税人", "每月卖十万以内要交增值税吗")[0].id == ids["tax"]
    )
    assert search.suggest(OPERATOR, "", "我想申请营业执照")[0].id == ids["licence"]


def test_synonyms_maintained_by_editors_widen_the_query(database) -> None:
    ids = _base()
    assert all(h.id != ids["social"] for h in search.suggest(OPERATOR, "五险怎么交"))
    synonyms.replace_all(LEAD, "社保，社会保险，五险\n执照、营业执照")
    assert search.suggest(OPERATOR, "五险怎么交")[0].id == ids["social"]
    assert synonyms.as_text().splitlines()[0] == "社保，社会保险，五险"
    with pytest.raises(PermissionDenied):
        synonyms.replace_all(OPERATOR, "甲，乙")
    with pytest.raises(ValidationError) as caught:
        synonyms.replace_all(LEAD, "只有一个词\n甲，乙")
    assert "第 1 行" in caught.value.text
    assert len(synonyms.groups()) == 2  # unchanged


def test_window_search_by_initials_category_department_and_number(database) -> None:
    ids = _base()
    assert search.search(OPERATOR, "yyzz")[0].id == ids["licence"]
    assert [h.id for h in search.search(OPERATOR, "", Filters(category="社会保险"))] == [
        ids["social"]
    ]
    department = Department.select().order_by(Department.id).first()
    assert [h.id for h in search.search(OPERATOR, "", Filters(department_id=department.id))] == [
        ids["tax"]
    ]
    assert search.search(OPERATOR, str(ids["social"]))[0].id == ids["social"]


def test_drafts_found_by_editors_only(database) -> None:
    draft = articles.create(LEAD, article_input(title="草稿中的公积金缴存"))
    every = Filters(statuses=(Status.DRAFT, Status.PUBLISHED))
    assert [h.id for h in search.search(LEAD, "公积金", every)] == [draft.id]
    assert search.search(OPERATOR, "公积金", every) == []
    assert search.suggest(LEAD, "公积金缴存") == []


def test_expired_not_suggested_and_flagged_in_the_window(database, monkeypatch) -> None:
    article = published(expires_on=dt.date(2020, 1, 1), effective_on=dt.date(2019, 1, 1))
    assert search.suggest(OPERATOR, "营业执照怎么申请") == []
    (hit,) = search.search(OPERATOR, "", Filters(attention_only=True))
    assert hit.id == article.id and "已失效" in hit.attention(dt.date.today())


def test_tokens_are_bigrams_and_single_characters() -> None:
    assert search.tokens("营业执照 A") == ["营业", "业执", "执照", "a"]
