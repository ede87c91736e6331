"""The first page's table: each figure of the period, the period before and the change."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from hotline.case_calls import format_duration
from hotline.i18n import _, format_percent
from hotline.reports import definitions as kpi
from hotline.reports.data import Kpis, WeeklyReport, ratio
from hotline.reports.styles import (
    BAD,
    CONTENT_WIDTH,
    DASH,
    GOOD,
    MUTED,
    ZEBRA_FILL,
    Styles,
    grid_style,
    hex_colour,
    section,
    text,
)


@dataclass(frozen=True)
class KpiLine:
    """One row of the KPI table as printed."""

    name: str
    current: str
    previous: str
    change: str
    direction: int = 0  # +1 rose, -1 fell, 0 unchanged or not comparable
    good_when_rising: bool | None = None  # None: neither good nor bad
    detail: bool = False  # an indented "of which" row


def count_change(current: int, previous: int) -> str:
    return f"{current - previous:+d}" if current != previous else "0"


def rate_change(current: float | None, previous: float | None) -> str:
    """The difference in percentage points, ``+2.5 个百分点``; a dash if either is missing."""
    if current is None or previous is None:
        return DASH
    points = round((current - previous) * 100, 1)
    return _("{points} 个百分点").format(points=f"{points:+.1f}" if points else "0.0")


def rate_text(part: int, whole: int, rate: float | None) -> str:
    """``95.0%（19/20）``: the rate with what it divides, so it can be checked by hand."""
    return _("{rate}（{part}/{whole}）").format(rate=format_percent(rate), part=part, whole=whole)


def _direction(current: float | None, previous: float | None) -> int:
    if current is None or previous is None or round(current - previous, 9) == 0:
        return 0
    return 1 if current > previous else -1


def _count_line(name: str, cur: int, prev: int, good: bool | None, detail: bool = False) -> KpiLine:
    return KpiLine(
        name, str(cur), str(prev), count_change(cur, prev), _direction(cur, prev), good, detail
    )


def _rate_line(name: str, cur: Kpis, prev: Kpis, rate: str, part: str, whole: str) -> KpiLine:
    cur_rate, prev_rate = getattr(cur, rate), getattr(prev, rate)
    return KpiLine(
        name,
        rate_text(getattr(cur, part), getattr(cur, whole), cur_rate),
        rate_text(getattr(prev, part), getattr(prev, whole), prev_rate),
        rate_change(cur_rate, prev_rate),
        _direction(cur_rate, prev_rate),
        True,
    )


def _median_text(kpis: Kpis) -> str:
    if kpis.call_to_save_median is None:
        return DASH
    return _("{time}（{count} 件）").format(
        time=format_duration(kpis.call_to_save_median), count=kpis.calls_registered
    )


def call_to_save_line(cur: Kpis, prev: Kpis) -> KpiLine:
    """The median time from the call to the saved case; a shorter time is better."""
    now, before = cur.call_to_save_median, prev.call_to_save_median
    change = DASH
    if now is not None and before is not None:
        delta = round(now - before)
        sign = "+" if delta > 0 else ("−" if delta < 0 else "")
        change = sign + format_duration(abs(delta)) if delta else "0"
    return KpiLine(
        _(kpi.CALL_TO_SAVE),
        _median_text(cur),
        _median_text(prev),
        change,
        _direction(now, before),
        False,
    )


def kpi_lines(cur: Kpis, prev: Kpis) -> list[KpiLine]:
    """The KPI table of the first page, in the active locale."""
    lines = [
        _count_line(_(kpi.RECEIVED), cur.received, prev.received, None),
        _count_line(_(kpi.CLOSED), cur.closed, prev.closed, True),
        _rate_line(_(kpi.ON_TIME_RATE), cur, prev, "on_time_rate", "closed_on_time", "closed"),
        _count_line(_(kpi.OVERDUE_OPEN), cur.overdue_open, prev.overdue_open, False),
        _rate_line(
            _(kpi.CALLBACK_RATE), cur, prev, "callback_rate", "replied_called_back", "replied"
        ),
        _rate_line(
            _(kpi.SATISFACTION_RATE), cur, prev, "satisfaction_rate", "satisfied", "called_back"
        ),
        _count_line(_(kpi.REPEAT), cur.repeat, prev.repeat, False),
        _count_line(
            _(kpi.EXEMPTIONS), sum(cur.exemptions.values()), sum(prev.exemptions.values()), None
        ),
    ]
    lines.append(
        _count_line(
            _(kpi.SUPERVISION_ISSUED), cur.supervision_issued, prev.supervision_issued, False
        )
    )
    lines.append(
        KpiLine(
            _(kpi.SUPERVISION_ON_TIME),
            rate_text(
                cur.supervision_on_time,
                cur.supervision_issued,
                ratio(cur.supervision_on_time, cur.supervision_issued),
            ),
            rate_text(
                prev.supervision_on_time,
                prev.supervision_issued,
                ratio(prev.supervision_on_time, prev.supervision_issued),
            ),
            rate_change(
                ratio(cur.supervision_on_time, cur.supervision_issued),
                ratio(prev.supervision_on_time, prev.supervision_issued),
            ),
            _direction(
                ratio(cur.supervision_on_time, cur.supervision_issued),
                ratio(prev.supervision_on_time, prev.supervision_issued),
            ),
            True,
            detail=True,
        )
    )
    lines.append(call_to_save_line(cur, prev))
    for outcome in dict.fromkeys([*cur.exemptions, *prev.exemptions]):
        lines.append(
            _count_line(
                _("其中：{outcome}").format(outcome=outcome),
                cur.exemptions.get(outcome, 0),
                prev.exemptions.get(outcome, 0),
                None,
                detail=True,
            )
        )
    return lines


def _change_cell(line: KpiLine, styles: Styles) -> Paragraph:
    colour = MUTED
    if line.good_when_rising is not None and line.direction:
        colour = GOOD if (line.direction > 0) == line.good_when_rising else BAD
    return Paragraph(
        f'<font color="{hex_colour(colour)}">{text(line.change)}</font>', styles.cell_right
    )


def kpi_section(report: WeeklyReport, styles: Styles) -> list[Flowable]:
    heads = (
        _("指标"),
        report.period.current_label(),
        report.period.previous_label(),
        _("变化"),
    )
    rows: list[list[Flowable]] = [[Paragraph(text(h), styles.cell_head) for h in heads]]
    for line in kpi_lines(report.current, report.previous):
        rows.append(
            [
                Paragraph(text(line.name), styles.cell_sub if line.detail else styles.cell),
                Paragraph(text(line.current), styles.cell_right),
                Paragraph(text(line.previous), styles.cell_right),
                _change_cell(line, styles),
            ]
        )
    commands = grid_style()
    commands += [("BACKGROUND", (0, r), (-1, r), ZEBRA_FILL) for r in range(2, len(rows), 2)]
    widths = [62 * mm, 40 * mm, 40 * mm]
    widths.append(CONTENT_WIDTH - sum(widths))
    table = Table(rows, colWidths=widths, repeatRows=1, style=TableStyle(commands))
    return [section(_("一、主要指标"), styles), table]
