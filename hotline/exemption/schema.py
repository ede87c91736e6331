"""The exemption checklist's tables and the migration that creates them.

``CatalogueVersion`` holds every catalogue version the database knows (the shipped sample,
seeded by the migration, and each official list an administrator imported) as its JSON form.
``Assessment`` is one saved decision on a case; it points at the version it used, so a new
catalogue never changes what an old assessment meant. ``PenaltyRecord`` is a penalty an
enforcement body imposed on an enterprise for a listed item, which makes a later offense of
the same item not a first one.

Migration 4 (3 is left to the PostgreSQL search structures) creates the tables on SQLite and
PostgreSQL alike and copies the shipped catalogue versions in.
"""

from __future__ import annotations

import json
import logging
from typing import TYPE_CHECKING

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    Database,
    DateField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from hotline import clock
from hotline.models import BaseModel, Case, User, tuples

if TYPE_CHECKING:
    from hotline.exemption.items import Catalogue

log = logging.getLogger(__name__)

SCHEMA_VERSION = 4
SEEDED_BY = "system"


class CatalogueVersion(BaseModel):
    """One version of the catalogue, as :meth:`Catalogue.to_dict` writes it."""

    id = AutoField()
    version = CharField(max_length=40, unique=True)
    name = CharField(max_length=200)
    effective_date = DateField(index=True)
    source = TextField(default="")
    note = TextField(default="")
    data = TextField()
    item_count = IntegerField()
    shipped = BooleanField(default=False)
    imported_at = DateTimeField()
    imported_by = CharField(max_length=60)

    class Meta:
        table_name = "exemption_catalogue"

    @classmethod
    def add(cls, catalogue: Catalogue, *, shipped: bool, imported_by: str) -> CatalogueVersion:
        """A new row holding ``catalogue``, imported now by ``imported_by``."""
        return cls.create(
            version=catalogue.version,
            name=catalogue.name,
            effective_date=catalogue.effective_date,
            source=catalogue.source,
            note=catalogue.note,
            data=json.dumps(catalogue.to_dict(), ensure_ascii=False),
            item_count=len(catalogue),
            shipped=shipped,
            imported_at=clock.now(),
            imported_by=imported_by[:60],
        )


class Assessment(BaseModel):
    """A saved decision: the facts, the decision record and who made it when.

    ``enterprise_uscc`` and ``act_date`` are copied from the case and the facts at saving
    time, so the first-offense look-up needs no join and does not change if the case's
    enterprise is edited later.
    """

    id = AutoField()
    case = ForeignKeyField(Case, backref="assessments", on_delete="CASCADE")
    case_id: int
    catalogue = ForeignKeyField(CatalogueVersion, backref="assessments")
    catalogue_id: int
    item_code = CharField(max_length=20, null=True)
    enterprise_uscc = CharField(max_length=18, null=True)
    act_date = DateField(null=True)
    facts = TextField()
    decision = TextField()
    outcome = CharField(max_length=32, index=True)
    exempt = BooleanField()
    mandatory = BooleanField()
    first_offense_source = TextField(null=True)
    override_reason = TextField(null=True)
    assessed_by = ForeignKeyField(User, null=True)
    assessed_by_id: int | None
    assessed_by_name = CharField(max_length=60)
    assessed_at = DateTimeField(index=True)

    class Meta:
        table_name = "exemption_assessment"
        indexes = (
            (("enterprise_uscc", "item_code"), False),
            (("case", "id"), False),
        )


class PenaltyRecord(BaseModel):
    """A penalty imposed on an enterprise for a listed item (not a first offense after it)."""

    id = AutoField()
    enterprise_uscc = CharField(max_length=18)
    item_code = CharField(max_length=20)
    decided_on = DateField()
    case = ForeignKeyField(Case, null=True, backref="penalty_records", on_delete="SET NULL")
    case_id: int | None
    note = TextField(default="")
    recorded_by_name = CharField(max_length=60)
    recorded_at = DateTimeField()

    class Meta:
        table_name = "exemption_penalty"
        indexes = ((("enterprise_uscc", "item_code"), False),)


MODELS: list[type[BaseModel]] = [CatalogueVersion, Assessment, PenaltyRecord]


def seed_shipped_catalogues() -> int:
    """Copy every catalogue version shipped under resources/ that the database lacks."""
    from hotline.exemption.catalogue import available_versions, load_version

    added = 0
    known = {v for (v,) in tuples(CatalogueVersion.select(CatalogueVersion.version))}
    for version in available_versions():
        if version in known:
            continue
        catalogue = load_version(version)
        CatalogueVersion.add(catalogue, shipped=True, imported_by=SEEDED_BY)
        added += 1
        log.info("seeded exemption catalogue %s (%s items)", catalogue.version, len(catalogue))
    return added


def create_tables(db: Database) -> None:
    """Migration 4 (:mod:`hotline.migrations`): the tables, and the shipped catalogues in them."""
    db.create_tables(MODELS, safe=True)
    seed_shipped_catalogues()
