"""Catalogue versions in the database: the one in force, the list, and importing a new one.

The version in force on a day is the one with the latest effective date on or before it
(equal dates: the higher version). An import is checked in full before anything is written
and is written in one transaction, so a broken file changes nothing and the version in force
stays what it was. Stored versions are never changed; assessments point at the one they used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from dataclasses import dataclass
from pathlib import Path

from peewee import fn

from hotline import audit, clock
from hotline.db import write_transaction
from hotline.errors import NotFound, ValidationError
from hotline.exemption.catalogue import version_key
from hotline.exemption.items import Catalogue
from hotline.exemption.schema import Assessment, CatalogueVersion
from hotline.exemption.tabular import parse_catalogue_file
from hotline.exemption.validation import catalogue_from_dict
from hotline.i18n import N_
from hotline.models import tuples
from hotline.permissions import Action, Actor

log = logging.getLogger(__name__)

_cache: dict[tuple[str, str], Catalogue] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class VersionInfo:
    """What the versions list shows of one catalogue version."""

    version: str
    name: str
    effective_date: dt.date
    source: str
    note: str
    item_count: int
    shipped: bool
    imported_at: dt.datetime
    imported_by: str
    in_force: bool = False
    assessments: int = 0

    def to_json(self) -> dict[str, object]:
        return {
            "version": self.version,
            "name": self.name,
            "effective_date": self.effective_date.isoformat(),
            "source": self.source,
            "note": self.note,
            "items": self.item_count,
            "shipped": self.shipped,
            "imported_at": self.imported_at.isoformat(timespec="seconds"),
            "imported_by": self.imported_by,
            "in_force": self.in_force,
            "assessments": self.assessments,
        }


def _catalogue_of(row: CatalogueVersion) -> Catalogue:
    # Two databases opened in turn (a restored backup, tests) may hold different data under
    # one version number: the cache key includes a digest of the stored data.
    key = (row.version, hashlib.sha1(row.data.encode("utf-8")).hexdigest())
    with _lock:
        found = _cache.get(key)
    if found is None:
        found = catalogue_from_dict(json.loads(row.data))
        with _lock:
            _cache[key] = found
    return found


def _rows() -> list[CatalogueVersion]:
    return list(CatalogueVersion.select())


def _in_force_row(rows: list[CatalogueVersion], on: dt.date) -> CatalogueVersion | None:
    if not rows:
        return None
    effective = [r for r in rows if clock.as_date(r.effective_date) <= on]
    if not effective:
        # Nothing in force yet (the clock is before every version): use the earliest one
        # rather than none, and say so in the log.
        log.warning("no exemption catalogue is in force on %s; using the earliest", on)
        effective = [
            min(rows, key=lambda r: (clock.as_date(r.effective_date), version_key(r.version)))
        ]
    return max(effective, key=lambda r: (clock.as_date(r.effective_date), version_key(r.version)))


def catalogue_in_force(on: dt.date | None = None) -> Catalogue:
    """The catalogue applied to new assessments on ``on`` (default: today)."""
    row = _in_force_row(_rows(), on or clock.today())
    if row is None:
        raise NotFound(N_("数据库中没有首错免罚清单，请导入清单"))
    return _catalogue_of(row)


def load_catalogue_version(version: str) -> Catalogue:
    """The stored catalogue ``version`` (what an old assessment used); NotFound if absent."""
    row = CatalogueVersion.get_or_none(CatalogueVersion.version == version)
    if row is None:
        raise NotFound(N_("没有 {version} 版的首错免罚清单"), version=version)
    return _catalogue_of(row)


def version_id(version: str) -> int:
    row = CatalogueVersion.get_or_none(CatalogueVersion.version == version)
    if row is None:
        raise NotFound(N_("没有 {version} 版的首错免罚清单"), version=version)
    return int(row.id)


def list_versions(on: dt.date | None = None) -> list[VersionInfo]:
    """Every stored version, newest effective first, the one in force marked."""
    rows = _rows()
    current = _in_force_row(rows, on or clock.today())
    counts: dict[int, int] = {}
    for catalogue_id, count in tuples(
        Assessment.select(Assessment.catalogue, fn.COUNT(Assessment.id)).group_by(
            Assessment.catalogue
        )
    ):
        counts[int(catalogue_id)] = int(count)
    infos = [
        VersionInfo(
            version=row.version,
            name=row.name,
            effective_date=clock.as_date(row.effective_date),
            source=row.source,
            note=row.note,
            item_count=row.item_count,
            shipped=bool(row.shipped),
            imported_at=row.imported_at,
            imported_by=row.imported_by,
            in_force=current is not None and row.id == current.id,
            assessments=counts.get(row.id, 0),
        )
        for row in rows
    ]
    return sorted(infos, key=lambda i: (i.effective_date, version_key(i.version)), reverse=True)


def store_catalogue(actor: Actor, catalogue: Catalogue, *, origin: str = "") -> VersionInfo:
    """Store a checked catalogue as a new version (refused if the version exists)."""
    actor.require(Action.CATALOGUE_MANAGE)
    with write_transaction():
        if CatalogueVersion.get_or_none(CatalogueVersion.version == catalogue.version):
            raise ValidationError.single(
                "version",
                N_("清单版本 {version} 已经存在；请使用新的版本号"),
                version=catalogue.version,
            )
        row = CatalogueVersion.add(catalogue, shipped=False, imported_by=actor.name)
        audit.record(
            actor,
            "exemption.catalogue_import",
            "exemption_catalogue",
            catalogue.version,
            {
                "name": catalogue.name,
                "effective_date": catalogue.effective_date.isoformat(),
                "source": catalogue.source,
                "items": len(catalogue),
                "file": origin,
            },
        )
    log.info("imported exemption catalogue %s (%s items)", catalogue.version, len(catalogue))
    info = next(i for i in list_versions() if i.version == row.version)
    return info


def import_catalogue(
    actor: Actor,
    path: str | Path,
    *,
    version: str | None = None,
    effective_date: dt.date | str | None = None,
    name: str | None = None,
    source: str | None = None,
    note: str | None = None,
) -> VersionInfo:
    """Import a new version from a CSV, XLSX or JSON file: every row checked, all or nothing.

    A broken file raises ValidationError naming each problem by row and column
    (``row 12, column 处罚依据``) and stores nothing. Spreadsheets carry no metadata, so
    ``version``, ``effective_date`` and ``name`` must be given for them.
    """
    actor.require(Action.CATALOGUE_MANAGE)
    catalogue = parse_catalogue_file(
        path,
        name=name,
        version=version,
        effective_date=effective_date,
        source=source,
        note=note,
    )
    return store_catalogue(actor, catalogue, origin=Path(path).name)
