"""The weekly report's knowledge section: answered with an article, most used, to look at."""

from __future__ import annotations

import datetime as dt
import io

from hotline import clock
from hotline.knowledge import articles, flags, usage
from hotline.knowledge.flags import FlagReason
from hotline.knowledge.report import figures_between
from hotline.reports.gather import gather_weekly
from hotline.reports.weekly_pdf import render_weekly_report
from hotline.reports.weeks import IsoWeek
from tests.hotline.desk import LEAD, OPERATOR, register_case
from tests.hotline.knowledge.helpers import article_input, published
from tests.hotline.reports.conftest import pdf_pages, squeeze


def _answered(article_id: int, version: int = 1) -> None:
    case = register_case(kind="consultation", subject="咨询", description="咨询")
    usage.answer_with_article(OPERATOR, case.id, article_id, version)


def test_figures_count_uses_and_list_what_needs_an_editor(database) -> None:
    licence = published()
    tax = published(title="增值税免征额")
    stale = published(title="旧的复核", review_on=dt.date(2020, 1, 1))
    _answered(licence.id)
    _answered(licence.id)
    _answered(tax.id)
    plain = register_case(kind="consultation", subject="其他", description="其他")
    from hotline import workflow

    workflow.answer_on_spot(OPERATOR, plain.id, "口头答复")
    flags.flag(OPERATOR, tax.id, 1, FlagReason.WRONG, "金额不对")
    articles.retire(LEAD, published(title="已停用的", review_on=dt.date(2020, 1, 1)).id, "x")
    now = clock.now()
    figures = figures_between(now - dt.timedelta(days=1), now + dt.timedelta(days=1), now.date())
    assert (figures.answered_on_spot, figures.with_article) == (4, 3)
    assert [(i, n) for i, _t, n in figures.top] == [(licence.id, 2), (tax.id, 1)]
    assert [i for i, _t, _w in figures.attention] == [tax.id, stale.id]  # flagged first
    assert "被标记 1 次" in figures.attention[0][2] and "复核" in figures.attention[1][2]
    last_week = figures_between(now - dt.timedelta(days=30), now - dt.timedelta(days=8), now.date())
    assert (last_week.with_article, last_week.top) == (0, [])
    assert article_input  # shared helpers


def test_the_weekly_pdf_shows_the_section(database) -> None:
    licence = published()
    _answered(licence.id)
    today = clock.today()
    year, week, _day = today.isocalendar()
    report = gather_weekly(IsoWeek(year, week))
    assert report.knowledge is not None and report.knowledge.with_article == 1
    out = io.BytesIO()
    render_weekly_report(report, out)
    text = squeeze("".join(pdf_pages(out.getvalue())))
    assert "知识库使用与维护" in text and "引用知识库答复1件" in text
    assert squeeze(licence.title) in text
