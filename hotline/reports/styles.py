"""Paragraph and table styles shared by both PDFs, built once per font set."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from hotline.reports.fonts import FontSet

INK = colors.HexColor("#1F2933")
MUTED = colors.HexColor("#5F6B7A")
ACCENT = colors.HexColor("#1F4E79")
RULE = colors.HexColor("#B7C4D1")
HEADER_FILL = colors.HexColor("#E6EDF5")
ZEBRA_FILL = colors.HexColor("#F6F8FA")
INTERNAL_FILL = colors.HexColor("#FFF4D6")
GOOD = colors.HexColor("#1E7B3A")
BAD = colors.HexColor("#B42318")
CHART_COLOURS = [
    colors.HexColor("#2F6DB5"),
    colors.HexColor("#4C9A8E"),
    colors.HexColor("#E0A33B"),
    colors.HexColor("#C8553D"),
]

PAGE_MARGIN = 18 * mm
CONTENT_WIDTH = 210 * mm - 2 * PAGE_MARGIN  # A4
DASH = "—"


@dataclass(frozen=True)
class Styles:
    fonts: FontSet
    title: ParagraphStyle
    subtitle: ParagraphStyle
    section: ParagraphStyle
    body: ParagraphStyle
    prose: ParagraphStyle
    label: ParagraphStyle
    cell: ParagraphStyle
    cell_small: ParagraphStyle
    cell_sub: ParagraphStyle
    cell_head: ParagraphStyle
    cell_head_small: ParagraphStyle
    cell_right: ParagraphStyle
    note: ParagraphStyle
    badge: ParagraphStyle


@functools.lru_cache(maxsize=8)
def make_styles(fonts: FontSet) -> Styles:
    regular, bold = fonts.regular, fonts.bold
    # Without a real bold face, headings stand out by size and colour alone.
    body = ParagraphStyle(
        "body", fontName=regular, fontSize=10, leading=16, textColor=INK, wordWrap="CJK"
    )
    cell = ParagraphStyle("cell", parent=body, fontSize=9, leading=12.5)
    return Styles(
        fonts=fonts,
        title=ParagraphStyle(
            "title", fontName=bold, fontSize=17, leading=23, textColor=ACCENT, spaceAfter=2
        ),
        subtitle=ParagraphStyle(
            "subtitle", fontName=regular, fontSize=10.5, leading=15, textColor=MUTED, spaceAfter=6
        ),
        section=ParagraphStyle(
            "section",
            fontName=bold,
            fontSize=12.5,
            leading=17,
            textColor=ACCENT,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        ),
        body=body,
        prose=ParagraphStyle("prose", parent=body, firstLineIndent=2 * body.fontSize),
        label=ParagraphStyle("label", parent=cell, textColor=MUTED),
        cell=cell,
        cell_small=ParagraphStyle("cell_small", parent=cell, fontSize=8, leading=10.5),
        cell_sub=ParagraphStyle("cell_sub", parent=cell, leftIndent=12, textColor=MUTED),
        cell_head=ParagraphStyle("cell_head", parent=cell, fontName=bold, textColor=ACCENT),
        cell_head_small=ParagraphStyle(
            "cell_head_small", parent=cell, fontName=bold, textColor=ACCENT, fontSize=8, leading=10
        ),
        cell_right=ParagraphStyle("cell_right", parent=cell, alignment=TA_RIGHT),
        note=ParagraphStyle("note", parent=cell, fontSize=8.5, leading=12, textColor=MUTED),
        badge=ParagraphStyle("badge", parent=cell, alignment=TA_CENTER, textColor=ACCENT),
    )


def stamp(value: dt.datetime | dt.date | None) -> str:
    """A date or time as printed in every language: ``2026-11-16 09:12``, ``2026-11-16``."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.isoformat()


def text(value: object) -> str:
    """``value`` made safe for a Paragraph: XML escaped, line breaks kept."""
    if value is None:
        return ""
    return escape(str(value)).replace("\n", "<br/>")


def grid_style(header_rows: int = 1) -> list[tuple[Any, ...]]:
    """The common look of a data table: header fill, thin rules, padding."""
    commands: list[tuple[Any, ...]] = [
        ("GRID", (0, 0), (-1, -1), 0.4, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands.append(("BACKGROUND", (0, 0), (-1, header_rows - 1), HEADER_FILL))
    return commands


def hex_colour(colour: colors.Color) -> str:
    """``#1f4e79``: a colour as Paragraph markup wants it."""
    return "#" + colour.hexval()[2:]


def section(title: str, styles: Styles) -> Paragraph:
    """A section heading, kept with what follows it."""
    return Paragraph(text(title), styles.section)
