"""Finding the Chinese font: configured path, system fonts, CFF fonts skipped, CID fallback."""

from __future__ import annotations

import io
import logging
import struct
from pathlib import Path

import pytest
from reportlab.platypus import Paragraph, SimpleDocTemplate

from hotline.reports import fonts as font_module
from hotline.reports.fonts import CID_FONT, FontSet, has_truetype_outlines, register_fonts
from hotline.reports.styles import make_styles
from tests.hotline.reports.conftest import font_missing, pdf_pages


def _sfnt(tag: bytes, tables: list[bytes]) -> bytes:
    """A font header with an empty table directory: enough to tell outlines apart."""
    header = tag + struct.pack(">HHHH", len(tables), 0, 0, 0)
    return header + b"".join(t + b"\0" * 12 for t in tables)


def _collection(face: bytes) -> bytes:
    return b"ttcf" + struct.pack(">HHI", 1, 0, 1) + struct.pack(">I", 16) + face


def test_cff_outlines_are_recognised(tmp_path: Path, ttf_fonts: FontSet) -> None:
    otf = tmp_path / "NotoSansCJK-Regular.otf"
    otf.write_bytes(_sfnt(b"OTTO", [b"CFF ", b"cmap", b"head"]))
    cff_collection = tmp_path / "NotoSansCJK-Regular.ttc"
    cff_collection.write_bytes(_collection(_sfnt(b"\0\1\0\0", [b"CFF ", b"cmap"])))
    glyf_collection = tmp_path / "fake.ttc"
    glyf_collection.write_bytes(_collection(_sfnt(b"\0\1\0\0", [b"cmap", b"glyf", b"loca"])))
    assert not has_truetype_outlines(otf)
    assert not has_truetype_outlines(cff_collection)
    assert has_truetype_outlines(glyf_collection)
    assert not has_truetype_outlines(glyf_collection, index=3)
    assert not has_truetype_outlines(tmp_path / "missing.ttf")
    assert ttf_fonts.path is not None and has_truetype_outlines(ttf_fonts.path)


def test_a_cff_font_is_skipped_and_the_cid_font_is_the_last_resort(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    cff = tmp_path / "NotoSansCJK-Regular.ttc"
    cff.write_bytes(_collection(_sfnt(b"OTTO", [b"CFF ", b"cmap"])))
    monkeypatch.setattr(font_module, "font_directories", lambda: [])
    with caplog.at_level(logging.INFO, logger="hotline.reports.fonts"):
        found = register_fonts(prefer=cff)
    assert found == FontSet(CID_FONT, CID_FONT, False)
    assert "CFF" in caplog.text
    assert "no embeddable Chinese TrueType font" in caplog.text


def test_a_configured_font_comes_first(monkeypatch: pytest.MonkeyPatch, ttf_fonts: FontSet) -> None:
    candidates = [
        Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"),
        Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"),
    ]
    other = next((p for p in candidates if p.exists() and str(p) != ttf_fonts.path), None)
    if other is None:
        font_missing("needs two Chinese TrueType fonts (fonts-wqy-microhei, fonts-wqy-zenhei)")
    monkeypatch.setenv("HOTLINE_PDF_FONT", str(other))
    assert register_fonts().path == str(other)
    assert register_fonts(prefer=ttf_fonts.path).path == ttf_fonts.path


def test_a_font_without_chinese_is_not_taken(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    latin = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    if not latin.exists():
        font_missing("DejaVu Sans not installed (fonts-dejavu-core)")
    found = register_fonts(prefer=latin)
    assert found.path != str(latin)


@pytest.mark.parametrize("kind", ["ttf", "cid"])
def test_bold_markup_renders_with_either_font(
    kind: str, ttf_fonts: FontSet, cid_fonts: FontSet
) -> None:
    chosen = ttf_fonts if kind == "ttf" else cid_fonts
    styles = make_styles(chosen)
    out = io.BytesIO()
    SimpleDocTemplate(out).build(
        [
            Paragraph("<b>加粗标题</b> 与 <i>斜体</i> 正文", styles.body),
            Paragraph("标题", styles.title),
        ]
    )
    assert "加粗标题" in pdf_pages(out.getvalue())[0]


def test_force_cid_is_not_embedded(cid_fonts: FontSet) -> None:
    assert cid_fonts.regular == CID_FONT and not cid_fonts.embedded and not cid_fonts.has_real_bold
