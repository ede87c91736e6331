"""The banner at the top of a department's desk: the supervision notices (催办/督办) not yet
answered, each with its case number (a link that opens the case) and answer-by day.

Read off the GUI thread whenever the views are recounted; hidden when nothing is open.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QWidget

from hotline import supervision
from hotline.i18n import _, format_date
from ui.common.tasks import run_task

SHOWN = 5  # notices listed; the rest are counted


class SupervisionBanner(QLabel):
    case_requested = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("supervisionBanner")
        self.setWordWrap(True)
        self.setOpenExternalLinks(False)
        self.setStyleSheet(
            "QLabel#supervisionBanner { background: #fce8e6; color: #a50e0e;"
            " border: 1px solid #f28b82; border-radius: 4px; padding: 8px 12px; }"
        )
        self.linkActivated.connect(self._link)
        self.notices: list[supervision.Notice] = []
        self._busy = False
        self.hide()

    def refresh(self, *_args: object) -> None:
        if self._busy:
            return
        self._busy = True
        run_task(self, supervision.desk_notices, self._loaded, self._failed)

    def _loaded(self, notices: list[supervision.Notice]) -> None:
        self._busy = False
        self.notices = notices
        if not notices:
            self.hide()
            return
        lines = [
            "<b>" + html.escape(_("待答复的督办 {count} 件").format(count=len(notices))) + "</b>"
        ]
        for notice in notices[:SHOWN]:
            line = _("{level} <a href='{id}'>{case_no}</a>：请于 {date} 前答复 — {text}").format(
                level=html.escape(notice.level_label),
                id=notice.case_id,
                case_no=html.escape(notice.case_no),
                date=format_date(notice.answer_by),
                text=html.escape(notice.text),
            )
            if notice.late:
                line += html.escape(_("（已过答复时限）"))
            lines.append(line)
        if len(notices) > SHOWN:
            lines.append(html.escape(_("另有 {count} 件").format(count=len(notices) - SHOWN)))
        self.setText("<br>".join(lines))
        self.show()

    def _failed(self, _exc: BaseException) -> None:
        self._busy = False

    def _link(self, target: str) -> None:
        self.case_requested.emit(int(target))
