"""The case summary PDF tells what happened (issue 14, item 2): every timeline row names what
its step decided, in the same words as the case window; page 1 is not left half empty."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

from hotline.case_view import load_case_window
from hotline.reports.case_data import load_case_summary
from hotline.reports.case_pdf import render_case_summary
from hotline.reports.data import TimelineEntry
from hotline.reports.fonts import FontSet
from tests.hotline.reports.conftest import PRINTED_AT, make_summary, pdf_pages, squeeze
from tests.hotline.timeline_story import OPERATOR, long_case


def _render(summary, fonts: FontSet, **options) -> list[str]:
    out = io.BytesIO()
    render_case_summary(
        summary, out, printed_by="科长丙", printed_at=PRINTED_AT, fonts=fonts, **options
    )
    return pdf_pages(out.getvalue())


def test_the_printout_names_departments_deadlines_ratings_and_extension_dates(
    database, ttf_fonts: FontSet
) -> None:
    story = long_case()
    text = squeeze("".join(_render(load_case_summary(story.case.case_no), ttf_fonts)))
    for expected in (
        f"派单至{story.first}",  # the department of an earlier round
        f"由{story.first}退回",
        f"答复单位{story.second}",
        f"上一轮承办单位{story.second}",
        f"办理期限{story.deadline.isoformat()}",
        f"申请将办理期限由{story.deadline.isoformat()}延至{story.extended_to.isoformat()}",
        f"办理期限由{story.deadline.isoformat()}延至{story.extended_to.isoformat()}",
        "满意度：基本满意",
        "批准延期",
        "驳回延期",
        f"办理期限{story.round_two_deadline.isoformat()}，超期答复",
        "未经回访办结",
    ):
        assert expected in text, expected


def test_the_printout_words_every_row_as_the_case_window_does(database, ttf_fonts: FontSet) -> None:
    story = long_case()
    summary = load_case_summary(story.case.case_no)
    rows = load_case_window(story.case.id, OPERATOR).events
    printed = [(e.action, e.facts, e.text, e.internal) for e in summary.timeline]
    shown = [(r.label, r.facts, r.detail, r.internal) for r in rows]
    assert printed == shown
    text = squeeze("".join(_render(summary, ttf_fonts)))
    for row in rows:
        assert squeeze(row.content) in text, row.content


def test_the_timeline_starts_on_page_one_when_there_is_room(ttf_fonts: FontSet) -> None:
    """A timeline a little longer than what is left of page 1 (but shorter than a page) once
    moved whole to page 2, leaving page 1 half empty; now it starts on page 1 and flows on."""
    start = dt.datetime(2026, 11, 16, 9, 0)
    steps = [
        TimelineEntry(start + dt.timedelta(hours=i), "赵值班", "备注", f"第{i:02d}条跟进记录")
        for i in range(16)
    ]
    pages = _render(make_summary(timeline=steps), ttf_fonts)
    assert "办理过程" in pages[0]
    assert "第00条跟进记录" in squeeze(pages[0])  # its first rows too, not only the heading
    assert "第15条跟进记录" in squeeze(pages[1])


def test_a_long_timeline_flows_across_pages_under_a_repeated_header(ttf_fonts: FontSet) -> None:
    start = dt.datetime(2026, 11, 16, 9, 0)
    steps = [
        TimelineEntry(
            start + dt.timedelta(hours=i),
            "赵值班",
            "备注",
            f"第{i:03d}条跟进记录",
            facts=f"派单至 市第{i:03d}局；办理期限 2026-12-03",
        )
        for i in range(120)
    ]
    pages = _render(make_summary(timeline=steps), ttf_fonts)
    text = squeeze("".join(pages))
    for i in range(120):
        assert f"第{i:03d}条跟进记录" in text and f"派单至市第{i:03d}局" in text
    holding = [page for page in pages if "跟进记录" in page]
    assert len(holding) >= 3
    header = squeeze("时间 经办人 事项 内容")
    assert all(header in squeeze(page) for page in holding)
    assert "第000条跟进记录" in squeeze(pages[0])  # the table starts on page 1


def test_facts_are_masked_like_the_free_text(ttf_fonts: FontSet) -> None:
    summary = make_summary(
        contact=dataclasses.replace(make_summary().contact, confidential=True),
        timeline=[TimelineEntry(PRINTED_AT, "坐席甲", "回访", "", facts="致电 13912345678")],
    )
    assert "13912345678" not in "".join(_render(summary, ttf_fonts))
