"""The report PDF of a period (week, month, quarter, year, any dates): KPIs beside the period
before, charts, departments, the case list, the definitions."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from typing import IO

from babel.dates import format_date as babel_format_date
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    LongTable,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from hotline import clock, version
from hotline.audit import MIN_PREFIX, anchor_text
from hotline.i18n import _, babel_locale, format_percent
from hotline.reports import definitions as kpi
from hotline.reports import department_work as work
from hotline.reports.case_pdf import case_flowables
from hotline.reports.charts import bars, horizontal_bars, vertical_bars
from hotline.reports.data import BreakdownRow, PeriodReport
from hotline.reports.department_work import DepartmentWork
from hotline.reports.fonts import FontSet, register_fonts
from hotline.reports.kpi_table import kpi_section
from hotline.reports.pages import a4_document, numbered_canvas
from hotline.reports.periods import WEEK
from hotline.reports.styles import (
    CONTENT_WIDTH,
    DASH,
    HEADER_FILL,
    MUTED,
    PAGE_MARGIN,
    RULE,
    ZEBRA_FILL,
    Styles,
    grid_style,
    make_styles,
    section,
    stamp,
    text,
)
from hotline.reports.textfit import wrap_text

PAGE_WIDTH, PAGE_HEIGHT = A4
LIST_FONT_SIZE = 8
LIST_PADDING = 3
LIST_ROW_PADDING = 4.5  # above (2) and below (2.5) the lines of a row of the case list
# Column widths of the case list; the enterprise column (0) takes what is left.
CASE_COLUMNS_MM = (27, 19, 0, 13, 22, 34, 13)


def render_weekly_report(
    report: PeriodReport,
    out: str | os.PathLike[str] | IO[bytes],
    *,
    generated_at: dt.datetime | None = None,
    generated_by: str = "",
    fonts: FontSet | None = None,
    summaries_include_internal: bool = True,
) -> None:
    """Write the weekly report PDF of ``report`` to ``out`` (a path or a binary file).

    Case summaries in ``report.summaries`` are appended after the definitions, each on a
    new page.
    """
    fonts = fonts or register_fonts()
    styles = make_styles(fonts)
    generated_at = generated_at or clock.now()
    doc = a4_document(
        out,
        margin=PAGE_MARGIN,
        top=20 * mm,
        bottom=17 * mm,
        title=_("{title} {code}").format(
            title=report.period.report_title(), code=report.period.code
        ),
        author=generated_by,
    )
    story: list[Flowable] = []
    story += _cover(report, styles, generated_at, generated_by)
    story += kpi_section(report, styles)
    story += _charts(report, styles)
    story += _department_section(report.departments, styles)
    story += department_work_table(report.department_work, styles)
    story += _case_list(report, styles)
    story += _definitions(styles)
    if report.knowledge is not None:
        story += _knowledge(report, styles)
    if report.summaries:
        story += _appendix(report, styles, generated_at.date(), summaries_include_internal)
    doc.build(story, canvasmaker=numbered_canvas(_page_painter(report, styles, generated_at)))


def _page_painter(
    report: PeriodReport, styles: Styles, generated_at: dt.datetime
) -> Callable[[Canvas, int, int], None]:
    regular = styles.fonts.regular
    heading = report.period.report_title() + "　" + report.period.title()
    generated = _("生成时间：{when}").format(when=stamp(generated_at))
    generated += "　" + version.generator_line()

    def paint(canvas: Canvas, number: int, count: int) -> None:
        right = PAGE_WIDTH - PAGE_MARGIN
        top = PAGE_HEIGHT - 11 * mm
        canvas.saveState()
        canvas.setFont(regular, 8.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(PAGE_MARGIN, top, heading)
        canvas.setFillColor(styles.body.textColor)
        canvas.drawRightString(
            right, top, _("第 {page} 页 / 共 {pages} 页").format(page=number, pages=count)
        )
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.6)
        canvas.line(PAGE_MARGIN, top - 2.5 * mm, right, top - 2.5 * mm)
        canvas.setFont(regular, 7.5)
        canvas.setFillColor(MUTED)
        canvas.drawString(PAGE_MARGIN, 10 * mm, generated)
        canvas.drawRightString(right, 10 * mm, report.period.code)
        canvas.restoreState()

    return paint


def _cover(
    report: PeriodReport, styles: Styles, generated_at: dt.datetime, generated_by: str
) -> list[Flowable]:
    byline = _("生成：{who}　{when}　统计口径见报告末尾的“指标说明”。").format(
        who=generated_by or DASH, when=stamp(generated_at)
    )
    cover = [
        Paragraph(text(report.period.report_title()), styles.title),
        Paragraph(text(report.period.title()), styles.subtitle),
        Paragraph(text(byline), styles.note),
    ]
    if report.audit_anchor is not None:
        entry, digest = report.audit_anchor
        anchor = _(
            "审计链：{anchor}（请留存；日后可用 audit verify --expect {entry}:{prefix} 核对审计日志未被删改）"
        ).format(
            anchor=anchor_text(entry=entry, digest=digest),
            entry=entry,
            prefix=digest[:MIN_PREFIX],
        )
        cover.append(Paragraph(text(anchor), styles.note))
    return [*cover, Spacer(1, 3 * mm)]


def _day_label(day: dt.date) -> str:
    weekday = babel_format_date(day, "EEE", locale=babel_locale())
    return f"{day:%m-%d}\n{weekday}"


def intake_title(report: PeriodReport) -> str:
    """The intake chart's title: per day, per week or per month (see ``intake_buckets``)."""
    if not report.intake or report.intake[0][0].first == report.intake[0][0].last:
        return _("每日受理量")
    if report.period.day_count <= 190:
        return _("每周受理量")
    return _("每月受理量")


def intake_labels(report: PeriodReport) -> list[str]:
    if report.period.kind == WEEK:
        return [_day_label(bucket.first) for bucket, _count in report.intake]
    return [bucket.label for bucket, _count in report.intake]


def _charts(report: PeriodReport, styles: Styles) -> list[Flowable]:
    fonts = styles.fonts
    half = (CONTENT_WIDTH - 6 * mm) / 2
    daily = [
        (label, count)
        for label, (_bucket, count) in zip(intake_labels(report), report.intake, strict=True)
    ]
    top_departments = sorted(
        ((row.name, row.received) for row in report.departments if row.received),
        key=lambda item: -item[1],
    )[:10]
    rows = [
        [
            vertical_bars(intake_title(report), daily, fonts, half, 62 * mm),
            bars(_("按诉求类型"), report.by_kind, fonts, half, 62 * mm),
        ],
        [
            horizontal_bars(_("按问题类别"), report.by_category, fonts, half, 78 * mm),
            horizontal_bars(_("按所属区域"), report.by_district, fonts, half, 78 * mm),
        ],
    ]
    layout = TableStyle(
        [
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )
    story: list[Flowable] = [CondPageBreak(80 * mm), section(_("二、受理分布"), styles)]
    # One table per row of charts, so the first row can still fit on page one.
    story += [Table([row], colWidths=[half + 6 * mm, half], style=layout) for row in rows]
    if top_departments:
        height = (20 + 9 * len(top_departments)) * mm * 0.6 + 14 * mm
        story.append(
            horizontal_bars(
                _("按承办单位（受理量前 10 位）"), top_departments, fonts, CONTENT_WIDTH, height
            )
        )
    return story


def _department_section(departments: list[BreakdownRow], styles: Styles) -> list[Flowable]:
    heads = (
        _("承办单位"),
        _("受理"),
        _("办结"),
        _("按时办结"),
        _("按时办结率"),
        _(kpi.OVERDUE_OPEN),
        _("回访"),
        _("满意率"),
    )
    rows: list[list[Flowable]] = [[Paragraph(text(h), styles.cell_head_small) for h in heads]]
    total = BreakdownRow(name=_("合计"))
    for row in departments:
        for attr in (
            "received",
            "closed",
            "closed_on_time",
            "overdue_open",
            "called_back",
            "satisfied",
        ):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    for row in [*departments, total]:
        numbers = [
            str(row.received),
            str(row.closed),
            str(row.closed_on_time),
            format_percent(row.on_time_rate),
            str(row.overdue_open),
            str(row.called_back),
            format_percent(row.satisfaction_rate),
        ]
        rows.append(
            [
                Paragraph(text(row.name), styles.cell),
                *(Paragraph(value, styles.cell_right) for value in numbers),
            ]
        )
    commands = grid_style()
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL) for r in range(2, len(rows) - 1, 2)]
    commands.append(("BACKGROUND", (0, len(rows) - 1), (-1, len(rows) - 1), HEADER_FILL))
    widths = [40 * mm] + [(CONTENT_WIDTH - 40 * mm) / 7] * 7
    return [
        CondPageBreak(60 * mm),
        section(_("三、承办单位情况"), styles),
        Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands)),
    ]


def department_work_table(rows: list[DepartmentWork], styles: Styles) -> list[Flowable]:
    """How each department worked in the period (hotline.reports.department_work): one
    line per department with anything to count, and the total."""
    if not rows:
        return []
    heads = (
        _("承办单位"),
        _("派单"),
        _("签收 / 按时"),
        _("退回"),
        _("延期 申请 / 批准"),
        _("督办 / 按时答复"),
        _("答复"),
        _(work.AVERAGE_WORKDAYS),
        _("会办 / 按时答复"),
    )
    table: list[list[Flowable]] = [[Paragraph(text(h), styles.cell_head_small) for h in heads]]
    summed = work.total(rows)
    summed.name = _("合计")
    for row in [*rows, summed]:
        c = row.counts
        average = row.average_workdays
        numbers = [
            str(c[work.DISPATCHED]),
            f"{c[work.ACCEPTED]} / {c[work.ACCEPTED_ON_TIME]}",
            str(c[work.RETURNED]),
            f"{c[work.EXTENSION_REQUESTED]} / {c[work.EXTENSION_GRANTED]}",
            f"{c[work.SUPERVISION_ISSUED]} / {c[work.SUPERVISION_ON_TIME]}",
            str(c[work.REPLIED]),
            DASH if average is None else f"{average:.1f}",
            f"{c[work.PARTS_ASSIGNED]} / {c[work.PARTS_ON_TIME]}",
        ]
        table.append(
            [
                Paragraph(text(row.name), styles.cell),
                *(Paragraph(value, styles.cell_right) for value in numbers),
            ]
        )
    commands = grid_style()
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL) for r in range(2, len(table) - 1, 2)]
    commands.append(("BACKGROUND", (0, len(table) - 1), (-1, len(table) - 1), HEADER_FILL))
    widths = [40 * mm] + [(CONTENT_WIDTH - 40 * mm) / 8] * 8
    return [
        CondPageBreak(50 * mm),
        Spacer(1, 4 * mm),
        Paragraph(text(_("承办单位办理情况（各环节口径见文末定义）")), styles.body),
        Table(table, colWidths=widths, repeatRows=1, style=TableStyle(commands)),
    ]


def _case_list(report: PeriodReport, styles: Styles) -> list[Flowable]:
    """The period's cases, one row each. Cells are plain strings, broken into lines when too
    wide for their column (thousands of rows: no Paragraph per cell)."""
    cases = report.cases
    count = len(cases) if report.cases_listed else report.received_total
    title = section(_("四、受理案件清单（共 {count} 件）").format(count=count), styles)
    if not report.cases_listed:
        note = _("统计期较长，清单从略：可在“统计”窗口中点击受理量查看或导出。")
        return [CondPageBreak(40 * mm), title, Paragraph(text(note), styles.body)]
    if not cases:
        return [title, Paragraph(text(_("本期没有受理案件。")), styles.body)]
    font = styles.fonts.regular
    widths = [w * mm for w in CASE_COLUMNS_MM]
    widths[2] = CONTENT_WIDTH - sum(widths)
    limits = [w - 2 * LIST_PADDING for w in widths]
    heads = (
        _("案件编号"),
        _("受理时间"),
        _("企业"),
        _("类型"),
        _("类别"),
        _("承办单位"),
        _("状态"),
    )
    data: list[list[object]] = [[Paragraph(text(h), styles.cell_head) for h in heads]]
    # Every row's height is known from its lines: given to the table, reportlab need not
    # measure the rows again at each page break (which took 16 s for 13,000 cases).
    heights: list[float | None] = [None]
    leading = LIST_FONT_SIZE + 2.5
    for case in cases:
        values = (
            case.case_no,
            case.received_at.strftime("%m-%d %H:%M"),
            case.enterprise or DASH,
            case.kind,
            case.category,
            case.department or DASH,
            case.status,
        )
        cells = [
            wrap_text(value, font, LIST_FONT_SIZE, limit)
            for value, limit in zip(values, limits, strict=True)
        ]
        data.append(["\n".join(lines) for lines in cells])
        heights.append(max(1, *map(len, cells)) * leading + LIST_ROW_PADDING)
    commands = grid_style()
    commands += [
        ("FONT", (0, 1), (-1, -1), font, LIST_FONT_SIZE, leading),
        ("TEXTCOLOR", (0, 1), (-1, -1), styles.cell.textColor),
        ("ROWBACKGROUNDS", (0, 1), (-1, -1), [None, ZEBRA_FILL]),
        ("LEFTPADDING", (0, 0), (-1, -1), LIST_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), LIST_PADDING),
        ("TOPPADDING", (0, 1), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 1), (-1, -1), LIST_ROW_PADDING - 2),
    ]
    table = LongTable(
        data, colWidths=widths, rowHeights=heights, repeatRows=1, style=TableStyle(commands)
    )
    return [CondPageBreak(40 * mm), title, table]


def _definitions(styles: Styles) -> list[Flowable]:
    rows = [
        [Paragraph(text(name), styles.cell_head), Paragraph(text(body), styles.cell)]
        for name, body in kpi.kpi_definitions()
    ]
    table = Table(
        rows, colWidths=[32 * mm, CONTENT_WIDTH - 32 * mm], style=TableStyle(grid_style(0))
    )
    return [CondPageBreak(70 * mm), section(_("五、指标说明"), styles), table]


def _knowledge(report: PeriodReport, styles: Styles) -> list[Flowable]:
    """Consultations answered with an article, the articles used most, those to look at."""
    figures = report.knowledge
    if figures is None:
        return []
    story: list[Flowable] = [CondPageBreak(60 * mm), section(_("附：知识库使用与维护"), styles)]
    story.append(
        Paragraph(
            text(
                _(
                    "本期当场答复的咨询 {answered} 件，其中引用知识库答复 {with_article} 件（{share}）。"
                ).format(
                    answered=figures.answered_on_spot,
                    with_article=figures.with_article,
                    share=format_percent(figures.share),
                )
            ),
            styles.body,
        )
    )
    if figures.top:
        rows: list[list[Flowable]] = [
            [
                Paragraph(text(h), styles.cell_head_small)
                for h in (_("最常用的知识"), _("编号"), _("次数"))
            ]
        ]
        rows += [
            [
                Paragraph(text(title), styles.cell),
                Paragraph(str(article_id), styles.cell_right),
                Paragraph(str(uses), styles.cell_right),
            ]
            for article_id, title, uses in figures.top
        ]
        story += [
            Spacer(1, 2 * mm),
            Table(
                rows,
                colWidths=[CONTENT_WIDTH - 40 * mm, 20 * mm, 20 * mm],
                repeatRows=1,
                style=TableStyle(grid_style()),
            ),
        ]
    heads = (_("需要编辑处理的知识"), _("编号"), _("原因"))
    rows = [[Paragraph(text(h), styles.cell_head_small) for h in heads]]
    rows += [
        [
            Paragraph(text(title), styles.cell),
            Paragraph(str(article_id), styles.cell_right),
            Paragraph(text(why), styles.cell),
        ]
        for article_id, title, why in figures.attention
    ]
    if not figures.attention:
        rows.append(
            [
                Paragraph(text(_("无")), styles.cell),
                Paragraph("", styles.cell),
                Paragraph("", styles.cell),
            ]
        )
    story += [
        Spacer(1, 2 * mm),
        Table(
            rows,
            colWidths=[CONTENT_WIDTH - 80 * mm, 20 * mm, 60 * mm],
            repeatRows=1,
            style=TableStyle(grid_style()),
        ),
    ]
    if figures.attention_more:
        story.append(
            Paragraph(
                text(
                    _("另有 {count} 条，见知识库窗口的“只看需关注”。").format(
                        count=figures.attention_more
                    )
                ),
                styles.body,
            )
        )
    return story


def _appendix(
    report: PeriodReport, styles: Styles, as_of: dt.date, include_internal: bool
) -> list[Flowable]:
    story: list[Flowable] = []
    for index, summary in enumerate(report.summaries):
        story.append(PageBreak())
        if index == 0:
            story.append(
                KeepTogether(
                    [
                        section(
                            _("附：案件摘要（共 {count} 件）").format(count=len(report.summaries)),
                            styles,
                        ),
                        Spacer(1, 2 * mm),
                    ]
                )
            )
        story += case_flowables(
            summary, styles, include_internal=include_internal, as_of=as_of, with_header_block=True
        )
    return story


render_period_report = render_weekly_report  # the same layout for every kind of period
