"""Sample files of every accepted type (and some refused ones), made in the test's folder."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

MB = 1 << 20

PNG_1X1 = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a5f6b65f0000000049454e44ae426082"
)
PDF_SMALL = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


SAMPLES: dict[str, bytes] = {
    "pdf": PDF_SMALL,
    "png": PNG_1X1,
    "jpeg": b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64 + b"\xff\xd9",
    "ofd": zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<d/>"}),
    "docx": zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
    "xlsx": zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<x/>"}),
    "text": "投诉材料说明：企业于11月3日提交申请。\n".encode(),
}
GB18030_TEXT = "鹤壁市营商环境投诉材料，附件说明。\n".encode("gb18030")
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + bytes(range(256)) * 4


def write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def big_pdf(folder: Path, size: int = 20 * MB, name: str = "处罚决定书.pdf") -> tuple[Path, str]:
    """A ``size``-byte file that reads as a PDF, written in pieces; its path and SHA-256."""
    path = folder / name
    block = hashlib.sha256(b"seed").digest() * 2048  # 64 KiB of varied bytes
    return path, write_pdf_like(path, size, block)


def write_pdf_like(path: Path, size: int, block: bytes) -> str:
    """Write ``size`` bytes to ``path``: a PDF header, then ``block`` over and over, in
    pieces; returns their SHA-256."""
    digest = hashlib.sha256()
    with path.open("wb") as out:
        head = b"%PDF-1.7\n"
        out.write(head)
        digest.update(head)
        left = size - len(head)
        while left:
            piece = block[: min(len(block), left)]
            out.write(piece)
            digest.update(piece)
            left -= len(piece)
    return digest.hexdigest()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while piece := handle.read(1 << 20):
            digest.update(piece)
    return digest.hexdigest()
