"""The catalogue items matching a search, as a list model (code, violation, body)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from hotline.exemption.items import Catalogue, CatalogueItem
from hotline.i18n import _

ItemRole = Qt.ItemDataRole.UserRole + 1


class ItemListModel(QAbstractListModel):
    def __init__(self) -> None:
        super().__init__()
        self.catalogue: Catalogue | None = None
        self.items: list[CatalogueItem] = []

    def set_catalogue(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.search("", None)

    def search(self, text: str, body: str | None) -> None:
        """Show the items matching ``text`` (words, code, pinyin initials) of ``body``."""
        self.beginResetModel()
        self.items = self.catalogue.search(text, body=body) if self.catalogue else []
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = 0) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return _("{code}  {violation}").format(code=item.code, violation=item.violation)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _("{body} · {area}\n{violation}").format(
                body=item.body, area=item.area, violation=item.violation
            )
        if role == ItemRole:
            return item
        return None

    def row_of(self, code: str) -> int:
        return next((row for row, item in enumerate(self.items) if item.code == code), -1)
