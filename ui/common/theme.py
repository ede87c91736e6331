"""The look of the app: one calm, dense style for long shifts, and a font that has Chinese."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QFontDatabase, QPalette
from PySide6.QtWidgets import QApplication

# First installed one wins; Qt falls back per character for the rest.
FONT_FAMILIES = [
    "Microsoft YaHei UI",
    "Microsoft YaHei",
    "PingFang SC",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
]

STYLE = """
QMainWindow, QDialog { background: #f5f6f8; }
QTableView {
    background: #ffffff; alternate-background-color: #fafbfc;
    border: 1px solid #dadce0; border-radius: 4px;
    selection-background-color: #d2e3fc; selection-color: #202124;
}
QHeaderView::section {
    background: #f1f3f4; color: #3c4043; border: none;
    border-bottom: 1px solid #dadce0; border-right: 1px solid #e8eaed;
    padding: 4px 6px; font-weight: 600;
}
QListView#viewsList {
    background: transparent; border: none; outline: none;
}
QListView#viewsList::item { padding: 4px 6px; border-radius: 4px; color: #202124; }
QListView#viewsList::item:selected { background: #d2e3fc; color: #174ea6; }
QListView#viewsList::item:hover:!selected { background: #eceff3; }
QLabel#panelHeading, QLabel#sectionHeading {
    color: #5f6368; font-weight: 600; padding: 2px 6px;
}
QLabel#dialogTitle { font-size: 16px; font-weight: 600; color: #202124; padding: 4px 0 8px 0; }
QLabel#errorLabel { color: #b3261e; }
QLabel#hint, QLabel#listFooter, QLabel#searchInfo, QLabel#dbLabel { color: #5f6368; }
QLabel#userLabel { color: #3c4043; padding: 0 4px; }
QLineEdit, QPlainTextEdit, QTextEdit {
    background: #ffffff; border: 1px solid #c4c7cc; border-radius: 4px; padding: 3px 6px;
}
QLineEdit:focus, QPlainTextEdit:focus, QTextEdit:focus { border: 1px solid #1a73e8; }
QDialogButtonBox { dialogbuttonbox-buttons-have-icons: 0; }
QLineEdit#searchBox { padding: 4px 8px; }
QLineEdit[invalid="true"], QPlainTextEdit[invalid="true"], QTextEdit[invalid="true"] {
    border: 1px solid #d93025; background: #fdf3f2;
}
QComboBox[invalid="true"], QSpinBox[invalid="true"], QDateEdit[invalid="true"] {
    background: #fdf3f2; color: #b3261e;
}
QPushButton {
    background: #ffffff; border: 1px solid #c4c7cc; border-radius: 4px; padding: 4px 14px;
    min-height: 20px;
}
QPushButton:hover { background: #f1f3f4; }
QPushButton:default, QPushButton#primaryButton {
    background: #1a73e8; color: #ffffff; border: 1px solid #1a73e8; font-weight: 600;
}
QPushButton#primaryButton:hover, QPushButton:default:hover { background: #1765cc; }
/* After the primary rules and as specific as them: a disabled primary button looks disabled. */
QPushButton:disabled, QPushButton:default:disabled, QPushButton#primaryButton:disabled {
    color: #9aa0a6; background: #f1f3f4; border: 1px solid #dadce0; font-weight: 400;
}
QToolButton { padding: 3px 8px; border-radius: 4px; color: #1a73e8; }
QToolButton:hover { background: #e8f0fe; }
QToolButton:disabled { color: #9aa0a6; }
QStatusBar { background: #eef0f3; border-top: 1px solid #dadce0; }
QStatusBar QLabel { padding: 2px 4px; }
QSplitter::handle { background: transparent; }
QTabWidget::pane { border: 1px solid #dadce0; border-radius: 4px; background: #ffffff; }
QTabBar::tab { padding: 6px 14px; }
QTabBar::tab:selected { color: #174ea6; font-weight: 600; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    installed = set(QFontDatabase.families())
    families = [f for f in FONT_FAMILIES if f in installed]
    font = QFont(app.font())
    if families:
        font.setFamilies(families)
    font.setPointSizeF(max(font.pointSizeF(), 10.0))
    app.setFont(font)
    palette = app.palette()
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#d2e3fc"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#202124"))
    app.setPalette(palette)
    app.setStyleSheet(STYLE)
