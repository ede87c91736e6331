"""Articles: writing, versions, publishing, retiring, permissions and the audit trail."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from hotline import audit_text
from hotline.enums import Role
from hotline.errors import ConflictError, PermissionDenied, ValidationError
from hotline.knowledge import articles
from hotline.knowledge.status import Status
from hotline.models import AuditEntry
from hotline.permissions import Actor
from tests.hotline.desk import LEAD, MANAGER, OPERATOR
from tests.hotline.knowledge.helpers import article_input, published

ADMIN = Actor("管理员", Role.ADMIN, None)


def test_editors_are_shift_leads_and_administrators(database) -> None:
    assert articles.create(LEAD, article_input()).status is Status.DRAFT
    assert articles.create(ADMIN, article_input()).version == 1
    for actor in (OPERATOR, MANAGER, Actor("部门", Role.DEPARTMENT, None)):
        with pytest.raises(PermissionDenied):
            articles.create(actor, article_input())


def test_every_field_is_checked_at_once_and_nothing_is_written(database) -> None:
    bad = article_input(
        title=" ",
        answer="",
        category="",
        effective_on=dt.date(2026, 1, 1),
        expires_on=dt.date(2025, 1, 1),
        source_number="x" * 101,
    )
    with pytest.raises(ValidationError) as caught:
        articles.create(LEAD, bad)
    assert caught.value.fields() == {"title", "answer", "category", "expires_on", "source_number"}
    assert articles.KnowledgeArticle.select().count() == 0


def test_a_link_to_a_missing_article_is_refused(database) -> None:
    with pytest.raises(ValidationError) as caught:
        articles.create(LEAD, article_input(answer="见[另一条](kb:999)"))
    assert "999" in caught.value.text


def test_each_change_is_a_version_and_old_versions_stay_readable(database) -> None:
    first = published()
    assert first.version == 1
    second = articles.update(
        LEAD, first.id, article_input(answer="新的答案"), expected_version=1, note="政策调整"
    )
    assert second.version == 2 and second.answer == "新的答案"
    old = articles.get(OPERATOR, first.id, 1)
    assert old.answer == first.answer and not old.is_current
    lines = articles.history(LEAD, first.id)
    assert [line.version for line in lines] == [2, 1]
    assert lines[0].changes == ("答案",) and lines[0].note == "政策调整"
    assert lines[0].changed_by_name == LEAD.name


def test_saving_over_a_newer_version_is_refused(database) -> None:
    article = published()
    articles.update(LEAD, article.id, article_input(title="新标题"), expected_version=1)
    with pytest.raises(ConflictError):
        articles.update(LEAD, article.id, article_input(answer="晚到的修改"), expected_version=1)
    assert articles.get(LEAD, article.id).answer == article.answer


def test_unchanged_save_writes_no_version(database) -> None:
    article = published()
    assert articles.update(LEAD, article.id, article_input(), expected_version=1).version == 1


def test_drafts_are_for_editors_only(database) -> None:
    draft = articles.create(LEAD, article_input())
    with pytest.raises(PermissionDenied):
        articles.get(OPERATOR, draft.id)
    articles.publish(LEAD, draft.id, expected_version=1)
    assert articles.get(OPERATOR, draft.id).status is Status.PUBLISHED


def test_retired_article_stays_readable_and_cannot_be_edited(database) -> None:
    article = published()
    retired = articles.retire(LEAD, article.id, "政策已废止", expected_version=1)
    assert retired.status is Status.RETIRED
    assert articles.get(OPERATOR, article.id).title == article.title
    with pytest.raises(ValidationError):
        articles.update(LEAD, article.id, article_input(answer="x"))
    with pytest.raises(ValidationError):
        articles.retire(LEAD, article.id, "again")


def test_retiring_a_policy_source_lists_and_retires_what_cites_it(database) -> None:
    a = published(source_number="豫政〔2020〕1号")
    b = published(title="另一条", source_number="豫政〔2020〕1号")
    linking = published(title="总览", answer=f"见[执照](kb:{a.id})", source_number="")
    other = published(title="不相干", source_number="其他文号")
    preview = articles.retirement_preview(LEAD, "豫政〔2020〕1号")
    assert [i for i, _ in preview.articles] == [a.id, b.id]
    assert preview.linking == [(linking.id, "总览", a.id)]
    assert articles.retire_by_source(LEAD, "豫政〔2020〕1号", "文件已废止") == [a.id, b.id]
    assert articles.get(LEAD, a.id).status is Status.RETIRED
    assert articles.get(LEAD, other.id).status is Status.PUBLISHED


def test_past_review_and_expired_articles_ask_for_attention(database) -> None:
    article = published(review_on=dt.date(2026, 1, 1), expires_on=dt.date(2026, 6, 30))
    notes = article.attention(dt.date(2026, 7, 1))
    assert any("复核" in n for n in notes) and any("失效" in n for n in notes)
    assert article.attention(dt.date(2025, 12, 1)) == []


def test_every_change_is_audited_in_words(database) -> None:
    article = published()
    articles.update(LEAD, article.id, article_input(title="新标题"))
    articles.retire(LEAD, article.id, "废止")
    rows = list(AuditEntry.select().where(AuditEntry.entity == "knowledge").order_by(AuditEntry.id))
    assert [r.action for r in rows] == ["knowledge.create", "knowledge.update", "knowledge.retire"]
    assert json.loads(rows[1].detail)["changed"] == ["title"]
    sentences = [e.sentence for e in audit_text.worded_entries(ADMIN, limit=10)]
    assert any("停用知识“新标题”" in s and "废止" in s for s in sentences)
    assert any("修改知识" in s and "标题" in s for s in sentences)
