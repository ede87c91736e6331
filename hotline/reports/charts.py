"""Bar charts for the weekly report, drawn with reportlab.graphics (vector, real text)."""

from __future__ import annotations

import math

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.pdfbase.pdfmetrics import stringWidth

from hotline.reports.fonts import FontSet
from hotline.reports.styles import CHART_COLOURS, INK, MUTED, RULE
from hotline.reports.textfit import wrap_text

TITLE_SIZE = 10
LABEL_SIZE = 7.5
MAX_LABELLED_COLUMNS = 16


def nice_step(maximum: int) -> int:
    """A round tick step giving at most about 5 ticks up to ``maximum``."""
    if maximum <= 5:
        return 1
    raw = maximum / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return int(factor * magnitude)
    return int(10 * magnitude)


def wrap_label(label: str, font: str, size: float, width: float, max_lines: int = 2) -> str:
    """``label`` broken into lines of at most ``width`` points; a label needing more than
    ``max_lines`` lines ends with an ellipsis."""
    lines = wrap_text(label, font, size, width)
    if len(lines) > max_lines and "\n" not in label:
        last = "".join(lines[max_lines - 1 :])
        while last and stringWidth(last + "…", font, size) > width:
            last = last[:-1]
        lines = [*lines[: max_lines - 1], last + "…"]
    return "\n".join(lines)


def _title(drawing: Drawing, title: str, fonts: FontSet, height: float) -> None:
    drawing.add(
        String(
            0, height - TITLE_SIZE, title, fontName=fonts.bold, fontSize=TITLE_SIZE, fillColor=INK
        )
    )


def _style_axes(chart: VerticalBarChart | HorizontalBarChart, fonts: FontSet, top: int) -> None:
    chart.valueAxis.valueMin = 0
    step = nice_step(top)
    chart.valueAxis.valueStep = step
    chart.valueAxis.valueMax = max(step, math.ceil(top * 1.15 / step) * step)
    chart.valueAxis.labels.fontName = fonts.regular
    chart.valueAxis.labels.fontSize = LABEL_SIZE - 0.5
    chart.valueAxis.labels.fillColor = MUTED
    chart.valueAxis.strokeColor = RULE
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = RULE
    chart.valueAxis.gridStrokeWidth = 0.3
    chart.categoryAxis.labels.fontName = fonts.regular
    chart.categoryAxis.labels.fontSize = LABEL_SIZE
    chart.categoryAxis.labels.fillColor = INK
    chart.categoryAxis.strokeColor = RULE
    chart.bars[0].fillColor = CHART_COLOURS[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.regular
    chart.barLabels.fontSize = LABEL_SIZE
    chart.barLabels.fillColor = INK


# reportlab takes any number for a chart's sizes; its stubs say int (hence the ignores).


def vertical_bars(
    title: str, items: list[tuple[str, int]], fonts: FontSet, width: float, height: float
) -> Drawing:
    """Columns for a few short categories (kinds, the days of the week)."""
    drawing = Drawing(width, height)
    _title(drawing, title, fonts, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 24, 26
    chart.width, chart.height = width - chart.x - 6, height - chart.y - TITLE_SIZE - 16  # type: ignore[assignment]
    chart.data = [[count for _, count in items] or [0]]
    slot = chart.width / max(len(items), 1)
    # Many columns (the days of a month): every n-th label, no numbers on the columns.
    every = max(1, math.ceil(len(items) / MAX_LABELLED_COLUMNS))
    chart.categoryAxis.categoryNames = [
        wrap_label(label, fonts.regular, LABEL_SIZE, slot * every - 2) if i % every == 0 else ""
        for i, (label, _) in enumerate(items)
    ] or [""]
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.labels.leading = LABEL_SIZE + 1.5
    chart.barWidth = 10
    chart.groupSpacing = 8
    chart.barLabels.nudge = 6
    _style_axes(chart, fonts, max((c for _, c in items), default=0))
    if len(items) > MAX_LABELLED_COLUMNS:
        chart.barLabelFormat = None
    drawing.add(chart)
    return drawing


def horizontal_bars(
    title: str, items: list[tuple[str, int]], fonts: FontSet, width: float, height: float
) -> Drawing:
    """Rows for many or long category names (categories, districts, departments); the first
    item is drawn at the top."""
    drawing = Drawing(width, height)
    _title(drawing, title, fonts, height)
    label_width = min(
        max((stringWidth(label, fonts.regular, LABEL_SIZE) for label, _ in items), default=20) + 6,
        width * 0.42,
    )
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 14  # type: ignore[assignment]
    chart.width, chart.height = width - label_width - 16, height - chart.y - TITLE_SIZE - 10  # type: ignore[assignment]
    ordered = list(reversed(items))
    chart.data = [[count for _, count in ordered] or [0]]
    chart.categoryAxis.categoryNames = [
        wrap_label(label, fonts.regular, LABEL_SIZE, label_width - 6, 3) for label, _ in ordered
    ] or [""]
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -3
    chart.categoryAxis.labels.leading = LABEL_SIZE + 1.5
    chart.barWidth = 8
    chart.groupSpacing = max(2, chart.height / max(len(items), 1) - 8)  # type: ignore[assignment]
    chart.barLabels.nudge = 8
    _style_axes(chart, fonts, max((c for _, c in items), default=0))
    drawing.add(chart)
    return drawing


def bars(
    title: str, items: list[tuple[str, int]], fonts: FontSet, width: float, height: float
) -> Drawing:
    """Columns when every label fits under its column without breaking a word (Chinese
    labels usually do); otherwise rows, which leave room for long labels."""
    slot = (width - 30) / max(len(items), 1) - 2
    fits = all(
        stringWidth(word, fonts.regular, LABEL_SIZE) <= slot
        for label, _ in items
        for word in (label.split() if label.isascii() else [label[:4]])
    )
    if fits:
        return vertical_bars(title, items, fonts, width, height)
    return horizontal_bars(title, items, fonts, width, height)
