"""Catalogue versions in the database: seeded, in force by date, imported all or nothing."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest

from hotline import clock
from hotline.enums import Role
from hotline.errors import PermissionDenied, ValidationError
from hotline.exemption import assessments, service, store
from hotline.exemption.catalogue import default_catalogue, write_csv, write_xlsx
from hotline.exemption.schema import CatalogueVersion
from hotline.models import AuditEntry
from hotline.permissions import Actor
from tests.hotline.exemption.helpers import ITEM, first_offense_facts, new_case

TODAY = clock.today()


def _json_version(tmp_path: Path, version: str, effective: dt.date, **changes: object) -> Path:
    data = default_catalogue().to_dict()
    data.update(version=version, effective_date=effective.isoformat(), **changes)
    path = tmp_path / f"catalogue-{version}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_migration_seeds_the_shipped_catalogue(database) -> None:
    shipped = default_catalogue()
    in_force = store.catalogue_in_force()
    assert in_force.version == shipped.version
    assert len(in_force) == len(shipped) >= 60
    assert in_force.get(ITEM) == shipped.get(ITEM)
    [info] = store.list_versions()
    assert info.shipped and info.in_force and info.item_count == len(shipped)
    assert "示例" in info.note or "SAMPLE" in info.note


def test_a_new_version_is_in_force_from_its_effective_date(
    database, cli_actor, tmp_path: Path
) -> None:
    future = TODAY + dt.timedelta(days=10)
    store.import_catalogue(cli_actor, _json_version(tmp_path, "2099.1", future))
    assert store.catalogue_in_force().version == default_catalogue().version
    assert store.catalogue_in_force(future).version == "2099.1"
    store.import_catalogue(cli_actor, _json_version(tmp_path, "2026.2", TODAY))
    assert store.catalogue_in_force().version == "2026.2"
    versions = [(i.version, i.in_force) for i in store.list_versions()]
    assert versions == [("2099.1", False), ("2026.2", True), ("2026.1", False)]
    entry = AuditEntry.get(AuditEntry.action == "exemption.catalogue_import")
    assert entry.entity_id == "2099.1"


def test_old_assessments_keep_their_version(database, cli_actor, tmp_path: Path) -> None:
    case = new_case(cli_actor)
    service.assess(
        cli_actor, case.id, first_offense_facts(dt.date(2026, 9, 1), first_offense=True), save=True
    )
    items = default_catalogue().to_dict()["items"]
    renamed = [
        {**item, "violation": "新版清单的表述"} if item["code"] == ITEM else item for item in items
    ]
    path = _json_version(tmp_path, "2026.2", TODAY, items=renamed)
    store.import_catalogue(cli_actor, path)
    saved = assessments.latest(case.id)
    assert saved is not None and saved.catalogue_version == "2026.1"
    assert saved.item().violation == default_catalogue().get(ITEM).violation
    assert store.catalogue_in_force().get(ITEM).violation == "新版清单的表述"
    counts = {i.version: i.assessments for i in store.list_versions()}
    assert counts == {"2026.2": 0, "2026.1": 1}


def _broken_csv(tmp_path: Path) -> Path:
    good = tmp_path / "good.csv"
    write_csv(default_catalogue(), good)
    with good.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    column = rows[0].index("处罚依据")
    rows[3][column] = ""  # the third item, on line 4 of the file
    broken = tmp_path / "broken.csv"
    with broken.open("w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return broken


def test_a_broken_file_is_rejected_by_row_and_column(database, cli_actor, tmp_path: Path) -> None:
    before = store.catalogue_in_force().version
    with pytest.raises(ValidationError) as caught:
        store.import_catalogue(
            cli_actor,
            _broken_csv(tmp_path),
            version="2026.2",
            effective_date=TODAY,
            name="新清单",
        )
    [problem] = caught.value.problems
    assert problem.field == "row 4, column 处罚依据"
    assert problem.params["row"] == 4
    assert CatalogueVersion.select().count() == 1
    assert store.catalogue_in_force().version == before
    assert not AuditEntry.select().where(AuditEntry.action == "exemption.catalogue_import").exists()


def test_a_spreadsheet_needs_its_metadata_and_then_imports(
    database, cli_actor, tmp_path: Path
) -> None:
    path = tmp_path / "list.xlsx"
    write_xlsx(default_catalogue(), path)
    with pytest.raises(ValidationError) as caught:
        store.import_catalogue(cli_actor, path)
    assert {"version", "effective_date", "name"} <= caught.value.fields()
    info = store.import_catalogue(
        cli_actor, path, version="2026.2", effective_date=TODAY.isoformat(), name="正式清单"
    )
    assert info.in_force and info.item_count == len(default_catalogue())
    assert store.catalogue_in_force().get(ITEM).catalogue_version == "2026.2"


def test_an_existing_version_is_refused(database, cli_actor, tmp_path: Path) -> None:
    path = _json_version(tmp_path, "2026.1", TODAY, name="另一份")
    with pytest.raises(ValidationError) as caught:
        store.import_catalogue(cli_actor, path)
    assert caught.value.fields() == {"version"}
    assert CatalogueVersion.get().name == default_catalogue().name


def test_only_administrators_import(database, tmp_path: Path) -> None:
    operator = Actor("坐席", Role.OPERATOR)
    with pytest.raises(PermissionDenied):
        store.import_catalogue(operator, _json_version(tmp_path, "2026.2", TODAY))
    with pytest.raises(PermissionDenied):
        store.store_catalogue(operator, dataclasses.replace(default_catalogue(), version="x"))
    assert CatalogueVersion.select().count() == 1
