"""The first-offense exemption catalogue as plain data: items, their conditions, versions.

A catalogue is immutable once loaded. Assessments point at an item by ``code`` and at the
catalogue by ``version`` (``CatalogueItem.catalogue_version``), so a new official list never
changes what an old assessment meant.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from hotline.exemption.search import SearchIndex, build_index, find


@dataclass(frozen=True)
class Condition:
    """One condition of an item (适用条件): a stable id (``no_illegal_gain``) and its text."""

    id: str
    text: str

    def to_dict(self) -> dict[str, str]:
        return {"id": self.id, "text": self.text}


@dataclass(frozen=True)
class CatalogueItem:
    """One listed minor violation and the conditions under which a first offense goes unpunished.

    ``lookback_days`` is the first-offense window: an earlier offense of the same enterprise on
    the same item inside it means this is not a first offense. ``limitation_years`` is set only
    where a special law fixes the period for not punishing undiscovered acts (tax: 5 years,
    《中华人民共和国税收征收管理法》第八十六条); otherwise Art. 36 of the Administrative Penalty
    Law applies.
    """

    code: str
    body: str
    area: str
    violation: str
    violated_provision: str
    penalty_provision: str
    conditions: tuple[Condition, ...]
    lookback_days: int
    keywords: tuple[str, ...] = ()
    limitation_years: int | None = None
    limitation_basis: str | None = None
    catalogue_version: str = ""

    @property
    def condition_ids(self) -> tuple[str, ...]:
        return tuple(c.id for c in self.conditions)

    def condition(self, condition_id: str) -> Condition | None:
        for condition in self.conditions:
            if condition.id == condition_id:
                return condition
        return None

    @cached_property
    def search_index(self) -> SearchIndex:
        """Words and pinyin of the item, computed on the first search and kept."""
        conditions = (condition.text for condition in self.conditions)
        other = (self.violated_provision, self.penalty_provision, *conditions)
        return build_index(self.code, self.keywords, self.violation, self.area, self.body, other)

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "code": self.code,
            "body": self.body,
            "area": self.area,
            "violation": self.violation,
            "violated_provision": self.violated_provision,
            "penalty_provision": self.penalty_provision,
            "conditions": [c.to_dict() for c in self.conditions],
            "lookback_days": self.lookback_days,
            "keywords": list(self.keywords),
        }
        if self.limitation_years is not None:
            data["limitation_years"] = self.limitation_years
            data["limitation_basis"] = self.limitation_basis
        return data


@dataclass(frozen=True)
class Catalogue:
    """One version of the catalogue: its name, version, effective date, source and items."""

    name: str
    version: str
    effective_date: dt.date
    source: str
    note: str
    items: tuple[CatalogueItem, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self) -> Iterator[CatalogueItem]:
        return iter(self.items)

    @cached_property
    def _by_code(self) -> dict[str, CatalogueItem]:
        return {item.code: item for item in self.items}

    def get(self, code: str | None) -> CatalogueItem | None:
        """The item with ``code`` (exactly as listed), or None."""
        if code is None:
            return None
        return self._by_code.get(code)

    def bodies(self) -> list[str]:
        """The enforcement bodies, in the order they first appear."""
        return list(dict.fromkeys(item.body for item in self.items))

    def by_body(self, body: str) -> list[CatalogueItem]:
        return [item for item in self.items if item.body == body]

    def search(self, text: str | None, *, body: str | None = None) -> list[CatalogueItem]:
        """Items matching ``text`` (see :func:`hotline.exemption.search.find`), best first."""
        items = self.by_body(body) if body else list(self.items)
        return find(items, text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "version": self.version,
            "effective_date": self.effective_date.isoformat(),
            "source": self.source,
            "note": self.note,
            "items": [item.to_dict() for item in self.items],
        }
