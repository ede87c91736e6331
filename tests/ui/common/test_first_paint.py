"""Work deferred until a widget's first paint (ui.common.first_paint)."""

from PySide6.QtWidgets import QLabel

from ui.common.first_paint import after_first_paint


def test_the_work_runs_once_right_after_the_first_paint(qtbot):
    label = QLabel("营商环境")
    qtbot.addWidget(label)
    calls: list[bool] = []
    # A long fallback: only the paint can make it run within the wait below.
    after_first_paint(label, lambda: calls.append(label.isVisible()), latest_ms=60_000)
    assert calls == []  # not before the widget is shown and painted
    label.show()
    qtbot.waitExposed(label)
    qtbot.waitUntil(lambda: calls == [True])
    label.repaint()
    label.hide()
    label.show()
    qtbot.wait(50)
    assert calls == [True]  # once only


def test_a_widget_never_painted_gets_its_work_after_the_longest_wait(qtbot):
    label = QLabel("从未显示")
    qtbot.addWidget(label)
    calls: list[int] = []
    after_first_paint(label, lambda: calls.append(1), latest_ms=50)
    qtbot.waitUntil(lambda: calls == [1])
    qtbot.wait(100)
    assert calls == [1]
