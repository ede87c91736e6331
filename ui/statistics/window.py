"""The statistics window: the report's figures and charts for any period, every figure a link.

The figures come from :func:`hotline.reports.service.gather_statistics`, the gathering the
PDFs use, on a worker thread; the main figures are printed with the PDF's own texts
(:func:`hotline.reports.kpi_table.kpi_lines`), so screen and paper read the same. A click
on a number, a bar or a count in the breakdown table lists exactly the cases counted
(:class:`FigureCasesWindow`). The tables export to XLSX, and the period's PDF report opens
in the preview window.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import re
import time
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from hotline import clock
from hotline.errors import ValidationError
from hotline.i18n import N_, _, format_percent
from hotline.permissions import Action
from hotline.reports import definitions as kpi
from hotline.reports import department_work as work
from hotline.reports import service
from hotline.reports.data import Dimension, FigureRef, Measure, PeriodReport
from hotline.reports.kpi_table import kpi_lines
from hotline.reports.periods import Period
from hotline.reports.weekly_pdf import intake_labels, intake_title
from hotline.reports.xlsx import DIMENSION_NAMES
from ui.common import shortcuts
from ui.common.latest_request import LatestRequest
from ui.common.linked_windows import bring_forward
from ui.common.messages import error_text, show_error
from ui.common.session import Session
from ui.common.settings import PreserveGeometry
from ui.common.tasks import run_task
from ui.statistics.bar_chart import BarChart
from ui.statistics.breakdown_model import FIGURE_ROLE, BreakdownModel
from ui.statistics.cases_window import FigureCasesWindow
from ui.statistics.period_picker import PeriodPicker
from ui.statistics.work_model import DepartmentWorkModel

log = logging.getLogger(__name__)

GOOD, BAD, MUTED = "#1e7b34", "#b3261e", "#5f6b78"
TAG = re.compile(r"<[^>]+>")

MEASURE_NAMES: dict[Measure, str] = {
    Measure.RECEIVED: kpi.RECEIVED,
    Measure.CLOSED: kpi.CLOSED,
    Measure.CLOSED_ON_TIME: N_("按时办结"),
    Measure.OVERDUE_OPEN: kpi.OVERDUE_OPEN,
    Measure.REPLIED: kpi.REPLIED,
    Measure.REPLIED_CALLED_BACK: N_("答复后于期末前回访"),
    Measure.CALLED_BACK: kpi.CALLED_BACK,
    Measure.SATISFIED: N_("满意或基本满意"),
    Measure.REPEAT: kpi.REPEAT,
    Measure.EXEMPTION: kpi.EXEMPTIONS,
    Measure.SUPERVISION_ISSUED: kpi.SUPERVISION_ISSUED,
    Measure.SUPERVISION_ON_TIME: N_("督办按时答复"),
    Measure.DEPARTMENT_WORK: N_("承办单位办理情况"),
}

# How each line of kpi_lines() links to its cases: a count, a rate (part, whole) or the
# assessments. The exemption outcomes follow as extra lines.
KPI_LINKS: list[tuple[Measure, ...]] = [
    (Measure.RECEIVED,),
    (Measure.CLOSED,),
    (Measure.CLOSED_ON_TIME, Measure.CLOSED),
    (Measure.OVERDUE_OPEN,),
    (Measure.REPLIED_CALLED_BACK, Measure.REPLIED),
    (Measure.SATISFIED, Measure.CALLED_BACK),
    (Measure.REPEAT,),
    (Measure.EXEMPTION,),
]


def plain(text: str) -> str:
    """A label's rich text as the user reads it."""
    return html.unescape(TAG.sub("", text))


def _href(ref: FigureRef) -> str:
    key = "" if ref.key is None else str(ref.key)
    return f"{ref.measure.value}|{int(ref.previous)}|{key}"


def _ref(href: str) -> FigureRef:
    measure, previous, key = href.split("|", 2)
    return FigureRef(Measure(measure), previous=previous == "1", key=key or None)


def _link(number: int, ref: FigureRef) -> str:
    return f'<a href="{html.escape(_href(ref))}">{number}</a>'


class StatisticsWindow(PreserveGeometry, QMainWindow):
    layout_key = "statistics_window"
    loaded = Signal()  # the figures of the chosen period are shown
    failed = Signal(str)
    exported = Signal(str)  # the path of an XLSX written

    def __init__(
        self,
        session: Session,
        *,
        open_case: Callable[[int], object] | None = None,
        today: dt.date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.Window, True)
        self.setObjectName("statisticsWindow")
        self.setWindowTitle(_("统计"))
        self.session = session
        self.open_case = open_case
        self.report: PeriodReport | None = None
        self.case_windows: list[FigureCasesWindow] = []
        self.gather_seconds = 0.0
        self.preview: QWidget | None = None  # the last PDF report opened
        self._latest = LatestRequest()
        self.picker = PeriodPicker(today or clock.today(), self)
        self._build()
        self.picker.changed.connect(self.reload)
        if not self.restore_layout():
            self.resize(1240, 860)
        self.reload()

    # Layout

    def _build(self) -> None:
        self.pdf_button = QPushButton(_("生成 PDF 报告…"), self)
        self.pdf_button.setObjectName("periodPdf")
        self.xlsx_button = QPushButton(_("导出 Excel…"), self)
        self.xlsx_button.setObjectName("exportXlsx")
        self.refresh_button = QPushButton(_("刷新"), self)
        self.refresh_button.setShortcut(shortcuts.sequences("refresh")[0])
        self.status = QLabel(self)
        self.status.setObjectName("statisticsStatus")
        top = QHBoxLayout()
        top.addWidget(self.picker)
        top.addStretch(1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.pdf_button)

        self.title = QLabel(self)
        self.title.setObjectName("statisticsTitle")
        self.title.setStyleSheet("font-size: 16px; font-weight: 600;")
        self.kpi_grid = QGridLayout()
        self.kpi_grid.setHorizontalSpacing(24)
        self.kpi_grid.setVerticalSpacing(4)
        self.kpi_grid.setColumnStretch(4, 1)  # the figures stay together on a wide window
        self.kpi_grid.setColumnMinimumWidth(1, 170)
        self.kpi_grid.setColumnMinimumWidth(2, 170)
        kpi_box = QWidget(self)
        kpi_box.setObjectName("kpiBox")
        kpi_box.setLayout(self.kpi_grid)
        self.kpi_labels: list[tuple[QLabel, QLabel, QLabel, QLabel]] = []

        self.tabs = QTabWidget(self)
        self.charts = {
            "intake": BarChart(_("每日受理量"), vertical=True),
            Dimension.KIND: BarChart(_("按诉求类型"), vertical=True),
            Dimension.CATEGORY: BarChart(_("按问题类别"), vertical=False),
            Dimension.DISTRICT: BarChart(_("按所属区域"), vertical=False),
            Dimension.DEPARTMENT: BarChart(_("按承办单位（受理量前 10 位）"), vertical=False),
            Dimension.CHANNEL: BarChart(_("按受理渠道"), vertical=True),
        }
        self._chart_keys: dict[object, list[object]] = {}
        chart_page = QWidget()
        grid = QGridLayout(chart_page)
        for position, (name, chart) in enumerate(self.charts.items()):
            chart.setObjectName(f"chart_{name}")
            grid.addWidget(chart, position // 2, position % 2)
            chart.bar_clicked.connect(lambda index, name=name: self._bar_clicked(name, index))
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(chart_page)
        self.tabs.addTab(scroll, _("图表(&G)"))

        table_page = QWidget()
        self.dimension_box = QComboBox(table_page)
        self.dimension_box.setObjectName("dimensionBox")
        for dimension in Dimension:
            self.dimension_box.addItem(_(DIMENSION_NAMES[dimension]), dimension.value)
        self.breakdown = BreakdownModel(self)
        self.table = QTableView(table_page)
        self.table.setObjectName("breakdownTable")
        self.table.setModel(self.breakdown)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        label = QLabel(_("分类(&B)"), table_page)
        label.setBuddy(self.dimension_box)
        choose = QHBoxLayout()
        choose.addWidget(label)
        choose.addWidget(self.dimension_box)
        choose.addWidget(QLabel(_("单击数字查看这些案件；回车同样。"), table_page))
        choose.addStretch(1)
        table_layout = QVBoxLayout(table_page)
        table_layout.addLayout(choose)
        table_layout.addWidget(self.table, 1)
        self.tabs.addTab(table_page, _("分类统计(&T)"))

        work_page = QWidget()
        self.work = DepartmentWorkModel(self)
        self.work_table = QTableView(work_page)
        self.work_table.setObjectName("departmentWorkTable")
        self.work_table.setModel(self.work)
        self.work_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.work_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.work_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.work_table.setAlternatingRowColors(True)
        self.work_table.verticalHeader().hide()
        self.work_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.work_table.horizontalHeader().setStretchLastSection(True)
        work_layout = QVBoxLayout(work_page)
        work_layout.addWidget(
            QLabel(
                _("各承办单位在本期的签收、退回、延期、督办、答复和会办；单击数字查看这些案件。"),
                work_page,
            )
        )
        work_layout.addWidget(self.work_table, 1)
        self.tabs.addTab(work_page, _("承办单位办理(&W)"))

        self.definitions = QTextBrowser(self)
        self.definitions.setObjectName("definitions")
        rows = "".join(
            f"<tr><td valign=top><b>{html.escape(name)}</b></td><td>{html.escape(text)}</td></tr>"
            for name, text in kpi.kpi_definitions()
        )
        self.definitions.setHtml(f"<table cellspacing=6>{rows}</table>")
        self.tabs.addTab(self.definitions, _("指标说明(&D)"))

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(12, 10, 12, 8)
        layout.addLayout(top)
        layout.addWidget(self.title)
        layout.addWidget(kpi_box)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.status)
        self.setCentralWidget(central)

        self.dimension_box.currentIndexChanged.connect(lambda _i: self._show_breakdown())
        self.table.clicked.connect(self._cell_clicked)
        self.table.activated.connect(self._cell_clicked)
        self.work_table.clicked.connect(self._cell_clicked)
        self.work_table.activated.connect(self._cell_clicked)
        self.refresh_button.clicked.connect(self.reload)
        self.xlsx_button.clicked.connect(self.export_xlsx)
        self.pdf_button.clicked.connect(self.open_pdf)
        shortcuts.bind("close_window", self, self.close)
        self._set_ready(False)

    # Loading

    def reload(self) -> None:
        try:
            period = self.picker.period()
        except ValidationError as exc:
            self.status.setText(error_text(exc))
            return
        ticket = self._latest.start()
        actor = self.session.actor
        self._set_ready(False)
        self.status.setText(_("正在统计 {period}…").format(period=period.title()))
        started = time.perf_counter()

        def done(report: PeriodReport) -> None:
            if self._latest.is_current(ticket):
                self.gather_seconds = time.perf_counter() - started
                self._show(report)

        def fail(exc: BaseException) -> None:
            if self._latest.is_current(ticket):
                self.status.setText(error_text(exc))
                self.failed.emit(error_text(exc))

        run_task(self, lambda: service.gather_statistics(actor, period), done, fail)

    def _set_ready(self, ready: bool) -> None:
        self.xlsx_button.setEnabled(ready)
        self.pdf_button.setEnabled(ready and self.session.can(Action.REPORT_VIEW))

    def _show(self, report: PeriodReport) -> None:
        self.report = report
        period = report.period
        self.title.setText(f"{period.report_title()}　{period.title()}")
        self._show_kpis(report)
        self._show_charts(report)
        self._show_breakdown()
        self.work.set_report(report)
        self.status.setText(
            _(
                "统计于 {when}，读取 {cases} 个案件，用时 {seconds} 秒。单击任一数字或柱条查看其案件。"
            ).format(
                when=clock.now().strftime("%H:%M:%S"),
                cases=len(report.facts or ()),
                seconds=f"{self.gather_seconds:.1f}",
            )
        )
        self._set_ready(True)
        self.loaded.emit()

    def _show_kpis(self, report: PeriodReport) -> None:
        while self.kpi_grid.count():
            item = self.kpi_grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.kpi_labels = []
        period = report.period
        heads = (_("指标"), period.current_label(), period.previous_label(), _("变化"))
        for column, head in enumerate(heads):
            label = QLabel(f"<b>{html.escape(head)}</b>")
            self.kpi_grid.addWidget(label, 0, column)
        lines = kpi_lines(report.current, report.previous)
        outcomes = list(dict.fromkeys([*report.current.exemptions, *report.previous.exemptions]))
        # The supervision lines count notices; their links list the cases they are on. The
        # call-to-save line is a time (issue 18): shown without a link.
        links: list[tuple[Measure, ...] | str | None] = [
            *KPI_LINKS,
            (Measure.SUPERVISION_ISSUED,),
            (Measure.SUPERVISION_ON_TIME, Measure.SUPERVISION_ISSUED),
            None,
            *outcomes,
        ]
        for row, (line, link) in enumerate(zip(lines, links, strict=True), start=1):
            name = QLabel(("　" if line.detail else "") + html.escape(line.name))
            values = [
                QLabel(self._linked(line_text, link, report, previous))
                for line_text, previous in ((line.current, False), (line.previous, True))
            ]
            colour = MUTED
            if line.good_when_rising is not None and line.direction:
                colour = GOOD if (line.direction > 0) == line.good_when_rising else BAD
            change = QLabel(f'<span style="color:{colour}">{html.escape(line.change)}</span>')
            for column, label in enumerate((name, *values, change)):
                if column:
                    label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                label.setObjectName(f"kpi_{row}_{column}")
                label.setTextInteractionFlags(
                    Qt.TextInteractionFlag.LinksAccessibleByMouse
                    | Qt.TextInteractionFlag.LinksAccessibleByKeyboard
                )
                label.linkActivated.connect(self._link_activated)
                self.kpi_grid.addWidget(label, row, column)
            self.kpi_labels.append((name, values[0], values[1], change))

    def _linked(
        self,
        text: str,
        link: tuple[Measure, ...] | str | None,
        report: PeriodReport,
        previous: bool,
    ) -> str:
        """``text`` (as the PDF prints it) with its numbers as links to their cases."""
        if link is None:
            return html.escape(text)
        kpis = report.previous if previous else report.current
        if isinstance(link, str):  # an assessment outcome
            ref = FigureRef(Measure.EXEMPTION, previous=previous, key=link)
            return _link(kpis.exemptions.get(link, 0), ref)
        if link == (Measure.EXEMPTION,):
            return _link(sum(kpis.exemptions.values()), FigureRef(Measure.EXEMPTION, previous))
        if len(link) == 1:
            return _link(kpis.get(link[0]), FigureRef(link[0], previous))
        part, whole = link
        part_n, whole_n = kpis.get(part), kpis.get(whole)
        rate = part_n / whole_n if whole_n else None
        linked = _("{rate}（{part}/{whole}）").format(
            rate=html.escape(format_percent(rate)),
            part=_link(part_n, FigureRef(part, previous)),
            whole=_link(whole_n, FigureRef(whole, previous)),
        )
        assert plain(linked) == text, (plain(linked), text)
        return linked

    def _show_charts(self, report: PeriodReport) -> None:
        intake = self.charts["intake"]
        intake.title = intake_title(report)
        labels = intake_labels(report)
        intake.set_items(
            [
                (label.replace("\n", " "), n)
                for label, (_b, n) in zip(labels, report.intake, strict=True)
            ]
        )
        self._chart_keys["intake"] = list(range(len(report.intake)))
        for dimension in (
            Dimension.KIND,
            Dimension.CATEGORY,
            Dimension.DISTRICT,
            Dimension.CHANNEL,
        ):
            rows = report.breakdowns.get(dimension, [])
            rows = [r for r in rows if dimension is not Dimension.DISTRICT or r.received or r.key]
            self.charts[dimension].set_items([(r.name, r.received) for r in rows])
            self._chart_keys[dimension] = [r.key for r in rows]
        top = sorted((r for r in report.departments if r.received), key=lambda r: -r.received)[:10]
        self.charts[Dimension.DEPARTMENT].set_items([(r.name, r.received) for r in top])
        self._chart_keys[Dimension.DEPARTMENT] = [r.key for r in top]

    def _show_breakdown(self) -> None:
        dimension = Dimension(self.dimension_box.currentData())
        self.breakdown.set_report(self.report, dimension)

    # Figures to cases

    def _link_activated(self, href: str) -> None:
        self.open_figure(_ref(href))

    def _bar_clicked(self, chart: object, index: int) -> None:
        keys = self._chart_keys.get(chart, [])
        if index >= len(keys):
            return
        if chart == "intake":
            self.open_figure(FigureRef(Measure.RECEIVED, bucket=index))
        else:
            self.open_figure(
                FigureRef(Measure.RECEIVED, dimension=Dimension(str(chart)), key=keys[index])  # type: ignore[arg-type]
            )

    def _cell_clicked(self, index: QModelIndex) -> None:
        ref = index.data(FIGURE_ROLE)
        if isinstance(ref, FigureRef):
            self.open_figure(ref)

    def figure_title(self, ref: FigureRef) -> str:
        assert self.report is not None
        period = self.report.period.previous() if ref.previous else self.report.period
        parts = [period.title(), _(MEASURE_NAMES[ref.measure])]
        if ref.measure is Measure.EXEMPTION and ref.key is not None:
            parts.append(str(ref.key))
        if ref.measure is Measure.DEPARTMENT_WORK:
            found = self.report.work_row(ref.key)
            if found is not None:
                row, figure = found
                parts += [row.name or _("合计"), _(work.MEASURES[figure])]
        if ref.dimension is not None:
            rows = self.report.breakdowns.get(ref.dimension, [])
            name = next((r.name for r in rows if r.key == ref.key), str(ref.key))
            parts.append(
                _("{dimension}：{name}").format(
                    dimension=_(DIMENSION_NAMES[ref.dimension]), name=name
                )
            )
        if ref.bucket is not None:
            bucket = self.report.intake[ref.bucket][0]
            parts.append(
                bucket.first.isoformat()
                if bucket.first == bucket.last
                else _("{first} 至 {last}").format(
                    first=bucket.first.isoformat(), last=bucket.last.isoformat()
                )
            )
        return " · ".join(parts)

    def open_figure(self, ref: FigureRef) -> None:
        """List the cases of the figure ``ref`` in a window of their own."""
        report = self.report
        if report is None:
            return
        title = self.figure_title(ref)
        reveal = self.session.can(Action.CASE_VIEW_CONFIDENTIAL)

        def show(case_ids: list[int]) -> None:
            window = FigureCasesWindow(
                title, case_ids, reveal_confidential=reveal, open_case=self.open_case, parent=self
            )
            window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
            self.case_windows.append(window)
            window.destroyed.connect(lambda *_a, w=window: self._forget(w))
            bring_forward(window)

        run_task(self, lambda: report.case_ids(ref), show, lambda exc: show_error(self, exc))

    def _forget(self, window: FigureCasesWindow) -> None:
        if window in self.case_windows:
            self.case_windows.remove(window)

    # Export and print

    def ask_save_path(self, suggested: str) -> str:
        path, _filter = QFileDialog.getSaveFileName(
            self, _("导出统计表"), suggested, _("Excel 工作簿 (*.xlsx)")
        )
        return path

    def export_xlsx(self) -> None:
        report = self.report
        if report is None:
            return
        path = self.ask_save_path(str(Path.home() / service.statistics_file_name(report.period)))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        actor = self.session.actor
        self.status.setText(_("正在导出…"))

        def done(written: Path) -> None:
            self.status.setText(_("已导出到 {path}").format(path=str(written)))
            self.exported.emit(str(written))

        def fail(exc: BaseException) -> None:
            self.status.setText(error_text(exc))
            show_error(self, exc)

        run_task(self, lambda: service.export_statistics_xlsx(actor, report, path), done, fail)

    def open_pdf(self) -> None:
        from ui.reports.preview import ReportJob, ReportPreviewWindow

        if self.report is None:
            return
        period: Period = self.report.period
        actor = self.session.actor

        def make(path: Path) -> service.PdfMade:
            return service.make_period_pdf(actor, period, path)

        job = ReportJob(
            f"{period.report_title()} {period.code}", service.period_file_name(period), make
        )
        window = ReportPreviewWindow(job, self)
        self.preview = window
        bring_forward(window)
