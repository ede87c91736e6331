"""The case window's timeline says what each step decided, in the words the case summary PDF
prints for the same case (issue 14, item 2)."""

from __future__ import annotations

import io

from PySide6.QtCore import Qt

from hotline.reports.case_data import load_case_summary
from hotline.reports.case_pdf import render_case_summary
from tests.hotline.reports.conftest import pdf_pages, squeeze
from tests.hotline.timeline_story import long_case
from tests.ui.case.conftest import open_window


def test_the_window_shows_what_the_printout_prints(qtbot, operator_session) -> None:
    story = long_case()
    window = open_window(qtbot, operator_session, story.case.id)
    model = window.timeline.model()
    rows = [
        (model.index(row, 1).data(), model.index(row, 3).data()) for row in range(model.rowCount())
    ]
    out = io.BytesIO()
    render_case_summary(load_case_summary(story.case.case_no), out)
    printed = squeeze("".join(pdf_pages(out.getvalue())))
    assert len(rows) == len(load_case_summary(story.case.case_no).timeline)
    for label, content in rows:
        assert squeeze(label.replace("（内部）", "")) in printed, label
        assert squeeze(content) in printed, content
    contents = "\n".join(content for _label, content in rows)
    for expected in (
        f"派单至 {story.first}",
        f"办理期限 {story.deadline.isoformat()}",
        "满意度：基本满意",
        f"延至 {story.extended_to.isoformat()}",
    ):
        assert expected in contents, expected
    note = next(row for row in range(model.rowCount()) if "备注" in model.index(row, 1).data())
    assert model.index(note, 1).data() == "备注（内部）"
    assert model.index(note, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
