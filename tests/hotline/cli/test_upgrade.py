"""``init`` (and opening) upgrades an older database: backup first, index built."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from hotline import contacts, db, migrations
from hotline.models import Case, Enterprise, SchemaVersion
from hotline.search import search
from tests.hotline import old_schema
from tests.hotline.cli.conftest import Runner


def _version_1_database(path: Path) -> None:
    handle = db.connect(path)
    assert migrations.upgrade(handle, str(path), up_to=1) == 1
    now = dt.datetime(2026, 3, 2, 9, 30)
    enterprise = Enterprise.create(
        name="鹤壁市老版本物流有限公司", uscc=None, created_at=now, updated_at=now
    )
    # Version 1's case table held the caller's real contact (migration 19 moves it apart).
    old_schema.case_before_19(
        handle,
        "YS20260302-0001",
        enterprise_id=enterprise.id,
        subject="旧库中的案件",
        confidential=True,
    )
    db.close()


def test_init_upgrades_a_version_1_database(run_cli: Runner, tmp_path: Path) -> None:
    db_path = tmp_path / "v1.sqlite3"
    _version_1_database(db_path)
    result = run_cli("init", db=db_path)
    assert result.code == 0, result.err
    assert "1" in result.out and str(migrations.latest_version()) in result.out
    backups = list(db_path.parent.glob(f"{db_path.name}.v1-*.bak"))
    assert len(backups) == 1
    db.open_database(db_path)
    versions = [row.version for row in SchemaVersion.select().order_by(SchemaVersion.version)]
    assert versions[-1] == migrations.latest_version() and versions[0] == 1
    page = search("老版本")
    assert [Case.get_by_id(i).case_no for i in page.case_ids] == ["YS20260302-0001"]
    # The caller moved to case_contact; the case keeps the masked forms; the index (built
    # after the move) finds the case by its caller only for a role that may see them.
    (case,) = Case.select()
    assert (case.contact_name_masked, case.contact_phone_masked) == ("刘*", "139****5678")
    assert contacts.of(case) == contacts.Contact("刘强", "13912345678")
    assert search("刘强", reveal_confidential=True).case_ids == [case.id]
    assert search("刘强").case_ids == []
    db.close()
    # The backup is the old file, still at version 1.
    old = db.connect(backups[0])
    assert migrations.current_version(old) == 1
    db.close()
