"""Which kind of document a file is, judged by its content, never by its name.

Accepted: PDF, OFD (the Chinese fixed-layout format: a zip with ``OFD.xml`` at its root),
JPEG, PNG, DOCX and XLSX (zips with ``[Content_Types].xml`` and ``word/`` or ``xl/``) and plain
text in UTF-8 or GB18030. Anything else is refused with a message that names the file and,
when it is recognisable, what it is (an executable, an old Office file, an archive …).

:func:`sniff` looks at the beginning of a seekable file (and, for zips, at its list of
members) and leaves the position where it was. Whether a text file is text is only known at
its end: :class:`TextCheck` is fed every piece as it is stored.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO

from hotline.errors import ValidationError
from hotline.i18n import N_, _

HEAD = 8192


@dataclass(frozen=True)
class ContentType:
    code: str
    label: str  # N_() message
    suffix: str  # for a temporary copy opened with the system viewer
    mime: str


TYPES = {
    t.code: t
    for t in (
        ContentType("pdf", N_("PDF 文档"), ".pdf", "application/pdf"),
        ContentType("ofd", N_("OFD 版式文档"), ".ofd", "application/ofd"),
        ContentType("jpeg", N_("JPEG 图片"), ".jpg", "image/jpeg"),
        ContentType("png", N_("PNG 图片"), ".png", "image/png"),
        ContentType(
            "docx",
            N_("Word 文档（DOCX）"),
            ".docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        ContentType(
            "xlsx",
            N_("Excel 表格（XLSX）"),
            ".xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ContentType("text", N_("纯文本"), ".txt", "text/plain"),
    )
}
IMAGES = frozenset({"jpeg", "png"})

MSG_REFUSED = N_(
    "文件 {name} 是{what}，不能作为附件。可以添加：PDF、OFD、JPEG、PNG、DOCX、XLSX 和纯文本（UTF-8 或 GB18030）。"
)
MSG_EMPTY = N_("文件 {name} 是空的，没有添加")

# Recognisable things that are refused, by their first bytes.
_REFUSED_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"\x7fELF", N_("可执行程序（ELF）")),
    (b"MZ", N_("Windows 可执行程序")),
    (b"\xcf\xfa\xed\xfe", N_("可执行程序（Mach-O）")),
    (b"\xfe\xed\xfa\xcf", N_("可执行程序（Mach-O）")),
    (b"\xca\xfe\xba\xbe", N_("可执行程序或 Java 类文件")),
    (b"#!", N_("脚本程序")),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", N_("旧版 Office 文件（DOC/XLS），请另存为 DOCX 或 XLSX")),
    (b"Rar!", N_("RAR 压缩包")),
    (b"7z\xbc\xaf\x27\x1c", N_("7z 压缩包")),
    (b"\x1f\x8b", N_("gzip 压缩包")),
    (b"GIF8", N_("GIF 图片")),
    (b"BM", N_("BMP 图片")),
    (b"II*\x00", N_("TIFF 图片")),
    (b"MM\x00*", N_("TIFF 图片")),
    (b"SQLite format 3\x00", N_("数据库文件")),
    (b"{\\rtf", N_("RTF 文档")),
)
WHAT_UNKNOWN = N_("无法识别的二进制文件")
WHAT_ZIP = N_("ZIP 压缩包")
WHAT_BROKEN_ZIP = N_("损坏的 ZIP 文件")
WHAT_NOT_TEXT = N_("既不是 UTF-8 也不是 GB18030 编码的文本")


def refused(name: str, what: str) -> ValidationError:
    return ValidationError.single("file", MSG_REFUSED, name=name, what=_(what))


def label(code: str) -> str:
    found = TYPES.get(code)
    return _(found.label) if found else code


def suffix(code: str) -> str:
    found = TYPES.get(code)
    return found.suffix if found else ""


def sniff(handle: IO[bytes], name: str) -> str:
    """The type code of the file ``handle`` (seekable, at its start), or :class:`ValidationError`
    naming ``name`` and what it is. The position is put back where it was."""
    start = handle.tell()
    try:
        head = handle.read(HEAD)
        if not head:
            raise ValidationError.single("file", MSG_EMPTY, name=name)
        return _by_content(handle, head, start, name)
    finally:
        handle.seek(start)


def _by_content(handle: IO[bytes], head: bytes, start: int, name: str) -> str:
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if b"%PDF-" in head[:1024] and head[: head.find(b"%PDF-")].strip(b"\r\n\t \x00") == b"":
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        handle.seek(start)
        return _zip_type(handle, name)
    for magic, what in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise refused(name, what)
    if b"\x00" in head:
        raise refused(name, WHAT_UNKNOWN)
    return "text"  # confirmed piece by piece as it is stored (TextCheck)


def _zip_type(handle: IO[bytes], name: str) -> str:
    try:
        with zipfile.ZipFile(handle) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise refused(name, WHAT_BROKEN_ZIP) from None
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        if any(n.startswith("word/") for n in names):
            return "docx"
        if any(n.startswith("xl/") for n in names):
            return "xlsx"
    raise refused(name, WHAT_ZIP)


_CONTROL = frozenset(range(0x20)) - {0x09, 0x0A, 0x0C, 0x0D, 0x1A, 0x1B}


class TextCheck:
    """Feeds every piece of a file sniffed as text; :meth:`finish` refuses it unless the whole
    is UTF-8 or GB18030 without NUL or other control bytes (only the current piece is held)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.utf8: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("utf-8-sig")()
        self.gb: codecs.IncrementalDecoder | None = codecs.getincrementaldecoder("gb18030")()
        self.binary = False

    def feed(self, piece: bytes) -> None:
        if self.binary:
            return
        if any(b in _CONTROL for b in set(piece)):
            self.binary = True
            return
        self.utf8 = _feed(self.utf8, piece)
        self.gb = _feed(self.gb, piece)

    def finish(self) -> None:
        if self.binary:
            raise refused(self.name, WHAT_UNKNOWN)
        if _feed(self.utf8, b"", final=True) is None and _feed(self.gb, b"", final=True) is None:
            raise refused(self.name, WHAT_NOT_TEXT)


def _feed(
    decoder: codecs.IncrementalDecoder | None, piece: bytes, *, final: bool = False
) -> codecs.IncrementalDecoder | None:
    if decoder is None:
        return None
    try:
        decoder.decode(piece, final)
    except UnicodeDecodeError:
        return None
    return decoder
