"""Qt's own texts (standard buttons, file and print dialogs, context menus) in Chinese.

Qt's catalogue shipped with PySide6 (``qtbase_zh_CN.qm``) is loaded first; it lacks a few
texts of the standard dialogs (the file dialog's “Look in”, “Files of type”…), which
:class:`QtSupplement` adds, so that no standard dialog is half English.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

# Qt source text → Chinese, for the texts qtbase_zh_CN.qm leaves untranslated.
SUPPLEMENT_ZH: dict[str, str] = {
    "&Look in:": "查找范围(&L)：",
    "Files of &type:": "文件类型(&T)：",
    "Page &Set:": "打印范围(&S)：",
    "All Pages": "所有页面",
    "Odd Pages": "奇数页",
    "Even Pages": "偶数页",
}


class QtSupplement(QTranslator):
    """The Chinese of the Qt texts qtbase_zh_CN.qm leaves out (any context)."""

    def translate(
        self,
        context: str,
        source_text: str,
        disambiguation: str | None = None,
        n: int = -1,
    ) -> str:
        # Installed before Qt's catalogue, so asked last: an unknown text is returned as it is
        # ("" would blank it out, and None trips a reference-count bug of PySide6).
        return SUPPLEMENT_ZH.get(source_text, source_text)

    def isEmpty(self) -> bool:
        return False


def install_qt_translations(app: QApplication, locale: str) -> list[QTranslator]:
    """Qt's own texts in ``locale``; returns the translators installed (none for English)."""
    QLocale.setDefault(QLocale(locale))
    if locale == "en":
        return []
    installed: list[QTranslator] = []
    if locale == "zh_CN":
        supplement = QtSupplement(app)
        app.installTranslator(supplement)  # asked after Qt's own catalogue
        installed.append(supplement)
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{locale}", folder):
        app.installTranslator(translator)
        installed.append(translator)
    else:
        log.warning("no Qt translation for %s in %s", locale, folder)
    return installed
