"""Answering on the spot with an article: the version stays with the case; flags."""

from __future__ import annotations

import pytest

from hotline.enums import Status as CaseStatus
from hotline.errors import ConflictError, PermissionDenied, ValidationError
from hotline.knowledge import articles, flags, search, usage
from hotline.knowledge.flags import FlagReason
from hotline.knowledge.status import Status
from hotline.models import Case, CaseEvent
from tests.hotline.desk import LEAD, MANAGER, OPERATOR, register_case
from tests.hotline.knowledge.helpers import article_input, published


def _consultation() -> Case:
    return register_case(kind="consultation", subject="营业执照怎么办", description="想开公司")


def test_answered_with_version_3_still_shows_version_3(database) -> None:
    article = published()
    articles.update(LEAD, article.id, article_input(answer="第二版"))
    v3 = articles.update(LEAD, article.id, article_input(answer="第三版 **要点**"))
    assert v3.version == 3
    case = _consultation()
    closed = usage.answer_with_article(
        OPERATOR, case.id, article.id, 3, expected_version=case.version
    )
    assert closed.status == CaseStatus.CLOSED.value and closed.reply == "第三版 要点"
    articles.update(LEAD, article.id, article_input(answer="第四版"))
    (use,) = usage.case_uses(case.id)
    assert (use.version, use.current_version) == (3, 4)
    assert usage.case_article(OPERATOR, case.id, article.id).answer == "第三版 **要点**"
    event = CaseEvent.select().where(CaseEvent.case == case.id).order_by(CaseEvent.id.desc()).get()
    assert '"article_version": 3' in event.data


def test_retired_article_is_not_suggested_but_readable_from_the_case(database) -> None:
    article = published()
    case = _consultation()
    usage.answer_with_article(OPERATOR, case.id, article.id, 1)
    assert [h.id for h in search.suggest(OPERATOR, "营业执照怎么申请")] == [article.id]
    articles.retire(LEAD, article.id, "废止")
    assert search.suggest(OPERATOR, "营业执照怎么申请") == []
    assert usage.case_article(OPERATOR, case.id, article.id).title == article.title
    (use,) = usage.case_uses(case.id)
    assert use.current_status is Status.RETIRED


def test_a_newer_version_than_the_operator_read_is_refused(database) -> None:
    article = published()
    articles.update(LEAD, article.id, article_input(answer="新答案"))
    case = _consultation()
    with pytest.raises(ConflictError):
        usage.answer_with_article(OPERATOR, case.id, article.id, 1)
    assert Case.get_by_id(case.id).status == CaseStatus.REGISTERED.value


def test_only_a_consultation_and_only_a_published_article(database) -> None:
    draft = articles.create(LEAD, article_input())
    case = _consultation()
    with pytest.raises(ValidationError):
        usage.answer_with_article(LEAD, case.id, draft.id, 1)
    article = published()
    complaint = register_case()
    with pytest.raises(ValidationError):
        usage.answer_with_article(OPERATOR, complaint.id, article.id, 1)
    assert usage.case_uses(complaint.id) == []
    with pytest.raises(PermissionDenied):
        usage.answer_with_article(MANAGER, case.id, article.id, 1)


def test_operator_flags_and_the_editor_resolves(database) -> None:
    article = published()
    flag = flags.flag(OPERATOR, article.id, 1, FlagReason.OUTDATED, "材料清单已变")
    assert articles.get(LEAD, article.id).open_flags == 1
    with pytest.raises(PermissionDenied):
        flags.queue(OPERATOR)
    (queued,) = flags.queue(LEAD)
    assert (queued.id, queued.article_id, queued.note, queued.flagged_by_name) == (
        flag.id,
        article.id,
        "材料清单已变",
        OPERATOR.name,
    )
    with pytest.raises(ValidationError):
        flags.flag(OPERATOR, article.id, 1, FlagReason.WRONG, "  ")
    flags.resolve(LEAD, flag.id, "已更新材料清单")
    assert flags.queue(LEAD) == []
    assert articles.get(LEAD, article.id).open_flags == 0
    with pytest.raises(ValidationError):
        flags.resolve(LEAD, flag.id, "again")


def test_the_timeline_names_the_article_and_version_answered_with(database) -> None:
    from hotline import timeline_words

    article = published()
    case = _consultation()
    usage.answer_with_article(OPERATOR, case.id, article.id, 1)
    articles.update(LEAD, article.id, article_input(title="改过的标题"))
    events = CaseEvent.select().where(CaseEvent.case == case.id).order_by(CaseEvent.id)
    steps = [timeline_words.step_of(event) for event in events]
    worded = [w.content for w in timeline_words.word_timeline(steps)]
    assert any(f"答复所用知识：如何办理营业执照（编号 {article.id}，第 1 版）" in w for w in worded)
