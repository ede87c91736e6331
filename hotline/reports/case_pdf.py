"""The case summary PDF: one case, every section, a header with its QR code on each page."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import IO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Paragraph, Spacer

from hotline import clock, version
from hotline.i18n import _
from hotline.masking import Scrubber
from hotline.reports.case_sections import (
    QR_SIZE,
    attachments,
    callback,
    classification,
    cohandling,
    contact,
    enterprise,
    exemption,
    handling,
    header_block,
    long_text,
    reply,
    supervision,
    timeline,
)
from hotline.reports.data import CaseSummary
from hotline.reports.fonts import FontSet, register_fonts
from hotline.reports.pages import a4_document, draw_qr, numbered_canvas
from hotline.reports.styles import (
    ACCENT,
    DASH,
    MUTED,
    PAGE_MARGIN,
    RULE,
    Styles,
    make_styles,
    stamp,
    text,
)

PAGE_WIDTH, PAGE_HEIGHT = A4
HEADER_HEIGHT = 30 * mm


def render_case_summary(
    summary: CaseSummary,
    out: str | os.PathLike[str] | IO[bytes],
    *,
    include_internal: bool = True,
    printed_by: str = "",
    printed_at: dt.datetime | None = None,
    fonts: FontSet | None = None,
) -> None:
    """Write the case summary PDF of ``summary`` to ``out`` (a path or a binary file).

    ``include_internal=False`` leaves internal notes out (the copy given to the enterprise).
    A confidential contact is always masked.
    """
    fonts = fonts or register_fonts()
    styles = make_styles(fonts)
    printed_at = printed_at or clock.now()
    doc = a4_document(
        out,
        margin=PAGE_MARGIN,
        top=HEADER_HEIGHT + 6 * mm,
        bottom=16 * mm,
        title=_("案件摘要 {case_no}").format(case_no=summary.case_no),
        author=printed_by,
    )
    story = case_flowables(
        summary, styles, include_internal=include_internal, as_of=printed_at.date()
    )
    header = _header_painter(summary.case_no, styles, printed_by, printed_at, include_internal)
    doc.build(story, canvasmaker=numbered_canvas(header))


def _header_painter(
    case_no: str, styles: Styles, printed_by: str, printed_at: dt.datetime, include_internal: bool
) -> Callable[[Canvas, int, int], None]:
    regular, bold = styles.fonts.regular, styles.fonts.bold
    copy = _("内部版（含内部记录）") if include_internal else _("对外版（不含内部记录）")
    printed = _("打印：{who}  {when}").format(who=printed_by or DASH, when=stamp(printed_at))
    generator = version.generator_line()

    def paint(canvas: Canvas, number: int, count: int) -> None:
        top = PAGE_HEIGHT - 12 * mm
        right = PAGE_WIDTH - PAGE_MARGIN
        canvas.saveState()
        canvas.setFillColor(MUTED)
        canvas.setFont(regular, 8.5)
        canvas.drawString(PAGE_MARGIN, top, _("营商环境投诉热线 · 案件摘要") + "　" + copy)
        canvas.setFillColor(ACCENT)
        canvas.setFont(bold, 16)
        canvas.drawString(PAGE_MARGIN, top - 9 * mm, case_no)
        text_right = right - QR_SIZE - 4 * mm
        canvas.setFillColor(styles.body.textColor)
        canvas.setFont(regular, 9.5)
        canvas.drawRightString(
            text_right,
            top - 2 * mm,
            _("第 {page} 页 / 共 {pages} 页").format(page=number, pages=count),
        )
        canvas.setFillColor(MUTED)
        canvas.setFont(regular, 8)
        canvas.drawRightString(text_right, top - 8 * mm, printed)
        draw_qr(canvas, case_no, right - QR_SIZE, PAGE_HEIGHT - 9 * mm - QR_SIZE, QR_SIZE)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.8)
        line_y = PAGE_HEIGHT - HEADER_HEIGHT - 2 * mm
        canvas.line(PAGE_MARGIN, line_y, right, line_y)
        canvas.setFont(regular, 7.5)
        canvas.drawString(PAGE_MARGIN, 9 * mm, generator)
        canvas.drawRightString(
            right, 9 * mm, _("{case_no} · 第 {page} 页").format(case_no=case_no, page=number)
        )
        canvas.restoreState()

    return paint


def case_flowables(
    summary: CaseSummary,
    styles: Styles,
    *,
    include_internal: bool = True,
    as_of: dt.date,
    with_header_block: bool = False,
) -> list[Flowable]:
    """The body of a case summary; the weekly report appends these after its case list
    (``with_header_block`` adds the case number and QR code that the page header shows in a
    stand-alone summary)."""
    clean = _cleaner(summary)
    story: list[Flowable] = []
    if with_header_block:
        story += [header_block(summary, styles), Spacer(1, 3 * mm)]
    story.append(Paragraph(text(clean(summary.subject)) or DASH, styles.title))
    status = _("状态：{status}").format(status=summary.status or DASH)
    if summary.round > 1:
        status += "　" + _("第 {round} 轮办理（重办）").format(round=summary.round)
    if summary.repeat_of:
        status += "　" + _("重复诉求，关联 {case_no}").format(case_no=summary.repeat_of)
    story.append(Paragraph(text(status), styles.subtitle))
    story += classification(summary, styles)
    story += enterprise(summary, styles)
    story += contact(summary, styles)
    story += handling(summary, styles, as_of)
    story += long_text(_("问题描述"), clean(summary.description), styles)
    story += long_text(_("企业诉求"), clean(summary.request), styles)
    story += timeline(summary, styles, include_internal, clean)
    story += supervision(summary, styles, clean)
    story += cohandling(summary, styles, clean)
    story += reply(summary, styles, clean)
    story += callback(summary, styles, clean)
    if summary.exemption is not None:
        story += exemption(summary, styles)
    if summary.attachments:
        story += attachments(summary, styles, clean)
    return story


def _cleaner(summary: CaseSummary) -> Callable[[str], str]:
    """Free text as printed: a confidential contact's name and phone are masked in every
    spelling (subject, description, request, timeline, reply, callback comment)."""
    contact = summary.contact
    if not contact.confidential:
        return lambda value: value or ""
    return Scrubber(contact.name, contact.phone)
