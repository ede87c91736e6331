"""Finding a Chinese font for the PDFs and registering it with reportlab.

Order: the path given (argument, else ``HOTLINE_PDF_FONT``), then the usual system fonts
(Microsoft YaHei, SimHei, SimSun on Windows; WenQuanYi on Linux; a few others), then the
built-in CID font ``STSong-Light``, which every PDF viewer can show but which is not embedded.

reportlab embeds only TrueType outlines: OpenType/CFF fonts (Noto Sans CJK, Source Han, most
``.otf``) are recognised by their table directory and skipped.
"""

from __future__ import annotations

import logging
import os
import struct
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont

log = logging.getLogger(__name__)

ENV_FONT = "HOTLINE_PDF_FONT"
ENV_BOLD = "HOTLINE_PDF_FONT_BOLD"
CID_FONT = "STSong-Light"
# Characters the font must have to be any use for our PDFs.
PROBE = "中文案件办结"

# (regular file, bold file or None): file names looked up in the font directories, in order.
KNOWN_FONTS: list[tuple[str, str | None]] = [
    ("msyh.ttc", "msyhbd.ttc"),
    ("msyh.ttf", "msyhbd.ttf"),
    ("simhei.ttf", None),
    ("simsun.ttc", None),
    ("wqy-microhei.ttc", None),
    ("wqy-zenhei.ttc", None),
    ("DroidSansFallbackFull.ttf", None),
    ("DroidSansFallback.ttf", None),
    ("uming.ttc", None),
    ("ukai.ttc", None),
    ("Arial Unicode.ttf", None),
]


@dataclass(frozen=True)
class FontSet:
    """The font names to use in styles. ``bold`` equals ``regular`` when no bold face exists
    (then headings rely on size and colour)."""

    regular: str
    bold: str
    embedded: bool
    path: str | None = None
    bold_path: str | None = None

    @property
    def has_real_bold(self) -> bool:
        return self.bold != self.regular


def font_directories() -> list[Path]:
    """Where fonts are installed on this system (existing folders only)."""
    home = Path.home()
    candidates: list[Path] = []
    if sys.platform.startswith("win"):
        windir = Path(os.environ.get("WINDIR", r"C:\Windows"))
        candidates.append(windir / "Fonts")
        local = os.environ.get("LOCALAPPDATA")
        if local:
            candidates.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
    elif sys.platform == "darwin":
        candidates += [
            Path("/System/Library/Fonts"),
            Path("/Library/Fonts"),
            home / "Library/Fonts",
        ]
    candidates += [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        home / ".local" / "share" / "fonts",
        home / ".fonts",
    ]
    return [d for d in candidates if d.is_dir()]


def _index_fonts(directories: list[Path]) -> dict[str, Path]:
    """Font files under ``directories`` by lower-case file name (first one found wins)."""
    found: dict[str, Path] = {}
    for directory in directories:
        for root, _dirs, files in os.walk(directory):
            for name in files:
                if name.lower().endswith((".ttf", ".ttc")):
                    found.setdefault(name.lower(), Path(root) / name)
    return found


def has_truetype_outlines(path: str | os.PathLike[str], index: int = 0) -> bool:
    """Whether the font (face ``index`` of a collection) has ``glyf`` outlines, not CFF."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(12)
            offset = 0
            if head[:4] == b"ttcf":
                count = struct.unpack(">I", head[8:12])[0]
                if index >= count:
                    return False
                handle.seek(12 + 4 * index)
                offset = struct.unpack(">I", handle.read(4))[0]
                handle.seek(offset)
                head = handle.read(12)
            if head[:4] == b"OTTO":
                return False
            tables = struct.unpack(">H", head[4:6])[0]
            directory = handle.read(16 * tables)
    except (OSError, struct.error):
        return False
    tags = {directory[i : i + 4] for i in range(0, len(directory), 16)}
    return b"glyf" in tags and b"CFF " not in tags and b"CFF2" not in tags


def _load_ttf(name: str, path: Path) -> TTFont | None:
    if not path.is_file():
        log.warning("font file %s does not exist", path)
        return None
    if path.suffix.lower() == ".otf" or not has_truetype_outlines(path):
        log.info("skipping font %s: not TrueType outlines (reportlab cannot embed CFF)", path)
        return None
    try:
        font = TTFont(name, str(path), subfontIndex=0)
    except Exception as exc:  # reportlab raises TTFError and assorted struct errors
        log.warning("cannot use font %s: %s", path, exc)
        return None
    if not all(ord(ch) in font.face.charToGlyph for ch in PROBE):
        log.info("skipping font %s: it has no Chinese characters", path)
        return None
    return font


def _candidates(prefer: str | os.PathLike[str] | None) -> Iterator[tuple[Path, Path | None]]:
    configured = prefer or os.environ.get(ENV_FONT)
    if configured:
        bold = os.environ.get(ENV_BOLD) if not prefer else None
        yield Path(configured), Path(bold) if bold else None
    index = _index_fonts(font_directories())
    for regular, bold in KNOWN_FONTS:
        path = index.get(regular.lower())
        if path is not None:
            yield path, index.get(bold.lower()) if bold else None


_lock = threading.Lock()
_cache: dict[tuple[str | None, bool], FontSet] = {}


def register_fonts(
    prefer: str | os.PathLike[str] | None = None, force_cid: bool = False
) -> FontSet:
    """Register the best Chinese font available and return its names (cached per arguments).

    ``prefer`` is a font file tried before anything else; ``force_cid`` skips the search and
    uses the built-in ``STSong-Light``.
    """
    key = (os.fspath(prefer) if prefer else os.environ.get(ENV_FONT), force_cid)
    with _lock:
        if key not in _cache:
            _cache[key] = _cid_fonts() if force_cid else _find_and_register(prefer)
        return _cache[key]


def _find_and_register(prefer: str | os.PathLike[str] | None) -> FontSet:
    for path, bold_path in _candidates(prefer):
        name = "Hotline-" + path.stem
        font = _load_ttf(name, path)
        if font is None:
            continue
        pdfmetrics.registerFont(font)
        bold_name = name
        bold_font = _load_ttf(name + "-Bold", bold_path) if bold_path else None
        if bold_font is not None:
            pdfmetrics.registerFont(bold_font)
            bold_name = bold_font.fontName
        _register_family(name, bold_name)
        log.info("PDF font: %s (bold: %s)", path, bold_path if bold_font else "none, same face")
        return FontSet(
            name, bold_name, True, str(path), str(bold_path) if bold_font is not None else None
        )
    log.warning(
        "no embeddable Chinese TrueType font found; using built-in %s (not embedded)", CID_FONT
    )
    return _cid_fonts()


def _cid_fonts() -> FontSet:
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    _register_family(CID_FONT, CID_FONT)
    log.info("PDF font: built-in CID font %s", CID_FONT)
    return FontSet(CID_FONT, CID_FONT, False)


def _register_family(regular: str, bold: str) -> None:
    """Make ``<b>`` and ``<i>`` inside paragraphs resolve to faces that exist."""
    addMapping(regular, 0, 0, regular)
    addMapping(regular, 1, 0, bold)
    addMapping(regular, 0, 1, regular)
    addMapping(regular, 1, 1, bold)
    if bold != regular:
        addMapping(bold, 0, 0, bold)
        addMapping(bold, 1, 0, bold)
        addMapping(bold, 0, 1, bold)
        addMapping(bold, 1, 1, bold)
