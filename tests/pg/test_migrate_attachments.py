"""``migrate-to`` carries attachments: a 20 MB file and a tombstone, chunks copied a few rows
at a time, the hash checked when read from the server."""

from __future__ import annotations

import io
import tracemalloc
from pathlib import Path

from hotline import cases, db, migrate_to
from hotline.attachments import service
from hotline.attachments.schema import AttachmentChunk
from hotline.migrate_to import migrate
from tests.conftest import sample_case
from tests.hotline.attachments.files import MB, SAMPLES, big_pdf, sha256_of
from tests.hotline.attachments.test_service import LEAD, OPERATOR


def test_attachments_move_to_the_server_in_chunks(empty_pg_url: str, tmp_path: Path) -> None:
    source = tmp_path / "centre.sqlite3"
    db.open_database(source)
    try:
        case = cases.register(OPERATOR, sample_case())
        path, digest = big_pdf(tmp_path)
        service.add(OPERATOR, case.id, path)
        gone = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "现场.png")
        service.remove(LEAD, gone.id, "拍错了")
    finally:
        db.close()
    assert migrate_to.batch_of("attachment_chunk") * 256 * 1024 <= 1 * MB

    tracemalloc.start()
    try:
        report = migrate(source, empty_pg_url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert report.ok
    tables = {t.table: t for t in report.tables}
    assert tables["attachment"].target_rows == 2
    assert tables["attachment_chunk"].target_rows == 80
    assert peak < 16 * MB, peak  # never the whole table, nor the whole file, at once
    db.open_database(empty_pg_url)
    try:
        assert AttachmentChunk.select().count() == 80
        found = service.list_for_case(case.id, OPERATOR)
        assert [a.removed for a in found] == [False, True] and found[1].sha256 == gone.sha256
        out = tmp_path / "from-server.pdf"
        service.save_as(OPERATOR, found[0].id, out)
        assert sha256_of(out) == digest
        later = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "新.pdf")
        assert later.id == 3  # the sequence moved past the copied ids
    finally:
        db.close()
