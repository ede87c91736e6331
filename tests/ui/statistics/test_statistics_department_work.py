"""The statistics window's supervision and department figures list the cases they count."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt

from hotline.models import SupervisionNotice
from hotline.reports import department_work as work
from hotline.reports.data import Measure
from tests.hotline.reports.test_department_work import _week_of_work
from tests.pg_person import SERVER_CLOCK
from tests.ui.statistics.test_statistics_window import _ids, _listed, _window
from ui.common.session import Session
from ui.statistics.breakdown_model import FIGURE_ROLE
from ui.statistics.window import plain


@SERVER_CLOCK
def test_the_supervision_figures_list_their_cases(qtbot, session: Session) -> None:
    ids = _week_of_work()
    window = _window(qtbot, session)
    names = [plain(labels[0].text()).strip() for labels in window.kpi_labels]
    issued = window.kpi_labels[names.index("督办发出量")][1]
    assert plain(issued.text()) == "1"
    href = re.search(r'href="([^"]+)"', issued.text())
    assert href is not None and href.group(1).startswith(Measure.SUPERVISION_ISSUED.value)
    issued.linkActivated.emit(href.group(1))
    listed = _listed(qtbot, window)
    assert _ids(qtbot, listed) == [ids["co"]] == [n.case_id for n in SupervisionNotice.select()]
    assert "督办发出量" in listed.windowTitle()
    on_time = window.kpi_labels[names.index("其中：按时答复")][1]
    assert len(re.findall(r"href=", on_time.text())) == 2  # the part and the whole


@SERVER_CLOCK
def test_a_department_figure_lists_its_cases(qtbot, session: Session) -> None:
    ids = _week_of_work()
    window = _window(qtbot, session)
    window.tabs.setCurrentWidget(window.work_table.parentWidget())
    model = window.work
    names = [model.data(model.index(row, 0)) for row in range(model.rowCount())]
    assert names[-1] == "合计" and "市市场监督管理局" in names
    row = names.index("市市场监督管理局")
    column = 1 + list(work.MEASURES).index(work.RETURNED)
    index = model.index(row, column)
    assert model.data(index) == "1"
    assert index.data(FIGURE_ROLE).measure is Measure.DEPARTMENT_WORK
    qtbot.mouseClick(
        window.work_table.viewport(),
        Qt.MouseButton.LeftButton,
        pos=window.work_table.visualRect(index).center(),
    )
    listed = _listed(qtbot, window)
    assert _ids(qtbot, listed) == [ids["returned"]]
    assert "市市场监督管理局" in listed.windowTitle() and "退回" in listed.windowTitle()
    # The total line's co-handling parts: the transport bureau's one part.
    total = model.index(model.rowCount() - 1, 1 + list(work.MEASURES).index(work.PARTS_ASSIGNED))
    window.work_table.activated.emit(total)  # Enter on the cell
    assert _ids(qtbot, _listed(qtbot, window)) == [ids["co"]]
