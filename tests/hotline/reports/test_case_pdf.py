"""The case summary PDF read back: every section's text, pages, masking, internal notes."""

from __future__ import annotations

import dataclasses
import io
import re

from pypdf import PdfReader

from hotline import __version__, i18n, version
from hotline.migrations import latest_version
from hotline.reports.case_pdf import render_case_summary
from hotline.reports.data import ContactInfo, TimelineEntry
from hotline.reports.fonts import FontSet
from tests.hotline.reports.conftest import (
    PRINTED_AT,
    make_summary,
    pdf_body,
    pdf_pages,
    squeeze,
)


def _render(summary, fonts: FontSet, **options) -> bytes:
    out = io.BytesIO()
    render_case_summary(
        summary, out, printed_by="科长丙", printed_at=PRINTED_AT, fonts=fonts, **options
    )
    return out.getvalue()


def test_every_section_is_in_the_text(any_fonts: FontSet) -> None:
    pages = pdf_pages(_render(make_summary(), any_fonts))
    text = squeeze("".join(pages))
    for expected in (
        "YS20261116-0007",
        "建设工程规划许可审批超期",
        "鹤壁市华信精密机械制造有限公司",
        "91410600MA44XKQ35C",
        "刘建国",  # the steward
        "李明华",
        "13912345678",
        "行政审批",
        "2026-12-03",
        "按期答复",
        "我局已于11月27日核发建设工程规划许可证",
        "基本满意",
        "【内部】",
        "可以不予处罚（首次违法）",
        "《行政处罚法》第三十三条第一款",
        "打印：科长丙",
    ):
        assert squeeze(expected) in text, expected
    for number, page in enumerate(pages, start=1):
        assert f"第 {number} 页 / 共 {len(pages)} 页" in page
        assert "YS20261116-0007" in page


def test_a_long_description_flows_over_pages_and_nothing_is_lost(any_fonts: FontSet) -> None:
    # 20,000 characters, every sentence numbered so a lost piece shows.
    sentences = [f"第{i}句企业反映审批拖延情况，材料已补正。" for i in range(1, 2000)]
    description = "".join(sentences)[:20_000]
    assert len(description) == 20_000
    pdf = _render(make_summary(description=description), any_fonts)
    pages = pdf_pages(pdf)
    assert len(pages) >= 5
    assert f"第 1 页 / 共 {len(pages)} 页" in pages[0]
    body = squeeze(pdf_body(pdf, top_mm=33, bottom_mm=14))
    assert squeeze(description) in body
    assert "第 2 页" not in body  # the header was left out, so the test can fail


def test_a_confidential_contact_is_masked_everywhere(ttf_fonts: FontSet) -> None:
    summary = make_summary(
        contact=ContactInfo("欧阳明华", "13912345678", confidential=True),
        description="企业联系人欧阳明华（电话13912345678）反映审批拖延。",
        timeline=[
            TimelineEntry(PRINTED_AT, "坐席甲", "回访", "已致电 139 1234 5678 / 13912345678")
        ],
    )
    text = "".join(pdf_pages(_render(summary, ttf_fonts)))
    digits = re.sub(r"\D", "", text)
    assert "13912345678" not in digits
    assert "139****5678" in text
    assert "欧阳**" in text
    assert "欧阳明华" not in text


def test_the_copy_for_the_enterprise_leaves_internal_notes_out(ttf_fonts: FontSet) -> None:
    text = squeeze("".join(pdf_pages(_render(make_summary(), ttf_fonts, include_internal=False))))
    assert "内部沟通" not in text
    assert "【内部】" not in text
    assert "派至审批局" in text
    assert "对外版" in text


def test_sections_without_data_say_so(ttf_fonts: FontSet) -> None:
    summary = make_summary(
        enterprise=None,
        department="",
        dispatched_at=None,
        deadline=None,
        handled_at=None,
        reply="",
        callback_at=None,
        satisfaction="",
        closed_at=None,
        timeline=[],
        exemption=None,
        request="",
    )
    text = squeeze("".join(pdf_pages(_render(summary, ttf_fonts))))
    for expected in ("未关联企业", "未派单，无办理期限", "尚未答复", "尚未回访", "暂无记录"):
        assert expected in text
    assert "首错免罚评估" not in text


def test_overdue_and_late_answers_are_flagged(ttf_fonts: FontSet) -> None:
    late = make_summary(handled_at=PRINTED_AT.replace(day=5, month=12))
    assert "超期答复" in squeeze("".join(pdf_pages(_render(late, ttf_fonts))))
    overdue = dataclasses.replace(late, handled_at=None, reply="")
    # Printed on 2026-11-30, deadline 2026-12-03: not yet overdue; then after it.
    assert "办理中，未到期" in squeeze("".join(pdf_pages(_render(overdue, ttf_fonts))))
    out = io.BytesIO()
    render_case_summary(
        overdue, out, printed_at=PRINTED_AT.replace(month=12, day=4), fonts=ttf_fonts
    )
    assert "已超期，尚未答复" in squeeze("".join(pdf_pages(out.getvalue())))


def test_the_font_is_embedded_or_the_cid_fallback_is_named(
    ttf_fonts: FontSet, cid_fonts: FontSet
) -> None:
    embedded = PdfReader(io.BytesIO(_render(make_summary(), ttf_fonts)))
    fallback = PdfReader(io.BytesIO(_render(make_summary(), cid_fonts)))

    def fonts_of(reader: PdfReader) -> list[dict]:
        found = []
        for page in reader.pages:
            for font in page["/Resources"]["/Font"].values():
                font = font.get_object()
                descendants = font.get("/DescendantFonts")
                descriptor = (
                    descendants[0].get_object()["/FontDescriptor"]
                    if descendants
                    else font.get("/FontDescriptor")
                )
                found.append({"base": str(font["/BaseFont"]), "descriptor": descriptor})
        return found

    ttf = fonts_of(embedded)
    assert any(f["descriptor"] and "/FontFile2" in f["descriptor"] for f in ttf)
    cid = fonts_of(fallback)
    # reportlab lists Helvetica, the canvas's initial font, on every page; nothing uses it.
    assert {f["base"] for f in cid} <= {"/STSong-Light", "/Helvetica"}
    assert any(f["base"] == "/STSong-Light" for f in cid)
    assert not any(f["descriptor"] and "/FontFile2" in f["descriptor"].get_object() for f in cid)


def test_in_english_the_captions_are_english(ttf_fonts: FontSet) -> None:
    i18n.set_locale("en")
    try:
        text = " ".join(pdf_pages(_render(make_summary(), ttf_fonts)))
    finally:
        i18n.set_locale("zh_CN")
    assert "Page 1 of" in text
    assert "Enterprise" in text
    assert "企业信息" not in text


def test_every_page_names_the_program_version_that_made_it(ttf_fonts: FontSet) -> None:
    description = "企业反映审批材料多次退回，" * 300
    pdf = _render(make_summary(description=description), ttf_fonts)
    pages = pdf_pages(pdf)
    assert len(pages) >= 2
    generator = squeeze(version.generator_line())
    assert __version__ in generator and str(latest_version()) in generator
    assert all(generator in squeeze(page) for page in pages)
    creator = PdfReader(io.BytesIO(pdf)).metadata["/Creator"]
    assert creator == f"hotline-desk {__version__} (schema {latest_version()})"
