"""Marking wrong fields: a red border, the core's message under the field, and a tooltip.

All problems are shown at once; what the user typed is never touched. A field's mark goes
away as soon as the user edits that field.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from PySide6.QtWidgets import QLabel, QWidget

from hotline.errors import Problem

INVALID_PROPERTY = "invalid"
STYLE = """
*[invalid="true"] { border: 2px solid #b3261e; border-radius: 3px; }
QLabel#fieldMessage { color: #b3261e; }
"""


def _restyle(widget: QWidget) -> None:
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


class FieldMarks:
    """The validation marks of a form whose fields and message labels are keyed alike."""

    def __init__(self, widgets: Mapping[str, QWidget], messages: Mapping[str, QLabel]) -> None:
        self.widgets = widgets
        self.messages = messages
        self.marked: dict[str, str] = {}

    def show(self, problems: Iterable[Problem]) -> list[Problem]:
        """Mark every field with a problem; returns the problems no field shows (e.g. ``case``)."""
        self.clear()
        texts: dict[str, list[str]] = {}
        unplaced: list[Problem] = []
        for problem in problems:
            if problem.field in self.widgets:
                texts.setdefault(problem.field, []).append(problem.text)
            else:
                unplaced.append(problem)
        for key, lines in texts.items():
            self.mark(key, "\n".join(lines))
        return unplaced

    def mark(self, key: str, text: str) -> None:
        widget = self.widgets[key]
        widget.setProperty(INVALID_PROPERTY, True)
        widget.setToolTip(text)
        _restyle(widget)
        message = self.messages.get(key)
        if message is not None:
            message.setText(text)
            message.show()
        self.marked[key] = text

    def unmark(self, key: str) -> None:
        if key not in self.marked:
            return
        del self.marked[key]
        widget = self.widgets[key]
        widget.setProperty(INVALID_PROPERTY, False)
        widget.setToolTip("")
        _restyle(widget)
        message = self.messages.get(key)
        if message is not None:
            message.clear()
            message.hide()

    def clear(self) -> None:
        for key in list(self.marked):
            self.unmark(key)

    def first_marked(self, order: Iterable[str]) -> str | None:
        """The first marked key in ``order`` (the form's tab order)."""
        return next((key for key in order if key in self.marked), None)
