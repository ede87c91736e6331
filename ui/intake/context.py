"""What the intake window looks up while the operator types: the enterprise on file (its
details fill the blanks of the form), its earlier cases, and a likely repeat.

Edits of the enterprise name, credit code or category schedule a look-up after a short pause;
it runs off the GUI thread and results that arrive after newer edits are dropped.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal

from hotline import cases, enterprises
from hotline.case_briefs import CaseBrief
from hotline.enterprises import EnterpriseContext, EnterpriseInfo
from ui.common.latest_request import LatestRequest
from ui.common.tasks import run_task
from ui.intake.draft import DraftKeeper
from ui.intake.fields import IntakeFields
from ui.intake.side import IntakeSidePanel

log = logging.getLogger(__name__)

DELAY_MS = 400
KEYS = ("enterprise.name", "enterprise.uscc", "category")


class IntakeContext(QObject):
    shown = Signal()  # the side panel was refreshed

    def __init__(
        self, fields: IntakeFields, side: IntakeSidePanel, keeper: DraftKeeper, parent: QObject
    ) -> None:
        super().__init__(parent)
        self.fields = fields
        self.side = side
        self.keeper = keeper
        self._latest = LatestRequest()
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def edited(self, key: str) -> None:
        if key in KEYS:
            self._timer.start()

    def enterprise_chosen(self, info: EnterpriseInfo) -> None:
        """A suggestion was picked: fill the enterprise, then go on to the next empty field."""
        fields = self.fields
        fields.enterprise_name.setText(info.name)
        fields.enterprise_uscc.setText(info.uscc)
        if info.district_code:
            fields.district.set_value(info.district_code)
        self.keeper.mark_dirty()
        self.refresh()
        (fields.contact_name if info.district_code else fields.district).setFocus()

    def _fill_blanks(self, info: EnterpriseInfo) -> None:
        """The enterprise is on file: fill in its credit code and district if not typed."""
        fields = self.fields
        if info.uscc and not fields.enterprise_uscc.text().strip():
            fields.enterprise_uscc.setText(info.uscc)
            self.keeper.mark_dirty()
        if info.district_code and not fields.district.value():
            fields.district.set_value(info.district_code)
            self.keeper.mark_dirty()

    def clear(self) -> None:
        self._timer.stop()
        self._latest.drop()
        self.side.show_context(None)
        self.side.show_repeat(None)

    def refresh(self) -> None:
        """Look up the enterprise, its history and a likely repeat, off the GUI thread."""
        self._timer.stop()
        ticket = self._latest.start()
        name = self.fields.enterprise_name.text()
        uscc = self.fields.enterprise_uscc.text()
        category = self.fields.category.value()
        if not (name.strip() or uscc.strip()):
            self.clear()
            self.shown.emit()
            return

        def work() -> tuple[EnterpriseContext | None, CaseBrief | None]:
            return (
                enterprises.intake_context(name, uscc),
                cases.repeat_brief_for_draft(name, uscc, category),
            )

        def show(result: tuple[EnterpriseContext | None, CaseBrief | None]) -> None:
            if not self._latest.is_current(ticket):
                return
            found, repeat = result
            if found is not None:
                self._fill_blanks(found.enterprise)
            self.side.show_context(found, searched=True)
            self.side.show_repeat(repeat)
            self.shown.emit()

        run_task(self, work, on_done=show, on_error=lambda exc: log.warning("context: %s", exc))
