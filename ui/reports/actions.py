"""Where the app makes its PDFs: the case window's "案件摘要 PDF" and the Reports menu's
"周报".

    open_case_pdf(self, self.session, case.case_no)
    open_weekly_report(self, self.session)

Both open a :class:`ReportPreviewWindow` (the PDF is made off the GUI thread) and return
it, or None when the user cancelled or may not make reports.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QDialog, QWidget

from hotline.errors import PermissionDenied
from hotline.i18n import _
from hotline.permissions import Action
from hotline.reports import service
from hotline.reports.weeks import IsoWeek
from ui.common.linked_windows import bring_forward
from ui.common.messages import show_error
from ui.common.session import Session
from ui.reports.preview import ReportJob, ReportPreviewWindow
from ui.reports.week_dialog import WeeklyReportDialog


def case_job(session: Session, case_no: str, *, include_internal: bool) -> ReportJob:
    actor = session.actor
    if include_internal:
        title = _("案件摘要 {case_no}").format(case_no=case_no)
    else:
        title = _("案件摘要 {case_no}（对外版）").format(case_no=case_no)

    def make(path: Path) -> service.PdfMade:
        return service.make_case_pdf(actor, case_no, path, include_internal=include_internal)

    return ReportJob(title, service.case_file_name(case_no), make)


def weekly_job(session: Session, week: IsoWeek, *, with_cases: bool) -> ReportJob:
    actor = session.actor
    title = _("周报 {week}").format(week=week.code)
    if with_cases:
        title = _("周报 {week}（附案件摘要）").format(week=week.code)

    def make(path: Path) -> service.PdfMade:
        return service.make_weekly_pdf(actor, week, path, with_cases=with_cases)

    return ReportJob(title, service.weekly_file_name(week), make)


def _allowed(parent: QWidget | None, session: Session) -> bool:
    try:
        session.actor.require(Action.REPORT_VIEW)
    except PermissionDenied as exc:
        show_error(parent, exc)
        return False
    return True


def open_case_pdf(
    parent: QWidget | None, session: Session, case_no: str
) -> ReportPreviewWindow | None:
    """Preview the summary PDF of ``case_no``; a check box in the window switches to the copy
    without internal notes (the one to give to the enterprise)."""
    if not _allowed(parent, session):
        return None
    internal = service.may_include_internal(session.actor)
    window = ReportPreviewWindow(case_job(session, case_no, include_internal=internal), parent)
    outward = QCheckBox(_("对外版（不含内部记录）"))
    outward.setObjectName("outwardCopy")
    outward.setToolTip(_("交给企业的版本：去掉内部记录。保密的联系人在任何版本中都已隐去。"))
    outward.setChecked(not internal)
    outward.setEnabled(internal)
    outward.toggled.connect(
        lambda checked: window.set_job(case_job(session, case_no, include_internal=not checked))
    )
    window.add_option(outward)
    bring_forward(window)
    return window


def open_weekly_report(
    parent: QWidget | None, session: Session, dialog: WeeklyReportDialog | None = None
) -> ReportPreviewWindow | None:
    """Ask for the week (default: the last complete one) and preview its report."""
    if not _allowed(parent, session):
        return None
    dialog = dialog or WeeklyReportDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    job = weekly_job(session, dialog.week(), with_cases=dialog.with_cases.isChecked())
    window = ReportPreviewWindow(job, parent)
    bring_forward(window)
    return window
