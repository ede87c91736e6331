"""A 20 MB attachment and a tombstone go with the database: backup and restore, export and
import (the zip beside the JSON, hashes checked), on both backends."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest

from hotline import backup, cases, cli, db
from hotline.attachments import bundle, service
from hotline.attachments.schema import Attachment, AttachmentChunk
from hotline.models import Case
from tests import backends
from tests.conftest import sample_case
from tests.hotline.attachments.files import MB, SAMPLES, big_pdf, sha256_of
from tests.hotline.attachments.test_service import LEAD, OPERATOR


def _documented(tmp_path: Path) -> tuple[str, str, str]:
    """A case with a 20 MB PDF and a removed PNG; its number, the PDF's hash, the PNG's."""
    case = cases.register(OPERATOR, sample_case())
    path, digest = big_pdf(tmp_path)
    service.add(OPERATOR, case.id, path)
    gone = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "现场.png")
    service.remove(LEAD, gone.id, "拍错了")
    return case.case_no, digest, gone.sha256


def _check_carried(case_no: str, digest: str, tombstone_hash: str, folder: Path) -> None:
    case = Case.get(Case.case_no == case_no)
    found = service.list_for_case(case.id, OPERATOR)
    assert [(a.name, a.removed) for a in found] == [("处罚决定书.pdf", False), ("现场.png", True)]
    assert found[1].sha256 == tombstone_hash and found[1].removed_reason == "拍错了"
    out = folder / "carried.pdf"
    service.save_as(OPERATOR, found[0].id, out)
    assert sha256_of(out) == digest and out.stat().st_size == 20 * MB


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(args), stdin=io.StringIO(), stdout=out, stderr=io.StringIO())
    return code, out.getvalue()


@pytest.mark.sqlite_only("a backup is a copy of the SQLite file")
def test_backup_and_restore_carry_the_attachments(database, database_target, tmp_path) -> None:
    case_no, digest, tombstone = _documented(tmp_path)
    copy = backup.backup_to(tmp_path / "backups" / "b.sqlite3")
    assert backup.check_backup(copy).ok
    Attachment.delete().execute()  # lost after the backup
    db.close()
    backup.restore_from(copy, database_target)
    db.open_database(database_target)
    _check_carried(case_no, digest, tombstone, tmp_path)


def test_export_and_import_carry_the_attachments(
    database, database_target: str, tmp_path: Path
) -> None:
    case_no, digest, tombstone = _documented(tmp_path)
    db.close()
    exported = tmp_path / "x.json"
    code, said = _cli("--db", database_target, "export", "--format", "json", "-o", str(exported))
    assert code == 0, said
    beside = tmp_path / "x.attachments.zip"
    assert "已导出 2 个附件到" in said and beside.is_file()
    assert beside.stat().st_mode & 0o777 == 0o600
    with zipfile.ZipFile(beside) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    assert [e["sha256"] for e in manifest["attachments"]] == [digest, tombstone]
    backend = "sqlite" if not db.is_url(database_target) else "postgresql"
    (tmp_path / "other").mkdir()
    with backends.fresh_target(backend, tmp_path / "other") as other:
        code, said = _cli("--db", other, "import", str(exported))
        assert code == 0, said
        assert "附件" in said and "导入 2 个" in said
        code, said = _cli("--db", other, "import", str(exported))  # again: nothing twice
        assert code == 0 and "已导入过 2 个" in said
        db.open_database(other)
        try:
            _check_carried(case_no, digest, tombstone, tmp_path)
            assert Attachment.select().count() == 2
        finally:
            db.close()
    db.open_database(database_target)


def test_an_altered_bundle_is_refused_entry_by_entry(database, tmp_path: Path) -> None:
    case = cases.register(OPERATOR, sample_case())
    service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "决定书.pdf")
    service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "照片.png")
    path = tmp_path / "x.attachments.zip"
    assert bundle.export_bundle(LEAD, path).exported == 2
    altered = tmp_path / "altered.attachments.zip"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(altered, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "files/1":
                data = data.replace(b"Catalog", b"Katalog")
            if item.filename == "files/2":
                data = b"\x7fELF" + b"\x00" * 64  # an executable in place of the photo
            target.writestr(item, data)
    Attachment.delete().execute()
    report = bundle.import_bundle(LEAD, altered)
    assert report.imported == 0 and len(report.problems) == 2
    assert "决定书.pdf" in report.problems[0].text and "SHA-256" in report.problems[0].text
    assert "照片.png" in report.problems[1].text and "可执行程序" in report.problems[1].text
    assert Attachment.select().count() == 0 and AttachmentChunk.select().count() == 0
    report = bundle.import_bundle(LEAD, path)
    assert report.imported == 2 and report.ok


def test_a_masked_export_leaves_confidential_documents_out(database, tmp_path: Path) -> None:
    secret = cases.register(OPERATOR, sample_case(confidential=True))
    plain = cases.register(OPERATOR, sample_case())
    service.add(OPERATOR, secret.id, io.BytesIO(SAMPLES["png"]), "身份证.png")
    service.add(OPERATOR, plain.id, io.BytesIO(SAMPLES["png"]), "现场.png")
    report = bundle.export_bundle(LEAD, tmp_path / "m.zip", mask_confidential=True)
    assert (report.exported, report.withheld) == (1, 1)
    with zipfile.ZipFile(tmp_path / "m.zip") as archive:
        names = [e["name"] for e in json.loads(archive.read("manifest.json"))["attachments"]]
    assert names == ["现场.png"]
