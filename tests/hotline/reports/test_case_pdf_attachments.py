"""The case summary lists the case's documents: name, size, who, when, the start of the hash;
a removed one struck through with who removed it and why; a confidential caller masked."""

from __future__ import annotations

import datetime as dt
import io

from hotline import cases
from hotline.attachments import service
from hotline.reports.case_data import load_case_summary
from hotline.reports.case_pdf import render_case_summary
from hotline.reports.data import ContactInfo, ReportAttachment
from hotline.reports.fonts import FontSet
from tests.conftest import sample_case
from tests.hotline.attachments.files import SAMPLES
from tests.hotline.attachments.test_service import LEAD, OPERATOR
from tests.hotline.reports.conftest import PRINTED_AT, make_summary, pdf_pages, squeeze

ADDED = dt.datetime(2026, 11, 24, 10, 5)


def _text(summary, fonts: FontSet) -> str:
    out = io.BytesIO()
    render_case_summary(summary, out, printed_by="科长丙", printed_at=PRINTED_AT, fonts=fonts)
    return squeeze("".join(pdf_pages(out.getvalue())))


def test_the_documents_are_listed(any_fonts: FontSet) -> None:
    summary = make_summary(
        attachments=[
            ReportAttachment("处罚决定书.pdf", 20 * 1024 * 1024, "坐席甲", ADDED, "ab" * 32),
            ReportAttachment(
                "李明华身份证.png",
                2048,
                "坐席甲",
                ADDED,
                "cd" * 32,
                removed_by="值班长乙",
                removed_at=ADDED + dt.timedelta(hours=1),
                removed_reason="上传错了",
            ),
        ],
        contact=ContactInfo("李明华", "13912345678", True),
    )
    text = _text(summary, any_fonts)
    for expected in (
        "附件",
        "处罚决定书.pdf",
        "20.0MB",
        "坐席甲",
        "2026-11-2410:05",
        "abababababab",
        "cdcdcdcdcdcd",
        "已删除：值班长乙2026-11-2411:05，理由：上传错了",
    ):
        assert expected in text, expected
    assert "李明华身份证" not in text and "身份证.png" in text  # the caller masked
    assert "ababababababa" not in text  # the start of the hash, not all of it


def test_a_case_without_documents_has_no_attachment_section(any_fonts: FontSet) -> None:
    assert "SHA-256" not in _text(make_summary(), any_fonts)


def test_the_summary_reads_the_documents_from_the_database(database) -> None:
    case = cases.register(OPERATOR, sample_case())
    kept = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["pdf"]), "决定书.pdf")
    gone = service.add(OPERATOR, case.id, io.BytesIO(SAMPLES["png"]), "照片.png")
    service.remove(LEAD, gone.id, "重复")
    summary = load_case_summary(case.case_no)
    assert [(a.name, a.sha256, a.removed_by) for a in summary.attachments] == [
        ("决定书.pdf", kept.sha256, ""),
        ("照片.png", gone.sha256, "值班长乙"),
    ]
